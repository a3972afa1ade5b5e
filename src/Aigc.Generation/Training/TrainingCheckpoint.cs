using Aigc.Neural.Safetensors;
using Aigc.Neural.Training;

namespace Aigc.Generation.Training;

/// <summary>
/// Everything a run needs to continue bit-identically, in one safetensors file: both networks (with BatchNorm
/// statistics and spectral-norm vectors), the EMA generator, both Adams' moments and step counts, and the step.
/// Written to a temporary file then renamed over the old one, so a kill at any moment leaves a whole checkpoint.
/// </summary>
public static class TrainingCheckpoint
{
    public const string FileName = "checkpoint.safetensors";

    public static void Save(string path, CganTrainer trainer, long step)
    {
        var entries = new List<SafetensorsEntry>();
        entries.AddRange(StateDictFile.ToEntries(trainer.Generator, "generator."));
        entries.AddRange(StateDictFile.ToEntries(trainer.Discriminator, "discriminator."));
        if (trainer.EmaGenerator is { } ema)
            entries.AddRange(StateDictFile.ToEntries(ema, "ema."));
        AddAdam(entries, "adam_g", trainer.GeneratorOptimizer);
        AddAdam(entries, "adam_d", trainer.DiscriminatorOptimizer);
        entries.Add(SafetensorsEntry.FromInt64("step", [step], [1]));
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            SafetensorsFile.Write(stream, entries);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Restores the trainer and returns the number of steps already done.</summary>
    public static long Load(string path, CganTrainer trainer, int maxHeaderBytes = SafetensorsFile.DefaultMaxHeaderBytes)
    {
        var entries = SafetensorsFile.Read(path, maxHeaderBytes);
        try
        {
            StateDictFile.Load(trainer.Generator, entries, "generator.");
            StateDictFile.Load(trainer.Discriminator, entries, "discriminator.");
            if (trainer.EmaGenerator is { } ema)
                StateDictFile.Load(ema, entries, "ema.");
            LoadAdam(entries, "adam_g", trainer.GeneratorOptimizer);
            LoadAdam(entries, "adam_d", trainer.DiscriminatorOptimizer);
            return Get(entries, "step").ToInt64()[0];
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message} (was it written for another manifest or without --ema?)", e);
        }
    }

    private static void AddAdam(List<SafetensorsEntry> entries, string name, Adam adam)
    {
        for (var i = 0; i < adam.FirstMoments.Count; i++)
        {
            var m = adam.FirstMoments[i];
            entries.Add(SafetensorsEntry.FromFloats($"{name}.m.{i}", m.Span, m.Shape.ToArray()));
            var v = adam.SecondMoments[i];
            entries.Add(SafetensorsEntry.FromFloats($"{name}.v.{i}", v.Span, v.Shape.ToArray()));
        }

        entries.Add(SafetensorsEntry.FromInt64($"{name}.step", [adam.StepCount], [1]));
    }

    private static void LoadAdam(IReadOnlyDictionary<string, SafetensorsEntry> entries, string name, Adam adam)
    {
        for (var i = 0; i < adam.FirstMoments.Count; i++)
        {
            Copy(Get(entries, $"{name}.m.{i}"), adam.FirstMoments[i]);
            Copy(Get(entries, $"{name}.v.{i}"), adam.SecondMoments[i]);
        }

        adam.SetStepCount(Get(entries, $"{name}.step").ToInt64()[0]);
    }

    private static void Copy(SafetensorsEntry entry, Neural.Tensor into)
    {
        if (!entry.Shape.SequenceEqual(into.Shape.ToArray()))
            throw new InvalidDataException($"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", into.Shape.ToArray())}].");
        entry.ToFloats().CopyTo(into.Span);
    }

    private static SafetensorsEntry Get(IReadOnlyDictionary<string, SafetensorsEntry> entries, string name) =>
        entries.TryGetValue(name, out var e) ? e : throw new InvalidDataException($"missing tensor '{name}'.");
}
