using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;

namespace Aigc.Imaging;

/// <summary>
/// Process-wide libvips state, through NetVips and the libvips it bundles (NetVips.Native): untrusted loaders blocked
/// before any image is read, GLib warnings routed to a logger (libvips reports some load failures only as warnings).
/// </summary>
internal static class Libvips
{
    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static ILogger _logger = NullLogger.Instance;

    // NetVips keeps the delegates it is given; ours must stay alive as long as the handlers are installed.
    private static readonly Log.LogDelegate OnLog = Record;

    [ThreadStatic] private static string? _lastWarning;

    /// <summary>The libvips version in use, e.g. "8.18.7".</summary>
    public static string Version => Started.Value;

    public static void EnsureStarted() => _ = Started.Value;

    /// <summary>The mapped libvips file, from /proc/self/maps: proof of which copy this process really uses.</summary>
    public static string? LoadedFrom
    {
        get
        {
            EnsureStarted();
            if (!File.Exists("/proc/self/maps")) return null;
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6
                                 && Path.GetFileName(fields[5]).StartsWith("libvips.so", StringComparison.Ordinal))
                .Select(fields => fields[5].Trim())
                .FirstOrDefault();
        }
    }

    /// <summary>Applies cache and threading limits; safe at any time (libvips reads them per operation).</summary>
    public static void Configure(int cacheMaxOperations, long cacheMaxMemoryBytes, int threadsPerImage, ILogger? logger)
    {
        EnsureStarted();
        Cache.Max = cacheMaxOperations;
        Cache.MaxMem = (ulong)cacheMaxMemoryBytes;
        NetVips.NetVips.Concurrency = threadsPerImage;
        if (logger is not null) _logger = logger;
    }

    /// <summary>
    /// libvips' reasons for a failure on one line (NetVips puts "unable to call X" first, then the error buffer);
    /// when libvips said nothing, the last GLib warning on this thread, which is where some loaders put theirs.
    /// </summary>
    public static string Reason(VipsException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = string.Join("; ", lines.Skip(1));
        if (reason.Length == 0) reason = _lastWarning ?? (lines.Length > 0 ? lines[0] : "no reason given");
        _lastWarning = null;
        return reason;
    }

    private static string Start()
    {
        if (!ModuleInitializer.VipsInitialized)
            throw new InvalidOperationException("libvips could not be loaded", ModuleInitializer.Exception);
        // Loaders marked untrusted (TIFF, PPM, matrix, CSV, FITS, ...) must never see user bytes.
        NetVips.NetVips.BlockUntrusted = true;
        // librsvg counts as untrusted, but our SVG comes only from our own code (sheets, ads, datasets, sanitised
        // logos), never straight from users: user bytes go to the PNG/JPEG/WebP loaders by name (ImageDecoder).
        Operation.Block("VipsForeignLoadSvgBuffer", false);
        foreach (var domain in new[] { "VIPS", "GLib-GObject", "GLib" })
            Log.SetLogHandler(domain, Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Critical, OnLog);
        return NetVips.NetVips.Version(0) + "." + NetVips.NetVips.Version(1) + "." + NetVips.NetVips.Version(2);
    }

    private static void Record(string? domain, Enums.LogLevelFlags level, string? message)
    {
        // An exception must not unwind into native code: that would end the process.
        try
        {
            _lastWarning = message;
            _logger.LogWarning("{Domain}: {Message}", domain, message);
        }
        catch (Exception)
        {
            _lastWarning = null;
        }
    }
}
