using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Synthesizers;

/// <summary>
/// Exact selection scores of many candidates against one model, streamed: each worker projects the model onto one
/// candidate at a time into buffers it reuses, scores it, and moves on, so scoring holds
/// <see cref="Workers"/> candidates' projections at once rather than every candidate's (435 pairs of 1000-category
/// columns are 3.5 GB of projections; two at a time are 16 MB). Shared by AIM, MWEM+PGM and MST.
/// </summary>
internal static class CandidateScoring
{
    /// <summary>Threads that score at once; each holds one candidate's projection buffers.</summary>
    public static int Workers => Environment.ProcessorCount;

    /// <summary>
    /// The scores <c>W_r (||x_r - xhat_r||_1 - penaltyPerCell n_r)</c> (<see cref="SelectionScore"/>) of
    /// <paramref name="cliques"/>, whose true marginals are <paramref name="truths"/> and weights
    /// <paramref name="weightUnits"/> (same order).
    /// </summary>
    /// <param name="model">The current model (public: post-processing of earlier DP outputs).</param>
    /// <param name="cliques">The candidates to score.</param>
    /// <param name="truths">Their true marginals.</param>
    /// <param name="weightUnits">Their weights in units of 2^-10.</param>
    /// <param name="penaltyPerCell">The data-independent penalty per cell (AIM: sqrt(2/pi) sigma; MWEM: 1; MST: 0).</param>
    /// <param name="coarseMaps">
    /// Per candidate, null or the cell map of its public coarsening (<see cref="Coarsening.CellMap"/>): the model's
    /// marginal is then coarsened before it is compared with the (coarse) truth, and <c>n_r</c> is the coarse cell count.
    /// </param>
    public static Int128[] Score(
        GraphicalModel model, IReadOnlyList<Clique> cliques, IReadOnlyList<TrueMarginal> truths,
        IReadOnlyList<long> weightUnits, double penaltyPerCell, IReadOnlyList<int[]?>? coarseMaps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(cliques);
        ArgumentNullException.ThrowIfNull(truths);
        ArgumentNullException.ThrowIfNull(weightUnits);
        var projector = model.Projector;
        var scores = new Int128[cliques.Count];
        var next = -1;
        Parallel.For(0, Math.Min(Workers, cliques.Count), _ =>
        {
            var scratch = new ModelProjector.Scratch();
            var estimate = Array.Empty<double>();
            var fineEstimate = Array.Empty<double>();
            for (var k = Interlocked.Increment(ref next); k < cliques.Count; k = Interlocked.Increment(ref next))
            {
                var cells = truths[k].Length;
                if (estimate.Length < cells)
                {
                    estimate = new double[cells];
                }

                var span = estimate.AsSpan(0, cells);
                if (coarseMaps?[k] is { } map)
                {
                    if (fineEstimate.Length < map.Length)
                    {
                        fineEstimate = new double[map.Length];
                    }

                    var fine = fineEstimate.AsSpan(0, map.Length);
                    projector.Project(cliques[k], fine, scratch);
                    Coarsening.Aggregate(fine, map, span);
                }
                else
                {
                    projector.Project(cliques[k], span, scratch);
                }

                // Same association as the penalty the reference computes, (c sigma) n_r, so the rounded value agrees.
                scores[k] = SelectionScore.Compute(truths[k], span, penaltyPerCell * cells, weightUnits[k]);
            }
        });
        return scores;
    }
}
