using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Aigc.Platform.Api;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Aigc.Platform.Sketches;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>/api/generations: submit, read, follow (SSE), cancel and list jobs. Someone else's job answers 404.</summary>
internal static class GenerationApiEndpoints
{
    public static RouteGroupBuilder MapGenerationApi(this RouteGroupBuilder api)
    {
        var generations = api.MapGroup("/generations").WithTags("Generations");

        generations.MapPost("", SubmitAsync)
            .Accepts<GenerationSubmission>("application/json")
            .Produces<JobView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Queues a generation job.");

        generations.MapGet("", async (string? status, int? page, HttpContext context, ApiQueries queries) =>
            {
                JobStatus? wanted = null;
                if (status is not null)
                {
                    if (ParseStatus(status) is not { } parsed)
                        return ApiProblems.Invalid("status", $"Unknown status \"{status}\"; statuses are {string.Join(", ", Enum.GetNames<JobStatus>().Select(n => n.ToLowerInvariant()))}.");
                    wanted = parsed;
                }

                if (page is < 1)
                    return ApiProblems.Invalid("page", $"page starts at 1 (got {page}).");
                var jobs = await queries.JobsAsync(context.User.ToRequester(), wanted, page ?? 1, ApiViews.PageSize,
                    context.RequestAborted);
                return Results.Ok(ApiViews.Jobs(page ?? 1, jobs));
            })
            .Produces<JobPage>()
            .ProducesValidationProblem()
            .WithSummary("Your jobs, newest first, 20 a page.");

        generations.MapGet("/{id:guid}", async (Guid id, HttpContext context, ApiQueries queries) =>
                await queries.FindJobAsync(id, context.User.ToRequester(), context.RequestAborted) is { } job
                    ? Results.Ok(ApiViews.Job(job))
                    : ApiProblems.NotFound("generation"))
            .Produces<JobView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A job: status, position, ETA and its images so far.");

        generations.MapGet("/{id:guid}/events", async (Guid id, HttpContext context, GenerationQueue queue,
                JobProgressFeed feed, ApiQueries queries) =>
            {
                var requester = context.User.ToRequester();
                if (await queue.GetAsync(id, requester, context.RequestAborted) is not { } job)
                    return ApiProblems.NotFound("generation");
                return TypedResults.ServerSentEvents(StreamAsync(job, requester, feed, queries, context.RequestAborted));
            })
            .Produces<JobView>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Server-Sent Events: \"progress\" with the job on every change, then \"done\" with the final job; the stream then ends.");

        generations.MapDelete("/{id:guid}", async (Guid id, HttpContext context, GenerationQueue queue,
                ApiQueries queries) =>
            {
                var requester = context.User.ToRequester();
                if (await queue.GetAsync(id, requester, context.RequestAborted) is null)
                    return ApiProblems.NotFound("generation");
                var cancelled = await queue.CancelAsync(id, requester, context.RequestAborted);
                var view = await queries.FindJobAsync(id, requester, context.RequestAborted) is { } job
                    ? ApiViews.Job(job)
                    : null;
                if (!cancelled)
                    return ApiProblems.Conflict($"The job has already ended ({view?.Status.ToString().ToLowerInvariant()}); nothing was changed.");
                return Results.Json(view, statusCode: StatusCodes.Status202Accepted);
            })
            .Produces<JobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancels a queued or running job; images already made stay.");

        generations.MapPost("/{id:guid}/retry", RetryAsync)
            .Produces<JobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Queues again a job that failed for an infrastructure reason (storage, database, lost workers); "
                + "its images so far stay.");

        return generations;
    }

    private static async Task<IResult> RetryAsync(
        Guid id, HttpContext context, GenerationQueue queue, ApiQueries queries)
    {
        var requester = context.User.ToRequester();
        if (await queue.GetAsync(id, requester, context.RequestAborted) is not { } job)
            return ApiProblems.NotFound("generation");
        if (!GenerationQueue.CanRetry(job))
        {
            return ApiProblems.Conflict(job.Status == JobStatus.Failed
                ? "The job failed because of the job itself, not the service; change the request and submit it again."
                : $"Only a failed job can be retried; this one is {job.Status.ToString().ToLowerInvariant()}.");
        }

        try
        {
            if (!await queue.RetryAsync(id, requester, context.RequestAborted))
                return ApiProblems.Conflict("The job changed meanwhile (retried by someone else); nothing was changed.");
        }
        catch (GenerationRefusedException refusal)
        {
            return ApiProblems.Refused(refusal, context);
        }

        var view = await queries.FindJobAsync(id, requester, context.RequestAborted) is { } retried
            ? ApiViews.Job(retried)
            : null;
        return Results.Json(view, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, GenerationQueue queue, ApiQueries queries, SketchReader sketches, ILoggerFactory loggers)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The body must be a JSON object with Content-Type: application/json.");
        }

        GenerationSubmission? submission;
        try
        {
            submission = await context.Request.ReadFromJsonAsync<GenerationSubmission>(context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // The body came slower than Kestrel's minimum data rate: the client's problem, not an error of ours.
            loggers.CreateLogger(typeof(GenerationApiEndpoints))
                .LogDebug("A generation request's body came too slowly: {Reason}", e.Message);
            return Results.Problem(statusCode: StatusCodes.Status408RequestTimeout,
                title: "The request body came too slowly", detail: "Send the whole body at once.");
        }
        catch (Exception e) when (e is IOException or OperationCanceledException
                                  && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-body: there is no one to answer.
            loggers.CreateLogger(typeof(GenerationApiEndpoints))
                .LogDebug("A generation request's client went away: {Reason}", e.Message);
            return Results.Empty;
        }
        catch (JsonException e)
        {
            // A syntax error comes wrapped around the reader's own JsonException; a value of the wrong type names its path.
            var field = e.InnerException is JsonException ? null : FieldOf(e.Path);
            return field is null
                ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON", detail: e.Message)
                : ApiProblems.Invalid(field, $"{field} has the wrong type or form ({e.Message}).");
        }

        if (submission is null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON", detail: "The body must be a JSON object.");
        if (string.IsNullOrWhiteSpace(submission.Model))
            return ApiProblems.Invalid("model", "model is required: a name (e.g. \"blueprints-64\"), NAME@VERSION or a weights SHA-256.");
        if (submission.Count is not { } count)
            return ApiProblems.Invalid("count", "count is required: the number of images.");
        var priority = submission.Priority?.ToLowerInvariant() switch
        {
            null or "interactive" => JobPriority.Interactive,
            "bulk" => JobPriority.Bulk,
            _ => (JobPriority?)null,
        };
        if (priority is null)
            return ApiProblems.Invalid("priority", $"Unknown priority \"{submission.Priority}\"; priorities are interactive, bulk.");

        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in submission.Conditions ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    conditions[name] = value.GetString()!;
                    break;
                case JsonValueKind.Number:
                    conditions[name] = value.GetRawText();
                    break;
                default:
                    return ApiProblems.Invalid($"conditions.{name}", $"conditions.{name} must be a string or a number.");
            }
        }

        var requester = context.User.ToRequester();
        GenerationJob job;
        try
        {
            var request = new GenerationRequest(submission.Model, conditions, count, submission.Seed, submission.Preset, priority.Value);
            if (submission.Sketch is { } sketch)
            {
                if (await SketchRequestAsync(request, sketch, sketches, requester, context.RequestAborted) is not { } withSketch)
                    return ApiProblems.Invalid("sketch", "sketch needs image (a drawing's file in base64) or latent (a sketch job's sketchLatent).");
                request = withSketch;
            }

            job = await queue.EnqueueAsync(request, requester, context.RequestAborted);
        }
        catch (GenerationRefusedException refusal)
        {
            return ApiProblems.Refused(refusal, context);
        }

        // Built from the row just inserted: only its position in the queue is read.
        var view = ApiViews.Job(await queries.ReadAsync(job, context.RequestAborted));
        return Results.Accepted($"/api/generations/{job.Id}", view);
    }

    /// <summary>
    /// The request with a sketch recipe; a drawing is read first, its recovered conditions filling those not given.
    /// Null when the sketch has neither an image nor a latent.
    /// </summary>
    private static async Task<GenerationRequest?> SketchRequestAsync(GenerationRequest request, SketchSubmission sketch,
        SketchReader sketches, Requester requester, CancellationToken cancellationToken)
    {
        GenerationRecipe Recipe(string latent) => sketch.Strength is { } strength
            ? GenerationRecipe.Sketch(latent, strength, sketch.VariationSeed)
            : GenerationRecipe.Sketch(latent);
        if (sketch.Image is null)
            return sketch.Latent is { } given ? request with { Recipe = Recipe(given) } : null;
        byte[] file;
        try
        {
            file = Convert.FromBase64String(sketch.Image);
        }
        catch (FormatException)
        {
            throw new GenerationRefusedException(RefusalKind.Invalid, new Refusal("SketchImageBase64", "sketch.image"));
        }

        var reading = await sketches.ReadAsync(request.Model, file, requester, cancellationToken);
        var conditions = new Dictionary<string, string>(reading.Conditions, StringComparer.Ordinal);
        foreach (var (name, value) in request.Conditions)
            conditions[name] = value;
        return request with { Model = reading.ModelSha256, Conditions = conditions, Recipe = Recipe(reading.Latent) };
    }

    /// <summary>What a request fixed (model, conditions, seed…) is taken from the row the endpoint read; the feed gives the rest.</summary>
    private static async IAsyncEnumerable<SseItem<JobView>> StreamAsync(
        GenerationJob job, Requester requester, JobProgressFeed feed, ApiQueries queries,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobView? last = null;
        await foreach (var progress in feed.WatchAsync(job.Id, requester, cancellationToken))
        {
            last = last is null
                ? ApiViews.Job(job, progress, await queries.ModelNameAsync(job.ModelSha256, cancellationToken))
                : ApiViews.Progressed(last, progress);
            yield return new SseItem<JobView>(last, "progress");
        }

        // The feed ends after the final state; "done" tells the client not to reconnect.
        if (last is { Status: JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled })
            yield return new SseItem<JobView>(last, "done");
    }

    private static JobStatus? ParseStatus(string text) =>
        Enum.GetValues<JobStatus>().Cast<JobStatus?>().FirstOrDefault(s => string.Equals(s.ToString(), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>"$.count" → "count", "$.conditions.part" → "conditions.part"; null for the body as a whole.</summary>
    private static string? FieldOf(string? path) =>
        path is null || !path.StartsWith("$.", StringComparison.Ordinal) ? null : path[2..];
}
