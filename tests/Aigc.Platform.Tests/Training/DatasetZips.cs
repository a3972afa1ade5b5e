using System.IO.Compression;
using System.Security.Claims;
using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;

namespace Aigc.Platform.Tests.Training;

/// <summary>Small synthetic drawing archives (two part classes), good and hostile, and the people who upload them.</summary>
public static class DatasetZips
{
    public static readonly ClaimsPrincipal Trainer = Person("trainer-1", "trainer@example.com", PortalRoles.Trainer);
    public static readonly ClaimsPrincipal Admin = Person("admin-1", "admin@example.com", PortalRoles.Admin);
    public static readonly ClaimsPrincipal Designer = Person("designer-1", "designer@example.com", PortalRoles.Designer);

    public static ClaimsPrincipal Person(string id, string name, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    /// <summary>(entry name, label, PNG bytes): perClass drawings of spur gears and flanges; every third one dark on light.</summary>
    /// <param name="labelIndex">Which of the synthesizer's labels image i gets (views cycle, then complexities).</param>
    public static List<(string Name, BlueprintLabel Label, byte[] Png)> Drawings(int perClass = 8, int size = 64, ulong seed = 5,
        Func<int, int>? labelIndex = null)
    {
        var result = new List<(string, BlueprintLabel, byte[])>();
        foreach (var part in new[] { 0, 1 })
        {
            for (var i = 0; i < perClass; i++)
            {
                var label = BlueprintSynthesizer.LabelFor(part, labelIndex?.Invoke(i) ?? i);
                var png = BlueprintSynthesizer.RenderPng(label, seed, part * 1000 + i, size);
                if (i % 3 == 0)
                    png = Inverted(png);
                result.Add(($"drawings/{label.Part}-{i:D2}.png", label, png));
            }
        }

        return result;
    }

    /// <summary>The same drawing as black lines on white paper.</summary>
    public static byte[] Inverted(byte[] png)
    {
        using var image = Imaging.VipsImage.Decode(png);
        using var grey = image.ToGreyscale();
        var pixels = grey.ToPixels();
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(255 - pixels[i]);
        using var inverted = Imaging.VipsImage.FromPixels(pixels, grey.Width, grey.Height, 1);
        return inverted.EncodePng();
    }

    public static string LabelsCsv(IEnumerable<(string Name, BlueprintLabel Label, byte[] Png)> drawings) =>
        DatasetFolder.LabelsHeader + "\n" + string.Concat(drawings.Select(d => $"{d.Name},{d.Label.Part},{d.Label.View},{d.Label.Complexity}\n"));

    /// <summary>A ZIP with labels.csv and the drawings, plus any extra entries.</summary>
    public static string Write(string folder, IEnumerable<(string Name, BlueprintLabel Label, byte[] Png)> drawings, string? labels = null,
        params (string Name, byte[] Bytes)[] extra)
    {
        var list = drawings.ToList();
        var files = list.Select(d => (d.Name, d.Png)).ToList();
        files.Insert(0, ("labels.csv", System.Text.Encoding.UTF8.GetBytes(labels ?? LabelsCsv(list))));
        files.AddRange(extra);
        return WriteFiles(folder, files);
    }

    public static string WriteFiles(string folder, IEnumerable<(string Name, byte[] Bytes)> files)
    {
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in files)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            stream.Write(bytes);
        }

        return path;
    }
}
