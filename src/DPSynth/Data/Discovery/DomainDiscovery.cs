using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Schema;

namespace DPSynth.Data.Discovery;

/// <summary>
/// DP domain discovery (docs/privacy.md#domain-discovery): learns each column's type, missing cell, categories, bounds
/// and bin edges from a CSV file with charged mechanisms only. Two passes over the file:
/// <list type="number">
/// <item>Type probe: per column, a Gaussian measurement of how many fields are missing, integers, other numbers and
/// labels (L2 sensitivity 1: a row has one field per column). The noisy counts decide the type (post-processing).</item>
/// <item>Domains: a categorical column's labels through a <see cref="StabilityHistogram"/>; a numeric column's bounds
/// (quantiles q and 1 - q, <see cref="NumericDomain"/>) and inner bin edges (quantiles k/bins) through <see cref="QuantileMechanism"/> over a public
/// <see cref="NumberGrid"/>.</item>
/// </list>
/// Every row contributes at most one value per column; rows with the wrong number of fields are skipped in both passes
/// (a per-row map, and what the written schema's <c>bad_rows: skip</c> does too). Every mechanism is charged to
/// the accountant before it draws noise.
/// </summary>
public static class DomainDiscovery
{
    /// <summary>The probe's noise floor, in standard deviations: a class count below it is taken as absent.</summary>
    public const int NoiseFloorSigmas = 5;

    /// <summary>Runs the discovery on <paramref name="csvPath"/> with budget <paramref name="rho"/>.</summary>
    /// <param name="csvPath">The private CSV file.</param>
    /// <param name="options">The public choices.</param>
    /// <param name="rho">The rho of all mechanisms (already charged to the ledger by the caller).</param>
    /// <param name="thresholdDelta">The probability, over all columns, that a label held by one row is kept.</param>
    /// <param name="accountant">The in-process filter every mechanism is charged to (total at least <paramref name="rho"/>).</param>
    /// <exception cref="InputException">The file cannot be read as CSV, or no header name is usable.</exception>
    public static DiscoveryResult Run(
        string csvPath, DiscoveryOptions options, Rho rho, double thresholdDelta, ZcdpAccountant accountant)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accountant);
        options.Check();
        var csv = CsvOptions.Default with { Header = options.Header, Delimiter = options.Delimiter, Trim = true };
        var missing = new HashSet<string>(options.MissingTokens, StringComparer.Ordinal);

        // Pass 1: the type probe's true counts.
        string[] names = [];
        int[] usable = [];
        long[][] classes = [];
        CsvTextRows.Read(
            csvPath,
            csv,
            header =>
            {
                names = header;
                usable = UsableColumns(header, options.Header);
                classes = [.. usable.Select(_ => new long[FieldClassifier.Count])];
            },
            (fields, _) =>
            {
                if (fields.Length == names.Length)
                {
                    for (var c = 0; c < usable.Length; c++)
                    {
                        classes[c][(int)FieldClassifier.Of(fields[usable[c]].Trim(), missing)]++;
                    }
                }
            });

        var budget = new DiscoveryBudget(rho, thresholdDelta, usable.Length, options.Bins);
        var kinds = new ColumnKind[usable.Length];
        var nullable = new bool[usable.Length];
        var numbers = new double[usable.Length];
        for (var c = 0; c < usable.Length; c++)
        {
            var probe = GaussianMechanism.ForRho(budget.ProbePerColumn);
            var noisy = probe.Release(accountant.Charge(probe.Cost, $"schema discovery: type probe of column {c + 1}"), classes[c]);
            var floor = NoiseFloorSigmas * Math.Sqrt(Rounding.ToDoubleUp(probe.SigmaSquared));
            (kinds[c], nullable[c]) = TypeDecision.Decide(noisy, floor);
            numbers[c] = Math.Max(0, noisy[(int)FieldClass.Integer])
                + (kinds[c] == ColumnKind.Continuous ? Math.Max(0, noisy[(int)FieldClass.Number]) : 0);
        }

        // Pass 2: the true counts each column's domain mechanism needs.
        var labels = usable.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
        var cells = kinds.Select(k => k switch
        {
            ColumnKind.Integer => new long[NumberGrid.Integers.Count],
            ColumnKind.Continuous => new long[NumberGrid.Reals.Count],
            _ => [],
        }).ToArray();
        CsvTextRows.Read(csvPath, csv, _ => { }, (fields, _) =>
        {
            if (fields.Length == names.Length)
            {
                for (var c = 0; c < usable.Length; c++)
                {
                    Count(fields[usable[c]].Trim(), kinds[c], missing, labels[c], cells[c]);
                }
            }
        });

        var columns = new DiscoveredColumn[usable.Length];
        for (var c = 0; c < usable.Length; c++)
        {
            var name = names[usable[c]];
            var label = $"schema discovery: column {c + 1}";
            columns[c] = kinds[c] == ColumnKind.Categorical
                ? Categorical(name, nullable[c], labels[c], budget, accountant, label)
                : NumericDomain.Learn(name, kinds[c], cells[c], numbers[c], budget, accountant, label);
        }

        return new DiscoveryResult(csv, [.. options.MissingTokens], columns, [.. names.Where((_, i) => !usable.Contains(i))]);
    }

    /// <summary>Columns whose header name is neither empty nor repeated (others cannot be found by name).</summary>
    private static int[] UsableColumns(string[] names, bool header)
    {
        var usable = Enumerable.Range(0, names.Length)
            .Where(i => !header || (names[i].Length > 0 && names.Count(n => n == names[i]) == 1))
            .ToArray();
        return usable.Length > 0 ? usable : throw new InputException(Messages.InferNoUsableColumnName);
    }

    /// <summary>Counts one (trimmed) field toward its column's domain mechanism: at most one value per row and column.</summary>
    private static void Count(string text, ColumnKind kind, HashSet<string> missing, Dictionary<string, long> labels, long[] cells)
    {
        var fieldClass = FieldClassifier.Of(text, missing);
        switch (kind)
        {
            case ColumnKind.Categorical when fieldClass != FieldClass.Missing && text.Length <= DiscoveryOptions.MaxLabelLength:
                labels[text] = labels.GetValueOrDefault(text) + 1;
                break;
            case ColumnKind.Integer when fieldClass == FieldClass.Integer:
                cells[NumberGrid.Integers.CellOf(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture))]++;
                break;
            case ColumnKind.Continuous when fieldClass is FieldClass.Integer or FieldClass.Number:
                cells[NumberGrid.Reals.CellOf(double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture))]++;
                break;
        }
    }

    private static DiscoveredColumn Categorical(
        string name, bool nullable, Dictionary<string, long> labels, DiscoveryBudget budget, ZcdpAccountant accountant, string label)
    {
        var histogram = StabilityHistogram.For(budget.DomainPerColumn, budget.DeltaPerColumn);
        var kept = histogram.Keep(accountant.Charge(histogram.Cost, label), [.. labels]);

        // Post-processing of the noisy counts: the most frequent labels, then in numeric-first order.
        var categories = kept
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(DiscoveryOptions.MaxCategories)
            .Select(p => p.Key)
            .Order(NumbersFirstOrder.Instance)
            .ToArray();
        return new DiscoveredColumn(name, ColumnKind.Categorical, nullable, categories, 0, 0, [], 0);
    }
}

/// <summary>What DP discovery learnt: everything a schema needs, all DP outputs or public choices.</summary>
/// <param name="Csv">The CSV layout (public choices; always trimmed).</param>
/// <param name="MissingTokens">The missing tokens (a public choice).</param>
/// <param name="Columns">The learnt columns, in file order.</param>
/// <param name="LeftOut">Header names that were empty or repeated, so their columns were left out (public: the header).</param>
public sealed record DiscoveryResult(
    CsvOptions Csv, IReadOnlyList<string> MissingTokens, IReadOnlyList<DiscoveredColumn> Columns, IReadOnlyList<string> LeftOut);
