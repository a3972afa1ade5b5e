namespace Aigc.Portal.Features.Admin;

public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddSingleton<PendingRegistrationsFeed>();
        services.AddScoped<UserAction>();
        return services;
    }
}
