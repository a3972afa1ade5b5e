using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Studio;
using Aigc.Portal.Components;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;

namespace Aigc.Portal.Features.Studio;

/// <summary>
/// The Studio over the circuit. Its recipe lives in the URL (<see cref="StudioForm"/>: a condition is a query key of
/// its own, c.&lt;name&gt;, so the page reads the whole query rather than fixed [SupplyParameterFromQuery] properties)
/// and every change replaces it, so the address bar is always a bookmark of what Generate would make. Every handler
/// passes the signed-in requester to <see cref="StudioService"/>, which decides; hiding a control is not a check.
/// </summary>
public partial class StudioPage
{
    private const int RecentJobs = 4;
    private const string DefaultPreset = "default";

    private readonly List<StudioJob> _jobs = [];
    private readonly List<Guid> _picks = [];
    private readonly HashSet<Guid> _olderAtOpen = [];
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private List<StudioModel> _models = [];
    private StudioModel? _model;
    private StudioForm _form = new();
    private bool _loaded;
    private string? _refused;
    private string? _reproduceMessage;
    private int _frames = 8;
    private InputFile? _file;
    private IJSObjectReference? _module;
    private IJSObjectReference? _dropZone;
    private bool _listening;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>The signed-in user as the Platform sees them; every call to <see cref="StudioService"/> carries
    /// it.</summary>
    public Requester Requester { get; private set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Requester = (await AuthenticationState).User.ToRequester();
        try
        {
            _models = await Studio.ModelsAsync(Requester);
            var query = new Uri(Navigation.Uri).Query;
            _form = StudioForm.FromQueryString(query);
            if (_form.IsEmpty && await Studio.LastSettingsAsync(Requester) is { } last)
                _form = StudioForm.FromQueryString(last);
            _model = Pick(_models, _form.Model);
            _jobs.AddRange(await Studio.RecentJobsAsync(Requester, RecentJobs));
            _olderAtOpen.UnionWith(_jobs.Skip(1).Select(j => j.Job.Id));
            foreach (var (field, message) in _form.Errors)
                _errors[field] = message;
        }
        catch (GenerationRefusedException e) when (e.Kind == RefusalKind.Forbidden)
        {
            _refused = T["Refused"];
        }

        _loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The drop zone is the whole page: a dropped PNG goes to the Reproduce input (StudioPage.razor.js). Marked
        // before the awaits, so a render that lands meanwhile does not attach a second listener.
        if (_listening || _file?.Element is not { } input)
            return;
        _listening = true;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Features/Studio/StudioPage.razor.js");
        _dropZone = await _module.InvokeAsync<IJSObjectReference>("listen", input);
    }

    public bool IsPicked(Guid blueprintId) => _picks.Contains(blueprintId);

    /// <summary>The model versions the user may use (job panels name conditions in their schema's order).</summary>
    public IReadOnlyList<StudioModel> Models => _models;

    /// <summary>Selects an image for interpolation (the two most recent picks count) or unselects it.</summary>
    public void TogglePick(Guid blueprintId)
    {
        if (!_picks.Remove(blueprintId))
        {
            _picks.Add(blueprintId);
            if (_picks.Count > 2)
                _picks.RemoveAt(0);
        }

        StateHasChanged();
    }

    public Task MoreLikeThisAsync(Guid blueprintId) =>
        RunAsync(() => Studio.MoreLikeThisAsync(Requester, blueprintId), "form");

    /// <summary>Queues a sketch's job (SketchPanel): its panel goes in front, a refusal beside the sketch.</summary>
    public Task<bool> QueueSketchAsync(Func<Task<GenerationJob?>> action) => RunAsync(action, "sketch");

    /// <summary>The refusal shown for <paramref name="field"/>, if any.</summary>
    public string? ErrorFor(string field) => Error(field);

    public Task VaryAsync(Guid blueprintId, double strength) =>
        RunAsync(() => Studio.VaryAsync(Requester, blueprintId, strength), "form");

    private async Task InterpolateAsync()
    {
        if (_picks.Count != 2)
            return;
        if (await RunAsync(() => Studio.InterpolateAsync(Requester, _picks[0], _picks[1], _frames), "interpolate"))
            _picks.Clear();
    }

    private async Task GenerateAsync()
    {
        if (_model is null)
            return;
        _form.Model = _model.Sha256;
        var conditions = Effective(_model, _form.Conditions);
        var request = new GenerationRequest(_model.Sha256, conditions, _form.Count,
            _form.SeedLocked ? _form.Seed : null,
            _form.Preset ?? DefaultPreset, Recipe: _form.Recipe);
        foreach (var (name, value) in conditions)
            _form.Conditions[name] = value;
        await RunAsync(async () => await Studio.GenerateAsync(Requester, request, _form.ToSettings()), "form");
    }

    /// <summary>Runs one action that queues a job: its panel goes in front, or the refusal next to its field.</summary>
    private async Task<bool> RunAsync(Func<Task<GenerationJob?>> action, string slot)
    {
        _errors.Clear();
        try
        {
            var job = await action();
            if (job is null)
            {
                _errors[slot] = T["NotFound"];
                return false;
            }

            _jobs.Insert(0, new StudioJob(job, []));
            return true;
        }
        catch (GenerationRefusedException e)
        {
            // The queue's refusal in the user's language, naming its values and limits.
            _errors[e.Kind == RefusalKind.QueueFull ? "form" : Slot(e.Field, slot)] = e.Kind switch
            {
                RefusalKind.Forbidden => T["Refused"],
                RefusalKind.QueueFull => T["QueueFull", Math.Ceiling((e.RetryAfter ?? TimeSpan.FromSeconds(1))
                    .TotalSeconds)],
                _ => R.Say(e.Refusal),
            };
            return false;
        }
        finally
        {
            StateHasChanged();
        }
    }

    private async Task ChooseModelAsync(string sha256)
    {
        _model = _models.FirstOrDefault(m => m.Sha256 == sha256) ?? _model;
        _form.Model = _model?.Sha256;
        // Another model has other conditions; a recipe names images of the one it came from.
        _form.Conditions.Clear();
        _form.Recipe = null;
        await RecordAsync();
    }

    private Task ConditionChangedAsync((string Name, string Value) change)
    {
        _form.Conditions[change.Name] = change.Value;
        return RecordAsync();
    }

    /// <summary>What is typed, out of range or not: generating refuses a count outside 1–64 with its reason.</summary>
    private Task CountChangedAsync(long? count)
    {
        if (count is not { } typed)
            return Task.CompletedTask;
        _form.Count = AsInt(typed);
        return RecordAsync();
    }

    private void FramesChanged(long? frames) => _frames = frames is { } typed ? AsInt(typed) : _frames;

    /// <summary>A typed whole number as an int, kept out of range, not wrapped: the service refuses it.</summary>
    private static int AsInt(long typed) => (int)Math.Clamp(typed, int.MinValue, int.MaxValue);

    private Task SeedChangedAsync(long? seed)
    {
        _form.Seed = seed;
        // Typing a seed means that seed; clearing it means a new random one each time.
        _form.SeedLocked = seed is not null;
        return RecordAsync();
    }

    private Task LockChangedAsync(bool locked)
    {
        _form.SeedLocked = locked && _form.Seed is not null;
        if (locked && _form.Seed is null)
            return RollSeedAsync();
        return RecordAsync();
    }

    private Task RollSeedAsync()
    {
        _form.Seed = Random.Shared.Next(int.MaxValue);
        _form.SeedLocked = true;
        return RecordAsync();
    }

    private Task PresetChangedAsync(string preset)
    {
        _form.Preset = preset;
        return RecordAsync();
    }

    private Task ClearRecipeAsync()
    {
        _form.Recipe = null;
        return RecordAsync();
    }

    /// <summary>The address bar follows the form (replacing the entry, so Back leaves the Studio rather than
    /// undoing a click).</summary>
    private Task RecordAsync()
    {
        if (_model is not null)
        {
            _form.Model = _model.Sha256;
            Navigation.NavigateTo(_form.ToUrl(), replace: true);
        }

        return Task.CompletedTask;
    }

    private async Task ReproduceAsync(InputFileChangeEventArgs e)
    {
        _reproduceMessage = null;
        _errors.Clear();
        try
        {
            if (e.File.Size > Studio.MaxUploadBytes)
                throw new ReproduceRefusedException(ReproduceProblem.TooLarge, $"{Studio.MaxUploadBytes / 1024}");
            // The browser's stream stops at the limit too; the service refuses anything longer without reading it all.
            await using var upload = e.File.OpenReadStream(Studio.MaxUploadBytes + 1);
            var reproduction = await Studio.ReproduceAsync(Requester, upload);
            _form = StudioForm.FromReproduction(reproduction);
            _model = Pick(_models, _form.Model);
            Navigation.NavigateTo(_form.ToUrl());
        }
        catch (ReproduceRefusedException refused)
        {
            _reproduceMessage = refused.Problem switch
            {
                ReproduceProblem.TooLarge => T["TooLarge", e.File.Size / 1024, Studio.MaxUploadBytes / 1024],
                ReproduceProblem.NotPng => T["NotPng"],
                ReproduceProblem.Damaged => T["Damaged", refused.Detail],
                ReproduceProblem.NoMetadata => T["NoMetadata"],
                ReproduceProblem.UnknownModel => T["UnknownModel", refused.Detail],
                ReproduceProblem.ModelNotUsable => T["ModelNotUsable", refused.Detail],
                ReproduceProblem.BadRecipe => T["BadRecipe", refused.Detail],
                _ => T["Empty"],
            };
        }
        catch (IOException)
        {
            // The browser sent more than it announced, or the upload broke off.
            _reproduceMessage = T["UploadFailed"];
        }
        catch (GenerationRefusedException refused) when (refused.Kind == RefusalKind.Forbidden)
        {
            _reproduceMessage = T["Refused"];
        }
    }

    private string? Error(string field) => _errors.GetValueOrDefault(field);

    /// <summary>Where a refusal shows: next to its field when the form has a place for it, else in the action's
    /// slot.</summary>
    private static string Slot(string field, string fallback) =>
        field is "model" or "count" or "seed" or "preset" || field.StartsWith("conditions.",
            StringComparison.Ordinal) ? field : fallback;

    private string ModelLabel(StudioModel model) => model.Status == ModelVersionStatus.Active
        ? $"{model.Name} · {model.Version}"
        : $"{model.Name} · {model.Version} ({T["Draft"]})";

    /// <summary>Every condition of the model: the chosen value, else the first value or the middle of the
    /// range.</summary>
    private static Dictionary<string, string> Effective(StudioModel model, IReadOnlyDictionary<string,
        string> chosen) =>
        model.Conditions.ToDictionary(c => c.Name, c => ConditionForm.ValueOf(c, chosen), StringComparer.Ordinal);

    /// <summary>The model a form names (hash, name@version or name), among the usable ones; the first usable
    /// one otherwise.</summary>
    public static StudioModel? Pick(IReadOnlyList<StudioModel> models, string? reference)
    {
        if (reference is not null)
        {
            var at = reference.IndexOf('@');
            var match = models.FirstOrDefault(m => m.Sha256 == reference)
                ?? (at > 0 ? models.FirstOrDefault(m => m.Name == reference[..at]
                    && m.Version == reference[(at + 1)..]) : null)
                ?? models.FirstOrDefault(m => m.Name == reference && m.Status == ModelVersionStatus.Active);
            if (match is not null)
                return match;
        }

        return models.FirstOrDefault();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_dropZone is not null)
            {
                await _dropZone.InvokeVoidAsync("dispose");
                await _dropZone.DisposeAsync();
            }

            if (_module is not null)
                await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The tab is gone: nothing left to unhook.
        }
    }
}
