using System.Security.Cryptography;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

/// <summary>
/// Reads a policy file (format version 1, docs/policy-reference.md) strictly into a <see cref="Policy"/>: unknown keys,
/// wrong types, missing required keys, exclusive or method-specific keys, unknown columns, missing files and an
/// inline schema's own mistakes are all reported in one <see cref="LoadResult{T}"/>, each with file, line, column and
/// the key as a dotted path (<c>privacy.epsilon</c>).
/// </summary>
/// <remarks>
/// Every path in the file is resolved against the policy file's folder and stored absolute. Nothing here reads the
/// private table: the input file is only checked to exist, so a policy can be validated (and priced) before any data
/// are touched.
/// </remarks>
public static partial class PolicyReader
{
    /// <summary>The policy format version this reader understands.</summary>
    public const int SupportedVersion = 1;

    /// <summary>Reads the policy file at <paramref name="path"/> (UTF-8); <see cref="Policy.Sha256"/> hashes its bytes.</summary>
    public static LoadResult<Policy> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAllBytes(path, Messages.WhatPolicy);
        }
        catch (InputException ex)
        {
            // Missing, or not a regular file (a FIFO would hang the run, a device exhaust its memory).
            return LoadResult<Policy>.Failure([new Diagnostic(new SourceLocation(path), ex.Message)]);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return LoadResult<Policy>.Failure([new Diagnostic(new SourceLocation(path), Messages.InvalidUtf8)]);
        }

        return ReadText(text, path, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>
    /// Reads a policy from YAML text as if it were the file <paramref name="path"/> (which need not exist: relative paths
    /// in the text are resolved against its folder); <see cref="Policy.Sha256"/> hashes the text's UTF-8 bytes.
    /// </summary>
    public static LoadResult<Policy> Read(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        return ReadText(text, path, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    private static LoadResult<Policy> ReadText(string text, string file, string sha256)
    {
        var cx = new Context(file);

        // A byte-order mark is part of the hashed bytes but not of the document.
        if (YamlLoader.Load(new StringReader(text.TrimStart('\uFEFF')), cx.Fields) is not { } stream)
        {
            return LoadResult<Policy>.Failure(cx.Fields.Diagnostics);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? new SourceLocation(file, 1, 1) : cx.Fields.At(stream.Documents[0].RootNode, null);
            return LoadResult<Policy>.Failure([new Diagnostic(at, Messages.PolicyNotAMapping)]);
        }

        if (stream.Documents.Count > 1)
        {
            // A second document would be silently ignored: a policy is one document.
            cx.Fields.Error(stream.Documents[1].RootNode, null, Messages.PolicyManyDocuments);
        }

        CheckKeys(cx, root, string.Empty, TopKeys);
        ReadVersion(cx, root);

        // The dataset comes first: its schema is what every column name elsewhere is checked against.
        var dataset = Required(cx, root, "dataset", "the private table and its public schema") is { } d ? ReadDataset(cx, d) : null;
        var privacy = Required(cx, root, "privacy", "the budget of one run") is { } p ? ReadPrivacy(cx, p) : null;
        var synthesizer = YamlFieldReader.Get(root, "synthesizer") is { } s ? ReadSynthesizer(cx, s) : SynthesizerDefaults;
        var audits = YamlFieldReader.Get(root, "audits") is { } a ? ReadAudits(cx, a) : AuditDefaults;
        var evaluation = YamlFieldReader.Get(root, "evaluation") is { } e ? ReadEvaluation(cx, e) : EvaluationSettings.None;
        var release = Required(cx, root, "release", "where the bundles go") is { } r ? ReadRelease(cx, r) : null;

        var diagnostics = cx.AllDiagnostics();
        if (diagnostics.Count > 0)
        {
            return LoadResult<Policy>.Failure(diagnostics);
        }

        if (dataset is null || privacy is null || synthesizer is null || audits is null || evaluation is null || release is null)
        {
            // Every path that leaves a section null records a diagnostic first.
            throw new InvalidOperationException("A policy section failed to read without a diagnostic.");
        }

        return LoadResult<Policy>.Success(
            new Policy(cx.PolicyPath, sha256, dataset, privacy, synthesizer, audits, evaluation, release));
    }

    private static void ReadVersion(Context cx, YamlMappingNode root)
    {
        if (YamlFieldReader.Get(root, "version") is not { } node)
        {
            cx.Fields.Error(root, "version", Messages.PolicyVersionMissing);
        }
        else if (cx.Fields.Integer(node, "version") is { } version && version != SupportedVersion)
        {
            cx.Fields.Error(node, "version", Messages.PolicyVersionUnsupported(version, SupportedVersion));
        }
    }

    /// <summary>The value of a required key, or null with an error at the mapping that lacks it.</summary>
    private static YamlNode? Required(Context cx, YamlMappingNode map, string key, string what, string section = "")
    {
        if (YamlFieldReader.Get(map, key) is { } node)
        {
            return node;
        }

        var path = Join(section, key);
        cx.Fields.Error(map, path, Messages.PolicyKeyRequired(path, what));
        return null;
    }

    /// <summary>The key node (not the value) of <paramref name="key"/>: where a misplaced or conflicting key is reported.</summary>
    private static YamlNode KeyNode(YamlMappingNode map, string key)
    {
        foreach (var candidate in map.Children.Keys)
        {
            if (candidate is YamlScalarNode { Value: { } name } && name == key)
            {
                return candidate;
            }
        }

        return map;
    }

    private static string Join(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";

    /// <summary>The per-read state: the field reader (policy-file diagnostics) and the policy's folder.</summary>
    private sealed class Context
    {
        private readonly List<Diagnostic> external = [];

        public Context(string file)
        {
            Fields = new YamlFieldReader(file);
            PolicyPath = Path.GetFullPath(file);
            Directory = Path.GetDirectoryName(PolicyPath) ?? PolicyPath;
        }

        /// <summary>Typed access to the policy's nodes; collects the policy file's diagnostics.</summary>
        public YamlFieldReader Fields { get; }

        /// <summary>The policy file, absolute.</summary>
        public string PolicyPath { get; }

        /// <summary>The folder relative paths are resolved against.</summary>
        public string Directory { get; }

        /// <summary>The schema, once read without error; null while unknown (column checks are then skipped).</summary>
        public TableSchema? Schema { get; set; }

        /// <summary>Records diagnostics of another file (a referenced schema) or of the inline schema.</summary>
        public void AddExternal(IEnumerable<Diagnostic> diagnostics) => external.AddRange(diagnostics);

        /// <summary>The policy file's diagnostics in file order, then the referenced schema file's.</summary>
        public List<Diagnostic> AllDiagnostics()
        {
            var all = new List<Diagnostic>(Fields.Diagnostics);
            all.AddRange(external);

            // Stable: the policy file first, in line and column order; other files keep their readers' order.
            return [.. all
                .Select((diagnostic, index) => (diagnostic, index))
                .OrderBy(x => x.diagnostic.Location.File == Fields.File ? 0 : 1)
                .ThenBy(x => x.diagnostic.Location.File == Fields.File ? x.diagnostic.Location.Line : 0)
                .ThenBy(x => x.diagnostic.Location.File == Fields.File ? x.diagnostic.Location.Column : 0)
                .ThenBy(x => x.index)
                .Select(x => x.diagnostic)];
        }

        /// <summary>A path from the policy, resolved against the policy's folder.</summary>
        public string Resolve(string path) =>
            path.Any(char.IsControl)
                ? throw new InputException(Messages.PolicyPathControlCharacter(PolicyPath, Messages.ShowText(path)))
                : Path.GetFullPath(Path.Combine(Directory, path));
    }
}
