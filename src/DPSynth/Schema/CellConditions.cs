using System.Globalization;
using DPSynth.Diagnostics;

namespace DPSynth.Schema;

/// <summary>
/// Decides, for every cell of a column, whether a condition of a constraint holds for the values of that cell
/// (<see cref="CellTruth"/>), from the declared domain alone: categories and aliases, bins (integer bins hold
/// <c>Lower..Upper</c>; continuous bins <c>[Lower, Upper)</c>, the last one closed), date ranges.
/// </summary>
/// <remarks>
/// A missing cell satisfies only <c>is missing</c> and the negations (<c>!=</c>, <c>not in</c>, <c>is not missing</c>
/// of another value); an "other" cell stands for any value outside the declared categories, so it is never equal to
/// a listed one. Every value, whatever the operator, must be one the column could hold: it is read by the column's own
/// parser (<see cref="ColumnSpec.EncodeValue"/>, <see cref="NumericColumnSpec.ParseValue"/>,
/// <see cref="DateColumnSpec.TryParseDate"/>), exactly as a field of the file is after trimming, and must lie inside the
/// declared bounds (a category or alias of a categorical column, <c>true</c> or <c>false</c> or an alias of a boolean).
/// A value the column could never hold would make a condition that silently means something else (<c>AGEP = 1e1</c>
/// read as 10 while the file's <c>1e1</c> is a bad row, <c>X &lt; 1e400</c> as infinity): it is a schema error naming
/// the constraint and the value. Ordering (<c>&lt;</c> ...) is for numbers and dates only.
/// </remarks>
internal static class CellConditions
{
    /// <summary>The truth of <paramref name="condition"/> on each cell of <paramref name="column"/>, or null with an error.</summary>
    /// <param name="condition">The condition, as parsed.</param>
    /// <param name="column">Its column.</param>
    /// <param name="constraint">The whole constraint's text, which a message about one of its values names.</param>
    /// <param name="error">The message, when null is returned.</param>
    /// <param name="offset">Where the problem is in the constraint's text, when null is returned.</param>
    public static CellTruth[]? Evaluate(
        ConditionSyntax condition, ColumnSpec column, string constraint, out string error, out int offset)
    {
        (error, offset) = (string.Empty, condition.ColumnOffset);
        var truths = new CellTruth[column.CellCount];
        if (condition.Operator is ConditionOperator.IsMissing or ConditionOperator.IsNotMissing)
        {
            if (!column.Nullable)
            {
                error = Messages.ConstraintNotNullable(column.Name);
                return null;
            }

            var missing = condition.Operator == ConditionOperator.IsMissing;
            for (var code = 0; code < truths.Length; code++)
            {
                truths[code] = (code == column.MissingCode) == missing ? CellTruth.Always : CellTruth.Never;
            }

            return truths;
        }

        var negated = condition.Operator is ConditionOperator.NotEqual or ConditionOperator.NotIn;
        var positive = condition.Operator switch
        {
            ConditionOperator.NotEqual => ConditionOperator.Equal,
            ConditionOperator.NotIn => ConditionOperator.In,
            var op => op,
        };
        var ordering = positive is ConditionOperator.Less or ConditionOperator.LessOrEqual or ConditionOperator.Greater
            or ConditionOperator.GreaterOrEqual;
        var ok = column switch
        {
            CategoricalColumnSpec labels => OnLabels(condition, labels, constraint, ordering, truths, ref error, ref offset),
            NumericColumnSpec numbers => OnNumbers(condition, positive, numbers, constraint, truths, ref error, ref offset),
            DateColumnSpec dates => OnDates(condition, positive, dates, constraint, truths, ref error, ref offset),
            _ => throw new InvalidOperationException($"Unknown column kind {column.Kind}."),
        };
        if (!ok)
        {
            return null;
        }

        // The missing and other cells hold no listed or comparable value: the positive form never holds there.
        for (var code = column.ValueCellCount; code < truths.Length; code++)
        {
            truths[code] = CellTruth.Never;
        }

        if (negated)
        {
            for (var code = 0; code < truths.Length; code++)
            {
                truths[code] = truths[code] switch
                {
                    CellTruth.Always => CellTruth.Never,
                    CellTruth.Never => CellTruth.Always,
                    var t => t,
                };
            }
        }

        return truths;
    }

    private static bool OnLabels(
        ConditionSyntax condition, CategoricalColumnSpec column, string constraint, bool ordering, CellTruth[] truths,
        ref string error, ref int offset)
    {
        if (ordering)
        {
            error = Messages.ConstraintOrderingOnLabels(column.Name);
            return false;
        }

        var codes = new HashSet<int>();
        foreach (var (text, at) in condition.Values)
        {
            if (column.EncodeValue(text, out var code) != FieldStatus.Ok)
            {
                (error, offset) = (Messages.ConstraintNotACategory(constraint, text, column.Name, column.Categories), at);
                return false;
            }

            codes.Add(code);
        }

        for (var code = 0; code < column.ValueCellCount; code++)
        {
            truths[code] = codes.Contains(code) ? CellTruth.Always : CellTruth.Never;
        }

        return true;
    }

    private static bool OnNumbers(
        ConditionSyntax condition, ConditionOperator positive, NumericColumnSpec column, string constraint, CellTruth[] truths,
        ref string error, ref int offset)
    {
        var binning = column.Binning;
        var values = new List<double>();
        foreach (var (text, at) in condition.Values)
        {
            var status = column.ParseValue(text, out var value);
            var problem = status switch
            {
                FieldStatus.Ok when value < binning.Min || value > binning.Max => Messages.ConstraintOutsideBounds(
                    constraint, text, column.Name, Bound(binning, binning.Min), Bound(binning, binning.Max)),
                FieldStatus.Ok => null,
                FieldStatus.Inexact => Messages.ConstraintInexactNumber(constraint, text, column.Name, binning.IsInteger),
                _ when binning.IsInteger => Messages.ConstraintNotAnInteger(constraint, text, column.Name),
                _ => Messages.ConstraintNotANumber(constraint, text, column.Name),
            };
            if (problem is not null)
            {
                (error, offset) = (problem, at);
                return false;
            }

            values.Add(value);
        }

        for (var code = 0; code < binning.Count; code++)
        {
            var open = !binning.IsInteger && code < binning.Count - 1;
            truths[code] = OnInterval(positive, binning.Lower(code), binning.Upper(code), open, binning.IsInteger, values);
        }

        return true;
    }

    private static bool OnDates(
        ConditionSyntax condition, ConditionOperator positive, DateColumnSpec column, string constraint, CellTruth[] truths,
        ref string error, ref int offset)
    {
        var values = new List<double>();
        foreach (var (text, at) in condition.Values)
        {
            var problem = !column.TryParseDate(text, out var date)
                ? Messages.ConstraintNotADate(constraint, text, column.Name, column.Format)
                : date < column.MinDate || date > column.MaxDate
                    ? Messages.ConstraintOutsideBounds(constraint, text, column.Name, Day(column.MinDate, column), Day(column.MaxDate, column))
                    : null;
            if (problem is not null)
            {
                (error, offset) = (problem, at);
                return false;
            }

            values.Add(date.DayNumber);
        }

        for (var code = 0; code < column.ValueCellCount; code++)
        {
            var (first, last) = column.DayRange(code);
            truths[code] = OnInterval(positive, first.DayNumber, last.DayNumber, open: false, integral: true, values);
        }

        return true;
    }

    private static string Bound(Binning binning, double value) => binning.IsInteger
        ? ((long)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date, DateColumnSpec column) => date.ToString(column.Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The truth of a positive condition on the values <c>[lo, hi]</c> (<c>[lo, hi)</c> when <paramref name="open"/>),
    /// whole numbers only when <paramref name="integral"/>.
    /// </summary>
    private static CellTruth OnInterval(ConditionOperator op, double lo, double hi, bool open, bool integral, List<double> values)
    {
        var v = values[0];
        static CellTruth Of(bool always, bool never) => always ? CellTruth.Always : never ? CellTruth.Never : CellTruth.Sometimes;
        switch (op)
        {
            case ConditionOperator.Less:
                return Of(hi < v || (open && hi <= v), lo >= v);
            case ConditionOperator.LessOrEqual:
                return Of(hi <= v, lo > v);
            case ConditionOperator.Greater:
                return Of(lo > v, hi <= v);
            case ConditionOperator.GreaterOrEqual:
                return Of(lo >= v, hi < v || (open && hi <= v));
            default:
                // = and in: a listed value inside the cell; every value of the cell listed (a point, or all its integers).
                var inside = values.Where(x => x >= lo && (x < hi || (!open && x <= hi))).Distinct().Count();
                var all = integral ? inside == hi - lo + 1 : lo == hi && inside == 1;
                return Of(all, inside == 0);
        }
    }
}
