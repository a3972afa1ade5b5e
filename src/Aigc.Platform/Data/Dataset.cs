namespace Aigc.Platform.Data;

/// <summary>A named collection of a company's drawings; its content lives in immutable <see cref="DatasetVersion"/>s.</summary>
public class Dataset
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string CreatedById { get; set; }

    public required string CreatedByName { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<DatasetVersion> Versions { get; set; } = [];
}

/// <summary>
/// One imported ZIP after preprocessing: every image a PNG in the blob store named by its SHA-256, never changed.
/// <see cref="DataHash"/> is what a trained model's manifest records (DatasetFolder.Hash of the materialised folder).
/// </summary>
public class DatasetVersion
{
    public Guid Id { get; set; }

    public Guid DatasetId { get; set; }

    public Dataset? Dataset { get; set; }

    public int Number { get; set; }

    /// <summary>"sha256:" + hex over labels.csv and the images in label order.</summary>
    public required string DataHash { get; set; }

    public int ImageSize { get; set; }

    public int ImageCount { get; set; }

    /// <summary>Drawings that were dark lines on light paper and were inverted to the model's convention.</summary>
    public int InvertedCount { get; set; }

    /// <summary>Blob of the contact sheet: one row per part class and view.</summary>
    public required string ContactSheetSha256 { get; set; }

    /// <summary>The uploaded file's name, for people.</summary>
    public required string SourceName { get; set; }

    public required string CreatedByName { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<DatasetImage> Images { get; set; } = [];
}

/// <summary>One preprocessed drawing of a version and its conditions.</summary>
public class DatasetImage
{
    public Guid VersionId { get; set; }

    public int Index { get; set; }

    public required string Sha256 { get; set; }

    public required string Part { get; set; }

    public required string View { get; set; }

    public required string Complexity { get; set; }
}
