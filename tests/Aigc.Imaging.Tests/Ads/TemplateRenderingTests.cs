using Aigc.Imaging.Ads;

namespace Aigc.Imaging.Tests.Ads;

/// <summary>
/// Every template at every standard size: each text lands inside its slot, judged by the rendered pixels. A slot's
/// text is swapped for a different one and the two renderings compared; no pixel may change outside that slot.
/// </summary>
public sealed class TemplateRenderingTests : IDisposable
{
    private readonly VipsImage _product = AdSamples.Blueprint();

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var template in AdTemplateCatalog.All)
            foreach (var size in AdSize.Standard)
                data.Add(template.Id, size.Width, size.Height);
        return data;
    }

    [Fact]
    public void There_are_at_least_six_templates_each_with_image_headline_and_call_to_action_at_every_size()
    {
        Assert.True(AdTemplateCatalog.All.Count >= 6, $"{AdTemplateCatalog.All.Count} templates");
        foreach (var template in AdTemplateCatalog.All)
            foreach (var size in AdSize.Standard)
            {
                var slots = template.Slots(size).Select(s => s.Slot).ToHashSet();
                Assert.Superset(new HashSet<AdSlot> { AdSlot.Image, AdSlot.Headline, AdSlot.CallToAction }, slots);
            }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_text_stays_inside_its_slot(string templateId, int width, int height)
    {
        var template = AdTemplateCatalog.Get(templateId);
        var size = new AdSize(width, height);
        // Long texts at the length limits: they must wrap and shrink, never spill.
        var longTexts = new AdTexts(
            "Precision gears, cut and measured to five microns, ready for your next prototype",
            "Helical, spur and bevel gears in steel, brass and POM, made to your drawing and shipped within a week, anywhere in Europe.",
            "Order your free sample",
            "Prices exclude VAT and shipping. Offer valid until 31 December 2026 while stocks last. Samples limited to one per company. Terms apply.");
        using var full = AdRenderer.Render(AdSamples.Composition(template, _product, longTexts), size);
        var fullPixels = full.Image.ToPixels();
        foreach (var slot in full.Slots.Keys.Where(s => s.IsText()))
        {
            var swapped = slot switch
            {
                AdSlot.Headline => longTexts with { Headline = "Hi" },
                AdSlot.Subline => longTexts with { Subline = null },
                AdSlot.CallToAction => longTexts with { CallToAction = "Go" },
                _ => longTexts with { Legal = null },
            };
            using var other = AdRenderer.Render(AdSamples.Composition(template, _product, swapped), size);
            var changed = ChangedBox(fullPixels, other.Image.ToPixels(), size);
            var slotBox = full.Slots[slot];
            var shown = full.Warnings.All(w => w.Slot != slot || !w.Severe);
            if (!shown) continue;
            Assert.True(changed is not null, $"{templateId} {size} {slot}: the text changed nothing in the image");
            Assert.True(slotBox.Contains(changed!.Value), $"{templateId} {size} {slot}: pixels changed at {changed} outside the slot {slotBox}");
            Assert.True(slotBox.Contains(full.Drawn[slot]), $"{templateId} {size} {slot}: drawn at {full.Drawn[slot]} outside {slotBox}");
        }
        Assert.Equal((width, height), (full.Image.Width, full.Image.Height));
        Assert.Equal(3, full.Image.Bands);
    }

    [Theory]
    [InlineData(1080, 1080)]
    [InlineData(1200, 628)]
    [InlineData(160, 600)]
    public void The_brand_colours_are_in_every_template(int width, int height)
    {
        foreach (var template in AdTemplateCatalog.All)
        {
            using var rendering = AdRenderer.Render(AdSamples.Composition(template, _product), new AdSize(width, height));
            var pixels = rendering.Image.ToPixels();
            foreach (var colour in new[] { AdSamples.Primary, AdSamples.Secondary, AdSamples.Background })
            {
                var count = 0;
                for (var i = 0; i < pixels.Length; i += 3)
                    if (pixels[i] == colour.R && pixels[i + 1] == colour.G && pixels[i + 2] == colour.B) count++;
                Assert.True(count >= 100, $"{template.Id} {width}x{height}: {colour} on only {count} pixels");
            }
        }
    }

    [Fact]
    public void A_slot_the_layout_leaves_out_is_reported_and_the_call_to_action_never_is()
    {
        using var rendering = AdRenderer.Render(AdSamples.Composition(AdTemplateCatalog.Get("hero"), _product), new AdSize(728, 90));
        var legal = Assert.Single(rendering.Warnings, w => w.Slot == AdSlot.Legal);
        Assert.Contains("not shown at 728×90", legal.Message);
        Assert.True(rendering.Drawn.ContainsKey(AdSlot.CallToAction));
        Assert.DoesNotContain(rendering.Warnings, w => w.Slot == AdSlot.CallToAction && w.Severe);
    }

    [Fact]
    public void Text_that_must_shrink_below_a_legible_size_is_warned_about()
    {
        var texts = AdSamples.Texts with { Legal = string.Join(' ', Enumerable.Repeat("Terms and conditions apply to every order.", 9)) };
        using var rendering = AdRenderer.Render(AdSamples.Composition(AdTemplateCatalog.Get("hero"), _product, texts), new AdSize(300, 250));
        var warning = Assert.Single(rendering.Warnings, w => w.Slot == AdSlot.Legal);
        Assert.Matches(@"shrink to \d+ px at 300×250 \(legible from 7 px\)|does not fit at 300×250", warning.Message);
    }

    [Fact]
    public void Pango_markup_in_a_text_is_drawn_as_characters()
    {
        var texts = AdSamples.Texts with { Headline = "<b>Gears & more</b> <span foreground='red'>now</span>" };
        using var rendering = AdRenderer.Render(AdSamples.Composition(AdTemplateCatalog.Get("frame"), _product, texts), new AdSize(1080, 1080));
        Assert.True(rendering.Drawn.ContainsKey(AdSlot.Headline));
        // The literal tags take far more room than "Gears & more now" would.
        Assert.True(rendering.Drawn[AdSlot.Headline].Width > 500, $"headline drawn {rendering.Drawn[AdSlot.Headline]}");
        var pixels = rendering.Image.ToPixels();
        for (var i = 0; i < pixels.Length; i += 3)
            Assert.False(pixels[i] > 200 && pixels[i + 1] < 40 && pixels[i + 2] < 40, "red text: markup was interpreted");
    }

    [Fact]
    public void Every_treatment_draws_the_blueprint_in_brand_colours()
    {
        foreach (var treatment in Enum.GetValues<ProductShotTreatment>())
        {
            using var rendering = AdRenderer.Render(AdSamples.Composition(AdTemplateCatalog.Get("hero"), _product, treatment: treatment), new AdSize(1080, 1080));
            var box = rendering.Slots[AdSlot.Image];
            using var area = Crop(rendering.Image, box);
            var pixels = area.ToPixels();
            var distinct = new HashSet<int>();
            for (var i = 0; i < pixels.Length; i += 3) distinct.Add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
            // A drawing, not a flat fill: many tones from antialiased lines.
            Assert.True(distinct.Count > 20, $"{treatment}: only {distinct.Count} colours in the image slot");
        }
    }

    [Fact]
    public void Unreadable_text_colours_are_replaced_by_ink_or_white()
    {
        var palette = new BrandPalette(new RgbColour(250, 250, 250), new RgbColour(240, 240, 240), new RgbColour(255, 255, 255));
        Assert.True(palette.TextColour(BrandToken.White, BrandToken.Background).ContrastWith(palette.Background) >= 3);
        Assert.Equal(RgbColour.White, new BrandPalette(new RgbColour(0x0b, 0x4f, 0x9c), RgbColour.White, RgbColour.White).TextColour(BrandToken.White, BrandToken.Primary));
    }

    private static VipsImage Crop(VipsImage image, PixelRect box) =>
        image.Apply(i => i.ExtractArea(box.X, box.Y, box.Width, box.Height));

    /// <summary>The bounding box of the pixels that differ between two renderings of the same size, or null.</summary>
    private static PixelRect? ChangedBox(byte[] a, byte[] b, AdSize size)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (var y = 0; y < size.Height; y++)
            for (var x = 0; x < size.Width; x++)
            {
                var i = (y * size.Width + x) * 3;
                if (a[i] == b[i] && a[i + 1] == b[i + 1] && a[i + 2] == b[i + 2]) continue;
                (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
            }
        return maxX < 0 ? null : new PixelRect(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    public void Dispose() => _product.Dispose();
}
