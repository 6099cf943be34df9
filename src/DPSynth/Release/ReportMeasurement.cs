using System.Collections.Immutable;
using System.Globalization;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Release;

/// <summary>
/// One noisy measurement the model was fitted to (a DP output), with the names of its columns and the labels of each
/// column's cells on the domain it was measured on. Made only by <see cref="PublicReportContent.Create"/>, from the
/// fitted <see cref="SynthesisResult"/>.
/// </summary>
/// <remarks>
/// MST measures on a compressed domain: values whose noisy 1-way count fell below its threshold share one merged cell,
/// labelled <c>merged (k): a, b, c, …</c>. Which values were merged depends only on the noisy counts, so naming them is
/// post-processing.
/// </remarks>
public sealed class ReportMeasurement
{
    // The merged cell's label names at most this many values; the count says how many there are.
    private const int MergedNamesShown = 3;

    private ReportMeasurement(
        ImmutableArray<string> columns, ImmutableArray<ImmutableArray<string>> labels, NoisyMarginal marginal)
    {
        Columns = columns;
        Labels = labels;
        Marginal = marginal;
    }

    /// <summary>The measured columns' names, in the clique's (ascending attribute) order.</summary>
    public ImmutableArray<string> Columns { get; }

    /// <summary>
    /// For each measured column, the labels of its cells as measured (the row-major order of <see cref="Marginal"/>).
    /// </summary>
    public ImmutableArray<ImmutableArray<string>> Labels { get; }

    /// <summary>The clique, the noisy counts and their noise standard deviation.</summary>
    public NoisyMarginal Marginal { get; }

    /// <summary>Every noisy measurement of <paramref name="result"/>, in the order they were taken.</summary>
    /// <exception cref="ArgumentException">
    /// A measurement's cells do not match the schema's (or the compressed) domain.
    /// </exception>
    internal static ImmutableArray<ReportMeasurement> Of(TableSchema schema, SynthesisResult result)
    {
        var labels = new ImmutableArray<string>[schema.Columns.Length];
        for (var a = 0; a < labels.Length; a++)
        {
            labels[a] = MeasuredLabels(schema, result.Compression, a);
        }

        var measurements = ImmutableArray.CreateBuilder<ReportMeasurement>(result.NoisyMeasurements.Length);
        foreach (var m in result.NoisyMeasurements)
        {
            var attributes = m.Clique.Attributes.ToArray();
            long cells = 1;
            foreach (var a in attributes)
            {
                if (a >= labels.Length)
                {
                    throw new ArgumentException($"Measurement {m.Clique} names attribute {a}; the schema has {labels.Length}.");
                }

                cells = checked(cells * labels[a].Length);
            }

            if (cells != m.Values.Length)
            {
                throw new ArgumentException($"Measurement {m.Clique} has {m.Values.Length} cells; its columns have {cells}.");
            }

            measurements.Add(new ReportMeasurement(
                [.. attributes.Select(a => schema.Columns[a].Name)], [.. attributes.Select(a => labels[a])], m));
        }

        return measurements.MoveToImmutable();
    }

    private static ImmutableArray<string> MeasuredLabels(TableSchema schema, DomainCompression? compression, int attribute)
    {
        var all = CellLabels.Labels(schema, attribute);
        if (compression is null)
        {
            return [.. all];
        }

        var dropped = compression.DroppedValues(attribute);
        var kept = compression.KeptValues(attribute).Select(v => all[v]);
        if (dropped.IsEmpty)
        {
            return [.. kept];
        }

        var names = string.Join(", ", dropped.Take(MergedNamesShown).Select(v => all[v]));
        var more = dropped.Length > MergedNamesShown ? ", …" : string.Empty;
        return [.. kept, string.Create(CultureInfo.InvariantCulture, $"merged ({dropped.Length}): {names}{more}")];
    }
}
