using DPSynth.Audits;
using DPSynth.Tests.Schema;

namespace DPSynth.Tests.Audits;

public sealed class DistanceSpecTests
{
    [Fact]
    public void ASchemaMakesNumericColumnsOrderedWithTheMissingCellAsACategory()
    {
        var schema = TestSchemas.Parse(
            """
            missing: ["?"]
            columns:
              - name: age
                type: integer
                min: 17
                max: 90
                nullable: true
              - name: income
                type: continuous
                min: 0
                max: 100
                bins: 10
              - name: colour
                type: categorical
                categories: [red, green, blue]
                nullable: true
              - name: member
                type: boolean
            """);

        var spec = DistanceSpec.FromSchema(schema);

        Assert.Equal(ColumnMetric.Ordered(75, specialCells: 1), spec.Columns[0]);
        Assert.Equal(ColumnMetric.Ordered(10), spec.Columns[1]);
        Assert.Equal(ColumnMetric.Categorical(4), spec.Columns[2]);
        Assert.Equal(ColumnMetric.Categorical(2), spec.Columns[3]);
        Assert.Equal(schema.Domain, spec.Domain);
    }

    [Fact]
    public void TheAdultSchemaGivesAnExactDistance()
    {
        var spec = DistanceSpec.FromSchema(TestSchemas.Parse(TestSchemas.AdultYaml()));
        var distance = new GowerDistance(spec);

        Assert.True(distance.IsExact);
        Assert.Equal(6, spec.Columns.Count(c => c.IsOrdered));
    }
}
