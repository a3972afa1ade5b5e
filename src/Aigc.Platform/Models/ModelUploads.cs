using System.Security.Claims;
using Aigc.Platform.Data;
using Aigc.Platform.Refusals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Models;

public enum UploadProblem
{
    /// <summary>The files together exceed Registry:MaxUploadMegabytes.</summary>
    TooLarge,
    /// <summary>A required file (manifest, weights) was not given.</summary>
    Missing,
    /// <summary>No version label.</summary>
    NoLabel,
    /// <summary>The registry refused the version; <see cref="UploadRefusal.Detail"/> says why.</summary>
    Rejected,
}

/// <summary>Why an upload was refused, next to the field it concerns (manifest, weights, card, …, version);
/// <see cref="Reason"/> is the registry's refusal where it gave one.</summary>
public sealed record UploadRefusal(string Field, UploadProblem Problem, string? Detail = null, Refusal? Reason = null);

/// <summary>One chosen file: its form field, its size as the client says, and how to open it with a byte cap.</summary>
public sealed record ModelUploadFile(string Field, long Size, Func<long, CancellationToken, Stream> Open);

public sealed record ModelUploadResult(ModelVersion? Registered, IReadOnlyList<UploadRefusal> Refusals);

/// <summary>
/// An uploaded version: each file is streamed into a temporary folder under the data directory (never held whole
/// in memory), counted against Registry:MaxUploadMegabytes whatever size the client claimed, then registered like a
/// shipped folder (strict load against the manifest, smoke generation) as a draft. The folder goes either way.
/// </summary>
public sealed class ModelUploads(IServiceScopeFactory scopes, IOptions<RegistryOptions> options,
    IOptions<PlatformOptions> platform)
{
    /// <summary>Form field → file name in the version folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> FileFields = new Dictionary<string, string>
    {
        ["manifest"] = ModelFiles.ManifestFileName,
        ["weights"] = ModelFiles.WeightsFileName,
        ["card"] = ModelFiles.ModelCardFileName,
        ["license"] = ModelFiles.LicenseFileName,
        ["metrics"] = ModelFiles.MetricsFileName,
        ["samples"] = ModelFiles.SamplesFileName,
    };

    public int MaxUploadMegabytes => options.Value.MaxUploadMegabytes;

    public async Task<ModelUploadResult> UploadAsync(ClaimsPrincipal admin, string? label,
        IReadOnlyList<ModelUploadFile> files, CancellationToken cancellationToken = default)
    {
        ModelAdministration.RequireAdmin(admin);
        var limit = options.Value.MaxUploadBytes;
        var refusals = new List<UploadRefusal>();
        // A field chosen twice counts once: the last choice.
        var known = files.Where(f => FileFields.ContainsKey(f.Field)).GroupBy(f => f.Field).Select(g => g.Last())
            .ToList();
        if (known.Sum(f => Math.Max(0, f.Size)) > limit)
            return Refused(new UploadRefusal(known.MaxBy(f => f.Size)!.Field, UploadProblem.TooLarge));
        refusals.AddRange(new[] { "manifest", "weights" }.Where(required => known.All(f => f.Field != required))
            .Select(required => new UploadRefusal(required, UploadProblem.Missing, FileFields[required])));
        var version = (label ?? "").Trim();
        if (version.Length == 0)
            refusals.Add(new UploadRefusal("version", UploadProblem.NoLabel));
        if (refusals.Count > 0)
            return new ModelUploadResult(null, refusals);

        var folder = Directory.CreateDirectory(Path.Combine(platform.Value.DataDirectoryFullPath, "uploads",
            Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            long total = 0;
            foreach (var file in known)
            {
                var written = await CopyAsync(file, Path.Combine(folder, FileFields[file.Field]), limit - total,
                    cancellationToken);
                if (written is null)
                    return Refused(new UploadRefusal(file.Field, UploadProblem.TooLarge));
                total += written.Value;
            }

            await using var scope = scopes.CreateAsyncScope();
            var registered = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                .RegisterAsync(folder, version, admin, cancellationToken, refuseKnownWeights: true);
            return new ModelUploadResult(registered, []);
        }
        catch (ModelRejectedException e)
        {
            return Refused(new UploadRefusal(FieldOf(e.File), UploadProblem.Rejected, e.Message, e.Refusal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ModelUploadResult Refused(UploadRefusal refusal) => new(null, [refusal]);

    private static string FieldOf(string? file) => file switch
    {
        null => "weights",
        "version" => "version",
        _ => FileFields.FirstOrDefault(f => f.Value == file).Key ?? "weights",
    };

    /// <summary>Copies at most <paramref name="budget"/> bytes; null when the file is longer.</summary>
    private static async Task<long?> CopyAsync(ModelUploadFile file, string path, long budget,
        CancellationToken cancellationToken)
    {
        if (file.Size > budget)
            return null;
        var buffer = new byte[81920];
        long written = 0;
        // One byte over the budget is enough to tell a client that understated the size.
        await using (var source = file.Open(budget + 1, cancellationToken))
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920,
                         FileOptions.Asynchronous))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > budget)
                    return null;
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        // An empty optional file is no file: the registry then says what is missing.
        if (written == 0)
            File.Delete(path);
        return written;
    }
}
