namespace DPSynth.Audits;

/// <summary>
/// ROC figures of a membership score (higher means "member"): the area under the curve and the true-positive rate at
/// a fixed false-positive rate (Carlini et al. 2022, "Membership inference attacks from first principles").
/// </summary>
public static class RocCurve
{
    /// <summary>
    /// The ROC AUC: the probability that a random member scores above a random non-member, ties counting half
    /// (the Mann-Whitney U statistic over <c>|members| * |nonMembers|</c>, with mid-ranks for ties).
    /// </summary>
    /// <exception cref="ArgumentException">Either set is empty, or a score is NaN.</exception>
    public static double Auc(ReadOnlySpan<double> members, ReadOnlySpan<double> nonMembers)
    {
        Check(members, nonMembers);
        var all = new (double Score, bool Member)[members.Length + nonMembers.Length];
        for (var i = 0; i < members.Length; i++)
        {
            all[i] = (members[i], true);
        }

        for (var i = 0; i < nonMembers.Length; i++)
        {
            all[members.Length + i] = (nonMembers[i], false);
        }

        Array.Sort(all, static (a, b) => a.Score.CompareTo(b.Score));
        var memberRankSum = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            var tiedMembers = 0;
            while (j < all.Length && all[j].Score == all[i].Score)
            {
                tiedMembers += all[j].Member ? 1 : 0;
                j++;
            }

            // Ranks i+1 .. j share their mean rank.
            memberRankSum += tiedMembers * ((i + 1 + j) / 2.0);
            i = j;
        }

        var m = (double)members.Length;
        var u = memberRankSum - (m * (m + 1) / 2);
        return u / (m * nonMembers.Length);
    }

    /// <summary>
    /// The largest true-positive rate over thresholds "member when score &gt;= t" whose false-positive rate is at most
    /// <paramref name="falsePositiveRate"/> (no interpolation between thresholds, so never optimistic).
    /// </summary>
    /// <exception cref="ArgumentException">Either set is empty, or a score is NaN.</exception>
    public static double TprAtFpr(ReadOnlySpan<double> members, ReadOnlySpan<double> nonMembers, double falsePositiveRate)
    {
        Check(members, nonMembers);
        ArgumentOutOfRangeException.ThrowIfNegative(falsePositiveRate);
        var pos = members.ToArray();
        var neg = nonMembers.ToArray();
        Array.Sort(pos, static (a, b) => b.CompareTo(a));
        Array.Sort(neg, static (a, b) => b.CompareTo(a));
        var allowed = (long)Math.Floor(falsePositiveRate * neg.Length + 1e-9);
        var best = 0.0;
        int p = 0, n = 0;

        // Walk thresholds from the top score down; at each distinct score all rows at or above it are called members.
        while (p < pos.Length || n < neg.Length)
        {
            var t = p < pos.Length && (n >= neg.Length || pos[p] >= neg[n]) ? pos[p] : neg[n];
            while (p < pos.Length && pos[p] >= t)
            {
                p++;
            }

            while (n < neg.Length && neg[n] >= t)
            {
                n++;
            }

            if (n > allowed)
            {
                break;
            }

            best = (double)p / pos.Length;
        }

        return best;
    }

    private static void Check(ReadOnlySpan<double> members, ReadOnlySpan<double> nonMembers)
    {
        if (members.IsEmpty || nonMembers.IsEmpty)
        {
            throw new ArgumentException("Both the members and the non-members need at least one score.");
        }

        foreach (var s in members)
        {
            if (double.IsNaN(s))
            {
                throw new ArgumentException("A member score is NaN.", nameof(members));
            }
        }

        foreach (var s in nonMembers)
        {
            if (double.IsNaN(s))
            {
                throw new ArgumentException("A non-member score is NaN.", nameof(nonMembers));
            }
        }
    }
}
