using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Components;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Aigc.Portal.Features.Ads;

/// <summary>
/// The ad composer: blueprints, kit, template, texts and sizes, with a preview rendered on the server as the user
/// types. Typing is debounced here: a preview renders only once the form has been still for <see cref="Quiet"/>,
/// and a newer change cancels a render still running, so a fast typist costs one render, not one per key.
/// </summary>
public sealed partial class Composer
{
    /// <summary>How long the form must be still before the preview renders.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private const int OfferedBlueprints = 24;

    private List<BrandKit> _kits = [];
    private List<Blueprint> _blueprints = [];
    private HashSet<Guid> _chosen = [];
    private HashSet<string> _sizes = [];
    private Guid? _kitId;
    private Guid? _campaignId;
    private string _template = "hero";
    private string _treatment = "";
    private string _headline = "";
    private string _subline = "";
    private string _cta = "";
    private string _name = "";
    private string _legal = "";
    private string _previewSize = AdCatalog.Sizes[0].Key;
    private bool _loaded;
    private bool _firstPreviewStarted;
    private bool _saving;
    private bool _previewing;
    private IReadOnlyList<FormProblem> _problems = [];
    private IReadOnlyList<FormProblem> _previewProblems = [];
    private ShownPreview? _preview;
    private CancellationTokenSource? _pending;
    private string _userId = "";

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>"Make an ad" in the gallery and the studio links here with the blueprint to start from.</summary>
    [SupplyParameterFromQuery(Name = "blueprint")] public Guid? Blueprint { get; set; }

    /// <summary>Opens an existing campaign to change its texts or kit and render it again.</summary>
    [SupplyParameterFromQuery(Name = "campaign")] public Guid? CampaignId { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var requester = await RequesterAsync();
        _userId = requester.UserId;
        _kits = await Kits.ListAsync();
        var campaign = CampaignId is { } id ? await Campaigns.FindAsync(id, requester) : null;
        _chosen = campaign?.Blueprints.Select(b => b.BlueprintId).ToHashSet() ?? (Blueprint is { } b ? [b] : []);
        _blueprints = await Campaigns.ComposableBlueprintsAsync(_chosen, requester, OfferedBlueprints);
        if (_chosen.Count == 0 && _blueprints.Count > 0)
            _chosen = [_blueprints[0].Id];
        _chosen.IntersectWith(_blueprints.Select(x => x.Id));
        var kit = _kits.FirstOrDefault(k => k.Id == campaign?.BrandKitId) ?? _kits.FirstOrDefault();
        _kitId = kit?.Id;
        _campaignId = campaign?.Id;
        _template = campaign?.TemplateId ?? _template;
        _treatment = campaign?.Treatment ?? "";
        _headline = campaign?.Headline ?? "";
        _subline = campaign?.Subline ?? "";
        _cta = campaign?.CallToAction ?? kit?.DefaultCallToAction ?? "";
        _name = campaign?.Name ?? "";
        _legal = campaign?.Legal ?? "";
        _sizes = campaign is null ? AdCatalog.Sizes.Select(s => s.Key).ToHashSet() : campaign.Sizes.Split(',').ToHashSet();
        _loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The first render with the form loaded, which may come after the first render when the database answers
        // asynchronously (PostgreSQL). Only over the circuit: after-render never runs for the server-rendered answer.
        if (!_firstPreviewStarted && _loaded && _kits.Count > 0 && _blueprints.Count > 0)
        {
            _firstPreviewStarted = true;
            _pending = new CancellationTokenSource();
            await RenderPreviewAsync(_pending.Token);
        }
    }

    private string? For(string field) =>
        _problems.FirstOrDefault(p => p.Field == field)?.Text;

    private bool Has(string field) => _problems.Any(p => p.Field == field);

    /// <summary>Applies a change the preview shows and schedules a preview once typing pauses.</summary>
    private void Change(Action apply)
    {
        apply();
        SchedulePreview();
    }

    private void KitChanged(Guid? kitId)
    {
        var old = _kits.FirstOrDefault(k => k.Id == _kitId);
        _kitId = kitId;
        // The kit's call to action follows the kit unless the user wrote their own.
        if (old is null || _cta == old.DefaultCallToAction)
            _cta = _kits.FirstOrDefault(k => k.Id == kitId)?.DefaultCallToAction ?? _cta;
        SchedulePreview();
    }

    private void ToggleBlueprint(Guid id)
    {
        if (!_chosen.Remove(id))
            _chosen.Add(id);
        SchedulePreview();
    }

    private void ToggleSize(string key, bool on)
    {
        if (on) _sizes.Add(key);
        else _sizes.Remove(key);
    }

    private void PreviewSizeChanged(string key)
    {
        _previewSize = key;
        SchedulePreview();
    }

    private void SchedulePreview()
    {
        _pending?.Cancel();
        _pending?.Dispose();
        _pending = new CancellationTokenSource();
        _ = PreviewWhenQuietAsync(_pending.Token);
    }

    private async Task PreviewWhenQuietAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Quiet, Clock, cancellationToken);
            await InvokeAsync(() => RenderPreviewAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // A newer change took over.
        }
    }

    private async Task RenderPreviewAsync(CancellationToken cancellationToken)
    {
        _previewing = true;
        StateHasChanged();
        var size = AdCatalog.Sizes.First(s => s.Key == _previewSize);
        try
        {
            var (png, warnings) = await Campaigns.PreviewAsync(Form(forPreview: true), size.Key, await RequesterAsync(),
                cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var id = Previews.Put(_userId, png, _preview?.Id);
            _preview = new ShownPreview(id, size, warnings);
            _previewProblems = [];
        }
        catch (AdInputException e)
        {
            _previewProblems = FormProblem.From(e, R);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
                _previewing = false;
        }
        StateHasChanged();
    }

    private async Task RenderAllAsync()
    {
        _saving = true;
        _problems = [];
        try
        {
            var requester = await RequesterAsync();
            var campaign = await Campaigns.SaveAsync(_campaignId, Form(forPreview: false), requester);
            await Campaigns.RenderAsync(campaign.Id, requester, CancellationToken.None);
            Navigation.NavigateTo($"ads/campaigns/{campaign.Id}");
        }
        catch (AdInputException e)
        {
            _problems = FormProblem.From(e, R);
        }
        catch (KeyNotFoundException)
        {
            _problems = [new FormProblem("campaign", T["CampaignNotFound"])];
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>The form as the Platform takes it; a preview shows placeholders for required texts not written yet.</summary>
    private CampaignForm Form(bool forPreview) => new(
        _name, _kitId, _template,
        forPreview && string.IsNullOrWhiteSpace(_headline) ? T["HeadlinePlaceholder"] : _headline,
        _subline,
        forPreview && string.IsNullOrWhiteSpace(_cta) ? T["CallToActionPlaceholder"] : _cta,
        _legal, _treatment,
        AdCatalog.Sizes.Select(s => s.Key).Where(_sizes.Contains).ToList(),
        _blueprints.Select(b => b.Id).Where(_chosen.Contains).ToList());

    private async Task<Requester> RequesterAsync() => (await AuthenticationState).User.ToRequester();

    public void Dispose()
    {
        _pending?.Cancel();
        _pending?.Dispose();
        if (_preview is { } shown)
            Previews.Forget(shown.Id);
    }

    private sealed record ShownPreview(Guid Id, AdSizeChoice Size, IReadOnlyList<AdNotice> Warnings);
}
