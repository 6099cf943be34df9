using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// How a typed source column (Parquet, DuckDB, PostgreSQL) is read, so that every source gives the same codes
/// (docs/sources.md). Text is read as a CSV field; integers, booleans and dates as their canonical text (<c>-5</c>,
/// <c>true</c>, <c>2024-01-31</c>), which every engine writes the same way; floating-point values feed a continuous
/// column as numbers (their text differs between engines, so no other column may read them). A null is missing.
/// </summary>
public enum SourceColumnType
{
    /// <summary>Strings: read exactly as a CSV field.</summary>
    Text,

    /// <summary>Signed or unsigned integers of any width: read as their decimal text.</summary>
    Integer,

    /// <summary>Booleans: read as <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Calendar dates: read as <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>32- or 64-bit floating point: only a continuous column reads them, as numbers.</summary>
    Floating,

    /// <summary>Anything else (decimal, timestamp, binary, nested): refused.</summary>
    Unsupported,
}

/// <summary>Which schema columns a source column type can feed.</summary>
public static class SourceColumnTypes
{
    /// <summary>
    /// Null when a source column of type <paramref name="type"/> can feed <paramref name="column"/> identically in every
    /// source; otherwise why not, as a message naming both.
    /// </summary>
    public static string? Refusal(ColumnSpec column, SourceColumnType type, string typeName)
    {
        ArgumentNullException.ThrowIfNull(column);
        return type switch
        {
            SourceColumnType.Unsupported => Diagnostics.Messages.SourceTypeUnsupported(column.Name, typeName),
            SourceColumnType.Floating when column.Kind != ColumnKind.Continuous =>
                Diagnostics.Messages.SourceFloatingNotContinuous(column.Name, typeName),
            SourceColumnType.Date when column is DateColumnSpec { Format: not DateColumnSpec.DefaultFormat } =>
                Diagnostics.Messages.SourceDateFormat(column.Name, typeName),
            _ => null,
        };
    }
}
