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
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lib/htmx/htmx.min.js")).StatusCode);

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
    public async Task The_pending_registrations_stream_sends_the_count_and_each_change()
    {
        await using var host = new PortalHost();
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var cookies = new HttpClientHandler { CookieContainer = admin.Cookies };
        using var http = new HttpClient(cookies) { BaseAddress = host.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/events/pending");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var first = await NextEventAsync(reader, cancel.Token);
        Assert.Equal(("pending", ""), first);

        using var newcomer = host.NewClient();
        await newcomer.RegisterAsync("waiting@aigc.test", TestUsers.Password);
        var second = await NextEventAsync(reader, cancel.Token);
        Assert.Equal("pending", second.Event);
        Assert.Contains(">1</span>", second.Data);
    }

    private static async Task<(string Event, string Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && name is not null)
            {
                return (name, string.Join("\n", data));
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
