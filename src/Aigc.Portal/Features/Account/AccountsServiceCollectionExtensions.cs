using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Account;

public static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>()
            .Bind(configuration.GetSection(AccountsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<PortalUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddClaimsPrincipalFactory<PortalClaimsFactory>();

        services.AddSingleton<IConfigureOptions<IdentityOptions>, ConfigureIdentityFromAccounts>();
        services.AddScoped<IUserConfirmation<PortalUser>, ApprovedAccountConfirmation>();
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<AccountsOptions>>((o, accounts) => o.ValidationInterval = accounts.Value.SecurityStampValidationInterval);
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountsOptions>>((cookie, accounts) => ConfigureCookie(cookie, accounts.Value));

        return services;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, AccountsOptions accounts)
    {
        cookie.LoginPath = "/account/login";
        cookie.LogoutPath = "/account/logout";
        cookie.AccessDeniedPath = "/error/403";
        cookie.ExpireTimeSpan = accounts.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.Cookie.Name = "aigc.auth";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Events.OnRedirectToLogin = context =>
        {
            var request = context.Request;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            if (!request.IsApi() && !request.IsEventStream())
            {
                context.Response.Redirect(context.RedirectUri);
            }

            return Task.CompletedTask;
        };
        // A signed-in user without the role gets a real 403 (rendered by the error page), not a redirect.
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private sealed class ConfigureIdentityFromAccounts(IOptions<AccountsOptions> accounts) : IConfigureOptions<IdentityOptions>
    {
        public void Configure(IdentityOptions options)
        {
            var a = accounts.Value;
            options.User.RequireUniqueEmail = true;
            options.SignIn.RequireConfirmedAccount = true;
            options.Password.RequiredLength = a.PasswordMinLength;
            options.Password.RequireNonAlphanumeric = false;
            options.Password.RequireUppercase = true;
            options.Password.RequireLowercase = true;
            options.Password.RequireDigit = true;
            options.Lockout.AllowedForNewUsers = true;
            options.Lockout.MaxFailedAccessAttempts = a.LockoutMaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = a.LockoutDuration;
        }
    }
}
