using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>Messages of the synthesizers and of <c>dpsynth synth</c> / <c>dpsynth evaluate</c>.</summary>
public static partial class Messages
{
    /// <summary>A workload with no cliques.</summary>
    public static string WorkloadEmpty => "the workload is empty: give at least one clique of columns";

    /// <summary>A workload clique with no columns.</summary>
    public static string WorkloadEmptyClique => "a workload clique names no column";

    /// <summary>All k-way marginals were asked for, but the table has fewer than k columns.</summary>
    public static string WorkloadKWayImpossible(int k, int columns) =>
        string.Create(CultureInfo.InvariantCulture, $"an all-{k}-way workload needs at least {k} columns, the schema has {columns}");

    /// <summary>A workload clique names a column the schema does not have.</summary>
    public static string WorkloadUnknownColumn(string name) => $"the workload names column '{name}', which the schema does not have";

    /// <summary>A workload clique names the same column twice.</summary>
    public static string WorkloadRepeatedColumn(string name) => $"a workload clique names column '{name}' twice";

    /// <summary>A workload clique given by index points outside the domain.</summary>
    public static string WorkloadUnknownAttribute(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"the workload names attribute {index}, but the schema has {count} columns");

    /// <summary>The same clique appears twice in a workload.</summary>
    public static string WorkloadDuplicateClique(string clique) => $"the workload lists {clique} twice";

    /// <summary>A workload weight is not positive and finite.</summary>
    public static string WorkloadBadWeight(string clique, double weight) =>
        string.Create(CultureInfo.InvariantCulture, $"the workload weight of {clique} is {weight}; it must be at least 2^-10 and at most 2^20 (1048576)");

    /// <summary>A workload clique too large for its downward closure to be enumerated.</summary>
    public static string WorkloadCliqueTooLarge(int size) =>
        string.Create(CultureInfo.InvariantCulture, $"a workload clique has {size} columns; at most 30 are supported");

    /// <summary>Epsilon is not a positive finite number.</summary>
    public static string EpsilonOutOfRange(double epsilon) =>
        string.Create(CultureInfo.InvariantCulture, $"epsilon must be a positive finite number, got {epsilon}");

    /// <summary>Delta is not strictly between 0 and 1.</summary>
    public static string DeltaOutOfRange(double delta) =>
        string.Create(CultureInfo.InvariantCulture, $"delta must be strictly between 0 and 1, got {delta}");

    /// <summary>Rho is not a positive finite number.</summary>
    public static string RhoOutOfRange(double rho) =>
        string.Create(CultureInfo.InvariantCulture, $"the zCDP budget rho must be a positive finite number, got {rho}");

    /// <summary>The model-size cap cannot hold even the model of the 1-way marginals.</summary>
    public static string ModelSizeTooSmall(double capMb, double neededMb) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"the model-size cap of {capMb:G4} MB is below the {neededMb:G4} MB that the 1-way marginals alone need; raise --max-model-size");

    /// <summary>A non-positive or non-finite model-size cap.</summary>
    public static string ModelSizeOutOfRange(double capMb) =>
        string.Create(CultureInfo.InvariantCulture, $"the model-size cap must be a positive number of MB, at most {Synthesizers.SynthesisSteps.MaxModelSizeMb} (16 TiB), got {capMb}");

    /// <summary>A non-positive number of rounds or iterations.</summary>
    public static string SynthParameterOutOfRange(string name, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} must be positive, got {value}");

    /// <summary>MST needs at least two columns to build a tree.</summary>
    public static string MstNeedsTwoColumns(int columns) =>
        string.Create(CultureInfo.InvariantCulture, $"MST needs at least 2 columns, the schema has {columns}");

    /// <summary>A table whose domain differs from the one the synthesizer was planned for.</summary>
    public static string SynthDomainMismatch => "the encoded table's columns differ from the schema the synthesis was planned for";

    /// <summary>An unknown synthesis method.</summary>
    public static string UnknownMethod(string method) => $"unknown method '{method}'; use aim, mst or mwem";

    /// <summary>An unknown workload name.</summary>
    public static string UnknownWorkload(string workload) => $"unknown workload '{workload}'; use 2way or 3way";

    /// <summary>A negative or zero number of rows to sample.</summary>
    public static string RowsOutOfRange(long rows) =>
        string.Create(CultureInfo.InvariantCulture, $"--rows must be a positive number, got {rows}");

    /// <summary>The real and synthetic tables of <c>evaluate</c> do not share the schema's columns.</summary>
    public static string EvaluateEmptyTable(string which) => $"the {which} table has no rows; nothing to compare";

    /// <summary>The help text of <c>--seed</c>.</summary>
    public static string SeedHelp =>
        "Seed of the post-processing generator only (model fitting order, row sampling, decoding). " +
        "It does NOT fix the privacy noise, which always comes from the operating system's CSPRNG, " +
        "so two runs with the same seed still differ.";

    /// <summary>The line printed when the ledger charge was accepted.</summary>
    public static string SynthCharged(string datasetId, double rho, double epsilon, double delta) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"charged rho = {rho:G6} (epsilon = {epsilon:G4}, delta = {delta:G3}) to dataset '{datasetId}' before reading the data");

    /// <summary>One progress line of a synthesizer run (every figure is public or a DP output).</summary>
    public static string SynthProgress(
        string method, string phase, int round, int plannedRounds, double rhoUsed, double rho, double modelMb, double loss)
    {
        var step = round > 0 ? string.Create(CultureInfo.InvariantCulture, $"{phase} {round} of {plannedRounds}") : phase;
        var fit = double.IsNaN(loss) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", loss {loss:G4}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{method}: {step}: rho used {rhoUsed:G4} of {rho:G4} ({100 * rhoUsed / rho:F1}%), model {modelMb:F2} MB{fit}");
    }

    /// <summary>The status shown before the first progress report.</summary>
    public static string SynthStarting(string method) => $"{method}: reading the data and measuring the 1-way marginals";

    /// <summary>The note printed by <c>evaluate</c>: its figures compare against the real rows without noise.</summary>
    public static string EvaluateNotPrivate =>
        "note: these figures compare against the real rows without noise; keep them out of any release";

    /// <summary>The summary printed when a synthesis finished.</summary>
    public static string SynthDone(string method, long rows, string path, double rhoSpent, int measurements, double seconds) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{method}: wrote {rows} rows to {path}; rho spent {rhoSpent:G6} in {measurements} measurements; {seconds:F1} s");

    /// <summary>synth ran without a ledger.</summary>
    public const string SynthNotRecorded =
        "warning: no --ledger given: this run's privacy spend is not recorded anywhere; repeated runs on the same data " +
        "add up (use --ledger PATH --dataset-id ID)";

    /// <summary>synth was given a schema that still carries the schema-infer draft warning.</summary>
    public static string SynthDraftSchema(string path) =>
        $"WARNING: {path} is still a draft read from the private data (dpsynth schema infer); its bounds and categories " +
        "disclose the data and will appear in the output. Replace them with public knowledge before any release.";
}

