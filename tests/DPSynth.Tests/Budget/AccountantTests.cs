using DPSynth.Diagnostics;
using DPSynth.Privacy;
using FsCheck.Xunit;

namespace DPSynth.Tests.Budget;

public sealed class AccountantTests
{
    [Property(MaxTest = 100)]
    public bool CompositionAddsUpExactly(int[] numerators)
    {
        var costs = numerators.Select(n => new Rational(Math.Abs((long)n) % 1000, 997 + (Math.Abs((long)n) % 13))).ToArray();
        var total = costs.Aggregate(Rational.Zero, (sum, c) => sum + c);
        var accountant = new ZcdpAccountant(new Rho(total));
        foreach (var (cost, i) in costs.Select((c, i) => (c, i)))
        {
            accountant.Charge(new PrivacyCost(new Rho(cost), "m"), $"charge {i}");
        }

        return accountant.Spent.Value == total
            && accountant.Remaining.Value == Rational.Zero
            && accountant.Charges.Count == costs.Length;
    }

    [Property(MaxTest = 100)]
    public bool AnOverspendIsRefusedExactlyAtTheBoundary(int a, int b)
    {
        var total = new Rational(Math.Abs((long)a) % 10_000 + 1, Math.Abs((long)b) % 997 + 1);
        var accountant = new ZcdpAccountant(new Rho(total));
        var half = total / new Rational(2, 1);
        accountant.Charge(new PrivacyCost(new Rho(half), "m"), "half");

        // The smallest step above the rest is refused and leaves nothing behind; exactly the rest is accepted.
        var tiny = new Rational(1, System.Numerics.BigInteger.Pow(10, 30));
        try
        {
            accountant.Charge(new PrivacyCost(new Rho(total - half + tiny), "m"), "too much");
            return false;
        }
        catch (BudgetRefusedException)
        {
        }

        var refusedLeftNothing = accountant.Charges.Count == 1 && accountant.Spent.Value == half;
        accountant.Charge(new PrivacyCost(new Rho(total - half), "m"), "the rest");
        return refusedLeftNothing && accountant.Spent.Value == total;
    }

    [Fact]
    public void ChargesAreListedInOrderWithLabelsAndCosts()
    {
        var accountant = new ZcdpAccountant(Rho.FromDouble(1));
        accountant.Charge(new PrivacyCost(Rho.FromDouble(0.25), "a"), "first");
        accountant.Charge(new PrivacyCost(Rho.FromDouble(0.5), "b"), "second");
        Assert.Equal(["first", "second"], accountant.Charges.Select(c => c.Label));
        Assert.Equal([1, 2], accountant.Charges.Select(c => c.Sequence));
        Assert.Equal(Rho.FromDouble(0.75), accountant.Spent);
    }

    [Fact]
    public void AConcurrentOverspendIsStillRefused()
    {
        var accountant = new ZcdpAccountant(Rho.FromDouble(100));
        var cost = new PrivacyCost(Rho.FromDouble(1), "m");
        var accepted = 0;
        Parallel.For(0, 400, _ =>
        {
            try
            {
                accountant.Charge(cost, "parallel");
                Interlocked.Increment(ref accepted);
            }
            catch (BudgetRefusedException)
            {
            }
        });
        Assert.Equal(100, accepted);
        Assert.Equal(Rho.FromDouble(100), accountant.Spent);
    }
}
