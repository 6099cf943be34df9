using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// One marginal AIM may select: a workload-closure clique, measured on its own cells or on a public
/// <see cref="Marginals.Coarsening"/> of them, with its weight and its true (possibly coarse) marginal.
/// </summary>
/// <param name="Clique">The attributes.</param>
/// <param name="Coarsening">The public coarsening, or null for the clique's own cells.</param>
/// <param name="CellMap">The coarsening's fine-to-coarse cell map (null without a coarsening).</param>
/// <param name="WeightUnits">w_r of the clique, the same for its coarse form.</param>
/// <param name="Truth">The data's marginal in the measured cells (private: read only by the score and the measurement).</param>
internal sealed record AimCandidate(Clique Clique, Coarsening? Coarsening, int[]? CellMap, long WeightUnits, TrueMarginal Truth)
{
    /// <summary>
    /// The candidates: every closure clique on its own cells and, when <paramref name="options"/> asks for them, each
    /// clique of two or more attributes with an attribute of more than <see cref="AimOptions.CoarseAbove"/> codes also
    /// on its coarsening into <see cref="AimOptions.CoarseGroups"/> groups (public: domain sizes and settings only).
    /// </summary>
    public static AimCandidate[] All(Domain domain, CandidateSet candidates, TrueMarginal[] answers, AimOptions options)
    {
        var all = new List<AimCandidate>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var item = candidates.Items[i];
            all.Add(new AimCandidate(item.Clique, null, null, item.WeightUnits, answers[i]));
        }

        foreach (var (i, coarse) in CoarseForms(domain, candidates, options))
        {
            var item = candidates.Items[i];
            var map = coarse.CellMap();
            all.Add(new AimCandidate(item.Clique, coarse, map, item.WeightUnits, answers[i].Coarsened(coarse, map)));
        }

        return [.. all];
    }

    /// <summary>
    /// The coarse forms <see cref="All"/> offers, by index into <paramref name="candidates"/>: public (domain sizes and
    /// settings only). A clique whose own cells exceed <see cref="AimOptions.CoarseMaxModelSizeMb"/> gets none: its
    /// coarse form could pass the size filter only once the model already holds the clique at full resolution (then
    /// the fine candidate is offered), and its fine-to-coarse map would cost 4 bytes a fine cell for the whole run.
    /// </summary>
    internal static IEnumerable<(int Index, Coarsening Coarse)> CoarseForms(Domain domain, CandidateSet candidates, AimOptions options)
    {
        if (options.CoarseGroups is not { } groups)
        {
            yield break;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            var clique = candidates.Items[i].Clique;
            if (clique.Count >= 2 && SynthesisSteps.Megabytes(Saturating.Cells(domain, clique)) <= options.CoarseMaxModelSizeMb &&
                Coarsening.For(domain, clique, options.CoarseAbove, groups) is { } coarse)
            {
                yield return (i, coarse);
            }
        }
    }

    /// <summary>The measured cells n_r (coarse cells for a coarse candidate).</summary>
    public int Cells => Truth.Length;

    /// <summary>The model's marginal in the measured cells.</summary>
    public double[] Estimate(Inference.GraphicalModel model)
    {
        var fine = model.Project(Clique);
        if (CellMap is null)
        {
            return fine;
        }

        var coarse = new double[Cells];
        Coarsening.Aggregate(fine, CellMap, coarse);
        return coarse;
    }
}
