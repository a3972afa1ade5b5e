namespace Aigc.Generation.Manifest;

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
