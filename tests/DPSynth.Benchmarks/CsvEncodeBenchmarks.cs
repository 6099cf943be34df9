using BenchmarkDotNet.Attributes;
using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Benchmarks;

/// <summary>CSV parse + encode (issue 2): the Adult training CSV and a generated 1,000,000 x 15 file.</summary>
[MemoryDiagnoser]
public class CsvEncodeBenchmarks
{
    private GeneratedCsv? generated;
    private TableSchema? adultSchema;

    /// <summary>Rows of the generated file.</summary>
    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>Writes the generated file and drafts the Adult schema (not timed).</summary>
    [GlobalSetup]
    public void Setup()
    {
        generated = new GeneratedCsv(Rows);
        if (BenchmarkData.AdultTrain is { } adult)
        {
            adultSchema = BenchmarkData.AdultSchema(adult);
        }
    }

    /// <summary>Deletes the generated file.</summary>
    [GlobalCleanup]
    public void Cleanup() => generated?.Dispose();

    /// <summary>Encodes adult-train.csv (32,561 rows); 0 when ../shared/data is absent.</summary>
    [Benchmark]
    public int AdultTrain() =>
        adultSchema is null ? 0 : CsvEncoder.EncodeFile(BenchmarkData.AdultTrain!, adultSchema).Table.RowCount;

    /// <summary>Encodes the generated file.</summary>
    [Benchmark]
    public int Generated() => CsvEncoder.EncodeFile(generated!.Path, GeneratedCsv.Schema).Table.RowCount;
}
