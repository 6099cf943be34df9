using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// The marginals a synthetic table should preserve: a non-empty list of distinct weighted cliques over one
/// <see cref="Schema.Domain"/> (AIM's W; MWEM+PGM's candidate set). The workload is public: it is chosen without looking at
/// the data. Immutable and validated at construction.
/// </summary>
public sealed class Workload
{
    /// <summary>The grid public workload weights are rounded to (2^-10): the smallest weight a clique may have.</summary>
    public const double WeightGrid = 1.0 / WeightUnitsPerOne;

    /// <summary>Weight units per unit of weight.</summary>
    public const long WeightUnitsPerOne = 1024;

    /// <summary>
    /// The largest weight (2^20): weights only matter relative to each other, and a million to one is past any use;
    /// their grid units are added up in 64-bit integers, which a weight of 1e308 overflowed (an internal error that
    /// stopped a whole folder run).
    /// </summary>
    public const double MaxWeight = 1 << 20;

    private Workload(Domain domain, ImmutableArray<WeightedClique> cliques, string description)
    {
        Domain = domain;
        Cliques = cliques;
        Description = description;
    }

    /// <summary>The domain the cliques index into.</summary>
    public Domain Domain { get; }

    /// <summary>The weighted cliques, in the order given (or lexicographic for the k-way factories).</summary>
    public ImmutableArray<WeightedClique> Cliques { get; }

    /// <summary>A short description for progress lines and the manifest ("all 2-way", "explicit (12 cliques)").</summary>
    public string Description { get; }

    /// <summary>All k-way marginals of the domain, each with weight 1 (the reference scripts' default with k = 2).</summary>
    /// <exception cref="SynthesisSettingsException">k is not positive, or the domain has fewer than k attributes.</exception>
    public static Workload AllKWay(Domain domain, int k)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (k < 1 || domain.Count < k)
        {
            throw new SynthesisSettingsException(Messages.WorkloadKWayImpossible(k, domain.Count));
        }

        var cliques = ImmutableArray.CreateBuilder<WeightedClique>();
        var current = new int[k];
        AddCombinations(domain.Count, current, 0, 0, cliques);
        return new Workload(domain, cliques.ToImmutable(), $"all {k}-way");
    }

    /// <summary>An explicit list of weighted cliques named by attribute names.</summary>
    /// <exception cref="SynthesisSettingsException">
    /// The list is empty, a name is not a column, a clique is empty or repeats a column, a clique appears twice, or a
    /// weight is not positive and finite.
    /// </exception>
    public static Workload FromNames(Domain domain, IEnumerable<(IReadOnlyList<string> Columns, double Weight)> cliques)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(cliques);
        var list = new List<WeightedClique>();
        foreach (var (columns, weight) in cliques)
        {
            var indices = new List<int>();
            foreach (var name in columns)
            {
                var index = domain.IndexOf(name);
                if (index < 0)
                {
                    throw new SynthesisSettingsException(Messages.WorkloadUnknownColumn(name));
                }

                if (indices.Contains(index))
                {
                    throw new SynthesisSettingsException(Messages.WorkloadRepeatedColumn(name));
                }

                indices.Add(index);
            }

            list.Add(new WeightedClique(new Clique(indices), weight));
        }

        return FromCliques(domain, list);
    }

    /// <summary>An explicit list of weighted cliques given by attribute index.</summary>
    /// <exception cref="SynthesisSettingsException">See <see cref="FromNames"/>; also an index outside the domain.</exception>
    public static Workload FromCliques(Domain domain, IEnumerable<WeightedClique> cliques)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(cliques);
        var list = cliques.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new SynthesisSettingsException(Messages.WorkloadEmpty);
        }

        var seen = new HashSet<Clique>();
        foreach (var (clique, weight) in list)
        {
            if (clique.Count == 0)
            {
                throw new SynthesisSettingsException(Messages.WorkloadEmptyClique);
            }

            foreach (var a in clique.Attributes)
            {
                if (a >= domain.Count)
                {
                    throw new SynthesisSettingsException(Messages.WorkloadUnknownAttribute(a, domain.Count));
                }
            }

            if (!seen.Add(clique))
            {
                throw new SynthesisSettingsException(Messages.WorkloadDuplicateClique(Describe(domain, clique)));
            }

            if (!(weight >= WeightGrid && weight <= MaxWeight))
            {
                throw new SynthesisSettingsException(Messages.WorkloadBadWeight(Describe(domain, clique), weight));
            }
        }

        return new Workload(domain, list, $"explicit ({list.Length} cliques)");
    }

    /// <summary>The column names of a clique, for messages and records: <c>(age, sex)</c>.</summary>
    public static string Describe(Domain domain, Clique clique)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(clique);
        var names = new string[clique.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = domain.Names[clique[i]];
        }

        return "(" + string.Join(", ", names) + ")";
    }

    private static void AddCombinations(
        int n, int[] current, int depth, int start, ImmutableArray<WeightedClique>.Builder into)
    {
        if (depth == current.Length)
        {
            into.Add(new WeightedClique(Clique.Of((int[])current.Clone()), 1.0));
            return;
        }

        for (var a = start; a <= n - (current.Length - depth); a++)
        {
            current[depth] = a;
            AddCombinations(n, current, depth + 1, a + 1, into);
        }
    }
}
