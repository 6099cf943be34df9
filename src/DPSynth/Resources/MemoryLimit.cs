using DPSynth.Diagnostics;

namespace DPSynth.Resources;

/// <summary>
/// The most memory a run may be estimated to need (<c>--max-memory</c>, <c>synthesizer.max_memory</c>, or 75% of the
/// memory this process may use), and the check that refuses a run whose preflight estimate is above it, before
/// anything is read or charged.
/// </summary>
/// <param name="Bytes">The limit.</param>
/// <param name="Source">Where it came from, for messages.</param>
public sealed record MemoryLimit(long Bytes, string Source)
{
    /// <summary>The share of available memory the default allows.</summary>
    public const double DefaultShare = 0.75;

    /// <summary>
    /// The default: 75% of the memory the garbage collector sees as available (physical memory, or a container's or
    /// <c>DOTNET_GCHeapHardLimit</c>'s lower limit).
    /// </summary>
    public static MemoryLimit Default()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryLimit((long)(DefaultShare * available), Messages.PreflightDefaultLimit(ByteSize.Format(available)));
    }

    /// <summary>The option's value when given, else the policy's, else <see cref="Default"/>.</summary>
    public static MemoryLimit Choose(string? option, long? policyBytes)
    {
        if (option is not null)
        {
            return new MemoryLimit(ByteSize.Parse(option, "--max-memory"), "--max-memory");
        }

        return policyBytes is { } bytes ? new MemoryLimit(bytes, "synthesizer.max_memory") : Default();
    }

    /// <summary>
    /// A warning when the limit is above the memory the garbage collector sees as available (an operator's override of
    /// a loose estimate, or a typo): the run is not refused, but the check no longer keeps it within the machine.
    /// </summary>
    public string? AboveAvailable()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Bytes > available
            ? Messages.PreflightLimitAboveAvailable(ByteSize.Format(Bytes), Source, ByteSize.Format(available))
            : null;
    }

    /// <summary>
    /// Refuses (exit 2) when <paramref name="estimate"/>'s peak is above the limit, or saturated (<see cref="long.MaxValue"/>:
    /// beyond any machine, so above any limit, even one written as large).
    /// </summary>
    /// <exception cref="ResourceRefusedException">The estimate is above the limit.</exception>
    public void Check(ResourceEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.PeakBytes > Bytes || estimate.PeakBytes == long.MaxValue)
        {
            throw new ResourceRefusedException(Messages.PreflightRefused(
                ByteSize.Format(estimate.PeakBytes), ByteSize.Format(Bytes), Source, Largest(estimate)));
        }
    }

    private static string Largest(ResourceEstimate estimate) => estimate.Parts.MaxBy(p => p.Bytes)!.Name;
}
