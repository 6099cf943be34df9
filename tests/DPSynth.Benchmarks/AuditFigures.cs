using DPSynth.Audits;
using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks;

/// <summary>
/// All audits (DCR to train and holdout, NNDR, exact matches, both membership-inference attacks) on Adult-sized
/// inputs, and how their time grows with rows. Synthetic rows are drawn from the product of train's 1-way marginals,
/// which are far from the real rows: the slow case for the nearest-neighbour search (a copying synthesizer is faster);
/// one more figure audits real DP AIM output.
/// </summary>
public sealed class AuditFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        if (AdultTable.AuditInputs() is not var (split, spec))
        {
            yield return new Figure("audits", "adult not found beside the checkout; skipped", 0, "", "", null);
            yield break;
        }

        foreach (var trainRows in new[] { 10_000, 20_000, split.Train.RowCount })
        {
            var train = split.Train.SelectRows(Enumerable.Range(0, trainRows).ToArray());
            var holdoutRows = Math.Min(split.Holdout.RowCount, trainRows / 4);
            var holdout = split.Holdout.SelectRows(Enumerable.Range(0, holdoutRows).ToArray());
            var synthetic = AdultTable.ProductOfMarginals(train, trainRows, seed: 2);
            var full = trainRows == split.Train.RowCount;
            var seconds = FiguresRunner.MedianSeconds(full ? 3 : 1, () => Run(train, holdout, synthetic, spec));
            yield return new Figure(
                "audits",
                $"all audits, adult: {trainRows} train, {holdoutRows} holdout, {trainRows} synthetic",
                seconds,
                "s",
                full ? "< 20 s" : "",
                full ? seconds < 20 : null);
        }

        // A realistic synthetic table: DP AIM at epsilon 1 (fewer estimator iterations than the reference, for time).
        var aim = new Aim(Workload.AllKWay(split.Train.Domain, 2), new AimOptions { Iterations = 100, FinalIterations = 300, MaxModelSizeMb = 10 });
        var aimRows = aim.Fit(split.Train, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-9))).Sample(new Random(4), split.Train.RowCount);
        var aimSeconds = FiguresRunner.MedianSeconds(3, () => Run(split.Train, split.Holdout, aimRows, spec));
        yield return new Figure("audits", "all audits, adult, AIM (epsilon 1) synthetic, 39k rows", aimSeconds, "s", "< 20 s", aimSeconds < 20);

        var copy = FiguresRunner.MedianSeconds(1, () => Run(split.Train, split.Holdout, split.Train, spec));
        yield return new Figure("audits", "all audits, adult, a copy of train as synthetic", copy, "s", "< 20 s", copy < 20);

        // The worst case: rows uniform over the domain are far from every real row, so little of the tree is cut.
        var uniform = AdultTable.Uniform(split.Train.Domain, split.Train.RowCount, seed: 5);
        var worst = FiguresRunner.MedianSeconds(1, () => Run(split.Train, split.Holdout, uniform, spec));
        yield return new Figure("audits", "all audits, adult, 39k rows uniform over the domain (worst case)", worst, "s", "", null);
    }

    private static AuditReport Run(EncodedTable train, EncodedTable holdout, EncodedTable synthetic, DistanceSpec spec) =>
        PrivacyAudit.Run(train, holdout, synthetic, spec, new Random(3));
}
