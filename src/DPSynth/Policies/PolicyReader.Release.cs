using System.Collections.Immutable;
using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Schema;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    private static readonly string[] Formats = ["csv", "model"];

    private static ReleaseSettings? ReadRelease(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "release") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "release", ReleaseKeys);
        string? output = null;
        if (Required(cx, map, "output", "the folder that receives one bundle folder per run", "release") is { } outputNode
            && cx.Fields.String(outputNode, "release.output") is { } text)
        {
            output = cx.Resolve(text);
            if (File.Exists(output))
            {
                cx.Fields.Error(outputNode, "release.output", Messages.PolicyPathIsFile("release.output", output));
            }
        }

        var rows = YamlFieldReader.Get(map, "rows") is { } rowsNode ? PositiveInt(cx, rowsNode, "release.rows") : null;
        var formats = YamlFieldReader.Get(map, "formats") is { } formatsNode ? ReadFormats(cx, formatsNode) : ["csv"];
        var rebalanceNode = YamlFieldReader.Get(map, "rebalance");
        var conditionNode = YamlFieldReader.Get(map, "condition");
        var rebalance = rebalanceNode is null ? null : cx.Fields.String(rebalanceNode, "release.rebalance");
        var condition = conditionNode is null ? null : cx.Fields.String(conditionNode, "release.condition");
        CheckSampling(cx, rebalanceNode, rebalance, conditionNode, condition);

        var publish = YamlFieldReader.Get(map, "publish_internal_figures") is { } publishNode
            ? cx.Fields.Boolean(publishNode, "release.publish_internal_figures") ?? false
            : false;
        var signing = YamlFieldReader.Get(map, "signing") is { } signingNode ? ReadSigning(cx, signingNode) : null;

        return output is null ? null : new ReleaseSettings(output, rows, formats, rebalance, condition, publish, signing);
    }

    /// <summary>The bundle's formats: <c>csv</c> always, first; <c>model</c> when listed.</summary>
    private static ImmutableArray<string> ReadFormats(Context cx, YamlNode node)
    {
        var model = false;
        if (cx.Fields.Sequence(node, "release.formats") is { } list)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list.Children)
            {
                if (cx.Fields.String(item, "release.formats") is not { } format)
                {
                    continue;
                }

                if (!Formats.Contains(format))
                {
                    cx.Fields.Error(item, "release.formats", Messages.ExpectedChoice("release.formats", Formats));
                }
                else if (!seen.Add(format))
                {
                    cx.Fields.Error(item, "release.formats", Messages.PolicyFormatListedTwice(format));
                }
                else
                {
                    model |= format == "model";
                }
            }
        }

        return model ? ["csv", "model"] : ["csv"];
    }

    /// <summary>
    /// Checks <c>rebalance</c> and <c>condition</c> as <c>synth --rebalance</c> / <c>--condition</c> would, against the
    /// schema: unknown columns first (with a hint), then values, shares and the two together.
    /// </summary>
    private static void CheckSampling(
        Context cx, YamlNode? rebalanceNode, string? rebalance, YamlNode? conditionNode, string? condition)
    {
        if (cx.Schema is not { } schema)
        {
            return;
        }

        var rebalanceOk = rebalanceNode is not null && rebalance is not null
            && CheckSamplingOption(cx, schema, rebalanceNode, "release.rebalance", "synth --rebalance", [rebalance], rebalance, null);
        var conditionOk = conditionNode is not null && condition is not null
            && CheckSamplingOption(
                cx, schema, conditionNode, "release.condition", "synth --condition", condition.Split(','), null, condition);
        if (rebalanceOk && conditionOk)
        {
            // Each is valid alone; together they must not rebalance a conditioned column.
            CheckSamplingOption(cx, schema, rebalanceNode!, "release.rebalance", "synth --rebalance", [], rebalance, condition);
        }
    }

    private static bool CheckSamplingOption(
        Context cx, TableSchema schema, YamlNode node, string key, string flag, string[] items, string? rebalance, string? condition)
    {
        foreach (var item in items)
        {
            var cut = item.IndexOf('=', StringComparison.Ordinal);
            if (cut > 0 && !CheckColumn(cx, node, key, item[..cut].Trim()))
            {
                return false;
            }
        }

        try
        {
            SamplingRequest.Parse(schema, rebalance, condition);
            return true;
        }
        catch (InputException ex)
        {
            cx.Fields.Error(node, key, Messages.PolicySamplingInvalid(key, flag, ex.Message));
            return false;
        }
    }

    private static SigningSettings? ReadSigning(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "release.signing") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "release.signing", SigningKeys);
        var certificate = Required(cx, map, "certificate", "a .pfx/.p12 file or a PEM certificate", "release.signing") is { } c
            ? ExistingFile(cx, c, "release.signing.certificate")
            : null;
        string? key = null;
        if (YamlFieldReader.Get(map, "key") is { } keyNode)
        {
            key = ExistingFile(cx, keyNode, "release.signing.key");
            if (certificate is not null && IsPfx(certificate))
            {
                cx.Fields.Error(KeyNode(map, "key"), "release.signing.key", Messages.PolicyKeyWithPfx);
            }
        }

        string? passwordEnv = null;
        if (YamlFieldReader.Get(map, "password_env") is { } envNode
            && cx.Fields.String(envNode, "release.signing.password_env") is { } name)
        {
            if (IsEnvironmentVariableName(name))
            {
                passwordEnv = name;
            }
            else
            {
                cx.Fields.Error(envNode, "release.signing.password_env", Messages.PolicyPasswordEnvNotAName);
            }
        }

        return certificate is null ? null : new SigningSettings(certificate, key, passwordEnv);
    }

    private static bool IsPfx(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    /// <summary>A POSIX-portable variable name; anything else (spaces, punctuation) looks like a pasted password.</summary>
    private static bool IsEnvironmentVariableName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
