using DPSynth.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    // One file holds every key list and the map built from them: static initializers run in textual order within a
    // file, but their order across the files of a partial class is not defined.
    private static readonly string[] TopKeys = ["version", "dataset", "privacy", "synthesizer", "audits", "evaluation", "release"];
    private static readonly string[] DatasetKeys = ["id", "input", "schema"];
    private static readonly string[] PrivacyKeys = ["epsilon", "delta", "rho", "cap", "ledger", "insecure_deterministic_noise"];
    private static readonly string[] CapKeys = ["epsilon", "delta"];
    private static readonly string[] SynthesizerKeys =
        ["method", "workload", "max_model_size_mb", "rounds", "iterations", "final_iterations", "seed", "max_memory"];
    private static readonly string[] WorkloadEntryKeys = ["columns", "weight"];
    private static readonly string[] AuditKeys = ["train_share", "max_attack_auc", "max_dcr_share_excess", "max_exact_match_excess"];
    private static readonly string[] EvaluationKeys = ["target", "groups"];
    private static readonly string[] ReleaseKeys =
        ["output", "rows", "formats", "rebalance", "condition", "publish_internal_figures", "signing"];
    private static readonly string[] SigningKeys = ["certificate", "key", "password_env"];

    /// <summary>Where each known key belongs, to point a misplaced key at its section (first section wins).</summary>
    private static readonly Dictionary<string, string> SectionOfKey = BuildSectionOfKey();

    /// <summary>
    /// Checks that every key of <paramref name="map"/> is a plain string in <paramref name="allowed"/>. An unknown key is
    /// an error (a typo must never be ignored silently, least of all in a privacy budget), reported at the key with the
    /// section it belongs to when it is misplaced, or the nearest allowed key when it looks like a typo.
    /// </summary>
    private static void CheckKeys(Context cx, YamlMappingNode map, string section, IReadOnlyList<string> allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is not null && allowed.Contains(name))
            {
                continue;
            }

            var text = name ?? key.ToString();
            cx.Fields.Error(key, Join(section, text), DescribeUnknownKey(section, text, allowed));
        }
    }

    private static string DescribeUnknownKey(string section, string key, IReadOnlyList<string> allowed)
    {
        if (key.Contains("password", StringComparison.OrdinalIgnoreCase) && key != "password_env")
        {
            return Messages.PolicyPasswordKey;
        }

        // A cap takes epsilon and delta only; pointing its 'rho' at 'privacy:' would mislead.
        if (section != "privacy.cap" && SectionOfKey.TryGetValue(key, out var home) && home != section)
        {
            return Messages.PolicyKeyInOtherSection(key, home.Length == 0 ? "(top level)" : home);
        }

        return Messages.UnknownPolicyKey(key, Nearest(key, allowed), allowed);
    }

    /// <summary>
    /// The candidate closest to <paramref name="text"/>, when it is close enough to be a likely typo: equal after
    /// ignoring case, <c>_</c> and <c>-</c> (<c>trainShare</c>), or within an edit distance of 2 (1 for short words).
    /// </summary>
    internal static string? Nearest(string text, IEnumerable<string> candidates)
    {
        var normalized = Normalize(text);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var other = Normalize(candidate);
            var distance = other == normalized ? 0 : EditDistance(normalized, other);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var limit = normalized.Length <= 4 ? 1 : 2;
        return bestDistance <= limit ? best : null;
    }

    private static string Normalize(string text) =>
        text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal)
            .ToLowerInvariant();

    /// <summary>Levenshtein distance (insertions, deletions and substitutions cost 1).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static Dictionary<string, string> BuildSectionOfKey()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        (string Section, string[] Keys)[] sections =
        [
            (string.Empty, TopKeys), ("dataset", DatasetKeys), ("privacy", PrivacyKeys), ("synthesizer", SynthesizerKeys),
            ("audits", AuditKeys), ("evaluation", EvaluationKeys), ("release", ReleaseKeys), ("release.signing", SigningKeys),
        ];
        foreach (var (section, keys) in sections)
        {
            foreach (var key in keys)
            {
                map.TryAdd(key, section);
            }
        }

        return map;
    }
}
