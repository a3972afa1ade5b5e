using System.Text.Json;
using Aigc.Platform.Data;

namespace Aigc.Portal.Features.Api;

/// <summary>The body of POST /api/generations. Condition values may be JSON strings or numbers.</summary>
public sealed record GenerationSubmission(
    string? Model,
    Dictionary<string, JsonElement>? Conditions,
    int? Count,
    long? Seed = null,
    string? Preset = null,
    string? Priority = null);

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
    IReadOnlyList<JobImage> Images);

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
