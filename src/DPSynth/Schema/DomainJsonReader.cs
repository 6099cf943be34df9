using System.Text;
using System.Text.Json;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Schema;

/// <summary>
/// Builds a schema from a Private-PGM style domain JSON (<c>{"age": 85, "sex": 2, ...}</c>: attribute to size), so
/// the coded <c>../shared/data/adult</c> files encode as they are.
/// </summary>
/// <remarks>
/// Each attribute becomes an integer column with <c>min 0</c>, <c>max size-1</c> and one cell per value; no missing or
/// other cells; the CSV has a header; a value outside <c>0..size-1</c> or a non-integer field is a bad row, and bad
/// rows fail (the coded files are clean, so a bad value means the wrong file).
/// </remarks>
public static class DomainJsonReader
{
    /// <summary>Reads the domain JSON file at <paramref name="path"/>.</summary>
    public static LoadResult<TableSchema> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAllBytes(path, Messages.WhatSchema);
        }
        catch (InputException ex)
        {
            return LoadResult<TableSchema>.Failure([new Diagnostic(new SourceLocation(path), ex.Message)]);
        }

        return Read(bytes, path);
    }

    /// <summary>Reads a domain JSON document; <paramref name="file"/> names it in diagnostics.</summary>
    public static LoadResult<TableSchema> Read(ReadOnlySpan<byte> json, string file)
    {
        var diagnostics = new List<Diagnostic>();
        var columns = new List<ColumnSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                diagnostics.Add(new Diagnostic(At(json, file, reader.TokenStartIndex, null), Messages.DomainJsonNotAnObject));
                return LoadResult<TableSchema>.Failure(diagnostics);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString() ?? string.Empty;
                var nameAt = At(json, file, reader.TokenStartIndex, name);
                reader.Read();
                var valueAt = At(json, file, reader.TokenStartIndex, name);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                if (name.Length == 0 || !names.Add(name))
                {
                    diagnostics.Add(new Diagnostic(nameAt, name.Length == 0 ? Messages.ColumnWithoutName : Messages.DuplicateColumn(name, 0)));
                }
                else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var size)
                         || size < 1 || size > Domain.MaxAttributeSize)
                {
                    diagnostics.Add(new Diagnostic(valueAt, Messages.DomainSizeInvalid(name, Domain.MaxAttributeSize)));
                }
                else
                {
                    columns.Add(new NumericColumnSpec(name, false, OutOfDomainAction.Fail, Binning.PerInteger(0, size - 1)));
                }
            }

            // The loop stops at the end of the first object; anything after it (a second object, stray text) would be
            // ignored, and its columns would vanish from the release. Reading on to the end throws a located syntax
            // error for any such content (one top-level value is the reader's default) and skips white space and
            // comments; the check below only guards that default.
            if (reader.Read())
            {
                diagnostics.Add(new Diagnostic(At(json, file, reader.TokenStartIndex, null), Messages.JsonTrailingContent));
            }

            if (columns.Count == 0 && diagnostics.Count == 0)
            {
                diagnostics.Add(new Diagnostic(new SourceLocation(file, 1, 1), Messages.SchemaHasNoColumns));
            }
        }
        catch (JsonException ex)
        {
            // Line and byte position are 0-based in System.Text.Json.
            diagnostics.Add(new Diagnostic(
                new SourceLocation(file, (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1), Messages.JsonSyntax(ex.Message)));
        }

        return diagnostics.Count > 0
            ? LoadResult<TableSchema>.Failure(diagnostics)
            : LoadResult<TableSchema>.Success(new TableSchema(columns, [], CsvOptions.Default));
    }

    private static SourceLocation At(ReadOnlySpan<byte> json, string file, long offset, string? key)
    {
        var before = json[..(int)Math.Min(offset, json.Length)];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return new SourceLocation(file, line, column, key);
    }
}
