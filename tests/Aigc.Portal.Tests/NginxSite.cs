using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Aigc.Testing;

namespace Aigc.Portal.Tests;

/// <summary>
/// deploy/nginx/aigc-portal.conf run by Debian's nginx on loopback, in a private prefix (its own pid, logs, temp
/// folders and a self-signed certificate), with only the deployment-specific values swapped: the upstream servers,
/// the listen addresses and the certificate paths. Every swap must match, so a changed site file fails loudly here.
/// </summary>
public sealed partial class NginxSite : IDisposable
{
    private const string Nginx = "/usr/sbin/nginx";

    private NginxSite(string prefix, int httpsPort)
    {
        Prefix = prefix;
        HttpsPort = httpsPort;
    }

    public string Prefix { get; }

    public int HttpsPort { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{HttpsPort}/");

    private string Config => Path.Combine(Prefix, "nginx.conf");

    /// <summary>Writes the configuration for two upstream portal ports; starts nothing.</summary>
    public static NginxSite Prepare(int portalA, int portalB)
    {
        Assert.True(File.Exists(Nginx), $"{Nginx} is missing: install Debian's nginx (./build.sh test does).");
        var prefix = Directory.CreateTempSubdirectory("aigc-nginx-").FullName;
        // Workers drop root for 'nobody' and must reach their temp folders below the prefix.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(prefix, (UnixFileMode)0b111_101_101);
        var site = new NginxSite(prefix, FreePort());
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
            "-keyout", Path.Combine(prefix, "key.pem"), "-out", Path.Combine(prefix, "cert.pem"));
        var text = File.ReadAllText(Path.Combine(SiteFolder, "aigc-portal.conf"));
        text = Swap(text, "server 10.0.0.11:8080", $"server 127.0.0.1:{portalA}", 1);
        text = Swap(text, "server 10.0.0.12:8080", $"server 127.0.0.1:{portalB}", 1);
        text = Swap(text, "listen 80;", $"listen 127.0.0.1:{FreePort()};", 1);
        text = Swap(text, "listen 443 ssl http2;", $"listen 127.0.0.1:{site.HttpsPort} ssl http2;", 1);
        text = Swap(text, "/etc/ssl/aigc/fullchain.pem", Path.Combine(prefix, "cert.pem"), 1);
        text = Swap(text, "/etc/ssl/aigc/privkey.pem", Path.Combine(prefix, "key.pem"), 1);
        var ipv6 = Ipv6Listen().Matches(text).Count;
        Assert.Equal(2, ipv6);
        text = Ipv6Listen().Replace(text, "");
        File.WriteAllText(Path.Combine(prefix, "aigc-portal.conf"), text);
        File.WriteAllText(site.Config, $$"""
            pid {{prefix}}/nginx.pid;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/aigc-portal.conf;
            }
            """);
        return site;
    }

    /// <summary>`nginx -t`: exit status and output.</summary>
    public (int ExitCode, string Output) Test() => Execute(Nginx, [.. NginxArguments, "-t"]);

    /// <summary>
    /// Starts nginx; it has bound its ports when the launcher returns (it daemonizes after binding). Its output goes to
    /// a file, not a pipe: the daemon would hold a pipe open after the launcher exits.
    /// </summary>
    public void Start()
    {
        var log = Path.Combine(Prefix, "start.log");
        var command = string.Join(' ', NginxArguments.Prepend(Nginx).Select(a => $"'{a}'")) + $" > '{log}' 2>&1";
        using var launcher = Process.Start("/bin/sh", ["-c", command]);
        launcher.WaitForExit();
        Assert.True(launcher.ExitCode == 0, $"nginx did not start: {File.ReadAllText(log)}");
    }

    public void Dispose()
    {
        var pidFile = Path.Combine(Prefix, "nginx.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            Execute(Nginx, [.. NginxArguments, "-s", "stop"]);
            try
            {
                using var master = Process.GetProcessById(pid);
                master.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        Directory.Delete(Prefix, recursive: true);
    }

    private static string SiteFolder =>
        Path.Combine(Path.GetDirectoryName(RepositoryFolders.Models)!, "deploy", "nginx");

    private string[] NginxArguments => ["-p", Prefix, "-e", Path.Combine(Prefix, "error.log"), "-c", Config];

    private static string Swap(string text, string from, string to, int expected)
    {
        var count = Regex.Matches(text, Regex.Escape(from)).Count;
        Assert.True(count == expected,
            $"deploy/nginx/aigc-portal.conf: expected '{from}' {expected} time(s), found {count}.");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] arguments)
    {
        var (code, output) = Execute(file, arguments);
        Assert.True(code == 0, $"{file} failed: {output}");
    }

    private static (int, string) Execute(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    [GeneratedRegex(@"^\s*listen \[::\]:\d+[^;]*;\s*$\n?", RegexOptions.Multiline)]
    private static partial Regex Ipv6Listen();
}
