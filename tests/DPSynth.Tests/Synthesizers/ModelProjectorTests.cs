using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;
using DPSynth.Tests.Inference;

namespace DPSynth.Tests.Synthesizers;

public sealed class ModelProjectorTests
{
    [Fact]
    public void TreeMessagesGiveTheSameMarginalsAsBruteForceOnRandomModels()
    {
        var rng = new Random(2024);
        var checkedOutside = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var domain = RandomModels.RandomDomain(rng, 3, 6);
            var cliques = RandomModels.RandomCliques(rng, domain);
            var tree = new JunctionTree(domain, cliques);
            var potentials = RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques);
            var model = GraphicalModel.FromPotentials(tree, potentials, total: 1000);
            var joint = RandomModels.Joint(domain, potentials);
            var projector = new ModelProjector(model);
            foreach (var target in new[] { 1, 2, 3 }.SelectMany(k => Workload.AllKWay(domain, k).Cliques.Select(w => w.Clique)))
            {
                var expected = RandomModels.Marginal(domain, joint, target, 1000);
                Assert.True(RandomModels.MaxAbsDiff(expected, projector.Project(target)) < 1e-7, $"{target} in {tree.MaximalCliques.Length} cliques");
                if (tree.IndexOfSmallestContaining(target) < 0)
                {
                    checkedOutside++;
                }
            }
        }

        Assert.True(checkedOutside > 100, $"only {checkedOutside} cliques spanned several maximal cliques");
    }

    [Fact]
    public void ACandidateWhoseSubtreeBranchesGetsTheProductOfTheBranchMessages()
    {
        // The tree is a star: (0,1,2) joined to (0,3) by {0} and to (1,4) by {1}. The candidate (2,3,4) is rooted at
        // (0,1,2), whose two children each carry one attribute, so the root multiplies their rows.
        var rng = new Random(7);
        var domain = new Domain(["a", "b", "c", "d", "e"], [2, 3, 4, 3, 2]);
        var tree = new JunctionTree(domain, [Clique.Of(0, 1, 2), Clique.Of(0, 3), Clique.Of(1, 4)]);
        Assert.Equal(3, tree.MaximalCliques.Length);
        var potentials = RandomModels.RandomPotentials(rng, domain, tree.MaximalCliques);
        var model = GraphicalModel.FromPotentials(tree, potentials, total: 500);
        var joint = RandomModels.Joint(domain, potentials);
        var projector = new ModelProjector(model);
        foreach (var target in new[] { Clique.Of(2, 3, 4), Clique.Of(3, 4), Clique.Of(0, 3, 4), Clique.Of(2, 4) })
        {
            Assert.True(tree.IndexOfSmallestContaining(target) < 0);
            var expected = RandomModels.Marginal(domain, joint, target, 500);
            Assert.True(RandomModels.MaxAbsDiff(expected, projector.Project(target)) < 1e-9, $"{target}");
        }
    }

    [Fact]
    public void TinySeparatorCellsOnANodeWithThreeBranchesStayFiniteAndMatchTheLogSpaceProjection()
    {
        // A star whose centre (a,b,c,d) has three children joined by b, c and d. The centre ties b = c = d (other
        // cells get potential -1000, i.e. probability 0) and the leaf (b,e) makes b = 0 rare (potential -460, about
        // 1e-200). So the separator cells b=0, c=0, d=0 are each about 1e-198 and the centre cells with b=c=d=0 about
        // as large: dividing such a cell by the product of the three separators at once overflowed to Inf (1e-198 /
        // 1e-594). The 4-way candidate (a,e,f,g) is rooted at the centre and multiplies all three branch messages.
        var domain = new Domain(["a", "b", "c", "d", "e", "f", "g"], [2, 3, 3, 3, 2, 2, 2]);
        var centre = Clique.Of(0, 1, 2, 3);
        var tree = new JunctionTree(domain, [centre, Clique.Of(1, 4), Clique.Of(2, 5), Clique.Of(3, 6)]);
        var factors = tree.MaximalCliques.Select(c =>
        {
            var values = new double[c.CellCount(domain)];
            for (var i = 0; i < values.Length; i++)
            {
                var codes = Codes(domain, c, i);
                values[i] = c.Equals(centre) ? (codes[1] == codes[2] && codes[2] == codes[3] ? 0 : -1000)
                    : c.Equals(Clique.Of(1, 4)) && codes[0] == 0 ? -460 : 0;
            }

            return new Factor(domain, c, values);
        });
        var model = GraphicalModel.FromPotentials(tree, new CliqueVector(domain, factors), total: 1000);
        var projector = new ModelProjector(model);
        foreach (var target in new[] { Clique.Of(0, 4, 5, 6), Clique.Of(4, 5, 6), Clique.Of(1, 5, 6) })
        {
            Assert.True(tree.IndexOfSmallestContaining(target) < 0);
            var projected = projector.Project(target);
            Assert.All(projected, v => Assert.True(double.IsFinite(v) && v >= 0, $"{v} in {target}"));
            Assert.Equal(1000, projected.Sum(), 6);
            Assert.True(RandomModels.MaxAbsDiff(model.Project(target), projected) < 1e-9, $"{target}");
        }
    }

    // The codes of cell i of clique c (row-major, last attribute fastest).
    private static int[] Codes(Domain domain, Clique c, int i)
    {
        var codes = new int[c.Count];
        for (var p = c.Count - 1; p >= 0; p--)
        {
            codes[p] = i % domain.Size(c[p]);
            i /= domain.Size(c[p]);
        }

        return codes;
    }

    [Fact]
    public void AnEmptyCliqueProjectsToTheTotal()
    {
        var domain = ChainTables.Domain;
        var tree = new JunctionTree(domain, [Clique.Of(0, 1), Clique.Of(2, 3)]);
        var model = GraphicalModel.FromPotentials(tree, CliqueVector.Zeros(domain, tree.MaximalCliques), 50);
        Assert.Equal(50, new ModelProjector(model).Project(Clique.Empty)[0], 9);
        Assert.Equal(50, new ModelProjector(model).Project(Clique.Of(1, 2)).Sum(), 9);
    }

    /// <summary>
    /// The chain (0,1,2) - (1,2,3) - (3,4) with wide separator {1,2}: projecting the pair (0,4) carries attribute 4 across
    /// {1,2}, a message of |1| |2| |4| cells that is larger than the whole model (the shape of the 9 GB warm-start
    /// message). <see cref="ModelProjector.WorkingCells"/> counts it from the structure, and a fresh scratch really
    /// rents it and no more than the count.
    /// </summary>
    [Fact]
    public void WorkingCellsCountTheSeparatorTimesTheCarriedAttributesAlongThePath()
    {
        var domain = new Domain(["a", "b", "c", "d", "e"], [2, 7, 7, 3, 9]);
        var tree = new JunctionTree(domain, [Clique.Of(0, 1, 2), Clique.Of(1, 2, 3), Clique.Of(3, 4)]);
        Assert.Equal(3, tree.MaximalCliques.Length);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(new Random(11), domain, tree.MaximalCliques), 100);
        var projector = new ModelProjector(model);
        var pair = Clique.Of(0, 4);
        long Size(int a) => domain.Size(a);
        var wide = Size(1) * Size(2) * Size(4);
        Assert.Equal((Size(3) * Size(4)) + wide + (Size(0) * Size(4)), projector.WorkingCells(pair));
        Assert.True(wide > tree.CellCount, $"{wide} message cells, {tree.CellCount} model cells");

        var scratch = new ModelProjector.Scratch();
        projector.Project(pair, new double[pair.CellCount(domain)], scratch);
        Assert.InRange(scratch.ByteCount, 8 * wide, 8 * (projector.WorkingCells(pair) + pair.CellCount(domain)));
        Assert.Equal(Clique.Of(1, 2).CellCount(domain), projector.WorkingCells(Clique.Of(1, 2)));
    }

    /// <summary>
    /// A clique beyond any machine (twenty attributes of 100 values across a chain, 100^20 cells) is counted as
    /// <see cref="long.MaxValue"/> working cells, so every caller's "does it fit" question says no instead of throwing.
    /// </summary>
    [Fact]
    public void WorkingCellsSaturateForACliqueBeyondAnyMachine()
    {
        const int n = 20;
        var domain = new Domain([.. Enumerable.Range(0, n).Select(i => $"x{i}")], [.. Enumerable.Repeat(100, n)]);
        var cliques = Enumerable.Range(0, n - 1).Select(i => Clique.Of(i, i + 1)).ToArray();
        var tree = new JunctionTree(domain, cliques);
        var model = GraphicalModel.FromPotentials(tree, RandomModels.RandomPotentials(new Random(3), domain, tree.MaximalCliques), 100);
        Assert.Equal(long.MaxValue, new ModelProjector(model).WorkingCells(new Clique(Enumerable.Range(0, n))));
    }

    [Fact]
    public void AProjectionWithAFreshScratchAllocatesAtMostItsWorkingCellsAndItsRow()
    {
        var rng = new Random(2026);
        for (var trial = 0; trial < 40; trial++)
        {
            var model = RandomModels.RandomModel(rng, 3, 6, 1000);
            var domain = model.Domain;
            var projector = new ModelProjector(model);
            foreach (var target in new[] { 2, 3 }.SelectMany(k => Workload.AllKWay(domain, k).Cliques.Select(w => w.Clique)))
            {
                var scratch = new ModelProjector.Scratch();
                var cells = target.CellCount(domain);
                projector.Project(target, new double[cells], scratch);
                Assert.True(scratch.ByteCount <= 8 * (projector.WorkingCells(target) + cells), $"{target} in {model.Tree.MaximalCliques.Length} cliques");
            }
        }
    }
}
