using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using DPSynth.Diagnostics;
using DPSynth.Privacy;

namespace DPSynth.Release;

public static partial class ManifestJson
{
    /// <summary>Every rule of docs/release.md that a well-typed manifest can still break, each with the key it concerns.</summary>
    internal static List<(string Key, string Message)> Validate(ReleaseManifest m)
    {
        var problems = new List<(string Key, string Message)>();
        void Check(bool ok, string key, string message)
        {
            if (!ok)
            {
                problems.Add((key, message));
            }
        }

        Check(Filled(m.Tool?.Name), "tool.name", Messages.ManifestEmpty);
        Check(Filled(m.Tool?.Version), "tool.version", Messages.ManifestEmpty);
        Check(Filled(m.RunId), "run_id", Messages.ManifestEmpty);
        Check(BundleLayout.IsSafeFileName(m.Policy?.File), "policy.file", Messages.ManifestNotAFileName);
        Check(IsHex(m.Policy?.Sha256, 64), "policy.sha256", Messages.ManifestNotHex(64));
        Check(Filled(m.Dataset?.Id), "dataset.id", Messages.ManifestEmpty);
        var fingerprint = m.Dataset?.InputFingerprint;
        Check(fingerprint?.Algorithm == InputFingerprint.Algorithm, "dataset.input_fingerprint.algorithm",
            Messages.ManifestMustBe(InputFingerprint.Algorithm));
        Check(IsHex(fingerprint?.KeyId, 16), "dataset.input_fingerprint.key_id", Messages.ManifestNotHex(16));
        Check(IsHex(fingerprint?.Value, 64), "dataset.input_fingerprint.value", Messages.ManifestNotHex(64));
        Check(Filled(m.Schema?.Format), "schema.format", Messages.ManifestEmpty);
        Check(Filled(m.Schema?.Text), "schema.text", Messages.ManifestEmpty);
        Check(Filled(m.Synthesizer?.Method), "synthesizer.method", Messages.ManifestEmpty);
        Check(Filled(m.Synthesizer?.Workload), "synthesizer.workload", Messages.ManifestEmpty);
        Check(m.Synthesizer?.Parameters is { } parameters && parameters.All(p => Filled(p.Key) && p.Value is not null),
            "synthesizer.parameters", Messages.ManifestEmpty);
        ValidatePrivacy(m.Privacy, Check);
        ValidateRounds(m, Check);
        Check(IsHex(m.Ledger?.ChargeEntryHash, 64), "ledger.charge_entry_hash", Messages.ManifestNotHex(64));
        Check(IsCost(m.Ledger?.DatasetSpentRho), "ledger.dataset_spent_rho", Messages.ManifestNotACost);
        Check(m.Ledger?.DatasetCapRho is null || IsCost(m.Ledger.DatasetCapRho), "ledger.dataset_cap_rho", Messages.ManifestNotACost);
        if (m.DomainDiscovery is { } d)
        {
            Check(IsHex(d.ChargeEntryHash, 64), "domain_discovery.charge_entry_hash", Messages.ManifestNotHex(64));
            Check(!d.Columns.IsDefaultOrEmpty && d.Columns.All(Filled), "domain_discovery.columns", Messages.ManifestEmpty);
            Check(IsCost(d.Rho), "domain_discovery.rho", Messages.ManifestNotACost);
            Check(IsCost(d.ChargedRho) && d.ChargedRho >= d.Rho, "domain_discovery.charged_rho", Messages.ManifestNotACost);
            Check(IsCost(d.BundleRho) && d.BundleRho >= d.Rho, "domain_discovery.bundle_rho", Messages.ManifestNotACost);
            Check(IsCost(d.BundleEpsilon), "domain_discovery.bundle_epsilon", Messages.ManifestNotACost);
            Check(d.ThresholdDelta is > 0 and < 1 && d.BundleDelta > d.ThresholdDelta && d.BundleDelta < 1,
                "domain_discovery.bundle_delta", Messages.ManifestNotACost);
        }

        Check(m.Audit?.Verdict == ManifestAudit.Pass, "audit.verdict", Messages.ManifestMustBe(ManifestAudit.Pass));
        Check(m.Audit?.Attempts >= 1, "audit.attempts", Messages.ManifestAtLeast(1));
        Check(m.Sampling?.Rows >= 0, "sampling.rows", Messages.ManifestAtLeast(0));
        Check(!m.Disclosures.IsDefault && m.Disclosures.All(Filled), "disclosures", Messages.ManifestEmpty);
        Check(!m.Disclosures.IsDefault && m.Disclosures.Contains(ReleaseDisclosures.AuditGatePassBit), "disclosures",
            Messages.ManifestGateDisclosureMissing);
        Check(IsHex(m.Signer?.CertificateSha256, 64), "signer.certificate_sha256", Messages.ManifestNotHex(64));
        ValidateFiles(m.Files, Check);
        return problems;
    }

    private static void ValidatePrivacy(ManifestPrivacy? p, Action<bool, string, string> check)
    {
        check(p?.Accounting == ManifestPrivacy.Zcdp, "privacy.accounting", Messages.ManifestMustBe(ManifestPrivacy.Zcdp));
        check(p?.Neighbouring == ManifestPrivacy.AddRemoveOneRow, "privacy.neighbouring",
            Messages.ManifestMustBe(ManifestPrivacy.AddRemoveOneRow));
        check(IsCost(p?.Rho), "privacy.rho", Messages.ManifestNotACost);
        if (!TryParseExact(p?.RhoExact, out var exact))
        {
            check(false, "privacy.rho_exact", Messages.ManifestNotARational);
        }
        else
        {
            check(Rounding.ToDoubleUp(exact).Equals(p!.Rho), "privacy.rho", Messages.ManifestRhoNotRoundedUp);
        }

        check(IsCost(p?.Epsilon), "privacy.epsilon", Messages.ManifestNotACost);
        check(p?.Delta is > 0 and < 1, "privacy.delta", Messages.ManifestDeltaOutOfRange);
    }

    private static void ValidateRounds(ReleaseManifest m, Action<bool, string, string> check)
    {
        check(!m.Selections.IsDefault, "selections", Messages.ManifestEmpty);
        for (var i = 0; !m.Selections.IsDefault && i < m.Selections.Length; i++)
        {
            var s = m.Selections[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"selections[{i}]");
            check(s is not null, key, Messages.ManifestEmpty);
            if (s is null)
            {
                continue;
            }

            check(s.Round >= 0, key + ".round", Messages.ManifestAtLeast(0));
            check(Names(s.Chosen), key + ".chosen", Messages.ManifestEmpty);
            check(s.Candidates >= 1, key + ".candidates", Messages.ManifestAtLeast(1));
            check(IsCost(s.Epsilon), key + ".epsilon", Messages.ManifestNotACost);
            check(double.IsFinite(s.Sensitivity) && s.Sensitivity > 0, key + ".sensitivity", Messages.ManifestNotPositive);
            check(IsCost(s.Rho), key + ".rho", Messages.ManifestNotACost);
        }

        check(!m.Measurements.IsDefault, "measurements", Messages.ManifestEmpty);
        for (var i = 0; !m.Measurements.IsDefault && i < m.Measurements.Length; i++)
        {
            var x = m.Measurements[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"measurements[{i}]");
            check(x is not null, key, Messages.ManifestEmpty);
            if (x is null)
            {
                continue;
            }

            check(x.Round >= 0, key + ".round", Messages.ManifestAtLeast(0));
            check(Names(x.Columns), key + ".columns", Messages.ManifestEmpty);
            check(double.IsFinite(x.Sigma) && x.Sigma > 0, key + ".sigma", Messages.ManifestNotPositive);
            check(IsCost(x.Rho), key + ".rho", Messages.ManifestNotACost);
            check(x.Coarsening is null || x.Coarsening.Length > 0, key + ".coarsening", Messages.ManifestEmpty);
        }
    }

    private static void ValidateFiles(ImmutableArray<ManifestFile> files, Action<bool, string, string> check)
    {
        check(!files.IsDefault, "files", Messages.ManifestEmpty);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; !files.IsDefault && i < files.Length; i++)
        {
            var f = files[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"files[{i}]");
            check(f is not null, key, Messages.ManifestEmpty);
            if (f is null)
            {
                continue;
            }

            var safe = BundleLayout.IsSafeFileName(f.Name) && !BundleLayout.IsReserved(f.Name);
            check(safe, key + ".name", Messages.ManifestNotAFileName);
            check(!safe || seen.Add(f.Name), key + ".name", Messages.ManifestDuplicateFile(f.Name));
            check(f.Bytes >= 0, key + ".bytes", Messages.ManifestAtLeast(0));
            check(IsHex(f.Sha256, 64), key + ".sha256", Messages.ManifestNotHex(64));
        }
    }

    /// <summary>Parses <c>p/q</c> (both non-negative integers, q positive), as <see cref="ManifestPrivacy.For"/> writes it.</summary>
    private static bool TryParseExact(string? text, out Rational value)
    {
        value = Rational.Zero;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0
            || !Digits(text!.AsSpan(0, slash))
            || !Digits(text.AsSpan(slash + 1))
            || !BigInteger.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            || !BigInteger.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var q)
            || q.IsZero)
        {
            return false;
        }

        value = new Rational(p, q);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text) => !text.IsEmpty && text.Length <= 4096 && !text.ContainsAnyExceptInRange('0', '9');

    private static bool Filled(string? text) => !string.IsNullOrWhiteSpace(text);

    private static bool Names(ImmutableArray<string> names) => !names.IsDefaultOrEmpty && names.All(Filled);

    private static bool IsCost(double? value) => value is { } v && double.IsFinite(v) && v >= 0;

    private static bool IsHex(string? text, int length) =>
        text is not null && text.Length == length && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
