namespace Aigc.Imaging.Ads;

/// <summary>A rectangle in canvas pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool Contains(PixelRect other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    public override string ToString() => $"({X},{Y} {Width}×{Height})";
}
