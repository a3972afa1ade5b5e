using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>The recipe columns of <see cref="GenerationJob"/> (migration StudioRecipes).</summary>
public sealed class GenerationJobRecipeConfiguration : IEntityTypeConfiguration<GenerationJob>
{
    public void Configure(EntityTypeBuilder<GenerationJob> job)
    {
        job.Property(j => j.Recipe).HasConversion<string>().HasMaxLength(16);
        job.Property(j => j.EndConditionsJson).HasMaxLength(4000);
    }
}
