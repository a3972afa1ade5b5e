namespace Aigc.Portal.Features.Gallery;

/// <summary>
/// The blueprints picked in the grid, in the order they were picked. A click toggles one and makes it the anchor; a
/// shift-click selects everything between the anchor and the clicked tile in grid order (as file managers do).
/// </summary>
public sealed class GallerySelection
{
    private readonly List<Guid> _ids = [];
    private readonly HashSet<Guid> _set = [];
    private Guid? _anchor;

    public int Count => _ids.Count;

    public IReadOnlyList<Guid> Ids => _ids;

    public bool Contains(Guid id) => _set.Contains(id);

    /// <summary>A click on a tile's check; <paramref name="grid"/> is the grid's order, for shift-clicks.</summary>
    public void Click(Guid id, bool shift, IReadOnlyList<Guid> grid)
    {
        var from = _anchor is { } anchor ? IndexOf(grid, anchor) : -1;
        var to = IndexOf(grid, id);
        if (shift && from >= 0 && to >= 0)
        {
            for (var i = Math.Min(from, to); i <= Math.Max(from, to); i++)
                Add(grid[i]);
        }
        else if (!_set.Remove(id))
        {
            Add(id);
        }
        else
        {
            _ids.Remove(id);
        }

        _anchor = id;
    }

    /// <summary>"Select all matching": replaces the selection.</summary>
    public void SelectAll(IEnumerable<Guid> ids)
    {
        Clear();
        foreach (var id in ids)
            Add(id);
    }

    public void Remove(IEnumerable<Guid> ids)
    {
        foreach (var id in ids.Where(_set.Remove))
            _ids.Remove(id);
    }

    public void Clear()
    {
        _ids.Clear();
        _set.Clear();
        _anchor = null;
    }

    private void Add(Guid id)
    {
        if (_set.Add(id))
            _ids.Add(id);
    }

    private static int IndexOf(IReadOnlyList<Guid> grid, Guid id)
    {
        for (var i = 0; i < grid.Count; i++)
        {
            if (grid[i] == id)
                return i;
        }

        return -1;
    }
}
