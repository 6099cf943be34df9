using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages of the fail-closed checks around outputs: output paths, draft schemas in <c>run</c>, the bundle's single time
/// and its staging folders, the test certificate, bundle entries that are not regular files, and <c>run FOLDER</c>.
/// </summary>
public static partial class Messages
{
    /// <summary>An output (or the ledger) is the same file as something the command reads or writes already.</summary>
    public static string OutputIsAnotherFile(string name, string path, string otherName, string otherPath) =>
        $"{name} {path} is the same file as {otherName} {otherPath}: refusing to write over it; choose another path " +
        "(nothing was read or charged)";

    /// <summary>An output file exists and the command was not told to replace it.</summary>
    public static string OutputExists(string name, string path) =>
        $"{name} {path} exists already: refusing to replace it; pass --force to replace it, or choose another path " +
        "(nothing was read or charged)";

    /// <summary>The help text of <c>--force</c> on a command that writes the files <paramref name="outputs"/>.</summary>
    public static string ForceReplaceHelp(string outputs) =>
        $"Replace an existing {outputs} file (without it, one is refused before anything is read or charged). " +
        "Nothing else: the budget checks are the same.";

    /// <summary>An output file path names a folder.</summary>
    public static string OutputIsFolder(string name, string path) =>
        $"{name} {path} is a folder: choose the path of a file (nothing was read or charged)";

    /// <summary>An output file appeared (made by another process) after the check and before the finished file was published.</summary>
    public static string OutputAppeared(string path) =>
        $"{path} appeared while this command ran (another process made it): it was not replaced, and this output was not " +
        "written; pass --force to replace it, or choose another path";

    /// <summary>How <see cref="OutputIsAnotherFile"/> names a file kept beside a ledger.</summary>
    public static string LedgerSideFile(string ledgerName, string suffix) => $"the ledger's {suffix} file (beside {ledgerName})";

    /// <summary><c>run</c> was given a schema that still carries the <c>schema infer</c> draft warning.</summary>
    public static string RunDraftSchema(string policy, string schema) =>
        $"{policy}: the schema {schema} is still a draft read from the private data (dpsynth schema infer): its bounds and " +
        "categories would be signed into the release without any privacy charge. Replace each one with public knowledge " +
        "and delete the warning before running (nothing was read or charged)";

    /// <summary>The bundle writer was given a time with a fraction of a second, which a CMS signing time cannot state.</summary>
    public const string BundleTimeNotWholeSeconds =
        "the manifest's created time must be whole seconds (ReleaseTime.For): it is also the signature's signing time";

    /// <summary>The bundle writer's fault injection is on (tests only).</summary>
    public static string BundleFaultInjectionActive(string variable, int milliseconds) =>
        string.Create(
            CultureInfo.InvariantCulture, $"TEST FAULT INJECTION: {variable} is set; pausing {milliseconds} ms after each file of a bundle");

    /// <summary>The test certificate's public file does not hold the certificate of its key file.</summary>
    public static string TestCertificateMismatch(string certificate, string pfx) =>
        $"{certificate} does not hold the certificate of {pfx}: reviewers pinning it would reject every bundle. Move both " +
        "aside to make a new test certificate, or restore the matching pair";

    /// <summary>Check detail: a bundle entry that is a symbolic link.</summary>
    internal const string CheckSymbolicLink = "a symbolic link, not a regular file: a bundle holds its files themselves, never links";

    /// <summary>Check detail: a bundle entry that is a folder.</summary>
    internal const string CheckFolder = "a folder, not a regular file";

    /// <summary>Check detail: a bundle entry that is a FIFO, a device or a socket.</summary>
    internal const string CheckNotRegularFile = "not a regular file (a FIFO, device or socket): not opened";

    /// <summary>The recap line of a policy of <c>run</c> that did not succeed (after the summary table).</summary>
    public static string RunPolicyNotDone(string policyFile, string status, string message) =>
        // A message may already open with its status ("budget refused: ...", "internal error (...): ..."): say it once.
        message.StartsWith(status + ": ", StringComparison.Ordinal) || message.StartsWith(status + " (", StringComparison.Ordinal)
            ? $"{policyFile}: {message}"
            : $"{policyFile}: {status}: {message}";
}
