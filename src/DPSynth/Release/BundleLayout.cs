using System.Collections.Immutable;

namespace DPSynth.Release;

/// <summary>
/// The fixed names of a release bundle folder and the rule every other file name follows (docs/release.md): a bundle
/// is one flat folder holding <see cref="ManifestFileName"/>, <see cref="SignatureFileName"/> and the files the manifest
/// lists, nothing else.
/// </summary>
public static class BundleLayout
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The detached CMS signature over the manifest's bytes.</summary>
    public const string SignatureFileName = "manifest.p7s";

    /// <summary>The synthetic rows (CSV), which every bundle holds.</summary>
    public const string SyntheticFileName = "synthetic.csv";

    /// <summary>The public report, which every bundle holds.</summary>
    public const string PublicReportFileName = "report.html";

    /// <summary>
    /// The files every bundle holds besides the manifest and its signature (docs/release.md, "Layout"): a manifest whose
    /// <c>files</c> omits one of them describes no release, so the writer refuses it and verification fails.
    /// </summary>
    public static ImmutableArray<string> RequiredFileNames { get; } = [PublicReportFileName, SyntheticFileName];

    /// <summary>
    /// The release bundle that holds <paramref name="path"/> (its folder, absolute), or null: a folder with a
    /// <c>manifest.json</c> or a <c>manifest.p7s</c> in it is a bundle, verified or not.
    /// </summary>
    public static string? BundleHolding(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.Exists(Path.Combine(folder, ManifestFileName)) || Path.Exists(Path.Combine(folder, SignatureFileName))
            ? folder
            : null;
    }

    /// <summary>The required files (<see cref="RequiredFileNames"/>) missing from <paramref name="names"/>, in order.</summary>
    internal static IReadOnlyList<string> MissingRequired(IEnumerable<string> names)
    {
        var present = names.ToHashSet(StringComparer.Ordinal);
        return [.. RequiredFileNames.Where(n => !present.Contains(n))];
    }

    /// <summary>
    /// True when <paramref name="name"/> is a plain file name that is safe on every platform: not empty, at most 255
    /// characters, no path separator or other character Windows or Unix treat specially (<c>&lt;&gt;:"/\|?*</c>, control
    /// characters), not starting with a dot (no <c>..</c>, no hidden files), not ending with a dot or a space.
    /// </summary>
    public static bool IsSafeFileName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 255 || name[0] == '.' || name[^1] is '.' or ' ')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for the two names the bundle itself owns (compared ignoring case, for case-insensitive file systems).</summary>
    internal static bool IsReserved(string name) =>
        string.Equals(name, ManifestFileName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, SignatureFileName, StringComparison.OrdinalIgnoreCase);
}
