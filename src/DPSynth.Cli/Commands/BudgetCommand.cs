using System.CommandLine;
using System.Globalization;
using DPSynth.Budget;
using DPSynth.Diagnostics;
using DPSynth.Privacy;
using DPSynth.Release;

namespace DPSynth.Cli.Commands;

/// <summary><c>dpsynth budget init|cap|charge|show|verify|report</c>: the budget ledger for operators and compliance reviews.</summary>
internal static class BudgetCommand
{
    /// <summary>Builds the <c>budget</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var budget = new Command("budget", "Create a budget ledger, record caps and charges in it; show, verify and report it.");
        budget.Subcommands.Add(Init());
        budget.Subcommands.Add(Cap());
        budget.Subcommands.Add(Charge());
        budget.Subcommands.Add(Show());
        budget.Subcommands.Add(Verify());
        budget.Subcommands.Add(Report());
        return budget;
    }

    private static Option<string> LedgerOption() =>
        new("--ledger") { Description = "The ledger file (JSON Lines).", Required = true };

    private static Command Init()
    {
        var ledger = LedgerOption();
        var adopt = new Option<bool>("--adopt")
        {
            Description = "Anchor an existing ledger that has no anchored head at its current head (needs --expect-head).",
        };
        var head = new Option<string?>("--expect-head")
        {
            Description = "With --adopt: a head recorded outside the ledger, which the ledger must still hold.",
        };
        var anchorLost = new Option<bool>("--anchor-lost")
        {
            Description = "With --adopt: adopt a ledger whose key or entries show it had an anchored head, which was lost " +
                "(only after checking it against a head kept elsewhere; docs/ledger.md).",
        };
        var command = new Command(
            "init",
            "Create a new, empty ledger with its key and anchored head. Refused where files show a ledger existed; an " +
            "existing ledger is left as it is.")
        {
            ledger, adopt, head, anchorLost,
        };
        command.SetAction(result =>
        {
            var expected = result.GetValue(head);
            if (result.GetValue(adopt) != (expected is not null))
            {
                throw new InputException(Messages.AdoptNeedsExpectedHead);
            }

            var lost = result.GetValue(anchorLost);
            if (lost && expected is null)
            {
                throw new InputException(Messages.AnchorLostNeedsAdopt);
            }

            var budgetLedger = new BudgetLedger(result.GetValue(ledger)!);
            var init = expected is null ? budgetLedger.Initialize() : budgetLedger.Adopt(expected, lost);
            if (lost)
            {
                result.Err().WriteLine(Messages.LedgerAdoptedAnchorLost);
            }

            var verification = init.Verification;
            result.Out().WriteLine(init.Result switch
            {
                LedgerInitResult.Created => Messages.LedgerCreated(budgetLedger.Path, budgetLedger.AnchorPath),
                LedgerInitResult.Adopted => Messages.LedgerAdopted(budgetLedger.Path, verification.Entries.Count, verification.HeadHash),
                _ => Messages.LedgerAlreadyInitialized(budgetLedger.Path, verification.Entries.Count, verification.HeadHash),
            });
            return 0;
        });
        return command;
    }

    private static Command Cap()
    {
        var ledger = LedgerOption();
        var dataset = new Option<string>("--dataset") { Description = "The dataset id.", Required = true };
        var epsilon = new Option<string>("--epsilon") { Description = "The cap's epsilon.", Required = true };
        var delta = new Option<string>("--delta") { Description = "The cap's delta.", Required = true };
        var raise = new Option<bool>("--raise-cap") { Description = "Allow raising the cap in force (needs --reason)." };
        var reason = new Option<string?>("--reason") { Description = "Why the cap is raised; recorded in the ledger." };
        var command = new Command("cap", "Record a cap (epsilon, delta) for a dataset; the latest cap is in force. Raising one needs --raise-cap --reason.")
        {
            ledger, dataset, epsilon, delta, raise, reason,
        };
        command.SetAction(result =>
        {
            var cap = ApproxDpFrom(ParseNumber(result.GetValue(epsilon)!, "--epsilon"), ParseNumber(result.GetValue(delta)!, "--delta"));
            var why = result.GetValue(reason);
            if (result.GetValue(raise) != (why is not null))
            {
                throw new InputException(Messages.CapRaiseNeedsReason);
            }

            var entry = new BudgetLedger(result.GetValue(ledger)!).SetCap(result.GetValue(dataset)!, cap, why, out var replaced);
            if (replaced is not null && entry.Rho > replaced.Rho)
            {
                result.Err().WriteLine(Messages.CapRaised(entry.DatasetId, replaced.Epsilon, replaced.Delta, replaced.Rho, entry.Rho));
            }

            result.Out().WriteLine(Messages.CapRecorded(
                entry.DatasetId, entry.Epsilon, entry.Delta, entry.Rho, entry.Sequence, entry.Hash));
            return 0;
        });
        return command;
    }

    private static Command Charge()
    {
        var ledger = LedgerOption();
        var dataset = new Option<string>("--dataset") { Description = "The dataset id.", Required = true };
        var rho = new Option<string>("--rho") { Description = "The rho to charge (rounded up when stored).", Required = true };
        var mechanism = new Option<string>("--mechanism") { Description = "What the charge pays for.", Required = true };
        var runId = new Option<string?>("--run-id") { Description = "The run id (a new one by default)." };
        var policy = new Option<string?>("--policy-sha256") { Description = "SHA-256 of the policy, if any." };
        var command = new Command("charge", "Record a charge made outside DPSynth; refused if it would pass the dataset's cap.")
        {
            ledger, dataset, rho, mechanism, runId, policy,
        };
        var ledgerFlags = new LedgerFlags();
        ledgerFlags.AddTo(command, withInit: false);
        command.SetAction(result =>
        {
            // Parsed exactly (0.3 is 3/10, not the double just below it); the ledger stores it rounded up.
            var text = result.GetValue(rho)!;
            if (!Rational.TryParseDecimal(text, out var amount))
            {
                throw new InputException(Messages.NotANumber("--rho", text));
            }

            if (amount.Sign <= 0)
            {
                throw new InputException(Messages.RhoNotPositive);
            }

            if (amount > Rational.FromDouble(PrivacyBounds.MaxRho))
            {
                throw new InputException(Messages.BudgetTooLarge("--rho", PrivacyBounds.MaxRho, text));
            }

            var run = result.GetValue(runId) ?? Guid.NewGuid().ToString("N");
            var charge = ledgerFlags.Open(result, result.GetValue(ledger)!).Charge(
                result.GetValue(dataset)!, run, new Rho(amount), result.GetValue(mechanism)!, result.GetValue(policy));
            if (charge.IsUncapped)
            {
                result.Err().WriteLine(Messages.LedgerUncapped(charge.Entry.DatasetId));
            }

            var entry = charge.Entry;
            result.Out().WriteLine(Messages.ChargeRecorded(
                entry.DatasetId, run, entry.Rho, charge.Spend.Spent.ToDoubleUp(), charge.Spend.Cap?.Rho, entry.Sequence, entry.Hash));
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var ledger = LedgerOption();
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset's entries." };
        var json = new Option<bool>("--json") { Description = "Print the entries as JSON Lines, as stored." };
        var command = new Command("show", "List the ledger's entries (verified first).") { ledger, dataset, json };
        command.SetAction(result =>
        {
            var verification = VerifyOrThrow(result, result.GetValue(ledger)!);
            var filter = result.GetValue(dataset);
            var output = result.Out();
            if (!result.GetValue(json))
            {
                output.WriteLine("| seq | time (UTC) | kind | dataset | run | mechanism | rho | epsilon | delta | hash |");
                output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            }

            foreach (var e in verification.Entries.Where(e => filter is null || e.DatasetId == filter))
            {
                output.WriteLine(result.GetValue(json)
                    ? e.ToString()
                    : Invariant(
                        $"| {e.Sequence} | {e.Time:yyyy-MM-dd HH:mm:ss} | {LedgerEntry.KindName(e.Kind)} ") +
                        Invariant($"| {e.DatasetId} | {e.RunId} | {e.Mechanism} | {e.Rho:G6} | {e.Epsilon:G6} | {e.Delta:G3} | {e.Hash[..12]} |"));
            }

            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var ledger = LedgerOption();
        var dataset = new Option<string?>("--dataset") { Description = "Also print this dataset's spend (the whole chain is verified)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var head = new Option<string?>("--expect-head")
        {
            Description = "A head hash kept elsewhere: fail if the ledger no longer contains it (rollback).",
        };
        var bundles = new Option<string?>("--bundles")
        {
            Description = "A release folder: fail if any bundle in it was charged to an entry this ledger does not hold " +
                "(reads each bundle's manifest.json only: signatures and signers are not checked; dpsynth verify checks a bundle).",
        };
        var command = new Command(
            "verify", "Verify the hash chain and the anchored head; exit 4 if the ledger is broken or rolled back.")
        {
            ledger, dataset, json, head, bundles,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(ledger)!;
            var verification = Read(result, path);
            var problem = verification.Problem;
            if (problem is null && result.GetValue(head) is { } expected)
            {
                problem = LedgerVerifier.VerifyHead(verification, expected);
            }

            var releaseFolder = result.GetValue(bundles);
            var bundleCount = 0;
            if (problem is null && releaseFolder is not null)
            {
                problem = BundlesProblem(releaseFolder, verification, out bundleCount);
            }

            if (result.GetValue(json))
            {
                result.Out().WriteLine(LedgerVerificationJson.Of(verification, problem, releaseFolder is null ? null : bundleCount).ToJson());
            }
            else if (problem is null)
            {
                result.Out().WriteLine(Messages.LedgerVerified(verification.Entries.Count, verification.HeadHash));
                if (releaseFolder is not null)
                {
                    result.Out().WriteLine(Messages.LedgerHoldsBundleCharges(bundleCount, releaseFolder));
                }

                if (verification.Anchor is { } anchor && anchor.Entries < verification.Entries.Count)
                {
                    result.Err().WriteLine(Messages.LedgerAnchorBehind(anchor.Entries, verification.Entries.Count));
                }

                if (result.GetValue(dataset) is { } id)
                {
                    var spend = DatasetSpend.Of(verification.Entries, id);
                    result.Out().WriteLine(Messages.DatasetSpent(
                        id, spend.Spent.ToDoubleUp(), ZcdpConversion.EpsilonFromRho(spend.Spent, spend.Delta), spend.Delta,
                        spend.Cap?.Rho));
                }
            }

            if (problem is not null)
            {
                throw new VerificationFailedException(Messages.LedgerBroken(path, problem));
            }

            return 0;
        });
        return command;
    }

    private static Command Report()
    {
        var ledger = LedgerOption();
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of Markdown." };
        var command = new Command("report", "Per dataset and per run: rho, implied epsilon, mechanism, time.") { ledger, dataset, json };
        command.SetAction(result =>
        {
            var report = LedgerReport.From(VerifyOrThrow(result, result.GetValue(ledger)!), result.GetValue(dataset));
            result.Out().Write(result.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToMarkdown());
            return 0;
        });
        return command;
    }

    private static LedgerVerification VerifyOrThrow(ParseResult result, string path)
    {
        var verification = Read(result, path);
        if (!verification.IsValid)
        {
            throw new VerificationFailedException(Messages.LedgerBroken(path, verification.Problem!));
        }

        return verification;
    }

    private static void WarnIfUnlocked(ParseResult result, string path, LedgerVerification verification)
    {
        if (verification.ReadWithoutLock)
        {
            result.Err().WriteLine(Messages.LedgerReadWithoutLock(path));
        }
    }

    // A reader's view of the ledger: a ledger that never existed is "not found" (exit 1); a deleted one (its anchor, lock
    // or key remain) is a verification problem like any other.
    private static LedgerVerification Read(ParseResult result, string path)
    {
        var verification = new BudgetLedger(path).Verify();
        if (verification.Uninitialized)
        {
            throw new InputException(Messages.FileNotFound(path));
        }

        WarnIfUnlocked(result, path, verification);
        return verification;
    }

    private static string? BundlesProblem(string releaseFolder, LedgerVerification verification, out int bundles)
    {
        bundles = 0;
        if (!Directory.Exists(releaseFolder))
        {
            throw new InputException(Messages.FileNotFound(releaseFolder));
        }

        try
        {
            var charges = ReleasedCharges.In(releaseFolder);
            bundles = charges.Count;
            charges.RequireIn(verification, null);
            return null;
        }
        catch (BudgetRefusedException ex)
        {
            return ex.Message;
        }
    }

    private static double ParseNumber(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new InputException(Messages.NotANumber(option, text));

    private static ApproxDp ApproxDpFrom(double epsilon, double delta)
    {
        if (epsilon > PrivacyBounds.MaxEpsilon)
        {
            throw new InputException(Messages.EpsilonTooLarge("--epsilon", epsilon));
        }

        try
        {
            return new ApproxDp(epsilon, delta);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InputException(ex.Message.Split(Environment.NewLine)[0]);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
