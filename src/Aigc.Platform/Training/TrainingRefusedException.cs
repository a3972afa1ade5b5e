namespace Aigc.Platform.Training;

/// <summary>A training request or action refused; <see cref="Field"/> names what to change (for forms and problem+json).</summary>
public sealed class TrainingRefusedException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
