using DPSynth.Data;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// The demo table (policies/demo) and fits on it, shared by the sampling tests. The fits draw real CSPRNG noise, so the
/// models differ from run to run; tests on them assert what holds for any model.
/// </summary>
internal static class DemoFits
{
    public static readonly string SchemaPath = Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.schema.yaml");

    public static readonly TableSchema Schema = TableSchema.Load(SchemaPath);

    public static readonly EncodedTable Rows =
        CsvEncoder.EncodeFile(Path.Combine(SharedData.RepositoryRoot, "policies", "demo", "visits.csv"), Schema).Table;

    public static (SynthesisResult Result, ZcdpAccountant Accountant) FitMst(double epsilon = 1)
    {
        var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(epsilon, 1e-9));
        return (new Mst(Schema.Domain).Fit(Rows, accountant), accountant);
    }

    /// <summary>
    /// MST on a column "a" of 7 values of which only value 0 has rows (and an independent "b" of 3): MST merges the values
    /// whose noisy count falls below 3 sigma_1. The noise is a discrete Gaussian, which is sigma-subgaussian (Canonne,
    /// Kamath, Steinke 2020), so a zero count is kept with probability p &lt;= exp(-3^2 / 2) = 0.0111; fewer than two of
    /// the six merged needs at least five kept: P &lt;= C(6,5) p^5 + p^6 &lt;= 1.1e-9, the false-failure probability of a
    /// test that asserts two or more merged.
    /// </summary>
    public static SynthesisResult FitWithRareValuesMerged()
    {
        var domain = new Domain(["a", "b"], [7, 3]);
        var random = new Random(2);
        var b = Enumerable.Range(0, 3000).Select(_ => random.Next(3)).ToArray();
        var table = new EncodedTable(domain, [EncodedColumn.FromCodes(7, new int[3000]), EncodedColumn.FromCodes(3, b)]);
        return new Mst(domain).Fit(table, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-9)));
    }

    public static void AssertSameRows(EncodedTable a, EncodedTable b)
    {
        Assert.Equal(a.RowCount, b.RowCount);
        for (var c = 0; c < a.Domain.Count; c++)
        {
            Assert.Equal(Enumerable.Range(0, a.RowCount).Select(r => a[r, c]), Enumerable.Range(0, b.RowCount).Select(r => b[r, c]));
        }
    }
}
