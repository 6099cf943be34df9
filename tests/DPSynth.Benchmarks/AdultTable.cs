using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Benchmarks;

/// <summary>
/// The coded Adult table in <c>../shared/data/adult</c> (integer codes with a header, sizes in
/// <c>adult-domain.json</c>) read through the data layer; a seeded surrogate when absent.
/// </summary>
public static class AdultTable
{
    /// <summary>The attributes of Adult that are binned numbers (ordered for the audit distance).</summary>
    public static IReadOnlyList<string> OrderedAttributes { get; } =
        ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];

    /// <summary>The folder holding adult.csv, or null when the shared data are not beside the checkout.</summary>
    public static string? Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "adult");
            if (File.Exists(Path.Combine(candidate, "adult.csv")) && File.Exists(Path.Combine(dir.FullName, "DPSynth.sln")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Adult split 80/20 by seeded coins, with its audit distance spec; null when the shared data are absent.
    /// </summary>
    public static (TrainHoldoutSplit Split, DistanceSpec Spec)? AuditInputs()
    {
        var folder = Folder();
        if (folder is null)
        {
            return null;
        }

        var adult = Load(folder);
        return (TrainHoldoutSplit.Split(adult, 0.8, RandomBitsCoins.Seeded(1)), DistanceSpec.WithOrdered(adult.Domain, OrderedAttributes));
    }

    /// <summary>Loads adult.csv with its domain (the shared loader of the benchmarks).</summary>
    public static EncodedTable Load(string folder) =>
        CsvEncoder.EncodeFile(Path.Combine(folder, "adult.csv"), TableSchema.Load(Path.Combine(folder, "adult-domain.json"))).Table;

    /// <summary>
    /// <paramref name="rows"/> rows drawn from the product of <paramref name="table"/>'s 1-way marginals (seeded): a
    /// stand-in synthetic table that is private but far from the data, the slow case for nearest-neighbour search.
    /// </summary>
    public static EncodedTable ProductOfMarginals(EncodedTable table, int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new EncodedColumn[table.Domain.Count];
        var source = new int[table.RowCount];
        for (var c = 0; c < columns.Length; c++)
        {
            table.Columns[c].CopyTo(source);
            var codes = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                codes[r] = source[random.Next(source.Length)];
            }

            columns[c] = EncodedColumn.FromCodes(table.Domain.Size(c), codes);
        }

        return new EncodedTable(table.Domain, columns);
    }

    /// <summary><paramref name="rows"/> rows uniform over <paramref name="domain"/> (seeded): far from any real row.</summary>
    public static EncodedTable Uniform(Domain domain, int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new EncodedColumn[domain.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var codes = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                codes[r] = random.Next(domain.Size(c));
            }

            columns[c] = EncodedColumn.FromCodes(domain.Size(c), codes);
        }

        return new EncodedTable(domain, columns);
    }
}
