using System.Security.Cryptography;

namespace Aigc.Platform.Models;

/// <summary>
/// Where a registered version's files live: <c>&lt;data&gt;/models/&lt;sha256&gt;/</c> with manifest.json and
/// generator.safetensors, the same names as a shipped or uploaded version folder.
/// </summary>
public sealed class ModelFiles(string dataDirectory)
{
    public const string ManifestFileName = "manifest.json";
    public const string WeightsFileName = "generator.safetensors";
    public const string ModelCardFileName = "model-card.md";
    public const string LicenseFileName = "LICENSE";
    public const string MetricsFileName = "metrics.json";
    public const string SamplesFileName = "samples.png";

    /// <summary>The sketch encoder trained for the version's generator (decision 0021); optional.</summary>
    public const string EncoderFileName = "encoder.safetensors";

    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "models");

    public string FolderOf(string sha256) => Path.Combine(Root, sha256);

    public string WeightsOf(string sha256) => Path.Combine(FolderOf(sha256), WeightsFileName);

    public string EncoderOf(string sha256) => Path.Combine(FolderOf(sha256), EncoderFileName);

    /// <summary>
    /// Copies the source folder's sketch encoder in beside an installed generator that has none yet (a version
    /// registered before its encoder shipped gets it at the next start); a version without one offers no sketches.
    /// </summary>
    public void InstallEncoder(string sha256, string sourceFolder)
    {
        var source = Path.Combine(sourceFolder, EncoderFileName);
        var target = EncoderOf(sha256);
        if (!File.Exists(source) || File.Exists(target) || !Directory.Exists(FolderOf(sha256)))
            return;
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.Copy(source, temp);
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Copies a validated folder's two files in under the hash, through a temporary folder renamed into place.</summary>
    public void Install(string sha256, string manifestJson, string weightsPath)
    {
        var target = FolderOf(sha256);
        if (Directory.Exists(target))
            return;
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".{sha256}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllText(Path.Combine(temp, ManifestFileName), manifestJson);
            File.Copy(weightsPath, Path.Combine(temp, WeightsFileName));
            Directory.Move(temp, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
        }
        finally
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
        }
    }
}
