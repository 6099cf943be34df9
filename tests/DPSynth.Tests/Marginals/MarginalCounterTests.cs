using DPSynth.Data;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Tests.Inference;
using FsCheck.Xunit;

namespace DPSynth.Tests.Marginals;

public sealed class MarginalCounterTests
{
    [Property(MaxTest = 50)]
    public void CountingEqualsANaiveCount(int seed)
    {
        var rng = new Random(seed);
        var domain = RandomModels.RandomDomain(rng);
        var table = RandomModels.RandomTable(rng, domain, rng.Next(0, 9000));
        var cliques = RandomModels.RandomCliques(rng, domain);
        cliques.Add(Clique.Empty);
        var batch = MarginalCounter.CountMany(table, cliques);
        for (var k = 0; k < cliques.Count; k++)
        {
            var naive = new double[cliques[k].CellCount(domain)];
            var digits = new int[domain.Count];
            for (var r = 0; r < table.RowCount; r++)
            {
                for (var a = 0; a < domain.Count; a++)
                {
                    digits[a] = table[r, a];
                }

                naive[RandomModels.CellOf(domain, cliques[k], digits)]++;
            }

            Assert.Equal(naive, MarginalCounter.Count(table, cliques[k]));
            Assert.Equal(naive, batch[k]);
        }
    }

    [Fact]
    public void WideColumnsAreCountedToo()
    {
        var domain = new Domain(["wide", "narrow"], [300, 2]);
        var table = new EncodedTable(domain, [EncodedColumn.FromCodes(300, [299, 0, 299]), EncodedColumn.FromCodes(2, [1, 0, 1])]);
        var counts = MarginalCounter.Count(table, Clique.Of(0, 1));
        Assert.Equal(2, counts[(299 * 2) + 1]);
        Assert.Equal(1, counts[0]);
        Assert.Equal(3, counts.Sum());
    }

    [Fact]
    public void AttributesOutsideTheDomainAreRejected()
    {
        var domain = new Domain(["a"], [2]);
        var table = new EncodedTable(domain, [EncodedColumn.FromCodes(2, [1])]);
        Assert.Throws<ArgumentOutOfRangeException>(() => MarginalCounter.Count(table, Clique.Of(1)));
    }
}
