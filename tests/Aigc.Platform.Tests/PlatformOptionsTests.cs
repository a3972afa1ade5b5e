using Aigc.Platform.Data;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests;

public sealed class PlatformOptionsTests
{
    [Fact]
    public void An_unsupported_database_provider_is_refused_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Database:Provider"] = "Oracle" }));
        Assert.Contains("Database:Provider", error.Message);
        Assert.Contains("Oracle", error.Message);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("postgres://", "URL")]
    [InlineData("Host=db;Flavour=strawberry", "Flavour")]
    public void Postgres_without_a_usable_connection_string_is_refused_naming_the_key(string? connection, string reason)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(
            new() { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = connection }));
        Assert.Contains("Database:ConnectionString", error.Message);
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_postgres_url_becomes_npgsql_settings()
    {
        var options = new DatabaseOptions { Provider = "postgres", ConnectionString = "postgres://ada:p%40ss@db.local:5433/aigc?SSL%20Mode=Require" };
        var settings = new NpgsqlConnectionStringBuilder(options.ResolveConnectionString("/unused"));
        Assert.Equal(("db.local", 5433, "aigc", "ada", "p@ss", SslMode.Require),
            (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SslMode));
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(PostgresConnectionString.From("postgresql://db/aigc")).Port);
    }

    [Fact]
    public void Without_a_connection_string_the_database_is_a_file_in_the_data_directory()
    {
        var folder = Path.Combine(Path.GetTempPath(), "aigc-options-test");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:DataDirectory"] = folder }).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).BuildServiceProvider();
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        Assert.Equal($"Data Source={Path.Combine(folder, "aigc.db")}", database.ResolveConnectionString(Resolve(new() { ["Platform:DataDirectory"] = folder }).DataDirectoryFullPath));
    }

    private static PlatformOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).BuildServiceProvider();
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        return services.GetRequiredService<IOptions<PlatformOptions>>().Value;
    }
}
