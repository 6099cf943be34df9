using System.Collections.Immutable;
using DPSynth.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

/// <summary>Reading the <c>constraints</c> list of a schema (structural zeros; docs/schema-reference.md).</summary>
public static partial class SchemaReader
{
    /// <summary>
    /// The most combinations of cells one constraint may span (16 Mi, 16 MB of mask): far more than a constraint on a
    /// few coded columns needs, and small next to the model-size caps.
    /// </summary>
    public const int MaxConstraintCells = 1 << 24;

    /// <summary>
    /// Parses and compiles every constraint. Columns are looked up only when <paramref name="columnsValid"/> (after a
    /// column error, a constraint naming that column would report a second, misleading problem).
    /// </summary>
    private static ImmutableArray<Constraint> ReadConstraints(
        YamlMappingNode root, YamlFieldReader fields, IReadOnlyList<ColumnSpec> columns, bool columnsValid)
    {
        if (YamlFieldReader.Get(root, "constraints") is not { } node || fields.Sequence(node, "constraints") is not { } list)
        {
            return [];
        }

        var constraints = ImmutableArray.CreateBuilder<Constraint>();
        foreach (var item in list.Children)
        {
            if (fields.String(item, "constraints") is not { } text)
            {
                continue;
            }

            if (ConstraintParser.Parse(text, out var error, out var offset) is not { } syntax)
            {
                fields.Error(item, offset, "constraints", Messages.ConstraintSyntax(error));
            }
            else if (columnsValid && Compile(text, syntax, item, fields, columns) is { } constraint)
            {
                constraints.Add(constraint);
            }
        }

        return constraints.ToImmutable();
    }

    private static Constraint? Compile(
        string text, ConstraintSyntax syntax, YamlNode item, YamlFieldReader fields, IReadOnlyList<ColumnSpec> columns)
    {
        (int Column, CellTruth[] Truths)? Resolve(ConditionSyntax condition)
        {
            var index = -1;
            for (var c = 0; c < columns.Count && index < 0; c++)
            {
                index = columns[c].Name == condition.Column ? c : -1;
            }

            if (index < 0)
            {
                fields.Error(item, condition.ColumnOffset, "constraints", Messages.ConstraintUnknownColumn(condition.Column));
                return null;
            }

            if (CellConditions.Evaluate(condition, columns[index], text, out var error, out var offset) is not { } truths)
            {
                fields.Error(item, offset, "constraints", error);
                return null;
            }

            return (index, truths);
        }

        var then = Resolve(syntax.Then);
        var when = syntax.When.Select(Resolve).ToArray();
        if (then is not { } consequence || when.Any(w => w is null))
        {
            return null;
        }

        if (syntax.When.FirstOrDefault(w => w.Column == syntax.Then.Column) is { } self)
        {
            fields.Error(item, self.ColumnOffset, "constraints", Messages.ConstraintConditionsItself(self.Column));
            return null;
        }

        var sizes = columns.Select(c => c.CellCount).ToArray();
        // Stops multiplying once past the bound, so the product cannot overflow.
        var cells = when.Select(w => w!.Value.Column).Append(consequence.Column).Distinct()
            .Aggregate(1L, (n, c) => n > MaxConstraintCells ? n : n * sizes[c]);
        if (cells > MaxConstraintCells)
        {
            fields.Error(item, "constraints", Messages.ConstraintTooLarge(cells, MaxConstraintCells));
            return null;
        }

        var constraint = Constraint.Compile(text, consequence, [.. when.Select(w => w!.Value)], sizes);
        var problem = constraint.ConditionCellCount == 0 ? Messages.ConstraintNeverApplies
            : constraint.ForbiddenCount == 0 ? Messages.ConstraintForbidsNothing
            : constraint.ForbiddenCount == constraint.Allowed.Length ? Messages.ConstraintForbidsEverything
            : null;
        if (problem is not null)
        {
            fields.Error(item, "constraints", problem);
            return null;
        }

        return constraint;
    }
}
