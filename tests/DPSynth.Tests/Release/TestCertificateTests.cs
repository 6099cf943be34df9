using DPSynth.Diagnostics;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class TestCertificateTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void FirstRunsRacingToMakeTheTestCertificateAllSignWithTheWinnersCertificate()
    {
        // Two first-time `dpsynth run`s at once used to fail the loser with "signing.pfx exists already". A barrier
        // releases the creators together, so both see no certificate and race to publish one in most rounds.
        const int Creators = 6;
        for (var round = 0; round < 15; round++)
        {
            var folder = Path.Combine(temp.Path, $"round{round}", "test-signing");
            var hashes = new string?[Creators];
            var failures = new Exception?[Creators];
            using var barrier = new Barrier(Creators);
            var threads = Enumerable.Range(0, Creators).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    using var certificate = TestCertificate.LoadOrCreate(folder);
                    hashes[i] = SigningCertificate.Sha256(certificate);
                }
                catch (Exception ex)
                {
                    failures[i] = ex;
                }
            })).ToArray();
            Array.ForEach(threads, t => t.Start());
            Array.ForEach(threads, t => t.Join());

            Assert.All(failures, f => Assert.Null(f));
            var winner = Assert.Single(hashes.Distinct());
            using var published = SigningCertificate.LoadPublic(Path.Combine(folder, TestCertificate.CertificateFileName));
            Assert.Equal(winner, SigningCertificate.Sha256(published));
            Assert.Equal(
                [TestCertificate.CertificateFileName, TestCertificate.PfxFileName],
                Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void AnExistingTestCertificateIsReusedAndAPublicFileOfAnotherCertificateIsRefused()
    {
        var folder = temp.File("test-signing");
        using var first = TestCertificate.LoadOrCreate(folder);
        using var again = TestCertificate.LoadOrCreate(folder);
        Assert.Equal(SigningCertificate.Sha256(first), SigningCertificate.Sha256(again));

        // A run killed between the two files: the public one is written from the key file.
        var pem = Path.Combine(folder, TestCertificate.CertificateFileName);
        var bytes = File.ReadAllBytes(pem);
        File.Delete(pem);
        using var third = TestCertificate.LoadOrCreate(folder);
        Assert.Equal(bytes, File.ReadAllBytes(pem));

        // Reviewers would pin a certificate that signs nothing.
        using var other = ReleaseFixtures.Certificate("CN=another");
        ReleaseFixtures.WritePublicPem(pem, other);
        var ex = Assert.Throws<InputException>(() => TestCertificate.LoadOrCreate(folder));
        Assert.Contains("does not hold the certificate of", ex.Message, StringComparison.Ordinal);
    }
}
