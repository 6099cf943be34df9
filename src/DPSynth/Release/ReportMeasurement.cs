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
/// post-processing. AIM may measure a pair on a public coarsening (<see cref="NoisyMarginal.Coarsening"/>): that
/// column's cells are then its groups of neighbouring values, labelled <c>first … last</c>.
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
            var measured = new ImmutableArray<string>[attributes.Length];
            long cells = 1;
            for (var p = 0; p < attributes.Length; p++)
            {
                var a = attributes[p];
                if (a >= labels.Length)
                {
                    throw new ArgumentException($"Measurement {m.Clique} names attribute {a}; the schema has {labels.Length}.");
                }

                measured[p] = m.Coarsening is { } coarse ? GroupLabels(labels[a], coarse, p) : labels[a];
                cells = checked(cells * measured[p].Length);
            }

            if (cells != m.Values.Length)
            {
                throw new ArgumentException($"Measurement {m.Clique} has {m.Values.Length} cells; its columns have {cells}.");
            }

            measurements.Add(new ReportMeasurement([.. attributes.Select(a => schema.Columns[a].Name)], [.. measured], m));
        }

        return measurements.MoveToImmutable();
    }

    /// <summary>
    /// The labels of a coarsened column's groups, <c>first … last</c> (a group of one value keeps its label). The groups
    /// are public (domain sizes and settings only).
    /// </summary>
    private static ImmutableArray<string> GroupLabels(ImmutableArray<string> values, Coarsening coarsening, int position)
    {
        var (size, groups) = (coarsening.Sizes[position], coarsening.Groups[position]);
        if (size != values.Length)
        {
            throw new ArgumentException($"A coarsening of {size} values for a column of {values.Length}.");
        }

        var first = new int[groups];
        var last = new int[groups];
        for (var code = size - 1; code >= 0; code--)
        {
            first[Coarsening.GroupOf(code, size, groups)] = code;
        }

        for (var code = 0; code < size; code++)
        {
            last[Coarsening.GroupOf(code, size, groups)] = code;
        }

        return [.. Enumerable.Range(0, groups).Select(g => first[g] == last[g]
            ? values[first[g]]
            : string.Create(CultureInfo.InvariantCulture, $"{values[first[g]]} … {values[last[g]]}"))];
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
