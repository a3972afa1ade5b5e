using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;
using Aigc.Neural.Training;

namespace Aigc.Generation.Training;

/// <summary>
/// Everything a <see cref="CganTrainer"/> needs to resume bit for bit, in one safetensors file:
/// generator.* and discriminator.* (state_dicts), ema.* (the EMA generator, when enabled), and each Adam's
/// exp_avg/exp_avg_sq per parameter (optimizer_g.exp_avg.&lt;parameter&gt;, …) with its step count, and the run's
/// step. Written to a temporary file then renamed over the old one, so a kill at any moment leaves a whole checkpoint.
/// </summary>
public static class CganCheckpoint
{
    public const string FileName = "checkpoint.safetensors";

    public static void Save(CganTrainer trainer, string path, long step = 0)
    {
        var entries = new List<SafetensorsEntry>();
        entries.AddRange(StateDictFile.ToEntries(trainer.Generator, "generator."));
        entries.AddRange(StateDictFile.ToEntries(trainer.Discriminator, "discriminator."));
        if (trainer.EmaGenerator is not null)
            entries.AddRange(StateDictFile.ToEntries(trainer.EmaGenerator, "ema."));
        entries.AddRange(OptimizerEntries(trainer.Generator, trainer.GeneratorOptimizer, "optimizer_g."));
        entries.AddRange(OptimizerEntries(trainer.Discriminator, trainer.DiscriminatorOptimizer, "optimizer_d."));
        entries.Add(SafetensorsEntry.FromInt64(StepKey, [step], [1]));
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            SafetensorsFile.Write(stream, entries);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Restores a trainer built from the same manifest and settings (every tensor must match) and returns the step saved with it.</summary>
    public static long Load(CganTrainer trainer, string path, int maxHeaderBytes = SafetensorsFile.DefaultMaxHeaderBytes)
    {
        var file = SafetensorsFile.Read(path, maxHeaderBytes);
        var known = new[] { "generator.", "discriminator.", "ema.", "optimizer_g.", "optimizer_d." };
        var stray = file.Keys.Where(k => k != StepKey && !known.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        if (stray.Count > 0)
            throw new InvalidDataException($"{path}: unexpected tensors in checkpoint: {string.Join(", ", stray)}.");
        if ((trainer.EmaGenerator is null) == file.Keys.Any(k => k.StartsWith("ema.", StringComparison.Ordinal)))
            throw new InvalidDataException($"{path}: the checkpoint's EMA does not match the trainer's settings.");
        StateDictFile.Load(trainer.Generator, file, "generator.");
        StateDictFile.Load(trainer.Discriminator, file, "discriminator.");
        if (trainer.EmaGenerator is not null)
            StateDictFile.Load(trainer.EmaGenerator, file, "ema.");
        LoadOptimizer(trainer.Generator, trainer.GeneratorOptimizer, file, "optimizer_g.", path);
        LoadOptimizer(trainer.Discriminator, trainer.DiscriminatorOptimizer, file, "optimizer_d.", path);
        return file.TryGetValue(StepKey, out var step)
            ? step.ToInt64()[0]
            : throw new InvalidDataException($"{path}: missing tensor '{StepKey}'.");
    }

    private const string StepKey = "step";

    private static IEnumerable<SafetensorsEntry> OptimizerEntries(Module network, Adam adam, string prefix)
    {
        var names = network.NamedParameters().Select(p => p.Name).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            var shape = adam.FirstMoments[i].Shape.ToArray();
            yield return SafetensorsEntry.FromFloats($"{prefix}exp_avg.{names[i]}", adam.FirstMoments[i].Span, shape);
            yield return SafetensorsEntry.FromFloats($"{prefix}exp_avg_sq.{names[i]}", adam.SecondMoments[i].Span, shape);
        }

        yield return SafetensorsEntry.FromInt64($"{prefix}step", [adam.StepCount], []);
    }

    private static void LoadOptimizer(Module network, Adam adam, IReadOnlyDictionary<string, SafetensorsEntry> file, string prefix, string path)
    {
        var names = network.NamedParameters().Select(p => p.Name).ToArray();
        var expected = names.SelectMany(n => new[] { $"{prefix}exp_avg.{n}", $"{prefix}exp_avg_sq.{n}" }).Append($"{prefix}step").ToHashSet();
        var present = file.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet();
        if (!present.SetEquals(expected))
            throw new InvalidDataException($"{path}: optimizer state {prefix.TrimEnd('.')} does not match the network: missing " +
                $"[{string.Join(", ", expected.Except(present))}], unexpected [{string.Join(", ", present.Except(expected))}].");
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var (tensor, key) in new[] { (adam.FirstMoments[i], $"{prefix}exp_avg.{names[i]}"), (adam.SecondMoments[i], $"{prefix}exp_avg_sq.{names[i]}") })
            {
                var entry = file[key];
                if (!entry.Shape.SequenceEqual(tensor.Shape.ToArray()))
                    throw new InvalidDataException($"{path}: '{key}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", tensor.Shape.ToArray())}].");
                entry.ToFloats().CopyTo(tensor.Span);
            }
        }

        adam.SetStepCount(file[$"{prefix}step"].ToInt64()[0]);
    }
}
