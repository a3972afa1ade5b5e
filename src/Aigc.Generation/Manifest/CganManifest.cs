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
        if (Generator.Pack is not null)
            throw new ManifestException("generator.pack: packing is a discriminator setting.");
    }
}
