namespace Aigc.Testing;

/// <summary>Folders of the repository the tests run from, found above their binaries (linked into the Generation and Portal tests).</summary>
internal static class RepositoryFolders
{
    /// <summary>The repository's models/ folder, with the shipped versions (blueprints v1 and v2).</summary>
    public static string Models { get; } = FindModels();

    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            // The repository's root (beside the solution), not a copy of models/ that the CLI leaves in its output.
            var candidate = Path.Combine(dir.FullName, "models", "blueprints", "v1", "manifest.json");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Aigc.Portal.sln")))
                return Path.Combine(dir.FullName, "models");
        }

        throw new InvalidOperationException($"No models/blueprints/v1 above {AppContext.BaseDirectory}.");
    }
}
