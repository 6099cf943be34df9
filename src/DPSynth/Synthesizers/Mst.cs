using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// MST (McKenna, Miklau, Sheldon 2021), as in Private-PGM's <c>mechanisms/mst.py</c> at commit 41b5346 with the exact
/// steps of privacy-details.md section 4: a third of rho measures every 1-way marginal, rare values (noisy count below
/// 3 sigma_1) merge into one cell, a third selects a spanning tree of attribute pairs by d - 1 Kruskal-style
/// exponential mechanisms on the L1 error of the 1-way model (less AIM's public noise bias, <see cref="MstOptions.NoisePenalty"/>),
/// and a third measures the tree's pairs; the final model
/// is fitted with 5000 iterations. Proof: docs/privacy.md section 12.4.
/// </summary>
public sealed class Mst : ISynthesizer
{
    /// <summary>
    /// Creates MST over <paramref name="domain"/> (MST has no workload: it always fits a tree of pairs); every model it
    /// fits gives the schema's structural <paramref name="zeros"/> probability 0.
    /// </summary>
    public Mst(Domain domain, MstOptions? options = null, StructuralZeros? zeros = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Domain = domain;
        Options = options ?? new MstOptions();
        Zeros = zeros ?? StructuralZeros.None;
    }

    /// <inheritdoc />
    public string Method => "mst";

    /// <inheritdoc />
    public Domain Domain { get; }

    /// <summary>The settings.</summary>
    public MstOptions Options { get; }

    /// <summary>
    /// The structural zeros every fitted model keeps (public schema facts, no budget). Rare values of their columns
    /// merge only with values the zeros treat alike (<see cref="DomainCompression.FromNoisyOneWay"/>).
    /// </summary>
    public StructuralZeros Zeros { get; }

    /// <inheritdoc />
    public SynthesisPlan Plan(Rho rho)
    {
        SynthesisBudget.CheckPositive(rho);
        if (Domain.Count < 2)
        {
            throw new SynthesisSettingsException(Diagnostics.Messages.MstNeedsTwoColumns(Domain.Count));
        }

        SynthesisSteps.CheckPositive("selection iterations", Options.SelectionIterations);
        SynthesisSteps.CheckPositive("final iterations", Options.FinalIterations);
        SynthesisSteps.CheckPositive("compression threshold", Options.CompressionThreshold);
        return SynthesisSteps.NewPlan(
            Method, rho, "spanning tree of pairs", ("selection_iterations", Options.SelectionIterations),
            ("final_iterations", Options.FinalIterations), ("compression_threshold_sigma", Options.CompressionThreshold),
            ("noise_penalty", Options.NoisePenalty));
    }

    /// <inheritdoc />
    public SynthesisResult Fit(IMarginalSource data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null)
    {
        var budget = RunBudget.Begin(this, data, accountant);
        var rho = budget.Total;
        var d = Domain.Count;
        var selections = new List<SelectionRecord>();
        var records = new List<MeasurementRecord>();

        // sigma^2 = 3 / (2 rho) is the phase noise; a phase of k marginals gives each std sigma sqrt(k), so each phase
        // costs k / (2 sigma^2 k) = rho / 3.
        var phaseSigmaSquared = new Rational(3, 1) / (2 * rho.Value);
        var oneWaySigmaSquared = GaussianMechanism.RoundSigmaSquaredUp(phaseSigmaSquared * d);
        var oneWaySigma = Math.Sqrt(oneWaySigmaSquared.ToDouble());
        var singles = Enumerable.Range(0, d).Select(a => Clique.Of(a)).ToArray();
        var oneWay = SynthesisSteps.Count(data, singles);
        var noisyOneWay = new long[d][];
        for (var a = 0; a < d; a++)
        {
            noisyOneWay[a] = SynthesisSteps.Measure(
                accountant, oneWaySigmaSquared, oneWay[a], SynthesisSteps.Label(Method, 1, "measure", Domain, singles[a]),
                1, singles[a], records);
        }

        Report(progress, budget, "1-way", 1, null, double.NaN);

        // Post-processing of phase 1 only: which values are kept, and the recoded table.
        var compression = DomainCompression.FromNoisyOneWay(
            Domain, noisyOneWay, Options.CompressionThreshold * oneWaySigma, Zeros);
        // A view of the same rows through the merge: counted on the compressed cells, never re-read as raw values.
        using var compressed = data.Recode(compression.Recoding);
        var domain = compression.Compressed;
        var zeros = compression.Compress(Zeros);
        var log1 = new List<NoisyMarginal>(d);
        for (var a = 0; a < d; a++)
        {
            log1.Add(compression.CompressMeasurement(a, noisyOneWay[a], oneWaySigma));
        }

        var pairSigmaSquared = GaussianMechanism.RoundSigmaSquaredUp(phaseSigmaSquared * (d - 1));
        var penalty = Options.NoisePenalty ? SynthesisSteps.ExpectedAbsNormal * Math.Sqrt(pairSigmaSquared.ToDouble()) : 0;
        var edges = SelectTree(compressed, zeros, accountant, log1, new Rho(rho.Value / 3), penalty, selections);
        Report(progress, budget, "select", 2, null, double.NaN);

        var pairs = SynthesisSteps.Count(compressed, edges);
        var measurements = new List<NoisyMarginal>(log1);
        for (var e = 0; e < edges.Length; e++)
        {
            var noisy = SynthesisSteps.Measure(
                accountant, pairSigmaSquared, pairs[e], SynthesisSteps.Label(Method, 3, "measure", Domain, edges[e]),
                3, edges[e], records);
            measurements.Add(SynthesisSteps.ToMeasurement(edges[e], noisy, pairSigmaSquared));
        }

        Report(progress, budget, "measure", 3, null, double.NaN);
        var (model, loss) = SynthesisSteps.Fit(
            SynthesisSteps.Estimator(Options.FinalIterations), domain, measurements, zeros);
        Report(progress, budget, "final estimate", 3, model, loss);
        return new SynthesisResult(
            Method, Domain, model, [.. selections], [.. records], budget.Used, budget.InsecureNoise, compression.MergesAnything ? compression : null,
            measurements);
    }

    /// <summary>
    /// Phase 2: scores every pair once against the model of the (compressed) 1-way measurements, then adds d - 1 edges,
    /// each chosen by the exponential mechanism among the pairs that join two components (sensitivity 1), or that lie
    /// inside a structural zero's clique and were not chosen yet.
    /// </summary>
    private Clique[] SelectTree(
        IMarginalSource data, StructuralZeros zeros, ZcdpAccountant accountant, List<NoisyMarginal> log1, Rho phase,
        double penaltyPerCell, List<SelectionRecord> selections)
    {
        var d = data.Domain.Count;
        var model = SynthesisSteps.Estimator(Options.SelectionIterations).Estimate(data.Domain, log1, null, zeros);
        var pairs = new List<Clique>();
        for (var a = 0; a < d; a++)
        {
            for (var b = a + 1; b < d; b++)
            {
                pairs.Add(Clique.Of(a, b));
            }
        }

        // Streamed, as in AIM: the pairs' true marginals in their compact form, one projection per worker at a time.
        var scores = CandidateScoring.Score(
            model, pairs, TrueMarginal.CountMany(data, pairs), [.. pairs.Select(_ => CandidateSet.WeightUnitsPerOne)],
            penaltyPerCell);

        var sensitivity = SelectionScore.Sensitivity(CandidateSet.WeightUnitsPerOne);
        var mechanism = ExponentialMechanism.ForRho(new Rho(phase.Value / (d - 1)));

        // The structural zeros' cliques are in every model, so their attributes start joined, and a pair inside one
        // may still be chosen: it adds no edge to the model's graph. Otherwise a chosen pair could close a cycle through
        // a zero's clique: on a census-like table the triangulated model grew from 0.3 to 5.6 MB and the fit took 30
        // times as long. A spanning forest of the zeros' cliques has as many edges as they join attributes, all inside
        // pairs, so d - 1 choices always remain (the public budget split is unchanged).
        var components = new DisjointSets(d);
        var inside = new bool[pairs.Count];
        foreach (var clique in zeros.Cliques)
        {
            for (var k = 1; k < clique.Count; k++)
            {
                components.Union(clique[0], clique[k]);
            }

            for (var i = 0; i < pairs.Count; i++)
            {
                inside[i] |= pairs[i].IsSubsetOf(clique);
            }
        }

        var chosenBefore = new bool[pairs.Count];
        var excluded = new bool[pairs.Count];
        var tree = new Clique[d - 1];
        for (var e = 0; e < d - 1; e++)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                excluded[i] = chosenBefore[i] || (components.Connected(pairs[i][0], pairs[i][1]) && !inside[i]);
            }

            var chosen = SynthesisSteps.Select(
                accountant, mechanism, scores, sensitivity, excluded, SynthesisSteps.SelectLabel(Method, e + 1), e + 1, pairs,
                selections);
            components.Union(pairs[chosen][0], pairs[chosen][1]);
            chosenBefore[chosen] = true;
            tree[e] = pairs[chosen];
        }

        return tree;
    }

    private void Report(
        IProgress<SynthesisProgress>? progress, RunBudget budget, string phase, int round, GraphicalModel? model, double loss) =>
        progress?.Report(budget.Progress(
            Method, phase, round, 3, model is null ? 0 : SynthesisSteps.Megabytes(model.Tree.CellCount), loss));

    /// <summary>Union-find over attributes, for Kruskal's "joins two components" test.</summary>
    private sealed class DisjointSets(int count)
    {
        private readonly int[] parent = Enumerable.Range(0, count).ToArray();

        public bool Connected(int a, int b) => Find(a) == Find(b);

        public void Union(int a, int b) => parent[Find(a)] = Find(b);

        private int Find(int a)
        {
            while (parent[a] != a)
            {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }

            return a;
        }
    }
}
