using System.Text.Json;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// Writes (through <see cref="ReleaseJsonContext"/>) and reads <c>manifest.json</c> (docs/release.md): indented UTF-8 JSON without a byte-order mark, snake_case
/// keys in a fixed order, <c>\n</c> line ends, invariant culture, doubles in their shortest round-trip form, the creation
/// time in UTC. Writing the same manifest twice gives the same bytes, and so does writing what was read.
/// </summary>
/// <remarks>
/// The signature covers the exact bytes, so the reader need not be lenient: it refuses unknown or repeated keys, a
/// missing key, a wrong type, another <c>format</c>, and every value that breaks a rule of docs/release.md (malformed
/// hashes, unsafe file names, a <c>rho</c> that is not <c>rho_exact</c> rounded up, a verdict other than <c>pass</c>,
/// a missing audit-gate disclosure...). It reports every problem it finds, each with its key.
/// </remarks>
public static partial class ManifestJson
{
    /// <summary>
    /// Serializes a complete manifest (with <see cref="ReleaseManifest.Signer"/> and <see cref="ReleaseManifest.Files"/> set).
    /// </summary>
    /// <exception cref="ArgumentException">The manifest breaks a rule of docs/release.md; the message lists every problem.</exception>
    public static byte[] Write(ReleaseManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = Validate(manifest);
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                Messages.ManifestInvalid(problems.Select(p => $"{p.Key}: {p.Message}")), nameof(manifest));
        }

        return [.. JsonSerializer.SerializeToUtf8Bytes(manifest, ReleaseJsonContext.Manifest), (byte)'\n'];
    }
}
