using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Personal API tokens: made and revoked on the account page, hashed at rest, acting with the owner's current rights, for /api only.</summary>
public sealed class ApiTokenTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_token_from_the_account_page_drives_the_api_without_antiforgery_and_stops_at_once_when_revoked()
    {
        var owner = await Host.CreateUserAsync("token-owner@aigc.test", PortalRoles.Designer);
        using var browser = await SignedInAsync("token-owner@aigc.test");
        var secret = await CreateTokenAsync(owner.Id, "nightly batch");
        Assert.Matches("^aigc_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$", secret);

        var stored = await Host.QueryAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.UserId == owner.Id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored.SecretHash);
        Assert.Equal(secret[5..13], stored.Prefix);
        var accountPage = await (await browser.GetAsync("/account")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret[14..], accountPage);
        Assert.Contains($"aigc_{stored.Prefix}_", accountPage);

        using var script = Host.NewClient();
        var job = await (await script.SubmitAsync(ApiRequests.Request(), bearer: secret)).JsonAsync(HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        var events = await script.EventsAsync($"/api/generations/{id}/events", bearer: secret);
        Assert.Equal("completed", events[^1].Data.GetProperty("status").GetString());
        var image = events[^1].Data.GetProperty("images")[0].GetProperty("url").GetString()!;
        var png = await script.SendApiAsync(HttpMethod.Get, image, bearer: secret);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await Host.QueryAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == stored.Id))).LastUsedAt);

        Assert.True(await WithTokensAsync(tokens => tokens.RevokeAsync(Principal(owner.Id), stored.Id)));
        Assert.Contains("Revoked", await (await browser.GetAsync("/account")).Content.ReadAsStringAsync());

        var refused = await script.SendApiAsync(HttpMethod.Get, $"/api/generations/{id}", bearer: secret);
        Assert.Contains("revoked", (await refused.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString());
        await (await script.SubmitAsync(ApiRequests.Request(), bearer: secret)).ProblemAsync(HttpStatusCode.Unauthorized);

        var actions = await Host.QueryAsync(db => db.AuditEntries.Where(a => a.TargetId == stored.Id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Equal(["api-token.create", "api-token.revoke"], actions.Order());
    }

    [Fact]
    public async Task A_token_acts_with_its_owners_current_roles_and_not_when_the_owner_is_locked()
    {
        var owner = await Host.CreateUserAsync("token-roles@aigc.test", PortalRoles.Designer);
        var secret = await CreateTokenAsync(owner.Id, "roles");
        using var script = Host.NewClient();
        await (await script.SubmitAsync(ApiRequests.Request(), bearer: secret)).JsonAsync(HttpStatusCode.Accepted);

        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(owner.Id))!;
            await users.RemoveFromRoleAsync(user, PortalRoles.Designer);
            await users.AddToRoleAsync(user, PortalRoles.Viewer);
        }

        // Now a viewer: viewers may not generate (GenerationPolicy), whatever the token could do before.
        var viewer = await (await script.SubmitAsync(ApiRequests.Request(), bearer: secret))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Admin and Designer", viewer.GetProperty("detail").GetString());

        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(owner.Id))!;
            await users.RemoveFromRoleAsync(user, PortalRoles.Viewer);
        }

        await (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).ProblemAsync(HttpStatusCode.Forbidden);

        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(owner.Id))!;
            await users.AddToRoleAsync(user, PortalRoles.Designer);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        }

        var locked = await (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("locked", locked.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Tokens_never_sign_in_to_pages_and_unknown_or_expired_tokens_get_401()
    {
        var owner = await Host.CreateUserAsync("token-pages@aigc.test", PortalRoles.Admin);
        using var browser = await SignedInAsync("token-pages@aigc.test");
        var secret = await CreateTokenAsync(owner.Id, "pages");
        using var script = Host.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

        foreach (var page in new[] { "/gallery", "/account", "/admin/users", $"/blueprints/{Guid.NewGuid()}/image" })
        {
            var response = await script.SendApiAsync(HttpMethod.Get, page, bearer: secret);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {(int)response.StatusCode}");
            Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
        }

        var forged = secret[..^4] + "AAAA";
        await (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: forged)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: "not-a-token")).ProblemAsync(HttpStatusCode.Unauthorized);

        await Host.QueryAsync(db => db.ApiTokens.Where(t => t.UserId == owner.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));
        var expired = await (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", expired.GetProperty("detail").GetString());
        Assert.Contains("Expired", await (await browser.GetAsync("/account")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_token_and_a_nameless_token_is_refused()
    {
        var tokenA = await Host.CreateUserAsync("token-a@aigc.test", PortalRoles.Designer);
        var tokenB = await Host.CreateUserAsync("token-b@aigc.test", PortalRoles.Designer);
        var secret = await CreateTokenAsync(tokenA.Id, "mine");
        var id = await Host.QueryAsync(db => db.ApiTokens.Where(t => t.Name == "mine").Select(t => t.Id).SingleAsync());

        Assert.False(await WithTokensAsync(tokens => tokens.RevokeAsync(Principal(tokenB.Id), id)));
        Assert.Null(await Host.QueryAsync(db => db.ApiTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        using var script = Host.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await script.SendApiAsync(HttpMethod.Get, "/api/models", bearer: secret)).StatusCode);

        await Assert.ThrowsAsync<ArgumentException>(() => WithTokensAsync(tokens => tokens.CreateAsync(Principal(tokenB.Id), "  ", null)));
        Assert.False(await Host.QueryAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == tokenB.Id)));
        // Tokens are made on the account page's circuit only: no form endpoint is left to forge.
        using var b = await SignedInAsync("token-b@aigc.test");
        var forgedForm = await b.PostFormAsync("/account/tokens", [new("name", "csrf"), new("expiresInDays", "30")]);
        Assert.False(forgedForm.IsSuccessStatusCode);
        Assert.False(await Host.QueryAsync(db => db.ApiTokens.AnyAsync(t => t.Name == "csrf")));
    }

    private Task<string> CreateTokenAsync(string userId, string name) =>
        WithTokensAsync(async tokens => (await tokens.CreateAsync(Principal(userId), name, DateTime.UtcNow.AddDays(30))).Secret);

    private async Task<T> WithTokensAsync<T>(Func<ApiTokens, Task<T>> use)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ApiTokens>());
    }

    private static ClaimsPrincipal Principal(string userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, userId)], "test"));

    private async Task<PortalClient> SignedInAsync(string email)
    {
        var client = Host.NewClient();
        await client.SignInOrFailAsync(email, TestUsers.Password);
        return client;
    }
}
