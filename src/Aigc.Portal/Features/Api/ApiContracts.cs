using System.ComponentModel;
using System.Text.Json;
using Aigc.Platform.Data;

namespace Aigc.Portal.Features.Api;

/// <summary>The body of POST /api/generations. Condition values may be JSON strings or numbers.</summary>
public sealed record GenerationSubmission(
    [property: Description("\"NAME\" (its active version), \"NAME@VERSION\" or a weights SHA-256; see GET /api/models.")] string? Model,
    [property: Description("Condition name → value (string, or number for numeric conditions), e.g. {\"part\":\"spur_gear\",\"view\":\"front\",\"complexity\":\"low\"}.")] Dictionary<string, JsonElement>? Conditions,
    [property: Description("Images to make, 1 to Queue:MaxImagesPerJob.")] int? Count,
    [property: Description("Image i gets seed + i; random when left out.")] long? Seed = null,
    [property: Description("Post-processing preset; \"default\" when left out.")] string? Preset = null,
    [property: Description("\"interactive\" (default) or \"bulk\" (runs after interactive work).")] string? Priority = null,
    [property: Description("Start from a drawing: the sketch recipe (decision 0021).")] SketchSubmission? Sketch = null);

/// <summary>
/// A sketch recipe: <see cref="Image"/> (a drawing, read by the model's encoder: its recovered conditions fill the
/// ones not given) or <see cref="Latent"/> (a sketch job's, to vary it again); with <see cref="Strength"/>, count
/// variants around it, else its one closest image.
/// </summary>
public sealed record SketchSubmission(
    [property: Description("The drawing's file (PNG, JPEG, WebP or SVG, at most 8 MiB) in base64.")] string? Image = null,
    [property: Description("A sketch job's sketchLatent, instead of an image.")] string? Latent = null,
    [property: Description("Variants around the drawing at this strength (0 to 1); none: its closest image.")] double? Strength = null,
    [property: Description("Variant i mixes in the latent of variationSeed + i; random when left out.")] long? VariationSeed = null);

/// <summary>A model version as jobs and blueprints name it; name and version are null only if the row has gone.</summary>
public sealed record ModelReference(string? Name, string? Version, string Sha256);

/// <summary>A stored image of a job.</summary>
public sealed record JobImage(Guid Id, int Index, long Seed, string Url);

/// <summary>A generation job as its owner sees it. <see cref="ImagesAhead"/> is set only while it is queued.</summary>
public sealed record JobView(
    Guid Id,
    JobStatus Status,
    ModelReference Model,
    IReadOnlyDictionary<string, string> Conditions,
    int Count,
    long Seed,
    string Preset,
    JobPriority Priority,
    int ImagesDone,
    int? ImagesAhead,
    double? EtaSeconds,
    string? Error,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    IReadOnlyList<JobImage> Images,
    [property: Description("A sketch job's latent (base64 float32): submit it as sketch.latent for more variants.")]
    string? SketchLatent = null);

/// <summary>One page of the requester's jobs, newest first.</summary>
public sealed record JobPage(int Page, int PageSize, int Total, IReadOnlyList<JobView> Items);

public sealed record BlueprintView(
    Guid Id,
    Guid JobId,
    int Index,
    long Seed,
    IReadOnlyDictionary<string, string> Conditions,
    ModelReference Model,
    string Preset,
    int Width,
    int Height,
    long Bytes,
    string Sha256,
    DateTime CreatedAt,
    string ImageUrl,
    string ThumbnailUrl);

/// <summary>A condition of a model's schema: categorical with its values, or numeric with its range.</summary>
public sealed record ConditionView(string Name, string Kind, IReadOnlyList<string>? Values, double? Min, double? Max);

public sealed record ModelView(
    string Name,
    string Version,
    string Sha256,
    ModelVersionStatus Status,
    IReadOnlyList<ConditionView> Conditions,
    IReadOnlyCollection<string> Presets);
