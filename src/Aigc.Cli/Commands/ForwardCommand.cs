using System.CommandLine;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc forward`: runs a manifest-built network on tensors from a safetensors file so that anyone can compare
/// the engine with PyTorch from outside (tools/fixtures/cgan_reference.py builds the same networks).
/// </summary>
public static class ForwardCommand
{
    public static Command Create()
    {
        var manifest = new Option<FileInfo>("--manifest") { Description = "Model manifest (JSON).", Required = true };
        var weights = new Option<FileInfo>("--weights") { Description = "state_dict of the network (safetensors, PyTorch names).", Required = true };
        var input = new Option<FileInfo>("--input")
        {
            Description = "Inputs (safetensors): z [N, latentDim] (generator) or x [N, C, H, W] (discriminator), " +
                          "labels.<condition> (I64 [N]) and values.<condition> ([N], raw numbers).",
            Required = true,
        };
        var output = new Option<FileInfo>("--output") { Description = "Where to write 'output' (and, in train mode, the updated state as state.<name>).", Required = true };
        var net = new Option<string>("--net") { Description = "generator or discriminator.", DefaultValueFactory = _ => "generator" };
        net.AcceptOnlyFromAmong("generator", "discriminator");
        var trainMode = new Option<bool>("--train-mode") { Description = "Training mode: BatchNorm batch statistics, spectral-norm power iteration." };
        var blas = new Option<BlasProvider>("--blas") { Description = "auto, openblas or managed.", DefaultValueFactory = _ => BlasProvider.Auto };
        var threads = new Option<int>("--threads") { Description = "Compute threads (0 = all cores).", DefaultValueFactory = _ => 0 };

        var command = new Command("forward", "Run a generator or discriminator on tensors from a file and write its outputs.")
        {
            manifest, weights, input, output, net, trainMode, blas, threads,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var engine = new NeuralEngine(new NeuralOptions
                {
                    BlasProvider = parseResult.GetValue(blas),
                    Threads = parseResult.GetValue(threads),
                });
                Run(engine, CganManifest.Load(parseResult.GetValue(manifest)!.FullName), parseResult.GetValue(weights)!.FullName,
                    parseResult.GetValue(input)!.FullName, parseResult.GetValue(output)!.FullName,
                    parseResult.GetValue(net) == "discriminator", parseResult.GetValue(trainMode));
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or ManifestException or ArgumentException or IOException or DllNotFoundException)
            {
                Console.Error.WriteLine($"aigc forward: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Run(NeuralEngine engine, CganManifest manifest, string weights, string input, string output,
        bool discriminator, bool train)
    {
        var backend = new CpuBackend(engine);
        var random = new RandomSource(0);
        var inputs = SafetensorsFile.Read(input, engine.MaxSafetensorsHeaderBytes);
        Module network;
        Tensor result;
        using (engine.Acquire())
        {
            if (discriminator)
            {
                var d = new DiscriminatorNetwork(manifest, backend, random);
                network = d;
                Prepare(d, weights, train, engine);
                var (x, conditions) = TensorFileInputs.Read(inputs, manifest.Schema, "x");
                result = d.Forward(x, conditions);
            }
            else
            {
                var g = new GeneratorNetwork(manifest, backend, random);
                network = g;
                Prepare(g, weights, train, engine);
                var (z, conditions) = TensorFileInputs.Read(inputs, manifest.Schema, "z");
                result = g.Forward(z, conditions);
            }
        }

        var entries = new List<SafetensorsEntry> { SafetensorsEntry.FromFloats("output", result.Span, result.Shape.ToArray()) };
        if (train)
            entries.AddRange(StateDictFile.ToEntries(network, "state."));
        SafetensorsFile.Write(output, entries);
        Console.WriteLine($"{(discriminator ? "discriminator" : "generator")} [{string.Join(", ", result.Shape.ToArray())}] -> {output} ({backend.Name}, {engine.Threads} threads)");
    }

    private static void Prepare(Module network, string weights, bool train, NeuralEngine engine)
    {
        StateDictFile.Load(network, weights, engine.MaxSafetensorsHeaderBytes);
        network.Train(train);
    }
}
