using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>Counts marginals of an <see cref="EncodedTable"/> held in memory (<see cref="MarginalCounter"/>).</summary>
public sealed class InMemoryMarginalSource : IMarginalSource
{
    /// <summary>Counts over <paramref name="table"/>.</summary>
    public InMemoryMarginalSource(EncodedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
    }

    /// <summary>The encoded rows.</summary>
    public EncodedTable Table { get; }

    /// <inheritdoc />
    public string Kind => "memory";

    /// <inheritdoc />
    public Domain Domain => Table.Domain;

    /// <inheritdoc />
    public double[][] Count(IReadOnlyList<Clique> cliques) => MarginalCounter.CountMany(Table, cliques);

    /// <inheritdoc />
    /// <remarks>Recodes the table once: counting the smaller codes afterwards is faster than folding every count.</remarks>
    public IMarginalSource Recode(CodeRecoding recoding)
    {
        ArgumentNullException.ThrowIfNull(recoding);
        return new InMemoryMarginalSource(recoding.Apply(Table));
    }

    /// <inheritdoc />
    /// <remarks>Nothing to release: the table is managed memory.</remarks>
    public void Dispose()
    {
    }
}
