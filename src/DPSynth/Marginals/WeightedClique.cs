
namespace DPSynth.Marginals;

/// <summary>One query set of a workload: a clique of attributes and its weight c_s (AIM's workload weights).</summary>
/// <param name="Clique">The attributes whose marginal the user cares about.</param>
/// <param name="Weight">Its positive, finite weight; public, so it may be rounded to a grid before use.</param>
public sealed record WeightedClique(Clique Clique, double Weight);
