using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Generation.Manifest;

/// <summary>
/// A conditional GAN described as data: latent size, image geometry, the condition schema and the layers of the
/// generator and discriminator. Input channels are inferred layer by layer; see models/reference/manifest.json.
/// </summary>
public sealed record CganManifest
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Name { get; init; }

    public required int LatentDim { get; init; }

    public required int ImageSize { get; init; }

    public int Channels { get; init; } = 3;

    /// <summary>"dcgan" (N(0, 0.02) convolutions, N(1, 0.02) BatchNorm scales) or "pytorch" (PyTorch's defaults).</summary>
    public string Init { get; init; } = "dcgan";

    public required IReadOnlyList<ConditionSpec> Conditions { get; init; }

    public required NetworkSpec Generator { get; init; }

    public required NetworkSpec Discriminator { get; init; }

    /// <summary>Set in a trained model version's manifest: data hash, hyper-parameters, engine version.</summary>
    public Training.TrainingRecord? Training { get; init; }

    public Training.ModelCard? Card { get; init; }

    public static CganManifest Load(string path)
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

    public static CganManifest Parse(string json)
    {
        CganManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CganManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ManifestException($"invalid manifest JSON{(e.Path is null ? "" : $" at {e.Path}")}: {e.Message}", e);
        }

        if (manifest is null)
            throw new ManifestException("the manifest is empty (null).");
        manifest.Validate();
        return manifest;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    [JsonIgnore]
    public ConditionSchema Schema => new(Conditions);

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ManifestException("name must not be empty.");
        if (LatentDim < 1)
            throw new ManifestException($"latentDim must be at least 1 (got {LatentDim}).");
        if (ImageSize < 1 || Channels < 1)
            throw new ManifestException($"imageSize and channels must be at least 1 (got {ImageSize}, {Channels}).");
        if (Init is not ("dcgan" or "pytorch"))
            throw new ManifestException($"init must be \"dcgan\" or \"pytorch\" (got \"{Init}\").");
        _ = new ConditionSchema(Conditions);
        Generator.Validate("generator");
        Discriminator.Validate("discriminator");
    }
}

public sealed record NetworkSpec
{
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>Discriminator only: spectral norm on every convolution/linear layer and the head (default true).</summary>
    public bool SpectralNorm { get; init; } = true;

    internal void Validate(string network)
    {
        if (Layers is null || Layers.Count == 0)
            throw new ManifestException($"{network}.layers must list at least one layer.");
        for (var i = 0; i < Layers.Count; i++)
            Layers[i].Validate($"{network}.layers[{i}]");
    }
}

public sealed record LayerSpec
{
    public static readonly string[] Types =
        ["convTranspose2d", "conv2d", "linear", "batchNorm2d", "relu", "leakyRelu", "tanh", "sigmoid", "flatten"];

    public required string Type { get; init; }

    public int? Out { get; init; }

    public int Kernel { get; init; } = 1;

    public int Stride { get; init; } = 1;

    public int Padding { get; init; }

    public int OutputPadding { get; init; }

    public bool Bias { get; init; } = true;

    /// <summary>LeakyReLU's negative slope.</summary>
    public float Slope { get; init; } = 0.2f;

    internal bool HasWeights => Type is "convTranspose2d" or "conv2d" or "linear";

    internal void Validate(string where)
    {
        if (!Types.Contains(Type))
            throw new ManifestException($"{where}.type \"{Type}\" is unknown; use one of {string.Join(", ", Types)}.");
        if (HasWeights && Out is not > 0)
            throw new ManifestException($"{where} ({Type}) needs \"out\" ≥ 1.");
        if (Type is "convTranspose2d" or "conv2d" && (Kernel < 1 || Stride < 1 || Padding < 0))
            throw new ManifestException($"{where}: kernel and stride must be ≥ 1 and padding ≥ 0.");
        if (OutputPadding != 0 && (Type != "convTranspose2d" || OutputPadding < 0 || OutputPadding >= Stride))
            throw new ManifestException($"{where}: outputPadding applies to convTranspose2d and must be in [0, stride).");
    }
}

public sealed class ManifestException(string message, Exception? inner = null) : Exception(message, inner);
