using DPSynth.Data;

namespace DPSynth.Audits;

/// <summary>
/// A one-run empirical privacy audit (Steinke, Nasr, Jagielski 2023): insert canary rows, each with probability 1/2,
/// run the synthesizer once, guess from its output which canaries were in, and turn the number of correct guesses
/// into a lower bound on epsilon (<see cref="OneRunAuditBound"/>).
/// </summary>
/// <remarks>
/// <para>Canaries are rows drawn uniformly from the domain, distinct from each other and from every train row: rare
/// code combinations that no real row is likely to share, so a mechanism that emits one is caught by exact match.
/// A canary's score is its exact-match count in the output plus one minus its distance to the nearest output row
/// (so any exact copy outranks any near miss). The k+ highest scores are guessed "in" and the k- lowest "out"; ties
/// are broken by canary index, which is independent of the coins.</para>
/// <para>The run is a full synthesizer run: on production data its output and bound are DP post-processing of that
/// run, and it must be charged to the ledger like any other (privacy-details.md section 6).</para>
/// </remarks>
public static class CanaryAudit
{
    /// <summary>Runs the audit with CSPRNG coins; <paramref name="random"/> draws the canaries.</summary>
    public static CanaryAuditResult Run(
        EncodedTable train,
        Func<EncodedTable, EncodedTable> synthesizer,
        DistanceSpec spec,
        CanaryAuditOptions options,
        Random random) =>
        Run(train, synthesizer, spec, options, random, RandomBitsCoins.Csprng());

    /// <summary>Runs the audit with the given coins (a seeded source in tests).</summary>
    internal static CanaryAuditResult Run(
        EncodedTable train,
        Func<EncodedTable, EncodedTable> synthesizer,
        DistanceSpec spec,
        CanaryAuditOptions options,
        Random random,
        ICoinSource coins)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var m = options.Canaries;
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.GuessesIn);
        ArgumentOutOfRangeException.ThrowIfNegative(options.GuessesOut);
        if (options.GuessesIn + options.GuessesOut > m)
        {
            throw new ArgumentException("k+ + k- must not exceed the number of canaries.", nameof(options));
        }

        var distance = new GowerDistance(spec);
        var canaries = MakeCanaries(train, distance, m, random);
        var included = new bool[m];
        var chosen = new List<int>();
        for (var i = 0; i < m; i++)
        {
            included[i] = coins.Flip(0.5);
            if (included[i])
            {
                chosen.Add(i);
            }
        }

        var input = Concat(train, canaries.SelectRows(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chosen)));
        var output = synthesizer(input);
        ArgumentNullException.ThrowIfNull(output, nameof(synthesizer));
        var scores = Score(canaries, output, distance);

        // Highest score first; ties by canary index, which does not depend on the coins.
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var correct = 0;
        for (var i = 0; i < options.GuessesIn; i++)
        {
            correct += included[order[i]] ? 1 : 0;
        }

        for (var i = m - options.GuessesOut; i < m; i++)
        {
            correct += included[order[i]] ? 0 : 1;
        }

        var r = options.GuessesIn + options.GuessesOut;
        var bound = OneRunAuditBound.EpsilonLowerBound(m, r, correct, options.Delta, options.Confidence);
        return new CanaryAuditResult(m, chosen.Count, r, correct, bound, options.Confidence, options.Delta);
    }

    /// <summary>Each canary's score from the output alone: exact-match count plus one minus the nearest distance.</summary>
    internal static double[] Score(EncodedTable canaries, EncodedTable output, GowerDistance distance)
    {
        var scores = new double[canaries.RowCount];
        if (output.RowCount == 0)
        {
            return scores;
        }

        var index = new NearestNeighbourIndex(output, distance);
        var counts = index.ExactMatchCounts(canaries);
        var nearest = index.Nearest(canaries);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = counts[i] + (1 - nearest[i]);
        }

        return scores;
    }

    /// <summary>
    /// <paramref name="count"/> rows drawn uniformly from the domain, distinct from each other and from every row of
    /// <paramref name="train"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The domain is too small to hold that many unseen rows.</exception>
    internal static EncodedTable MakeCanaries(EncodedTable train, GowerDistance distance, int count, Random random)
    {
        var domain = train.Domain;
        var trainRows = new RowMultiset(PackedRows.Pack(train, distance));
        var codes = new int[domain.Count][];
        for (var c = 0; c < codes.Length; c++)
        {
            codes[c] = new int[count];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var packed = new int[domain.Count];
        var made = 0;
        for (var attempt = 0; made < count; attempt++)
        {
            if (attempt > 100 * count)
            {
                throw new InvalidOperationException(
                    $"Could not draw {count} distinct canary rows unseen in train; the domain is too small.");
            }

            for (var c = 0; c < packed.Length; c++)
            {
                packed[c] = random.Next(domain.Size(c)) + distance.Offset(c);
            }

            if (trainRows.Count(packed) > 0 || !seen.Add(string.Join(',', packed)))
            {
                continue;
            }

            for (var c = 0; c < packed.Length; c++)
            {
                codes[c][made] = packed[c] - distance.Offset(c);
            }

            made++;
        }

        var columns = new EncodedColumn[domain.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = EncodedColumn.FromCodes(domain.Size(c), codes[c]);
        }

        return new EncodedTable(domain, columns);
    }

    /// <summary>The rows of <paramref name="a"/> followed by the rows of <paramref name="b"/>.</summary>
    internal static EncodedTable Concat(EncodedTable a, EncodedTable b)
    {
        var columns = new EncodedColumn[a.Domain.Count];
        var buffer = new int[a.RowCount + b.RowCount];
        for (var c = 0; c < columns.Length; c++)
        {
            a.Columns[c].CopyTo(buffer);
            b.Columns[c].CopyTo(buffer.AsSpan(a.RowCount));
            columns[c] = EncodedColumn.FromCodes(a.Domain.Size(c), buffer);
        }

        return new EncodedTable(a.Domain, columns);
    }
}
