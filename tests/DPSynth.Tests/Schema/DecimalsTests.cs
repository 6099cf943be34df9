using DPSynth.Data;

namespace DPSynth.Tests.Schema;

public sealed class DecimalsTests
{
    private const string Yaml = """
        columns:
          - name: cost
            type: continuous
            min: 0
            max: 10
            edges: [0, 0.005, 1, 2.5, 10]
            decimals: 2
        """;

    [Fact]
    public void DecodedValuesHaveTheDeclaredDecimalsAndStayInTheirBin()
    {
        var schema = TestSchemas.Parse(Yaml);
        var random = new Random(3);
        for (var code = 0; code < 4; code++)
        {
            for (var i = 0; i < 500; i++)
            {
                var text = CsvDecoder.DecodeCell(schema, 0, code, random);
                // The first bin [0, 0.005) is narrower than one step of 0.01: it keeps full precision instead.
                if (code > 0)
                {
                    Assert.Matches(@"^\d+\.\d{2}$", text);
                }

                var encoded = CsvEncoder.Encode(new StringReader($"cost\n{text}\n"), "x.csv", schema).Table;
                Assert.Equal(code, encoded[0, 0]);
            }
        }
    }

    [Fact]
    public void DecimalsOutOfRangeIsASchemaErrorAtItsLine()
    {
        var result = TestSchemas.Read(Yaml.Replace("decimals: 2", "decimals: 40", StringComparison.Ordinal));
        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("decimals must be a whole number from 0 to 12", diagnostic.ToString(), StringComparison.Ordinal);
        Assert.Contains(":7:", diagnostic.ToString(), StringComparison.Ordinal);
    }
}
