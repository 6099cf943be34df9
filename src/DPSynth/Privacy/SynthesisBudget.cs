using DPSynth.Diagnostics;

namespace DPSynth.Privacy;

/// <summary>Turns a user's (epsilon, delta) into the zCDP budget rho, with the synthesizers' range checks and messages.</summary>
public static class SynthesisBudget
{
    /// <summary>The tight conversion of (epsilon, delta) to rho (Canonne, Kamath, Steinke 2020).</summary>
    /// <exception cref="SynthesisSettingsException">
    /// epsilon is not positive and finite or is above <see cref="PrivacyBounds.MaxEpsilon"/>, or delta is not in (0, 1).
    /// </exception>
    public static Rho FromEpsilonDelta(double epsilon, double delta)
    {
        if (!double.IsFinite(epsilon) || epsilon <= 0)
        {
            throw new SynthesisSettingsException(Messages.EpsilonOutOfRange(epsilon));
        }

        if (epsilon > PrivacyBounds.MaxEpsilon)
        {
            throw new SynthesisSettingsException(Messages.EpsilonTooLarge("epsilon", epsilon));
        }

        if (!(delta > 0 && delta < 1))
        {
            throw new SynthesisSettingsException(Messages.DeltaOutOfRange(delta));
        }

        return Rho.FromApproxDp(new ApproxDp(epsilon, delta));
    }

    /// <summary>Checks that a budget is positive (a zero budget cannot pay for any measurement).</summary>
    /// <exception cref="SynthesisSettingsException">rho is zero.</exception>
    public static void CheckPositive(Rho rho)
    {
        if (rho.Value.Sign <= 0)
        {
            throw new SynthesisSettingsException(Messages.RhoOutOfRange(rho.ToDoubleUp()));
        }
    }
}
