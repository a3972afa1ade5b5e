using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Aigc.Portal.Tests;

/// <summary>Calls to /api as a script (bearer token) or as the portal's pages (cookie + antiforgery header) make them.</summary>
public static class ApiRequests
{
    public static readonly Dictionary<string, object> SpurGear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    /// <summary>The session's antiforgery token (from the shell's sign-out form), for the RequestVerificationToken header.</summary>
    public static async Task<string> AntiforgeryTokenAsync(this PortalClient client) =>
        (await client.GetPageAsync("/")).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException("No antiforgery token on the page");

    public static Task<HttpResponseMessage> SendApiAsync(this PortalClient client, HttpMethod method, string path, object? body = null,
        string? antiforgery = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (antiforgery is not null)
            request.Headers.Add("RequestVerificationToken", antiforgery);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SubmitAsync(this PortalClient client, object body, string? antiforgery = null, string? bearer = null) =>
        client.SendApiAsync(HttpMethod.Post, "/api/generations", body, antiforgery, bearer);

    public static object Request(int count = 1, long? seed = 42, string model = "blueprints-64", Dictionary<string, object>? conditions = null) =>
        new Dictionary<string, object?> { ["model"] = model, ["conditions"] = conditions ?? SpurGear, ["count"] = count, ["seed"] = seed };

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts an application/problem+json answer with the status, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.JsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The message a validation or limit problem gives for one field; fails when the field is not named.</summary>
    public static string FieldError(this JsonElement problem, string field)
    {
        var messages = default(JsonElement);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out messages),
            $"the problem does not name {field}: {problem}");
        return messages[0].GetString()!;
    }

    /// <summary>Reads a whole event stream (it ends after "done") as (event type, data) pairs.</summary>
    public static async Task<List<(string Type, JsonElement Data)>> EventsAsync(this PortalClient client, string path, string? bearer = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancel.Token))
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        return events;
    }
}
