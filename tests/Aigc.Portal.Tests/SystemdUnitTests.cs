using System.Diagnostics;
using Aigc.Testing;

namespace Aigc.Portal.Tests;

/// <summary>deploy/systemd's units load: `systemd-analyze verify` checks directives, sections and that ExecStart's
/// program exists (a misspelt directive or a missing dotnet fails it).</summary>
public sealed class SystemdUnitTests
{
    [Theory]
    [InlineData("aigc-portal.service", "aigc-portal.service")]
    [InlineData("aigc-worker@.service", "aigc-worker@1.service")]
    public async Task The_unit_passes_systemd_analyze_verify(string file, string instance)
    {
        var folder = Directory.CreateTempSubdirectory("aigc-units-").FullName;
        try
        {
            var source = Path.Combine(Path.GetDirectoryName(RepositoryFolders.Models)!, "deploy", "systemd", file);
            File.Copy(source, Path.Combine(folder, file));
            var start = new ProcessStartInfo("systemd-analyze")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "verify", "--man=no", Path.Combine(folder, instance) })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0 && errors.Length == 0, $"{file}: {await output}{errors}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
