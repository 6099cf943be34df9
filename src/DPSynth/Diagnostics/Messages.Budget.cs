namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>The in-run accountant refused a charge.</summary>
    /// <remarks>The figures are rho values rounded up to doubles (the accountant's exact rationals, as a ledger states them).</remarks>
    public static string AccountantRefused(string label, double cost, double spent, double total) =>
        $"budget refused: '{label}' costs rho {Format(cost)} but {Format(spent)} of the run's total {Format(total)} is already spent";

    /// <summary>The ledger refused a charge because it would pass the dataset's cap.</summary>
    public static string LedgerCapExceeded(string dataset, double rho, double spent, double cap) =>
        $"budget refused: charging rho {Format(rho)} to dataset '{dataset}' would pass its cap rho {Format(cap)} " +
        $"(already spent {Format(spent)})";

    /// <summary>The ledger cannot be verified, so nothing may be charged (fail closed).</summary>
    public static string LedgerUnverifiable(string path, string problem) =>
        $"budget refused: the ledger {path} does not verify ({problem}); no charge is possible until it is " +
        "reviewed and restored (see docs/ledger.md)";

    /// <summary>The ledger lock could not be taken in time.</summary>
    public static string LedgerLockTimeout(string lockPath) =>
        $"budget refused: could not lock {lockPath} (another process holds it); try again";

    /// <summary>The ledger refuses writes when .NET file locking is disabled (the cap check would not be atomic).</summary>
    public static string LedgerFileLockingDisabled(string path) =>
        $"budget refused: .NET file locking is disabled in this process (System.IO.DisableFileLocking or " +
        $"DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so writes to the ledger {path} cannot be locked against other " +
        "processes; unset it to record caps or charges";

    /// <summary>A writer could not create or open the lock file (e.g. no write access to the folder).</summary>
    public static string LedgerLockUnavailable(string lockPath, string detail) =>
        $"budget refused: cannot create or open the lock file {lockPath} ({detail}); writing the ledger needs it";

    /// <summary>Warning when a read-only command reads the ledger without the lock.</summary>
    public static string LedgerReadWithoutLock(string path) =>
        $"warning: read the ledger {path} without its lock (the lock file cannot be created here, or file locking is " +
        "disabled); a charge being written at the same moment may show as a torn last line";

    /// <summary>Warning when a cap is raised above the one in force.</summary>
    public static string CapRaised(string dataset, double oldEpsilon, double oldDelta, double oldRho, double newRho) =>
        $"warning: this RAISES the cap of dataset '{dataset}' from rho {Format(oldRho)} (epsilon {Format(oldEpsilon)}, " +
        $"delta {Format(oldDelta)}) to rho {Format(newRho)}; both caps stay in the ledger as separate entries " +
        "(see 'dpsynth budget report' for the cap history)";

    /// <summary>Loud warning that the crash test's fault injection is active in this process.</summary>
    public static string LedgerFaultInjectionActive(string variable) =>
        $"WARNING: {variable} is set: TEST FAULT INJECTION is active; this append pauses half-written. " +
        "Never set this variable outside the test suite.";

    /// <summary>Warning for a charge to a dataset with no cap entry.</summary>
    public static string LedgerUncapped(string dataset) =>
        $"warning: dataset '{dataset}' has no cap in the ledger; charged because of --allow-uncapped, but nothing " +
        "limits its spend (set a cap with 'dpsynth budget cap')";

    /// <summary>A torn (incomplete) last line.</summary>
    public static string LedgerTornLine(long line) =>
        $"line {line} is incomplete (a torn append: the writer stopped before the line ended); it never counted as a " +
        "charge, but it is not repaired automatically";

    /// <summary>A line that is not a well-formed entry.</summary>
    public static string LedgerMalformedLine(long line, string detail) => $"line {line} is not a valid ledger entry: {detail}";

    /// <summary>A line whose bytes are not the canonical serialization of its entry.</summary>
    public static string LedgerNotCanonical(long line) => $"line {line} was edited (it is not in canonical form)";

    /// <summary>An entry whose hash does not match its content.</summary>
    public static string LedgerHashMismatch(long line) => $"line {line} was edited (its hash does not match its content)";

    /// <summary>A broken link in the hash chain.</summary>
    public static string LedgerChainBroken(long line) =>
        $"line {line} does not follow the entry before it (an entry was deleted, inserted or reordered)";

    /// <summary>A sequence number out of order.</summary>
    public static string LedgerSequenceGap(long line, long expected, long found) =>
        $"line {line} has sequence {found}, expected {expected} (an entry was deleted or reordered)";

    /// <summary>The expected head hash is not in the ledger at all.</summary>
    public static string LedgerHeadMissing(string expected) =>
        $"the expected head {expected} is not an entry of this ledger (rolled back to an older copy, or a different ledger)";

    /// <summary>A number option that does not parse.</summary>
    public static string NotANumber(string option, string text) => $"{option} must be a number, not '{text}'";

    /// <summary>A rho option that is not positive.</summary>
    public const string RhoNotPositive = "--rho must be a positive number";

    /// <summary>Confirmation of a recorded cap.</summary>
    public static string CapRecorded(string dataset, double epsilon, double delta, double rho, long sequence, string hash) =>
        $"cap for dataset '{dataset}': epsilon {Format(epsilon)}, delta {Format(delta)} (rho {Format(rho)}); " +
        $"entry {sequence}, hash {hash}";

    /// <summary>Confirmation of a recorded charge.</summary>
    public static string ChargeRecorded(string dataset, string run, double rho, double spent, double? cap, long sequence, string hash) =>
        $"charged rho {Format(rho)} to dataset '{dataset}' (run {run}); spent {Format(spent)} of cap " +
        $"{(cap is { } c ? Format(c) : "none")}; entry {sequence}, hash {hash}";

    /// <summary>A ledger that verifies.</summary>
    public static string LedgerVerified(int entries, string head) => $"ledger OK: {entries} entries; head {head}";

    /// <summary><c>budget verify --bundles</c>: every bundle's charge is in the ledger; their signers were not checked.</summary>
    public static string LedgerHoldsBundleCharges(int bundles, string folder) =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"bundles: the ledger holds the charge every manifest in {folder} records ({bundles} bundle{(bundles == 1 ? "" : "s")}; ") +
        "manifests read only: their signatures and signers were NOT checked, `dpsynth verify BUNDLE --certificate PEM` checks a bundle)";

    /// <summary>A dataset's spend, as verify prints it.</summary>
    public static string DatasetSpent(string dataset, double rho, double epsilon, double delta, double? cap) =>
        $"dataset '{dataset}': spent rho {Format(rho)} (epsilon {Format(epsilon)} at delta {Format(delta)}) of cap " +
        $"{(cap is { } c ? Format(c) : "none")}";

    /// <summary>A ledger that does not verify (or does not contain the expected head).</summary>
    public static string LedgerBroken(string path, string problem) => $"ledger {path} does not verify: {problem}";

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A run's outcome is already in the ledger.</summary>
    public static string LedgerOutcomeRecorded(string runId) => $"run {runId} already has an outcome in the ledger; not recording a second";
}
