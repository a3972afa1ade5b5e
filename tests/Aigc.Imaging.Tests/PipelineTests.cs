using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;

namespace Aigc.Imaging.Tests;

public class PipelineTests
{
    private static PostProcessingPipeline Default(int concurrency = 2) =>
        new(PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>>(), ImageLimits.Default), ImageLimits.Default, concurrency);

    private static float[] Tensor(float red)
    {
        var chw = new float[3 * 64 * 64];
        chw.AsSpan(0, 64 * 64).Fill(red);
        chw.AsSpan(64 * 64).Fill(-1f);
        return chw;
    }

    [Fact]
    public async Task Default_preset_turns_a_tensor_into_a_256_png_with_metadata()
    {
        using var pipeline = Default();
        var result = await pipeline.RunAsync("default", PipelineSource.FromTensor(Tensor(1f), 3, 64, 64), Samples.Metadata());
        Assert.Equal((ImageFormat.Png, 256, 256, "image/png", ".png"), (result.Format, result.Width, result.Height, result.ContentType, result.Extension));
        Assert.Null(result.Thumbnail);
        var metadata = BlueprintMetadata.Read(result.Bytes)!;
        Assert.Equal("default", metadata.Preset); // stamped by the pipeline, whatever the caller passed
        Assert.Equal(1234, metadata.Seed);
        Assert.Equal(((byte)255, (byte)0, (byte)0), Pixels.Of(result.Bytes).Rgb(128, 128));
    }

    [Fact]
    public async Task Without_metadata_no_chunk_is_written()
    {
        using var pipeline = Default();
        var result = await pipeline.RunAsync("default", PipelineSource.FromTensor(Tensor(0f), 3, 64, 64), null);
        Assert.Null(BlueprintMetadata.Read(result.Bytes));
    }

    [Fact]
    public async Task Hostile_upload_fails_the_run_with_a_clear_error()
    {
        using var pipeline = Default();
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => pipeline.RunAsync("default", PipelineSource.FromEncoded((byte[])[0x89, .. "PNG\r\n\x1a\ngarbage"u8]), null));
        Assert.Contains("Png", e.Message);
    }

    [Fact]
    public async Task Many_runs_come_back_in_input_order()
    {
        using var pipeline = Default();
        var jobs = Enumerable.Range(0, 12)
            .Select(i => (PipelineSource.FromTensor(Tensor(i / 6f - 1f), 3, 64, 64), (BlueprintMetadata?)Samples.Metadata(seed: i)))
            .ToArray();
        var results = await pipeline.RunManyAsync("default", jobs);
        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.Equal(i, BlueprintMetadata.Read(results[i].Bytes)!.Seed);
            Assert.InRange(Pixels.Of(results[i].Bytes).Rgb(100, 100).R, i / 6.0 * 127.5 - 1, i / 6.0 * 127.5 + 1);
        }
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_work_and_between_steps()
    {
        using var pipeline = Default();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync("default", PipelineSource.FromTensor(Tensor(0f), 3, 64, 64), null, cancelled.Token));

        using var midway = new CancellationTokenSource();
        var after = new CountingStep();
        using var preset = new PipelinePreset("cancelling", [new CancellingStep(midway), after]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(preset, PipelineSource.FromTensor(Tensor(0f), 3, 64, 64), null, midway.Token));
        Assert.Equal(0, after.Calls);
    }

    [Fact]
    public async Task Concurrency_is_bounded_across_all_callers()
    {
        using var pipeline = Default(concurrency: 2);
        var gate = new GateStep();
        using var preset = new PipelinePreset("gated", [gate]);
        var runs = Enumerable.Range(0, 6).Select(_ => pipeline.RunAsync(preset, PipelineSource.FromTensor(Tensor(0f), 3, 64, 64), null)).ToArray();
        // Let the runs through one at a time: each release admits exactly one waiting run.
        for (var i = 0; i < runs.Length; i++)
        {
            await gate.Entered.WaitAsync();
            gate.Release.Release();
        }
        await Task.WhenAll(runs);
        Assert.Equal(2, gate.MaxActive);
    }

    private sealed class CancellingStep(CancellationTokenSource source) : IPipelineStep
    {
        public string Name => "cancel";

        public VipsImage? Apply(VipsImage image, PipelineRun run)
        {
            source.Cancel();
            return null;
        }
    }

    private sealed class CountingStep : IPipelineStep
    {
        public int Calls;
        public string Name => "count";

        public VipsImage? Apply(VipsImage image, PipelineRun run)
        {
            Interlocked.Increment(ref Calls);
            return null;
        }
    }

    /// <summary>Blocks each run inside the pipeline until the test lets it go, recording how many were inside at once.</summary>
    private sealed class GateStep : IPipelineStep
    {
        private int _active;
        public SemaphoreSlim Entered { get; } = new(0);
        public SemaphoreSlim Release { get; } = new(0);
        public int MaxActive { get; private set; }
        public string Name => "gate";

        public VipsImage? Apply(VipsImage image, PipelineRun run)
        {
            var active = Interlocked.Increment(ref _active);
            lock (this) MaxActive = Math.Max(MaxActive, active);
            Entered.Release();
            Release.Wait();
            Interlocked.Decrement(ref _active);
            return null;
        }
    }
}
