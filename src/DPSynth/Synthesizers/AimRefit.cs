using DPSynth.Marginals;

namespace DPSynth.Synthesizers;

/// <summary>
/// What AIM's annealing rule reads after a round's re-fit: the model's estimate of the newly measured clique before and
/// after (public: post-processing of DP outputs). Handed to <see cref="Aim.RefitObserver"/> so tests can check the rule.
/// </summary>
/// <param name="Round">1-based round.</param>
/// <param name="Clique">The clique measured in this round.</param>
/// <param name="Before">The model's marginal of the clique before the measurement (count scale, row-major), in the measured
/// cells: coarse cells for a coarse candidate.</param>
/// <param name="After">The re-fitted model's marginal of the clique, in the same cells.</param>
internal sealed record AimRefit(int Round, Clique Clique, double[] Before, double[] After);
