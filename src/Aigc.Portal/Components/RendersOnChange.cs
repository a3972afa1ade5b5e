using Microsoft.AspNetCore.Components;

namespace Aigc.Portal.Components;

/// <summary>
/// A component that a parent's re-render renders again only when what it shows changed; its own events render it
/// as usual. A parent passes its children new callbacks on every render, which Blazor counts as a change: the gallery
/// re-rendered its facets, toolbar and every tile loaded so far to append a window of 48 (issue 24's scroll).
/// </summary>
public abstract class RendersOnChange : ComponentBase
{
    private object?[] _shown = [];
    private bool _fromParent;

    /// <summary>
    /// The parameters the markup shows (not the callbacks), compared with <see cref="object.Equals(object, object)"/>.
    /// </summary>
    protected abstract object?[] Shown();

    protected override void OnParametersSet() => _fromParent = true;

    protected override bool ShouldRender()
    {
        if (!_fromParent)
            return true;
        _fromParent = false;
        var now = Shown();
        return now.Length != _shown.Length || now.Where((value, i) => !Equals(value, _shown[i])).Any();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        _shown = Shown();
        _fromParent = false;
    }
}
