using DPSynth.Privacy;
using DPSynth.Privacy.Mechanisms;
using DPSynth.Privacy.Sampling;

namespace DPSynth.Tests.Privacy;

/// <summary>Re-entrancy guards, the sigma bound and all-or-nothing in-place release.</summary>
public sealed class MechanismSafetyTests
{
    [Fact]
    public async Task AConcurrentGaussianReleaseOnOneInstanceThrows()
    {
        using var gate = new BlockingBits();
        var mechanism = GaussianMechanism.WithSigmaSquared(new Rational(100, 1)).WithBits(gate);
        var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * 3));
        var first = Task.Run(() => mechanism.Release(accountant.Charge(mechanism.Cost, "first"), new long[4]));
        Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(60)), "the first release never drew a word");

        var second = accountant.Charge(mechanism.Cost, "second");
        Assert.Throws<InvalidOperationException>(() => mechanism.Release(second, new long[4]));
        Assert.False(second.IsRedeemed); // refused before it was spent

        gate.Open();
        Assert.Equal(4, (await first.WaitAsync(TimeSpan.FromSeconds(60))).Length);
        Assert.Equal(4, mechanism.Release(second, new long[4]).Length); // usable again once the first call is done
    }

    [Fact]
    public async Task AConcurrentExponentialSelectOnOneInstanceThrows()
    {
        using var gate = new BlockingBits();
        var mechanism = ExponentialMechanism.WithEpsilon(new Rational(1, 1)).WithBits(gate);
        var accountant = new ZcdpAccountant(new Rho(mechanism.Cost.Rho.Value * 3));
        Int128[] scores = [0, 1, 2];
        var first = Task.Run(() => mechanism.Select(accountant.Charge(mechanism.Cost, "first"), scores, new Rational(1, 1)));
        Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(60)), "the first selection never drew a word");

        var second = accountant.Charge(mechanism.Cost, "second");
        Assert.Throws<InvalidOperationException>(() => mechanism.Select(second, scores, new Rational(1, 1)));
        Assert.False(second.IsRedeemed);

        gate.Open();
        Assert.InRange(await first.WaitAsync(TimeSpan.FromSeconds(60)), 0, 2);
        Assert.InRange(mechanism.Select(second, scores, new Rational(1, 1)), 0, 2);
    }

    [Fact]
    public void SigmaIsBoundedAt2To40()
    {
        Assert.Equal(1UL << 40, (ulong)GaussianMechanism.MaxSigma);
        _ = GaussianMechanism.ForSigma(GaussianMechanism.MaxSigma);
        _ = GaussianMechanism.WithSigmaSquared(new Rational(System.Numerics.BigInteger.One << 80, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMechanism.ForSigma(Math.BitIncrement(GaussianMechanism.MaxSigma)));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => GaussianMechanism.WithSigmaSquared(new Rational((System.Numerics.BigInteger.One << 80) + 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMechanism.ForRho(Rho.FromDouble(1e-30)));
    }

    [Fact]
    public void AFailedInPlaceReleaseLeavesTheBufferUntouched()
    {
        // The first coordinate is noised fine; one of the 64 at long.MaxValue overflows as soon as its noise is positive
        // (all 64 non-positive has probability below 2^-50 at sigma = 1000, where P[noise <= 0] is about 1/2).
        var mechanism = GaussianMechanism.WithSigmaSquared(new Rational(1_000_000, 1));
        var accountant = new ZcdpAccountant(mechanism.Cost.Rho);
        var counts = new long[65];
        counts.AsSpan(1).Fill(long.MaxValue);
        var original = counts.ToArray();
        Assert.Throws<OverflowException>(() => mechanism.ReleaseInPlace(accountant.Charge(mechanism.Cost, "x"), counts));
        Assert.Equal(original, counts);
    }

    /// <summary>Random words that block the first draw until opened, to hold a mechanism call in flight.</summary>
    private sealed class BlockingBits : IRandomBits, IDisposable
    {
        private readonly ManualResetEventSlim open = new();
        private readonly InsecureSeededBits inner = new(1);

        public ManualResetEventSlim Entered { get; } = new();

        public bool IsInsecure => true;

        public void Open() => open.Set();

        public ulong NextUInt64()
        {
            Wait();
            return inner.NextUInt64();
        }

        public uint NextUInt32()
        {
            Wait();
            return inner.NextUInt32();
        }

        public bool NextBit()
        {
            Wait();
            return inner.NextBit();
        }

        public void Dispose()
        {
            open.Set();
            open.Dispose();
            Entered.Dispose();
        }

        private void Wait()
        {
            Entered.Set();
            Assert.True(open.Wait(TimeSpan.FromSeconds(60)), "the gate was never opened");
        }
    }
}
