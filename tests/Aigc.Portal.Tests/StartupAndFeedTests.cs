using System.Net;
using System.Text;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Tests;

public sealed class StartupAndFeedTests
{
    [Theory]
    [InlineData("Accounts:PasswordMinLength", "3", "Accounts:PasswordMinLength")]
    [InlineData("Accounts:LockoutDuration", "00:00:00", "Accounts:LockoutDuration")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("Accounts:RegistrationPolicy", "Everyone", "Accounts:RegistrationPolicy")]
    [InlineData("Observability:OtlpEndpoint", "collector:4317", "Observability:OtlpEndpoint")]
    [InlineData("Observability:TraceSampleRatio", "1.5", "Observability:TraceSampleRatio")]
    public async Task Invalid_configuration_stops_start_up_with_a_message_naming_the_key(string key, string value, string named)
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => host.BaseAddress);
        var messages = new StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.AppendLine(e.Message);
        }

        Assert.Contains(named, messages.ToString());
    }

    [Fact]
    public async Task A_user_with_a_password_set_by_someone_else_must_change_it_first()
    {
        await using var host = new PortalHost();
        var user = await host.CreateUserAsync("temp-password@aigc.test", PortalRoles.Designer);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var tracked = await users.FindByIdAsync(user.Id);
            tracked!.MustChangePassword = true;
            await users.UpdateAsync(tracked);
        }

        using var client = host.NewClient();
        await client.SignInOrFailAsync("temp-password@aigc.test", TestUsers.Password);
        Assert.Equal("/account/password", (await client.GetAsync("/studio")).RedirectTarget());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/css/app.css")).StatusCode);

        var changed = await client.SubmitFormAsync("/account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = TestUsers.Password,
            ["Input.NewPassword"] = "My-Own-Passw0rd",
            ["Input.ConfirmPassword"] = "My-Own-Passw0rd",
        });
        Assert.Equal("/account?status=password-changed", changed.RedirectTarget());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/studio")).StatusCode);
        Assert.False((await host.FindUserAsync("temp-password@aigc.test")).MustChangePassword);
    }

    [Fact]
    public async Task The_pending_registrations_feed_sends_the_count_and_each_change()
    {
        await using var host = new PortalHost();
        var pending = host.Services.GetRequiredService<PendingRegistrations>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var counts = pending.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.True(await counts.MoveNextAsync());
        Assert.Equal(0, counts.Current);

        using var newcomer = host.NewClient();
        await newcomer.RegisterAsync("waiting@aigc.test", TestUsers.Password);
        Assert.True(await counts.MoveNextAsync());
        Assert.Equal(1, counts.Current);

        var administration = host.Services.GetRequiredService<UserAdministration>();
        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var user = await host.FindUserAsync("waiting@aigc.test");
        await administration.ApproveAsync(admin, user.Id);
        Assert.True(await counts.MoveNextAsync());
        Assert.Equal(0, counts.Current);
    }
}
