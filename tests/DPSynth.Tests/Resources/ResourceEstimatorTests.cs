using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Resources;

/// <summary>
/// The preflight formula bounds the data structures it models (issue 15), checked on small cases by their own byte
/// counts, not by timing or by the process's memory (the benchmark's memory figures compare with measured peaks):
/// the row bound, the candidates' true marginals, the scoring buffers, the model and the measurements.
/// </summary>
public sealed class ResourceEstimatorTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 500)]
    [InlineData(4, 1)]
    [InlineData(4, 777)]
    [InlineData(12, 40)]
    public void TheRowBoundIsNeverBelowTheRowsOfTheFile(int columns, int rows)
    {
        using var temp = new TempDirectory();
        // The shortest rows a CSV can have: empty fields (for one column an empty line, a missing value), and no line
        // end after the last row.
        var row = new string(',', columns - 1);
        var path = temp.WriteFile("t.csv", string.Join('\n', Enumerable.Repeat(row, rows + 1))); // a header too
        Assert.True(RowBound.FromCsvFile(path, columns).Rows >= rows + 1);
    }

    [Fact]
    public void AMissingInputBoundsNothingAndSaysSo()
    {
        var bound = RowBound.FromCsvFile("/nonexistent/dpsynth/input.csv", 3);
        Assert.Equal(0, bound.Rows);
        Assert.Contains("not found", bound.Basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.05, 1)]
    [InlineData(0.05, 20)]
    [InlineData(0.5, 20)]
    public void TheTermsBoundTheStructuresOfAnAimFit(double capMb, double epsilon)
    {
        // A table whose pairs (up to 30 x 40 = 1200 cells) exceed its 400 rows, so some true marginals are sparse.
        var rng = new Random(15);
        var domain = new Domain(["a", "b", "c", "d"], [30, 40, 3, 7]);
        var table = new EncodedTable(domain, domain.Sizes.Select(size =>
            EncodedColumn.FromCodes(size, [.. Enumerable.Range(0, 400).Select(_ => rng.Next(size))])));
        var aim = new Aim(Workload.AllKWay(domain, 2), new AimOptions { MaxModelSizeMb = capMb, Iterations = 50, FinalIterations = 50 });
        var rows = new RowBound(table.RowCount, "the test's rows");
        var estimate = ResourceEstimator.For(aim, rows, table.RowCount, PipelineShape.Synth);

        // The candidates' true marginals.
        var closure = CandidateSet.DownwardClosure(aim.Workload);
        var cliques = closure.Items.Select(c => c.Clique).ToArray();
        var truths = TrueMarginal.CountMany(table, cliques);
        Assert.Contains(truths, t => !t.IsDense);

        // With the coarse candidates (a and b have more than 20 codes): their maps and coarse truths too.
        var coarse = AimCandidate.All(domain, closure, truths, aim.Options).Where(c => c.Coarsening is not null).ToArray();
        Assert.NotEmpty(coarse);
        var coarseBytes = coarse.Sum(c => (4L * c.CellMap!.Length) + c.Truth.ByteCount);
        Assert.True(truths.Sum(t => t.ByteCount) + coarseBytes <= estimate.Of("candidates"));

        // The encoded input and the synthetic table.
        var result = aim.Fit(table, ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(epsilon, 1e-9), 15));
        var synthetic = result.Sample(new Random(1), table.RowCount);
        Assert.True(table.ByteCount + synthetic.ByteCount <= estimate.Of("rows"));

        // The model: within the cap, and the estimator's six working arrays plus the returned model's two fit the term.
        var capCells = capMb * (1 << 20) / sizeof(double);
        Assert.True(result.Model.Tree.CellCount <= capCells, $"{result.Model.Tree.CellCount} cells");
        Assert.True(8L * 8 * result.Model.Tree.CellCount <= estimate.Of("model"));

        // The measurements: their noisy values, and four arrays per distinct measured clique.
        var measurements = result.NoisyMeasurements;
        var distinctCells = measurements.Select(m => m.Clique).Distinct().Sum(c => c.CellCount(domain));
        Assert.True((8L * measurements.Sum(m => m.Values.Length)) + (32 * distinctCells) <= estimate.Of("measurements"));

        // Scoring: one thread's pooled buffers and its estimate row, after projecting every candidate of the final model.
        var projector = new ModelProjector(result.Model);
        var scratch = new ModelProjector.Scratch();
        var largest = 0L;
        foreach (var clique in cliques)
        {
            var estimateRow = new double[clique.CellCount(domain)];
            projector.Project(clique, estimateRow, scratch);
            largest = Math.Max(largest, scratch.ByteCount + (8L * estimateRow.Length));
        }

        Assert.True(CandidateScoring.Workers * largest <= estimate.Of("scoring"));
        Assert.Equal(estimate.Parts.Sum(p => p.Bytes), estimate.PeakBytes);
    }

    [Fact]
    public void TheBoundGrowsWithTheCapAndTheRowsNotWithCandidatesTimesTheirDomain()
    {
        // 30 columns of 1000 categories: 465 candidates of up to 10^6 cells (3.5 GB dense). The candidates' term stays
        // O(candidates x rows).
        var domain = new Domain(Enumerable.Range(0, 30).Select(i => $"c{i}"), Enumerable.Repeat(1000, 30));
        var aim = new Aim(Workload.AllKWay(domain, 2));
        var estimate = ResourceEstimator.For(aim, new RowBound(5000, "test"), null, PipelineShape.Synth);
        Assert.True(estimate.Of("candidates") <= 465 * ((8 * 5000) + 128));
        // No coarse forms: each pair's 10^6 cells exceed the coarse candidates' 4 MiB cap, so a coarse form could only be
        // offered once the model held the pair anyway, and its map alone would cost 4 MB.
        Assert.Empty(AimCandidate.CoarseForms(domain, CandidateSet.DownwardClosure(aim.Workload), aim.Options));
        var bigger = ResourceEstimator.For(new Aim(Workload.AllKWay(domain, 2), new AimOptions { MaxModelSizeMb = 160 }), new RowBound(5000, "test"), null, PipelineShape.Synth);
        Assert.True(bigger.Of("model") == 2 * estimate.Of("model"));
    }

    /// <summary>
    /// A workload clique beyond any machine (twelve columns of 100 categories, 10^24 cells) gives an estimate that says
    /// so (<see cref="long.MaxValue"/>, refused by any limit) for AIM, with and without coarse forms, and MWEM+PGM;
    /// before, a checked cell count and a checked sum threw, and a dry run reported an internal error.
    /// </summary>
    [Fact]
    public void AWorkloadCliqueBeyondAnyMachineSaturatesTheEstimateInsteadOfThrowing()
    {
        var domain = new Domain(Enumerable.Range(0, 12).Select(i => $"c{i}"), Enumerable.Repeat(100, 12));
        var workload = Workload.FromCliques(domain, [new WeightedClique(new Clique(Enumerable.Range(0, 12)), 1.0)]);
        var bound = new RowBound(200, "test");
        ISynthesizer[] methods =
        [
            new Aim(workload),
            new Aim(workload, new AimOptions { CoarseGroups = null }),
            new MwemPgm(workload),
        ];
        foreach (var method in methods)
        {
            var estimate = ResourceEstimator.For(method, bound, null, PipelineShape.Synth);
            Assert.Equal(long.MaxValue, estimate.PeakBytes);
            Assert.Throws<ResourceRefusedException>(() => MemoryLimit.Default().Check(estimate));
            // Even a limit near the largest one can write (9e18 bytes): a saturated estimate is beyond any machine.
            Assert.Throws<ResourceRefusedException>(() => MemoryLimit.Choose("9000000TB", null).Check(estimate));
        }

        Assert.Equal("more than any machine holds (over 9.2 billion GB)", ByteSize.Format(long.MaxValue));
    }

    [Fact]
    public void SynthOutputCostsOneChunkWhateverTheRowsWhileRunOutputCostsEveryRow()
    {
        // synth draws and writes a chunk at a time (RowChunks): past one chunk, more output rows cost nothing more. The
        // policy runner keeps the whole sample (its audits read it), so its term grows with the rows.
        var domain = new Domain(Enumerable.Range(0, 20).Select(i => $"c{i}"), Enumerable.Repeat(50, 20));
        var mst = new Mst(domain);
        var bound = new RowBound(1000, "test");
        long Rows(long output, PipelineShape shape) => ResourceEstimator.For(mst, bound, output, shape, "postgres").Of("rows");
        Assert.Equal(Rows(RowChunks.MaxRows, PipelineShape.Synth), Rows(10_000_000, PipelineShape.Synth));
        Assert.True(Rows(RowChunks.MaxRows / 2, PipelineShape.Synth) < Rows(RowChunks.MaxRows, PipelineShape.Synth));
        var run = new PipelineShape(true, false);
        Assert.True(Rows(10_000_000, run) > Rows(RowChunks.MaxRows, run));
    }

    [Theory]
    [InlineData("8GB", 8_000_000_000)]
    [InlineData("512MiB", 536_870_912)]
    [InlineData(" 1.5 gb ", 1_500_000_000)]
    [InlineData("100MB", 100_000_000)]
    [InlineData("2TiB", 2_199_023_255_552)]
    public void SizesParseWithTheirUnits(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "--max-memory"));

    [Theory]
    [InlineData("8")]
    [InlineData("0GB")]
    [InlineData("-1GB")]
    [InlineData("NaN GB")]
    [InlineData("1e400GB")]
    [InlineData("1e-30B")]
    [InlineData("0.5B")]
    [InlineData("GB")]
    [InlineData("8 G")]
    public void SizesOfNoWholeByteOrWithoutAUnitAreRefused(string text) =>
        Assert.Contains("is not a memory size", Assert.Throws<InputException>(() => ByteSize.Parse(text, "--max-memory")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(1, "1 B")]
    [InlineData(999, "999 B")]
    [InlineData(1500, "1.5 KB")]
    [InlineData(7_610_000_000, "7.61 GB")]
    public void SizesFormatDownToBytes(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));

    [Fact]
    public void MwemPgmsModelWhenNoWorkloadCliqueFitsTheCapIsInTheModelTerm()
    {
        // Every pair (60 x 60 = 3600 cells) is above a 0.01 MB cap (1311 cells): MWEM+PGM's first round falls back to
        // the smallest pair, and later rounds measure what the model covers, so the model is above the cap.
        var rng = new Random(15);
        var domain = new Domain(["a", "b", "c"], [60, 60, 60]);
        var table = new EncodedTable(domain, domain.Sizes.Select(size =>
            EncodedColumn.FromCodes(size, [.. Enumerable.Range(0, 400).Select(_ => rng.Next(size))])));
        const double CapMb = 0.01;
        var mwem = new MwemPgm(Workload.AllKWay(domain, 2), new MwemOptions { MaxModelSizeMb = CapMb, Rounds = 3, Iterations = 20 });
        var estimate = ResourceEstimator.For(mwem, new RowBound(table.RowCount, "the test's rows"), table.RowCount, PipelineShape.Synth);

        var result = mwem.Fit(table, ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(1, 1e-9), 15));
        var cells = result.Model.Tree.CellCount;
        Assert.True(cells > CapMb * (1 << 20) / sizeof(double), $"{cells} cells");
        Assert.True(ResourceEstimator.ModelArrays * 8L * cells <= estimate.Of("model"), $"{cells} cells, {estimate.Of("model")} bytes");
    }

    [Fact]
    public void MstsModelWithAStructuralZeroOverThreeColumnsIsInTheModelTerm()
    {
        // A mask over three 30-category columns (27,000 cells) sits in every model MST fits, beside its 1-way cells and
        // its four pairs of at most 900 cells. Epsilon 20 keeps every category (nothing merges), so the mask stays whole.
        var rng = new Random(15);
        var domain = new Domain(["a", "b", "c", "s", "t"], [30, 30, 30, 4, 4]);
        var codes = domain.Sizes.Select(size => Enumerable.Range(0, 2000).Select(_ => rng.Next(size)).ToArray()).ToArray();
        for (var r = 0; r < 2000; r++)
        {
            if (codes[0][r] == 0 && codes[1][r] == 0 && codes[2][r] == 0)
            {
                codes[2][r] = 1; // the forbidden cell (0, 0, 0) never occurs
            }
        }

        var table = new EncodedTable(domain, domain.Sizes.Select((size, c) => EncodedColumn.FromCodes(size, codes[c])));
        var allowed = Enumerable.Range(0, 27_000).Select(cell => cell != 0).ToImmutableArray();
        var zeros = StructuralZeros.Create(domain, [(Clique.Of(0, 1, 2), allowed, "c != 0 when a = 0 and b = 0")]);
        var mst = new Mst(domain, new MstOptions { SelectionIterations = 20, FinalIterations = 20 }, zeros);
        var estimate = ResourceEstimator.For(mst, new RowBound(table.RowCount, "the test's rows"), table.RowCount, PipelineShape.Synth);

        var result = mst.Fit(table, ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(20, 1e-9), 15));
        var cells = result.Model.Tree.CellCount;
        Assert.True(cells >= 27_000, $"{cells} cells");
        Assert.True(ResourceEstimator.ModelArrays * 8L * cells <= estimate.Of("model"), $"{cells} cells, {estimate.Of("model")} bytes");
    }

    [Fact]
    public void TheDefaultLimitIsThreeQuartersOfTheAvailableMemory()
    {
        var limit = MemoryLimit.Default();
        Assert.Equal((long)(0.75 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes), limit.Bytes);
        Assert.StartsWith("the default, 75% of the ", limit.Source, StringComparison.Ordinal);
    }

    /// <summary>
    /// A scoring thread holds at most one message buffer per attribute of a candidate, each within the cap (AIM offers a
    /// clique outside the model only if its messages total at most the cap): three-way candidates count three caps.
    /// </summary>
    [Fact]
    public void TheScoringTermCountsACapPerAttributeOfTheWidestCandidate()
    {
        var domain = new Domain(Enumerable.Range(0, 6).Select(i => $"c{i}"), Enumerable.Repeat(10, 6));
        var options = new AimOptions { MaxModelSizeMb = 8 };
        var cap = 8L * (1 << 20) / sizeof(double);
        var rows = new RowBound(5000, "test");
        var pairs = ResourceEstimator.For(new Aim(Workload.AllKWay(domain, 2), options), rows, null, PipelineShape.Synth);
        var triples = ResourceEstimator.For(new Aim(Workload.AllKWay(domain, 3), options), rows, null, PipelineShape.Synth);
        Assert.Equal(CandidateScoring.Workers * 8 * ((3 * 100) + (2 * cap)), pairs.Of("scoring"));
        Assert.Equal(CandidateScoring.Workers * 8 * ((3 * 1000) + (3 * cap)), triples.Of("scoring"));
    }

    /// <summary>
    /// The warm start projects with messages of at most the model's cells or 2^20 (else it folds), one array more than the
    /// 16 model-sized ones: below 8 MiB the floor is what is counted.
    /// </summary>
    [Fact]
    public void TheModelTermCountsTheWarmStartsProjectionAtItsFloor()
    {
        var domain = new Domain(Enumerable.Range(0, 6).Select(i => $"c{i}"), Enumerable.Repeat(10, 6));
        var rows = new RowBound(5000, "test");
        var small = ResourceEstimator.For(new Aim(Workload.AllKWay(domain, 2), new AimOptions { MaxModelSizeMb = 1 }), rows, null, PipelineShape.Synth);
        var large = ResourceEstimator.For(new Aim(Workload.AllKWay(domain, 2), new AimOptions { MaxModelSizeMb = 16 }), rows, null, PipelineShape.Synth);
        long smallCap = (1 << 20) / sizeof(double), largeCap = 16L * (1 << 20) / sizeof(double);
        Assert.Equal(8 * ((ResourceEstimator.ModelArrays * smallCap) + AcceleratedMirrorDescent.ProjectionFloorCells), small.Of("model"));
        Assert.Equal(8 * (ResourceEstimator.ModelArrays + 1) * largeCap, large.Of("model"));
    }
}
