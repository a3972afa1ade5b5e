using System.Globalization;
using System.Text;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Manifest;
using Aigc.Platform.Data;

namespace Aigc.Platform.Training;

/// <summary>The model card (Markdown) a finished run fills in: its data, manifest, metrics and weakest spots.</summary>
public static class TrainedModelCard
{
    public static string Markdown(TrainingRun run, CganManifest manifest, EvaluationReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var card = new StringBuilder();
        card.Append(c, $"# {manifest.Name} {run.VersionLabel}\n\n");
        card.Append(c, $"Trained in the portal by {run.UserName} from the dataset **{run.DatasetName}**; registered as a draft for an admin to review and activate.\n\n");
        card.Append("## Training data\n\n");
        card.Append(c, $"- Data hash: `{run.DataHash}`\n");
        foreach (var condition in manifest.Conditions)
            card.Append(c, $"- {condition.Name}: {string.Join(", ", condition.Values ?? [])}\n");
        card.Append("\n## Manifest and run\n\n");
        card.Append(c, $"- {manifest.ImageSize}×{manifest.ImageSize} pixels, {manifest.Channels} channel, latent {manifest.LatentDim}, discriminator pack {manifest.Discriminator.PackSize}\n");
        card.Append(c, $"- {run.Steps} steps of {run.BatchSize} images, seed {run.Seed}, learning rates G {run.GeneratorLearningRate:G3} / D {run.DiscriminatorLearningRate:G3}, EMA 0.999\n");
        card.Append("\n## Evaluation (as `aigc eval`)\n\n");
        card.Append(c, $"- GAN-test accuracy {report.ConditionalAccuracy:P1} (real images {report.RealAccuracy:P1}); CAS {report.CasAccuracy:P1} ({report.CasRelative:P0} of real)\n");
        card.Append(c, $"- Fréchet distance on classifier features {report.Frechet:F3} vs real-vs-real {report.FrechetBaseline:F3} (×{report.FrechetRatio:F2}); not Inception FID\n");
        var worstClass = report.PerClass.MinBy(p => p.Value.ConditionalAccuracy);
        card.Append(c, $"- Per-class minimum: **{worstClass.Key}** at {worstClass.Value.ConditionalAccuracy:P1} GAN-test accuracy\n");
        if (report.PerCondition.Count > 0)
        {
            var worst = report.PerCondition.MinBy(p => p.Value.FeatureRatio);
            card.Append(c, $"- Worst condition: **{worst.Key}**, within-condition diversity {worst.Value.FeatureRatio:G3} of real\n");
        }

        card.Append("\n## Sheets\n\n");
        card.Append("The sample grid (one row per part class, fixed latents) is shown with this version; the variants sheet ");
        card.Append("(eight latents of one condition per class) is on the training run's page.\n\n");
        card.Append("## Limitations\n\n");
        card.Append("Learned only from the drawings above; not engineering-accurate; one grey channel, white lines on black.\n");
        return card.ToString();
    }
}
