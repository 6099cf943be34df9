using DPSynth.Privacy;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

public sealed class AimScheduleTests
{
    private static readonly Rational Alpha = new(9, 10);

    [Fact]
    public void InitialParametersAreTheReferenceFormulas()
    {
        // d = 14, T = 16 d = 224, rho = 0.0149731: sigma = sqrt(T / (2 * 0.9 * rho)), eps = sqrt(8 * 0.1 * rho / T).
        var rho = Rho.FromDouble(0.0149731);
        var schedule = new AimSchedule(rho, 224, Alpha);
        Assert.Equal(Math.Sqrt(224 / (2 * 0.9 * 0.0149731)), Math.Sqrt(schedule.SigmaSquared.ToDouble()), 9);
        var round = schedule.NextRound(Rho.Zero);
        Assert.False(round.IsFinal);
        Assert.Equal(Math.Sqrt(8 * 0.1 * 0.0149731 / 224), round.Epsilon.ToDouble(), 9);
        Assert.True(round.Epsilon * round.Epsilon <= schedule.EpsilonSquared);
    }

    [Fact]
    public void OneWayMarginalsCostNinetyPercentOfRhoOverSixteen()
    {
        var rho = new Rho(new Rational(3, 200));
        var schedule = new AimSchedule(rho, 16 * 14, Alpha);
        Assert.Equal(Alpha * rho.Value / 16, 14 * schedule.MeasurementCost);
    }

    [Fact]
    public void TheFinalRoundSpendsWhatIsLeftAndNeverMore()
    {
        var rho = new Rho(new Rational(1, 100));
        var schedule = new AimSchedule(rho, 20, Alpha);
        var spent = Rational.Zero;
        var rounds = 0;
        while (!schedule.Finished)
        {
            var round = schedule.NextRound(new Rho(spent));
            spent += (Rational.One / (2 * round.SigmaSquared)) + (round.Epsilon * round.Epsilon / 8);
            Assert.True(spent <= rho.Value);
            if (++rounds % 3 == 0)
            {
                schedule.Anneal();
            }
        }

        // Only epsilon (down, to 2^-40) and sigma^2 (up, by at most 1e-6 relative) are rounded: the shortfall is tiny.
        Assert.True((rho.Value - spent).ToDouble() < 1e-6 * rho.Value.ToDouble());
        Assert.Throws<InvalidOperationException>(() => schedule.NextRound(new Rho(spent)));
    }

    [Fact]
    public void AnnealingHalvesSigmaAndDoublesEpsilon()
    {
        var schedule = new AimSchedule(new Rho(new Rational(1, 10)), 100, Alpha);
        var sigma2 = schedule.SigmaSquared;
        var eps2 = schedule.EpsilonSquared;
        schedule.Anneal();
        Assert.Equal(sigma2 / 4, schedule.SigmaSquared);
        Assert.Equal(eps2 * 4, schedule.EpsilonSquared);
    }
}
