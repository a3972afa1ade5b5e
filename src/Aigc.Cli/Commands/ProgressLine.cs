using System.Diagnostics;

namespace Aigc.Cli.Commands;

/// <summary>
/// A one-line progress bar on stderr (rewritten with \r on a terminal, one line per update when redirected,
/// at most every 2 s then): percentage, ETA and whatever the caller adds (losses, images/s).
/// </summary>
internal sealed class ProgressLine(string label, long total) : IProgress<int>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private TimeSpan? _last;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reports synchronously (unlike Progress&lt;T&gt;, which posts to the thread pool and can reorder).</summary>
    public void Report(int value) => Report(value, "");

    /// <param name="done">Units done so far in this run.</param>
    /// <param name="doneBefore">Units already done before this run (resume), which count for the bar but not the ETA.</param>
    public void Report(long done, string extra = "", long doneBefore = 0, bool force = false)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var final = doneBefore + done >= total;
            if (!force && !final && _last is { } last && now - last < (_terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2)))
                return;
            _last = now;
            var fraction = total == 0 ? 1 : (double)(doneBefore + done) / total;
            const int width = 24;
            var filled = (int)Math.Round(fraction * width);
            var eta = done == 0 ? "--:--" : Format(TimeSpan.FromSeconds(now.TotalSeconds / done * (total - doneBefore - done)));
            var line = $"{label} [{new string('#', filled)}{new string('.', width - filled)}] {doneBefore + done}/{total} {fraction:P0} ETA {eta} {extra}";
            if (_terminal)
                Console.Error.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 160) : 0));
            else
                Console.Error.WriteLine(line);
            if (final && _terminal)
                Console.Error.WriteLine();
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes:D2}:{t.Seconds:D2}";
}
