using System.Security.Cryptography.X509Certificates;

namespace DPSynth.Release;

/// <summary>
/// The one time a release bundle publishes: the manifest's <c>created</c>, the reports' header, the bundle folder's
/// name and the signature's signing time are all this value (docs/release.md, "Time").
/// </summary>
/// <remarks>
/// Any two times of one bundle taken at different steps of a run differ by how long the steps in between took, and
/// that grows with the number of private rows: an uncharged function of the data (privacy-details.md section 8). So a
/// bundle carries one coarse time, fixed before any row is read: the UTC date the run (or the batch) started, at
/// midnight. A signing certificate made later that day (a first run's test certificate) is not valid at midnight, and a
/// chain check at the signing time would fail; then the time is the certificate's start of validity, which is public
/// (the certificate is in the bundle) and also fixed before any row is read.
/// </remarks>
public static class ReleaseTime
{
    /// <summary>The time of a bundle of a run that started at <paramref name="started"/>, signed by <paramref name="signer"/>.</summary>
    /// <param name="started">When the run (or the batch of runs) started, read before any private row.</param>
    /// <param name="signer">The signing certificate, or null for an unsigned (insecure test) output.</param>
    /// <returns>A UTC time in whole seconds (a CMS signing time holds no fraction of a second).</returns>
    public static DateTimeOffset For(DateTimeOffset started, X509Certificate2? signer)
    {
        var day = new DateTimeOffset(started.UtcDateTime.Date, TimeSpan.Zero);
        if (signer is null)
        {
            return day;
        }

        // NotBefore is a local time; certificates state whole seconds, but round up to be sure.
        var notBefore = new DateTimeOffset(signer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var fraction = notBefore.Ticks % TimeSpan.TicksPerSecond;
        var wholeSeconds = fraction == 0 ? notBefore : notBefore.AddTicks(TimeSpan.TicksPerSecond - fraction);
        return wholeSeconds > day ? wholeSeconds : day;
    }

    /// <summary>True when <paramref name="time"/> has no fraction of a second, so a CMS signing time can state it exactly.</summary>
    internal static bool IsWholeSeconds(DateTimeOffset time) => time.Ticks % TimeSpan.TicksPerSecond == 0;
}
