using System.Globalization;
using Aigc.Portal.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Tests;

/// <summary>How a condition set reads in a job's title: its model's order, the UI language.</summary>
public sealed class ConditionWordingTests
{
    private static readonly Dictionary<string, string> Stored = new()
    {
        ["complexity"] = "low", ["part"] = "stepped_shaft", ["view"] = "front",
    };

    [Theory]
    [InlineData("en", "stepped shaft · front · low")]
    [InlineData("zh-CN", "阶梯轴 · 主视图 · 低")]
    public void A_condition_set_reads_in_its_models_order_in_the_ui_language(string culture, string expected)
    {
        var texts = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<ConditionText>>();
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(expected, texts.Values(Stored, ["part", "view", "complexity"]));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    [Fact]
    public void Without_its_models_schema_a_set_reads_in_stored_order_and_unknown_names_come_last()
    {
        var texts = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<ConditionText>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("low · stepped shaft · front", texts.Values(Stored));
            Assert.Equal("front · low · stepped shaft", texts.Values(Stored, ["view"]));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
