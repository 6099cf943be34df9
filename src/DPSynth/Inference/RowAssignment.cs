namespace DPSynth.Inference;

/// <summary>How <see cref="RowSampler"/> hands a parent group's apportioned values to the group's rows.</summary>
public enum RowAssignment
{
    /// <summary>
    /// Private-PGM's "round" method as published: the values are shuffled over the group's rows, so the attribute's
    /// joint with attributes outside its clique carries hypergeometric sampling noise.
    /// </summary>
    Shuffled,

    /// <summary>
    /// The same counts, spread evenly over the group's rows sorted by the other attributes already drawn
    /// (<see cref="StratifiedRows"/>): the sample keeps the model's conditional independence with far less sampling
    /// noise. The default.
    /// </summary>
    Stratified,
}
