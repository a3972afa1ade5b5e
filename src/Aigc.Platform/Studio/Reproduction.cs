using Aigc.Imaging;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Studio;

/// <summary>What a portal PNG says was made: enough to fill the Studio and make the same image again.</summary>
public sealed record Reproduction(
    string ModelSha256, IReadOnlyDictionary<string, string> Conditions, long Seed, string Preset,
        GenerationRecipe? Recipe);

/// <summary>Why an upload cannot be reproduced; the web words each one in the user's language.</summary>
public enum ReproduceProblem
{
    Empty,
    TooLarge,
    NotPng,
    Damaged,
    NoMetadata,
    UnknownModel,
    ModelNotUsable,
    BadRecipe,
}

/// <summary>A refused upload: the problem, and the detail (sizes, the model's name) its message needs.</summary>
public sealed class ReproduceRefusedException(ReproduceProblem problem,
    string detail = "") : Exception($"{problem}: {detail}")
{
    public ReproduceProblem Problem { get; } = problem;

    public string Detail { get; } = detail;
}

internal static class ReproductionReader
{
    /// <summary>Reads at most <paramref name="maxBytes"/> + 1 bytes: a larger stream is refused without reading
    /// it all.</summary>
    public static async Task<byte[]> ReadLimitedAsync(Stream upload, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new ReproduceRefusedException(ReproduceProblem.TooLarge, $"{maxBytes / 1024}");
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
            throw new ReproduceRefusedException(ReproduceProblem.Empty);
        return buffer.ToArray();
    }

    public static BlueprintMetadata Metadata(byte[] bytes)
    {
        if (ImageFormatSniffer.Detect(bytes) != ImageFormat.Png)
            throw new ReproduceRefusedException(ReproduceProblem.NotPng);
        try
        {
            return BlueprintMetadata.Read(bytes) ?? throw new ReproduceRefusedException(ReproduceProblem.NoMetadata);
        }
        catch (InvalidDataException e)
        {
            throw new ReproduceRefusedException(ReproduceProblem.Damaged, e.Message);
        }
    }
}
