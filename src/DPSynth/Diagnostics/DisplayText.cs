using System.Globalization;
using System.Text;

namespace DPSynth.Diagnostics;

/// <summary>
/// Text read from a file or from the data, made safe to print on an operator's terminal. A cell or a key may hold ESC,
/// BEL, NUL or other control characters; echoed raw they would run terminal escape sequences (clear the screen, retitle
/// the window, hide the rest of a message). Here they are written as visible escapes (<c>\x1b</c>), as are the Unicode
/// characters that reorder or hide text and the spaces that look like a plain space but are not one (a no-break space
/// is <c>\u00a0</c>), and long values are cut.
/// </summary>
/// <remarks>
/// One place for every message that quotes a value: <see cref="Of"/> for a value inside a message, and
/// <see cref="Lines"/> for a whole message at the point where it is printed (a last line of defence that keeps the
/// line breaks of a multi-line message). The result is for reading, not for parsing back: a backslash in the value is
/// shown as it is.
/// </remarks>
public static class DisplayText
{
    /// <summary>How many characters of a cell of the data are shown before it is cut.</summary>
    public const int MaxValueLength = 40;

    /// <summary>How many characters of a name, key or category (from a schema or policy) are shown before it is cut.</summary>
    public const int MaxNameLength = 100;

    /// <summary>How many characters of a path or of a parser's explanation are shown before it is cut.</summary>
    public const int MaxTextLength = 400;

    /// <summary>What marks a cut value.</summary>
    public const string Ellipsis = "...";

    /// <summary>
    /// <paramref name="value"/> with every control or invisible formatting character escaped, cut to
    /// <paramref name="maxLength"/> characters of the original (then <see cref="Ellipsis"/>).
    /// </summary>
    public static string Of(string? value, int maxLength = MaxValueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (value is null)
        {
            return string.Empty;
        }

        var cut = value.Length > maxLength;
        var length = cut && maxLength > 0 && char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : Math.Min(value.Length, maxLength);
        var shown = Escape(value.AsSpan(0, length), keepLineBreaks: false);
        return cut ? shown + Ellipsis : shown;
    }

    /// <summary>A whole message made printable; its line breaks (LF or CRLF) are kept, nothing is cut.</summary>
    public static string Lines(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Escape(message, keepLineBreaks: true);
    }

    private static string Escape(ReadOnlySpan<char> text, bool keepLineBreaks)
    {
        var i = 0;
        while (i < text.Length && IsPlain(text, i, keepLineBreaks))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text.ToString();
        }

        var shown = new StringBuilder(text.Length + 16).Append(text[..i]);
        for (; i < text.Length; i++)
        {
            if (IsPlain(text, i, keepLineBreaks))
            {
                shown.Append(text[i]);
                continue;
            }

            var c = text[i];
            _ = c switch
            {
                '\n' => shown.Append("\\n"),
                '\r' => shown.Append("\\r"),
                '\t' => shown.Append("\\t"),

                // A space other than U+0020 (no-break, thin, ideographic...) as \u escape: \xa0 would read as a byte.
                _ when char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                < '\u0100' => shown.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
        }

        return shown.ToString();
    }

    /// <summary>
    /// True for a character shown as it is: not a control character (C0, DEL, C1), not an invisible format or
    /// bidirectional character, not a line or paragraph separator, not a space other than U+0020 (a no-break space
    /// prints as a plain one, yet a value holding it does not equal the one with a plain space), and not half of a
    /// broken surrogate pair.
    /// </summary>
    private static bool IsPlain(ReadOnlySpan<char> text, int i, bool keepLineBreaks)
    {
        var c = text[i];
        if (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
        {
            return keepLineBreaks; // a line break (LF or CRLF, as Environment.NewLine joins a message's lines)
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i > 0 && char.IsHighSurrogate(text[i - 1]);
        }

        return c == ' ' || char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }
}
