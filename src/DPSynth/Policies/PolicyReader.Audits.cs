using System.Collections.Immutable;
using DPSynth.Audits;
using DPSynth.Diagnostics;
using DPSynth.Schema;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    /// <summary>The default share of rows the synthesizer trains on (design.md section 7: an 80/20 split).</summary>
    public const double DefaultTrainShare = 0.8;

    /// <summary>The settings when the policy has no <c>audits:</c> section.</summary>
    private static AuditSettings AuditDefaults { get; } = new(DefaultTrainShare, GateThresholds.Default);

    private static AuditSettings? ReadAudits(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "audits") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "audits", AuditKeys);
        var defaults = GateThresholds.Default;

        // Both sides of the split must be non-empty in expectation, or there is nothing to train on or audit against.
        var trainShare = Optional(
            cx, map, "train_share", "audits", v => v is > 0 and < 1, "strictly between 0 and 1", DefaultTrainShare);

        // An AUC below 0.5 is worse than guessing; no attack result could pass such a gate.
        var auc = Optional(cx, map, "max_attack_auc", "audits", v => v is >= 0.5 and <= 1, "from 0.5 to 1", defaults.MaxAttackAuc);
        var dcr = Optional(
            cx, map, "max_dcr_share_excess", "audits", v => v is >= 0 and <= 1, "from 0 to 1", defaults.MaxDcrShareExcess);
        var exact = Optional(
            cx, map, "max_exact_match_excess", "audits", v => v is >= 0 and <= 1, "from 0 to 1", defaults.MaxExactMatchExcess);
        return new AuditSettings(trainShare, new GateThresholds(auc, dcr, exact));
    }

    private static EvaluationSettings? ReadEvaluation(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "evaluation") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "evaluation", EvaluationKeys);
        var target = YamlFieldReader.Get(map, "target") is { } targetNode ? Column(cx, targetNode, "evaluation.target") : null;
        var groups = YamlFieldReader.Get(map, "groups") is { } groupsNode
            ? ColumnList(cx, groupsNode, "evaluation.groups")
            : [];
        return new EvaluationSettings(target, groups);
    }

    /// <summary>A list of distinct column names the schema has; the valid ones, with an error for each other.</summary>
    private static ImmutableArray<string> ColumnList(Context cx, YamlNode node, string key)
    {
        if (cx.Fields.Sequence(node, key) is not { } list)
        {
            return [];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var item in list.Children)
        {
            if (Column(cx, item, key) is not { } name)
            {
                continue;
            }

            if (names.Contains(name))
            {
                cx.Fields.Error(item, key, Messages.PolicyColumnListedTwice(key, name));
            }
            else
            {
                names.Add(name);
            }
        }

        return names.ToImmutable();
    }

    /// <summary>An optional number with its range check; the default when absent or invalid (the error is recorded).</summary>
    private static double Optional(
        Context cx, YamlMappingNode map, string key, string section, Func<double, bool> ok, string range, double fallback) =>
        YamlFieldReader.Get(map, key) is { } node ? NumberIn(cx, node, Join(section, key), ok, range) ?? fallback : fallback;
}
