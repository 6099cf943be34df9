using DPSynth.Budget;
using DPSynth.Privacy;
using DPSynth.Tests.Support;
using FsCheck.Xunit;

namespace DPSynth.Tests.Budget;

public sealed class LedgerPropertyTests
{
    private static readonly byte[] Ledger = BuildLedger();

    [Property(MaxTest = 300)]
    public bool AnyFlippedBitsAreDetected(int position, byte mask)
    {
        if (mask == 0)
        {
            return true;
        }

        var copy = (byte[])Ledger.Clone();
        copy[Math.Abs(position % copy.Length)] ^= mask;
        return !LedgerVerifier.Verify(copy).IsValid;
    }

    [Fact]
    public void FlippingTheLowBitOfEveryByteIsDetected()
    {
        for (var i = 0; i < Ledger.Length; i++)
        {
            var copy = (byte[])Ledger.Clone();
            copy[i] ^= 1;
            Assert.False(LedgerVerifier.Verify(copy).IsValid, $"a flip at byte {i} went unnoticed");
        }
    }

    [Fact]
    public void TheUnmodifiedLedgerVerifies() => Assert.True(LedgerVerifier.Verify(Ledger).IsValid);

    private static byte[] BuildLedger()
    {
        using var temp = new TempDirectory();
        var ledger = Ledgers.New(temp.File("ledger.jsonl"));
        ledger.SetCap("adult", new ApproxDp(1, 1e-9));
        ledger.Charge("adult", "run-1", Rho.FromDouble(0.001), "aim", new string('a', 64));
        ledger.Charge("other", "run-2", Rho.FromDouble(0.25), "mst");
        return File.ReadAllBytes(ledger.Path);
    }
}
