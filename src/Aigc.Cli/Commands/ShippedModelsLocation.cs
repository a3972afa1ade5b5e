using Aigc.Platform.Queue;

namespace Aigc.Cli.Commands;

/// <summary>
/// Where `aigc` takes the shipped model versions from: Queue:ShippedModelsDirectory when it is set (relative to the
/// working directory, as in the portal), else models/ next to the installed tool (the build copies the repository's
/// models there), else models/ in the working directory (a run from the repository root).
/// </summary>
public sealed record ShippedModelsLocation(string? Directory, IReadOnlyList<string> Looked)
{
    private const string Key = $"{QueueOptions.SectionName}:{nameof(QueueOptions.ShippedModelsDirectory)}";

    /// <summary>Why nothing was found, naming every folder tried and the setting to use; null when found.</summary>
    public string? Problem => Directory is not null
        ? null
        : $"no shipped models found; looked in {string.Join(", ", Looked)}. Set {Key} " +
          "(or the environment variable Queue__ShippedModelsDirectory) to the folder holding " +
          "NAME/VERSION/manifest.json.";

    public static ShippedModelsLocation Find(string? configured, string toolDirectory, string workingDirectory)
    {
        string[] candidates = string.IsNullOrWhiteSpace(configured)
            ? [Path.Combine(toolDirectory, "models"), Path.Combine(workingDirectory, "models")]
            : [Path.GetFullPath(configured, workingDirectory)];
        var looked = candidates.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        return new ShippedModelsLocation(looked.FirstOrDefault(System.IO.Directory.Exists), looked);
    }
}
