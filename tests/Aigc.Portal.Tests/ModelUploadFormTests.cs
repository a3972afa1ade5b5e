using System.Globalization;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Models;
using Aigc.Portal.Features.Models;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Aigc.Portal.Tests;

/// <summary>The upload form's refusals of a too-large choice, in the admin's language, without a byte sent.</summary>
public sealed class ModelUploadFormTests : BunitContext
{
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public ModelUploadFormTests()
    {
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton(new ModelUploads(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new RegistryOptions { MaxUploadMegabytes = 1 }), Options.Create(new PlatformOptions())));
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("admin@aigc.test").SetRoles(PortalRoles.Admin);
    }

    [Theory]
    [InlineData("en", "The files add up to more than 1 MB, the most accepted. Nothing was registered.", "Not registered: fix the fields marked below.")]
    [InlineData("zh-Hans", "文件总大小超过上限 1 MB，未注册任何内容。", "未注册：请修正下方标出的字段。")]
    public void A_too_large_file_is_refused_when_chosen_and_again_when_sent(string culture, string tooLarge, string refused)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var form = Render<ModelUploadForm>();
            Assert.Empty(form.FindAll("[data-testid=upload-error-weights]"));
            form.FindComponents<InputFile>()[1].UploadFiles(
                InputFileContent.CreateFromBinary(new byte[1024 * 1024 + 1], "generator.safetensors"));
            Assert.Equal(tooLarge, form.Find("[data-testid=upload-error-weights]").TextContent);

            form.FindComponents<InputFile>()[0].UploadFiles(InputFileContent.CreateFromText("{}", "manifest.json"));
            form.Find("[data-testid=upload-version]").Input("v3");
            form.Find("button[data-testid=upload-submit]").Click();
            form.WaitForAssertion(() => Assert.Equal(refused, form.Find("[data-testid=upload-refused]").TextContent.Trim()));
            Assert.Equal(tooLarge, form.Find("[data-testid=upload-error-weights]").TextContent);
            Assert.Empty(form.FindAll("[data-testid=upload-error-manifest]"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = _culture;
        }
    }
}
