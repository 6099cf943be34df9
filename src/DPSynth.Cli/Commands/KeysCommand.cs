using System.CommandLine;
using DPSynth.Diagnostics;
using DPSynth.Release;

namespace DPSynth.Cli.Commands;

/// <summary>
/// <c>dpsynth keys create --out DIR [--password-env VAR]</c>: makes a self-signed TEST signing certificate
/// (<c>signing.pfx</c> with its key, mode 0600; <c>signing.crt.pem</c>, public) for trying the release flow
/// (docs/release.md). The password is read from an environment variable, never from the command line.
/// </summary>
internal static class KeysCommand
{
    /// <summary>The <c>keys</c> command and its <c>create</c> subcommand.</summary>
    public static Command Build()
    {
        var keys = new Command("keys", "Make signing keys for release bundles.");
        keys.Subcommands.Add(Create());
        return keys;
    }

    private static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "The folder to write signing.pfx and signing.crt.pem into.", Required = true,
        };
        var passwordEnv = new Option<string?>("--password-env")
        {
            Description = "The environment variable holding the password that encrypts signing.pfx (never the password itself).",
        };
        var command = new Command(
            "create",
            "Create a self-signed TEST signing certificate (ECDSA P-256, one year; NOT FOR PRODUCTION); existing files are " +
            "never replaced.")
        {
            output, passwordEnv,
        };
        command.SetAction(parse =>
        {
            string? password = null;
            if (parse.GetValue(passwordEnv) is { } variable)
            {
                password = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(password))
                {
                    throw new InputException(Messages.PasswordVariableUnset(variable));
                }
            }

            var files = TestCertificate.Create(parse.GetValue(output)!, password);
            parse.Out().WriteLine(Messages.KeysCreated(files.PfxPath, files.CertificatePath, files.CertificateSha256));
            if (password is null)
            {
                parse.Err().WriteLine(Messages.KeysUnencrypted(files.PfxPath));
            }

            parse.Err().WriteLine(Messages.KeysTestOnly);
            return 0;
        });
        return command;
    }
}
