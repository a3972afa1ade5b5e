using System.Text;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Gallery;

/// <summary>
/// The gallery's text search: the blueprints whose note or one of whose tags contains the text, with SQLite's LIKE
/// (ASCII letters case-insensitive). It reads the search rows that migration M0009's triggers keep (one per blueprint
/// with a note or tags; decision 0013). A text of three characters or more first asks the FTS5 trigram index, which folds
/// case more widely than LIKE, so LIKE re-checks its candidates; a shorter one, which trigrams cannot answer, scans the
/// search rows. Tags are joined by line feeds, which a normalised tag never contains, so a text without a line feed
/// matches the joined tags exactly when it matches one of them. Who may read the result is not decided here.
/// On PostgreSQL (which has neither FTS5 nor those triggers, decision 0016) the same question is asked of the notes and
/// tags themselves with ILIKE, which folds case for every letter, not only ASCII ones, as a union of two queries: each
/// reads its own trigram index (decision 0022), which an OR across the two tables would not.
/// </summary>
public static class BlueprintTextSearch
{
    public static IQueryable<Guid> Matching(PortalDbContext db, string text)
    {
        var pattern = LikePattern.Containing(text);
        // A line feed would span two tags: such a text matches notes only ("" matches no tag list, as none is empty).
        var tagPattern = text.Contains('\n') ? "" : pattern;
        if (db.Database.IsNpgsql())
        {
            return db.Blueprints.Where(b => EF.Functions.ILike(b.Note!, pattern, LikePattern.Escape)).Select(b => b.Id)
                .Union(db.BlueprintTags.Where(t => EF.Functions.ILike(t.Tag, tagPattern, LikePattern.Escape))
                    .Select(t => t.BlueprintId));
        }

        if (text.EnumerateRunes().Count() < 3)
        {
            return db.Database.SqlQuery<Guid>(
                $"""
                SELECT s.BlueprintId AS Value FROM BlueprintSearchText AS s
                WHERE s.Note LIKE {pattern} ESCAPE '\' OR s.Tags LIKE {tagPattern} ESCAPE '\'
                """);
        }

        var phrase = new StringBuilder("\"").Append(text.Replace("\"", "\"\"")).Append('"').ToString();
        return db.Database.SqlQuery<Guid>(
            $"""
            SELECT s.BlueprintId AS Value FROM BlueprintSearch AS f JOIN BlueprintSearchText AS s ON s.Id = f.rowid
            WHERE BlueprintSearch MATCH {phrase} AND (s.Note LIKE {pattern} ESCAPE '\' OR s.Tags LIKE {tagPattern} ESCAPE '\')
            """);
    }
}
