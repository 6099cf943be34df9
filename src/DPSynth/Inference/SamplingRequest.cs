using System.Collections.Immutable;
using System.Globalization;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>
/// How to draw rows from a fitted model: plainly, conditioned on fixed values, and/or with one column rebalanced to
/// requested shares. Parsed from <c>--condition COL=value[,COL=value]</c> and
/// <c>--rebalance COL=uniform|COL=value:share[,value:share]</c> (or the same keys under <c>release</c> in a policy).
/// Sampling is post-processing of the model: no privacy budget is spent.
/// </summary>
public sealed class SamplingRequest
{
    private SamplingRequest(Evidence evidence, int rebalanced, ImmutableArray<double> shares, string description)
    {
        Evidence = evidence;
        RebalancedAttribute = rebalanced;
        Shares = shares;
        Description = description;
    }

    /// <summary>The fixed values (empty when there is no condition).</summary>
    public Evidence Evidence { get; }

    /// <summary>The rebalanced attribute, or -1.</summary>
    public int RebalancedAttribute { get; }

    /// <summary>The requested share of each cell of the rebalanced attribute (empty when none).</summary>
    public ImmutableArray<double> Shares { get; }

    /// <summary>True when the sampled distribution deliberately differs from the model's (the manifest records it).</summary>
    public bool ChangesDistribution => Evidence.Values.Count > 0 || RebalancedAttribute >= 0;

    /// <summary>A readable statement of the change, e.g. <c>conditioned on sex=F; rebalanced race to uniform</c>.</summary>
    public string Description { get; }

    /// <summary>A request already expressed in a model's codes (e.g. translated onto a compressed domain).</summary>
    public static SamplingRequest ForModel(Evidence evidence, int rebalancedAttribute, ImmutableArray<double> shares, string description)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return new SamplingRequest(evidence, rebalancedAttribute, shares, description);
    }

    /// <summary>Plain sampling from the model.</summary>
    public static SamplingRequest None(Domain domain) => new(Evidence.None(domain), -1, [], "none");

    /// <summary>Parses the two options against the schema (either may be null or empty).</summary>
    /// <exception cref="InputException">Unknown column, value outside the domain, malformed text, shares not summing to 1.</exception>
    public static SamplingRequest Parse(TableSchema schema, string? rebalance, string? condition)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var evidence = Evidence.None(schema.Domain).WithLabels((attribute, code) => CellLabels.Label(schema, attribute, code));
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(condition))
        {
            foreach (var item in condition.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (column, value) = SplitOnce(item, '=', "--condition", condition, "COL=value[,COL=value]");
                var attribute = Column(schema, column, "--condition");
                if (evidence.Values.ContainsKey(attribute))
                {
                    throw new InputException(Messages.BadSamplingOption("--condition", condition, "each column at most once"));
                }

                evidence = evidence.With(attribute, CellLabels.Parse(schema, attribute, value));
            }

            parts.Add($"conditioned on {condition.Trim()}");
        }

        var rebalanced = -1;
        ImmutableArray<double> shares = [];
        if (!string.IsNullOrWhiteSpace(rebalance))
        {
            const string expected = "COL=uniform or COL=value:share[,value:share]";
            var (column, spec) = SplitOnce(rebalance.Trim(), '=', "--rebalance", rebalance, expected);
            rebalanced = Column(schema, column, "--rebalance");
            if (evidence.Values.ContainsKey(rebalanced))
            {
                throw new InputException(Messages.BadSamplingOption("--rebalance", rebalance, "a column that is not also conditioned"));
            }

            shares = ParseShares(schema, rebalanced, spec, rebalance, expected);
            parts.Add($"rebalanced {column} to {spec}");
        }

        return parts.Count == 0
            ? None(schema.Domain)
            : new SamplingRequest(evidence, rebalanced, shares, string.Join("; ", parts));
    }

    /// <summary>Samples <paramref name="rows"/> rows from <paramref name="model"/> as requested.</summary>
    /// <exception cref="InputException">A condition has zero probability under the model.</exception>
    public EncodedTable Sample(GraphicalModel model, int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(model);
        return RebalancedAttribute >= 0
            ? ConditionalSampler.SampleRebalanced(model, RebalancedAttribute, Shares, Evidence, rows, random)
            : ConditionalSampler.SampleConditioned(model, Evidence, rows, random);
    }

    /// <summary>
    /// What <see cref="Sample"/> draws, with the same generator calls, for a caller that has checked the request already
    /// (<see cref="ConditionalSampler.RequirePossible"/>): the check is not repeated.
    /// </summary>
    internal EncodedTable SampleChecked(GraphicalModel model, int rows, Random random) =>
        RebalancedAttribute >= 0
            ? ConditionalSampler.DrawRebalanced(model, RebalancedAttribute, Shares, Evidence, rows, random)
            : ConditionalSampler.SampleConditioned(model, Evidence, rows, random);

    private static ImmutableArray<double> ParseShares(TableSchema schema, int attribute, string spec, string text, string expected)
    {
        var column = schema.Columns[attribute];
        var shares = new double[column.CellCount];
        if (spec.Equals("uniform", StringComparison.OrdinalIgnoreCase))
        {
            // Uniform over the declared values; the missing and other cells are not values anyone asks for.
            for (var v = 0; v < column.ValueCellCount; v++)
            {
                shares[v] = 1.0 / column.ValueCellCount;
            }

            return [.. shares];
        }

        var seen = new HashSet<int>();
        foreach (var item in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = item.LastIndexOf(':');
            if (cut <= 0 || !double.TryParse(item[(cut + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share)
                || !(share >= 0) || !double.IsFinite(share))
            {
                throw new InputException(Messages.BadSamplingOption("--rebalance", text, expected));
            }

            var code = CellLabels.Parse(schema, attribute, item[..cut].Trim());
            if (!seen.Add(code))
            {
                throw new InputException(Messages.BadSamplingOption("--rebalance", text, "each value at most once"));
            }

            shares[code] = share;
        }

        var sum = shares.Sum();
        if (Math.Abs(sum - 1) > 1e-9)
        {
            throw new InputException(Messages.SharesDoNotSumToOne(column.Name, sum));
        }

        return [.. shares.Select(s => s / sum)];
    }

    private static int Column(TableSchema schema, string name, string option)
    {
        var index = schema.Domain.IndexOf(name);
        return index >= 0 ? index : throw new InputException(Messages.UnknownColumn(option, name));
    }

    private static (string Left, string Right) SplitOnce(string item, char separator, string option, string text, string expected)
    {
        var cut = item.IndexOf(separator, StringComparison.Ordinal);
        if (cut <= 0 || cut == item.Length - 1)
        {
            throw new InputException(Messages.BadSamplingOption(option, text, expected));
        }

        return (item[..cut].Trim(), item[(cut + 1)..].Trim());
    }
}
