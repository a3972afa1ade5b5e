using System.Security.Claims;
using Aigc.Platform.Models;
using Aigc.Portal.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Aigc.Portal.Features.Models;

/// <summary>
/// The upload of a version: the chosen files stay in the browser until "Upload and check", then stream one by one
/// to <see cref="ModelUploads"/>, which counts them against the limit whatever size the browser claimed. Too large a
/// choice is refused at once, before anything is sent.
/// </summary>
public sealed partial class ModelUploadForm
{
    private static readonly (string Field, string Label, string Accept)[] Fields =
    [
        ("manifest", "FieldManifest", ".json,application/json"),
        ("weights", "FieldWeights", ".safetensors"),
        ("card", "FieldCard", ".md,text/markdown"),
        ("license", "FieldLicense", ""),
        ("metrics", "FieldMetrics", ".json,application/json"),
        ("samples", "FieldSamples", "image/png"),
    ];

    private readonly Dictionary<string, IBrowserFile> _files = [];
    private readonly Dictionary<string, string> _errors = [];
    private string? _label;
    private bool _busy;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private string? Error(string field) => _errors.GetValueOrDefault(field);

    private void Choose(string field, InputFileChangeEventArgs e)
    {
        _files[field] = e.File;
        _errors.Remove(field);
        if (_files.Values.Sum(f => f.Size) > Uploads.MaxUploadMegabytes * 1024L * 1024)
        {
            _errors[field] = T["UploadTooLarge", Uploads.MaxUploadMegabytes];
        }
    }

    private async Task UploadAsync()
    {
        _busy = true;
        _errors.Clear();
        try
        {
            var admin = (await AuthenticationState).User;
            var files = _files.Select(f => new ModelUploadFile(f.Key, f.Value.Size,
                (max, ct) => f.Value.OpenReadStream(max, ct))).ToList();
            var result = await Uploads.UploadAsync(admin, _label, files);
            if (result.Registered is { } version)
            {
                Snackbar.Add(T["Uploaded", $"{version.Name}@{version.Version}"], Severity.Success);
                Navigation.NavigateTo($"admin/models/{version.WeightsSha256}");
                return;
            }

            foreach (var refusal in result.Refusals)
            {
                _errors.TryAdd(refusal.Field, Message(refusal));
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private string Message(UploadRefusal refusal) => refusal.Problem switch
    {
        UploadProblem.TooLarge => T["UploadTooLarge", Uploads.MaxUploadMegabytes],
        UploadProblem.Missing => T["UploadMissing", refusal.Detail ?? refusal.Field],
        UploadProblem.NoLabel => T["UploadNoLabel"],
        _ => refusal.Reason is { } reason ? R.Say(reason) : refusal.Detail ?? "",
    };
}
