using System.Runtime.InteropServices;

namespace Aigc.Imaging.Native.Vips;

/// <summary>libvips entry points. Only fixed-argument functions: varargs cannot be called safely through P/Invoke.</summary>
internal static unsafe partial class VipsNative
{
    private const string Lib = "libvips.so.42";

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Lib)]
    internal static partial nint vips_version_string();

    [LibraryImport(Lib)]
    internal static partial void vips_block_untrusted_set(int state);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_operation_block_set(string name, int state);

    [LibraryImport(Lib)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Lib)]
    internal static partial void vips_cache_set_max_mem(nuint maxMem);

    [LibraryImport(Lib)]
    internal static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint vips_operation_new(string name);

    [LibraryImport(Lib)]
    internal static partial nint vips_cache_operation_build(nint operation);

    [LibraryImport(Lib)]
    internal static partial void vips_object_unref_outputs(nint obj);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_get_argument(nint obj, string name, out nint pspec, out nint argumentClass, out nint argumentInstance);

    [LibraryImport(Lib)]
    internal static partial nint vips_error_buffer_copy();

    [LibraryImport(Lib)]
    internal static partial void vips_error_clear();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_enum_from_nick(string domain, nuint type, string nick);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_flags_from_nick(string domain, nuint type, string nick);

    [LibraryImport(Lib)]
    internal static partial nint vips_foreign_find_load_buffer(void* data, nuint size);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_new_from_memory_copy(void* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_copy_memory(nint image);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_new_matrix_from_array(int width, int height, double* array, int size);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_double(nint image, string name, double value);

    [LibraryImport(Lib)]
    internal static partial void* vips_image_write_to_memory(nint image, out nuint size);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_width(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_height(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_bands(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_format(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_interpretation(nint image);

    [LibraryImport(Lib)]
    internal static partial nint vips_blob_copy(void* data, nuint length);

    [LibraryImport(Lib)]
    internal static partial nint vips_array_double_new(double* array, int n);

    [LibraryImport(Lib)]
    internal static partial nint vips_array_int_new(int* array, int n);

    [LibraryImport(Lib)]
    internal static partial nint vips_array_image_new(nint* images, int n);

    [LibraryImport(Lib)]
    internal static partial void vips_area_unref(nint area);

    [LibraryImport(Lib)]
    internal static partial void* vips_area_get_data(nint area, out nuint length, out int n, out nuint type, out nuint sizeofType);

    [LibraryImport(Lib)]
    internal static partial nuint vips_blob_get_type();

    [LibraryImport(Lib)]
    internal static partial nuint vips_array_double_get_type();

    [LibraryImport(Lib)]
    internal static partial nuint vips_array_int_get_type();

    [LibraryImport(Lib)]
    internal static partial nuint vips_array_image_get_type();

    [LibraryImport(Lib)]
    internal static partial nuint vips_image_get_type();
}
