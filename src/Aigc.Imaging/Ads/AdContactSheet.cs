using System.Security;
using NetVips;

namespace Aigc.Imaging.Ads;

/// <summary>Every size of a campaign on one neutral sheet, scaled so the large formats and the banners all read.</summary>
public static class AdContactSheet
{
    private const int Gap = 32;
    private const int LabelHeight = 28;

    /// <summary>Lays the renderings out in rows no wider than <paramref name="maxWidth"/>, each large format scaled to <paramref name="largeScale"/>.</summary>
    public static VipsImage Render(IReadOnlyList<AdRendering> renderings, int maxWidth = 1800, double largeScale = 0.4)
    {
        if (renderings.Count == 0) throw new ArgumentException("A contact sheet needs at least one rendering.", nameof(renderings));
        var tiles = new List<(VipsImage Image, string Label)>();
        try
        {
            foreach (var rendering in renderings.OrderByDescending(r => r.Size.Height))
            {
                // Display sizes (up to 728 wide) are shown at 1:1; social sizes scaled down.
                var scale = rendering.Size.ShortSide > 400 ? largeScale : 1;
                tiles.Add((rendering.Image.Apply(i => i.Resize(scale, Enums.Kernel.Lanczos3)),
                    $"{rendering.Size.Width} × {rendering.Size.Height}"));
            }
            var placements = new List<(int X, int Y)>();
            int x = Gap, y = Gap, rowHeight = 0, width = 0;
            foreach (var (image, _) in tiles)
            {
                if (x > Gap && x + image.Width + Gap > maxWidth)
                {
                    (x, y, rowHeight) = (Gap, y + rowHeight + LabelHeight + Gap, 0);
                }
                placements.Add((x, y));
                x += image.Width + Gap;
                width = Math.Max(width, x);
                rowHeight = Math.Max(rowHeight, image.Height);
            }
            var height = y + rowHeight + LabelHeight + Gap;
            var sheet = Layers.Solid(width, height, new RgbColour(0xe9, 0xec, 0xef));
            for (var i = 0; i < tiles.Count; i++)
            {
                var (image, label) = tiles[i];
                var (tx, ty) = placements[i];
                var next = Layers.Place(sheet, image, tx, ty);
                sheet.Dispose();
                using var text = new VipsImage(
                    Image.Text(SecurityElement.Escape(label), font: "Inter Medium 15px", dpi: 72));
                sheet = Layers.PaintMask(next, text, tx, ty + image.Height + 8, new RgbColour(0x49, 0x50, 0x57));
                next.Dispose();
            }
            using (sheet) return sheet.CopyToMemory();
        }
        finally
        {
            foreach (var (image, _) in tiles) image.Dispose();
        }
    }
}
