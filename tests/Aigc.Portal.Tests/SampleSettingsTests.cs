using System.Reflection;
using System.Text.Json;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Queue;
using Aigc.Portal.Features.Account;

namespace Aigc.Portal.Tests;

/// <summary>appsettings.sample.json is the reference for operators: every option has a value and a description there.</summary>
public sealed class SampleSettingsTests
{
    public static TheoryData<string, Type> OptionsClasses => new()
    {
        { PlatformOptions.SectionName, typeof(PlatformOptions) },
        { Aigc.Platform.Data.DatabaseOptions.SectionName, typeof(Aigc.Platform.Data.DatabaseOptions) },
        { AccountsOptions.SectionName, typeof(AccountsOptions) },
        { ImagingOptions.SectionName, typeof(ImagingOptions) },
        { NeuralOptions.SectionName, typeof(NeuralOptions) },
        { QueueOptions.SectionName, typeof(QueueOptions) },
        { Aigc.Platform.Models.InferenceOptions.SectionName, typeof(Aigc.Platform.Models.InferenceOptions) },
        { Aigc.Platform.Models.RegistryOptions.SectionName, typeof(Aigc.Platform.Models.RegistryOptions) },
        { Aigc.Platform.Studio.StudioOptions.SectionName, typeof(Aigc.Platform.Studio.StudioOptions) },
        { Aigc.Platform.Ads.AdsOptions.SectionName, typeof(Aigc.Platform.Ads.AdsOptions) },
        { Aigc.Platform.Gallery.GalleryOptions.SectionName, typeof(Aigc.Platform.Gallery.GalleryOptions) },
        { Aigc.Platform.Blobs.BlobOptions.SectionName, typeof(Aigc.Platform.Blobs.BlobOptions) },
        { Aigc.Observability.ObservabilityOptions.SectionName, typeof(Aigc.Observability.ObservabilityOptions) },
        { Aigc.Portal.Web.CircuitLimitsOptions.SectionName, typeof(Aigc.Portal.Web.CircuitLimitsOptions) },
        { Aigc.Portal.Web.ReverseProxyOptions.SectionName, typeof(Aigc.Portal.Web.ReverseProxyOptions) },
    };

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void Every_option_is_documented_in_the_sample(string section, Type options)
    {
        var sample = LoadSample();
        Assert.True(sample.TryGetProperty(section, out var node), $"appsettings.sample.json has no section {section}");
        var docs = node.GetProperty("_doc");
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            Assert.True(node.TryGetProperty(property.Name, out _), $"{section}:{property.Name} has no value in appsettings.sample.json");
            Assert.True(docs.TryGetProperty(property.Name, out var doc) && doc.GetString()!.Length > 10,
                $"{section}:{property.Name} has no description in appsettings.sample.json");
        }
    }

    private static JsonElement LoadSample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "appsettings.sample.json")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "appsettings.sample.json"))).RootElement;
    }
}
