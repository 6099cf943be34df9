using DPSynth.Data;
using DPSynth.Benchmarks.Support;
using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Benchmarks.Engine;

/// <summary>The engine's fixed workloads on adult (issue 4), against the reference figures of anchors.md.</summary>
public sealed class EngineFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var table = AdultData.Table;
        var domain = table.Domain;
        var d = domain.Count;

        var three = Combinations(d, 3);
        var (t3, c3) = FiguresRunner.MedianWallAndCpu(7, () => MarginalCounter.CountMany(table, three));
        yield return new Figure("engine", $"count all {three.Count} 3-way marginals (adult, {d} attributes), wall", t3, "s", "< 0.3 s (ref 1.5-2.1 s)", t3 < 0.3);
        yield return new Figure("engine", "  same, process CPU time (both cores)", c3, "s", "", null);

        var two = Combinations(d, 2);
        var (t2, c2) = FiguresRunner.MedianWallAndCpu(7, () => MarginalCounter.CountMany(table, two));
        yield return new Figure("engine", $"count all {two.Count} 2-way marginals, wall", t2, "s", "ref 0.26-0.32 s", null);
        yield return new Figure("engine", "  same, process CPU time (both cores)", c2, "s", "", null);

        var mst = AdultData.MstLikeCliques(domain);
        var mstTree = new JunctionTree(domain, mst);
        var (tm, cm, am, em) = PerIteration(mst, 200);
        yield return new Figure("engine", $"estimation per iteration, MST-like ({mstTree.CellCount:N0} cells), wall", tm * 1e3, "ms", "< 1.5-2.1 ms (10x ref 15-21 ms)", tm < 0.0021);
        yield return new Figure("engine", "  same, process CPU time", cm * 1e3, "ms", "", null);
        yield return new Figure("engine", $"  same, bytes allocated per iteration ({em:F2} BP runs per iteration)", am, "B", "~0", null);

        var chain = AdultData.ThreeWayChainCliques(domain);
        var chainTree = new JunctionTree(domain, chain);
        var (tc, cc, ac, ec) = PerIteration(chain, 20);
        yield return new Figure("engine", $"estimation per iteration, 3-way chain ({chainTree.CellCount:N0} cells), wall", tc * 1e3, "ms", "< 26.6 ms (10x ref 266 ms)", tc < 0.0266);
        yield return new Figure("engine", "  same, process CPU time (both cores)", cc * 1e3, "ms", "", null);
        yield return new Figure("engine", $"  same, bytes allocated per iteration ({ec:F2} BP runs per iteration)", ac, "B", "~0 (two-core kernels allocate closures)", null);

        // The memory-bandwidth bound of one iteration. Whatever the kernels, an iteration must read the potentials and
        // write the marginals once per BP run (16 bytes a cell of the tree, ec runs), read the measured marginals and
        // the measurements once for the loss and gradient (16 bytes a measured cell), and read and write the
        // potentials once for the update (16 bytes a cell): a lower bound on its traffic, so bytes / bandwidth is a
        // lower bound on its time. The bandwidth is the triad's on arrays the size of the tree (what the iteration
        // streams) and, for reference, on arrays far larger than any cache.
        var treeCells = chainTree.CellCount;
        var measuredCells = chain.Sum(c => c.CellCount(domain));
        var bytes = (16.0 * ec * treeCells) + (16.0 * measuredCells) + (16.0 * treeCells);
        var atTreeSize = MemoryBandwidth.Triad((int)treeCells);
        var dram = MemoryBandwidth.Triad(1 << 25);
        yield return new Figure("engine", $"memory bandwidth, STREAM triad on two cores, 3 arrays of {treeCells:N0} doubles (the chain's size)", atTreeSize / 1e9, "GB/s", "", null);
        yield return new Figure("engine", "memory bandwidth, same, 3 arrays of 256 MB (beyond any cache)", dram / 1e9, "GB/s", "", null);
        var bound = bytes / Math.Max(atTreeSize, dram);
        yield return new Figure("engine", $"3-way chain iteration: least traffic {bytes / 1e6:F0} MB, so at least (at the faster bandwidth)", bound * 1e3, "ms", "", null);
        yield return new Figure("engine", "3-way chain iteration wall time over that bound", tc / bound, "x", "<= 3", tc / bound <= 3);

        // The same for AIM's default estimator, the accelerated one: one BP per trial, and its trials read the marginals
        // of z and z+ once more for the divergence (counted in the same least traffic: 16 bytes a cell a BP run).
        var (ta, ca, ea) = PerAcceleratedIteration(chain, 20);
        var acceleratedBound = ((16.0 * ea * treeCells) + (16.0 * measuredCells) + (16.0 * treeCells)) / Math.Max(atTreeSize, dram);
        yield return new Figure("engine", $"accelerated estimation per iteration, 3-way chain ({ea:F2} BP runs per iteration), wall", ta * 1e3, "ms", "", null);
        yield return new Figure("engine", "  same, process CPU time (both cores)", ca * 1e3, "ms", "", null);
        yield return new Figure("engine", "  its least traffic at the faster bandwidth", acceleratedBound * 1e3, "ms", "", null);
        yield return new Figure("engine", "  accelerated iteration wall time over that bound", ta / acceleratedBound, "x", "<= 3", ta / acceleratedBound <= 3);

        // The arithmetic floor beside the traffic one. Belief propagation must exponentiate every cell of the tree once
        // a run (no kernel avoids it: the marginals are exponentials of the potentials), and on this machine that is
        // not free next to the traffic. The roofline bound is the larger of the two floors (traffic and arithmetic may
        // overlap, so not their sum); the goal stays the issue's, against the bandwidth alone.
        var exp = ExpThroughput.Seconds((int)treeCells);
        yield return new Figure("engine", $"exponentials on two cores, {treeCells:N0} doubles (one BP run's least arithmetic)", exp * 1e3, "ms", "", null);
        var roofline = Math.Max(bound, ec * exp);
        yield return new Figure("engine", $"3-way chain iteration: roofline bound, max(traffic, {ec:F2} runs of exponentials)", roofline * 1e3, "ms", "", null);
        yield return new Figure("engine", "  mirror-descent iteration wall time over the roofline bound", tc / roofline, "x", "", null);
        var acceleratedRoofline = Math.Max(acceleratedBound, ea * exp);
        yield return new Figure("engine", "  accelerated iteration wall time over its roofline bound", ta / acceleratedRoofline, "x", "", null);

        foreach (var figure in FusedReference(table, Math.Max(atTreeSize, dram)))
        {
            yield return figure;
        }

        var fit = new MirrorDescentEstimator(new MirrorDescentOptions { MaxIterations = 1000 })
            .Fit(domain, AdultData.Measure(table, mst, 10.0));
        var model = fit.Model;
        var tvd = mst.Where(c => c.Count == 2).Average(c =>
        {
            var truth = MarginalCounter.Count(table, c);
            var fitted = model.Project(c);
            return 0.5 * truth.Zip(fitted, (x, y) => Math.Abs(x - y)).Sum() / table.RowCount;
        });
        yield return new Figure("engine", "fit quality: mean TVD of the 13 measured 2-way marginals, MST-like, sigma 10, 1000 iterations", tvd, "", "small", null);
        var (ts, cs) = FiguresRunner.MedianWallAndCpu(7, () => model.Sample(table.RowCount, new Random(1)));
        yield return new Figure("engine", $"sample {table.RowCount:N0} rows, MST-like model, wall", ts, "s", "< 0.1 s (ref 0.32-0.55 s)", ts < 0.1);
        yield return new Figure("engine", "  same, process CPU time", cs, "s", "", null);

        var tq = FiguresRunner.MedianSeconds(7, () =>
        {
            foreach (var c in three)
            {
                chainTree.CellCountWith(c);
            }
        }) / three.Count;
        yield return new Figure("engine", "model-size query per candidate (3-way chain + one 3-way clique)", tq * 1e6, "us", "cheap", null);
    }

    /// <summary>
    /// Median seconds per mirror-descent iteration (BP + loss + gradient + line search), wall and process CPU, after a
    /// warm-up. The machine is shared, so CPU time is the steadier figure; wall time is what the goal is about.
    /// </summary>
    private static (double Wall, double Cpu, double Bytes, double Evaluations) PerIteration(IReadOnlyList<Clique> cliques, int steps)
    {
        var run = AdultData.StartedRun(cliques);
        for (var i = 0; i < 10; i++)
        {
            run.Step(null);
        }

        var evaluations = run.Evaluations;
        var stepsBefore = run.Steps;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < steps; i++)
        {
            run.Step(null);
        }

        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)steps;
        var perStep = (run.Evaluations - evaluations) / (double)(run.Steps - stepsBefore);
        var (wall, cpu) = FiguresRunner.MedianWallAndCpu(5, () =>
        {
            for (var i = 0; i < steps; i++)
            {
                run.Step(null);
            }
        });
        return (wall / steps, cpu / steps, allocated, perStep);
    }

    /// <summary>Median seconds per accelerated iteration, wall and process CPU, and BP runs per iteration, after a warm-up.</summary>
    private static (double Wall, double Cpu, double Evaluations) PerAcceleratedIteration(IReadOnlyList<Clique> cliques, int steps)
    {
        var run = AdultData.StartedAccelerated(cliques);
        for (var i = 0; i < 10; i++)
        {
            run.Step();
        }

        var (evaluations, stepsBefore) = (run.Evaluations, run.Steps);
        var (wall, cpu) = FiguresRunner.MedianWallAndCpu(5, () =>
        {
            for (var i = 0; i < steps; i++)
            {
                run.Step();
            }
        });
        return (wall / steps, cpu / steps, (run.Evaluations - evaluations) / (double)(run.Steps - stepsBefore));
    }

    /// <summary>
    /// The engine's mirror-descent iteration on the 3-way chain's two largest cliques alone (root (9,10,11), 990,000
    /// cells; child (10,11,12), 415,800) beside <see cref="FusedTrialReference"/>, a hand-fused trial on the same state,
    /// both against the same bound: how far a rewrite of the iteration into two passes could go on this machine.
    /// </summary>
    private static IEnumerable<Figure> FusedReference(EncodedTable table, double bandwidth)
    {
        if (!System.Numerics.Vector.IsHardwareAccelerated)
        {
            // Emulated vectors would time the emulation, not what a fused kernel reaches.
            yield return new Figure("engine", "hand-fused reference trial: skipped, this machine has no hardware vectors", double.NaN, "", "", null);
            yield break;
        }

        var domain = table.Domain;
        List<Clique> cliques = [Clique.Of(9, 10, 11), Clique.Of(10, 11, 12)];
        var measurements = AdultData.Measure(table, cliques, 10.0);
        var tree = new JunctionTree(domain, cliques);
        var run = new MirrorDescentEstimator.Run(tree, measurements, MarginalLossKind.L2);
        run.Start(MirrorDescentEstimator.EstimateTotal(measurements), null);
        for (var i = 0; i < 40; i++)
        {
            run.Step(null);
        }

        const int Steps = 20;
        var (evaluations, stepsBefore) = (run.Evaluations, run.Steps);
        var engine = FiguresRunner.MedianSeconds(5, () =>
        {
            for (var i = 0; i < Steps; i++)
            {
                run.Step(null);
            }
        }) / Steps;
        var runs = (run.Evaluations - evaluations) / (double)(run.Steps - stepsBefore);
        var step = run.StepSize;
        var model = run.TakeModel();
        double[] Values(CliqueVector vector, Clique clique) => vector.Single(f => f.Clique.Equals(clique)).Values.ToArray();
        (double[], double[], double[]) State(int k) =>
            (Values(model.Potentials, cliques[k]), Values(model.Marginals, cliques[k]), measurements[k].Values.ToArray());
        var (outer, inner, block) = (domain.Size(9), domain.Size(10) * domain.Size(11), domain.Size(12));
        var sigma = measurements[0].Sigma;
        var reference = new FusedTrialReference(outer, inner, block, State(0), State(1), 1 / (sigma * sigma), model.Total);

        // A trial of step 0 recomputes the engine's marginals from its potentials: the reference computes what it claims.
        reference.Trial(0, out _);
        var error = Math.Max(
            MaxRelativeDifference(reference.RootMarginal, Values(model.Marginals, cliques[0])),
            MaxRelativeDifference(reference.ChildMarginal, Values(model.Marginals, cliques[1])));
        for (var i = 0; i < 50; i++)
        {
            // Past the JIT's first tier, as the engine's 40 steps above are.
            reference.Trial(step, out _);
        }

        var trial = FiguresRunner.MedianSeconds(5, () =>
        {
            for (var i = 0; i < Steps; i++)
            {
                reference.Trial(step, out _);
            }
        }) / Steps;

        var cells = (double)(outer * inner) + (inner * block);
        var bound = ((16.0 * runs * cells) + (16.0 * cells) + (16.0 * cells)) / bandwidth;
        yield return new Figure("engine", $"two largest chain cliques alone ({cells:N0} cells): engine's mirror-descent iteration ({runs:F2} BP runs), wall", engine * 1e3, "ms", "", null);
        yield return new Figure("engine", "  its least traffic at the faster bandwidth", bound * 1e3, "ms", "", null);
        yield return new Figure("engine", "  engine iteration over that bound", engine / bound, "x", "", null);
        yield return new Figure("engine", "  reference: one hand-fused trial, two passes (FusedTrialReference), wall", trial * 1e3, "ms", "", null);
        yield return new Figure("engine", "  reference: its marginals at step 0 against the engine's, largest relative difference", error, "", "< 1e-12", error < 1e-12);
        yield return new Figure("engine", $"  reference at the engine's {runs:F2} trials an iteration, over the bound", runs * trial / bound, "x", "", null);
    }

    /// <summary>The largest <c>|a - b| / |b|</c>; a NaN on either side counts as an infinite difference.</summary>
    private static double MaxRelativeDifference(double[] a, double[] b) =>
        a.Zip(b, (x, y) => double.IsNaN(x) || double.IsNaN(y) ? double.PositiveInfinity : Math.Abs(x - y) / Math.Max(Math.Abs(y), 1e-300)).Max();

    /// <summary>All k-subsets of n attributes, as cliques.</summary>
    internal static List<Clique> Combinations(int n, int k)
    {
        var result = new List<Clique>();
        void Recurse(int start, List<int> current)
        {
            if (current.Count == k)
            {
                result.Add(new Clique(current));
                return;
            }

            for (var i = start; i < n; i++)
            {
                current.Add(i);
                Recurse(i + 1, current);
                current.RemoveAt(current.Count - 1);
            }
        }

        Recurse(0, []);
        return result;
    }
}
