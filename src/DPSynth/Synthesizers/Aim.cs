using System.Globalization;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// AIM, the adaptive and iterative mechanism (McKenna, Mullins, Sheldon, Miklau, VLDB 2022), as in Private-PGM's
/// <c>mechanisms/aim.py</c> at commit 41b5346 with the exact steps of privacy-details.md section 4: measure every 1-way
/// marginal, then in rounds select a workload-closure clique by the exponential mechanism on its weighted, bias-corrected
/// L1 error, measure it with discrete Gaussian noise and re-fit the Private-PGM model (warm start), annealing when a
/// round taught little, until the budget is spent. Proof: docs/privacy.md section 12.3.
/// </summary>
public sealed class Aim : ISynthesizer
{
    private readonly Workload workload;

    /// <summary>
    /// Creates AIM for a workload (its domain is the synthesizer's) and settings; every model it fits gives the
    /// schema's structural <paramref name="zeros"/> probability 0.
    /// </summary>
    public Aim(Workload workload, AimOptions? options = null, StructuralZeros? zeros = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        this.workload = workload;
        Options = options ?? new AimOptions();
        Zeros = zeros ?? StructuralZeros.None;
    }

    /// <inheritdoc />
    public string Method => "aim";

    /// <inheritdoc />
    public Domain Domain => workload.Domain;

    /// <summary>The workload (the preflight estimate reads its candidates).</summary>
    internal Workload Workload => workload;

    /// <summary>The settings.</summary>
    public AimOptions Options { get; }

    /// <summary>The structural zeros every fitted model keeps (public schema facts, no budget).</summary>
    public StructuralZeros Zeros { get; }

    /// <summary>Test seam: sees each round's estimates before and after the re-fit, before annealing reads them.</summary>
    internal Action<AimRefit>? RefitObserver { get; init; }

    /// <inheritdoc />
    public SynthesisPlan Plan(Rho rho)
    {
        SynthesisBudget.CheckPositive(rho);
        var rounds = Rounds;
        SynthesisSteps.CheckPositive("rounds", rounds);
        SynthesisSteps.CheckPositive("iterations", Options.Iterations);
        SynthesisSteps.CheckPositive("final iterations", Options.FinalIterations);
        SynthesisSteps.CheckTolerance(Options.Tolerance);
        SynthesisSteps.CheckTolerance(Options.FinalLossTolerance);
        SynthesisSteps.CheckTolerance(Options.LoopLossTolerance);
        SynthesisSteps.CheckPositive("loop window", Options.LoopWindow);
        SynthesisSteps.CheckModelSize(Domain, Options.MaxModelSizeMb, Zeros);
        SynthesisSteps.CheckAlpha(Options.Alpha);
        // The 1-way marginals cost (ones * alpha / T) rho; with T below the number of 1-way marginals they could take
        // the whole budget before the first round.
        var ones = CandidateSet.DownwardClosure(workload).Items.Count(c => c.Clique.Count == 1);
        if (rounds < ones)
        {
            throw new SynthesisSettingsException(Diagnostics.Messages.SynthParameterOutOfRange(
                string.Create(CultureInfo.InvariantCulture, $"rounds (at least the {ones} 1-way marginals)"), rounds));
        }

        (string, object)[] parameters =
        [
            ("rounds", rounds), ("alpha", Options.Alpha),
            ("max_model_size_mb", Options.MaxModelSizeMb), ("iterations", Options.Iterations),
            ("final_iterations", Options.FinalIterations), ("tolerance", Options.Tolerance), ("anneal", Options.Anneal),
            ("estimator", Options.Estimator == EstimationMethod.Accelerated ? "accelerated" : "mirror_descent"),
            ("final_loss_tolerance", Options.FinalLossTolerance), ("loop_loss_tolerance", Options.LoopLossTolerance),
            ("loop_window", Options.LoopWindow), ("proportional_start", Options.ProportionalStart),
        ];
        if (Options.CoarseGroups is { } groups)
        {
            // Named only when on, so plans without coarse candidates keep their text.
            SynthesisSteps.CheckPositive("coarse groups", groups);
            SynthesisSteps.CheckPositive("coarse model size", Options.CoarseMaxModelSizeMb);
            if (Options.CoarseAbove < groups)
            {
                throw new SynthesisSettingsException(Diagnostics.Messages.SynthParameterOutOfRange(
                    string.Create(CultureInfo.InvariantCulture, $"coarse above (at least the {groups} groups)"), Options.CoarseAbove));
            }

            parameters = [.. parameters, ("coarse_groups", groups), ("coarse_above", Options.CoarseAbove),
                ("coarse_max_model_size_mb", Options.CoarseMaxModelSizeMb)];
        }

        return SynthesisSteps.NewPlan(Method, rho, workload.Description, parameters);
    }

    /// <inheritdoc />
    public SynthesisResult Fit(IMarginalSource data, ZcdpAccountant accountant, IProgress<SynthesisProgress>? progress = null)
    {
        var budget = RunBudget.Begin(this, data, accountant);
        var rho = budget.Total;

        var candidates = CandidateSet.DownwardClosure(workload);
        var cliques = candidates.Items.Select(c => c.Clique).ToArray();
        var answers = TrueMarginal.CountMany(data, cliques);
        var offerable = AimCandidate.All(Domain, candidates, answers, Options);
        var schedule = new AimSchedule(rho, Rounds, SynthesisSteps.CheckAlpha(Options.Alpha));
        var selections = new List<SelectionRecord>();
        var records = new List<MeasurementRecord>();
        var measurements = new List<NoisyMarginal>();

        // 1-way marginals with the first round's sigma; no selection is paid for (the set is fixed in advance).
        var sigmaSquared = GaussianMechanism.RoundSigmaSquaredUp(schedule.SigmaSquared);
        for (var i = 0; i < cliques.Length; i++)
        {
            if (cliques[i].Count == 1)
            {
                var label = SynthesisSteps.Label(Method, 0, "measure", Domain, cliques[i]);
                var noisy = SynthesisSteps.Measure(accountant, sigmaSquared, answers[i].ToDense(), label, 0, cliques[i], records);
                measurements.Add(SynthesisSteps.ToMeasurement(cliques[i], noisy, sigmaSquared));
            }
        }

        // In-loop estimates stop by AimOptions.LoopLossTolerance (and Tolerance, when set) over LoopWindow steps, start
        // from the previous model (plus a proportional step toward the new measurement) and from the previous fit's
        // step size; the final estimate runs to FinalLossTolerance. Post-processing of the measurements only.
        var inLoop = new MirrorDescentOptions
        {
            MaxIterations = Options.Iterations, Tolerance = Options.Tolerance, Method = Options.Estimator,
            LossTolerance = Options.LoopLossTolerance, ToleranceWindow = Options.LoopWindow,
        };
        var fit = SynthesisSteps.Fit(inLoop, Domain, measurements, Zeros);
        var model = fit.Model;
        Report(progress, budget, "1-way", 0, fit);

        for (var round = 1; !schedule.Finished; round++)
        {
            var step = schedule.NextRound(budget.Used);
            var measure = GaussianMechanism.WithSigmaSquared(step.SigmaSquared);
            var select = ExponentialMechanism.WithEpsilon(step.Epsilon);

            // The size limit counts this round's cost (rho_used includes the current round, as in the reference).
            var usedAfter = budget.Used.Value + measure.Cost.Rho.Value + select.Cost.Rho.Value;
            var sizeLimit = Options.MaxModelSizeMb * (usedAfter / rho.Value).ToDouble();
            var coarseLimit = Math.Min(sizeLimit, Options.CoarseMaxModelSizeMb * (usedAfter / rho.Value).ToDouble());
            var offered = Filter(offerable, model, sizeLimit, coarseLimit);
            var offeredCliques = offered.Select(c => c.Clique).ToArray();
            var weights = offered.Select(c => c.WeightUnits).ToArray();
            var maxWeight = weights.Max();
            // Streamed: one candidate's projection per worker at a time, never every candidate's at once. A coarse
            // candidate's score is w_r (||Q (x_r - xhat_r)||_1 - sqrt(2/pi) sigma n_coarse): one record still moves one
            // coarse count by one, so its sensitivity is w_r like the others' (docs/privacy.md section 12.3).
            var scores = CandidateScoring.Score(
                model, offeredCliques, [.. offered.Select(c => c.Truth)], weights,
                SynthesisSteps.ExpectedAbsNormal * step.Sigma, [.. offered.Select(c => c.CellMap)]);

            var chosen = SynthesisSteps.Select(
                accountant, select, scores, SelectionScore.Sensitivity(maxWeight), null,
                SynthesisSteps.SelectLabel(Method, round),
                round, offeredCliques, selections);
            var candidate = offered[chosen];
            var clique = candidate.Clique;

            // Q x_r has L2 sensitivity 1 whether Q is the identity or a public coarsening: same cost 1 / (2 sigma^2).
            var noisy = SynthesisSteps.Measure(
                accountant, step.SigmaSquared, candidate.Truth.ToDense(),
                SynthesisSteps.Label(Method, round, "measure", Domain, clique, candidate.Coarsening), round, clique, records,
                candidate.Coarsening);
            measurements.Add(SynthesisSteps.ToMeasurement(clique, noisy, step.SigmaSquared, candidate.Coarsening));

            // The chosen candidate's estimate before the re-fit, projected again (the scores kept no projections).
            var before = candidate.Estimate(model);
            var toward = Options.ProportionalStart ? ProportionalStep.Toward(measurements[^1], before, Domain) : null;
            fit = SynthesisSteps.Fit(inLoop with { InitialStepSize = fit.StepSize }, Domain, measurements, Zeros, model, toward);
            model = fit.Model;
            var after = candidate.Estimate(model);
            RefitObserver?.Invoke(new AimRefit(round, clique, before, after));

            // Annealing reads only the model (post-processing): a round that moved the estimate by less than the
            // noise's expected L1 size was wasted, so the next rounds measure with less noise.
            if (Options.Anneal && !step.IsFinal &&
                SynthesisSteps.L1(after, before) <= SynthesisSteps.ExpectedAbsNormal * step.Sigma * before.Length)
            {
                schedule.Anneal();
            }

            Report(progress, budget, "round", round, fit);
        }

        var final = new MirrorDescentOptions
        {
            MaxIterations = Options.FinalIterations, InitialStepSize = fit.StepSize, Method = Options.Estimator,
            LossTolerance = Options.FinalLossTolerance,
        };
        fit = SynthesisSteps.Fit(final, Domain, measurements, Zeros, model);
        model = fit.Model;
        Report(progress, budget, "final estimate", 0, fit);
        return new SynthesisResult(Method, Domain, model, [.. selections], [.. records], budget.Used, budget.InsecureNoise, null, measurements);
    }

    /// <summary>The planned rounds T: the option, or <see cref="AimOptions.DefaultRoundsPerAttribute"/> d.</summary>
    internal int Rounds => Options.Rounds ?? (AimOptions.DefaultRoundsPerAttribute * Domain.Count);

    /// <summary>
    /// The candidates whose junction tree would stay within <paramref name="sizeLimitMb"/>, or that the model already
    /// covers (a subset of one of its maximal cliques). Reads only the model structure, whose tree holds the structural
    /// zeros' cliques, so their size counts against the cap.
    /// </summary>
    /// <remarks>
    /// A coarse candidate is cheap to measure but joins the model at full resolution, so it has its own, smaller limit
    /// (<see cref="AimOptions.CoarseMaxModelSizeMb"/>): without it, at epsilon 1 on adult the model grew past 10 MiB by
    /// round 17 and a run took minutes instead of seconds. A candidate outside the model is also offered only if
    /// scoring it needs messages of at most the cap in all (<see cref="SynthesisSteps.ProjectionFits"/>): the triangulation
    /// may add it cheaply while its projection through the current tree carries it across large separators.
    /// </remarks>
    private static AimCandidate[] Filter(AimCandidate[] candidates, GraphicalModel model, double sizeLimitMb, double coarseLimitMb) =>
        [.. candidates.Where(c => model.Tree.IndexOfSmallestContaining(c.Clique) >= 0 ||
            (SynthesisSteps.Megabytes(model.Tree.CellCountWith(c.Clique)) <= (c.Coarsening is null ? sizeLimitMb : coarseLimitMb)
                && SynthesisSteps.ProjectionFits(model, c.Clique, sizeLimitMb)))];

    private void Report(
        IProgress<SynthesisProgress>? progress, RunBudget budget, string phase, int round, EstimationResult fit) =>
        progress?.Report(budget.Progress(
            Method, phase, round, Rounds, SynthesisSteps.Megabytes(fit.Model.Tree.CellCount), SynthesisSteps.FinalLoss(fit))
            with { Iterations = fit.Iterations });
}
