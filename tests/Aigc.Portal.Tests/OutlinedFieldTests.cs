using Aigc.Portal.Components;
using Bunit;

namespace Aigc.Portal.Tests;

/// <summary>The plain fields drawn in MudBlazor's outlined look: what they render and what they report.</summary>
public sealed class OutlinedFieldTests
{
    [Fact]
    public async Task A_number_field_reports_whole_numbers_as_typed_and_an_empty_field_only_when_clearable()
    {
        await using var bunit = new BunitContext();
        var reported = new List<long?>();
        var field = bunit.Render<OutlinedNumberField>(p => p.Add(f => f.Label, "Count").Add(f => f.Value, 4)
            .Add(f => f.Min, 1).Add(f => f.Max, 64).Add(f => f.ValueChanged, v => reported.Add(v))
            .AddUnmatched("data-testid", "count"));

        var input = field.Find("input[data-testid=count]");
        Assert.Equal(("number", "4", "1", "64"), (input.GetAttribute("type"), input.GetAttribute("value"),
            input.GetAttribute("min"), input.GetAttribute("max")));
        Assert.Equal(input.Id, field.Find("label").GetAttribute("for"));
        Assert.Equal("Count", field.Find("label").TextContent);

        input.Input("12");
        input.Input("99");
        input.Input("");
        input.Input("1.5");
        Assert.Equal([12L, 99L], reported);

        var seed = bunit.Render<OutlinedNumberField>(p => p.Add(f => f.Label, "Seed").Add(f => f.Clearable, true)
            .Add(f => f.ValueChanged, v => reported.Add(v)));
        seed.Find("input").Input("");
        Assert.Equal([12L, 99L, null], reported);
    }

    [Fact]
    public async Task A_select_marks_its_value_and_reports_only_its_own_choices()
    {
        await using var bunit = new BunitContext();
        var reported = new List<string>();
        var select = bunit.Render<OutlinedSelect>(p => p.Add(s => s.Label, "Preset").Add(s => s.Value, "plain")
            .Add(s => s.Options, [("default", "Default"), ("plain", "Plain")])
            .Add(s => s.ValueChanged, v => reported.Add(v)).AddUnmatched("data-testid", "preset"));

        var options = select.FindAll("select[data-testid=preset] option");
        Assert.Equal(["default", "plain"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal(["Default", "Plain"], options.Select(o => o.TextContent));
        Assert.Equal([false, true], options.Select(o => o.HasAttribute("selected")));

        select.Find("select").Change("default");
        select.Find("select").Change("glossy");
        Assert.Equal(["default"], reported);
    }
}
