using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// MWEM+PGM (Hardt, Ligett, McSherry 2012, with the Private-PGM estimator), as in Private-PGM's
/// <c>mechanisms/mwem+pgm.py</c> at commit 41b5346 with the parameters of privacy-details.md section 4: T rounds
/// (default d), each with rho/T split 0.1 selection / 0.9 measurement; each round selects the worst-approximated
/// workload clique (score <c>||x - xhat||_1 - n_r</c>, sensitivity 1) among those that keep the model under
/// <c>max_model_size * t / T</c> MiB, measures it and re-fits (warm start). No initial 1-way measurements.
/// Proof: docs/privacy.md section 12.5.
/// </summary>
public sealed class MwemPgm : ISynthesizer
{
    private readonly Workload workload;

    /// <summary>
    /// Creates MWEM+PGM for a workload (its domain is the synthesizer's) and settings; every model it fits gives the
    /// schema's structural <paramref name="zeros"/> probability 0.
    /// </summary>
    public MwemPgm(Workload workload, MwemOptions? options = null, StructuralZeros? zeros = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        this.workload = workload;
        Options = options ?? new MwemOptions();
        Zeros = zeros ?? StructuralZeros.None;
    }

    /// <inheritdoc />
    public string Method => "mwem";

    /// <inheritdoc />
    public Domain Domain => workload.Domain;

    /// <summary>The workload (the preflight estimate reads its candidates).</summary>
    internal Workload Workload => workload;

    /// <summary>The settings.</summary>
    public MwemOptions Options { get; }

    /// <summary>The structural zeros every fitted model keeps (public schema facts, no budget).</summary>
    public StructuralZeros Zeros { get; }

    /// <inheritdoc />
    public SynthesisPlan Plan(Rho rho)
    {
        SynthesisBudget.CheckPositive(rho);
        SynthesisSteps.CheckPositive("rounds", Rounds);
        SynthesisSteps.CheckPositive("iterations", Options.Iterations);
        SynthesisSteps.CheckModelSize(Domain, Options.MaxModelSizeMb, Zeros);
        SynthesisSteps.CheckAlpha(Options.Alpha);
        return SynthesisSteps.NewPlan(
            Method, rho, workload.Description, ("rounds", Rounds), ("alpha", Options.Alpha),
            ("max_model_size_mb", Options.MaxModelSizeMb), ("iterations", Options.Iterations));
    }

    /// <inheritdoc />
    public SynthesisResult Fit(IMarginalSource data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null)
    {
        var budget = RunBudget.Begin(this, data, accountant);
        var rho = budget.Total;
        var rounds = Rounds;
        var alpha = SynthesisSteps.CheckAlpha(Options.Alpha);

        // Per round rho/T: sigma^2 = 1 / (2 alpha rho/T) and epsilon^2/8 = (1 - alpha) rho/T.
        var perRound = rho.Value / rounds;
        var sigmaSquared = GaussianMechanism.RoundSigmaSquaredUp(Rational.One / (2 * alpha * perRound));
        var select = ExponentialMechanism.ForRho(new Rho((Rational.One - alpha) * perRound));
        var candidates = CandidateSet.WorkloadOnly(workload);
        var cliques = candidates.Items.Select(c => c.Clique).ToArray();
        var answers = TrueMarginal.CountMany(data, cliques);
        var sensitivity = SelectionScore.Sensitivity(CandidateSet.WeightUnitsPerOne);
        var selections = new List<SelectionRecord>();
        var records = new List<MeasurementRecord>();
        var measurements = new List<NoisyMarginal>();
        var estimator = SynthesisSteps.Estimator(Options.Iterations);
        var (model, loss) = SynthesisSteps.Fit(estimator, Domain, measurements, Zeros);
        for (var round = 1; round <= rounds; round++)
        {
            var offered = Filter(cliques, model, Options.MaxModelSizeMb * round / rounds);
            var offeredCliques = offered.Select(i => cliques[i]).ToArray();
            // The penalty is the cell count n_r (data-independent), as in the reference. Streamed, as in AIM.
            var scores = CandidateScoring.Score(
                model, offeredCliques, [.. offered.Select(i => answers[i])],
                [.. offered.Select(_ => CandidateSet.WeightUnitsPerOne)], 1.0);

            var chosen = SynthesisSteps.Select(
                accountant, select, scores, sensitivity, null, SynthesisSteps.SelectLabel(Method, round), round,
                offeredCliques, selections);
            var clique = offeredCliques[chosen];
            var noisy = SynthesisSteps.Measure(
                accountant, sigmaSquared, answers[offered[chosen]].ToDense(),
                SynthesisSteps.Label(Method, round, "measure", Domain, clique), round, clique, records);
            measurements.Add(SynthesisSteps.ToMeasurement(clique, noisy, sigmaSquared));
            (model, loss) = SynthesisSteps.Fit(estimator, Domain, measurements, Zeros, model);
            progress?.Report(budget.Progress(Method, "round", round, rounds, SynthesisSteps.Megabytes(model.Tree.CellCount), loss));
        }

        return new SynthesisResult(Method, Domain, model, [.. selections], [.. records], budget.Used, budget.InsecureNoise, null, measurements);
    }

    private int Rounds => Options.Rounds ?? Domain.Count;

    /// <summary>
    /// The workload cliques whose junction tree would stay within <paramref name="sizeLimitMb"/>. The reference has no
    /// fallback when none fits; here the cliques the model already covers are offered, then the smallest ones, so a
    /// round never has an empty candidate set. A clique outside the model is kept within the cap only if scoring it needs
    /// messages of at most the cap in all (<see cref="SynthesisSteps.ProjectionFits"/>). Reads only the model structure
    /// and public settings.
    /// </summary>
    private static int[] Filter(Clique[] cliques, GraphicalModel model, double sizeLimitMb)
    {
        var sizes = cliques.Select(c => model.Tree.CellCountWith(c)).ToArray();
        var kept = Enumerable.Range(0, cliques.Length).Where(i => SynthesisSteps.Megabytes(sizes[i]) <= sizeLimitMb &&
            (model.Tree.IndexOfSmallestContaining(cliques[i]) >= 0 || SynthesisSteps.ProjectionFits(model, cliques[i], sizeLimitMb))).ToArray();
        if (kept.Length == 0)
        {
            kept = Enumerable.Range(0, cliques.Length).Where(i => model.Tree.IndexOfSmallestContaining(cliques[i]) >= 0).ToArray();
        }

        if (kept.Length == 0)
        {
            var smallest = sizes.Min();
            kept = Enumerable.Range(0, cliques.Length).Where(i => sizes[i] == smallest).ToArray();
        }

        return kept;
    }
}
