namespace DPSynth.Privacy;

/// <summary>
/// Conversions between rho-zCDP and (epsilon, delta)-DP (docs/privacy.md#conversion). The tight conversion is
/// Canonne, Kamath and Steinke (2020), Proposition 12 / Corollary 13, computed as their <c>cdp2adp.py</c> does but
/// in log space and with every floating-point step rounded so that the answer is never optimistic:
/// a rho from (epsilon, delta) is rounded down, an epsilon from rho is rounded up, a delta is rounded up.
/// </summary>
[Proof("conversion")]
public static class ZcdpConversion
{
    // Slack kept by the forward conversion, in log(delta). The inner search over alpha is a float bisection, so the
    // computed delta is not exactly monotone in epsilon; this slack (a relative 1e-9 in delta, invisible in rho at
    // 9 significant digits) makes the round trip epsilon(rho(epsilon, delta), delta) <= epsilon hold exactly.
    private const double ForwardLogSlack = 1e-9;

    // Relative error budget of one log-delta evaluation (a few hundred units in the last place: far more than the
    // handful of correctly-rounded or 1-ulp operations it does), so the bound stays an upper bound.
    private const double EvaluationSlack = 1e-13;

    /// <summary>
    /// The largest rho (to double precision, rounded down) such that rho-zCDP implies (epsilon, delta)-DP by the tight
    /// bound: bisection on rho keeping <c>delta(rho, epsilon) &lt;= delta</c>, returning the lower end of the bracket
    /// (<c>cdp2adp.py::cdp_rho</c>). Example: (1, 1e-9) gives 0.0149731.
    /// </summary>
    public static Rho RhoFromApproxDp(ApproxDp guarantee)
    {
        var logTarget = Rounding.Down(Math.Log(guarantee.Delta), 2) - ForwardLogSlack;
        var low = 0.0; // invariant: delta(low, eps) <= delta (delta(0, eps) = 0)
        var high = guarantee.Epsilon + 1; // invariant: delta(high, eps) > delta
        while (LogDeltaUpperBound(high, guarantee.Epsilon) <= logTarget)
        {
            high *= 2;
        }

        while (true)
        {
            var middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                return Rho.FromDouble(low);
            }

            if (LogDeltaUpperBound(middle, guarantee.Epsilon) <= logTarget)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
    }

    /// <summary>
    /// The smallest epsilon (rounded up) such that rho-zCDP implies (epsilon, delta)-DP by the tight bound
    /// (<c>cdp2adp.py::cdp_eps</c>); never above <see cref="EpsilonFromRhoSimple"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">delta is not in (0, 1).</exception>
    public static double EpsilonFromRho(Rho rho, double delta)
    {
        CheckDelta(delta);
        var r = rho.ToDoubleUp(); // a larger rho only raises epsilon: rounding it up is safe
        if (r == 0)
        {
            return 0;
        }

        var logTarget = Rounding.Down(Math.Log(delta), 2);
        var simple = EpsilonFromRhoSimple(rho, delta);
        var low = 0.0; // invariant: delta(rho, low) > delta, or low = 0
        var high = simple; // invariant: delta(rho, high) <= delta
        if (LogDeltaUpperBound(r, high) > logTarget)
        {
            // The simple bound is proven (Bun and Steinke 2016, Proposition 1.3); keep it if the float check is short.
            return simple;
        }

        while (true)
        {
            var middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                return high;
            }

            if (LogDeltaUpperBound(r, middle) <= logTarget)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }
    }

    /// <summary>An upper bound on the delta at which rho-zCDP gives epsilon-DP (tight bound; rounded up).</summary>
    public static double DeltaFromRho(Rho rho, double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number >= 0.");
        }

        // NaN (which Math.Min would pass through) maps to the conservative delta = 1.
        var delta = Rounding.Up(Math.Exp(LogDeltaUpperBound(rho.ToDoubleUp(), epsilon)), 2);
        return double.IsNaN(delta) ? 1 : Math.Min(1, delta);
    }

    /// <summary>
    /// The simple bound epsilon = rho + 2 sqrt(rho ln(1/delta)) (Bun and Steinke 2016, Proposition 1.3), rounded up;
    /// for comparison only, it is looser than <see cref="EpsilonFromRho"/>.
    /// </summary>
    public static double EpsilonFromRhoSimple(Rho rho, double delta)
    {
        CheckDelta(delta);
        var r = rho.ToDoubleUp();
        var log = Rounding.Up(-Math.Log(delta), 2);
        var root = Rounding.Up(Math.Sqrt(Rounding.Up(r * log)));
        return Rounding.Up(r + (2 * root));
    }

    /// <summary>
    /// The rho that the simple bound allows at (epsilon, delta), rounded down:
    /// (sqrt(L + epsilon) - sqrt(L))^2 with L = ln(1/delta), written as (epsilon / (sqrt(L + epsilon) + sqrt(L)))^2 to
    /// avoid cancellation. Example: (1, 1e-9) gives 0.0117812.
    /// </summary>
    public static Rho RhoFromApproxDpSimple(ApproxDp guarantee)
    {
        var log = Rounding.Up(-Math.Log(guarantee.Delta), 2); // rho falls as L grows: round L up
        var eps = guarantee.Epsilon;
        var sum = Rounding.Up(Rounding.Up(Math.Sqrt(Rounding.Up(log + eps))) + Rounding.Up(Math.Sqrt(log)));
        var ratio = Rounding.Down(eps / sum);
        return Rho.FromDouble(Math.Max(0, Rounding.Down(ratio * ratio)));
    }

    /// <summary>
    /// An upper bound on log delta(rho, epsilon) = inf over alpha &gt; 1 of
    /// (alpha-1)(alpha rho - epsilon) + alpha log(1 - 1/alpha) - log(alpha - 1), capped at 0 (delta &lt;= 1).
    /// Any alpha gives a valid bound, so the inner search only needs to be good, not exact. When the arithmetic breaks
    /// down (a subnormal rho makes alpha infinite and the value NaN), the result is 0 (delta = 1), the conservative bound.
    /// </summary>
    internal static double LogDeltaUpperBound(double rho, double epsilon)
    {
        if (rho == 0)
        {
            return double.NegativeInfinity;
        }

        // The optimal alpha is a root of (2 alpha - 1) rho - epsilon + log(1 - 1/alpha); the reference clamps alpha
        // to at least 1.01 for stability (cdp2adp.py::cdp_delta). Bisection until the bracket stops moving, which takes
        // fewer than 2,100 halvings from any double (the reference runs 1,000).
        var low = 1.01;
        var high = ((epsilon + 1) / (2 * rho)) + 2;
        for (var i = 0; i < 2100; i++)
        {
            var middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                break;
            }

            var derivative = ((2 * middle) - 1) * rho - epsilon + Log1p(-1.0 / middle);
            if (derivative < 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        var alpha = low + ((high - low) / 2);
        var exponent = (alpha - 1) * ((alpha * rho) - epsilon);
        var shape = alpha * Log1p(-1.0 / alpha);
        var divisor = Math.Log(alpha - 1);
        var value = exponent + shape - divisor;
        var slack = EvaluationSlack * (((alpha - 1) * ((alpha * rho) + epsilon)) + Math.Abs(shape) + Math.Abs(divisor) + 1);
        var bound = value + slack;
        return double.IsNaN(bound) ? 0 : Math.Min(0, bound);
    }

    /// <summary>
    /// log(1 + x) to a few units in the last place, also for tiny x (Goldberg 1991, Theorem 4: with u = fl(1 + x),
    /// log(u) x / (u - 1)). <see cref="double.LogP1"/> is computed as log(1 + x) in .NET, which loses the digits of x
    /// that 1 + x cannot hold: at alpha = 5e7 the term alpha log(1 - 1/alpha) was off by 3e-9, far beyond the
    /// evaluation slack, and the delta bound fell below the true delta.
    /// </summary>
    internal static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    private static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1).");
        }
    }
}
