using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>Writes synthetic rows as Parquet when the path ends in <c>.parquet</c>, and as CSV otherwise.</summary>
public static class SyntheticFile
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> atomically, in the format its name asks for.</summary>
    public static void Write(string path, TableSchema schema, EncodedTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (ParquetEncoder.IsParquet(path))
        {
            ParquetDecoder.WriteFile(path, schema, table, random);
        }
        else
        {
            CsvDecoder.WriteFile(path, schema, table, random);
        }
    }
}
