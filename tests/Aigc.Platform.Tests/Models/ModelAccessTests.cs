using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Tests.Models;

/// <summary>The one rule for using a model version, and the one policy for generating.</summary>
public sealed class ModelAccessTests
{
    [Theory]
    [InlineData(ModelVersionStatus.Active, "", PortalRoles.Designer, true)]
    [InlineData(ModelVersionStatus.Draft, "", PortalRoles.Designer, true)]
    [InlineData(ModelVersionStatus.Retired, "", PortalRoles.Designer, false)]
    [InlineData(ModelVersionStatus.Broken, "", PortalRoles.Admin, false)]
    [InlineData(ModelVersionStatus.Draft, "Marketer", PortalRoles.Designer, false)]
    [InlineData(ModelVersionStatus.Draft, "marketer,Designer", PortalRoles.Designer, true)]
    [InlineData(ModelVersionStatus.Active, "Marketer", PortalRoles.Admin, true)]
    public void A_version_is_usable_when_active_or_draft_and_open_to_a_role(ModelVersionStatus status, string allowed,
        string role, bool usable) =>
        Assert.Equal(usable, ModelAccess.MayUse(Version("v", status, allowed), [role]));

    [Fact]
    public void Usable_versions_list_active_ones_first()
    {
        var versions = new[] { Version("v1", ModelVersionStatus.Draft), Version("v3", ModelVersionStatus.Retired),
            Version("v2", ModelVersionStatus.Active) };
        Assert.Equal(["v2", "v1"], ModelAccess.Usable(versions, [PortalRoles.Designer]).Select(v => v.Version));
    }

    [Theory]
    [InlineData(PortalRoles.Admin, true)]
    [InlineData(PortalRoles.Designer, true)]
    [InlineData(PortalRoles.Marketer, false)]
    [InlineData(PortalRoles.Viewer, false)]
    public void Only_admins_and_designers_may_generate(string role, bool allowed)
    {
        Assert.Equal(allowed, GenerationPolicy.Allows([role]));
        var requester = new Requester("someone", [role]);
        if (allowed)
            GenerationPolicy.Demand(requester);
        else
            Assert.Equal(RefusalKind.Forbidden, Assert.Throws<GenerationRefusedException>(()
                => GenerationPolicy.Demand(requester)).Kind);
    }

    private static ModelVersion Version(string version, ModelVersionStatus status, string allowed = "") => new()
    {
        Name = "parts", Version = version, WeightsSha256 = version, ManifestJson = "{}", AddedBy = "test",
            Status = status, AllowedRoles = allowed,
    };
}
