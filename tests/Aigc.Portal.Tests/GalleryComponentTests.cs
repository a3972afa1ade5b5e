using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Gallery;
using Aigc.Portal.Features.Gallery;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Aigc.Portal.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Aigc.Portal.Tests;

/// <summary>The selection's rules: a click toggles and anchors, a shift-click takes the range in grid order.</summary>
public sealed class GallerySelectionTests
{
    private static readonly Guid[] Grid = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();

    [Fact]
    public void A_click_toggles_and_a_shift_click_selects_the_range_from_the_anchor_either_way()
    {
        var selection = new GallerySelection();
        selection.Click(Grid[1], shift: false, Grid);
        selection.Click(Grid[4], shift: true, Grid);
        Assert.Equal(Grid[1..5], selection.Ids);
        selection.Click(Grid[2], shift: false, Grid);
        Assert.False(selection.Contains(Grid[2]));
        Assert.Equal(3, selection.Count);
        selection.Click(Grid[0], shift: true, Grid);
        Assert.Equal(Grid[..5].Order(), selection.Ids.Order());
    }

    [Fact]
    public void A_shift_click_without_an_anchor_or_outside_the_grid_toggles_one()
    {
        var selection = new GallerySelection();
        selection.Click(Grid[3], shift: true, Grid);
        Assert.Equal([Grid[3]], selection.Ids);
        var elsewhere = Guid.NewGuid();
        selection.Click(elsewhere, shift: true, Grid);
        Assert.Equal([Grid[3], elsewhere], selection.Ids);
    }

    [Fact]
    public void Select_all_replaces_and_remove_and_clear_forget()
    {
        var selection = new GallerySelection();
        selection.Click(Grid[0], shift: false, Grid);
        selection.SelectAll(Grid[2..4]);
        Assert.Equal(Grid[2..4], selection.Ids);
        selection.Remove([Grid[2]]);
        Assert.Equal([Grid[3]], selection.Ids);
        selection.Clear();
        Assert.Equal(0, selection.Count);
        selection.Click(Grid[5], shift: true, Grid);
        Assert.Equal([Grid[5]], selection.Ids);
    }
}

/// <summary>The gallery's components rendered by bUnit over a real portal's services and database.</summary>
public sealed class GalleryComponentTests : BunitContext, IClassFixture<GalleryFixture>, IAsyncLifetime
{
    private readonly GalleryFixture _fixture;
    private readonly AsyncServiceScope _scope;
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _auth;

    public GalleryComponentTests(GalleryFixture fixture)
    {
        _fixture = fixture;
        Services.AddMudServices();
        Services.AddCascadingAuthenticationState();
        // A scope of the portal's own services, as a circuit has; bUnit's own (renderer, navigation, JS) come first.
        _scope = fixture.Host.Services.CreateAsyncScope();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupModule("./Features/Gallery/Gallery.razor.js");
        _auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services dispose only asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _scope.DisposeAsync();
    }

    private static AngleSharp.Dom.IElement Input(AngleSharp.Dom.IElement element) =>
        element.TagName == "INPUT" ? element : element.QuerySelector("input")!;

    private async Task SignInAsync(string email, string role)
    {
        var user = await _fixture.Host.FindUserAsync(email);
        var auth = _auth;
        auth.SetAuthorized(email);
        auth.SetRoles(role);
        auth.SetPolicies(PortalPolicies.Gallery);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
    }

    private static GalleryFacets Facets(params FacetValue[] parts) =>
        new(3, [], new Dictionary<string, IReadOnlyList<FacetValue>> { ["part"] = parts }, [new FacetValue("hero", "hero", 1, false)], [], 0, []);

    [Fact]
    public void Ticking_a_facet_value_hands_up_the_filter_with_it_and_unticking_without_it()
    {
        GalleryFilter? changed = null;
        var filter = GalleryFilter.Parse("c.part=flange&sort=model");
        var cut = Render<FacetSidebar>(p => p
            .Add(c => c.Filter, filter)
            .Add(c => c.Facets, Facets(new FacetValue("flange", "flange", 3, true), new FacetValue("hex_nut", "hex_nut", 2, false)))
            .Add(c => c.FilterChanged, f => changed = f));
        Assert.Contains("flange 3", cut.Find("[data-testid='facet-c.part-flange']").Closest("label")!.TextContent.Trim());

        Input(cut.Find("[data-testid='facet-c.part-hex_nut']")).Change(true);
        Assert.Equal("c.part=flange&c.part=hex_nut&sort=model", changed!.ToQueryString());
        Input(cut.Find("[data-testid='facet-c.part-flange']")).Change(false);
        Assert.Equal("sort=model", changed!.ToQueryString());
        Input(cut.Find("[data-testid='facet-tag-hero']")).Change(true);
        Assert.Equal("c.part=flange&tag=hero&sort=model", changed!.ToQueryString());
        Input(cut.Find("[data-testid=facet-fav]")).Change(true);
        Assert.Equal("c.part=flange&fav=true&sort=model", changed!.ToQueryString());
        Assert.Empty(cut.FindAll("[data-testid=facet-author]"));
    }

    [Fact]
    public async Task The_page_reads_its_filter_from_the_url_and_writes_facet_changes_back_to_it()
    {
        await SignInAsync(GalleryFixture.Author, PortalRoles.Designer);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("gallery?c.part=flange&fav=true");
        var cut = Render<Gallery>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=match-count]")));
        var favourites = int.Parse(cut.Find("[data-testid=match-count]").GetAttribute("data-count")!);
        Assert.Equal(favourites, cut.FindAll("[data-testid=tile]").Count);

        Input(cut.Find("[data-testid=facet-fav]")).Change(false);
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=match-count]").GetAttribute("data-count")));
        Assert.EndsWith("/gallery?c.part=flange", navigation.Uri);
        Input(cut.Find("[data-testid='facet-c.view-front']")).Change(true);
        cut.WaitForAssertion(() => Assert.EndsWith("/gallery?c.part=flange&c.view=front", navigation.Uri));
        Input(cut.Find("[data-testid='facet-c.part-flange']")).Change(false);
        cut.WaitForAssertion(() => Assert.EndsWith("/gallery?c.view=front", navigation.Uri));

        navigation.NavigateTo("gallery?c.part=bolt");
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=match-count]").GetAttribute("data-count")));
        Assert.NotNull(cut.Find("[data-testid=empty-state]"));
    }

    [Fact]
    public async Task A_shift_click_selects_the_range_and_the_selection_bar_counts_it()
    {
        await SignInAsync(GalleryFixture.Author, PortalRoles.Designer);
        Services.GetRequiredService<NavigationManager>().NavigateTo("gallery");
        var cut = Render<Gallery>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=tile-select]").Count));
        Assert.Empty(cut.FindAll("[data-testid=selection-bar]"));
        await ClickTileAsync(cut, 0);
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=selection-count]").TextContent));
        await ClickTileAsync(cut, 2, shift: true);
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=selection-count]").TextContent));
        Assert.Equal(3, cut.FindAll("[data-testid=tile].is-selected").Count);
        await ClickTileAsync(cut, 1);
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=selection-count]").TextContent));
        await cut.Find("[data-testid=selection-clear]").ClickAsync(new MouseEventArgs());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=selection-bar]")));
    }

    /// <summary>
    /// Clicks a tile's select box. The page re-renders when its facet counts arrive, which can retire the handler of a
    /// box found just before; such a click was never delivered, so it is made again on the box as now rendered.
    /// </summary>
    private static async Task ClickTileAsync(IRenderedComponent<Gallery> cut, int index, bool shift = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cut.FindAll("[data-testid=tile-select]")[index].ClickAsync(new MouseEventArgs { ShiftKey = shift });
                return;
            }
            catch (UnknownEventHandlerIdException) when (attempt < 5)
            {
            }
        }
    }

    [Fact]
    public async Task The_blueprint_page_offers_the_svg_and_dxf_downloads_of_the_vector_api()
    {
        await SignInAsync(GalleryFixture.Author, PortalRoles.Designer);
        var id = _fixture.Blueprints[0].Id;
        var cut = Render<BlueprintPage>(p => p.Add(c => c.Id, id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=download-svg]")));

        var svg = cut.Find("[data-testid=download-svg]");
        var dxf = cut.Find("[data-testid=download-dxf]");
        Assert.Equal($"api/blueprints/{id}/vector?format=svg&download=true", svg.GetAttribute("href"));
        Assert.Equal($"api/blueprints/{id}/vector?format=dxf&download=true", dxf.GetAttribute("href"));
        Assert.Contains("SVG (vector)", svg.TextContent, StringComparison.Ordinal);
        Assert.Contains("DXF (CAD)", dxf.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_blueprint_page_says_not_found_and_shows_nothing_of_it()
    {
        await SignInAsync(GalleryFixture.Other, PortalRoles.Designer);
        var cut = Render<BlueprintPage>(p => p.Add(c => c.Id, _fixture.Blueprints[0].Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=empty-state]")));
        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("[data-testid=lightbox-seed]"));
    }
}

/// <summary>
/// A gallery tile renders again only when what it shows changed, not on every window the gallery appends.
/// </summary>
public sealed class GalleryTileRenderTests : BunitContext
{
    public GalleryTileRenderTests()
    {
        Services.AddLocalization();
    }

    [Fact]
    public void New_callbacks_for_the_same_item_do_not_render_it_again_but_selection_size_and_a_new_item_do()
    {
        var item = new GalleryItem(Guid.NewGuid(), "sha", DateTime.UtcNow, 7, 64, 64, IsFavourite: false);
        var clicks = 0;
        var cut = Render<GalleryTile>(p => p.Add(t => t.Item, item).Add(t => t.Thumbnail, "m")
            .Add(t => t.OnFavourite, () => clicks++));
        Assert.Equal(1, cut.RenderCount);

        // What the gallery does when it appends a window: the same item, new lambdas.
        cut.Render(p => p.Add(t => t.Item, item).Add(t => t.Thumbnail, "m")
            .Add(t => t.OnFavourite, () => clicks += 10));
        Assert.Equal(1, cut.RenderCount);
        cut.Find("[data-testid=tile-fav]").Click();
        Assert.Equal(1, clicks); // the kept callback still reaches the gallery

        cut.Render(p => p.Add(t => t.Item, item).Add(t => t.Thumbnail, "m").Add(t => t.Selected, true));
        Assert.Equal(2, cut.RenderCount);
        Assert.Contains("is-selected", cut.Find("[data-testid=tile]").ClassName);

        var favourite = item with { IsFavourite = true };
        cut.Render(p => p.Add(t => t.Item, favourite).Add(t => t.Thumbnail, "m").Add(t => t.Selected, true));
        Assert.Equal(3, cut.RenderCount);
        Assert.Equal("true", cut.Find("[data-testid=tile-fav]").GetAttribute("aria-pressed"));

        cut.Render(p => p.Add(t => t.Item, favourite).Add(t => t.Thumbnail, "l").Add(t => t.Selected, true));
        Assert.Equal(4, cut.RenderCount);
        Assert.Contains("size=l", cut.Find("img").GetAttribute("src"));
    }
}
