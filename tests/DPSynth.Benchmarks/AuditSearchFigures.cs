using System.Diagnostics;
using DPSynth.Audits;

namespace DPSynth.Benchmarks;

/// <summary>
/// The nearest-neighbour search alone on Adult: the two nearest train rows (of 39k) of every row of a 39k-row
/// product-of-marginals synthetic table (the slow case), and the nearest row for a copy of train (hash hits).
/// </summary>
public sealed class AuditSearchFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        if (AdultTable.AuditInputs() is not var (split, spec))
        {
            yield break;
        }

        var watch = Stopwatch.StartNew();
        var index = new NearestNeighbourIndex(split.Train, new GowerDistance(spec));
        yield return new Figure("audits", $"NN search: build the index on 39k train rows ({index.NodeCount} tree nodes)", watch.Elapsed.TotalSeconds, "s", "", null);
        var synthetic = AdultTable.ProductOfMarginals(split.Train, split.Train.RowCount, seed: 2);
        var two = FiguresRunner.MedianSeconds(1, () => index.TwoNearest(synthetic));
        yield return new Figure("audits", $"NN search: two nearest of 39k train rows, 39k product-of-marginals rows", two, "s", "", null);
        var one = FiguresRunner.MedianSeconds(1, () => index.Nearest(synthetic));
        yield return new Figure("audits", $"NN search: nearest of 39k train rows, 39k product-of-marginals rows", one, "s", "", null);
        var uniform = AdultTable.Uniform(split.Train.Domain, split.Train.RowCount, seed: 5);
        var far = FiguresRunner.MedianSeconds(1, () => index.TwoNearest(uniform));
        yield return new Figure("audits", $"NN search: two nearest of 39k train rows, 39k rows uniform over the domain", far, "s", "", null);
        var holdout = FiguresRunner.MedianSeconds(1, () => index.Nearest(split.Holdout));
        yield return new Figure("audits", $"NN search: nearest of 39k train rows, 10k holdout rows", holdout, "s", "", null);
    }
}
