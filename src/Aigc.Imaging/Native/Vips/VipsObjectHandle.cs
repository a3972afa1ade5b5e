using Microsoft.Win32.SafeHandles;

namespace Aigc.Imaging.Native.Vips;

/// <summary>Owns one GObject reference to a libvips object (an image); released with g_object_unref.</summary>
internal sealed class VipsObjectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public VipsObjectHandle(nint owned) : base(ownsHandle: true) => SetHandle(owned);

    protected override bool ReleaseHandle()
    {
        GObjectNative.g_object_unref(handle);
        return true;
    }
}
