using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aigc.Platform.Refusals;
using Aigc.Portal.Components;
using Aigc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Tests;

/// <summary>Every refusal the Platform can give has words in both languages, naming the same values.</summary>
public sealed partial class RefusalTextTests
{
    private static readonly string Resources = Path.Combine(Path.GetDirectoryName(RepositoryFolders.Models)!,
        "src", "Aigc.Portal", "Components", "RefusalText");

    [Theory]
    [InlineData(".resx")]
    [InlineData(".zh-Hans.resx")]
    public void Each_code_and_term_has_a_text_with_the_placeholders_of_its_English(string suffix)
    {
        var texts = XDocument.Load(Resources + suffix).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
        foreach (var (code, english) in RefusalTexts.English)
        {
            Assert.True(texts.TryGetValue(code, out var text), $"{code} has no text in RefusalText{suffix}");
            Assert.Equal(Placeholders(english), Placeholders(text));
        }

        Assert.Empty(texts.Keys.Except(RefusalTexts.English.Keys));
    }

    [Fact]
    public void A_refusal_is_worded_with_its_terms_and_numbers_in_the_users_language()
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var texts = services.GetRequiredService<IStringLocalizer<RefusalText>>();
        var required = new Refusal("Required", "headline", new RefusalTerm("Term.Headline"));
        var logo = new Refusal("LogoTooLarge", "logo", 1048576);
        var before = CultureInfo.CurrentUICulture;
        try
        {
            Assert.Equal("Headline is required.", required.English);
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("请填写标题。", texts.Say(required));
            Assert.Equal("标志文件超过 1,048,576 字节的上限。", texts.Say(logo));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static string[] Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order().ToArray();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
