using System.Globalization;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    private static PrivacySettings? ReadPrivacy(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "privacy") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "privacy", PrivacyKeys);
        var budget = ReadBudget(cx, map);
        var cap = YamlFieldReader.Get(map, "cap") is { } capNode ? ReadCap(cx, capNode, budget?.Rho) : null;

        string? ledger = null;
        if (YamlFieldReader.Get(map, "ledger") is { } ledgerNode && cx.Fields.String(ledgerNode, "privacy.ledger") is { } text)
        {
            ledger = cx.Resolve(text);
            if (Directory.Exists(ledger))
            {
                cx.Fields.Error(ledgerNode, "privacy.ledger", Messages.PolicyPathIsFolder("privacy.ledger", ledger));
            }
        }

        ulong? insecureSeed = null;
        if (YamlFieldReader.Get(map, "insecure_deterministic_noise") is { } seedNode)
        {
            insecureSeed = Unsigned(cx, seedNode, "privacy.insecure_deterministic_noise");
        }

        return budget is { } b ? new PrivacySettings(b.Rho, b.Epsilon, b.Delta, cap, ledger, insecureSeed) : null;
    }

    /// <summary>
    /// The run's budget: (epsilon, delta) turned into rho by the tight conversion, or rho stated directly with the
    /// epsilon it implies at delta (default <see cref="BudgetLedger.DefaultDelta"/>). Exactly one of the two forms.
    /// </summary>
    private static (Rho Rho, double Epsilon, double Delta)? ReadBudget(Context cx, YamlMappingNode map)
    {
        var epsilonNode = YamlFieldReader.Get(map, "epsilon");
        var deltaNode = YamlFieldReader.Get(map, "delta");
        var rhoNode = YamlFieldReader.Get(map, "rho");
        var epsilon = epsilonNode is null ? null : Budget(cx, epsilonNode, "privacy.epsilon", PrivacyBounds.MaxEpsilon);
        var delta = deltaNode is null
            ? null
            : NumberIn(cx, deltaNode, "privacy.delta", v => v is > 0 and < 1, "strictly between 0 and 1");
        var rho = rhoNode is null ? null : Budget(cx, rhoNode, "privacy.rho", PrivacyBounds.MaxRho);

        if (rhoNode is not null && epsilonNode is not null)
        {
            cx.Fields.Error(KeyNode(map, "rho"), "privacy.rho", Messages.PolicyRhoWithEpsilon);
            return null;
        }

        if (rhoNode is not null)
        {
            if (rho is not { } r || (deltaNode is not null && delta is null))
            {
                return null;
            }

            // delta only chooses where the (epsilon, delta) report is made; the budget is rho itself, exactly.
            var stated = Rho.FromDouble(r);
            var reportDelta = delta ?? BudgetLedger.DefaultDelta;
            return (stated, ZcdpConversion.EpsilonFromRho(stated, reportDelta), reportDelta);
        }

        if (epsilonNode is null && deltaNode is null)
        {
            cx.Fields.Error(map, "privacy", Messages.PolicyNoBudget);
            return null;
        }

        if (deltaNode is null)
        {
            cx.Fields.Error(KeyNode(map, "epsilon"), "privacy.epsilon", Messages.PolicyEpsilonWithoutDelta);
            return null;
        }

        if (epsilonNode is null)
        {
            cx.Fields.Error(KeyNode(map, "delta"), "privacy.delta", Messages.PolicyDeltaWithoutEpsilon);
            return null;
        }

        if (epsilon is not { } e || delta is not { } d)
        {
            return null;
        }

        try
        {
            var converted = SynthesisBudget.FromEpsilonDelta(e, d);
            SynthesisBudget.CheckPositive(converted);
            return (converted, e, d);
        }
        catch (SynthesisSettingsException ex)
        {
            // An epsilon so small that rho rounds down to 0: no measurement could be paid for.
            cx.Fields.Error(epsilonNode, "privacy.epsilon", ex.Message);
            return null;
        }
    }

    /// <summary>The dataset's cap; an error when one run alone would pass it, since the ledger would refuse every run.</summary>
    private static ApproxDp? ReadCap(Context cx, YamlNode node, Rho? run)
    {
        if (cx.Fields.Mapping(node, "privacy.cap") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "privacy.cap", CapKeys);
        var epsilon = Required(cx, map, "epsilon", "the cap's epsilon", "privacy.cap") is { } e
            ? Budget(cx, e, "privacy.cap.epsilon", PrivacyBounds.MaxEpsilon)
            : null;
        var delta = Required(cx, map, "delta", "the cap's delta", "privacy.cap") is { } d
            ? NumberIn(cx, d, "privacy.cap.delta", v => v is > 0 and < 1, "strictly between 0 and 1")
            : null;
        if (epsilon is null || delta is null)
        {
            return null;
        }

        var cap = new ApproxDp(epsilon.Value, delta.Value);
        if (run is { } rho)
        {
            // Rounded as the ledger rounds them: a charge up, a cap down.
            var capRho = LedgerCap.StoredRho(cap);
            if (rho.ToDoubleUp() > capRho)
            {
                cx.Fields.Error(node, "privacy.cap", Messages.PolicyCapBelowRun(rho.ToDoubleUp(), cap.Epsilon, cap.Delta, capRho));
            }
        }

        return cap;
    }

    /// <summary>A finite number for which <paramref name="ok"/> holds, or null with an error.</summary>
    private static double? NumberIn(Context cx, YamlNode node, string key, Func<double, bool> ok, string range)
    {
        if (cx.Fields.Number(node, key) is not { } value)
        {
            return null;
        }

        if (!ok(value))
        {
            cx.Fields.Error(node, key, Messages.PolicyValueOutOfRange(key, range, value));
            return null;
        }

        return value;
    }

    /// <summary>
    /// A positive epsilon or rho within <see cref="PrivacyBounds"/>, or null with an error: past the bound no
    /// conversion of it stays finite (<c>epsilon: 1e308</c> put an infinite epsilon in the ledger).
    /// </summary>
    private static double? Budget(Context cx, YamlNode node, string key, double max)
    {
        if (NumberIn(cx, node, key, v => v > 0, "greater than 0") is not { } value)
        {
            return null;
        }

        if (value > max)
        {
            cx.Fields.Error(node, key, Messages.BudgetTooLarge($"'{key}'", max, value.ToString("R", CultureInfo.InvariantCulture)));
            return null;
        }

        return value;
    }

    /// <summary>A whole number from 1 to <see cref="int.MaxValue"/>, or null with an error.</summary>
    private static int? PositiveInt(Context cx, YamlNode node, string key)
    {
        if (cx.Fields.Integer(node, key) is not { } value)
        {
            return null;
        }

        if (value is < 1 or > int.MaxValue)
        {
            cx.Fields.Error(node, key, Messages.PolicyIntegerOutOfRange(key, "a whole number from 1 to 2147483647", value));
            return null;
        }

        return (int)value;
    }

    /// <summary>An unsigned 64-bit integer written plain (a seed), or null with an error.</summary>
    private static ulong? Unsigned(Context cx, YamlNode node, string key)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        cx.Fields.Error(node, key, Messages.PolicyExpectedUnsigned(key));
        return null;
    }
}
