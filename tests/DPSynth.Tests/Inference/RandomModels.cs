using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Tests.Inference;

/// <summary>Small random domains, clique sets and potentials, and brute-force answers over the full joint.</summary>
public static class RandomModels
{
    /// <summary>A domain of 2-6 attributes of size 2-5.</summary>
    public static Domain RandomDomain(Random rng, int minAttributes = 2, int maxAttributes = 6)
    {
        var n = rng.Next(minAttributes, maxAttributes + 1);
        var sizes = new int[n];
        for (var i = 0; i < n; i++)
        {
            sizes[i] = rng.Next(2, 6);
        }

        return new Domain(Enumerable.Range(0, n).Select(i => $"a{i}"), sizes);
    }

    /// <summary>A seeded generator with a random domain and clique set drawn from it (the usual start of a property).</summary>
    public static (Random Rng, Domain Domain, List<Clique> Cliques) RandomCliqueSet(int seed, int minAttributes = 2, int maxAttributes = 6)
    {
        var rng = new Random(seed);
        var domain = RandomDomain(rng, minAttributes, maxAttributes);
        return (rng, domain, RandomCliques(rng, domain));
    }

    /// <summary>1-5 random cliques of 1-3 attributes, plus (half the time) a cycle that needs triangulation.</summary>
    public static List<Clique> RandomCliques(Random rng, Domain domain)
    {
        var cliques = new List<Clique>();
        var count = rng.Next(1, 6);
        for (var k = 0; k < count; k++)
        {
            var size = rng.Next(1, Math.Min(3, domain.Count) + 1);
            cliques.Add(new Clique(Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(size)));
        }

        if (domain.Count >= 4 && rng.Next(2) == 0)
        {
            var cycle = Enumerable.Range(0, domain.Count).OrderBy(_ => rng.Next()).Take(rng.Next(4, domain.Count + 1)).ToArray();
            for (var i = 0; i < cycle.Length; i++)
            {
                cliques.Add(Clique.Of(cycle[i], cycle[(i + 1) % cycle.Length]));
            }
        }

        return cliques.Distinct().ToList();
    }

    /// <summary>A model with random potentials on the junction tree of a random clique set over a random domain.</summary>
    public static GraphicalModel RandomModel(Random rng, int minAttributes, int maxAttributes, double total)
    {
        var domain = RandomDomain(rng, minAttributes, maxAttributes);
        var tree = new JunctionTree(domain, RandomCliques(rng, domain));
        return GraphicalModel.FromPotentials(tree, RandomPotentials(rng, domain, tree.MaximalCliques), total);
    }

    /// <summary>Random log-potentials in [-2, 2] on each clique.</summary>
    public static CliqueVector RandomPotentials(Random rng, Domain domain, IEnumerable<Clique> cliques, double scale = 2) =>
        new(domain, cliques.Select(c =>
        {
            var values = new double[c.CellCount(domain)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = scale * ((2 * rng.NextDouble()) - 1);
            }

            return new Factor(domain, c, values);
        }));

    /// <summary>The normalized joint probability of every full cell (row-major over all attributes).</summary>
    public static double[] Joint(Domain domain, CliqueVector potentials)
    {
        var all = new Clique(Enumerable.Range(0, domain.Count));
        var cells = (int)all.CellCount(domain);
        var log = new double[cells];
        var digits = new int[domain.Count];
        for (var x = 0; x < cells; x++)
        {
            Decode(domain, x, digits);
            foreach (var f in potentials)
            {
                log[x] += f.Values[CellOf(domain, f.Clique, digits)];
            }
        }

        var max = log.Max();
        var p = log.Select(v => Math.Exp(v - max)).ToArray();
        var z = p.Sum();
        return p.Select(v => v / z).ToArray();
    }

    /// <summary>The marginal of <paramref name="clique"/> of a full joint, scaled by <paramref name="total"/>.</summary>
    public static double[] Marginal(Domain domain, double[] joint, Clique clique, double total = 1)
    {
        var result = new double[clique.CellCount(domain)];
        var digits = new int[domain.Count];
        for (var x = 0; x < joint.Length; x++)
        {
            Decode(domain, x, digits);
            result[CellOf(domain, clique, digits)] += joint[x] * total;
        }

        return result;
    }

    /// <summary>The cell of <paramref name="clique"/> holding the full assignment <paramref name="digits"/>.</summary>
    public static int CellOf(Domain domain, Clique clique, int[] digits)
    {
        var cell = 0;
        foreach (var a in clique.Attributes)
        {
            cell = (cell * domain.Size(a)) + digits[a];
        }

        return cell;
    }

    /// <summary>The digits (one code per attribute) of full cell <paramref name="x"/>.</summary>
    public static void Decode(Domain domain, int x, int[] digits)
    {
        for (var a = domain.Count - 1; a >= 0; a--)
        {
            digits[a] = x % domain.Size(a);
            x /= domain.Size(a);
        }
    }

    /// <summary>A random table of <paramref name="rows"/> rows.</summary>
    public static EncodedTable RandomTable(Random rng, Domain domain, int rows) =>
        new(domain, Enumerable.Range(0, domain.Count).Select(a =>
            EncodedColumn.FromCodes(domain.Size(a), Enumerable.Range(0, rows).Select(_ => rng.Next(domain.Size(a))).ToArray())));

    /// <summary>Largest absolute difference.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
