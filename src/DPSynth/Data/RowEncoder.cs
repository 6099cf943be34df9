using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// Maps the fields of one row to codes under a <see cref="TableSchema"/>, whatever file they come from (CSV text,
/// Parquet values), and counts what happened. One encoding for every reader, so a CSV and a Parquet copy of a table
/// give the same codes; the SQL sources compute the same rules in SQL (<c>Marginals/Sql</c>, docs/sources.md).
/// </summary>
/// <remarks>
/// A field is trimmed when <see cref="CsvOptions.Trim"/> says so, then compared with the missing tokens: in a nullable
/// column it goes to the missing cell, otherwise it is outside the domain. A null (a Parquet null) is missing whatever
/// the tokens are. A value outside the domain goes to the "other" cell when the column has one, drops the row under
/// <c>drop</c>, and is a bad row otherwise.
/// </remarks>
internal sealed class RowEncoder
{
    private readonly TableSchema schema;
    private readonly ColumnSpec[] columns;
    private readonly string[] missing;
    private readonly ulong missingLengths;

    /// <summary>An encoder for <paramref name="schema"/>'s columns.</summary>
    public RowEncoder(TableSchema schema)
    {
        this.schema = schema;
        columns = [.. schema.Columns];
        missing = [.. schema.MissingTokens];
        missingLengths = LengthMask(schema.MissingTokens);
        Codes = new int[columns.Length];
    }

    /// <summary>The codes of the current row, one per schema column.</summary>
    public int[] Codes { get; }

    /// <summary>Values moved to a bound under <c>clamp</c>.</summary>
    public long Clamped { get; private set; }

    /// <summary>Values encoded to an "other" cell.</summary>
    public long ToOther { get; private set; }

    /// <summary>Encodes a text field into <see cref="Codes"/>[<paramref name="column"/>].</summary>
    public FieldOutcome Text(int column, ReadOnlySpan<char> raw)
    {
        var text = schema.Csv.Trim ? raw.Trim() : raw;
        return IsMissing(text) ? Missing(column) : Outcome(column, columns[column].EncodeValue(text, out var code), code);
    }

    /// <summary>Encodes a missing value (a missing token, or a null) into <see cref="Codes"/>[<paramref name="column"/>].</summary>
    public FieldOutcome Missing(int column)
    {
        var spec = columns[column];
        return Outcome(column, spec.Nullable ? FieldStatus.Ok : FieldStatus.OutOfDomain, spec.MissingCode);
    }

    /// <summary>
    /// Encodes a floating-point value of a continuous column (a Parquet <c>double</c>); any other column cannot read
    /// one identically in every source, so readers refuse such a pairing before reading values.
    /// </summary>
    public FieldOutcome Number(int column, double value) =>
        columns[column] is NumericColumnSpec { Kind: ColumnKind.Continuous } numeric
            ? Outcome(column, numeric.EncodeNumber(value, out var code), code)
            : throw new InvalidOperationException($"Column '{columns[column].Name}' is not continuous.");

    private FieldOutcome Outcome(int column, FieldStatus status, int code)
    {
        var spec = columns[column];
        switch (status)
        {
            case FieldStatus.Ok:
                break;
            case FieldStatus.Clamped:
                Clamped++;
                break;
            case FieldStatus.OutOfDomain when spec.HasOtherCell:
                code = spec.OtherCode;
                ToOther++;
                break;
            case FieldStatus.OutOfDomain when spec.OnOutOfDomain == OutOfDomainAction.Drop:
                return FieldOutcome.Dropped;
            case FieldStatus.OutOfDomain:
                return FieldOutcome.OutOfDomain;
            default:
                return FieldOutcome.Unparsable;
        }

        Codes[column] = code;
        return FieldOutcome.Ok;
    }

    /// <summary>
    /// Why field <paramref name="raw"/> of <paramref name="column"/> is not a value, for a field <see cref="Text"/> found
    /// unparsable: a number a double cannot hold, white space that <c>trim: true</c> would have removed, or a text that is
    /// not of the column's type. Private value: operator console only.
    /// </summary>
    public string Unparsable(int column, string raw)
    {
        var spec = columns[column];
        var type = CsvEncoder.TypeName(spec.Kind);
        var text = schema.Csv.Trim ? raw.AsSpan().Trim() : raw.AsSpan();
        if (spec.EncodeValue(text, out _) == FieldStatus.Inexact)
        {
            return Messages.ValueNotExact(raw, type);
        }

        // Only without trim can white space remain; say so when it is all that stands between the field and a value.
        var trimmed = text.Trim();
        return trimmed.Length != text.Length && spec.EncodeValue(trimmed, out _) is FieldStatus.Ok or FieldStatus.Clamped or FieldStatus.OutOfDomain
            ? Messages.ValueNotTrimmed(raw, type)
            : CsvEncoder.Unparsable(raw, spec);
    }

    /// <summary>Bit <c>n</c> is set when some token has length <c>n</c>; bit 63 stands for every length from 63 up.</summary>
    private static ulong LengthMask(IEnumerable<string> tokens)
    {
        var mask = 0UL;
        foreach (var token in tokens)
        {
            mask |= 1UL << Math.Min(token.Length, 63);
        }

        return mask;
    }

    private bool IsMissing(ReadOnlySpan<char> text)
    {
        // Most fields are longer than any missing token: one mask test instead of a comparison per token.
        if ((missingLengths & (1UL << Math.Min(text.Length, 63))) == 0)
        {
            return false;
        }

        foreach (var token in missing)
        {
            if (text.SequenceEqual(token))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What became of one field.</summary>
internal enum FieldOutcome
{
    /// <summary>The field has its code (possibly clamped or "other").</summary>
    Ok,

    /// <summary>The value is outside the domain and the column drops the row.</summary>
    Dropped,

    /// <summary>The value is outside the domain and nothing maps it: a bad row.</summary>
    OutOfDomain,

    /// <summary>The text is not a value of the column's type: a bad row.</summary>
    Unparsable,
}
