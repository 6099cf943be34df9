using System.Collections.Immutable;
using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// A fitted synthesizer: the graphical model, the record of every selection and measurement (for the manifest), the
/// rho spent, and <see cref="Sample(Random, int?)"/> to draw synthetic rows. Everything here is a DP output or post-processing of one;
/// the true row count is not kept.
/// </summary>
public sealed partial class SynthesisResult
{
    private readonly DomainCompression? compression;

    internal SynthesisResult(
        string method,
        Domain domain,
        GraphicalModel model,
        ImmutableArray<SelectionRecord> selections,
        ImmutableArray<MeasurementRecord> measurements,
        Rho rhoSpent,
        bool usedInsecureNoise,
        DomainCompression? compression = null,
        IEnumerable<NoisyMarginal>? noisyMeasurements = null)
    {
        Method = method;
        Domain = domain;
        Model = model;
        Selections = selections;
        Measurements = measurements;
        RhoSpent = rhoSpent;
        UsedInsecureNoise = usedInsecureNoise;
        this.compression = compression;
        NoisyMeasurements = noisyMeasurements is null ? [] : [.. noisyMeasurements];
    }

    /// <summary>aim, mst or mwem.</summary>
    public string Method { get; }

    /// <summary>The domain of the input and of the sampled rows.</summary>
    public Domain Domain { get; }

    /// <summary>
    /// The fitted model. Its domain is <see cref="Domain"/>, except for MST with rare categories merged, where it is
    /// the compressed domain (same attributes, fewer cells); <see cref="Sample(Random, int?)"/> maps back.
    /// </summary>
    public GraphicalModel Model { get; }

    /// <summary>Every exponential-mechanism selection, in order.</summary>
    public ImmutableArray<SelectionRecord> Selections { get; }

    /// <summary>Every Gaussian measurement, in order.</summary>
    public ImmutableArray<MeasurementRecord> Measurements { get; }

    /// <summary>
    /// The noisy measurements the model was fitted to (DP outputs; on the compressed domain for MST), kept so a saved
    /// model carries them.
    /// </summary>
    public ImmutableArray<NoisyMarginal> NoisyMeasurements { get; }

    /// <summary>MST's rare-category compression, when values were merged.</summary>
    internal DomainCompression? Compression => compression;

    /// <summary>The exact rho charged by this run.</summary>
    public Rho RhoSpent { get; }

    /// <summary>
    /// True when any noise of the fit came from the insecure seeded test source (<see cref="ZcdpAccountant.InsecureDeterministic"/>):
    /// the result is NOT PRIVATE (anyone who knows the seed can subtract the noise), and no bundle is ever written or
    /// signed from it (<see cref="Release.ReleaseAssembler"/> refuses). It travels with the result so that the refusal
    /// does not depend on the caller remembering how the fit was made.
    /// </summary>
    public bool UsedInsecureNoise { get; }

    /// <summary>The model's noisy estimate of the number of rows (never the true count).</summary>
    public double EstimatedRows => Model.Total;

    /// <summary>
    /// Samples synthetic rows (post-processing: reads only the model). <paramref name="rows"/> defaults to
    /// <c>floor</c> of the model's noisy total.
    /// </summary>
    /// <param name="random">The post-processing generator (seed it for reproducible sampling).</param>
    /// <param name="rows">How many rows; null for the model's estimate.</param>
    public EncodedTable Sample(Random random, int? rows = null) => Sample(random, rows, RowAssignment.Stratified);

    /// <summary>As <see cref="Sample(Random, int?)"/>, with the sampler's row assignment chosen (benchmarks compare them).</summary>
    internal EncodedTable Sample(Random random, int? rows, RowAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (rows is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), "The number of rows must not be negative.");
        }

        var sampled = RowSampler.Sample(Model, rows ?? RowSampler.DefaultRows(Model), random, assignment);
        return compression is null ? sampled : compression.Expand(sampled, random);
    }
}
