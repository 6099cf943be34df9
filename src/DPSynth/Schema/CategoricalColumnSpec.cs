using System.Collections.Immutable;

namespace DPSynth.Schema;

/// <summary>
/// A categorical or boolean column: one cell per declared category, in declared order. Aliases are extra spellings
/// that encode to a category's cell (adult.test writes <c>&lt;=50K.</c> for <c>&lt;=50K</c>); decoding gives the
/// category itself.
/// </summary>
public sealed class CategoricalColumnSpec : ColumnSpec
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;

    /// <summary>Creates the column; the schema reader has checked categories and aliases are distinct.</summary>
    internal CategoricalColumnSpec(
        string name,
        bool nullable,
        OutOfDomainAction onOutOfDomain,
        ImmutableArray<string> categories,
        ImmutableDictionary<string, string> aliases,
        bool isBoolean = false)
        : base(name, nullable, onOutOfDomain)
    {
        Categories = categories;
        Aliases = aliases;
        IsBoolean = isBoolean;

        // Booleans accept any case ("TRUE", "False"); categories match exactly.
        var map = new Dictionary<string, int>(isBoolean ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (var i = 0; i < categories.Length; i++)
        {
            map.Add(categories[i], i);
        }

        foreach (var (alias, category) in aliases)
        {
            map.Add(alias, map[category]);
        }

        lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The labels, in cell order.</summary>
    public ImmutableArray<string> Categories { get; }

    /// <summary>Extra spellings (alias to category) accepted when encoding.</summary>
    public ImmutableDictionary<string, string> Aliases { get; }

    /// <summary>True for a boolean column (categories <c>false</c>, <c>true</c>).</summary>
    public bool IsBoolean { get; }

    /// <inheritdoc />
    public override ColumnKind Kind => IsBoolean ? ColumnKind.Boolean : ColumnKind.Categorical;

    /// <inheritdoc />
    public override int ValueCellCount => Categories.Length;

    /// <summary>The spellings a boolean column accepts besides <c>true</c> and <c>false</c> (any case).</summary>
    internal static ImmutableDictionary<string, string> BooleanAliases { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["1"] = "true", ["yes"] = "true", ["y"] = "true", ["t"] = "true",
            ["0"] = "false", ["no"] = "false", ["n"] = "false", ["f"] = "false",
        }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    internal override FieldStatus EncodeValue(ReadOnlySpan<char> text, out int code) =>
        lookup.TryGetValue(text, out code) ? FieldStatus.Ok : FieldStatus.OutOfDomain;

    /// <inheritdoc />
    internal override string DecodeValue(int code, Random random) => Categories[code];
}
