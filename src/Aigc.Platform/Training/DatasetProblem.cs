namespace Aigc.Platform.Training;

/// <summary>What is wrong with an uploaded dataset; the portal words each kind in the reader's language.</summary>
public enum DatasetProblemKind
{
    NotAZip,
    UploadTooLarge,
    TooManyFiles,
    TooMuchData,
    CompressionRatio,
    UnsafeName,
    UnreadableImage,
    ImageTooSmall,
    DuplicateImage,
    NoLabels,
    LabelsFormat,
    UnknownLabel,
    DuplicateLabel,
    MissingImage,
    UnlabelledImage,
    TooFewImages,
    TooFewClasses,
    NameTaken,
    NoName,
}

/// <summary>One problem: its kind, the file (or condition) it concerns, and the particulars in English.</summary>
public sealed record DatasetProblem(DatasetProblemKind Kind, string Entry, string Detail);
