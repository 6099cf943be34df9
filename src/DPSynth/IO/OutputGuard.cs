using DPSynth.Diagnostics;

namespace DPSynth.IO;

/// <summary>
/// Refuses a command whose output would write over one of its own inputs, its budget ledger or the ledger's side
/// files: <c>synth --out</c> equal to <c>--input</c> would replace the private table, equal to <c>--ledger</c> the
/// budget history. Every command that writes a file names what it reads, its ledger and what it writes, then calls
/// <see cref="Check"/> before it charges the ledger or reads a private row, so a refusal costs nothing.
/// </summary>
/// <remarks>
/// Two paths are the same file when they name the same object after every symbolic link is followed, and, where the
/// platform reports it (<see cref="FileNode"/>), when they share a device and inode (hard links, <c>..</c>, links to
/// folders). A path that does not exist yet is named by the nearest existing folder's identity and the rest of the
/// path, so <c>out/../ledger.jsonl.lock</c> and a lock file created later still collide. A ledger brings its side files
/// with it: <c>.lock</c> (the ledger's lock), <c>.hmac-key</c> (the input-fingerprint key) and <c>.head</c> (its
/// anchored head), beside the path given and beside the file a linked ledger points to.
/// </remarks>
public sealed class OutputGuard
{
    /// <summary>The suffixes of the files kept beside a ledger: its lock, its fingerprint key and its anchored head.</summary>
    public static IReadOnlyList<string> LedgerSideFileSuffixes { get; } = [".lock", ".hmac-key", ".head"];

    // A link chain longer than this is a loop; the OS refuses to open it anyway.
    private const int MaxLinks = 40;

    private readonly List<Named> reads = [];
    private readonly List<Named> ledgers = [];
    private readonly List<Named> writes = [];
    private readonly List<(Named File, ExistingFile Existing)> files = [];

    /// <summary>A file the command reads (an input, a schema, a policy, a key or certificate); null is ignored.</summary>
    /// <param name="name">How the user named it (<c>--input</c>, <c>dataset.input</c>).</param>
    /// <param name="path">The path as given.</param>
    public OutputGuard Reads(string name, string? path)
    {
        Add(reads, name, path);
        return this;
    }

    /// <summary>The budget ledger the command charges or reads, with its side files; null is ignored.</summary>
    /// <param name="name">How the user named it (<c>--ledger</c>, <c>privacy.ledger</c>).</param>
    /// <param name="path">The ledger path as given.</param>
    public OutputGuard Ledger(string name, string? path)
    {
        if (path is null)
        {
            return this;
        }

        Add(ledgers, name, path);
        var full = Path.GetFullPath(path);
        var targets = new List<string> { full };
        if (FollowLinks(full) is { } target && target != full)
        {
            targets.Add(target);
        }

        foreach (var suffix in LedgerSideFileSuffixes)
        {
            foreach (var ledger in targets)
            {
                Add(ledgers, Messages.LedgerSideFile(name, suffix), ledger + suffix);
            }
        }

        return this;
    }

    /// <summary>A file or folder the command writes; null is ignored.</summary>
    /// <param name="name">How the user named it (<c>--out</c>, <c>release.output</c>).</param>
    /// <param name="path">The path as given.</param>
    public OutputGuard Writes(string name, string? path)
    {
        Add(writes, name, path);
        return this;
    }

    /// <summary>
    /// A file the command writes (<see cref="Writes"/>), which must not be a folder, and, unless
    /// <paramref name="existing"/> is <see cref="ExistingFile.Replace"/>, must not exist yet (as a file, a folder or a
    /// link, dangling ones included); null is ignored. Whoever writes it passes the same <paramref name="existing"/> to
    /// <see cref="AtomicFile.Write"/>, which checks again as it publishes the file.
    /// </summary>
    /// <param name="name">How the user named it (<c>--out</c>).</param>
    /// <param name="path">The path as given.</param>
    /// <param name="existing">Whether an existing file may be replaced.</param>
    public OutputGuard WritesFile(string name, string? path, ExistingFile existing)
    {
        Add(writes, name, path);
        if (!string.IsNullOrEmpty(path))
        {
            files.Add((new Named(name, path), existing));
        }

        return this;
    }

    /// <summary>
    /// Refuses when an output is the same file as anything read, the ledger or one of its side files, or an earlier
    /// output, and when the ledger is one of the files read; then an output file that is a folder, or that exists and
    /// may not be replaced.
    /// </summary>
    /// <exception cref="InputException">The first refusal, naming the paths.</exception>
    public void Check()
    {
        var identities = new Dictionary<string, string>(StringComparer.Ordinal);
        string Identity(Named named) =>
            identities.TryGetValue(named.Path, out var known) ? known : identities[named.Path] = IdentityOf(named.Path);

        for (var i = 0; i < writes.Count; i++)
        {
            foreach (var other in reads.Concat(ledgers).Concat(writes.Take(i)))
            {
                if (Identity(writes[i]) == Identity(other))
                {
                    throw new InputException(Messages.OutputIsAnotherFile(writes[i].Name, writes[i].Path, other.Name, other.Path));
                }
            }
        }

        foreach (var ledger in ledgers)
        {
            if (reads.FirstOrDefault(r => Identity(r) == Identity(ledger)) is { } read)
            {
                throw new InputException(Messages.OutputIsAnotherFile(ledger.Name, ledger.Path, read.Name, read.Path));
            }
        }

        // After the collisions: "--out is --input" says more than "--out exists".
        foreach (var (file, existing) in files)
        {
            if (Directory.Exists(file.Path))
            {
                throw new InputException(Messages.OutputIsFolder(file.Name, file.Path));
            }

            if (existing == ExistingFile.Refuse && (File.Exists(file.Path) || new FileInfo(file.Path).LinkTarget is not null))
            {
                throw new InputException(Messages.OutputExists(file.Name, file.Path));
            }
        }
    }

    private static void Add(List<Named> list, string name, string? path)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!string.IsNullOrEmpty(path))
        {
            list.Add(new Named(name, path));
        }
    }

    /// <summary>What names the file <paramref name="path"/> would be, now or once created, as a comparable string.</summary>
    private static string IdentityOf(string path)
    {
        var full = FollowLinks(Path.GetFullPath(path)) ?? Path.GetFullPath(path);
        var node = FileNode.Of(full, followLinks: true);
        if (node.HasIdentity)
        {
            return $"inode {node.Device}:{node.Inode}";
        }

        // Not there yet: the nearest folder that exists, by identity, and the names below it.
        var rest = new List<string>();
        for (var current = full; Path.GetDirectoryName(current) is { } parent; current = parent)
        {
            rest.Insert(0, Path.GetFileName(current));
            var folder = FileNode.Of(parent, followLinks: true);
            if (folder.HasIdentity)
            {
                return $"inode {folder.Device}:{folder.Inode}/{string.Join('/', rest)}";
            }
        }

        // No identities on this platform: the full path, ignoring case where file systems usually do.
        return OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? "path " + full.ToUpperInvariant() : "path " + full;
    }

    /// <summary>The final target of a chain of symbolic links at <paramref name="full"/>, also when it does not exist; else null.</summary>
    private static string? FollowLinks(string full)
    {
        string? target = null;
        for (var hops = 0; hops < MaxLinks; hops++)
        {
            string? link;
            try
            {
                link = new FileInfo(target ?? full).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return target; // unreadable: the inode comparison still sees through it when the file exists
            }

            if (link is null)
            {
                return target;
            }

            target = Path.GetFullPath(link, Path.GetDirectoryName(target ?? full)!);
        }

        return target;
    }

    private sealed record Named(string Name, string Path);
}
