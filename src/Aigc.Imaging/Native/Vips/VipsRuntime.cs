using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aigc.Imaging.Native.Vips;

/// <summary>
/// Process-wide libvips state: started once on first use, untrusted loaders blocked before any image is read,
/// GLib warnings routed to a logger (libvips reports some load failures only as warnings).
/// </summary>
internal static unsafe class VipsRuntime
{
    private const int LogLevelCritical = 1 << 3;
    private const int LogLevelWarning = 1 << 4;

    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static ILogger _logger = NullLogger.Instance;

    [ThreadStatic] private static string? _lastWarning;

    public static string Version => Started.Value;

    public static void EnsureStarted() => _ = Started.Value;

    /// <summary>Applies cache and threading limits; safe to call at any time (libvips reads them per operation).</summary>
    public static void Configure(int cacheMaxOperations, long cacheMaxMemoryBytes, int threadsPerImage, ILogger? logger)
    {
        EnsureStarted();
        VipsNative.vips_cache_set_max(cacheMaxOperations);
        VipsNative.vips_cache_set_max_mem((nuint)cacheMaxMemoryBytes);
        VipsNative.vips_concurrency_set(threadsPerImage);
        if (logger is not null) _logger = logger;
    }

    /// <summary>Takes libvips' error text (process-wide, best effort) or, when empty, the last GLib warning on this thread.</summary>
    public static string TakeError()
    {
        var text = string.Empty;
        var buffer = VipsNative.vips_error_buffer_copy();
        if (buffer != 0)
        {
            text = Marshal.PtrToStringUTF8(buffer)?.Trim() ?? string.Empty;
            GObjectNative.g_free((void*)buffer);
        }
        if (text.Length == 0) text = _lastWarning ?? "no reason given";
        _lastWarning = null;
        return text;
    }

    public static void ClearError()
    {
        VipsNative.vips_error_clear();
        _lastWarning = null;
    }

    private static string Start()
    {
        if (VipsNative.vips_init("aigc") != 0)
            throw new VipsException("vips_init", TakeError());
        // Loaders marked untrusted (ImageMagick, PDF, matload...) must never see user bytes.
        VipsNative.vips_block_untrusted_set(1);
        // librsvg counts as untrusted, but our SVG comes only from our own code (sheets, ads, datasets), never from
        // users: user bytes go to the PNG/JPEG/WebP loaders by name (ImageDecoder), so unblocking this is safe.
        VipsNative.vips_operation_block_set("VipsForeignLoadSvgBuffer", 0);
        foreach (var domain in new[] { "VIPS", "GLib-GObject", "GLib" })
            GObjectNative.g_log_set_handler(domain, LogLevelWarning | LogLevelCritical, &OnLog, 0);
        return Marshal.PtrToStringUTF8(VipsNative.vips_version_string()) ?? "unknown";
    }

    [UnmanagedCallersOnly]
    private static void OnLog(nint domain, int level, nint message, nint userData)
    {
        // An exception must not unwind into native code: that would end the process.
        try
        {
            var text = Marshal.PtrToStringUTF8(message) ?? string.Empty;
            _lastWarning = text;
            _logger.LogWarning("{Domain}: {Message}", Marshal.PtrToStringUTF8(domain), text);
        }
        catch (Exception)
        {
            _lastWarning = null;
        }
    }
}
