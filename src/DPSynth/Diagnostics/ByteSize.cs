using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Memory sizes as the operator writes and reads them: <c>8GB</c>, <c>512MiB</c>, <c>1.5TB</c> in, <c>7.61 GB</c> out.
/// KB, MB, GB and TB are powers of 1000 and KiB, MiB, GiB and TiB powers of 1024; a bare number is refused, because
/// MB-or-bytes is exactly the guess a memory limit must not make.
/// </summary>
public static class ByteSize
{
    private static readonly (string Suffix, double Factor)[] Units =
    [
        ("KiB", 1024.0), ("MiB", 1024.0 * 1024), ("GiB", 1024.0 * 1024 * 1024), ("TiB", 1024.0 * 1024 * 1024 * 1024),
        ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
    ];

    /// <summary>Parses a positive size with a unit; <paramref name="name"/> names the option or key in the error.</summary>
    /// <exception cref="InputException">No unit, an unknown unit, or not a finite number of at least one byte.</exception>
    public static long Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var (suffix, factor) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value > 0 && double.IsFinite(value) && value * factor >= 1 && value * factor < long.MaxValue)
            {
                // At least one byte: a size that rounds to none (1e-30B, 0.5B) is no limit the operator can have meant.
                return (long)(value * factor);
            }
        }

        throw new InputException(Messages.PreflightBadSize(name, text));
    }

    /// <summary>A size for the console: <c>163 MB</c>, <c>7.61 GB</c> (powers of 1000, three significant digits), <c>512 B</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        // A saturated count (a domain beyond any machine): its digits would read as a real figure.
        long.MaxValue => "more than any machine holds (over 9.2 billion GB)",
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
