using System.Globalization;
using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks.Synthesizers;

/// <summary>
/// Issue 17's lost associations on a generated census-like table (<see cref="CensusLikeTable"/>): Cramér's V of
/// NOC x TEN (NOC missing exactly when TEN is missing, group quarters) and of the rare disability flags DEYE x DEAR,
/// real against AIM's and MST's synthetic data at epsilon 1, with and without the schema constraints that state the
/// structural rule, and whether each run measured the pair.
/// </summary>
/// <remarks>
/// <c>DPSYNTH_ASSOC_RUNS</c> (default 3), <c>DPSYNTH_ASSOC_METHODS</c> (default <c>aim,mst</c>),
/// <c>DPSYNTH_ASSOC_EPSILON</c> (default 1); MST reads <c>DPSYNTH_SYNTH_MST_PENALTY</c> as the Synth figures do.
/// </remarks>
public sealed class AssociationFigures : IFigures
{
    private const double Delta = 1e-9;

    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var table = CensusLikeTable.Generate(seed: 17, rows: 27_253);
        var runs = int.Parse(Environment.GetEnvironmentVariable("DPSYNTH_ASSOC_RUNS") ?? "3", CultureInfo.InvariantCulture);
        var epsilon = double.Parse(Environment.GetEnvironmentVariable("DPSYNTH_ASSOC_EPSILON") ?? "1", CultureInfo.InvariantCulture);
        var methods = (Environment.GetEnvironmentVariable("DPSYNTH_ASSOC_METHODS") ?? "aim,mst").Split(',');
        var pairs = new[] { ("NOC", "TEN"), ("DEYE", "DEAR") };
        foreach (var (a, b) in pairs)
        {
            yield return new Figure("association", $"real Cramér's V {a} x {b}", V(table, a, b), "V", "", null);
        }

        foreach (var method in methods)
        {
            foreach (var constrained in new[] { false, true })
            {
                var zeros = constrained ? CensusLikeTable.NocMissingExactlyInGroupQuarters(table.Domain) : StructuralZeros.None;
                var values = pairs.Select(_ => new List<double>()).ToArray();
                var measured = new int[pairs.Length];
                var tvd = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    ISynthesizer synthesizer = method == "aim"
                        ? new Aim(Workload.AllKWay(table.Domain, 2), new AimOptions(), zeros)
                        : new Mst(table.Domain, SynthFigures.MstSettings, zeros);
                    var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(epsilon, Delta));
                    var result = synthesizer.Fit(table, accountant);
                    var synthetic = result.Sample(new Random(run));
                    tvd.Add(MarginalTvd.MeanKWay(table, synthetic, 2));
                    for (var p = 0; p < pairs.Length; p++)
                    {
                        var (a, b) = pairs[p];
                        values[p].Add(V(synthetic, a, b));
                        var clique = Clique.Of(table.Domain.IndexOf(a), table.Domain.IndexOf(b));
                        measured[p] += result.Measurements.Any(m => m.Clique.Equals(clique)) ? 1 : 0;
                    }

                    var edges = string.Join(" ", result.Measurements.Where(m => m.Clique.Count > 1)
                        .Select(m => Workload.Describe(table.Domain, m.Clique)));
                    Console.Error.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{method} eps={epsilon} constraints={constrained} run {run + 1}: 2-way TVD {tvd[^1]:F4}, " +
                        $"V {string.Join(", ", pairs.Select((q, i) => $"{q.Item1}x{q.Item2} {values[i][^1]:F4}"))}; measured {edges}"));
                }

                var at = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{method.ToUpperInvariant()} eps={epsilon} ({runs} runs{(constrained ? ", NOC/TEN constraints declared" : "")})");
                yield return new Figure("association", $"{at}: 2-way TVD", tvd.Average(), "TVD", "", null);
                for (var p = 0; p < pairs.Length; p++)
                {
                    var (a, b) = pairs[p];
                    yield return new Figure(
                        "association", $"{at}: Cramér's V {a} x {b} (pair measured in {measured[p]} of {runs} runs)",
                        values[p].Average(), "V", "", null);
                }
            }
        }
    }

    /// <summary>Cramér's V of two columns of a table.</summary>
    public static double V(EncodedTable table, string a, string b)
    {
        var i = table.Domain.IndexOf(a);
        var j = table.Domain.IndexOf(b);
        var clique = Clique.Of(i, j);
        var counts = MarginalCounter.Count(table, clique).Select(c => (long)c).ToArray();
        // Row-major over the clique's attributes in index order.
        return CramersV.FromCounts(counts, table.Domain.Size(Math.Min(i, j)), table.Domain.Size(Math.Max(i, j)));
    }
}

/// <summary>
/// A seeded census-like table with the relations of issue 17's census excerpt: 20 columns, large domains (industry
/// codes, income, poverty ratio), a household tenure TEN whose missing cell marks group quarters, the number of own
/// children NOC missing exactly then, and rare disability flags with a strong association (DEYE x DEAR).
/// </summary>
public static class CensusLikeTable
{
    private static readonly (string Name, int Size)[] Columns =
    [
        ("AGEP", 95), ("SEX", 2), ("TEN", 3), ("NOC", 11), ("DEYE", 2), ("DEAR", 2), ("DREM", 2), ("DPHY", 2),
        ("MSP", 7), ("SCHL", 25), ("INDP", 271), ("WKHP", 100), ("PINCP", 101), ("POVPIP", 501), ("RAC1P", 9),
        ("HISP", 24), ("COW", 10), ("MIL", 5), ("ESR", 7), ("JWMNP", 101),
    ];

    /// <summary>The domain (codes; the last cell of a nullable column is its missing cell).</summary>
    public static Domain Domain { get; } = new(Columns.Select(c => c.Name), Columns.Select(c => c.Size));

    /// <summary>Generates <paramref name="rows"/> rows.</summary>
    public static EncodedTable Generate(int seed, int rows)
    {
        var random = new Random(seed);
        var codes = Columns.Select(_ => new int[rows]).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var age = random.Next(95);
            var groupQuarters = random.NextDouble() < (age is >= 18 and < 23 ? 0.12 : age >= 80 ? 0.10 : 0.02);
            var working = age >= 16 && age < 70 && random.NextDouble() < 0.7;
            var eye = random.NextDouble() < 0.005 + (0.0005 * age);
            var ear = random.NextDouble() < (eye ? 0.30 : 0.01 + (0.0004 * age));
            Set(codes, r, "AGEP", age);
            Set(codes, r, "SEX", random.Next(2));
            Set(codes, r, "TEN", groupQuarters ? 2 : random.NextDouble() < 0.35 + (0.004 * age) ? 0 : 1);
            Set(codes, r, "NOC", groupQuarters ? 10 : age is >= 20 and < 55 ? Math.Min(9, Geometric(random, 0.45)) : 0);
            Set(codes, r, "DEYE", eye ? 1 : 0);
            Set(codes, r, "DEAR", ear ? 1 : 0);
            Set(codes, r, "DREM", random.NextDouble() < 0.02 + (0.0005 * age) ? 1 : 0);
            Set(codes, r, "DPHY", random.NextDouble() < 0.01 + (0.001 * age) ? 1 : 0);
            Set(codes, r, "MSP", age < 15 ? 6 : age < 25 && random.NextDouble() < 0.7 ? 5 : random.Next(6));
            Set(codes, r, "SCHL", age < 3 ? 24 : Math.Min(23, (age / 4) + random.Next(4)));
            Set(codes, r, "INDP", working ? random.Next(270) : 270);
            Set(codes, r, "WKHP", working ? Math.Clamp(40 + (int)(12 * Normal(random)), 0, 98) : 99);
            Set(codes, r, "PINCP", age < 15 ? 100 : Math.Min(99, (working ? 20 : 2) + Geometric(random, 0.06)));
            Set(codes, r, "POVPIP", random.Next(501));
            Set(codes, r, "RAC1P", random.NextDouble() < 0.6 ? 0 : random.Next(9));
            Set(codes, r, "HISP", random.NextDouble() < 0.8 ? 0 : random.Next(24));
            Set(codes, r, "COW", working ? random.Next(9) : 9);
            Set(codes, r, "MIL", age < 17 ? 4 : random.NextDouble() < 0.9 ? 3 : random.Next(3));
            Set(codes, r, "ESR", age < 16 ? 6 : working ? random.Next(2) : 2 + random.Next(4));
            Set(codes, r, "JWMNP", working && random.NextDouble() < 0.9 ? Math.Min(99, Geometric(random, 0.04)) : 100);
        }

        return new EncodedTable(Domain, Columns.Select((c, i) => EncodedColumn.FromCodes(c.Size, codes[i])));
    }

    /// <summary>
    /// The schema facts "NOC is missing when TEN is missing" and "NOC is not missing when TEN is not missing" as
    /// structural zeros on (TEN, NOC).
    /// </summary>
    public static StructuralZeros NocMissingExactlyInGroupQuarters(Domain domain)
    {
        var ten = domain.IndexOf("TEN");
        var noc = domain.IndexOf("NOC");
        var allowed = new bool[domain.Size(ten) * domain.Size(noc)];
        for (var t = 0; t < domain.Size(ten); t++)
        {
            for (var n = 0; n < domain.Size(noc); n++)
            {
                allowed[(t * domain.Size(noc)) + n] = (t == domain.Size(ten) - 1) == (n == domain.Size(noc) - 1);
            }
        }

        return StructuralZeros.Create(domain, [(Clique.Of(ten, noc), [.. allowed], "NOC missing exactly when TEN missing")]);
    }

    private static void Set(int[][] codes, int row, string column, int value) =>
        codes[Array.FindIndex(Columns, c => c.Name == column)][row] = value;

    private static int Geometric(Random random, double p)
    {
        var k = 0;
        while (random.NextDouble() >= p)
        {
            k++;
        }

        return k;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
