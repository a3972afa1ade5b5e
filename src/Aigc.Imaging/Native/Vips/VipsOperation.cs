using System.Runtime.InteropServices;

namespace Aigc.Imaging.Native.Vips;

/// <summary>
/// Calls any libvips operation by name, as libvips' own language bindings do: arguments are typed from the
/// operation's introspected GParamSpecs, so a new operation needs no new native code.
/// </summary>
public static unsafe class VipsOperation
{
    private const int ArgumentInput = 16;
    private const int ArgumentOutput = 32;

    /// <summary>Runs an operation whose image result is named "out".</summary>
    public static VipsImage Image(string operation, params ReadOnlySpan<(string Name, object Value)> inputs) =>
        (VipsImage)Call(operation, inputs, "out")[0]!;

    /// <summary>Runs a *save_buffer operation and returns the encoded bytes.</summary>
    public static byte[] Blob(string operation, params ReadOnlySpan<(string Name, object Value)> inputs) =>
        (byte[])Call(operation, inputs, "buffer")[0]!;

    /// <summary>
    /// Runs <paramref name="operation"/> with the given inputs (VipsImage, int, double, bool, string for strings
    /// and enum/flag nicks, double[], int[], VipsImage[], byte[] for blobs) and returns the named outputs.
    /// </summary>
    public static object?[] Call(string operation, ReadOnlySpan<(string Name, object Value)> inputs, params ReadOnlySpan<string> outputs)
    {
        VipsRuntime.EnsureStarted();
        var op = VipsNative.vips_operation_new(operation);
        if (op == 0)
            throw new VipsException(operation, VipsRuntime.TakeError());

        nint built;
        try
        {
            foreach (var (name, value) in inputs)
                SetInput(operation, op, name, value);
            built = VipsNative.vips_cache_operation_build(op);
            if (built == 0)
                throw new VipsException(operation, VipsRuntime.TakeError());
        }
        catch
        {
            VipsNative.vips_object_unref_outputs(op);
            GObjectNative.g_object_unref(op);
            throw;
        }
        GObjectNative.g_object_unref(op);

        try
        {
            var results = new object?[outputs.Length];
            for (var i = 0; i < outputs.Length; i++)
                results[i] = GetOutput(operation, built, outputs[i]);
            return results;
        }
        finally
        {
            VipsNative.vips_object_unref_outputs(built);
            GObjectNative.g_object_unref(built);
        }
    }

    private static nuint ArgumentType(string operation, nint op, string name, int direction)
    {
        if (VipsNative.vips_object_get_argument(op, name, out var pspec, out var argumentClass, out _) != 0)
        {
            VipsRuntime.ClearError();
            throw new ArgumentException($"libvips {operation}: no argument named '{name}'.", name);
        }
        var flags = *(int*)(argumentClass + 16);
        if ((flags & direction) == 0)
            throw new ArgumentException($"libvips {operation}: '{name}' is not an {(direction == ArgumentInput ? "input" : "output")}.", name);
        return *(nuint*)(pspec + 24);
    }

    private static void SetInput(string operation, nint op, string name, object value)
    {
        var type = ArgumentType(operation, op, name, ArgumentInput);
        var fundamental = GObjectNative.g_type_fundamental(type);
        GValue gv = default;
        GObjectNative.g_value_init(&gv, type);
        try
        {
            switch (fundamental, value)
            {
                case (GObjectNative.TypeInt, int v): GObjectNative.g_value_set_int(&gv, v); break;
                case (GObjectNative.TypeUInt64, int v) when v >= 0: GObjectNative.g_value_set_uint64(&gv, (ulong)v); break;
                case (GObjectNative.TypeUInt64, long v) when v >= 0: GObjectNative.g_value_set_uint64(&gv, (ulong)v); break;
                case (GObjectNative.TypeDouble, double v): GObjectNative.g_value_set_double(&gv, v); break;
                case (GObjectNative.TypeDouble, int v): GObjectNative.g_value_set_double(&gv, v); break;
                case (GObjectNative.TypeBoolean, bool v): GObjectNative.g_value_set_boolean(&gv, v ? 1 : 0); break;
                case (GObjectNative.TypeString, string v): GObjectNative.g_value_set_string(&gv, v); break;
                case (GObjectNative.TypeEnum, int v): GObjectNative.g_value_set_enum(&gv, v); break;
                case (GObjectNative.TypeEnum, string nick): GObjectNative.g_value_set_enum(&gv, FromNick(operation, name, type, nick, flags: false)); break;
                case (GObjectNative.TypeFlags, int v): GObjectNative.g_value_set_flags(&gv, (uint)v); break;
                case (GObjectNative.TypeFlags, string nick): GObjectNative.g_value_set_flags(&gv, (uint)FromNick(operation, name, type, nick, flags: true)); break;
                case (GObjectNative.TypeObject, VipsImage image):
                    GObjectNative.g_value_set_object(&gv, image.Handle.DangerousGetHandle());
                    GC.KeepAlive(image);
                    break;
                case (GObjectNative.TypeBoxed, _): SetBoxed(operation, name, type, &gv, value); break;
                default:
                    throw new ArgumentException(
                        $"libvips {operation}: argument '{name}' of type {TypeName(type)} cannot take a {value.GetType().Name}.", name);
            }
            GObjectNative.g_object_set_property(op, name, &gv);
        }
        finally
        {
            GObjectNative.g_value_unset(&gv);
        }
    }

    private static void SetBoxed(string operation, string name, nuint type, GValue* gv, object value)
    {
        nint area;
        if (type == VipsNative.vips_array_double_get_type() && value is double[] doubles)
        {
            fixed (double* p = doubles) area = VipsNative.vips_array_double_new(p, doubles.Length);
        }
        else if (type == VipsNative.vips_array_int_get_type() && value is int[] ints)
        {
            fixed (int* p = ints) area = VipsNative.vips_array_int_new(p, ints.Length);
        }
        else if (type == VipsNative.vips_array_image_get_type() && value is VipsImage[] images)
        {
            var handles = new nint[images.Length];
            for (var i = 0; i < images.Length; i++) handles[i] = images[i].Handle.DangerousGetHandle();
            fixed (nint* p = handles) area = VipsNative.vips_array_image_new(p, handles.Length);
            GC.KeepAlive(images);
        }
        else if (type == VipsNative.vips_blob_get_type() && value is byte[] bytes)
        {
            fixed (byte* p = bytes) area = VipsNative.vips_blob_copy(p, (nuint)bytes.Length);
        }
        else
        {
            throw new ArgumentException(
                $"libvips {operation}: argument '{name}' of type {TypeName(type)} cannot take a {value.GetType().Name}.", name);
        }
        GObjectNative.g_value_set_boxed(gv, area);
        VipsNative.vips_area_unref(area);
    }

    private static object? GetOutput(string operation, nint built, string name)
    {
        var type = ArgumentType(operation, built, name, ArgumentOutput);
        GValue gv = default;
        GObjectNative.g_value_init(&gv, type);
        try
        {
            GObjectNative.g_object_get_property(built, name, &gv);
            switch (GObjectNative.g_type_fundamental(type))
            {
                case GObjectNative.TypeObject:
                    var obj = GObjectNative.g_value_get_object(&gv);
                    if (obj == 0) return null;
                    GObjectNative.g_object_ref(obj);
                    return new VipsImage(new VipsObjectHandle(obj));
                case GObjectNative.TypeInt: return GObjectNative.g_value_get_int(&gv);
                case GObjectNative.TypeEnum: return GObjectNative.g_value_get_enum(&gv);
                case GObjectNative.TypeDouble: return GObjectNative.g_value_get_double(&gv);
                case GObjectNative.TypeBoolean: return GObjectNative.g_value_get_boolean(&gv) != 0;
                case GObjectNative.TypeString: return Marshal.PtrToStringUTF8(GObjectNative.g_value_get_string(&gv));
                case GObjectNative.TypeBoxed:
                    var area = GObjectNative.g_value_get_boxed(&gv);
                    if (area == 0) return null;
                    var data = VipsNative.vips_area_get_data(area, out var length, out var count, out _, out _);
                    if (type == VipsNative.vips_blob_get_type())
                        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
                    if (type == VipsNative.vips_array_double_get_type())
                        return new ReadOnlySpan<double>(data, count).ToArray();
                    if (type == VipsNative.vips_array_int_get_type())
                        return new ReadOnlySpan<int>(data, count).ToArray();
                    break;
            }
            throw new NotSupportedException($"libvips {operation}: output '{name}' of type {TypeName(type)} is not supported.");
        }
        finally
        {
            GObjectNative.g_value_unset(&gv);
        }
    }

    private static int FromNick(string operation, string name, nuint type, string nick, bool flags)
    {
        var value = flags
            ? VipsNative.vips_flags_from_nick(operation, type, nick)
            : VipsNative.vips_enum_from_nick(operation, type, nick);
        if (value < 0)
        {
            VipsRuntime.ClearError();
            throw new ArgumentException($"libvips {operation}: '{nick}' is not a valid {TypeName(type)} for '{name}'.", name);
        }
        return value;
    }

    private static string TypeName(nuint type) => Marshal.PtrToStringUTF8(GObjectNative.g_type_name(type)) ?? $"GType {type}";
}
