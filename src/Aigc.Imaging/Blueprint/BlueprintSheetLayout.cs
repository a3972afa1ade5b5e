namespace Aigc.Imaging.Blueprint;

/// <summary>Geometry of a blueprint sheet for a drawing of a given size; every length scales with the drawing width.</summary>
public sealed record BlueprintSheetLayout(int DrawingWidth, int DrawingHeight, int GridSpacing)
{
    /// <summary>Paper between the sheet edge and the drawing area.</summary>
    public int Margin => Math.Max(16, DrawingWidth / 16);

    /// <summary>Gap between the drawing area and the frame drawn around it, so extracted lines never touch the frame.</summary>
    public int FrameGap => Math.Max(4, Margin / 4);

    public int TitleBlockHeight => Math.Max(80, (int)Math.Round(DrawingWidth * 0.18));

    public int TitleBlockTop => Margin + DrawingHeight + FrameGap * 2;

    public int TitleBlockLeft => Margin - FrameGap;

    public int TitleBlockWidth => DrawingWidth + 2 * FrameGap;

    public int SheetWidth => DrawingWidth + 2 * Margin;

    public int SheetHeight => TitleBlockTop + TitleBlockHeight + Margin;

    /// <summary>Left of the drawing area; grid lines lie at DrawingLeft + k·GridSpacing.</summary>
    public int DrawingLeft => Margin;

    public int DrawingTop => Margin;
}
