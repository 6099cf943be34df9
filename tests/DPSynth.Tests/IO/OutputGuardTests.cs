using System.Runtime.Versioning;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

public sealed class OutputGuardTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static string Refusal(OutputGuard guard) => Assert.Throws<InputException>(guard.Check).Message;

    [Fact]
    public void AnOutputThatIsAnInputIsRefusedHoweverItsPathIsSpelled()
    {
        var input = temp.WriteFile("visits.csv", "a\n1\n");
        Directory.CreateDirectory(temp.File("sub"));
        foreach (var spelling in new[] { input, Path.Combine(temp.Path, ".", "visits.csv"), Path.Combine(temp.Path, "sub", "..", "visits.csv") })
        {
            var message = Refusal(new OutputGuard().Reads("--input", input).Writes("--out", spelling));
            Assert.Contains($"--out {spelling} is the same file as --input {input}", message, StringComparison.Ordinal);
        }

        // Beside the input, or with no output given, is fine.
        new OutputGuard().Reads("--input", input).Writes("--out", temp.File("synthetic.csv")).Writes("--save-model", null).Check();
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void AnOutputThatIsALinkToAnInputOrThroughALinkedFolderIsRefused()
    {
        var input = temp.WriteFile("visits.csv", "a\n1\n");
        var symlink = temp.File("link.csv");
        File.CreateSymbolicLink(symlink, input);
        var hardLink = temp.File("hard.csv");
        UnixFiles.HardLink(input, hardLink);
        var folderLink = temp.File("folder");
        Directory.CreateSymbolicLink(folderLink, temp.Path);

        foreach (var output in new[] { symlink, hardLink, Path.Combine(folderLink, "visits.csv") })
        {
            var message = Refusal(new OutputGuard().Reads("--input", input).Writes("--out", output));
            Assert.Contains("is the same file as --input", message, StringComparison.Ordinal);
        }

        // The input named through the link, the output by its real name.
        Assert.Contains(
            "is the same file as --schema",
            Refusal(new OutputGuard().Reads("--schema", symlink).Writes("--save-model", input)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheLedgerAndItsSideFilesAreProtectedAlsoBeforeTheyExist()
    {
        var ledger = temp.File("state/ledger.jsonl");
        foreach (var suffix in new[] { string.Empty, ".lock", ".hmac-key", ".head" })
        {
            var message = Refusal(new OutputGuard().Ledger("--ledger", ledger).Writes("--out", ledger + suffix));
            Assert.Contains(suffix.Length == 0 ? "the same file as --ledger" : $"the ledger's {suffix} file", message, StringComparison.Ordinal);
        }

        // A file beside them is fine.
        new OutputGuard().Ledger("--ledger", ledger).Writes("--out", temp.File("state/ledger.csv")).Check();
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void ALinkedLedgersSideFilesBesideItsTargetAreProtectedToo()
    {
        // The ledger's lock sits beside the file a linked ledger points to (BudgetLedger.LockPath).
        var real = temp.WriteFile("real.jsonl", string.Empty);
        var link = temp.File("ledger.jsonl");
        File.CreateSymbolicLink(link, real);
        foreach (var output in new[] { real + ".lock", link + ".lock" })
        {
            var message = Refusal(new OutputGuard().Ledger("--ledger", link).Writes("--out", output));
            Assert.Contains("the ledger's .lock file", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheLedgerMayNotBeAnInputAndTwoOutputsMayNotBeOneFile()
    {
        var input = temp.WriteFile("visits.csv", "a\n1\n");
        Assert.Contains("--ledger", Refusal(new OutputGuard().Reads("--input", input).Ledger("--ledger", input)), StringComparison.Ordinal);
        var output = temp.File("out.csv");
        Assert.Contains(
            "--save-model " + output + " is the same file as --out " + output,
            Refusal(new OutputGuard().Writes("--out", output).Writes("--save-model", output)),
            StringComparison.Ordinal);
    }
}
