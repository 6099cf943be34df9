using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Marginals;

namespace DPSynth.Synthesizers;

/// <summary>
/// The cliques a synthesizer may select, each with an integer weight in units of <see cref="WeightGrid"/>: AIM's
/// downward closure of the workload with <c>w_r = sum_{s in W} c_s |r ∩ s|</c>, or MWEM+PGM's workload cliques with
/// weight 1.
/// </summary>
/// <remarks>
/// The workload weights are public, so rounding them to the grid 2^-10 before use costs no privacy; it makes every
/// selection score an exact rational (docs/privacy.md section 12.1, "Exact selection scores").
/// </remarks>
internal sealed class CandidateSet
{
    /// <summary>The grid public workload weights are rounded to (<see cref="Workload.WeightGrid"/>).</summary>
    public const double WeightGrid = Workload.WeightGrid;

    /// <summary>Weight units per unit of weight.</summary>
    public const long WeightUnitsPerOne = Workload.WeightUnitsPerOne;

    private CandidateSet(ImmutableArray<Candidate> candidates)
    {
        Items = candidates;
    }

    /// <summary>The candidates, ordered by size then lexicographically (deterministic, data-independent).</summary>
    public ImmutableArray<Candidate> Items { get; }

    /// <summary>Number of candidates.</summary>
    public int Count => Items.Length;

    /// <summary>AIM's candidates: every non-empty subset of a workload clique, weighted by overlap with the workload.</summary>
    public static CandidateSet DownwardClosure(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var closure = new HashSet<Clique>();
        foreach (var (clique, _) in workload.Cliques)
        {
            var attributes = clique.Attributes.ToArray();
            if (attributes.Length > 30)
            {
                throw new SynthesisSettingsException(Diagnostics.Messages.WorkloadCliqueTooLarge(attributes.Length));
            }

            for (var mask = 1L; mask < (1L << attributes.Length); mask++)
            {
                var subset = new List<int>(attributes.Length);
                for (var i = 0; i < attributes.Length; i++)
                {
                    if ((mask & (1L << i)) != 0)
                    {
                        subset.Add(attributes[i]);
                    }
                }

                closure.Add(new Clique(subset));
            }
        }

        var units = workload.Cliques.Select(w => WeightUnits(w.Weight)).ToArray();
        var candidates = closure
            .Select(r =>
            {
                long weight = 0;
                for (var s = 0; s < units.Length; s++)
                {
                    weight = checked(weight + (units[s] * r.Intersect(workload.Cliques[s].Clique).Count));
                }

                return new Candidate(r, weight);
            });
        return new CandidateSet(Order(candidates));
    }

    /// <summary>MWEM+PGM's candidates: the workload cliques themselves, each with weight 1 (sensitivity 1).</summary>
    public static CandidateSet WorkloadOnly(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new CandidateSet(Order(workload.Cliques.Select(w => new Candidate(w.Clique, WeightUnitsPerOne))));
    }

    /// <summary>A public weight rounded to the nearest multiple of the grid, in grid units (at least one unit).</summary>
    public static long WeightUnits(double weight) => Math.Max(1, checked((long)Math.Round(weight * WeightUnitsPerOne)));

    private static ImmutableArray<Candidate> Order(IEnumerable<Candidate> candidates) =>
        [.. candidates.OrderBy(c => c.Clique.Count).ThenBy(c => c.Clique, CliqueOrder.Instance)];

    /// <summary>One candidate clique and its weight in grid units.</summary>
    /// <param name="Clique">The attributes.</param>
    /// <param name="WeightUnits">w_r in units of <see cref="WeightGrid"/>.</param>
    internal sealed record Candidate(Clique Clique, long WeightUnits);

    private sealed class CliqueOrder : IComparer<Clique>
    {
        public static readonly CliqueOrder Instance = new();

        public int Compare(Clique? x, Clique? y)
        {
            var a = x!.Attributes;
            var b = y!.Attributes;
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                if (a[i] != b[i])
                {
                    return a[i].CompareTo(b[i]);
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}
