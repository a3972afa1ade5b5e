using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>`aigc dev`: tools for developers, such as filling a gallery to measure it.</summary>
public static class DevCommand
{
    private static readonly string[] TagWords = ["review", "approved", "catalogue", "hero", "print", "variant-a", "variant-b", "rework", "customer", "archive", "draft", "favourite-shape"];

    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Blueprints to add.", DefaultValueFactory = _ => 50_000 };
        var user = new Option<string?>("--user") { Description = "An existing user's email who owns about half of them (the rest belong to seeded designers)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory (overrides Platform:DataDirectory)." };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json in the working directory, if present)." };
        var seed = new Option<int>("--seed") { Description = "Random seed of the made-up rows.", DefaultValueFactory = _ => 7 };
        var gallery = new Command("seed-gallery",
            "Fill the gallery with realistic rows: several users and model versions, every condition value, tags, notes, favourites, collections and shares. "
            + "Images are real: one generated per condition combination and reused by content hash.")
        {
            count, user, data, config, seed,
        };
        gallery.SetAction(async (parse, ct) =>
        {
            try
            {
                if (parse.GetValue(count) is < 1 or > 5_000_000)
                    throw new ArgumentException("--count must be between 1 and 5000000.");
                await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data));
                var watch = Stopwatch.StartNew();
                var added = await SeedAsync(services, parse.GetValue(count), parse.GetValue(user), new Random(parse.GetValue(seed)), ct);
                Console.WriteLine($"Added {added:N0} blueprints in {watch.Elapsed.TotalSeconds:0.0} s.");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or IOException or OptionsValidationException or ModelRejectedException or GenerationRefusedException)
            {
                Console.Error.WriteLine($"aigc dev seed-gallery: {e.Message}");
                return 1;
            }
        });
        return new Command("dev", "Developer tools.") { gallery };
    }

    private static async Task<int> SeedAsync(ServiceProvider services, int count, string? email, Random random, CancellationToken cancellationToken)
    {
        ModelVersion model;
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var registered = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                .RegisterShippedAsync(services.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory, cancellationToken);
            model = registered.FirstOrDefault(m => m.Status == ModelVersionStatus.Active)
                ?? throw new IOException("No active shipped model to generate the seed images with (Queue:ShippedModelsDirectory).");
        }

        var databases = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        string? mainUser = null;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            if (email is not null)
            {
                mainUser = await db.Users.Where(u => u.NormalizedEmail == email.Trim().ToUpperInvariant()).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new ArgumentException($"--user: no user \"{email}\".");
            }
        }

        var schema = Aigc.Generation.Manifest.CganManifest.Parse(model.ManifestJson).Schema;
        // Every categorical value; numeric conditions at their minimum, middle and maximum.
        var combos = schema.Categorical.Select(spec => (spec.Name, Values: spec.Values!.ToList()))
            .Concat(schema.Numeric.Select(spec => (spec.Name, Values: new[] { spec.Min ?? 0, ((spec.Min ?? 0) + (spec.Max ?? 1)) / 2, spec.Max ?? 1 }
                .Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList())))
            .Aggregate(new List<Dictionary<string, string>> { new() }, (acc, spec) =>
                acc.SelectMany(c => spec.Values.Select(v => new Dictionary<string, string>(c) { [spec.Name] = v })).ToList());
        Console.WriteLine($"Generating {combos.Count} images, one per condition combination…");
        var images = await GenerateAsync(services, model, combos, cancellationToken);

        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        // The seed writes rows in bulk through SQLite's own connection; PostgreSQL gets them with `aigc db copy`.
        if (database.IsPostgres)
            throw new InvalidOperationException("aigc dev seed writes SQLite only; seed one and copy it with `aigc db copy`.");
        await using var connection = new SqliteConnection(
            database.ResolveConnectionString(services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataDirectoryFullPath));
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = DateTime.UtcNow;
        var users = await SeedUsersAsync(connection, transaction, now);
        var models = new List<string> { model.WeightsSha256 };
        models.AddRange(await SeedRetiredVersionsAsync(connection, transaction, model, now));
        var owners = mainUser is null ? users : [mainUser, mainUser, mainUser, mainUser, .. users];

        var job = Insert(connection, transaction, "GenerationJobs",
            "Id, UserId, ModelSha256, ConditionsJson, Count, Seed, Preset, Priority, Status, ImagesDone, CreatedAt, CompletedAt, Attempts");
        var blueprint = Insert(connection, transaction, "Blueprints",
            "Id, JobId, \"Index\", Seed, ConditionsJson, FileSha256, ThumbnailSha256, ContentType, Width, Height, FileBytes, CreatedAt, OwnerId, ModelSha256, Preset, Note");
        var tag = Insert(connection, transaction, "BlueprintTags", "BlueprintId, Tag");
        var favourite = Insert(connection, transaction, "Favourites", "UserId, BlueprintId, CreatedAt");
        var byOwner = new Dictionary<string, List<Guid>>();
        var added = 0;
        var at = now.AddDays(-365);
        var step = TimeSpan.FromDays(365) / count;
        while (added < count)
        {
            var owner = owners[random.Next(owners.Count)];
            var combo = random.Next(combos.Count);
            var image = images[combo];
            var size = Math.Min(count - added, random.Next(1, 17));
            var jobId = Guid.NewGuid();
            var jobSeed = random.NextInt64(1, 1L << 40);
            var sha = models[random.Next(10) < 7 ? 0 : 1 + random.Next(models.Count - 1)];
            var preset = random.Next(4) == 0 ? "crisp" : "default";
            var created = at + step * added;
            Run(job, jobId, owner, sha, image.ConditionsJson, size, jobSeed, preset, 1, "Completed", size, created, created, 1);
            if (!byOwner.TryGetValue(owner, out var mine))
                byOwner[owner] = mine = [];
            for (var i = 0; i < size; i++)
            {
                var id = Guid.NewGuid();
                mine.Add(id);
                var note = random.Next(25) == 0 ? $"Check tolerances on the {combos[combo].Values.First().Replace('_', ' ')} (batch {random.Next(100)})." : null;
                Run(blueprint, id, jobId, i, jobSeed + i, image.ConditionsJson, image.FileSha256, image.ThumbnailSha256, "image/png", image.Width, image.Height,
                    image.FileBytes, created.AddMilliseconds(i), owner, sha, preset, note);
                if (random.Next(5) == 0)
                {
                    foreach (var word in TagWords.OrderBy(_ => random.Next()).Take(random.Next(1, 3)))
                        Run(tag, id, word);
                }

                if (random.Next(20) == 0)
                    Run(favourite, owner, id, created);
            }

            added += size;
        }

        SeedCollections(connection, transaction, byOwner, users, random, now);
        await transaction.CommitAsync(cancellationToken);
        await using (var analyse = connection.CreateCommand())
        {
            analyse.CommandText = "ANALYZE";
            await analyse.ExecuteNonQueryAsync(cancellationToken);
        }

        return added;
    }

    private static async Task<List<Blueprint>> GenerateAsync(ServiceProvider services, ModelVersion model, List<Dictionary<string, string>> combos, CancellationToken cancellationToken)
    {
        var requester = new Requester("cli", [PortalRoles.Admin]);
        var jobs = new List<Guid>();
        await using (var scope = services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
            foreach (var combo in combos)
                jobs.Add((await queue.EnqueueAsync(new GenerationRequest(model.WeightsSha256, combo, 1, 1000 + jobs.Count, Priority: JobPriority.Bulk), requester, cancellationToken)).Id);
        }

        await InProcessWorker.RunUntilEndedAsync(services, jobs, cancellationToken);

        await using var read = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var blueprints = await read.Blueprints.AsNoTracking().Where(b => jobs.Contains(b.JobId)).ToListAsync(cancellationToken);
        if (blueprints.Count != combos.Count)
            throw new IOException($"Only {blueprints.Count} of {combos.Count} seed images were generated.");
        return jobs.Select(id => blueprints.Single(b => b.JobId == id)).ToList();
    }

    private static async Task<List<string>> SeedUsersAsync(SqliteConnection connection, SqliteTransaction transaction, DateTime now)
    {
        var ids = new List<string>();
        foreach (var name in new[] { "ada", "grace", "linus", "margaret" })
        {
            var email = $"{name}.seed@aigc.test";
            await using var find = connection.CreateCommand();
            find.Transaction = transaction;
            find.CommandText = "SELECT Id FROM AspNetUsers WHERE NormalizedEmail = $e";
            find.Parameters.AddWithValue("$e", email.ToUpperInvariant());
            if (await find.ExecuteScalarAsync() is string existing)
            {
                ids.Add(existing);
                continue;
            }

            var id = Guid.NewGuid().ToString();
            // Seeded designers have no password: they own rows, nobody signs in as them.
            var insert = Insert(connection, transaction, "AspNetUsers",
                "Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, DisplayName, CreatedAt, MustChangePassword, SecurityStamp, ConcurrencyStamp");
            Run(insert, id, email, email.ToUpperInvariant(), email, email.ToUpperInvariant(), 1, 0, 0, 1, 0, char.ToUpperInvariant(name[0]) + name[1..] + " (seed)", now, 0,
                Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString());
            ids.Add(id);
        }

        return ids;
    }

    private static async Task<List<string>> SeedRetiredVersionsAsync(SqliteConnection connection, SqliteTransaction transaction, ModelVersion model, DateTime now)
    {
        var shas = new List<string>();
        foreach (var version in new[] { "v0.8-seed", "v0.9-seed" })
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"seed:{model.Name}@{version}")));
            shas.Add(sha);
            await using var exists = connection.CreateCommand();
            exists.Transaction = transaction;
            exists.CommandText = "SELECT COUNT(*) FROM ModelVersions WHERE WeightsSha256 = $s";
            exists.Parameters.AddWithValue("$s", sha);
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
                continue;
            // Retired, so nobody can generate with weights that do not exist; the gallery still names them.
            var insert = Insert(connection, transaction, "ModelVersions",
                "Id, Name, Version, WeightsSha256, WeightsBytes, ManifestJson, Status, StatusReason, AllowedRoles, AddedBy, AddedAt");
            Run(insert, Guid.NewGuid(), model.Name, version, sha, 0, model.ManifestJson, "Retired", "Seeded by aigc dev seed-gallery; no weights.", "", "aigc dev", now);
        }

        return shas;
    }

    private static void SeedCollections(SqliteConnection connection, SqliteTransaction transaction, Dictionary<string, List<Guid>> byOwner,
        List<string> seedUsers, Random random, DateTime now)
    {
        var collection = Insert(connection, transaction, "Collections", "Id, OwnerId, Name, CoverBlueprintId, CreatedAt");
        var item = Insert(connection, transaction, "CollectionItems", "CollectionId, BlueprintId, AddedAt");
        var share = Insert(connection, transaction, "CollectionShares", "Id, CollectionId, Role, UserId, CanEdit");
        string[] names = ["Gearbox concepts", "Catalogue 2027", "Customer review", "Print run", "Rejected", "Hero shots"];
        foreach (var (owner, blueprints) in byOwner)
        {
            foreach (var name in names.Take(3 + random.Next(3)))
            {
                var id = Guid.NewGuid();
                var members = blueprints.OrderBy(_ => random.Next()).Take(Math.Min(blueprints.Count, random.Next(20, 200))).ToList();
                Run(collection, id, owner, name, members.Count > 0 ? members[0] : null, now);
                foreach (var member in members)
                    Run(item, id, member, now);
                switch (random.Next(3))
                {
                    case 0:
                        Run(share, Guid.NewGuid(), id, PortalRoles.Marketer, null, 0);
                        break;
                    case 1:
                        Run(share, Guid.NewGuid(), id, null, seedUsers[random.Next(seedUsers.Count)], random.Next(2));
                        break;
                }
            }
        }
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string columns)
    {
        var names = columns.Split(',', StringSplitOptions.TrimEntries);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < names.Length; i++)
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        command.Prepare();
        return command;
    }

    /// <summary>Guids and dates are written as EF Core writes them (upper-case text; "yyyy-MM-dd HH:mm:ss.FFFFFFF").</summary>
    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid g => g.ToString().ToUpperInvariant(),
                DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture),
                var v => v,
            };
        }

        command.ExecuteNonQuery();
    }
}
