using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// The steps the three synthesizers share: charge-then-measure a marginal, charge-then-select, exact scores, model size
/// checks. Every privacy step charges the accountant first and draws noise only with the receipt.
/// </summary>
internal static class SynthesisSteps
{
    /// <summary>Bytes per MiB: the reference's size is cells * 8 / 2^20.</summary>
    public const double BytesPerMegabyte = 1 << 20;

    /// <summary>sqrt(2/pi): the expected |N(0,1)|, AIM's bias per cell.</summary>
    public static readonly double ExpectedAbsNormal = Math.Sqrt(2 / Math.PI);

    /// <summary>The junction-tree size in MiB of doubles for a cell count.</summary>
    public static double Megabytes(long cells) => cells * (double)sizeof(double) / BytesPerMegabyte;

    /// <summary>
    /// Whether projecting <paramref name="model"/> onto <paramref name="clique"/> (to score it) needs messages of at most
    /// <paramref name="capMb"/> in all (<see cref="ModelProjector.WorkingCells"/>). AIM and MWEM+PGM offer a clique
    /// outside the model only if it does, so a scoring thread's messages stay within the cap, which the preflight
    /// estimate counts. The rule reads the model's structure (post-processing of earlier DP selections) and the public
    /// domain only, never the data.
    /// </summary>
    public static bool ProjectionFits(GraphicalModel model, Clique clique, double capMb) =>
        Megabytes(model.Projector.WorkingCells(clique)) <= capMb;

    /// <summary>
    /// Charges <c>1/(2 sigma^2)</c>, then releases <paramref name="trueCounts"/> plus discrete Gaussian noise of scale
    /// <paramref name="sigmaSquared"/> (already rounded up), and records the measurement.
    /// </summary>
    public static long[] Measure(
        ZcdpAccountant accountant, Rational sigmaSquared, double[] trueCounts, string label,
        int round, Clique clique, List<MeasurementRecord> records, Coarsening? coarsening = null)
    {
        var mechanism = GaussianMechanism.WithSigmaSquared(sigmaSquared);
        var receipt = accountant.Charge(mechanism.Cost, label);
        var counts = new long[trueCounts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = (long)trueCounts[i];
        }

        mechanism.ReleaseInPlace(receipt, counts);
        records.Add(new MeasurementRecord(round, clique, sigmaSquared, mechanism.Cost.Rho, coarsening));
        return counts;
    }

    /// <summary>The noisy counts as a measurement for the estimator.</summary>
    public static NoisyMarginal ToMeasurement(Clique clique, long[] noisy, Rational sigmaSquared, Coarsening? coarsening = null)
    {
        var values = new double[noisy.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = noisy[i];
        }

        return new NoisyMarginal(clique, values, Math.Sqrt(sigmaSquared.ToDouble()), default, coarsening);
    }

    /// <summary>
    /// Charges <c>epsilon^2/8</c>, then selects an index by the exact exponential mechanism with the given scores and
    /// sensitivity (same units), among those not excluded, and records the selection.
    /// </summary>
    public static int Select(
        ZcdpAccountant accountant, ExponentialMechanism mechanism, Int128[] scores, Int128 sensitivity,
        bool[]? excluded, string label, int round, IReadOnlyList<Clique> cliques, List<SelectionRecord> records)
    {
        var receipt = accountant.Charge(mechanism.Cost, label);
        var index = mechanism.Select(receipt, scores, new Rational((BigInteger)sensitivity, 1), excluded);
        var offered = excluded is null ? scores.Length : excluded.Count(e => !e);
        var sensitivityInWeight = (double)sensitivity / ((double)CandidateSet.WeightUnitsPerOne * (1 << SelectionScore.GridBits));
        records.Add(new SelectionRecord(round, cliques[index], offered, mechanism.Epsilon, sensitivityInWeight, mechanism.Cost.Rho));
        return index;
    }

    /// <summary>The true marginals of the cliques, counted in one batch.</summary>
    public static double[][] Count(IMarginalSource data, IReadOnlyList<Clique> cliques) => data.Count(cliques);

    /// <summary>L1 distance of two vectors (public model marginals only: the annealing test).</summary>
    public static double L1(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += Math.Abs(x[i] - y[i]);
        }

        return sum;
    }

    /// <summary>A label for a receipt and a progress line, naming the clique by its public column names.</summary>
    public static string Label(string method, int round, string step, Domain domain, Clique clique, Coarsening? coarsening = null) =>
        coarsening is null
            ? string.Create(CultureInfo.InvariantCulture, $"{method} round {round}: {step} {Workload.Describe(domain, clique)}")
            : string.Create(CultureInfo.InvariantCulture, $"{method} round {round}: {step} {Workload.Describe(domain, clique)} coarsened {coarsening}");

    /// <summary>A label for a selection's receipt (the winner is not known when the charge is made).</summary>
    public static string SelectLabel(string method, int round) =>
        string.Create(CultureInfo.InvariantCulture, $"{method} round {round}: select");

    /// <summary>Checks the data's domain against the configured one.</summary>
    public static void CheckDomain(Domain expected, IMarginalSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!expected.Equals(data.Domain))
        {
            throw new SynthesisSettingsException(Messages.SynthDomainMismatch);
        }
    }

    /// <summary>
    /// The largest model-size cap, in MB: 2^24 MB (16 TiB) of doubles, more memory than any machine DPSynth runs on, so
    /// the bound takes nothing away; past it the preflight estimate's cell counts overflowed (a policy's
    /// <c>max_model_size_mb: 1e308</c> was an internal error that stopped a whole folder run).
    /// </summary>
    public const double MaxModelSizeMb = 1 << 24;

    /// <summary>
    /// Checks a model-size cap against the smallest model a run fits: all 1-way marginals (a sum of the attribute
    /// sizes), joined by the cliques of the schema's structural zeros, which every fitted model carries; and against
    /// <see cref="MaxModelSizeMb"/>.
    /// </summary>
    public static void CheckModelSize(Domain domain, double capMb, StructuralZeros zeros)
    {
        if (!double.IsFinite(capMb) || capMb <= 0 || capMb > MaxModelSizeMb)
        {
            throw new SynthesisSettingsException(Messages.ModelSizeOutOfRange(capMb));
        }

        long cells = 0;
        foreach (var size in domain.Sizes)
        {
            cells += size;
        }

        var needed = Megabytes(cells);
        if (needed > capMb)
        {
            throw new SynthesisSettingsException(Messages.ModelSizeTooSmall(capMb, needed));
        }

        var withZeros = zeros.IsEmpty ? needed : Megabytes(new JunctionTree(domain, zeros.Cliques).CellCount);
        if (withZeros > capMb)
        {
            throw new SynthesisSettingsException(Messages.ConstraintsExceedModelSize(capMb, withZeros));
        }
    }

    /// <summary>Checks that a count or iteration parameter is positive.</summary>
    public static void CheckPositive(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new SynthesisSettingsException(Messages.SynthParameterOutOfRange(name, value));
        }
    }

    /// <summary>Checks alpha (the measure/select split) is strictly between 0 and 1.</summary>
    public static Rational CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new SynthesisSettingsException(Messages.SynthParameterOutOfRange("alpha (in (0, 1))", alpha));
        }

        return Rational.FromDouble(alpha);
    }

    /// <summary>A plan with the parameters given as name/value pairs (formatted invariantly).</summary>
    public static SynthesisPlan NewPlan(string method, Rho rho, string workload, params (string Name, object Value)[] parameters) =>
        new(method, rho, workload, parameters.ToImmutableSortedDictionary(
            p => p.Name,
            p => p.Value switch
            {
                double d => Format(d),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => p.Value.ToString() ?? string.Empty,
            },
            StringComparer.Ordinal));

    /// <summary>Formats a value invariantly for a plan's parameters.</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>
    /// Fits the model (post-processing of the measurements and of the schema's public structural zeros) and returns it
    /// with its final loss.
    /// </summary>
    public static (GraphicalModel Model, double Loss) Fit(
        MirrorDescentEstimator estimator, Domain domain, List<NoisyMarginal> measurements, StructuralZeros zeros,
        GraphicalModel? warmStart = null)
    {
        var result = estimator.Fit(domain, measurements, warmStart, zeros);
        CollectAfterLargeFit(result.Model);
        return (result.Model, FinalLoss(result));
    }

    /// <summary>Fits the model (post-processing of the measurements and the structural zeros) with the given settings.</summary>
    public static EstimationResult Fit(
        MirrorDescentOptions options, Domain domain, List<NoisyMarginal> measurements, StructuralZeros zeros,
        GraphicalModel? warmStart = null, Factor? step = null)
    {
        var result = new MirrorDescentEstimator(options).Fit(domain, measurements, warmStart, zeros, step);
        CollectAfterLargeFit(result.Model);
        return result;
    }

    /// <summary>
    /// After a fit of a model of 8 MiB or more, collects the previous fit's model-sized arrays at once. Each fit
    /// allocates six arrays the size of the model on the large-object heap, and the garbage collector otherwise let
    /// several rounds of them pile up: on a seeded 76 MiB MWEM+PGM fit (docs/benchmarks.md, Memory) the peak fell from
    /// 1308-1424 MB to 1170 MB. A full collection of such a heap takes far less than the fit (seconds to minutes).
    /// </summary>
    private static void CollectAfterLargeFit(GraphicalModel model)
    {
        if (model.Tree.ByteCount >= 8 << 20)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        }
    }

    /// <summary>The loss after the last accepted step (NaN if none was recorded).</summary>
    public static double FinalLoss(EstimationResult result) => result.LossHistory.IsEmpty ? double.NaN : result.LossHistory[^1];

    /// <summary>Checks an early-stopping tolerance (finite, at least 0).</summary>
    public static void CheckTolerance(double tolerance)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
        {
            throw new SynthesisSettingsException(Messages.SynthParameterOutOfRange("tolerance", tolerance));
        }
    }

    /// <summary>The estimator with an iteration cap (the reference's fixed-iteration mirror descent).</summary>
    public static MirrorDescentEstimator Estimator(int iterations) => new(new MirrorDescentOptions { MaxIterations = iterations });
}
