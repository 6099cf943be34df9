using System.Text;
using DPSynth.Data;
using DPSynth.Privacy;
using DPSynth.Release;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// MST's rare-value merge when every column drops at most one value (issue 14): the compressed domain then has the
/// original sizes, but the codes are moved, so every consumer must still decode through the map.
/// </summary>
/// <remarks>
/// The noise is the insecure seeded kind, so the fit is the same on every run. At epsilon 1 the 1-way sigma is about 14
/// and the merge threshold about 42: Red (no row) is dropped whatever the seed, Green and Blue (thousands of rows)
/// are kept, and shape has nothing to drop. Red is code 0, not the last code, so the merged cell moves it.
/// </remarks>
public sealed class MstRecodingTests
{
    private const string SchemaText = """
        columns:
          - { name: color, type: categorical, categories: [Red, Green, Blue] }
          - { name: shape, type: categorical, categories: [Round, Square] }
        """;

    private const int Green = 4970;
    private const int Blue = 2030;

    // Wide enough for the noise and the sampler (the counts' own sd is below 60), far below the 4970 a mislabelling moves.
    private const int Tolerance = 400;

    private static readonly SchemaSource Source = new("yaml", SchemaText, "colors.yaml");
    private static readonly TableSchema Schema = Source.Parse();

    private static SynthesisResult Fit()
    {
        var csv = new StringBuilder("color,shape\n");
        for (var i = 0; i < Green + Blue; i++)
        {
            csv.Append(i < Green ? "Green" : "Blue").Append(i % 3 == 0 ? ",Square\n" : ",Round\n");
        }

        var table = CsvEncoder.Encode(new StringReader(csv.ToString()), "colors.csv", Schema).Table;
        var accountant = ZcdpAccountant.InsecureDeterministic(SynthesisBudget.FromEpsilonDelta(1, 1e-9), seed: 14);
        return new Mst(Schema.Domain).Fit(table, accountant);
    }

    private static int[] ColorCounts(EncodedTable rows)
    {
        var counts = new int[3];
        for (var r = 0; r < rows.RowCount; r++)
        {
            counts[rows[r, 0]]++;
        }

        return counts;
    }

    private static void AssertEachValueKeepsItsCount(EncodedTable rows)
    {
        var counts = ColorCounts(rows);
        Assert.True(counts[0] < Tolerance, $"Red: {counts[0]} rows, but the input has none");
        Assert.InRange(counts[1], Green - Tolerance, Green + Tolerance);
        Assert.InRange(counts[2], Blue - Tolerance, Blue + Tolerance);
    }

    [Fact]
    public void DroppingOneValueThatIsNotTheLastCodeKeepsTheRecodingMap()
    {
        var result = Fit();

        Assert.NotNull(result.Compression);
        Assert.Equal([0], result.Compression!.DroppedValues(0).ToArray());
        Assert.Empty(result.Compression.DroppedValues(1));
        Assert.Equal(Schema.Domain.Sizes.ToArray(), result.Compression.Compressed.Sizes.ToArray());
        AssertEachValueKeepsItsCount(result.Sample(new Random(5), Green + Blue));
    }

    [Fact]
    public void TheSavedModelAndTheReportDecodeThroughTheSameMap()
    {
        using var dir = new TempDirectory();
        var result = Fit();
        var path = dir.File("colors.dpsm");
        ModelFile.Save(path, Source, result);

        var loaded = ModelFile.Load(path).Result;

        Assert.NotNull(loaded.Compression);
        AssertEachValueKeepsItsCount(loaded.Sample(new Random(5), Green + Blue));

        // The report labels the 1-way cells as measured: the kept values in order, then the merged cell.
        var oneWay = ReportMeasurement.Of(Schema, result).First(m => m.Columns.SequenceEqual(["color"]));
        Assert.Equal(["Green", "Blue", "merged (1): Red"], oneWay.Labels[0].ToArray());
    }

    [Fact]
    public void TheSynthesizedCsvHasEachValuesCount()
    {
        var result = Fit();
        using var writer = new StringWriter();
        var random = new Random(5);

        CsvDecoder.Write(writer, Schema, result.Sample(random, Green + Blue), random);

        var colors = writer.ToString().Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        Assert.True(colors.Count(c => c == "Red") < Tolerance, "Red appears in the synthetic CSV");
        Assert.InRange(colors.Count(c => c == "Green"), Green - Tolerance, Green + Tolerance);
    }
}
