using DPSynth.IO;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>Writes synthetic rows as Parquet when the path ends in <c>.parquet</c>, and as CSV otherwise.</summary>
public static class SyntheticFile
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> atomically, in the format its name asks for.</summary>
    public static void Write(string path, TableSchema schema, EncodedTable table, Random random) =>
        Write(path, schema, CsvDecoder.OneChunk(schema, table, random), random);

    /// <summary>
    /// Writes the rows of <paramref name="chunks"/>, in order, to <paramref name="path"/> atomically, in the format its
    /// name asks for, holding one chunk at a time (each is drawn as it is enumerated). <paramref name="existing"/> says
    /// whether a file already at <paramref name="path"/> is replaced (<see cref="AtomicFile.Write"/>).
    /// </summary>
    /// <returns>The rows written.</returns>
    public static long Write(
        string path, TableSchema schema, IEnumerable<EncodedTable> chunks, Random random, ExistingFile existing = ExistingFile.Replace)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParquetEncoder.IsParquet(path)
            ? ParquetDecoder.WriteFile(path, schema, chunks, random, existing)
            : CsvDecoder.WriteFile(path, schema, chunks, random, existing);
    }
}
