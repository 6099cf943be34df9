using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Synthesizers;

namespace DPSynth.Resources;

/// <summary>
/// The preflight step of <c>synth</c> and <c>run</c>: estimate, print the estimate to the operator's console, and refuse
/// when it is above the limit. Called after the settings are checked and before the ledger or the rows are touched.
/// </summary>
public static class Preflight
{
    /// <summary>Estimates the run counted in memory from the input file at <paramref name="input"/> (<see cref="RowBound.FromFile"/>), writes the estimate to <paramref name="log"/>, then checks it against <paramref name="limit"/>.</summary>
    /// <exception cref="ResourceRefusedException">The estimate is above the limit.</exception>
    public static ResourceEstimate Check(
        ISynthesizer synthesizer, string input, long? outputRows, PipelineShape pipeline, MemoryLimit limit, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        return Check(synthesizer, RowBound.FromFile(input, synthesizer.Domain.Count), "memory", outputRows, pipeline, limit, log);
    }

    /// <summary>
    /// Estimates the run with the rows bounded by <paramref name="rows"/> and counted by the source
    /// <paramref name="source"/> (<c>memory</c>, <c>duckdb</c> or <c>postgres</c>), writes the estimate to
    /// <paramref name="log"/>, then checks it against <paramref name="limit"/>.
    /// </summary>
    /// <exception cref="ResourceRefusedException">The estimate is above the limit.</exception>
    public static ResourceEstimate Check(
        ISynthesizer synthesizer, RowBound rows, string source, long? outputRows, PipelineShape pipeline, MemoryLimit limit, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(log);
        var estimate = ResourceEstimator.For(synthesizer, rows, outputRows, pipeline, source);
        log.WriteLine(Describe(estimate, limit));
        if (limit.AboveAvailable() is { } warning)
        {
            log.WriteLine(warning);
        }

        limit.Check(estimate);
        return estimate;
    }

    /// <summary>The console line of an estimate against a limit.</summary>
    public static string Describe(ResourceEstimate estimate, MemoryLimit limit)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(limit);
        var parts = string.Join(", ", estimate.Parts.Select(p => $"{p.Name} {ByteSize.Format(p.Bytes)}"));
        return Messages.PreflightEstimate(
            ByteSize.Format(estimate.PeakBytes), ByteSize.Format(limit.Bytes), limit.Source, parts,
            Messages.PreflightDuration(estimate.Seconds), estimate.Rows.Basis);
    }
}
