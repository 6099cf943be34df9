using System.Text.Json.Serialization;

namespace DPSynth.Synthesizers;

/// <summary>
/// The wire form of a model file (<see cref="ModelFile"/>), versions <see cref="ModelFile.OldestFormatVersion"/> to
/// <see cref="ModelFile.FormatVersion"/>: compact, camelCase keys in this order, every key present (null where a part is
/// absent) except a measurement's <c>groups</c>, written only for a coarse measurement (version 2). Doubles of the model's vectors are
/// round-trip strings joined by spaces (<see cref="Potential.Values"/>): compact, exact, and readable by any JSON tool.
/// Read strictly through <see cref="ModelJsonContext"/>, so a damaged file is refused rather than half-read.
/// </summary>
/// <param name="Format">Always <see cref="ModelFile.Format"/>.</param>
/// <param name="Version">The format version.</param>
/// <param name="Method">The synthesizer that fitted the model.</param>
/// <param name="Schema">The public schema, in full.</param>
/// <param name="RhoSpent">The rho the fit spent, exactly.</param>
/// <param name="Total">The model's noisy total.</param>
/// <param name="Heuristic">The junction tree's elimination heuristic.</param>
/// <param name="ModelSizes">The model domain's attribute sizes.</param>
/// <param name="TreeCliques">The measured cliques the tree was built from.</param>
/// <param name="Potentials">The model's potentials.</param>
/// <param name="Measurements">The noisy measurements.</param>
/// <param name="Compression">MST's kept values per original attribute, or null.</param>
/// <param name="InsecureNoise">
/// True when the fit drew noise from the insecure seeded test source (NOT PRIVATE); null, and the key absent, otherwise,
/// so every other model keeps its bytes. A build that does not know the key refuses the file (unknown keys are damage):
/// an insecure model never loads as a private one.
/// </param>
internal sealed record ModelFileContract(
    string Format,
    int Version,
    string Method,
    ModelFileContract.SchemaSection Schema,
    ModelFileContract.Fraction RhoSpent,
    double Total,
    string Heuristic,
    int[] ModelSizes,
    int[][] TreeCliques,
    ModelFileContract.Potential[] Potentials,
    ModelFileContract.Measurement[] Measurements,
    int[][]? Compression,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? InsecureNoise = null)
{
    /// <summary>The schema section.</summary>
    /// <param name="Format">How the text is written.</param>
    /// <param name="Name">The schema file's name (no folders).</param>
    /// <param name="Text">The schema's text.</param>
    internal sealed record SchemaSection(string Format, string Name, string Text);

    /// <summary>An exact rational, as decimal integer strings.</summary>
    /// <param name="Numerator">The numerator.</param>
    /// <param name="Denominator">The denominator.</param>
    internal sealed record Fraction(string Numerator, string Denominator);

    /// <summary>One potential.</summary>
    /// <param name="Clique">Its attributes.</param>
    /// <param name="Values">Its values (round-trip doubles joined by spaces).</param>
    internal sealed record Potential(int[] Clique, string Values);

    /// <summary>One noisy measurement.</summary>
    /// <param name="Clique">Its attributes.</param>
    /// <param name="Sigma">Its noise's standard deviation.</param>
    /// <param name="Values">Its noisy values.</param>
    /// <param name="CellStd">Per-cell standard deviations, or null when uniform.</param>
    /// <param name="Groups">
    /// The group count of each attribute of a coarse measurement (<see cref="Marginals.Coarsening"/>), or null (and the
    /// key absent) for a measurement of the clique's own cells, so files without coarse measurements keep their bytes.
    /// </param>
    internal sealed record Measurement(
        int[] Clique, double Sigma, string Values, string? CellStd,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Groups = null);
}
