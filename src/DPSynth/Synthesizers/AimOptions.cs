namespace DPSynth.Synthesizers;

/// <summary>
/// AIM's settings (design.md section 6; privacy-details.md section 4). Defaults are Private-PGM's
/// <c>mechanisms/aim.py</c> at commit 41b5346, except where a remark says otherwise.
/// </summary>
public sealed record AimOptions
{
    /// <summary>The cap on the model's junction-tree size, in MiB of doubles (reference default 80).</summary>
    public double MaxModelSizeMb { get; init; } = 80;

    /// <summary>
    /// The planned rounds T; null for <see cref="DefaultRoundsPerAttribute"/> d. T sets the starting per-round budget
    /// (and the 1-way marginals' share, <c>alpha d / T</c>), not the loop length.
    /// </summary>
    /// <remarks>
    /// The reference uses 16 d. On adult (docs/benchmarks.md, "AIM utility") 4 d gave a lower mean 2-way and 3-way TVD
    /// at epsilon 0.3 and 1 (0.0382 against 0.0401 at epsilon 1, same noise draws): fewer, more precise measurements,
    /// with annealing still adding rounds where they pay. Only the split of the same budget changes.
    /// </remarks>
    public int? Rounds { get; init; }

    /// <summary>The default planned rounds per attribute: T = 4 d (the reference's 16 d measured worse on adult).</summary>
    public const int DefaultRoundsPerAttribute = 4;

    /// <summary>The share of each round's budget spent on measurement (the rest on selection); 0.9.</summary>
    public double Alpha { get; init; } = 0.9;

    /// <summary>
    /// The cap on mirror-descent iterations of each estimate inside the loop (warm-started); reference 1000, which the
    /// reference always runs. See <see cref="Tolerance"/>.
    /// </summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>
    /// The movement rule for the estimates inside the loop (<see cref="Inference.MirrorDescentOptions.Tolerance"/>): a
    /// fit stops once no measured marginal moved by more than <c>Tolerance</c> times the expected L1 size of its noise
    /// over <see cref="LoopWindow"/> iterations. Default 0 (off): <see cref="LoopLossTolerance"/> is the in-loop rule.
    /// With both off, every in-loop estimate runs all <see cref="Iterations"/>, as the reference does.
    /// </summary>
    /// <remarks>
    /// The rule (0.1 over 50 iterations) was the default until 2026-12-03. It takes the maximum over every measured
    /// marginal, so the most precise small ones set the pace: at epsilon 10 in-loop fits ran 250-850 iterations each,
    /// and AIM with the 80 MB cap spent 20 minutes in them (docs/benchmarks.md, "AIM at epsilon 10").
    /// </remarks>
    public double Tolerance { get; init; }

    /// <summary>Iterations of the final estimate after the loop, at most; reference 1000 (max_iters).</summary>
    public int FinalIterations { get; init; } = 1000;

    /// <summary>
    /// The estimator of every fit; <see cref="Inference.EstimationMethod.Accelerated"/> by default (the reference uses
    /// mirror descent, <see cref="Inference.EstimationMethod.MirrorDescent"/>, which stays available). Post-processing
    /// of the measurements: the privacy guarantee does not depend on it.
    /// </summary>
    /// <remarks>On adult's models the accelerated method reaches the loss of 1000 mirror-descent iterations in about 120
    /// iterations (docs/benchmarks.md, "Fast big models").</remarks>
    public Inference.EstimationMethod Estimator { get; init; } = Inference.EstimationMethod.Accelerated;

    /// <summary>
    /// Early stopping of the final estimate on its loss (<see cref="Inference.MirrorDescentOptions.LossTolerance"/>): it
    /// stops once the loss fell by at most <c>FinalLossTolerance * sqrt(n / 2)</c> over 50 iterations (n: measured
    /// cells), or after <see cref="FinalIterations"/>. 0 runs all of them, as the reference does. Default 0.1.
    /// </summary>
    /// <remarks>0.01 until 2026-12-03. On adult at epsilon 1 (paired noise, 5 runs; docs/benchmarks.md) 0.1 stopped the
    /// final estimate after 301 instead of 601 iterations with the same 2-way and 3-way TVD (0.03845 / 0.08755
    /// against 0.03853 / 0.08767): a tenth of the loss's own standard deviation per 50 iterations is below what the
    /// measurements can tell apart.</remarks>
    public double FinalLossTolerance { get; init; } = 0.1;

    /// <summary>
    /// Early stopping of the estimates inside the loop on their loss
    /// (<see cref="Inference.MirrorDescentOptions.LossTolerance"/>): each stops once the loss fell by at most
    /// <c>LoopLossTolerance * sqrt(n / 2)</c> over <see cref="LoopWindow"/> accepted steps (n: measured cells), or after
    /// <see cref="Iterations"/>. Default 0.3; 0 turns the rule off.
    /// </summary>
    /// <remarks>
    /// <para>Post-processing of the measurements, so the privacy guarantee is unchanged. What an in-loop fit decides is
    /// the model the next selection scores and the annealing test reads; the final estimate, run to
    /// <see cref="FinalLossTolerance"/>, decides the released model. <c>sqrt(n / 2)</c> is the loss's own standard
    /// deviation at the true marginals, so a fall of less than a third of it over ten steps is below what the
    /// measurements can tell apart.</para>
    /// <para>Measured on adult with paired (seeded) noise, 5 runs, together with <see cref="ProportionalStart"/>
    /// (docs/benchmarks.md): at epsilon 1, 61 instead of 203 iterations per in-loop fit and the same 2-way and 3-way
    /// TVD within their spread; at epsilon 0.3, 41 instead of 142.</para>
    /// </remarks>
    public double LoopLossTolerance { get; init; } = 0.3;

    /// <summary>
    /// Start each in-loop fit from the previous model plus a damped proportional-fitting step toward the new
    /// measurement (<see cref="Inference.ProportionalStep"/>), instead of from the previous model alone; true.
    /// </summary>
    /// <remarks>The previous model knows nothing of the new measurement; one IPF step on its clique moves its marginal
    /// there most of the way while keeping every other conditional, so the fit starts near its optimum.</remarks>
    public bool ProportionalStart { get; init; } = true;

    /// <summary>The number of accepted steps between two tests of the in-loop stopping rules; 10.</summary>
    public int LoopWindow { get; init; } = 10;

    /// <summary>
    /// Coarse candidates: when set, every candidate of two or more attributes with an attribute of more than
    /// <see cref="CoarseAbove"/> codes is also offered measured on a public coarsening that cuts each such attribute into
    /// this many contiguous code groups (<see cref="Marginals.Coarsening"/>). Null: none (the reference's candidates).
    /// Default <see cref="DefaultCoarseGroups"/>.
    /// </summary>
    /// <remarks>
    /// <para>Measuring a pair with a many-valued attribute at full resolution costs a noise bias of
    /// <c>sqrt(2/pi) sigma n_r</c> in its score, so AIM never measured pairs such as (age, hours-per-week) on adult
    /// (1,360-8,500 cells) and the model kept their association wrong. Their coarse form has a tenth or less of the
    /// cells. The measurement and its score keep sensitivity 1 and <c>w_r</c> (docs/privacy.md section 12.3), so the
    /// privacy cost is the same.</para>
    /// <para>On adult at epsilon 1 (docs/benchmarks.md, "Coarse candidates"), same noise draws, 5 runs: 2-way / 3-way TVD
    /// 0.0385 / 0.0877 without, 0.0373 / 0.0831 with 10 groups, 0.0352 / 0.0794 with 20 groups.</para>
    /// </remarks>
    public int? CoarseGroups { get; init; } = DefaultCoarseGroups;

    /// <summary>The default group count of coarse candidates: 20.</summary>
    public const int DefaultCoarseGroups = 20;

    /// <summary>The attribute size above which <see cref="CoarseGroups"/> coarsens an attribute; 20.</summary>
    public int CoarseAbove { get; init; } = 20;

    /// <summary>
    /// The model-size cap, in MiB, for selecting a coarse candidate the model does not cover yet (scaled by the budget
    /// used, like <see cref="MaxModelSizeMb"/>); 4. A coarse measurement is cheap, but its clique joins the model at full
    /// resolution.
    /// </summary>
    public double CoarseMaxModelSizeMb { get; init; } = 4;

    /// <summary>Halve sigma and double epsilon after an uninformative round (AIM's annealing); true.</summary>
    public bool Anneal { get; init; } = true;
}
