using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Neural.Safetensors;

namespace Aigc.Cli.Tests;

/// <summary>`aigc forward` end to end on the PyTorch fixtures (weights, inputs and expected outputs from torch 1.13).</summary>
[Collection("Console")]
public sealed class ForwardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-forward-").FullName;

    [Theory]
    [InlineData("generator", "z", false)]
    [InlineData("generator", "z", true)]
    [InlineData("discriminator", "x", false)]
    [InlineData("discriminator", "x", true)]
    public async Task Forward_reproduces_pytorch(string net, string inputName, bool train)
    {
        var fixture = SafetensorsFile.Read(Fixture($"{net}_{(train ? "train" : "eval")}.safetensors"));
        var weights = Path.Combine(_dir, "w.safetensors");
        var input = Path.Combine(_dir, "in.safetensors");
        var output = Path.Combine(_dir, "out.safetensors");
        SafetensorsFile.Write(weights, fixture.Values.Where(e => e.Name.StartsWith("state.", StringComparison.Ordinal))
            .Select(e => new SafetensorsEntry(e.Name["state.".Length..], e.DType, e.Shape, e.Data)));
        SafetensorsFile.Write(input, fixture.Values.Where(e => e.Name == inputName || e.Name.StartsWith("labels.", StringComparison.Ordinal) || e.Name.StartsWith("values.", StringComparison.Ordinal)));

        string[] args = ["forward", "--manifest", Fixture("tiny_manifest.json"), "--weights", weights, "--input", input, "--output", output, "--net", net, "--blas", "managed", "--threads", "1"];
        Assert.Equal(0, await Root().Parse(train ? [.. args, "--train-mode"] : args).InvokeAsync());

        var result = SafetensorsFile.Read(output);
        var expected = fixture["output"].ToFloats();
        var actual = result["output"].ToFloats();
        var scale = expected.Max(Math.Abs);
        Assert.True(expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)) / scale <= 1e-4);
        Assert.Equal(train, result.ContainsKey(net == "generator" ? "state.net.1.running_mean" : "state.net.0.weight_u"));
    }

    [Fact]
    public async Task Mismatched_weights_fail_with_exit_code_1_and_a_named_tensor()
    {
        var input = Path.Combine(_dir, "in.safetensors");
        SafetensorsFile.Write(input, [SafetensorsEntry.FromFloats("z", new float[8], [1, 8])]);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await Root().Parse(["forward", "--manifest", Fixture("tiny_manifest.json"), "--weights", input, "--input", input,
                "--output", Path.Combine(_dir, "out.safetensors")]).InvokeAsync();
            Assert.Equal(1, code);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("missing tensor 'embeddings.part.weight'", error.ToString());
        Assert.Contains("unexpected tensor 'z'", error.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RootCommand Root() => new("aigc") { ForwardCommand.Create() };

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
