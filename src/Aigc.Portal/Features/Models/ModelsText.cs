namespace Aigc.Portal.Features.Models;

/// <summary>Texts of Admin › Models (ModelsText.resx, ModelsText.zh-Hans.resx).</summary>
public sealed class ModelsText;
