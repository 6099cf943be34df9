using DPSynth.Diagnostics;

namespace DPSynth.IO;

/// <summary>
/// The first bytes of a file meant to be UTF-8 text (a CSV), checked for what such a file often turns out to be: text
/// in another Unicode encoding (told by its byte-order mark), a gzip archive or a Parquet file. Decoded as UTF-8 these
/// fail on their first bytes with a message that names the symptom (invalid UTF-8 at 1:2), not the cause.
/// </summary>
internal static class FileSignature
{
    /// <summary>How many bytes <see cref="NotUtf8Text"/> needs (fewer are read from a shorter file).</summary>
    public const int Length = 4;

    /// <summary>
    /// Why a file starting with <paramref name="head"/> is not UTF-8 text, or null when its start does not say.
    /// UTF-32 marks are tested before UTF-16 ones, whose bytes they begin with.
    /// </summary>
    public static string? NotUtf8Text(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => Messages.CsvNotUtf8Encoding("UTF-32 little-endian"),
        [0x00, 0x00, 0xFE, 0xFF, ..] => Messages.CsvNotUtf8Encoding("UTF-32 big-endian"),
        [0xFF, 0xFE, ..] => Messages.CsvNotUtf8Encoding("UTF-16 little-endian"),
        [0xFE, 0xFF, ..] => Messages.CsvNotUtf8Encoding("UTF-16 big-endian"),
        [0x1F, 0x8B, ..] => Messages.CsvLooksGzip,
        [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..] => Messages.CsvLooksParquet,
        _ => null,
    };
}
