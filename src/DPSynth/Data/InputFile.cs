using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// A CSV or Parquet input file (Parquet by its extension, <see cref="ParquetEncoder.IsParquet"/>): its public shape
/// checked, or its rows encoded, with the rules of the format's encoder.
/// </summary>
internal static class InputFile
{
    /// <summary>
    /// Checks the columns the file declares (a CSV header, a Parquet footer) against the schema without reading a row:
    /// neither is a record, so a dry run and the checks before a charge may read them.
    /// </summary>
    /// <exception cref="Diagnostics.InputException">The file cannot be opened as its format, or a schema column is absent or cannot be fed.</exception>
    public static void CheckColumns(string path, TableSchema schema)
    {
        if (ParquetEncoder.IsParquet(path))
        {
            ParquetEncoder.CheckColumns(path, schema);
        }
        else
        {
            CsvEncoder.CheckHeader(path, schema);
        }
    }

    /// <summary>Encodes every row of the file (reads the private rows).</summary>
    /// <exception cref="Diagnostics.InputException">As the format's encoder.</exception>
    public static CsvEncodeResult Encode(string path, TableSchema schema) =>
        ParquetEncoder.IsParquet(path) ? ParquetEncoder.EncodeFile(path, schema) : CsvEncoder.EncodeFile(path, schema);
}
