using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Aigc.Portal.Components;
using Aigc.Portal.Components.Layout;
using Aigc.Portal.Features.Admin;
using Aigc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Tests;

/// <summary>Every text exists in English and Simplified Chinese, with the same placeholders.</summary>
public sealed partial class ResourceTests
{
    private static readonly string PortalSource =
        Path.Combine(Path.GetDirectoryName(RepositoryFolders.Models)!, "src", "Aigc.Portal");

    public static TheoryData<string> ResourceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(PortalSource, "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                     .Where(f => !f.EndsWith(".zh-Hans.resx", StringComparison.Ordinal))
                     .Order())
        {
            data.Add(Path.GetRelativePath(PortalSource, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void Each_key_exists_in_both_languages_with_the_same_placeholders(string neutral)
    {
        var english = Read(Path.Combine(PortalSource, neutral));
        var chinesePath = Path.Combine(PortalSource, Path.ChangeExtension(neutral, ".zh-Hans.resx"));
        Assert.True(File.Exists(chinesePath), $"{neutral} has no Simplified Chinese file");
        var chinese = Read(chinesePath);

        Assert.Empty(english.Keys.Except(chinese.Keys).Select(k => $"{k} (English only)"));
        Assert.Empty(chinese.Keys.Except(english.Keys).Select(k => $"{k} (Chinese only)"));
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(chinese[key]), $"{neutral}: {key} is empty in Chinese");
            Assert.Equal(Placeholders(text), Placeholders(chinese[key]));
        }
    }

    [Fact]
    public void Chinese_files_have_an_English_file()
    {
        var orphans = Directory.EnumerateFiles(PortalSource, "*.zh-Hans.resx", SearchOption.AllDirectories)
            .Where(f => !File.Exists(f.Replace(".zh-Hans.resx", ".resx", StringComparison.Ordinal)));
        Assert.Empty(orphans);
    }

    [Fact]
    public void The_built_portal_speaks_Chinese()
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var texts = services.GetRequiredService<IStringLocalizer<LayoutText>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Sign out", texts["SignOut"]);
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.Equal("退出登录", texts["SignOut"]);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("en", 1, "1 user", "1 user matching “ann”")]
    [InlineData("en", 2, "2 users", "2 users matching “ann”")]
    [InlineData("en", 1234, "1,234 users", "1,234 users matching “ann”")]
    [InlineData("zh-CN", 1, "共 1 位用户", "1 位用户匹配“ann”")]
    [InlineData("zh-CN", 2, "共 2 位用户", "2 位用户匹配“ann”")]
    public void A_count_of_one_takes_the_singular_in_English(string culture, long count, string all, string matching)
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var texts = services.GetRequiredService<IStringLocalizer<AdminText>>();
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(all, texts.Counted("UserCount", count));
            Assert.Equal(matching, texts.Counted("UserCountMatching", count, "ann"));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string[] Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order().ToArray();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
