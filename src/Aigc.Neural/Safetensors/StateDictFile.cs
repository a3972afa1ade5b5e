using Aigc.Neural.Layers;

namespace Aigc.Neural.Safetensors;

/// <summary>Saves and strictly loads a module's state_dict (PyTorch names) as safetensors.</summary>
public static class StateDictFile
{
    public static IEnumerable<SafetensorsEntry> ToEntries(Module module, string prefix = "") =>
        module.StateDict().Select(e => e.Slot switch
        {
            TensorSlot t => SafetensorsEntry.FromFloats(prefix + e.Name, t.Tensor.Span, t.Shape),
            CounterSlot c => SafetensorsEntry.FromInt64(prefix + e.Name, [c.Value], []),
            _ => throw new InvalidOperationException($"Unknown state slot for '{e.Name}'."),
        });

    public static void Save(Module module, string path) => SafetensorsFile.Write(path, ToEntries(module));

    public static void Load(Module module, string path, int maxHeaderBytes = SafetensorsFile.DefaultMaxHeaderBytes)
    {
        try
        {
            Load(module, SafetensorsFile.Read(path, maxHeaderBytes));
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Copies every tensor into the module. Missing, unexpected or mis-shaped tensors fail the whole load
    /// before anything is changed, with every offending name listed.
    /// </summary>
    public static void Load(Module module, IReadOnlyDictionary<string, SafetensorsEntry> entries, string prefix = "")
    {
        var state = module.StateDict().ToList();
        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, slot) in state)
        {
            var key = prefix + name;
            expected.Add(key);
            if (!entries.TryGetValue(key, out var entry))
                problems.Add($"missing tensor '{key}' [{string.Join(", ", slot.Shape)}]");
            else if (!entry.Shape.SequenceEqual(slot.Shape))
                problems.Add($"tensor '{key}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", slot.Shape)}]");
        }

        foreach (var key in entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !expected.Contains(k)).Order(StringComparer.Ordinal))
            problems.Add($"unexpected tensor '{key}'");
        if (problems.Count > 0)
            throw new InvalidDataException("state_dict does not match the network: " + string.Join("; ", problems) + ".");

        var converted = state.Select(e => (e.Slot, Entry: entries[prefix + e.Name])).ToList();
        var floats = converted.Where(c => c.Slot is TensorSlot).ToDictionary(c => c.Entry.Name, c => c.Entry.ToFloats());
        var counters = converted.Where(c => c.Slot is CounterSlot).ToDictionary(c => c.Entry.Name, c => c.Entry.ToInt64()[0]);
        foreach (var (slot, entry) in converted)
        {
            if (slot is TensorSlot t)
                floats[entry.Name].CopyTo(t.Tensor.Span);
            else if (slot is CounterSlot c)
                c.Value = counters[entry.Name];
        }
    }
}
