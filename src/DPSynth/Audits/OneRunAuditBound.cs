using MathNet.Numerics;

namespace DPSynth.Audits;

/// <summary>
/// The lower bound on epsilon of a one-run privacy audit (Steinke, Nasr, Jagielski 2023, "Privacy auditing with one (1)
/// training run", Theorem 3.1 and the <c>p_value_DP_audit</c> / <c>get_eps_audit</c> code of its Appendix D), as given
/// in privacy-details.md section 6.
/// </summary>
/// <remarks>
/// With <c>m</c> canaries, <c>r</c> guesses of which <c>v</c> are correct, and <c>q = e^eps / (1 + e^eps)</c>:
/// <c>beta = P[Binomial(r, q) &gt;= v]</c>, <c>alpha = max_{i=1..v} (1/i) P[v &gt; Binomial(r, q) &gt;= v - i]</c>,
/// <c>p(eps) = min(1, beta + 2 m delta alpha)</c>, and the bound is <c>sup { eps &gt;= 0 : p(eps) &lt; 1 - confidence }</c>.
/// Binomial probabilities are summed in log space (log-gamma), never as naive products.
/// </remarks>
public static class OneRunAuditBound
{
    /// <summary>The p-value of observing <paramref name="v"/> correct guesses out of <paramref name="r"/> under (eps, delta)-DP.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not <c>0 &lt;= v &lt;= r &lt;= m</c>, eps negative, or delta outside [0, 1].</exception>
    public static double PValue(int m, int r, int v, double epsilon, double delta)
    {
        Check(m, r, v, delta);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);

        // log q and log(1 - q) for q = 1 / (1 + e^-eps), stable for large eps.
        var logQ = -Log1pExp(-epsilon);
        var log1mQ = -epsilon - Log1pExp(-epsilon);
        double LogPmf(int k) => SpecialFunctions.BinomialLn(r, k) + (k * logQ) + ((r - k) * log1mQ);

        var logBeta = double.NegativeInfinity;
        for (var k = v; k <= r; k++)
        {
            logBeta = LogAdd(logBeta, LogPmf(k));
        }

        var beta = Math.Exp(logBeta);
        var alpha = 0.0;
        var sum = 0.0;
        for (var i = 1; i <= v; i++)
        {
            sum += Math.Exp(LogPmf(v - i));
            if (sum > i * alpha)
            {
                alpha = sum / i;
            }
        }

        return Math.Min(1, beta + (alpha * delta * 2 * m));
    }

    /// <summary>
    /// The largest epsilon that the observation refutes at the given confidence (0.95 by default): bracketed by unit
    /// steps, then bisected, as <c>get_eps_audit</c> does. 0 when even epsilon = 0 is not refuted.
    /// </summary>
    public static double EpsilonLowerBound(int m, int r, int v, double delta, double confidence = 0.95)
    {
        Check(m, r, v, delta);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be in (0, 1).");
        }

        var p = 1 - confidence;
        if (PValue(m, r, v, 0, delta) >= p)
        {
            return 0;
        }

        double low = 0, high = 1;
        while (PValue(m, r, v, high, delta) < p)
        {
            low = high;
            high += 1;
        }

        for (var i = 0; i < 60; i++)
        {
            var mid = (low + high) / 2;
            if (PValue(m, r, v, mid, delta) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static double Log1pExp(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }

    private static void Check(int m, int r, int v, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(v);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(v, r);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(r, m);
        if (!(delta >= 0 && delta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Delta must be in [0, 1].");
        }
    }
}
