namespace DPSynth.Privacy;

/// <summary>
/// Names the section of docs/privacy.md that proves the privacy property of the annotated type (OpenDP's
/// <c>#[proven]</c>). A convention test checks that every anchor exists.
/// </summary>
/// <param name="anchor">The anchor in docs/privacy.md, e.g. <c>discrete-gaussian</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ProofAttribute(string anchor) : Attribute
{
    /// <summary>The anchor in docs/privacy.md.</summary>
    public string Anchor { get; } = anchor;
}
