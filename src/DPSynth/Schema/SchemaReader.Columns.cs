using System.Collections.Immutable;
using System.Globalization;
using DPSynth.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

/// <summary>Reading one column entry of a schema.</summary>
public static partial class SchemaReader
{
    // Integers beyond 2^53 would lose precision in the double bounds of a Binning.
    private const long MaxSafeInteger = 1L << 53;

    private static readonly string[] CommonKeys = ["name", "type", "nullable", "on_out_of_domain"];

    // Decoded continuous values are printed with at most this many decimals (doubles carry about 15-17 digits).
    private const int MaxDecimals = 12;

    private static readonly Dictionary<ColumnKind, string[]> KeysByKind = new()
    {
        [ColumnKind.Integer] = [.. CommonKeys, "min", "max", "bins", "edges"],
        [ColumnKind.Continuous] = [.. CommonKeys, "min", "max", "bins", "edges", "decimals"],
        [ColumnKind.Categorical] = [.. CommonKeys, "categories", "aliases"],
        [ColumnKind.Boolean] = [.. CommonKeys],
        [ColumnKind.Date] = [.. CommonKeys, "min", "max", "bins", "granularity", "format"],
    };

    private static readonly string[] AllColumnKeys = [.. KeysByKind.Values.SelectMany(k => k).Distinct()];

    private static readonly Dictionary<string, ColumnKind> KindChoices = new(StringComparer.Ordinal)
    {
        ["integer"] = ColumnKind.Integer,
        ["continuous"] = ColumnKind.Continuous,
        ["categorical"] = ColumnKind.Categorical,
        ["boolean"] = ColumnKind.Boolean,
        ["date"] = ColumnKind.Date,
    };

    private static readonly Dictionary<string, DateGranularity> GranularityChoices = new(StringComparer.Ordinal)
    {
        ["day"] = DateGranularity.Day,
        ["month"] = DateGranularity.Month,
        ["year"] = DateGranularity.Year,
    };

    private static ColumnSpec? ReadColumn(
        YamlNode item, ColumnDefaults defaults, YamlFieldReader fields, Dictionary<string, YamlNode> firstByName)
    {
        if (fields.Mapping(item, "columns") is not { } map)
        {
            return null;
        }

        string? name = null;
        if (YamlFieldReader.Get(map, "name") is not { } nameNode)
        {
            fields.Error(map, "name", Messages.ColumnWithoutName);
        }
        else if ((name = fields.String(nameNode, "name")) is not null && !firstByName.TryAdd(name, nameNode))
        {
            fields.Error(nameNode, "name", Messages.DuplicateColumn(name, firstByName[name].Start.Line));
            name = null;
        }
        else if (name is not null && defaults.Csv is { Trim: true, Header: true } && !IsTrimmed(name))
        {
            // The header's names are trimmed as the fields are (CsvEncoder), so a padded name is never found.
            fields.Error(nameNode, "name", Messages.ColumnNameNotTrimmed(name));
            name = null;
        }

        ColumnKind? kind = null;
        if (YamlFieldReader.Get(map, "type") is not { } typeNode)
        {
            fields.Error(map, "type", Messages.ColumnWithoutType(name));
        }
        else
        {
            kind = fields.Choice(typeNode, "type", KindChoices);
        }

        if (kind is not { } k)
        {
            fields.CheckKeys(map, AllColumnKeys);
            return null;
        }

        fields.CheckKeys(map, KeysByKind[k], key => AllColumnKeys.Contains(key) ? Messages.KeyNotForType(key, KindName(k)) : null);
        var nullable = YamlFieldReader.Get(map, "nullable") is { } n ? fields.Boolean(n, "nullable") ?? false : defaults.Nullable;
        var action = ReadColumnAction(map, k, defaults, fields);
        var before = fields.Diagnostics.Count;
        ColumnSpec? column = k switch
        {
            ColumnKind.Integer => ReadInteger(map, name ?? "?", nullable, action, fields),
            ColumnKind.Continuous => ReadContinuous(map, name ?? "?", nullable, action, fields),
            ColumnKind.Categorical => ReadCategorical(map, name ?? "?", nullable, action, defaults, fields),
            ColumnKind.Boolean => new CategoricalColumnSpec(
                name ?? "?", nullable, action, ["false", "true"], CategoricalColumnSpec.BooleanAliases, isBoolean: true),
            _ => ReadDate(map, name ?? "?", nullable, action, fields),
        };

        if (column is not null && column.CellCount > Domain.MaxAttributeSize)
        {
            fields.Error(map, name, Messages.TooManyCells(name ?? "?", column.CellCount, Domain.MaxAttributeSize));
        }

        return name is null || fields.Diagnostics.Count > before ? null : column;
    }

    private static OutOfDomainAction ReadColumnAction(YamlMappingNode map, ColumnKind kind, ColumnDefaults defaults, YamlFieldReader fields)
    {
        var categorical = kind is ColumnKind.Categorical or ColumnKind.Boolean;
        if (YamlFieldReader.Get(map, "on_out_of_domain") is { } node
            && fields.Choice(node, "on_out_of_domain", OutOfDomainChoices) is { } own)
        {
            if (categorical && own == OutOfDomainAction.Clamp || !categorical && own == OutOfDomainAction.Other)
            {
                fields.Error(node, "on_out_of_domain", Messages.ActionNotForType(own == OutOfDomainAction.Clamp ? "clamp" : "other", KindName(kind)));
            }

            return own;
        }

        // The file-wide default names the closest per-type action: numbers clamp under "other", labels fail under "clamp".
        return defaults.OnOutOfDomain switch
        {
            OutOfDomainAction.Other when !categorical => OutOfDomainAction.Clamp,
            OutOfDomainAction.Clamp when categorical => OutOfDomainAction.Fail,
            var a => a,
        };
    }

    private static NumericColumnSpec? ReadInteger(YamlMappingNode map, string name, bool nullable, OutOfDomainAction action, YamlFieldReader fields)
    {
        if (!ReadRange(map, fields, fields.Integer, out var lo, out var hi, out var edges))
        {
            return null;
        }

        if (lo < -MaxSafeInteger || hi > MaxSafeInteger)
        {
            var low = lo < -MaxSafeInteger;
            fields.Error(YamlFieldReader.Get(map, low ? "min" : "max") ?? map, low ? "min" : "max", Messages.IntegerTooLarge(MaxSafeInteger));
            return null;
        }

        var bins = ReadBins(map, fields, edges is not null);
        if (edges is not null)
        {
            return Binning.IntegerEdges(lo, hi, edges) is { } binning
                ? new NumericColumnSpec(name, nullable, action, binning)
                : EmptyBin(map, fields);
        }

        if (bins is { } k)
        {
            // Checked: hi - lo + 1 fits, both are within 2^53.
            if (k > hi - lo + 1)
            {
                fields.Error(YamlFieldReader.Get(map, "bins")!, "bins", Messages.MoreBinsThanValues(k, hi - lo + 1));
                return null;
            }

            return new NumericColumnSpec(name, nullable, action, Binning.IntegerEqualWidth(lo, hi, k));
        }

        if (hi - lo + 1 > Domain.MaxAttributeSize)
        {
            fields.Error(map, name, Messages.TooManyIntegerValues(name, hi - lo + 1, Domain.MaxAttributeSize));
            return null;
        }

        return new NumericColumnSpec(name, nullable, action, Binning.PerInteger(lo, hi));
    }

    private static NumericColumnSpec? ReadContinuous(YamlMappingNode map, string name, bool nullable, OutOfDomainAction action, YamlFieldReader fields)
    {
        if (!ReadRange(map, fields, fields.Number, out var lo, out var hi, out var edges))
        {
            return null;
        }

        // Bin arithmetic (widths, uniform draws) needs max - min to be a finite double.
        if (!double.IsFinite(hi - lo))
        {
            fields.Error(YamlFieldReader.Get(map, "max") ?? map, "max", Messages.RangeTooWide);
            return null;
        }

        var bins = ReadBins(map, fields, edges is not null);
        int? decimals = null;
        if (YamlFieldReader.Get(map, "decimals") is { } decimalsNode && fields.Integer(decimalsNode, "decimals") is { } d)
        {
            if (d is < 0 or > MaxDecimals)
            {
                fields.Error(decimalsNode, "decimals", Messages.DecimalsOutOfRange(MaxDecimals));
                return null;
            }

            decimals = (int)d;
        }

        if (edges is not null)
        {
            return Binning.ContinuousEdges(lo, hi, edges) is { } binning
                ? new NumericColumnSpec(name, nullable, action, binning, decimals)
                : EmptyBin(map, fields);
        }

        if (bins is not { } k)
        {
            if (YamlFieldReader.Get(map, "bins") is null)
            {
                fields.Error(map, name, Messages.ContinuousNeedsBins(name));
            }

            return null;
        }

        return Binning.ContinuousEqualWidth(lo, hi, k) is { } equal
            ? new NumericColumnSpec(name, nullable, action, equal, decimals)
            : EmptyBin(map, fields);
    }

    /// <summary>
    /// Reads <c>min</c>, <c>max</c> and <c>edges</c> (bounds default to the outer edges); false after an error. Edges may
    /// reach past the bounds but must cover them.
    /// </summary>
    private static bool ReadRange<T>(
        YamlMappingNode map, YamlFieldReader fields, Func<YamlNode, string, T?> read, out T lo, out T hi, out List<T>? edges)
        where T : struct, IComparable<T>
    {
        var minNode = YamlFieldReader.Get(map, "min");
        var maxNode = YamlFieldReader.Get(map, "max");
        var min = minNode is null ? null : read(minNode, "min");
        var max = maxNode is null ? null : read(maxNode, "max");
        edges = null;
        var edgesNode = YamlFieldReader.Get(map, "edges");
        if (edgesNode is not null && fields.Sequence(edgesNode, "edges") is { } seq)
        {
            edges = ReadIncreasing(seq, fields, node => read(node, "edges"));
            min ??= edges?[0];
            max ??= edges?[^1];
        }

        if (!CheckBounds(map, minNode, maxNode, min, max, fields, out lo, out hi))
        {
            return false;
        }

        if (edges is not null && (edges[0].CompareTo(lo) > 0 || edges[^1].CompareTo(hi) < 0))
        {
            fields.Error(edgesNode!, "edges", Messages.EdgesDoNotCover(Invariant(lo), Invariant(hi)));
            return false;
        }

        return true;
    }

    private static string Invariant<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static NumericColumnSpec? EmptyBin(YamlMappingNode map, YamlFieldReader fields)
    {
        var node = YamlFieldReader.Get(map, "edges") ?? YamlFieldReader.Get(map, "bins") ?? map;
        fields.Error(node, "edges", Messages.EmptyBin);
        return null;
    }

    private static bool CheckBounds<T>(
        YamlMappingNode map, YamlNode? minNode, YamlNode? maxNode, T? min, T? max, YamlFieldReader fields, out T lo, out T hi)
        where T : struct, IComparable<T>
    {
        lo = min ?? default;
        hi = max ?? default;
        if (minNode is null && min is null)
        {
            fields.Error(map, "min", Messages.MissingBound("min"));
        }

        if (maxNode is null && max is null)
        {
            fields.Error(map, "max", Messages.MissingBound("max"));
        }

        if (min is null || max is null)
        {
            return false;
        }

        if (lo.CompareTo(hi) > 0)
        {
            fields.Error(maxNode ?? minNode ?? map, maxNode is null ? "min" : "max", Messages.MinAboveMax(Invariant(lo), Invariant(hi)));
            return false;
        }

        return true;
    }

    private static int? ReadBins(YamlMappingNode map, YamlFieldReader fields, bool hasEdges)
    {
        if (YamlFieldReader.Get(map, "bins") is not { } node)
        {
            return null;
        }

        if (hasEdges)
        {
            fields.Error(node, "bins", Messages.BinsAndEdges);
            return null;
        }

        if (fields.Integer(node, "bins") is not { } bins)
        {
            return null;
        }

        if (bins is < 1 or > Domain.MaxAttributeSize)
        {
            fields.Error(node, "bins", Messages.BinsOutOfRange(Domain.MaxAttributeSize));
            return null;
        }

        return (int)bins;
    }

    private static List<T>? ReadIncreasing<T>(YamlSequenceNode seq, YamlFieldReader fields, Func<YamlNode, T?> read)
        where T : struct, IComparable<T>
    {
        var values = new List<T>();
        var ok = true;
        foreach (var node in seq.Children)
        {
            if (read(node) is not { } value)
            {
                ok = false;
                continue;
            }

            if (values.Count > 0 && value.CompareTo(values[^1]) <= 0)
            {
                fields.Error(node, "edges", Messages.EdgesNotIncreasing);
                ok = false;
            }

            values.Add(value);
        }

        if (values.Count < 2)
        {
            fields.Error(seq, "edges", Messages.TooFewEdges);
            return null;
        }

        return ok ? values : null;
    }

    private static CategoricalColumnSpec? ReadCategorical(
        YamlMappingNode map, string name, bool nullable, OutOfDomainAction action, ColumnDefaults defaults, YamlFieldReader fields)
    {
        if (YamlFieldReader.Get(map, "categories") is not { } node)
        {
            fields.Error(map, "categories", Messages.CategoriesMissing(name));
            return null;
        }

        if (fields.Sequence(node, "categories") is not { } seq)
        {
            return null;
        }

        if (seq.Children.Count == 0)
        {
            fields.Error(seq, "categories", Messages.CategoriesEmpty(name));
            return null;
        }

        var categories = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in seq.Children)
        {
            if (fields.StringOrEmpty(item, "categories") is not { } category)
            {
                continue;
            }

            if (!seen.Add(category))
            {
                fields.Error(item, "categories", Messages.DuplicateCategory(category));
            }
            else if (defaults.MissingTokens.Contains(category))
            {
                fields.Error(item, "categories", Messages.CategoryIsMissingToken(category));
            }
            else if (defaults.Csv.Trim && !IsTrimmed(category))
            {
                fields.Error(item, "categories", Messages.LabelNotTrimmed(name, "category", category));
            }
            else
            {
                categories.Add(category);
            }
        }

        var aliases = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (YamlFieldReader.Get(map, "aliases") is { } aliasNode && fields.Mapping(aliasNode, "aliases") is { } aliasMap)
        {
            foreach (var (keyNode, valueNode) in aliasMap.Children)
            {
                var alias = fields.StringOrEmpty(keyNode, "aliases");
                var target = fields.StringOrEmpty(valueNode, "aliases");
                if (alias is null || target is null)
                {
                    continue;
                }

                if (!seen.Contains(target))
                {
                    fields.Error(valueNode, "aliases", Messages.AliasTargetUnknown(alias, target));
                }
                else if (seen.Contains(alias) || defaults.MissingTokens.Contains(alias))
                {
                    fields.Error(keyNode, "aliases", Messages.AliasClashes(alias));
                }
                else if (defaults.Csv.Trim && !IsTrimmed(alias))
                {
                    fields.Error(keyNode, "aliases", Messages.LabelNotTrimmed(name, "alias", alias));
                }
                else
                {
                    aliases.Add(alias, target);
                }
            }
        }

        return new CategoricalColumnSpec(name, nullable, action, categories.ToImmutable(), aliases.ToImmutable());
    }

    private static DateColumnSpec? ReadDate(YamlMappingNode map, string name, bool nullable, OutOfDomainAction action, YamlFieldReader fields)
    {
        var granularity = YamlFieldReader.Get(map, "granularity") is { } g
            ? fields.Choice(g, "granularity", GranularityChoices) ?? DateGranularity.Day
            : DateGranularity.Day;
        var format = DateColumnSpec.DefaultFormat;
        if (YamlFieldReader.Get(map, "format") is { } formatNode && fields.String(formatNode, "format") is { } f)
        {
            // A format must read back what it writes, or decoded dates would not encode again.
            var probe = new DateOnly(2001, 12, 31);
            if (!TryFormat(probe, f, out var text)
                || !DateOnly.TryParseExact(text, f, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back)
                || DateColumnSpec.UnitOf(back, granularity) != DateColumnSpec.UnitOf(probe, granularity))
            {
                fields.Error(formatNode, "format", Messages.BadDateFormat(f));
            }
            else
            {
                format = f;
            }
        }

        var minNode = YamlFieldReader.Get(map, "min");
        var maxNode = YamlFieldReader.Get(map, "max");
        var min = minNode is null ? null : ReadDateValue(minNode, "min", fields);
        var max = maxNode is null ? null : ReadDateValue(maxNode, "max", fields);
        if (!CheckBounds(map, minNode, maxNode, min, max, fields, out var lo, out var hi))
        {
            return null;
        }

        // Units are counted from the bounds; bins, when given, group them.
        var first = DateColumnSpec.UnitOf(lo, granularity);
        var last = DateColumnSpec.UnitOf(hi, granularity);
        var bins = ReadBins(map, fields, hasEdges: false);
        Binning binning;
        if (bins is { } k)
        {
            if (k > last - first + 1)
            {
                fields.Error(YamlFieldReader.Get(map, "bins")!, "bins", Messages.MoreBinsThanValues(k, last - first + 1));
                return null;
            }

            binning = Binning.IntegerEqualWidth(first, last, k);
        }
        else if (last - first + 1 > Domain.MaxAttributeSize)
        {
            fields.Error(map, name, Messages.TooManyIntegerValues(name, last - first + 1, Domain.MaxAttributeSize));
            return null;
        }
        else
        {
            binning = Binning.PerInteger(first, last);
        }

        return new DateColumnSpec(name, nullable, action, lo, hi, granularity, format, binning);
    }

    private static bool TryFormat(DateOnly date, string format, out string text)
    {
        try
        {
            text = date.ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static DateOnly? ReadDateValue(YamlNode node, string key, YamlFieldReader fields)
    {
        if (node is YamlScalarNode { Value: { } text }
            && DateOnly.TryParseExact(text, DateColumnSpec.DefaultFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        fields.Error(node, key, Messages.ExpectedDate(key));
        return null;
    }

    private static string KindName(ColumnKind kind) => KindChoices.First(p => p.Value == kind).Key;
}
