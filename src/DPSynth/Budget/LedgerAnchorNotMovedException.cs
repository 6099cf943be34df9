using DPSynth.Diagnostics;

namespace DPSynth.Budget;

/// <summary>
/// A ledger write whose entry was appended and flushed, but whose anchored head could not then be moved onto it
/// (docs/ledger.md#anchor): the entry stands and counts, the command fails (exit 2). A distinct type so that a caller
/// that wrote a run's outcome can say that the outcome is recorded, rather than that it is not.
/// </summary>
internal sealed class LedgerAnchorNotMovedException : BudgetRefusedException
{
    /// <summary>Creates the failure; <paramref name="message"/> says that the entry stands.</summary>
    public LedgerAnchorNotMovedException(string message, long sequence, string detail, Exception inner)
        : base(message, inner)
    {
        Sequence = sequence;
        Detail = detail;
    }

    /// <summary>The entry appended (its 1-based sequence number), which stands.</summary>
    public long Sequence { get; }

    /// <summary>Why the anchored head could not be moved (the operating system's message).</summary>
    public string Detail { get; }
}
