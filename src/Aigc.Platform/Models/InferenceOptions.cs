using System.ComponentModel.DataAnnotations;
using Aigc.Generation.Inference;

namespace Aigc.Platform.Models;

/// <summary>Configuration section "Inference": where the process's generators run (decision 0017).</summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";

    /// <summary>
    /// Onnx by default: ONNX Runtime's CPU provider ran the shipped generators faster than our engine at batch 1 and
    /// 64 on the same threads (docs/benchmarks.md). Cpu is our engine, the reference; OnnxCuda needs a GPU build.
    /// </summary>
    public DeviceKind Device { get; set; } = DeviceKind.Onnx;

    [Range(0, 63, ErrorMessage = "Inference:CudaDeviceId must be between 0 and 63.")]
    public int CudaDeviceId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Device))
            yield return new ValidationResult(
                $"Inference:Device must be {string.Join(", ", Enum.GetNames<DeviceKind>())}.", [nameof(Device)]);
        else if (Device == DeviceKind.OnnxCuda && OnnxInferenceDevice.CudaProblem(CudaDeviceId) is { } problem)
            yield return new ValidationResult(problem, [nameof(Device)]);
    }
}
