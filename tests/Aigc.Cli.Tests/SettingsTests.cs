using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Imaging.Metadata;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>`aigc` reads its settings like the portal: AIGC_DATA, --data, the shipped models from any folder.</summary>
[Collection("Console")]
public sealed class SettingsTests : IDisposable
{
    private static readonly string[] TinyJob =
    [
        "generate", "--model", "tiny-parity@v1", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=7.5",
        "--seed", "3",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-settings-").FullName;
    private readonly string _originalDirectory = Directory.GetCurrentDirectory();
    private readonly string? _originalData = Environment.GetEnvironmentVariable("AIGC_DATA");

    public SettingsTests() =>
        Directory.SetCurrentDirectory(Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName);

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_originalDirectory);
        Environment.SetEnvironmentVariable("AIGC_DATA", _originalData);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AIGC_DATA_is_the_data_directory_and_data_wins_over_it()
    {
        var config = WorkerSetup.Write(_dir, dataDirectory: false);
        Environment.SetEnvironmentVariable("AIGC_DATA", Path.Combine(_dir, "from-env"));

        var (code, _, error) = await Aigc([.. TinyJob, "--config", config, "--out", Path.Combine(_dir, "a")]);
        Assert.Equal((0, ""), (code, error));
        Assert.True(File.Exists(Path.Combine(_dir, "from-env", "aigc.db")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "elsewhere", "data")), "wrote into ./data of the working folder");

        var flag = Path.Combine(_dir, "flag");
        (code, _, error) = await Aigc([.. TinyJob, "--config", config, "--out", Path.Combine(_dir, "b"), "--data", flag]);
        Assert.Equal((0, ""), (code, error));
        Assert.True(File.Exists(Path.Combine(_dir, "flag", "aigc.db")));
        Assert.Equal(1, JobsIn(Path.Combine(_dir, "from-env")));
    }

    [Fact]
    public async Task The_shipped_models_next_to_the_tool_are_found_from_any_working_directory()
    {
        var (code, output, error) = await Aigc(
            "generate", "--model", "blueprints-64@v2", "--set", "part=spur_gear", "--set", "view=front",
            "--set", "complexity=low", "--seed", "5", "--data", Path.Combine(_dir, "data"), "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 0, error);
        var metadata = BlueprintMetadata.Read(await File.ReadAllBytesAsync(output.Trim()))!;
        Assert.Equal(("blueprints-64", "v2"), (metadata.ModelName, metadata.ModelVersion));
    }

    [Fact]
    public async Task Without_shipped_models_the_tool_says_where_it_looked()
    {
        var missing = Path.Combine(_dir, "no-models");
        Environment.SetEnvironmentVariable("Queue__ShippedModelsDirectory", missing);
        try
        {
            var (code, _, error) = await Aigc(
                "generate", "--model", "blueprints-64", "--data", Path.Combine(_dir, "data"), "--out", Path.Combine(_dir, "out"));
            Assert.Equal(1, code);
            Assert.Contains($"no shipped models found; looked in {missing}. Set Queue:ShippedModelsDirectory", error);
            Assert.Contains("model: ", error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Queue__ShippedModelsDirectory", null);
        }
    }

    [Fact]
    public void Unset_the_tool_looks_next_to_itself_then_in_the_working_directory()
    {
        var (tool, work) = (Path.Combine(_dir, "tool"), Path.Combine(_dir, "work"));
        var none = ShippedModelsLocation.Find(null, tool, work);
        Assert.Null(none.Directory);
        Assert.Equal([Path.Combine(tool, "models"), Path.Combine(work, "models")], none.Looked);
        Assert.Contains($"looked in {Path.Combine(tool, "models")}, {Path.Combine(work, "models")}", none.Problem);

        Directory.CreateDirectory(Path.Combine(work, "models"));
        Assert.Equal(Path.Combine(work, "models"), ShippedModelsLocation.Find(null, tool, work).Directory);
        Directory.CreateDirectory(Path.Combine(tool, "models"));
        Assert.Equal(Path.Combine(tool, "models"), ShippedModelsLocation.Find(null, tool, work).Directory);
        // A setting is relative to the working directory, as in the portal, and is the only place looked at.
        Assert.Equal(Path.Combine(work, "models"), ShippedModelsLocation.Find("models", tool, work).Directory);
        Assert.Null(ShippedModelsLocation.Find("nowhere", tool, work).Directory);
    }

    private static int JobsIn(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "aigc.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM GenerationJobs";
        return Convert.ToInt32(command.ExecuteScalar());
    }

    private static async Task<(int Code, string Out, string Error)> Aigc(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await new RootCommand("aigc") { GenerateCommand.Create() }.Parse(args).InvokeAsync();
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
