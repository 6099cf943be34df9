using System.Security.Cryptography;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Release;

/// <summary>
/// The keyed fingerprint of a private input file: HMAC-SHA-256 of its bytes under the operator's
/// <see cref="FingerprintKey"/>. It lets an operator tell whether two runs read the same file, and is opaque to
/// everyone without the key.
/// </summary>
/// <remarks>
/// Never a plain hash: under the DP threat model an attacker knows every row but one, so with a plain SHA-256 they could
/// hash the file once per candidate value of the last row and read that row off the matching hash (privacy-details.md
/// section 8). The HMAC's key is secret, so the fingerprint is a constant to them. The file is streamed: inputs can be
/// gigabytes.
/// </remarks>
public static class InputFingerprint
{
    /// <summary>The algorithm's name in a manifest.</summary>
    public const string Algorithm = "HMAC-SHA-256";

    /// <summary>The lower-case hex HMAC-SHA-256 of the bytes of the file at <paramref name="path"/> under <paramref name="key"/>.</summary>
    /// <exception cref="InputException">The file does not exist, or is not a regular file.</exception>
    public static string Compute(FingerprintKey key, string path)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = RegularFile.OpenRead(path, Messages.WhatCsv, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, stream));
    }
}
