using Aigc.Generation.Manifest;

namespace Aigc.Generation.Sketches;

/// <summary>One combination of condition values and the encoder's probability for each value in it.</summary>
public sealed record SketchCandidate(ConditionValues Conditions, IReadOnlyDictionary<string, double> Confidence, double Joint);

public static class SketchCandidates
{
    /// <summary>The <paramref name="count"/> most probable combinations under the encoder's softmax, best first.</summary>
    public static SketchCandidate[] From(SketchEncoderNetwork network, ReadOnlySpan<float> output, int count)
    {
        var offset = network.LatentDim;
        var probabilities = new List<double[]>();
        foreach (var (_, classes) in network.Conditions)
        {
            probabilities.Add(Softmax(output.Slice(offset, classes)));
            offset += classes;
        }

        var combos = new List<int[]> { Array.Empty<int>() };
        foreach (var p in probabilities)
            combos = combos.SelectMany(c => Enumerable.Range(0, p.Length).Select(v => c.Append(v).ToArray())).ToList();
        return combos
            .Select(c => (Combo: c, Joint: c.Select((v, k) => probabilities[k][v]).Aggregate(1.0, (a, b) => a * b)))
            .OrderByDescending(c => c.Joint)
            .Take(count)
            .Select(c => Candidate(network, c.Combo, probabilities, c.Joint))
            .ToArray();
    }

    private static SketchCandidate Candidate(SketchEncoderNetwork network, int[] combo, List<double[]> probabilities, double joint)
    {
        var values = new ConditionValues();
        var confidence = new Dictionary<string, double>(StringComparer.Ordinal);
        var schema = network.Conditions;
        for (var k = 0; k < combo.Length; k++)
        {
            values.Set(schema[k].Name, ValueName(network, k, combo[k]));
            confidence[schema[k].Name] = probabilities[k][combo[k]];
        }

        return new SketchCandidate(values, confidence, joint);
    }

    private static string ValueName(SketchEncoderNetwork network, int condition, int index) =>
        network.ConditionValues[condition][index];

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.MinValue;
        foreach (var v in logits)
            max = Math.Max(max, v);
        var result = new double[logits.Length];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
            sum += result[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < result.Length; i++)
            result[i] /= sum;
        return result;
    }
}
