using Aigc.Platform.Queue;
using Aigc.Platform.Sketches;
using Aigc.Platform.Studio;
using Aigc.Portal.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;

namespace Aigc.Portal.Features.Studio;

/// <summary>
/// The Studio's sketch panel: a canvas (pen, eraser, undo, clear; pointer events for mouse, pen and touch in
/// SketchPanel.razor.js) or an uploaded file is read by the model's encoder (<see cref="StudioService.ReadSketchAsync"/>);
/// its closest image is queued at once, the recovered conditions stay editable, and variants use the strength slider.
/// The drawing reaches the server as a stream, never through a circuit message.
/// </summary>
public partial class SketchPanel
{
    private readonly Dictionary<string, string> _conditions = new(StringComparer.Ordinal);
    private ElementReference _canvas;
    private IJSObjectReference? _module;
    private IJSObjectReference? _pad;
    private SketchReading? _reading;
    private string? _message;
    private bool _busy;
    private bool _eraser;
    // v2 varies little within a condition (docs/benchmarks.md): below ~0.5 variants look alike.
    private double _strength = 0.6;

    [CascadingParameter] public StudioPage Page { get; set; } = default!;

    [Parameter, EditorRequired] public StudioModel Model { get; set; } = default!;

    [Parameter] public string? Preset { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Studio/SketchPanel.razor.js");
        _pad = await _module.InvokeAsync<IJSObjectReference>("attach", _canvas);
    }

    private async Task ToolChangedAsync(bool eraser)
    {
        _eraser = eraser;
        if (_pad is not null)
            await _pad.InvokeVoidAsync("setTool", eraser ? "eraser" : "pen");
    }

    private async Task UndoAsync()
    {
        if (_pad is not null)
            await _pad.InvokeVoidAsync("undo");
    }

    private async Task ClearAsync()
    {
        if (_pad is not null)
            await _pad.InvokeVoidAsync("clear");
    }

    private async Task UseDrawingAsync()
    {
        if (_pad is null)
            return;
        if (await _pad.InvokeAsync<bool>("isEmpty"))
        {
            _message = T["SketchEmpty"];
            return;
        }

        IJSStreamReference png;
        try
        {
            png = await _pad.InvokeAsync<IJSStreamReference>("png");
        }
        catch (JSException)
        {
            // A browser that cannot export its canvas: say so rather than lose the circuit.
            _message = T["UploadFailed"];
            return;
        }

        await using (png)
            await ReadAsync(() => png.OpenReadStreamAsync(Studio.MaxUploadBytes + 1).AsTask());
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        if (e.File.Size > Studio.MaxUploadBytes)
        {
            _message = T["TooLarge", e.File.Size / 1024, Studio.MaxUploadBytes / 1024];
            return;
        }

        await ReadAsync(() => Task.FromResult(e.File.OpenReadStream(Studio.MaxUploadBytes + 1)));
    }

    /// <summary>Reads the sketch, then queues its closest image straight away: the first result comes soonest.</summary>
    private async Task ReadAsync(Func<Task<Stream>> open)
    {
        _message = null;
        _busy = true;
        StateHasChanged();
        try
        {
            await using var stream = await open();
            _reading = await Studio.ReadSketchAsync(Page.Requester, Model.Sha256, stream);
            _conditions.Clear();
            foreach (var (name, value) in _reading.Conditions)
                _conditions[name] = value;
            await ClosestAsync();
        }
        catch (GenerationRefusedException refused)
        {
            _message = refused.Kind == RefusalKind.Forbidden ? T["Refused"] : T["SketchRefused", R.Say(refused.Refusal)];
        }
        catch (IOException)
        {
            _message = T["UploadFailed"];
        }
        finally
        {
            _busy = false;
        }
    }

    private Task ClosestAsync() => QueueAsync(null);

    private Task VariantsAsync() => QueueAsync(_strength);

    private async Task QueueAsync(double? strength)
    {
        if (_reading is not { } reading)
            return;
        await Page.QueueSketchAsync(async () => await Studio.FromSketchAsync(Page.Requester, Model.Sha256,
            new Dictionary<string, string>(_conditions, StringComparer.Ordinal), reading.Latent, strength, Preset));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_pad is not null)
                await _pad.InvokeVoidAsync("dispose");
            if (_pad is not null)
                await _pad.DisposeAsync();
            if (_module is not null)
                await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The tab has gone: nothing left to detach.
        }
    }
}
