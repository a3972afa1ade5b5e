using System.Security.Claims;
using Aigc.Generation.Inference;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Status;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Status;

public sealed class SystemStatusTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(_folder.Sub("data"));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Admin_status_lists_the_workers_alive_with_their_load_and_not_those_whose_heartbeat_stopped()
    {
        var heartbeat = new WorkerHeartbeat(_host.Get<IDbContextFactory<PortalDbContext>>(),
            _host.Get<IInferenceDevice>(), TimeProvider.System);
        await heartbeat.BeatAsync("gpu-box:41:a1", activeJobs: 2, pendingImages: 12);
        await using (var db = _host.OpenDatabase())
        {
            // A worker last heard from an hour ago, far past three heartbeats.
            db.Workers.Add(new WorkerRecord
            {
                Id = "old-box:7:b2", Host = "old-box", Device = "CPU", StartedAt = DateTime.UtcNow.AddHours(-2),
                HeartbeatAt = DateTime.UtcNow.AddHours(-1),
            });
            await db.SaveChangesAsync();
        }

        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, PortalRoles.Admin)], "test"));
        var status = await _host.Get<SystemStatus>().ReadAsync(admin);

        var worker = Assert.Single(status.Workers);
        Assert.Equal(("gpu-box:41:a1", 2, 12), (worker.Id, worker.ActiveJobs, worker.PendingImages));
        Assert.Equal(_host.Get<IInferenceDevice>().Name, worker.Device);

        var designer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, PortalRoles.Designer)], "test"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _host.Get<SystemStatus>().ReadAsync(designer));
    }
}
