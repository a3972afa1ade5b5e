using Aigc.Platform.Refusals;

namespace Aigc.Platform.Models;

/// <summary>
/// A model version folder or file that cannot be used; the message says why and names the file. <see cref="File"/>
/// names the part at fault (one of <see cref="ModelFiles"/>' file names, or "version") where it is known.
/// <see cref="Refusal"/> is the reason in words the web translates: a typed code where a user of the version meets it
/// (unknown, retired, broken, not open to their roles), else the English message as <c>ModelRejected</c>.
/// </summary>
public sealed class ModelRejectedException : Exception
{
    public ModelRejectedException(string message, Exception? inner = null, string? file = null) : base(message, inner)
    {
        File = file;
        Refusal = new Refusal("ModelRejected", file ?? "model", message);
    }

    public ModelRejectedException(Refusal refusal) : base(refusal.English)
    {
        Refusal = refusal;
    }

    public string? File { get; }

    public Refusal Refusal { get; }
}
