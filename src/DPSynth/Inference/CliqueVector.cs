using System.Collections;
using System.Collections.Immutable;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>One <see cref="Factor"/> per clique, all over the same domain (PGM's <c>CliqueVector</c>). Immutable.</summary>
public sealed class CliqueVector : IReadOnlyList<Factor>
{
    private readonly ImmutableArray<Factor> factors;
    private readonly Dictionary<Clique, int> indexOf;

    /// <summary>Creates a vector; every factor must be over <paramref name="domain"/> and cliques must be distinct.</summary>
    public CliqueVector(Domain domain, IEnumerable<Factor> factors)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(factors);
        Domain = domain;
        this.factors = [.. factors];
        indexOf = [];
        for (var i = 0; i < this.factors.Length; i++)
        {
            var f = this.factors[i] ?? throw new ArgumentException("A factor is null.", nameof(factors));
            if (!f.Domain.Equals(domain))
            {
                throw new ArgumentException($"Factor {f.Clique} is over another domain.", nameof(factors));
            }

            if (!indexOf.TryAdd(f.Clique, i))
            {
                throw new ArgumentException($"Clique {f.Clique} appears twice.", nameof(factors));
            }
        }
    }

    /// <summary>The domain of every factor.</summary>
    public Domain Domain { get; }

    /// <summary>Number of factors.</summary>
    public int Count => factors.Length;

    /// <summary>The factor at <paramref name="index"/>.</summary>
    public Factor this[int index] => factors[index];

    /// <summary>The factor over <paramref name="clique"/>; throws when there is none.</summary>
    public Factor this[Clique clique] =>
        indexOf.TryGetValue(clique, out var i) ? factors[i] : throw new KeyNotFoundException($"No factor over {clique}.");

    /// <summary>The cliques, in order.</summary>
    public IEnumerable<Clique> Cliques => factors.Select(f => f.Clique);

    /// <summary>Zero factors over the given cliques.</summary>
    public static CliqueVector Zeros(Domain domain, IEnumerable<Clique> cliques)
    {
        ArgumentNullException.ThrowIfNull(cliques);
        return new CliqueVector(domain, cliques.Select(c => Factor.Zeros(domain, c)));
    }

    /// <summary>
    /// This vector with <paramref name="factor"/> added: broadcast into the first factor whose clique contains it, or
    /// appended as a factor of its own when none does (unlike <see cref="Combine"/>, it is never dropped).
    /// </summary>
    public CliqueVector Plus(Factor factor)
    {
        ArgumentNullException.ThrowIfNull(factor);
        return factors.Any(f => factor.Clique.IsSubsetOf(f.Clique))
            ? Combine(new CliqueVector(Domain, [factor]))
            : new CliqueVector(Domain, [.. factors, factor]);
    }

    /// <summary>
    /// Folds <paramref name="other"/> into this vector: each of its factors is added, broadcast, to the first factor
    /// of this vector whose clique contains it; factors contained in none are dropped (PGM's
    /// <c>CliqueVector.combine</c>, used for warm starts).
    /// </summary>
    public CliqueVector Combine(CliqueVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = factors.ToArray();
        foreach (var f in other)
        {
            for (var i = 0; i < result.Length; i++)
            {
                if (f.Clique.IsSubsetOf(result[i].Clique))
                {
                    result[i] = result[i].Add(f);
                    break;
                }
            }
        }

        return new CliqueVector(Domain, result);
    }

    /// <inheritdoc />
    public IEnumerator<Factor> GetEnumerator() => ((IEnumerable<Factor>)factors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
