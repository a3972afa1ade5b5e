using Aigc.Imaging.Metadata;

namespace Aigc.Platform.Blueprints;

/// <summary>A blueprint's PNG as it is handed out: as stored, or without the aigc metadata that makes it reproducible.</summary>
public static class BlueprintFile
{
    public static byte[] WithoutMetadata(byte[] png) => BlueprintMetadata.Strip(png);
}
