using System.ComponentModel.DataAnnotations;
using OpenTelemetry.Exporter;

namespace Aigc.Observability;

/// <summary>Section "Observability": the Prometheus scrape endpoint and the OTLP exporter (decision 0018).</summary>
public sealed class ObservabilityOptions : IValidatableObject
{
    public const string SectionName = "Observability";

    /// <summary>Where Prometheus scrapes, admins only (an admin's API token as bearer, or a session).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>service.name of this process's telemetry; empty: the host's assembly name (Aigc.Portal, aigc).</summary>
    public string ServiceName { get; set; } = "";

    /// <summary>Whether the portal serves <see cref="MetricsPath"/>.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary>Where traces and metrics are pushed over OTLP; empty: no OTLP export.</summary>
    public string OtlpEndpoint { get; set; } = "";

    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Share of new traces recorded; a job's spans follow the decision taken for its request.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Observability:TraceSampleRatio must be from 0 to 1.")]
    public double TraceSampleRatio { get; set; } = 1.0;

    public bool OtlpEnabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var address = Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (OtlpEnabled && !address)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(OtlpEndpoint)} must be an http or https address, e.g. http://localhost:4317 " +
                $"(got \"{OtlpEndpoint}\").",
                [nameof(OtlpEndpoint)]);
        }

        if (!Enum.IsDefined(OtlpProtocol))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(OtlpProtocol)} must be Grpc or HttpProtobuf.", [nameof(OtlpProtocol)]);
        }
    }
}
