using Aigc.Imaging.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Imaging;

public static class ImagingServiceCollectionExtensions
{
    /// <summary>Registers the "Imaging" options (validated at start, presets included) and the post-processing pipeline.</summary>
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImagingOptions>()
            .Bind(configuration.GetSection(ImagingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImagingOptions>, ImagingOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ImagingOptions>>().Value;
            Libvips.Configure(options.CacheMaxOperations, options.CacheMaxMemoryMegabytes * 1024L * 1024,
                options.ThreadsPerImage,
                sp.GetService<ILoggerFactory>()?.CreateLogger("Aigc.Imaging.Vips"));
            return PipelinePresetCatalog.Create(options.Presets, options.Limits, sp.GetService<ILineUpscaler>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ImagingOptions>>().Value;
            return new PostProcessingPipeline(sp.GetRequiredService<PipelinePresetCatalog>(), options.Limits, options.Concurrency);
        });
        return services;
    }
}

/// <summary>Builds the preset catalog once to report preset errors (preset, step, parameter) as option validation failures.</summary>
internal sealed class ImagingOptionsValidator : IValidateOptions<ImagingOptions>
{
    public ValidateOptionsResult Validate(string? name, ImagingOptions options)
    {
        try
        {
            PipelinePresetCatalog.Create(options.Presets, options.Limits).Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (PresetValidationException e)
        {
            return ValidateOptionsResult.Fail(e.Errors.Select(error => $"Imaging:Presets: {error}"));
        }
    }
}
