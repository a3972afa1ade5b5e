namespace Aigc.Portal.Features.Training;

/// <summary>Texts of the Training area: datasets and runs (TrainingText.resx, TrainingText.zh-Hans.resx).</summary>
public sealed class TrainingText;
