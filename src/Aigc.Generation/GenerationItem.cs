using Aigc.Generation.Manifest;

namespace Aigc.Generation;

/// <summary>One image to generate: its conditions and the (seed, index) that fixes its latent.</summary>
public sealed record GenerationItem(ConditionValues Conditions, ulong Seed, long Index = 0);
