using System.Runtime.InteropServices;

namespace Aigc.Imaging.Native.Vips;

/// <summary>GObject and GLib functions used to drive libvips operations through properties.</summary>
internal static unsafe partial class GObjectNative
{
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    internal const nuint TypeBoolean = 20;
    internal const nuint TypeInt = 24;
    internal const nuint TypeUInt64 = 44;
    internal const nuint TypeEnum = 48;
    internal const nuint TypeFlags = 52;
    internal const nuint TypeDouble = 60;
    internal const nuint TypeString = 64;
    internal const nuint TypeBoxed = 72;
    internal const nuint TypeObject = 80;

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_set_property(nint obj, string name, GValue* value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_get_property(nint obj, string name, GValue* value);

    [LibraryImport(GObject)]
    internal static partial nint g_object_ref(nint obj);

    [LibraryImport(GObject)]
    internal static partial void g_object_unref(nint obj);

    [LibraryImport(GObject)]
    internal static partial GValue* g_value_init(GValue* value, nuint type);

    [LibraryImport(GObject)]
    internal static partial void g_value_unset(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_int(GValue* value, int v);

    [LibraryImport(GObject)]
    internal static partial int g_value_get_int(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_uint64(GValue* value, ulong v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_double(GValue* value, double v);

    [LibraryImport(GObject)]
    internal static partial double g_value_get_double(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_boolean(GValue* value, int v);

    [LibraryImport(GObject)]
    internal static partial int g_value_get_boolean(GValue* value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_value_set_string(GValue* value, string v);

    [LibraryImport(GObject)]
    internal static partial nint g_value_get_string(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_enum(GValue* value, int v);

    [LibraryImport(GObject)]
    internal static partial int g_value_get_enum(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_flags(GValue* value, uint v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_object(GValue* value, nint obj);

    [LibraryImport(GObject)]
    internal static partial nint g_value_get_object(GValue* value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_boxed(GValue* value, nint boxed);

    [LibraryImport(GObject)]
    internal static partial nint g_value_get_boxed(GValue* value);

    [LibraryImport(GObject)]
    internal static partial nuint g_type_fundamental(nuint type);

    [LibraryImport(GObject)]
    internal static partial int g_type_is_a(nuint type, nuint isAType);

    [LibraryImport(GObject)]
    internal static partial nint g_type_name(nuint type);

    [LibraryImport(GLib)]
    internal static partial void g_free(void* mem);

    [LibraryImport(GLib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint g_log_set_handler(string? logDomain, int logLevels, delegate* unmanaged<nint, int, nint, nint, void> handler, nint userData);
}

/// <summary>GLib's GValue: a GType followed by two 8-byte data words (24 bytes, 8-byte aligned). Must be zeroed before g_value_init.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct GValue
{
    [FieldOffset(0)] public nuint GType;
    [FieldOffset(8)] public long Data0;
    [FieldOffset(16)] public long Data1;
}
