using System.Buffers;
using System.Text.Unicode;
using DPSynth.Diagnostics;

namespace DPSynth.IO;

/// <summary>Finds where a file stops being valid UTF-8, to point a user at the exact line and column.</summary>
internal static class Utf8Validation
{
    /// <summary>
    /// The line and column (1-based, in characters) of the first invalid UTF-8 sequence in <paramref name="path"/>, or
    /// the bare file when none is found (the file changed since it was read).
    /// </summary>
    public static SourceLocation FindFirstInvalid(string path)
    {
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        long line = 1;
        long column = 1;
        var pending = 0;
        using var stream = RegularFile.OpenRead(path, Messages.WhatCsv);
        while (true)
        {
            var read = stream.Read(bytes, pending, bytes.Length - pending);
            var available = pending + read;
            var final = read == 0;
            var status = Utf8.ToUtf16(
                bytes.AsSpan(0, available), chars, out var consumed, out var written, replaceInvalidSequences: false, isFinalBlock: final);
            foreach (var ch in chars.AsSpan(0, written))
            {
                (line, column) = ch == '\n' ? (line + 1, 1) : (line, column + 1);
            }

            if (status == OperationStatus.InvalidData)
            {
                return new SourceLocation(path, line, column);
            }

            if (final)
            {
                return new SourceLocation(path);
            }

            // Keep an incomplete sequence at the end of the block for the next read.
            pending = available - consumed;
            bytes.AsSpan(consumed, pending).CopyTo(bytes);
        }
    }
}
