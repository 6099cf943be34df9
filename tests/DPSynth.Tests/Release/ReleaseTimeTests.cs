using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Release;

namespace DPSynth.Tests.Release;

public sealed class ReleaseTimeTests
{
    private static readonly DateTimeOffset Afternoon = new(2026, 12, 3, 15, 42, 17, 123, TimeSpan.Zero);

    [Fact]
    public void ABundleStatesTheUtcDateItsRunStartedAtMidnight()
    {
        using var older = Certificate(Afternoon.AddDays(-10));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), ReleaseTime.For(Afternoon, older));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), ReleaseTime.For(Afternoon, null));

        // Another time zone's clock reading is the same instant: the UTC date counts.
        Assert.Equal(
            new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero),
            ReleaseTime.For(new DateTimeOffset(2026, 12, 3, 23, 30, 0, TimeSpan.FromHours(-2)), older));
    }

    [Fact]
    public void ACertificateValidOnlyFromLaterThatDayGivesItsStartOfValidityInWholeSeconds()
    {
        // A first run's test certificate is made minutes before the run: midnight would fail a chain check.
        var notBefore = new DateTimeOffset(2026, 12, 3, 9, 14, 5, TimeSpan.Zero);
        using var fresh = Certificate(notBefore);
        var time = ReleaseTime.For(Afternoon, fresh);
        Assert.Equal(notBefore, time);
        Assert.Equal(0, time.Ticks % TimeSpan.TicksPerSecond);
    }

    private static X509Certificate2 Certificate(DateTimeOffset notBefore)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=time", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notBefore.AddYears(1));
    }
}
