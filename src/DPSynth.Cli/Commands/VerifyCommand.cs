using System.CommandLine;
using DPSynth.Diagnostics;
using DPSynth.Release;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth verify &lt;bundle-dir&gt; (--certificate PEM | --trusted-root PEM | --any-signer) [--json]</c>: checks a
/// release bundle's signature, signer and files (<see cref="BundleVerifier"/>), prints every check, and exits 4 when any
/// fails. It fails closed on the signer: without a pin or a root the bundle is not verified (exit 4), since anyone can
/// re-sign a changed bundle with their own key, unless <c>--any-signer</c> asks for the files' integrity only; the
/// output then says loudly that the signer is unverified and prints its fingerprint.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>The <c>verify</c> verb.</summary>
    public static Command Build()
    {
        var bundle = new Argument<string>("bundle-dir") { Description = "The bundle folder (holding manifest.json and manifest.p7s)." };
        var trustedRoot = new Option<string?>("--trusted-root")
        {
            Description = "A root certificate (PEM or DER) the signer's chain must build to (no revocation check).",
        };
        var certificate = new Option<string?>("--certificate")
        {
            Description = "Pin the signer: the exact certificate (PEM or DER) that must have signed the bundle.",
        };
        var anySigner = new Option<bool>("--any-signer")
        {
            Description = "Check the files only: accept whoever signed. The signer is NOT verified (the output says so and " +
                "prints its SHA-256 to compare out of band). Not allowed with --certificate or --trusted-root (exit 1).",
        };
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var command = new Command(
            "verify",
            "Verify a release bundle: the signature over manifest.json, the signer (pinned with --certificate or chained " +
            "to --trusted-root), and every file's size and SHA-256; exit 4 if anything does not match. Without " +
            "--certificate or --trusted-root the signer is not checked and verify exits 4, unless --any-signer accepts " +
            "any signer (integrity only).")
        {
            bundle, trustedRoot, certificate, anySigner, json,
        };
        command.SetAction(parse =>
        {
            var rootPath = parse.GetValue(trustedRoot);
            var pinPath = parse.GetValue(certificate);
            var integrityOnly = parse.GetValue(anySigner);
            if (integrityOnly && (rootPath is not null || pinPath is not null))
            {
                throw new InputException(Messages.AnySignerWithTrust);
            }

            using var root = rootPath is null ? null : SigningCertificate.LoadPublic(rootPath);
            using var pin = pinPath is null ? null : SigningCertificate.LoadPublic(pinPath);
            var result = BundleVerifier.Verify(parse.GetValue(bundle)!, root, pin);
            var warning = BundleVerificationJson.SignerWarningOf(result, integrityOnly);
            if (parse.GetValue(json))
            {
                parse.Out().WriteLine(BundleVerificationJson.Of(result, integrityOnly).ToJson());
            }
            else
            {
                Print(parse, result, integrityOnly, warning);
            }

            if (!result.IsValid)
            {
                throw new VerificationFailedException(Messages.BundleNotVerified(result.Directory, result.Problems.Count()));
            }

            if (!result.SignerTrusted && !integrityOnly)
            {
                throw new VerificationFailedException(Messages.BundleNotVerifiedSigner(result.Directory, warning!));
            }

            if (warning is not null && parse.GetValue(json))
            {
                // The JSON carries it too; stderr is where a person running a script looks.
                parse.Err().WriteLine(warning);
            }

            return 0;
        });
        return command;
    }

    private static void Print(ParseResult parse, BundleVerification result, bool integrityOnly, string? warning)
    {
        foreach (var check in result.Checks)
        {
            parse.Out().WriteLine($"{Label(check.Outcome)}  {check.Name}: {check.Detail}");
        }

        if (result.IsVerified)
        {
            parse.Out().WriteLine(Messages.BundleVerified(result.Directory));
        }
        else if (result.IsValid && integrityOnly)
        {
            parse.Out().WriteLine(warning);
            parse.Out().WriteLine(Messages.BundleIntegrityOnly(result.Directory));
        }
    }

    private static string Label(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "PASS",
        CheckOutcome.Failed => "FAIL",
        _ => "SKIP",
    };
}
