using System.Buffers.Binary;

namespace Aigc.Platform.Queue;

/// <summary>
/// A sketch's latent as text, for the job row, the PNG metadata and the API: float32 little-endian in base64, so
/// the exact bits travel and a variant reproduces bit for bit (decimal text would round).
/// </summary>
public static class SketchLatents
{
    public static string Write(ReadOnlySpan<float> latent)
    {
        var bytes = new byte[latent.Length * 4];
        for (var i = 0; i < latent.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), latent[i]);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The latent, or a <see cref="FormatException"/>; any length when <paramref name="expected"/> is null.</summary>
    public static float[] Read(string text, int? expected = null)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new FormatException("The sketch latent is not base64.", e);
        }

        var length = expected ?? bytes.Length / 4;
        if (bytes.Length != length * 4 || length == 0)
            throw new FormatException($"The sketch latent has {bytes.Length / 4.0} values; the model takes {length}.");
        var latent = new float[length];
        for (var i = 0; i < length; i++)
        {
            latent[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
            if (!float.IsFinite(latent[i]) || Math.Abs(latent[i]) > 20)
                throw new FormatException($"The sketch latent's value {i} ({latent[i]}) is not a finite number within ±20.");
        }

        return latent;
    }
}
