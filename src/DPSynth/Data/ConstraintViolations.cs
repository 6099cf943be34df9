using DPSynth.Schema;

namespace DPSynth.Data;

/// <summary>Counts the rows of an encoded table that break a schema's structural zeros (<see cref="Constraint"/>).</summary>
public static class ConstraintViolations
{
    /// <summary>
    /// How many rows of <paramref name="table"/> (encoded under the schema that declared <paramref name="constraint"/>)
    /// have a forbidden combination. An internal figure about the rows it is given (<c>schema check</c> prints it for the
    /// operator; tests count violations in sampled rows).
    /// </summary>
    public static long CountViolations(this Constraint constraint, EncodedTable table)
    {
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(table);
        long violations = 0;
        for (var row = 0; row < table.RowCount; row++)
        {
            var cell = 0;
            foreach (var column in constraint.Columns)
            {
                cell = (cell * table.Domain.Size(column)) + table[row, column];
            }

            violations += constraint.Allowed[cell] ? 0 : 1;
        }

        return violations;
    }
}
