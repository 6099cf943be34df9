using System.CommandLine;
using DPSynth.Diagnostics;
using DPSynth.Release;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth verify &lt;bundle-dir&gt; [--trusted-root PEM] [--certificate PEM] [--json]</c>: checks a release bundle's
/// signature, signer and files (<see cref="BundleVerifier"/>), prints every check, and exits 4 when any fails.
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
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var command = new Command(
            "verify",
            "Verify a release bundle: the signature over manifest.json, the signer (pinned or chained to a root), and every " +
            "file's size and SHA-256; exit 4 if anything does not match.")
        {
            bundle, trustedRoot, certificate, json,
        };
        command.SetAction(parse =>
        {
            using var root = parse.GetValue(trustedRoot) is { } rootPath ? SigningCertificate.LoadPublic(rootPath) : null;
            using var pin = parse.GetValue(certificate) is { } pinPath ? SigningCertificate.LoadPublic(pinPath) : null;
            var result = BundleVerifier.Verify(parse.GetValue(bundle)!, root, pin);
            if (parse.GetValue(json))
            {
                parse.Out().WriteLine(BundleVerificationJson.Of(result).ToJson());
            }
            else
            {
                foreach (var check in result.Checks)
                {
                    parse.Out().WriteLine($"{Label(check.Outcome)}  {check.Name}: {check.Detail}");
                }

                if (result.IsValid)
                {
                    parse.Out().WriteLine(Messages.BundleVerified(result.Directory));
                }
            }

            if (!result.IsValid)
            {
                throw new VerificationFailedException(Messages.BundleNotVerified(result.Directory, result.Problems.Count()));
            }

            return 0;
        });
        return command;
    }

    private static string Label(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "PASS",
        CheckOutcome.Failed => "FAIL",
        _ => "SKIP",
    };
}
