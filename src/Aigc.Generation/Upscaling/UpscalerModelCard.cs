using System.Globalization;

namespace Aigc.Generation.Upscaling;

/// <summary>The model card of an upscaler version, written from its trained manifest.</summary>
public static class UpscalerModelCard
{
    public static string Markdown(UpscalerManifest m)
    {
        var t = m.Training ?? throw new ArgumentException("The manifest has no training record.", nameof(m));
        var q = m.Metrics ?? throw new ArgumentException("The manifest has no metrics.", nameof(m));
        var blocks = string.Create(CultureInfo.InvariantCulture,
            $"{m.Blocks} residual blocks (conv–ReLU–conv, scale {m.ResidualScale}{Dilations(m)})");
        return string.Create(CultureInfo.InvariantCulture, $"""
            # {m.Name}: learned line-art upscaler ×{m.Scale} ({m.InputSize} → {m.OutputSize} px)

            - Network: conv 3×3 (1→{m.Features}), {blocks},
              ReLU, conv 3×3 ({m.Features}→{m.Scale * m.Scale}), pixel shuffle ×{m.Scale}; all convolutions at {m.InputSize} px.
            - Intended use: enlarging the blueprint generator's grey line drawings (white lines on black) in the default
              pipeline preset. Limitations: trained only on synthetic drawings; other images (photos, colour) are not its domain.
            - Training data: {t.Drawings} drawings of {t.DataGenerator}, seed {t.DataSeed}; inputs degraded afresh per
              sample: {t.Degradation}. Truth: the same SVG rendered at {m.OutputSize} px.
            - Training: {t.Steps} steps × {t.BatchSize} crops of {t.CropSize} px, L1 loss, Adam lr {t.LearningRate} (cosine),
              seed {t.Seed}; final loss {t.FinalLoss}; {t.TrainingSeconds} s on {t.Machine}; {t.EngineVersion}.
            - Licence: Proprietary: Aigc Portal internal use. Authors: Aigc Portal team.

            ## Held-out figures ({q.Drawings} drawings of seed {q.HeldOutSeed}, never trained on)

            | input | line F1 (mid-grey) | in-between grey pixels |
            |---|---|---|
            | degraded (blur σ 0.8, noise σ 0.1, 1 % speckles) | {q.Degraded.F1:F3} | {q.Degraded.GreyShare:P1} |
            | clean | {q.Clean.F1:F3} | {q.Clean.GreyShare:P1} |

            Baselines (Lanczos + sharpen) and the true renders, from the same run: docs/benchmarks.md.

            """);
    }

    /// <summary>Empty for an undilated network, so the cards of earlier versions read as they did.</summary>
    private static string Dilations(UpscalerManifest m) => m.Dilations is null
        ? ""
        : "; dilations per block " + string.Join(" / ", m.Dilations.Select(d => string.Join(",", d)));
}
