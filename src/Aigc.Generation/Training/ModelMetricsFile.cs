using System.Text.Json;
using System.Text.Json.Nodes;
using Aigc.Generation.Datasets;

namespace Aigc.Generation.Training;

/// <summary>
/// A model version's metrics.json: one section per producer ("training" from aigc train, "evaluation" from
/// aigc eval), so re-running one keeps the other. Rewritten atomically.
/// </summary>
public static class ModelMetricsFile
{
    public const string FileName = "metrics.json";

    public static void SetSection(string modelDirectory, string section, object value)
    {
        var path = Path.Combine(modelDirectory, FileName);
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? new JsonObject() : new JsonObject();
        root[section] = JsonSerializer.SerializeToNode(value, DatasetFolder.Json);
        DatasetFolder.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(root, DatasetFolder.Json));
    }
}
