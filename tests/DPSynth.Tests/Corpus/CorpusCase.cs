using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Tests.Corpus;

/// <summary>
/// One case of the malformed-input corpus (tests/corpus/README.md): a title, the issue it comes from, and steps that
/// either prepare the case's work folder (copy, write, symlink, ...) or run the <c>dpsynth</c> command and say what it
/// must do. Read from a YAML file in tests/corpus/cases.
/// </summary>
public sealed record CorpusCase(string Name, string Title, bool UnixOnly, IReadOnlyList<CorpusStep> Steps)
{
    /// <summary>Reads the case file <paramref name="path"/>.</summary>
    public static CorpusCase Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var steps = ((YamlSequenceNode)root["steps"]).Children.Select(n => CorpusStep.From((YamlMappingNode)n)).ToList();
        return new CorpusCase(
            Path.GetFileNameWithoutExtension(path),
            Scalar(root, "title") ?? throw new FormatException($"{path}: no title"),
            Scalar(root, "unix_only") == "true",
            steps);
    }

    internal static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;

    internal static IReadOnlyList<string> List(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? node is YamlSequenceNode sequence ? [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "")] : [((YamlScalarNode)node).Value ?? ""]
            : [];
}

/// <summary>
/// One step of a corpus case. Exactly one action: <c>run</c> (the command's arguments) or a file operation
/// (<c>copy</c>, <c>write</c>, <c>repeat</c>, <c>replace</c>, <c>truncate</c>, <c>delete</c>, <c>symlink</c>,
/// <c>fifo</c>, <c>save</c>) or a check (<c>absent</c>, <c>present</c>). A run step states its <c>exit</c> code and may name text its output must
/// contain (<c>stderr</c>, <c>stdout</c>) and files a failing run may change (<c>may_change</c>, globs).
/// </summary>
public sealed record CorpusStep(
    string Action, YamlMappingNode Node, IReadOnlyList<string> Arguments, int Exit, IReadOnlyList<string> Stderr,
    IReadOnlyList<string> Stdout, IReadOnlyList<string> MayChange)
{
    private static readonly string[] Actions =
        ["run", "copy", "write", "repeat", "replace", "truncate", "delete", "symlink", "fifo", "save", "absent", "present"];

    /// <summary>Reads one step.</summary>
    public static CorpusStep From(YamlMappingNode node)
    {
        var actions = Actions.Where(a => node.Children.ContainsKey(new YamlScalarNode(a))).ToList();
        if (actions.Count != 1)
        {
            throw new FormatException($"a step needs exactly one of {string.Join(", ", Actions)} (line {node.Start.Line})");
        }

        var action = actions[0];
        var exit = CorpusCase.Scalar(node, "exit");
        if (action == "run" && exit is null)
        {
            throw new FormatException($"a run step states its exit code (line {node.Start.Line})");
        }

        return new CorpusStep(
            action, node, action == "run" ? CorpusCase.List(node, "run") : [],
            exit is null ? 0 : int.Parse(exit, CultureInfo.InvariantCulture),
            CorpusCase.List(node, "stderr"), CorpusCase.List(node, "stdout"), CorpusCase.List(node, "may_change"));
    }

    /// <summary>A key of this step's action mapping (e.g. <c>copy: {from, to}</c>), or of the step itself.</summary>
    public string? Get(string key) =>
        Node[Action] is YamlMappingNode map ? CorpusCase.Scalar(map, key) : CorpusCase.Scalar(Node, key);

    /// <summary>The action's value when it is a plain scalar (e.g. <c>delete: state/ledger.jsonl</c>).</summary>
    public string? Value => Node[Action] is YamlScalarNode scalar ? scalar.Value : null;
}
