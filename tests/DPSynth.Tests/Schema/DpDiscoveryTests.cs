using DPSynth.Budget;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Data.Discovery;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Schema;

/// <summary>The public parts of DP domain discovery: grids, budget split, type decision, post-processing, the charge.</summary>
public sealed class DpDiscoveryTests
{
    [Fact]
    public void TheGridsAreSortedDistinctAndSpanThePublicRange()
    {
        foreach (var grid in new[] { NumberGrid.Integers, NumberGrid.Reals })
        {
            var points = grid.Points.ToArray();
            Assert.True(points.Zip(points.Skip(1)).All(p => p.First < p.Second));
            Assert.Equal(-NumberGrid.Limit, points[0], 1e-3 * NumberGrid.Limit);
            Assert.Equal(NumberGrid.Limit, points[^1], 1e-3 * NumberGrid.Limit);

            // CellOf: the first candidate at or above the value, clamped at the ends.
            Assert.Equal(0, grid.CellOf(-1e300));
            Assert.Equal(grid.Count - 1, grid.CellOf(1e300));
            foreach (var value in new[] { -12345.5, -1, 0, 0.37, 7, 999, 1001, 123456789 })
            {
                var cell = grid.CellOf(value);
                Assert.True(points[cell] >= value && (cell == 0 || points[cell - 1] < value));
            }
        }

        Assert.All(Enumerable.Range(-1000, 2001), v => Assert.Equal(v, NumberGrid.Integers.Points[NumberGrid.Integers.CellOf(v)]));
    }

    [Fact]
    public void TheBudgetSplitSpendsExactlyTheTotal()
    {
        var budget = new DiscoveryBudget(Rho.FromDouble(0.02), 1e-10, 7, 10);
        var perColumn = budget.ProbePerColumn.Value + budget.DomainPerColumn.Value;
        Assert.Equal(budget.Total.Value, perColumn * 7);
        Assert.Equal(budget.DomainPerColumn.Value, (budget.BoundQuantile.Value * 2) + (budget.EdgeQuantile.Value * 9));
        Assert.Equal(Math.BitDecrement(1e-10 / 7), budget.DeltaPerColumn);
    }

    [Fact]
    public void TheColumnsThresholdDeltasAddUpToAtMostTheDiscoverysDelta()
    {
        // delta_t = d delta_c in the proof (docs/privacy.md#stability-histogram): exactly, in rationals. Rounded to
        // nearest, 1e-10 / 3 (and the quotient for most column counts) was above the exact one.
        foreach (var thresholdDelta in new[] { 1e-9 * DiscoveryCharge.ThresholdShareOfDelta, 1e-10, 1e-7, 3e-12 })
        {
            for (var columns = 1; columns <= 200; columns++)
            {
                var perColumn = new DiscoveryBudget(Rho.FromDouble(0.02), thresholdDelta, columns, 10).DeltaPerColumn;
                Assert.True(
                    Rational.FromDouble(perColumn) * columns <= Rational.FromDouble(thresholdDelta),
                    $"{columns} columns of {perColumn:R} pass {thresholdDelta:R}");
                Assert.True(perColumn >= thresholdDelta / columns * (1 - 1e-15));
            }
        }
    }

    [Theory]
    [InlineData(5, 30_000, 0, 3, 20.0, ColumnKind.Integer, true)]
    [InlineData(5, 30_000, 500, 3, 20.0, ColumnKind.Continuous, true)]
    [InlineData(0, 29_000, 0, 280, 20.0, ColumnKind.Integer, true)] // labels under 1% of the numbers: bad rows
    [InlineData(0, 29_000, 0, 400, 20.0, ColumnKind.Categorical, false)]
    [InlineData(50, 0, 0, 30_000, 20.0, ColumnKind.Categorical, true)]
    [InlineData(-7, 12, -3, -9, 20.0, ColumnKind.Categorical, false)] // nothing passes the floor
    public void TheTypeFollowsTheNoisyCountsAlone(
        long missing, long integers, long decimals, long labels, double floor, ColumnKind kind, bool nullable)
    {
        Assert.Equal((kind, nullable), TypeDecision.Decide([missing, integers, decimals, labels], floor));
    }

    [Fact]
    public void PostProcessingAlwaysGivesAValidSchemaEntry()
    {
        var ints = NumberGrid.Integers;
        int At(double v) => ints.CellOf(v);

        // Bounds swapped and spanning few integers: one cell per value.
        var narrow = NumericDomain.FromGridIndices("a", ColumnKind.Integer, ints, At(60), At(18), [At(30)], 10);
        Assert.Equal((18.0, 60.0, 0, 0), (narrow.Min, narrow.Max, narrow.Edges.Count, narrow.EqualBins));

        // A single point is widened by one grid step.
        var point = NumericDomain.FromGridIndices("b", ColumnKind.Continuous, NumberGrid.Reals, 900, 900, [900], 4);
        Assert.True(point.Min < point.Max);

        // Repeated and outside edges are dropped; too few left means equal-width bins.
        var wide = NumericDomain.FromGridIndices("c", ColumnKind.Integer, ints, At(0), At(100_000), [At(500), At(500), At(0), At(7000)], 4);
        Assert.Equal([0.0, 500, ints.Points[At(7000)], ints.Points[At(100_000)]], wide.Edges);
        var few = NumericDomain.FromGridIndices("d", ColumnKind.Integer, ints, At(0), At(100_000), [At(500), At(500), At(500)], 8);
        Assert.Equal((0, 8), (few.Edges.Count, few.EqualBins));

        var record = new DiscoveryRecord(new string('a', 64), "ds", 1, 1e-9, 0.01, 1e-10, 0.011, ["a", "b", "c", "d", "e"]);
        var categorical = new DiscoveredColumn("e", ColumnKind.Categorical, false, [], 0, 0, [], 0);
        var result = new DiscoveryResult(CsvOptions.Default with { Trim = true }, [""], [narrow, point, wide, few, categorical], []);
        var schema = SchemaReader.Read(new StringReader(DiscoveredSchema.Yaml(result, record)), "test").GetValueOrThrow();
        Assert.Equal(record with { Columns = [] }, schema.DpDiscovery! with { Columns = [] });
        Assert.Equal(record.Columns.ToArray(), schema.DpDiscovery!.Columns.ToArray());
        Assert.Equal(
            [ColumnKind.Integer, ColumnKind.Continuous, ColumnKind.Integer, ColumnKind.Integer, ColumnKind.Categorical],
            schema.Columns.Select(c => c.Kind));
        Assert.Equal([43, 4, 3, 8, 2], schema.Columns.Select(c => c.CellCount - (c.Nullable ? 1 : 0)));
    }

    [Fact]
    public void TheBoundsTailShrinksWithMoreDataAndStaysInRange()
    {
        Assert.Equal(NumericDomain.MaxTailPercent, NumericDomain.TailPercent(0.01, 100, 3000));
        Assert.Equal(1, NumericDomain.TailPercent(1, 1_000_000, 3000));
        var middle = NumericDomain.TailPercent(0.042, 32_561, 3000);
        Assert.InRange(middle, 2, 5);

        // The tail makes epsilon q n / 2 reach ln(m) + ln(1000) whenever it is below the cap.
        Assert.True(0.042 * middle / 100.0 * 32_561 / 2 >= Math.Log(3000) + Math.Log(1000));
    }

    /// <summary>
    /// The delta tax makes the cap hold: a spend of cap.rho minus the tax, converted at cap.epsilon, leaves at most
    /// cap.delta - delta_t, so the threshold's delta_t fits under the cap's delta.
    /// </summary>
    [Theory]
    [InlineData(0.5, 1e-9)]
    [InlineData(2, 1e-9)]
    [InlineData(10, 1e-6)]
    public void TheTaxPaysForTheThresholdDeltaUnderTheCap(double capEpsilon, double capDelta)
    {
        using var dir = new TempDirectory();
        var ledger = Ledgers.New(dir.File("ledger.jsonl"), allowUncapped: false);
        ledger.SetCap("ds", new ApproxDp(capEpsilon, capDelta));
        var spend = DatasetSpend.Of(ledger.Verify().Entries, "ds");
        var charge = DiscoveryCharge.Plan(1, spend);

        Assert.Equal(capDelta * DiscoveryCharge.ThresholdShareOfDelta, charge.ThresholdDelta);
        Assert.True(charge.Tax.Value.Sign > 0);
        var zcdpPart = new Rho(Rational.FromDouble(spend.Cap!.Rho) - charge.Tax.Value);
        Assert.True(ZcdpConversion.DeltaFromRho(zcdpPart, capEpsilon) <= capDelta - charge.ThresholdDelta);
        Assert.Equal(Rho.FromApproxDp(new ApproxDp(1, capDelta)), charge.Rho);

        var uncapped = DiscoveryCharge.Plan(1, DatasetSpend.Of([], "other"));
        Assert.Equal((Rho.Zero, BudgetLedger.DefaultDelta), (uncapped.Tax, uncapped.Delta));
    }
}
