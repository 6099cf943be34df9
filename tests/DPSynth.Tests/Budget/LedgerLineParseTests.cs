using System.Text;
using DPSynth.Budget;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Budget;

/// <summary>
/// Parsing a ledger line is strict (the source-generated contract, issue 16): a missing, unknown or repeated key, or a
/// null where the format has none, is a malformed line, named in the error.
/// </summary>
public sealed class LedgerLineParseTests
{
    private static string Line(int index) =>
        Encoding.UTF8.GetString(Golden.Bytes("ledger.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[index];

    private static FormatException Refused(string line) =>
        Assert.Throws<FormatException>(() => LedgerEntry.Parse(Encoding.UTF8.GetBytes(line)));

    [Fact]
    public void AMissingKeyIsRefusedByName()
    {
        var error = Refused(Line(0).Replace("\"mechanism\":null,", string.Empty, StringComparison.Ordinal));

        Assert.Contains("mechanism", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKeyIsRefusedByName()
    {
        var error = Refused(Line(0).Replace("\"rho\":", "\"extra\":1,\"rho\":", StringComparison.Ordinal));

        Assert.Contains("extra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatedKeyIsRefused() =>
        Refused(Line(1).Replace("\"rho\":", "\"rho\":0,\"rho\":", StringComparison.Ordinal));

    [Fact]
    public void ANullDatasetIsRefused() =>
        Refused(Line(1).Replace("\"dataset\":\"visits\"", "\"dataset\":null", StringComparison.Ordinal));

    [Fact]
    public void ATimeInAnotherFormIsRefused() =>
        Refused(Line(1).Replace(".1234567Z", "Z", StringComparison.Ordinal));

    [Fact]
    public void AKeyOfAnotherKindIsDroppedSoTheLineIsNoLongerCanonical()
    {
        // A cap line carrying a nonce parses (the key is known) but writes back without it: the verifier's byte comparison
        // refuses it as edited, as it did before the contract.
        var line = Line(0).Replace("\"rho\":", "\"nonce\":\"" + new string('1', 64) + "\",\"rho\":", StringComparison.Ordinal);

        var entry = LedgerEntry.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Null(entry.Nonce);
        Assert.NotEqual(line, entry.ToString());
    }
}
