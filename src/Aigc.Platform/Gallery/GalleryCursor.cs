using System.Globalization;

namespace Aigc.Platform.Gallery;

/// <summary>
/// Where the next window of the grid starts: the sort key of the last item shown. Phase 0/1 are favourites / the
/// rest when sorting by favourite; Model is the seek key when sorting by model. Opaque to clients.
/// </summary>
public sealed record GalleryCursor(int Phase, string Model, DateTime CreatedAt, Guid Id)
{
    public override string ToString() =>
        $"{Phase}.{(Model.Length == 0 ? "-" : Model)}.{CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}.{Id:N}";

    public static GalleryCursor Parse(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4 || parts[0] is not ("0" or "1")
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[3], "N", out var id))
            throw new FormatException($"\"{text}\" is not a gallery cursor.");
        return new GalleryCursor(parts[0] == "1" ? 1 : 0, parts[1] == "-" ? "" : parts[1], new DateTime(ticks, DateTimeKind.Utc), id);
    }
}
