namespace Aigc.Portal.Components;

/// <summary>
/// MudBlazor 9's classes for an outlined, dense input with its label shrunk above the border, for the plain fields
/// drawn in its look (<c>OutlinedNumberField</c>, <c>OutlinedSelect</c>).
/// </summary>
public static class OutlinedField
{
    public const string Control =
        "mud-input-control mud-input-control-margin-dense mud-input-outlined-with-label mud-input-input-control";

    public const string Input = "mud-input mud-input-outlined mud-input-outlined-with-label mud-input-margin-dense "
        + "mud-shrink mud-typography-subtitle1";

    public const string Slot = "mud-input-slot mud-input-root mud-input-root-outlined mud-input-root-margin-dense";

    public const string Label = "mud-input-label mud-input-label-animated mud-input-label-outlined "
        + "mud-input-label-margin-dense mud-input-label-inputcontrol";
}
