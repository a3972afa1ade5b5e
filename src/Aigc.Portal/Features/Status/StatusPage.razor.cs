using System.Globalization;
using System.Security.Claims;
using Aigc.Platform.Status;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Aigc.Portal.Features.Status;

/// <summary>
/// The queue, the worker's figures, the device and the loaded models, kept live through the circuit: the component
/// reads <see cref="SystemStatus"/> again on a server-side timer and whenever the queue changes in this process.
/// </summary>
public sealed partial class StatusPage
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    // A busy queue pulses several times a second: at most one reading per this gap.
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private ClaimsPrincipal _admin = new();
    private PortalStatus? _status;
    private long _refreshes;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _admin = (await AuthenticationState).User;
        _status = await SystemStatus.ReadAsync(_admin, _stop.Token);
        if (RendererInfo.IsInteractive)
        {
            _ = KeepLiveAsync(_stop.Token);
        }
    }

    private async Task KeepLiveAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        try
        {
            while (true)
            {
                await Task.WhenAny(tick, SystemStatus.NextChange).WaitAsync(cancellationToken);
                if (tick.IsCompleted)
                {
                    await tick;
                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                }

                var status = await SystemStatus.ReadAsync(_admin, cancellationToken);
                await InvokeAsync(() =>
                {
                    _status = status;
                    _refreshes++;
                    StateHasChanged();
                });
                await Task.Delay(MinimumGap, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page was closed.
        }
        catch (ObjectDisposedException)
        {
            // The server is stopping: its services went before this circuit did.
        }
        catch (Exception e)
        {
            // Shown by the circuit's error UI rather than lost in an unobserved task.
            await InvokeAsync(() => DispatchExceptionAsync(e));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private static string Rate(double value) => value.ToString(value >= 10 ? "N0" : "0.0#", CultureInfo.CurrentCulture);

    private static double Percent(double fraction) => Math.Round(fraction * 100);

    private string Ago(DateTime utc) =>
        Math.Max(0, (Clock.GetUtcNow().UtcDateTime - utc).TotalSeconds).ToString("0", CultureInfo.CurrentCulture);

    private static double CacheUse(PortalStatus status) =>
        status.Device.CapacityBytes == 0 ? 0 : 100.0 * status.Device.UsedBytes / status.Device.CapacityBytes;

    private static string ImagesText(long images) => images.ToString("N0", CultureInfo.CurrentCulture);

    private string Time(TimeSpan? value) => value switch
    {
        null => "—",
        { TotalSeconds: < 1 } v => T["Milliseconds", v.TotalMilliseconds.ToString("0")],
        { TotalMinutes: < 2 } v => T["Seconds", v.TotalSeconds.ToString("0.0")],
        { } v => T["Minutes", v.TotalMinutes.ToString("0.0")],
    };

    private string Mb(long bytes) => T["Megabytes", (bytes / (1024.0 * 1024)).ToString("N1")];
}
