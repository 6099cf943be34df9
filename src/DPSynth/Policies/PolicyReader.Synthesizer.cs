using System.Globalization;
using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Marginals;
using DPSynth.Schema;
using YamlDotNet.RepresentationModel;
using DPSynth.Synthesizers;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    private static readonly string[] Methods = ["aim", "mst", "mwem"];

    /// <summary>Keys that only some methods use; on another method they are errors, not silently ignored settings.</summary>
    private static readonly (string Key, string[] Methods)[] MethodSpecificKeys =
    [
        ("workload", ["aim", "mwem"]), // MST picks its own spanning tree of pairs.
        ("max_model_size_mb", ["aim", "mwem"]),
        ("rounds", ["aim", "mwem"]),
        ("final_iterations", ["aim", "mst"]), // MWEM+PGM's last estimate is its last round's.
    ];

    /// <summary>The settings when the policy has no <c>synthesizer:</c> section.</summary>
    private static SynthesizerSettings SynthesizerDefaults { get; } =
        new("aim", WorkloadSpec.AllTwoWay, null, null, null, null, null);

    private static SynthesizerSettings? ReadSynthesizer(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "synthesizer") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "synthesizer", SynthesizerKeys);
        string? method = "aim";
        if (YamlFieldReader.Get(map, "method") is { } methodNode && cx.Fields.String(methodNode, "synthesizer.method") is { } m)
        {
            method = Methods.Contains(m) ? m : null;
            if (method is null)
            {
                cx.Fields.Error(methodNode, "synthesizer.method", Messages.ExpectedChoice("synthesizer.method", Methods));
            }
            else if (method == "mst" && cx.Schema is { } schema && schema.Columns.Length < 2)
            {
                cx.Fields.Error(methodNode, "synthesizer.method", Messages.MstNeedsTwoColumns(schema.Columns.Length));
            }
        }
        else if (YamlFieldReader.Get(map, "method") is not null)
        {
            method = null; // not a string: already reported
        }

        if (method is not null)
        {
            foreach (var (key, methods) in MethodSpecificKeys)
            {
                if (YamlFieldReader.Get(map, key) is not null && !methods.Contains(method))
                {
                    var message = Messages.PolicyKeyNotForMethod(key, method, string.Join(" and ", methods));
                    cx.Fields.Error(KeyNode(map, key), $"synthesizer.{key}", message);
                }
            }
        }

        var workload = WorkloadSpec.AllTwoWay;
        if (YamlFieldReader.Get(map, "workload") is { } workloadNode && method != "mst")
        {
            workload = ReadWorkload(cx, workloadNode);
        }

        var maxModelSize = YamlFieldReader.Get(map, "max_model_size_mb") is { } size
            ? NumberIn(
                cx, size, "synthesizer.max_model_size_mb", v => v is > 0 and <= SynthesisSteps.MaxModelSizeMb,
                string.Create(CultureInfo.InvariantCulture, $"greater than 0 and at most {SynthesisSteps.MaxModelSizeMb} (16 TiB)"))
            : null;
        var rounds = YamlFieldReader.Get(map, "rounds") is { } r ? PositiveInt(cx, r, "synthesizer.rounds") : null;
        var iterations = YamlFieldReader.Get(map, "iterations") is { } i ? PositiveInt(cx, i, "synthesizer.iterations") : null;
        var finalIterations = YamlFieldReader.Get(map, "final_iterations") is { } f
            ? PositiveInt(cx, f, "synthesizer.final_iterations")
            : null;

        int? seed = null;
        if (YamlFieldReader.Get(map, "seed") is { } seedNode && cx.Fields.Integer(seedNode, "synthesizer.seed") is { } s)
        {
            if (s is < int.MinValue or > int.MaxValue)
            {
                var message = Messages.PolicyIntegerOutOfRange("synthesizer.seed", "a 32-bit integer", s);
                cx.Fields.Error(seedNode, "synthesizer.seed", message);
            }
            else
            {
                seed = (int)s;
            }
        }

        long? maxMemory = null;
        if (YamlFieldReader.Get(map, "max_memory") is { } memoryNode && cx.Fields.String(memoryNode, "synthesizer.max_memory") is { } text)
        {
            try
            {
                maxMemory = ByteSize.Parse(text, "synthesizer.max_memory");
            }
            catch (InputException ex)
            {
                cx.Fields.Error(memoryNode, "synthesizer.max_memory", ex.Message);
            }
        }

        return method is null
            ? null
            : new SynthesizerSettings(method, workload, maxModelSize, rounds, iterations, finalIterations, seed, maxMemory);
    }

    /// <summary><c>2way</c>, <c>3way</c>, or a list of <c>{columns, weight}</c> entries checked against the schema.</summary>
    private static WorkloadSpec ReadWorkload(Context cx, YamlNode node)
    {
        const string key = "synthesizer.workload";
        if (node is YamlScalarNode { Value: "2way" or "3way" } named)
        {
            var k = named.Value == "2way" ? 2 : 3;
            if (cx.Schema is { } schema && schema.Columns.Length < k)
            {
                cx.Fields.Error(node, key, Messages.WorkloadKWayImpossible(k, schema.Columns.Length));
            }

            return k == 2 ? WorkloadSpec.AllTwoWay : new WorkloadSpec("3way", []);
        }

        if (node is not YamlSequenceNode list)
        {
            cx.Fields.Error(node, key, Messages.PolicyWorkloadKind);
            return WorkloadSpec.AllTwoWay;
        }

        if (list.Children.Count == 0)
        {
            cx.Fields.Error(node, key, Messages.WorkloadEmpty);
        }

        var entries = ImmutableArray.CreateBuilder<WorkloadEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            if (ReadWorkloadEntry(cx, item) is not { } entry)
            {
                continue;
            }

            // The same marginal twice is a mistake (Workload refuses it); column order does not make another marginal.
            var canonical = string.Join('\u001f', entry.Columns.Order(StringComparer.Ordinal));
            if (!seen.Add(canonical))
            {
                cx.Fields.Error(item, key, Messages.WorkloadDuplicateClique("(" + string.Join(", ", entry.Columns) + ")"));
            }

            entries.Add(entry);
        }

        return new WorkloadSpec("list", entries.ToImmutable());
    }

    private static WorkloadEntry? ReadWorkloadEntry(Context cx, YamlNode item)
    {
        const string section = "synthesizer.workload";
        if (cx.Fields.Mapping(item, section) is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, section, WorkloadEntryKeys);
        var ok = true;
        var columns = ImmutableArray.CreateBuilder<string>();
        if (YamlFieldReader.Get(map, "columns") is not { } columnsNode)
        {
            cx.Fields.Error(map, $"{section}.columns", Messages.PolicyWorkloadEntryNoColumns);
            ok = false;
        }
        else if (cx.Fields.Sequence(columnsNode, $"{section}.columns") is not { } names)
        {
            ok = false;
        }
        else if (names.Children.Count == 0)
        {
            cx.Fields.Error(columnsNode, $"{section}.columns", Messages.PolicyWorkloadEntryNoColumns);
            ok = false;
        }
        else
        {
            foreach (var nameNode in names.Children)
            {
                if (Column(cx, nameNode, $"{section}.columns") is not { } name)
                {
                    ok = false;
                }
                else if (columns.Contains(name))
                {
                    cx.Fields.Error(nameNode, $"{section}.columns", Messages.WorkloadRepeatedColumn(name));
                    ok = false;
                }
                else
                {
                    columns.Add(name);
                }
            }
        }

        var weight = 1.0;
        if (YamlFieldReader.Get(map, "weight") is { } weightNode)
        {
            if (cx.Fields.Number(weightNode, $"{section}.weight") is not { } w)
            {
                ok = false;
            }
            else if (!(w >= Workload.WeightGrid && w <= Workload.MaxWeight))
            {
                // Weights are public and rounded to a grid of 2^-10 before use; a smaller one would round to nothing.
                var clique = "(" + string.Join(", ", columns) + ")";
                cx.Fields.Error(weightNode, $"{section}.weight", Messages.WorkloadBadWeight(clique, w));
                ok = false;
            }
            else
            {
                weight = w;
            }
        }

        return ok ? new WorkloadEntry(columns.ToImmutable(), weight) : null;
    }

    /// <summary>
    /// A column name (non-empty string) that the schema has; null with an error otherwise. When the schema could not be
    /// read, the name is accepted unchecked (the schema's own errors are reported instead).
    /// </summary>
    private static string? Column(Context cx, YamlNode node, string key)
    {
        if (cx.Fields.String(node, key) is not { } name)
        {
            return null;
        }

        return CheckColumn(cx, node, key, name) ? name : null;
    }

    private static bool CheckColumn(Context cx, YamlNode node, string key, string name)
    {
        if (cx.Schema is not { } schema || schema.Domain.IndexOf(name) >= 0)
        {
            return true;
        }

        cx.Fields.Error(node, key, Messages.PolicyUnknownColumn(key, name, Nearest(name, schema.Domain.Names)));
        return false;
    }
}
