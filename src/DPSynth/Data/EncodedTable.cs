using System.Collections.Immutable;
using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>
/// A table of encoded rows, stored by column: each attribute of <see cref="Domain"/> has one <see cref="EncodedColumn"/>
/// of small integer codes. No raw values are kept. Immutable.
/// </summary>
public sealed class EncodedTable
{
    /// <summary>Creates a table; every column must have <see cref="Domain"/>'s size for its attribute and the same length.</summary>
    public EncodedTable(Domain domain, IEnumerable<EncodedColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(columns);
        Domain = domain;
        Columns = [.. columns];
        if (Columns.Length != domain.Count)
        {
            throw new ArgumentException($"The domain has {domain.Count} attributes but {Columns.Length} columns were given.");
        }

        RowCount = Columns.Length == 0 ? 0 : Columns[0].Length;
        for (var i = 0; i < Columns.Length; i++)
        {
            if (Columns[i].Size != domain.Size(i))
            {
                throw new ArgumentException(
                    $"Column '{domain.Names[i]}' has {Columns[i].Size} cells but the domain says {domain.Size(i)}.");
            }

            if (Columns[i].Length != RowCount)
            {
                throw new ArgumentException($"Column '{domain.Names[i]}' has {Columns[i].Length} rows, not {RowCount}.");
            }
        }
    }

    /// <summary>The attributes and their cell counts.</summary>
    public Domain Domain { get; }

    /// <summary>One column per attribute, in domain order.</summary>
    public ImmutableArray<EncodedColumn> Columns { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Bytes of memory held by the codes.</summary>
    public long ByteCount => Columns.Sum(c => c.ByteCount);

    /// <summary>The code of <paramref name="attribute"/> in <paramref name="row"/>.</summary>
    public int this[int row, int attribute] => Columns[attribute][row];

    /// <summary>A new table holding the given rows, in that order.</summary>
    public EncodedTable SelectRows(ReadOnlySpan<int> rows)
    {
        var selected = new EncodedColumn[Columns.Length];
        for (var c = 0; c < selected.Length; c++)
        {
            selected[c] = Columns[c].Select(rows);
        }

        return new EncodedTable(Domain, selected);
    }
}
