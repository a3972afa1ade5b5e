using System.Text.Json;
using Aigc.Platform.Data;
using Aigc.Platform.Training;

namespace Aigc.Portal.Features.Api;

/// <summary>
/// /api/datasets and /api/training-runs for admins' and trainers' tokens: upload (a raw ZIP body; dryRun=true only
/// validates), list, read and delete datasets; start, list, read, pause, resume and cancel runs. The Platform services
/// decide (<see cref="TrainingAccess"/>, the validation report, <see cref="TrainingRefusedException"/>); the endpoints
/// map their answers to status codes. An unknown id is a 404.
/// </summary>
internal static class TrainingApiEndpoints
{
    public static RouteGroupBuilder MapTrainingApi(this RouteGroupBuilder api)
    {
        var datasets = api.MapGroup("/datasets").WithTags("Datasets");
        datasets.MapGet("", async (HttpContext context, DatasetLibrary library) =>
                Results.Ok(await library.ListAsync(context.User, context.RequestAborted)))
            .WithSummary("The datasets, by name.");
        datasets.MapPost("", UploadAsync)
            .Accepts<Stream>("application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Uploads a ZIP of drawings as the next version of dataset ?name= (dryRun=true: validate only).");
        datasets.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext context, DatasetLibrary library) =>
                await library.FindAsync(context.User, id, context.RequestAborted) is { } details
                    ? Results.Ok(DatasetView.Of(details))
                    : ApiProblems.NotFound("dataset"))
            .WithSummary("A dataset with its versions and their drawings per condition.");
        datasets.MapDelete("/{id:guid}", async Task<IResult> (Guid id, HttpContext context, DatasetLibrary library) =>
                await library.DeleteAsync(context.User, id, context.RequestAborted) ? Results.NoContent() : ApiProblems.NotFound("dataset"))
            .WithSummary("Deletes a dataset, its versions and their files.");

        var runs = api.MapGroup("/training-runs").WithTags("Training runs");
        runs.MapGet("", async (HttpContext context, TrainingRuns training) =>
                Results.Ok((await training.ListAsync(context.User, context.RequestAborted)).Select(RunView.Of)))
            .WithSummary("The latest training runs, newest first.");
        runs.MapPost("", StartAsync)
            .Accepts<TrainingRunRequest>("application/json")
            .ProducesValidationProblem()
            .WithSummary("Queues a training run below every generation.");
        runs.MapGet("/{id:guid}", async Task<IResult> (Guid id, HttpContext context, TrainingRuns training) =>
                await training.FindAsync(context.User, id, context.RequestAborted) is { } view
                    ? Results.Ok(RunView.Of(view.Run) with { Losses = view.Losses, EtaSeconds = view.EtaSeconds })
                    : ApiProblems.NotFound("training run"))
            .WithSummary("A run: status, steps, steps/s, ETA, losses, its registered version.");
        foreach (var (action, move) in new (string, Func<TrainingRuns, Func<System.Security.Claims.ClaimsPrincipal, Guid, CancellationToken, Task<bool>>>)[]
                 {
                     ("pause", t => t.PauseAsync), ("resume", t => t.ResumeAsync), ("cancel", t => t.CancelAsync),
                 })
        {
            runs.MapPost($"/{{id:guid}}/{action}", async Task<IResult> (Guid id, HttpContext context, TrainingRuns training) =>
                {
                    try
                    {
                        if (!await move(training)(context.User, id, context.RequestAborted))
                            return ApiProblems.NotFound("training run");
                    }
                    catch (TrainingRefusedException e)
                    {
                        return ApiProblems.Conflict(e.Message);
                    }

                    return Results.Ok(RunView.Of((await training.FindAsync(context.User, id, context.RequestAborted))!.Run));
                })
                .WithSummary($"{char.ToUpperInvariant(action[0])}{action[1..]}s a run.");
        }

        return api;
    }

    private static async Task<IResult> UploadAsync(string? name, bool? dryRun, HttpContext context, DatasetLibrary library)
    {
        if (dryRun != true && string.IsNullOrWhiteSpace(name))
            return ApiProblems.Invalid("name", "Name the dataset: ?name=…");
        var staged = await library.StageAsync(context.User, context.Request.Body, context.RequestAborted);
        if (staged is null)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large", detail: library.TooLarge().Detail);
        try
        {
            if (dryRun == true)
            {
                var analysis = await library.AnalyseAsync(context.User, staged, context.RequestAborted);
                return analysis.Accepted
                    ? Results.Ok(new { analysis.Drawings, analysis.ToInvert, analysis.ImageSize, analysis.Counts })
                    : Refused(analysis.Problems);
            }

            var result = await library.ImportAsync(context.User, name!, staged, $"{name}.zip", context.RequestAborted);
            return result.Version is { } version
                ? Results.Created($"/api/datasets/{version.DatasetId}", new
                {
                    datasetId = version.DatasetId, versionId = version.Id, version.Number, version.DataHash, version.ImageCount,
                    version.InvertedCount,
                })
                : Refused(result.Problems);
        }
        finally
        {
            DatasetLibrary.Discard(staged);
        }
    }

    private static async Task<IResult> StartAsync(HttpContext context, TrainingRuns training)
    {
        if (!context.Request.HasJsonContentType())
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The body must be a JSON object with Content-Type: application/json.");
        TrainingRunRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<TrainingRunRequest>(context.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiProblems.Invalid(e.Path ?? "body", $"The body is not a training run request: {e.Message}");
        }

        if (request is null)
            return ApiProblems.Invalid("body", "The body is empty.");
        try
        {
            var run = await training.StartAsync(context.User, request, context.RequestAborted);
            context.Response.Headers.Location = $"/api/training-runs/{run.Id}";
            return Results.Json(RunView.Of(run), statusCode: StatusCodes.Status202Accepted);
        }
        catch (TrainingRefusedException e)
        {
            return ApiProblems.Invalid(e.Field, e.Message);
        }
    }

    /// <summary>The validation report: 400 with every problem (kind, file, particulars).</summary>
    private static IResult Refused(IReadOnlyList<DatasetProblem> problems) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The dataset was not accepted; nothing was stored.",
            detail: $"{problems.Count} problem(s).",
            extensions: new Dictionary<string, object?>
            {
                ["problems"] = problems.Select(p => new { kind = p.Kind.ToString(), entry = p.Entry, detail = p.Detail }).ToList(),
            });

    private sealed record DatasetView(Guid Id, string Name, IReadOnlyList<DatasetVersionView> Versions)
    {
        public static DatasetView Of(DatasetDetails details) => new(details.Id, details.Name, details.Versions
            .Select(v => new DatasetVersionView(v.Version.Id, v.Version.Number, v.Version.DataHash, v.Version.ImageCount, v.Version.InvertedCount,
                v.Version.CreatedAt, v.Counts)).ToList());
    }

    private sealed record DatasetVersionView(Guid Id, int Number, string DataHash, int Images, int Inverted, DateTime CreatedAt,
        IReadOnlyList<ConditionCount> Counts);

    private sealed record RunView(Guid Id, string Model, string Version, string Dataset, string DataHash, string Status, int Steps,
        int StepsDone, double? StepsPerSecond, int CheckpointStep, string? ModelSha256, string? Error, DateTime CreatedAt,
        DateTime? CompletedAt)
    {
        public IReadOnlyList<LossPoint>? Losses { get; init; }

        public double? EtaSeconds { get; init; }

        public static RunView Of(TrainingRun run) => new(run.Id, run.ModelName, run.VersionLabel, run.DatasetName, run.DataHash,
            run.Status.ToString().ToLowerInvariant(), run.Steps, run.StepsDone, run.StepsPerSecond, run.CheckpointStep, run.ModelSha256,
            run.Error, run.CreatedAt, run.CompletedAt);
    }
}
