using System.Diagnostics;
using Aigc.Testing;

namespace Aigc.Portal.Tests;

/// <summary>
/// deploy/container/entrypoint.sh picks the image's role from its first argument. No container engine runs here, so
/// the script runs with a stand-in `dotnet` first on PATH that prints what it was asked to run.
/// </summary>
public sealed class ContainerEntrypointTests
{
    [Theory]
    [InlineData("", "/app/Aigc.Portal.dll")]
    [InlineData("--urls http://0.0.0.0:9090", "/app/Aigc.Portal.dll --urls http://0.0.0.0:9090")]
    [InlineData("worker --database postgres://db/aigc", "/app/cli/aigc.dll worker --database postgres://db/aigc")]
    [InlineData("aigc blobs check --repair", "/app/cli/aigc.dll blobs check --repair")]
    public void The_first_argument_picks_portal_worker_or_tool(string arguments, string expected)
    {
        var bin = Directory.CreateTempSubdirectory("aigc-entrypoint-").FullName;
        try
        {
            var fake = Path.Combine(bin, "dotnet");
            File.WriteAllText(fake, "#!/bin/sh\necho \"$*\"\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
            var repository = Path.GetDirectoryName(RepositoryFolders.Models)!;
            start.ArgumentList.Add(Path.Combine(repository, "deploy", "container", "entrypoint.sh"));
            foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                start.ArgumentList.Add(argument);
            start.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();

            Assert.True(process.ExitCode == 0, errors);
            Assert.Equal(expected, output);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
