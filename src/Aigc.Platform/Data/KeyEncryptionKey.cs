using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Data;

/// <summary>
/// The key that encrypts the data-protection keys stored in the database (decision 0016), so that a database copy or
/// dump alone holds no usable key. It is 32 random bytes in the data directory (the volume every instance shares),
/// readable by the portal's user only; the first instance to start makes it, atomically, and the others read that one.
/// </summary>
public static class KeyEncryptionKey
{
    public const string FileName = "data-protection.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static byte[] LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
            Create(dataDirectory, path);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            throw new InvalidOperationException(
                $"{path} encrypts the data-protection keys and must be readable by its owner only (chmod 600 {path}).");
        }

        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? key : throw new InvalidOperationException($"{path} must hold 32 bytes (it holds {key.Length}).");
    }

    private static void Create(string dataDirectory, string path)
    {
        var temporary = Path.Combine(dataDirectory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        try
        {
            using (var file = new FileStream(temporary, options))
            {
                file.Write(RandomNumberGenerator.GetBytes(32));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance made it first: its key is the one.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

/// <summary>Encrypts a data-protection key's XML with AES-GCM under <see cref="KeyEncryptionKey"/>.</summary>
public sealed class KeyEncryptionKeyXmlEncryptor(byte[] key) : IXmlEncryptor
{
    internal const string ElementName = "aesGcmEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + 16 + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return new EncryptedXmlInfo(new XElement(ElementName, Convert.ToBase64String(sealedBytes)), typeof(KeyEncryptionKeyXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyEncryptionKeyXmlEncryptor"/> wrote; data protection makes it by type name.</summary>
public sealed class KeyEncryptionKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = KeyEncryptionKey.LoadOrCreate(services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataDirectoryFullPath);
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plaintext);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
