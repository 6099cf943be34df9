using System.Collections.Immutable;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Inference;

/// <summary>Fixed values (codes) for some attributes: the condition of conditional sampling. Immutable.</summary>
public sealed class Evidence
{
    // Display names of cells, so messages say "sex=F" rather than "sex=0"; codes when none were given.
    private readonly Func<int, int, string>? labels;

    /// <summary>Creates evidence; each attribute at most once, each code inside its attribute's cells.</summary>
    public Evidence(Domain domain, IEnumerable<KeyValuePair<int, int>> values)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(values);
        var builder = ImmutableSortedDictionary.CreateBuilder<int, int>();
        foreach (var (attribute, code) in values)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(attribute);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(attribute, domain.Count);
            ArgumentOutOfRangeException.ThrowIfNegative(code);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, domain.Size(attribute));
            if (!builder.TryAdd(attribute, code))
            {
                throw new ArgumentException($"Attribute '{domain.Names[attribute]}' is conditioned twice.", nameof(values));
            }
        }

        Domain = domain;
        Values = builder.ToImmutable();
    }

    private Evidence(Domain domain, ImmutableSortedDictionary<int, int> values, Func<int, int, string>? labels)
    {
        Domain = domain;
        Values = values;
        this.labels = labels;
    }

    /// <summary>No condition.</summary>
    public static Evidence None(Domain domain) => new(domain, []);

    /// <summary>The domain.</summary>
    public Domain Domain { get; }

    /// <summary>Attribute index to its fixed code, by attribute.</summary>
    public ImmutableSortedDictionary<int, int> Values { get; }

    /// <summary>The conditioned attributes as a clique.</summary>
    public Clique Attributes => new(Values.Keys);

    /// <summary>This evidence plus <paramref name="attribute"/> = <paramref name="code"/>.</summary>
    public Evidence With(int attribute, int code)
    {
        var checkedValues = new Evidence(Domain, Values.Add(attribute, code));
        return new Evidence(Domain, checkedValues.Values, labels);
    }

    /// <summary>This evidence, shown with <paramref name="cellLabels"/>(attribute, code) as each cell's name.</summary>
    public Evidence WithLabels(Func<int, int, string> cellLabels)
    {
        ArgumentNullException.ThrowIfNull(cellLabels);
        return new Evidence(Domain, Values, cellLabels);
    }

    /// <summary>
    /// The display name of cell <paramref name="code"/> of <paramref name="attribute"/> (the code itself without labels).
    /// </summary>
    public string Label(int attribute, int code) =>
        labels?.Invoke(attribute, code) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The row-major cell of the evidence inside the marginal over <see cref="Attributes"/>.</summary>
    public int Cell()
    {
        var cell = 0;
        foreach (var (attribute, code) in Values)
        {
            cell = (cell * Domain.Size(attribute)) + code;
        }

        return cell;
    }

    /// <summary>Readable form, e.g. <c>sex=F, region=West</c> (codes, e.g. <c>sex=0</c>, when no labels were given).</summary>
    public override string ToString() =>
        string.Join(", ", Values.Select(kv => $"{Domain.Names[kv.Key]}={Label(kv.Key, kv.Value)}"));
}
