using System.Globalization;
using DPSynth.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

/// <summary>
/// Typed, strict access to YAML nodes that records a <see cref="Diagnostic"/> (file, line, column, key) for every
/// problem instead of throwing, so a reader reports all of them at once. Shared by the schema reader and, later, the
/// policy reader.
/// </summary>
/// <remarks>Numbers and booleans must be plain (unquoted) scalars; a quoted <c>"17"</c> is a string, not a number.</remarks>
internal sealed class YamlFieldReader(string file)
{
    private readonly List<Diagnostic> diagnostics = [];

    /// <summary>The file the nodes come from, as the user named it.</summary>
    public string File { get; } = file;

    /// <summary>Problems recorded so far, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    /// <summary>Where <paramref name="node"/> starts (1-based line and column).</summary>
    public SourceLocation At(YamlNode node, string? key) => new(File, node.Start.Line, node.Start.Column, key);

    /// <summary>Records a problem at <paramref name="node"/>.</summary>
    public void Error(YamlNode node, string? key, string message) => diagnostics.Add(new Diagnostic(At(node, key), message));

    /// <summary>
    /// Records a problem at character <paramref name="offset"/> of scalar <paramref name="node"/>'s text: exact for a
    /// scalar on one line (a quoted one after its opening quote, escapes aside), else at the scalar's start.
    /// </summary>
    public void Error(YamlNode node, int offset, string? key, string message)
    {
        if (node is not YamlScalarNode scalar || node.Start.Line != node.End.Line)
        {
            Error(node, key, message);
            return;
        }

        var column = node.Start.Column + offset + (scalar.Style == ScalarStyle.Plain ? 0 : 1);
        diagnostics.Add(new Diagnostic(new SourceLocation(File, node.Start.Line, column, key), message));
    }

    /// <summary>Records a problem at a parser mark (syntax errors).</summary>
    public void Error(Mark mark, string message) => diagnostics.Add(new Diagnostic(new SourceLocation(File, mark.Line, mark.Column), message));

    /// <summary>
    /// Checks that every key of <paramref name="mapping"/> is a plain string in <paramref name="allowed"/>; unknown keys
    /// are errors (a typo must never be ignored silently). <paramref name="describe"/> explains a known but misplaced key.
    /// </summary>
    public void CheckKeys(YamlMappingNode mapping, IReadOnlyCollection<string> allowed, Func<string, string?>? describe = null)
    {
        foreach (var key in mapping.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !allowed.Contains(name))
            {
                var text = (key as YamlScalarNode)?.Value ?? key.ToString();
                Error(key, text, describe?.Invoke(text) ?? Messages.UnknownKey(text, allowed));
            }
        }
    }

    /// <summary>The value node of <paramref name="key"/>, or null when absent.</summary>
    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The node as a mapping, or null with an error.</summary>
    public YamlMappingNode? Mapping(YamlNode node, string key)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, key, Messages.ExpectedMapping(key));
        return null;
    }

    /// <summary>The node as a sequence, or null with an error.</summary>
    public YamlSequenceNode? Sequence(YamlNode node, string key)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, key, Messages.ExpectedList(key));
        return null;
    }

    /// <summary>A non-empty string, or null with an error.</summary>
    public string? String(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value } scalar && !IsNull(scalar))
        {
            return value;
        }

        Error(node, key, Messages.ExpectedString(key));
        return null;
    }

    /// <summary>A string, possibly empty (a missing-value token may be <c>""</c>), or null with an error.</summary>
    public string? StringOrEmpty(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } value } scalar && !IsNull(scalar))
        {
            return value;
        }

        Error(node, key, Messages.ExpectedString(key));
        return null;
    }

    /// <summary>A whole number, or null with an error.</summary>
    public long? Integer(YamlNode node, string key)
    {
        if (LeadingZero(node, key))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value }
            && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        Error(node, key, Messages.ExpectedInteger(key));
        return null;
    }

    /// <summary>A finite real number, or null with an error.</summary>
    public double? Number(YamlNode node, string key)
    {
        if (LeadingZero(node, key))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value }
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            && double.IsFinite(result))
        {
            return result;
        }

        Error(node, key, Messages.ExpectedNumber(key));
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>, or null with an error.</summary>
    public bool? Boolean(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(node, key, Messages.ExpectedBoolean(key));
        return null;
    }

    /// <summary>One of <paramref name="choices"/> (case-sensitive, as written in the docs), or null with an error.</summary>
    public T? Choice<T>(YamlNode node, string key, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        if (node is YamlScalarNode { Value: { } value } && choices.TryGetValue(value, out var choice))
        {
            return choice;
        }

        Error(node, key, Messages.ExpectedChoice(key, choices.Keys));
        return null;
    }

    /// <summary>
    /// Records an error for a plain number whose whole part has a leading zero (<c>010</c>, <c>-07.5</c>): YAML 1.1 tools
    /// read <c>010</c> as octal 8 where this reader (YAML 1.2) reads 10, so a reviewer's tool and the run would disagree
    /// on a budget or a bound.
    /// </summary>
    private bool LeadingZero(YamlNode node, string key)
    {
        if (node is not YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value })
        {
            return false;
        }

        var digits = value.AsSpan().TrimStart("+-");
        if (digits.Length < 2 || digits[0] != '0' || !char.IsAsciiDigit(digits[1]))
        {
            return false;
        }

        Error(node, key, Messages.NumberLeadingZero(key, value));
        return true;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null";
}
