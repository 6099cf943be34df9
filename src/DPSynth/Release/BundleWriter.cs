using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DPSynth.Diagnostics;

namespace DPSynth.Release;

/// <summary>
/// Writes a signed release bundle folder atomically (docs/release.md): either the complete folder appears under its
/// final name, or nothing does.
/// </summary>
/// <remarks>
/// Steps: check everything that can be checked before writing (names, the manifest's rules, the certificate, an
/// existing target, insecure noise); create <c>.&lt;name&gt;.tmp-&lt;guid&gt;</c> in the same parent (same volume, so
/// the final rename is atomic), locked for this writer's lifetime (<see cref="StagingFolder"/>); write each file through
/// its <see cref="BundleFile"/>, flushed to disk; hash each file as written on disk (SHA-256, size); write
/// <c>manifest.json</c> with <see cref="ReleaseManifest.Files"/> (sorted by name) and <see cref="ReleaseManifest.Signer"/>
/// set; write <c>manifest.p7s</c> (<see cref="ManifestSigner"/>, signed at <see cref="ReleaseManifest.Created"/>); set every
/// file's and the folder's times to <see cref="ReleaseManifest.Created"/>; rename the folder to
/// <c>&lt;parent&gt;/&lt;name&gt;</c>. Any failure deletes the temporary folder and rethrows. Before it
/// starts, it removes the temporary folders of writers killed mid-write, never one whose writer is still at work.
/// </remarks>
public static class BundleWriter
{
    /// <summary>Test hook: milliseconds to sleep after each file of a bundle is written (to kill a writer mid-write).</summary>
    public const string PauseMidWriteVariable = "DPSYNTH_TEST_PAUSE_MID_BUNDLE_MS";

    /// <summary>The line the test hook prints before it sleeps.</summary>
    public const string PausedMidWrite = "paused while writing a bundle";

    /// <summary>Writes the bundle <paramref name="name"/> under <paramref name="parentDirectory"/> and returns it.</summary>
    /// <param name="parentDirectory">The folder that receives the bundle folder (created if missing).</param>
    /// <param name="name">The bundle folder's name (a safe plain name; e.g. the run id).</param>
    /// <param name="manifest">
    /// Everything but <see cref="ReleaseManifest.Signer"/> and <see cref="ReleaseManifest.Files"/>, which are ignored and set here.
    /// Its <see cref="ReleaseManifest.Created"/> (whole seconds; see <see cref="ReleaseTime"/>) is also the signing time.
    /// </param>
    /// <param name="files">
    /// The files of the bundle, with distinct names (compared ignoring case), including every one of
    /// <see cref="BundleLayout.RequiredFileNames"/>.
    /// </param>
    /// <param name="signingCertificate">The certificate, with its private key, that signs the manifest.</param>
    /// <exception cref="ArgumentException">
    /// A name is unsafe or repeated, a required file is missing, or the manifest breaks a rule of docs/release.md.
    /// </exception>
    /// <exception cref="InputException">
    /// The bundle folder exists already, the manifest records insecure noise (NOT PRIVATE: never signed), or the
    /// certificate has no private key or is not valid now.
    /// </exception>
    public static WrittenBundle Write(
        string parentDirectory,
        string name,
        ReleaseManifest manifest,
        IReadOnlyList<BundleFile> files,
        X509Certificate2 signingCertificate)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentDirectory);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(signingCertificate);
        if (!BundleLayout.IsSafeFileName(name))
        {
            throw new ArgumentException(Messages.BundleUnsafeFileName(name), nameof(name));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file, nameof(files));
            if (!names.Add(file.Name))
            {
                throw new ArgumentException(Messages.BundleDuplicateFileName(file.Name), nameof(files));
            }
        }

        if (manifest.Privacy?.InsecureNoise == true)
        {
            throw new InputException(Messages.BundleInsecureNoise);
        }

        if (!ReleaseTime.IsWholeSeconds(manifest.Created))
        {
            // The signature states whole seconds: the bundle's two copies of its time would differ.
            throw new ArgumentException(Messages.BundleTimeNotWholeSeconds, nameof(manifest));
        }

        SigningCertificate.EnsureUsable(signingCertificate, DateTime.UtcNow);
        SigningCertificate.EnsureUsable(signingCertificate, manifest.Created.UtcDateTime);
        var signer = new ManifestSignerCertificate(SigningCertificate.Sha256(signingCertificate));

        // The manifest's rules are checked before anything is written (an input can take minutes to copy).
        var problems = ManifestJson.Validate(manifest with { Signer = signer, Files = [] });
        if (problems.Count > 0)
        {
            throw new ArgumentException(Messages.ManifestInvalid(problems.Select(p => $"{p.Key}: {p.Message}")), nameof(manifest));
        }

        if (BundleLayout.MissingRequired(names) is { Count: > 0 } missing)
        {
            // Verification fails a bundle without them: never sign one.
            throw new ArgumentException(Messages.BundleRequiredFilesMissing(BundleLayout.RequiredFileNames, missing), nameof(files));
        }

        var parent = Path.GetFullPath(parentDirectory);
        var final = Path.Combine(parent, name);
        if (Directory.Exists(final) || File.Exists(final))
        {
            throw new InputException(Messages.BundleExists(final));
        }

        Directory.CreateDirectory(parent);
        StagingFolder.RemoveStale(parent);
        using var staging = StagingFolder.Create(parent, name);
        var temp = staging.Path;
        var listed = ImmutableArray.CreateBuilder<ManifestFile>(files.Count);
        foreach (var file in files)
        {
            var path = Path.Combine(temp, file.Name);
            WriteNew(path, file.WriteTo);
            listed.Add(Describe(file.Name, path));
            PauseForTests();
        }

        var complete = manifest with
        {
            Signer = signer,
            Files = [.. listed.OrderBy(f => f.Name, StringComparer.Ordinal)],
        };
        var bytes = ManifestJson.Write(complete);
        WriteNew(Path.Combine(temp, BundleLayout.ManifestFileName), s => s.Write(bytes));
        var signature = ManifestSigner.Sign(bytes, signingCertificate, complete.Created);
        WriteNew(Path.Combine(temp, BundleLayout.SignatureFileName), s => s.Write(signature));
        StampTimes(temp, complete.Created);
        staging.Publish(final);
        return new WrittenBundle(final, complete);
    }

    /// <summary>The size and SHA-256 of a file as it is on disk.</summary>
    internal static ManifestFile Describe(string name, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new ManifestFile(name, stream.Length, hash);
    }

    /// <summary>
    /// Gives every file of the folder, then the folder itself, the bundle's one time (<paramref name="created"/>) as its
    /// modification, access and (where the platform keeps one) creation time. Their real times would say when the run
    /// finished, and how long it ran grows with the number of private rows: an uncharged function of the data
    /// (docs/release.md, "Time"). The folder comes last: stamping a file's times does not change its folder's.
    /// </summary>
    private static void StampTimes(string folder, DateTimeOffset created)
    {
        var time = created.UtcDateTime;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            Stamp(new FileInfo(file), time);
        }

        Stamp(new DirectoryInfo(folder), time);
    }

    private static void Stamp(FileSystemInfo entry, DateTime time)
    {
        // Creation first: where a file system keeps no settable creation time, .NET sets it through the modification time.
        entry.CreationTimeUtc = time;
        entry.LastAccessTimeUtc = time;
        entry.LastWriteTimeUtc = time;
    }

    private static void WriteNew(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Test hook: lets a test kill the writer mid-write, which leaves its staging folder behind.</summary>
    private static void PauseForTests()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(PauseMidWriteVariable), CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            Console.Error.WriteLine(Messages.BundleFaultInjectionActive(PauseMidWriteVariable, ms));
            Console.Error.WriteLine(PausedMidWrite);
            Console.Error.Flush();
            Thread.Sleep(ms);
        }
    }
}
