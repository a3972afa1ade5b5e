using System.ComponentModel.DataAnnotations;

namespace Aigc.Neural;

public enum BlasProvider
{
    /// <summary>OpenBLAS when libopenblas.so.0 loads, else the managed GEMM.</summary>
    Auto,
    OpenBlas,
    Managed,
}

/// <summary>Configuration section "Neural".</summary>
public sealed class NeuralOptions
{
    public const string SectionName = "Neural";

    /// <summary>auto | openblas | managed.</summary>
    [EnumDataType(typeof(BlasProvider), ErrorMessage = "Neural:BlasProvider must be auto, openblas or managed.")]
    public BlasProvider BlasProvider { get; set; } = BlasProvider.Auto;

    /// <summary>Threads one network pass may use (GEMM and the parallel ops); 0 means all cores.</summary>
    [Range(0, 256, ErrorMessage = "Neural:Threads must be between 0 (all cores) and 256.")]
    public int Threads { get; set; }

    /// <summary>Largest safetensors JSON header accepted, in bytes.</summary>
    [Range(1024, 1 << 30, ErrorMessage = "Neural:MaxSafetensorsHeaderBytes must be between 1024 and 1073741824.")]
    public int MaxSafetensorsHeaderBytes { get; set; } = 16 << 20;

    public int EffectiveThreads => Threads == 0 ? Environment.ProcessorCount : Threads;
}
