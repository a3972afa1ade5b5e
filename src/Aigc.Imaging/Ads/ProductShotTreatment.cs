namespace Aigc.Imaging.Ads;

/// <summary>How the blueprint (white lines on black) is shown in the image slot.</summary>
public enum ProductShotTreatment
{
    /// <summary>The lines alone, in a colour that reads on the slot's brand colour.</summary>
    Line,

    /// <summary>A duotone: the drawing's dark ground becomes the slot colour, its lines the brand's primary or secondary.</summary>
    Recolour,

    /// <summary>The blueprint sheet of the post-processing pipeline (grid paper, frame, title block) in the brand's primary colour.</summary>
    Sheet,
}
