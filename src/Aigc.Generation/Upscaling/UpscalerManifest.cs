using System.Text.Json;
using System.Text.Json.Serialization;
using Aigc.Generation.Manifest;

namespace Aigc.Generation.Upscaling;

/// <summary>
/// A learned line-art upscaler described as data (see models/upscalers/manifest-x4.json): a residual network computed
/// at the input size whose last convolution emits scale² sub-pixels per input pixel (pixel shuffle).
/// </summary>
public sealed record UpscalerManifest
{
    public const string UpscalerKind = "upscaler";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Always "upscaler": tells `aigc train` and the registry this is not a generator manifest.</summary>
    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>Side of the square grey input (the generator's image size).</summary>
    public required int InputSize { get; init; }

    /// <summary>Output side = InputSize · Scale.</summary>
    public required int Scale { get; init; }

    /// <summary>Channels of the hidden convolutions.</summary>
    public required int Features { get; init; }

    /// <summary>Residual blocks (conv 3×3, ReLU, conv 3×3) between the head and the sub-pixel tail.</summary>
    public required int Blocks { get; init; }

    public float ResidualScale { get; init; } = 1f;

    /// <summary>
    /// Per block, the dilations of its two convolutions (each padded by its dilation, so the size stays), e.g.
    /// [[1, 2], [1, 2]]. Absent: every convolution undilated, the networks shipped before dilation existed.
    /// </summary>
    public int[][]? Dilations { get; init; }

    public UpscalerTrainingRecord? Training { get; init; }

    public UpscalerMetrics? Metrics { get; init; }

    [JsonIgnore]
    public int OutputSize => InputSize * Scale;

    /// <summary>The dilation of block <paramref name="block"/>'s convolution 0 or 1 (1 when none is given).</summary>
    public int DilationOf(int block, int conv) => Dilations is null ? 1 : Dilations[block][conv];

    public static UpscalerManifest Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (ManifestException e)
        {
            throw new ManifestException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>True when the JSON file declares "kind": "upscaler" (generator manifests have no kind).</summary>
    public static bool IsUpscaler(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.ValueKind == JsonValueKind.Object &&
               doc.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String &&
               kind.GetString() == UpscalerKind;
    }

    public static UpscalerManifest Parse(string json)
    {
        UpscalerManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<UpscalerManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ManifestException($"Invalid upscaler manifest: {e.Message}", e);
        }

        if (manifest is null)
            throw new ManifestException("Invalid upscaler manifest: empty document.");
        manifest.Validate();
        return manifest;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private void Validate()
    {
        if (Kind != UpscalerKind)
            throw new ManifestException($"kind must be \"{UpscalerKind}\", got \"{Kind}\".");
        if (string.IsNullOrWhiteSpace(Name))
            throw new ManifestException("name is required.");
        if (InputSize is < 8 or > 256)
            throw new ManifestException($"inputSize must be between 8 and 256, got {InputSize}.");
        if (Scale is not (2 or 4 or 8))
            throw new ManifestException($"scale must be 2, 4 or 8, got {Scale}.");
        if (Features is < 1 or > 256)
            throw new ManifestException($"features must be between 1 and 256, got {Features}.");
        if (Blocks is < 0 or > 32)
            throw new ManifestException($"blocks must be between 0 and 32, got {Blocks}.");
        if (!(ResidualScale > 0 && ResidualScale <= 1))
            throw new ManifestException($"residualScale must be in (0, 1], got {ResidualScale}.");
        if (Dilations is not null && (Dilations.Length != Blocks || Dilations.Any(d => d is null || d.Length != 2)))
            throw new ManifestException($"dilations must list two values for each of the {Blocks} blocks.");
        if (Dilations is not null && Dilations.SelectMany(d => d).Any(d => d is < 1 or > 16))
            throw new ManifestException("dilations must be between 1 and 16.");
    }
}

/// <summary>How an upscaler version was trained, recorded in its manifest so the run can be traced and repeated.</summary>
public sealed record UpscalerTrainingRecord
{
    public required string DataGenerator { get; init; }

    public required ulong DataSeed { get; init; }

    public required int Drawings { get; init; }

    public required string Degradation { get; init; }

    public required int Steps { get; init; }

    public required int BatchSize { get; init; }

    public required int CropSize { get; init; }

    public required float LearningRate { get; init; }

    public required ulong Seed { get; init; }

    public required double FinalLoss { get; init; }

    public required string EngineVersion { get; init; }

    public required double TrainingSeconds { get; init; }

    public required string Machine { get; init; }

    public required string FinishedUtc { get; init; }
}

/// <summary>Held-out figures written after training (<see cref="UpscalerBenchmark"/>), shown on the model card.</summary>
public sealed record UpscalerMetrics
{
    public required ulong HeldOutSeed { get; init; }

    public required int Drawings { get; init; }

    public required LineQuality Degraded { get; init; }

    public required LineQuality Clean { get; init; }
}
