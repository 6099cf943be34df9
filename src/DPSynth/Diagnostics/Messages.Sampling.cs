namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>Conditional sampling was asked for a condition the model rules out.</summary>
    public static string ConditionHasZeroProbability(string condition) =>
        $"the model gives the condition ({condition}) zero probability; refusing to invent rows for it";

    /// <summary>A condition or rebalancing value is not a cell of the column's declared domain.</summary>
    public static string ValueOutsideDomain(string column, string value, IReadOnlyList<string> cells) =>
        $"'{value}' is not in the declared domain of column '{column}'; its cells are: {string.Join(", ", cells.Take(20))}" +
        (cells.Count > 20 ? ", ..." : string.Empty);

    /// <summary>A column named in a condition, rebalancing, target or group option is not in the schema.</summary>
    public static string UnknownColumn(string option, string column) => $"{option}: unknown column '{column}'";

    /// <summary>A --rebalance or --condition option is malformed.</summary>
    public static string BadSamplingOption(string option, string text, string expected) =>
        $"{option} '{text}' is not valid: expected {expected}";

    /// <summary>Rebalancing shares do not sum to 1.</summary>
    public static string SharesDoNotSumToOne(string column, double sum) =>
        $"--rebalance shares for '{column}' sum to {sum.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, not 1";
}

