using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace Aigc.Portal.Features.Models;

/// <summary>
/// Model cards and other uploaded Markdown as HTML: raw HTML is escaped, not passed through, and links or images
/// may only point to http(s), mailto or relative addresses; anything else (javascript:, data:) is dropped. Headings
/// go two levels down: the page has its h1 and the version's h2, and a card's "# Title" is a section of the page.
/// </summary>
public static class ModelCardMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public static MarkupString ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 2, 6);
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }

        return new MarkupString(document.ToHtml(Pipeline));
    }

    /// <summary>A URL with a scheme must use an allowed one; one without (relative, fragment) is fine.</summary>
    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return true;
        var trimmed = url.Trim();
        var colon = trimmed.IndexOf(':');
        var separator = trimmed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (separator >= 0 && separator < colon))
            return true;
        var scheme = trimmed[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }
}
