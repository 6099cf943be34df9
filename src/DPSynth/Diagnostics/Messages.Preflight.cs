using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of the preflight estimate (issue 15): the memory and time a run may need, and its refusal. Operator
/// console only; the figures come from public facts (the schema, the settings, the input file's size), never from the
/// private rows.
/// </summary>
public static partial class Messages
{
    /// <summary>Help of <c>--max-memory</c>.</summary>
    public const string MaxMemoryHelp =
        "Refuse, before anything is charged or read, a run whose preflight estimate of peak memory is above this " +
        "(e.g. 8GB, 512MiB); default: 75% of the memory available.";

    /// <summary>A size without a unit, or not a positive number.</summary>
    public static string PreflightBadSize(string name, string text) =>
        $"{name}: '{text}' is not a memory size: give a positive number with a unit, e.g. 8GB, 512MB or 2GiB";

    /// <summary>Where the default limit comes from.</summary>
    public static string PreflightDefaultLimit(string available) =>
        $"the default, 75% of the {available} available";

    /// <summary>The estimate, for the console (stderr).</summary>
    public static string PreflightEstimate(string peak, string limit, string source, string parts, string time, string rows) =>
        $"preflight: peak memory at most {peak} ({parts}); limit {limit} ({source}); time up to about {time} " +
        $"(every planned round, model at its cap); assumed {rows}";

    /// <summary>The estimate is above the limit: nothing was charged or read.</summary>
    public static string PreflightRefused(string peak, string limit, string source, string largest) =>
        $"refused before any charge: the preflight estimate of peak memory, {peak}, is above the limit of {limit} ({source}); " +
        $"its largest part is '{largest}'. Nothing was charged and the data were not read. Lower the model-size cap, " +
        "the rounds or the workload, or raise --max-memory if the machine has the memory";

    /// <summary>The limit is above the memory this process may use: the preflight check no longer protects the run.</summary>
    public static string PreflightLimitAboveAvailable(string limit, string source, string available) =>
        $"warning: the memory limit {limit} ({source}) is above the {available} this process may use: a run the " +
        "preflight admits may still run out of memory after the budget is charged";

    /// <summary>A duration for the preflight line: seconds, minutes or hours.</summary>
    public static string PreflightDuration(double seconds) => seconds switch
    {
        < 90 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, seconds):0} s"),
        < 5400 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };

    /// <summary>synth counting a view or a foreign table in PostgreSQL: nothing bounds its rows, so no preflight estimate.</summary>
    public const string PreflightNoRowBound =
        "note: no preflight memory estimate: the table is a view or a foreign table, whose size bounds no row count";
}
