using System.Collections.Immutable;
using DPSynth.Inference;
using DPSynth.Marginals;

namespace DPSynth.Resources;

/// <summary>One term of a <see cref="ResourceEstimate"/>: what it covers and its bytes.</summary>
/// <param name="Name">A short name for the console (<c>model</c>, <c>candidates</c>).</param>
/// <param name="Bytes">Its upper bound in bytes.</param>
public sealed record ResourcePart(string Name, long Bytes);

/// <summary>
/// The preflight estimate of a run (<see cref="ResourceEstimator"/>): an upper bound on peak memory, term by term, and a
/// rough time, from public facts only (the schema's domain, the method and its settings, and a <see cref="RowBound"/>).
/// It goes to the operator's console, never into a release.
/// </summary>
/// <param name="Parts">The terms; <see cref="PeakBytes"/> is their sum.</param>
/// <param name="Seconds">A rough wall time on two cores, with every planned round and the model at its cap.</param>
/// <param name="Rows">The row bound the estimate assumed.</param>
public sealed record ResourceEstimate(ImmutableArray<ResourcePart> Parts, double Seconds, RowBound Rows)
{
    /// <summary>The upper bound on peak memory: the sum of the parts (<see cref="long.MaxValue"/> past it).</summary>
    public long PeakBytes => Parts.Aggregate(0L, (sum, p) => Saturating.Add(sum, p.Bytes));

    /// <summary>The bytes of the part named <paramref name="name"/> (0 when there is none).</summary>
    public long Of(string name) => Parts.Where(p => p.Name == name).Aggregate(0L, (sum, p) => Saturating.Add(sum, p.Bytes));
}
