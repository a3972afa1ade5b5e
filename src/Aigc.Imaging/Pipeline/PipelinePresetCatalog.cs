using Aigc.Imaging.Pipeline.Steps;

namespace Aigc.Imaging.Pipeline;

/// <summary>
/// The presets from configuration plus the built-in <c>default</c> (upscale to 256 with the learned line upscaler, or
/// Lanczos 3 when none is shipped; sharpen; PNG with metadata),
/// all validated when the catalog is built: a bad preset fails start-up, not the first image.
/// </summary>
public sealed class PipelinePresetCatalog : IDisposable
{
    public const string DefaultPresetName = "default";

    /// <summary>Step definitions of the built-in default preset; configuration may redefine "default".</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> DefaultDefinition { get; } =
    [
        new Dictionary<string, string> { ["step"] = "upscale", ["size"] = "256", ["kernel"] = "learned" },
        new Dictionary<string, string> { ["step"] = "sharpen" },
        new Dictionary<string, string> { ["step"] = "encode", ["format"] = "png" },
    ];

    public static IReadOnlyList<string> StepNames { get; } = ["upscale", "sharpen", "denoise", "levels", "blueprint", "watermark", "aspect", "thumbnail", "encode"];

    private readonly Dictionary<string, PipelinePreset> _presets;

    private PipelinePresetCatalog(Dictionary<string, PipelinePreset> presets) => _presets = presets;

    public IReadOnlyCollection<string> Names => _presets.Keys.Order(StringComparer.Ordinal).ToArray();

    public PipelinePreset Get(string name) =>
        _presets.TryGetValue(name, out var preset)
            ? preset
            : throw new KeyNotFoundException($"No pipeline preset named '{name}'. Known presets: {string.Join(", ", Names)}.");

    /// <summary>Builds every preset; throws <see cref="PresetValidationException"/> listing all problems found.</summary>
    /// <param name="upscaler">The learned enlarger behind the upscale step's "learned" kernel; null: Lanczos 3 instead.</param>
    public static PipelinePresetCatalog Create(
        IReadOnlyDictionary<string, List<Dictionary<string, string>>> definitions, ImageLimits limits,
        ILineUpscaler? upscaler = null)
    {
        var errors = new List<string>();
        var presets = new Dictionary<string, PipelinePreset>(StringComparer.OrdinalIgnoreCase);
        var all = definitions.ToDictionary(d => d.Key, d => (IReadOnlyList<IReadOnlyDictionary<string, string>>)d.Value, StringComparer.OrdinalIgnoreCase);
        all.TryAdd(DefaultPresetName, DefaultDefinition);
        foreach (var (name, steps) in all)
            presets[name] = Build(name, steps, limits, upscaler, errors);
        if (errors.Count == 0) return new PipelinePresetCatalog(presets);
        foreach (var preset in presets.Values) preset.Dispose();
        throw new PresetValidationException(errors);
    }

    private static PipelinePreset Build(string name, IReadOnlyList<IReadOnlyDictionary<string, string>> definitions, ImageLimits limits,
        ILineUpscaler? upscaler, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add($"Preset '{name}': the name must be 1 to 64 letters, digits, '-' or '_'.");
        if (definitions.Count == 0)
            errors.Add($"Preset '{name}': has no steps.");
        var steps = new List<IPipelineStep>();
        for (var i = 0; i < definitions.Count; i++)
        {
            var position = i + 1;
            var values = new Dictionary<string, string>(definitions[i], StringComparer.OrdinalIgnoreCase);
            if (!values.Remove("step", out var stepName))
            {
                errors.Add($"Preset '{name}', step {position}: has no 'step' naming the step (one of {string.Join(", ", StepNames)}).");
                continue;
            }
            var parameters = new StepParameters(name, position, stepName.ToLowerInvariant(), values, errors);
            IPipelineStep? step = parameters.Step switch
            {
                "upscale" => new UpscaleStep(parameters, upscaler),
                "sharpen" => new SharpenStep(parameters),
                "denoise" => new DenoiseStep(parameters),
                "levels" => new LevelsStep(parameters),
                "blueprint" => new BlueprintStyleStep(parameters),
                "watermark" => new WatermarkStep(parameters, limits),
                "aspect" => new AspectStep(parameters),
                "thumbnail" => new ThumbnailStep(parameters),
                "encode" => new EncodeStep(parameters),
                _ => null,
            };
            if (step is null)
            {
                errors.Add($"Preset '{name}', step {position}: unknown step '{stepName}' (known: {string.Join(", ", StepNames)}).");
                continue;
            }
            parameters.RejectUnread();
            if (step is EncodeStep && position != definitions.Count)
                parameters.StepError("'encode' must be the last step");
            steps.Add(step);
        }
        return new PipelinePreset(name, steps);
    }

    public void Dispose()
    {
        foreach (var preset in _presets.Values) preset.Dispose();
    }
}
