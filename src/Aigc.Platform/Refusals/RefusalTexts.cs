namespace Aigc.Platform.Refusals;

/// <summary>
/// Every refusal code and label term, with its English text (composite format, invariant culture). The portal has the
/// same keys in its RefusalText resources, English and Chinese, with the same placeholders (a test compares them);
/// the English here stays what the HTTP API has always answered.
/// </summary>
public static class RefusalTexts
{
    public static IReadOnlyDictionary<string, string> English { get; } = new Dictionary<string, string>
    {
        // The queue (GenerationQueue, GenerationPolicy, ConditionsJson, StudioService).
        ["CountRange"] = "count must be from 1 to {0} (got {1}).",
        ["SeedRange"] = "seed must be from 0 to {0} (got {1}).",
        ["UnknownPreset"] = "Unknown preset \"{0}\"; presets are {1}.",
        ["StrengthRange"] = "strength must be from 0 to {0} (got {1}).",
        ["VariationSeedRange"] = "variationSeed must be from 0 to {0} (got {1}).",
        ["FramesRange"] = "frames must be from {0} to {1} (got {2}).",
        ["FramesDoNotFit"] = "frames {0} to {1} do not fit a strip of {2} frames.",
        ["EndSeedRange"] = "endSeed must be from 0 to {0} (got {1}).",
        ["EndConditionsMissing"] = "An interpolation needs the conditions of its far end.",
        ["UnknownRecipe"] = "Unknown recipe {0}.",
        ["QueueFull"] = "The queue is full ({0} images waiting); try again in about {1} s.",
        ["QueuedCap"] = "You may have {0} images queued at once; {1} are queued, so {2} more fit now.",
        ["DailyQuota"] = "Your daily quota is {0} images (UTC day); {1} used, {2} left.",
        ["GenerateForbidden"] = "Generating images is open to the {0} roles only.",
        ["InterpolateSameModel"] = "Both results must come from the same model version.",
        ["InterpolateSketchToResult"] = "Interpolation runs from a sketch to a generated result; pick one of each.",
        // Starting from a sketch (SketchReader, GenerationQueue, the API).
        ["SketchTooLarge"] = "The sketch is larger than the limit of {0:N0} KiB.",
        ["SketchEmpty"] = "The sketch file is empty (0 bytes).",
        ["SketchRefused"] = "{0}",
        ["SketchImageBase64"] = "sketch.image must be the drawing's file in base64.",
        ["SketchLatent"] = "{0}",
        ["SketchVaryOrInterpolate"] = "A sketch recipe either varies (strength) or interpolates (endSeed), not both.",
        ["SketchClosestIsOne"] = "A sketch's closest image is one image (got count {0}); ask for variants with a strength.",
        ["ModelNoSketchEncoder"] =
            "{0} has no sketch encoder; starting from a sketch needs a version that ships one.",
        ["UnknownCondition"] = "Unknown condition \"{0}\"; the model has {1}.",
        ["ConditionRequired"] = "Condition \"{0}\" is required ({1}).",
        ["ConditionValue"] = "\"{0}\" is not a value of \"{1}\" ({2}).",
        ["NumberRequired"] = "Condition \"{0}\" is required (a number from {1} to {2}).",
        ["NumberValue"] = "\"{0}\" is not a number from {1} to {2} for \"{3}\".",

        // The model registry (ModelRegistry): the refusals a user of a version meets, and the rest by their words.
        ["ModelUnknown"] = "No model version \"{0}\".",
        ["ModelNoActive"] = "No model version \"{0}\" (no active version of that name).",
        ["ModelRetired"] = "{0} is retired.",
        ["ModelBroken"] = "{0} is broken: {1}",
        ["ModelRolesOnly"] = "{0} is open to {1} only.",
        ["ModelRejected"] = "{0}",
        ["NoActiveVersion"] = "\"{0}\" has no active version to roll back from.",
        ["NoEarlierVersion"] = "{0} has no earlier active version to roll back to.",
        ["RollBackToRetired"] = "The version before {0} is {1}, which is retired; activate another version instead.",
        ["RollBackToBroken"] = "The version before {0} is {1}, which is broken; activate another version instead.",
        ["BrokenCannotActivate"] = "{0} is broken ({1}); it cannot be activated.",

        // The gallery (Curation, CollectionCuration, GalleryService, ThumbnailSizes, the ZIP endpoint).
        ["ThumbnailSize"] = "size: \"{0}\" is not a thumbnail size (s, m, l).",
        ["NoSuchBlueprint"] = "No such blueprint.",
        ["TagMissing"] = "tag: give at least one tag.",
        ["TagTooLong"] = "tag: \"{0}…\" is longer than {1} characters.",
        ["NoteTooLong"] = "note: at most {0} characters.",
        ["SelectAtLeastOne"] = "ids: select at least one blueprint.",
        ["SelectAtMost"] = "ids: at most {0} blueprints at once (Gallery:MaxSelection).",
        ["SelectRange"] = "ids: select 1 to {0} blueprints (Gallery:MaxSelection).",
        ["NotABlueprintId"] = "ids: \"{0}\" is not a blueprint id.",
        ["NotYoursToChange"] = "Some of the blueprints do not exist or are not yours to change.",
        ["BlueprintsMissing"] = "Some of the blueprints do not exist.",
        ["FilterName"] = "name: give the filter a name of at most {0} characters.",
        ["NoSuchCollection"] = "No such collection of yours.",
        ["NoEditableCollection"] = "No such collection you may edit.",
        ["CoverNotInCollection"] = "cover: the cover must be a blueprint in the collection.",
        ["UnknownRole"] = "role: \"{0}\" is not a role ({1}).",
        ["UnknownUser"] = "user: no user \"{0}\".",
        ["ShareTarget"] = "Share with a role or a user's email.",
        ["CollectionNameMissing"] = "name: give the collection a name.",
        ["CollectionNameTooLong"] = "name: at most {0} characters.",

        // Ads (BrandKitForm, CampaignForm, BrandKits, AdCampaigns).
        ["Required"] = "{0} is required.",
        ["TooLong"] = "{0} is {1} characters; at most {2}.",
        ["ControlCharacters"] = "{0} contains control characters.",
        ["Colour"] = "{0} must be a colour like #0b4f9c.",
        ["FontNotInstalled"] = "The font family '{0}' is not installed on the server; choose one of {1}.",
        ["CampaignNameTooLong"] = "Campaign name is at most {0} characters.",
        ["ChooseSize"] = "Choose at least one size.",
        ["ChooseTemplate"] = "Choose a template: {0}.",
        ["Treatment"] = "Treatment must be one of {0}, or empty for the template's own.",
        ["UnsupportedSize"] = "'{0}' is not a supported size; use {1}.",
        ["PickBlueprint"] = "Pick at least one blueprint.",
        ["TooManyBlueprints"] = "Pick at most {0} blueprints per campaign.",
        ["ChooseKit"] = "Choose a brand kit.",
        ["KitGone"] = "That brand kit does not exist (any more).",
        ["BlueprintNotUsable"] = "A chosen blueprint does not exist or is not yours to use.",
        ["BlueprintGone"] = "A blueprint of this campaign is no longer available to you.",
        ["LogoTooLarge"] = "The logo is larger than {0:N0} bytes, the most a logo may be.",
        ["LogoRefused"] = "{0}",
        ["KitNameTaken"] = "Team {0} already has a brand kit named {1}.",

        // Terms: the labels of form fields that refusals name.
        ["Term.Team"] = "Team",
        ["Term.Name"] = "Name",
        ["Term.CampaignName"] = "Campaign name",
        ["Term.PrimaryColour"] = "Primary colour",
        ["Term.SecondaryColour"] = "Secondary colour",
        ["Term.BackgroundColour"] = "Background colour",
        ["Term.DefaultCallToAction"] = "Default call to action",
        ["Term.FontFamily"] = "Font family",
        ["Term.Headline"] = "Headline",
        ["Term.Subline"] = "Subline",
        ["Term.CallToAction"] = "Call to action",
        ["Term.Legal"] = "Legal text",
    };

    /// <summary>The English text of a code or term; an unknown key is a programming error, said loudly.</summary>
    public static string EnglishFor(string key) => English.TryGetValue(key, out var text)
        ? text
        : throw new KeyNotFoundException($"No refusal text \"{key}\" (Aigc.Platform.Refusals.RefusalTexts).");
}
