using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Aigc.Portal.Tests;

/// <summary>A browser-like HTTP client: its own cookie jar, no automatic redirects, and form posts that carry the page's antiforgery token.</summary>
public sealed class PortalClient : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    /// <param name="anyCertificate">Accept any TLS certificate: nginx in front, with a self-signed one.</param>
    public PortalClient(Uri baseAddress, bool anyCertificate = false)
    {
        Cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false };
        if (anyCertificate)
            handler.ServerCertificateCustomValidationCallback =
                HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        _http = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion) => _http.SendAsync(request, completion);

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<IHtmlDocument> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode} {response.Headers.Location}");
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>Fills the page's form named <paramref name="formName"/> (Blazor's _handler) and submits it like a browser.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string path, string formName, IDictionary<string, string> fields)
    {
        var page = await GetPageAsync(path);
        var form = page.Forms.FirstOrDefault(f => f.QuerySelector($"input[name=_handler][value='{formName}']") is not null)
                   ?? throw new InvalidOperationException($"No form '{formName}' on {path}");
        var values = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }

        return await PostFormAsync(form.GetAttribute("action") ?? path, values);
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> values, IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(values) };
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(key, value);
        }

        return _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var response = await SubmitFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return response;
    }

    public async Task SignInOrFailAsync(string email, string password)
    {
        var response = await SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"sign-in of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<HttpResponseMessage> RegisterAsync(string email, string password, string name = "Test User", string? invite = null)
    {
        var path = invite is null ? "/account/register" : $"/account/register?invite={Uri.EscapeDataString(invite)}";
        return await SubmitFormAsync(path, "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
    }

    public void Dispose() => _http.Dispose();
}

public static class HttpResponseExtensions
{
    /// <summary>The redirect's path and query, whether the server sent an absolute or a relative Location.</summary>
    public static string RedirectTarget(this HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }
}
