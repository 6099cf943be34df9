using System.Text;
using DPSynth.Data;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Tests.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.IO;

/// <summary>
/// CSV input is strict UTF-8, as the docs promise (audit: a UTF-16 file with its byte-order mark was read, and a gzip
/// or Parquet file given as CSV was refused as "not valid UTF-8" at 1:2 or 1:8, naming the symptom, not the cause).
/// </summary>
public sealed class FileSignatureTests
{
    private const string Schema = "columns:\n  - { name: age, type: integer, min: 0, max: 9 }\n  - { name: city, type: categorical, categories: [Paris] }\n";

    private const string Text = "age,city\n1,Paris\n";

    public static TheoryData<string, byte[]> OtherEncodings => new()
    {
        { "UTF-16 little-endian", [.. new UnicodeEncoding(false, true).GetPreamble(), .. new UnicodeEncoding(false, true).GetBytes(Text)] },
        { "UTF-16 big-endian", [.. new UnicodeEncoding(true, true).GetPreamble(), .. new UnicodeEncoding(true, true).GetBytes(Text)] },
        { "UTF-32 little-endian", [.. new UTF32Encoding(false, true).GetPreamble(), .. new UTF32Encoding(false, true).GetBytes(Text)] },
        { "UTF-32 big-endian", [.. new UTF32Encoding(true, true).GetPreamble(), .. new UTF32Encoding(true, true).GetBytes(Text)] },
    };

    private static InputException Refused(byte[] bytes, string name = "data.csv")
    {
        using var dir = new TempDirectory();
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InputException>(() => CsvEncoder.EncodeFile(path, TestSchemas.Parse(Schema)));
        Assert.Equal(new SourceLocation(path), ex.Location);

        // Schema inference reads the same way.
        var inferred = Assert.Throws<InputException>(() => SchemaInference.DraftYaml(path));
        Assert.Equal(ex.Message, inferred.Message);
        return ex;
    }

    [Theory]
    [MemberData(nameof(OtherEncodings))]
    public void AFileInAnotherUnicodeEncodingIsRefusedByName(string encoding, byte[] bytes)
    {
        var ex = Refused(bytes);

        Assert.Contains($"the file is {encoding} text", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGzipFileIsNamedAsOne()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Text));
        }

        var ex = Refused(buffer.ToArray());

        Assert.Contains("this looks like a gzip file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AParquetFileNamedAsCsvIsNamedAsOneWithTheReason()
    {
        using var dir = new TempDirectory();
        var parquet = dir.File("t.parquet");
        DPSynth.Tests.Marginals.MessyTable.WriteTextParquet(parquet, ["age", "city"], [["1", "Paris"]]);

        var ex = Refused(File.ReadAllBytes(parquet));

        Assert.Contains("this looks like a Parquet file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("name ending in .parquet or .parq", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AUtf8ByteOrderMarkAndPlainTextPass()
    {
        Assert.Null(FileSignature.NotUtf8Text([0xEF, 0xBB, 0xBF, (byte)'a']));
        Assert.Null(FileSignature.NotUtf8Text("age,"u8));
        Assert.Null(FileSignature.NotUtf8Text([]));
        Assert.Null(FileSignature.NotUtf8Text([0xFF]));
    }

    [Fact]
    public void AFileShorterThanASignatureIsReadAsText()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("short.csv", "a\n");

        var ex = Assert.Throws<InputException>(() => CsvEncoder.EncodeFile(path, TestSchemas.Parse("columns:\n  - { name: a, type: integer, min: 0, max: 9 }\n")));

        Assert.Contains("a header but no data rows", ex.Message, StringComparison.Ordinal);
    }
}
