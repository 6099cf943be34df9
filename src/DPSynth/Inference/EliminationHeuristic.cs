namespace DPSynth.Inference;

/// <summary>The greedy rule that picks the next attribute to eliminate when triangulating the clique graph.</summary>
public enum EliminationHeuristic
{
    /// <summary>
    /// Private-PGM's rule (the default): eliminate the attribute whose current neighbourhood (itself and every
    /// attribute sharing a clique with it) has the fewest cells; an attribute in no clique costs 1. Ties go to the
    /// lowest index. It minimises table sizes directly, which is what bounds memory, belief-propagation time and
    /// AIM's model-size cap, and it reproduces the reference's model sizes.
    /// </summary>
    MinWeight,

    /// <summary>
    /// Eliminate the attribute whose elimination adds the fewest fill edges (ties: fewest cells, then lowest index).
    /// Fewer edges, but with unequal attribute sizes (adult has 2 to 100) it can pick larger tables than min-weight.
    /// </summary>
    MinFill,
}
