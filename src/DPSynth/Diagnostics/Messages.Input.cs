using System.Globalization;

namespace DPSynth.Diagnostics;

/// <summary>
/// Messages about hostile or careless input: files that are not regular files, CSV fields and records past their
/// bounds, YAML nested too deep, budgets out of range. Values quoted here go through <see cref="DisplayText"/>.
/// </summary>
public static partial class Messages
{
    /// <summary>What a policy file is, in a message.</summary>
    public const string WhatPolicy = "the policy";

    /// <summary>What a schema file is, in a message.</summary>
    public const string WhatSchema = "the schema";

    /// <summary>What a CSV file read under a schema is, in a message.</summary>
    public const string WhatCsv = "the CSV file";

    /// <summary>What a Parquet file read under a schema is, in a message.</summary>
    public const string WhatParquet = "the Parquet file";

    /// <summary>What a saved model is, in a message.</summary>
    public const string WhatModel = "the model file";

    /// <summary>A folder given where a file belongs.</summary>
    public const string FileKindFolder = "a folder";

    /// <summary>A file whose type this platform cannot report (so it is not taken for a regular file).</summary>
    public const string FileKindUnknown = "a file whose type this system cannot report";

    /// <summary>A named pipe.</summary>
    public const string FileKindFifo = "a FIFO (named pipe)";

    /// <summary>A character or block device.</summary>
    public const string FileKindDevice = "a device";

    /// <summary>A Unix socket.</summary>
    public const string FileKindSocket = "a socket";

    /// <summary>Anything else that is not a regular file (it cannot be seeked once opened).</summary>
    public const string FileKindStream = "a stream (a pipe or a device)";

    /// <summary>An input path names something other than a regular file.</summary>
    public static string NotARegularFile(string what, string path, string kind) =>
        $"{what} {ShowText(path)} is {kind}, not a regular file; give the path of an ordinary file";

    /// <summary>A name, key, category or token read from a file, as a message shows it (<see cref="DisplayText"/>).</summary>
    internal static string ShowName(string? name) => DisplayText.Of(name, DisplayText.MaxNameLength);

    /// <summary>A cell of the data, as a message shows it: escaped and cut short (<see cref="DisplayText"/>).</summary>
    internal static string ShowCell(string? value) => DisplayText.Of(value);

    /// <summary>A path or a parser's own explanation, as a message shows it (<see cref="DisplayText"/>).</summary>
    internal static string ShowText(string? text) => DisplayText.Of(text, DisplayText.MaxTextLength);

    private const string BoundReason =
        "a larger budget protects nothing, and its noise and conversions would no longer be finite and exact";

    private const string OpenQuoteHint = "(is a quote left open, or is this the wrong file?)";

    /// <summary>A CSV field past <c>CsvLimits.MaxFieldChars</c>.</summary>
    public static string CsvFieldTooLong(int limit) => string.Create(
        CultureInfo.InvariantCulture,
        $"a field of the record starting on this line is longer than {limit:N0} characters, the limit {OpenQuoteHint}");

    /// <summary>A CSV record (or a line to skip) past <c>CsvLimits.MaxRecordChars</c>.</summary>
    public static string CsvRecordTooLong(int limit) => string.Create(
        CultureInfo.InvariantCulture,
        $"the record starting on this line is longer than {limit:N0} characters, the limit {OpenQuoteHint}");

    /// <summary>YAML nested past <c>YamlLoader.MaxDepth</c>.</summary>
    public static string YamlTooDeep(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"mappings and lists nest more than {limit} levels deep here; {limit} is the limit");

    /// <summary>YAML holding more than <c>YamlLoader.MaxNodes</c> nodes, aliases expanded.</summary>
    public static string YamlTooManyNodes(int limit) => string.Create(
        CultureInfo.InvariantCulture,
        $"the document holds more than {limit:N0} values by here, counting each alias as the values it stands for; that is the limit");

    /// <summary>
    /// An epsilon or rho above its bound in <c>PrivacyBounds</c>; <paramref name="name"/> is the key or option,
    /// <paramref name="value"/> the value as given.
    /// </summary>
    public static string BudgetTooLarge(string name, double max, string value) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name} must be at most {max:R}, got {ShowCell(value)}: {BoundReason}");

    /// <summary>An epsilon above <c>PrivacyBounds.MaxEpsilon</c>.</summary>
    public static string EpsilonTooLarge(string name, double epsilon) =>
        BudgetTooLarge(name, Privacy.PrivacyBounds.MaxEpsilon, epsilon.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A policy key names something other than a regular file.</summary>
    public static string PolicyPathNotRegular(string key, string path, string kind) =>
        $"'{key}' names {ShowText(path)}, which is {kind}, not a regular file";

    /// <summary>A YAML alias inside the node its anchor names.</summary>
    public const string YamlAliasCycle =
        "a YAML alias refers to a node that contains it (a cycle such as '&k [*k]'); aliases may only repeat a finished node";

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>A YAML node with an explicit tag (<c>!!str</c>, <c>!name</c>), which policies and schemas never need.</summary>
    public static string YamlTagRefused(string tag) =>
        $"the YAML tag '{ShowText(tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? "!!" + tag[CoreTagPrefix.Length..] : tag)}' is not allowed: a tag changes how a key or value is read, and a policy or schema is read only as written (remove it; quote a value that must be a string)";

    /// <summary>A path in a policy that holds a control character (NUL, a line end, an escape).</summary>
    public static string PolicyPathControlCharacter(string policy, string shown) =>
        $"{policy}: the path '{shown}' holds a control character; no file name needs one";

    /// <summary>A CSV record with more fields than any schema could use.</summary>
    public static string CsvTooManyFields(int max) =>
        $"a record has more than {max:N0} fields; no schema models that many columns (a wrong delimiter or not a CSV file?)";
}
