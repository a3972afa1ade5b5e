namespace Aigc.LoadTest;

public sealed record LoadTestOptions(
    Uri? Url,
    string? DataDirectory,
    string ModelsDirectory,
    IReadOnlyList<int> UserLevels,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan StageDuration,
    int DirectJobs,
    int DirectSize,
    IReadOnlyDictionary<string, string> PortalSettings,
    string? Postgres = null,
    int Workers = 0,
    int QueueOverheadBatches = 0,
    int TrainingSteps = 0,
    int TrainingBatch = 16,
    TimeSpan WarmUpLevel = default)
{
    public static string FindModels()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "models", "blueprints", "v1", "manifest.json")))
                    return Path.Combine(dir.FullName, "models");
            }
        }

        throw new InvalidOperationException("No models/blueprints/v1 above the tool or the working directory; pass --models.");
    }

    public static Dictionary<string, string> ParseSettings(IEnumerable<string> pairs)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=');
            if (at <= 0)
                throw new ArgumentException($"--set expects KEY=VALUE, got \"{pair}\".");
            settings[pair[..at]] = pair[(at + 1)..];
        }

        return settings;
    }
}
