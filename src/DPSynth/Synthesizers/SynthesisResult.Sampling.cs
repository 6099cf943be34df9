using DPSynth.Data;
using DPSynth.Inference;

namespace DPSynth.Synthesizers;

public sealed partial class SynthesisResult
{
    /// <summary>
    /// Samples rows as <paramref name="request"/> asks (conditioned and/or rebalanced). Post-processing of the model:
    /// no privacy budget is spent. <paramref name="rows"/> defaults to the model's noisy total.
    /// </summary>
    /// <remarks>
    /// When MST merged rare values, the request is translated onto the compressed domain (a value inside the merged cell
    /// conditions on that cell). A rebalanced column's counts are apportioned on the original values first, by the same
    /// rounding as <see cref="ConditionalSampler.SampleRebalanced"/>, so every requested value, merged or not, gets a count
    /// within one row of <c>rows x share</c>; the merged cell is sampled with the sum of its values' counts, and its rows
    /// then get exactly those counts of each value in random order. The model is uniform inside a merged cell and
    /// independent of which merged value a row carries, so fixing the values is the model's own conditional.
    /// </remarks>
    /// <exception cref="DPSynth.Diagnostics.InputException">A condition has zero probability under the model.</exception>
    public EncodedTable Sample(Random random, int? rows, SamplingRequest request)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ChangesDistribution)
        {
            return Sample(random, rows);
        }

        var n = rows ?? RowSampler.DefaultRows(Model);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        RequirePossible(request);
        if (compression is null)
        {
            return request.SampleChecked(Model, n, random);
        }

        var evidence = CompressedEvidence(request);
        var a = request.RebalancedAttribute;
        if (a < 0)
        {
            var conditioned = ConditionalSampler.SampleConditioned(Model, evidence, n, random);
            return RestoreRequestedValues(compression.Expand(conditioned, random), request, [], random);
        }

        var counts = ConditionalSampler.RebalancedCounts(request.Shares, Domain.Size(a), n, random);
        return SampleCompressedWithCounts(random, request, evidence, counts);
    }

    /// <summary>
    /// As <see cref="Sample(Random, int?, SamplingRequest)"/>, drawn a chunk at a time (<see cref="RowChunks"/>) so that
    /// only one chunk is in memory: the chunks' rows sum to the requested rows (default: the model's noisy total).
    /// A sample of at most <paramref name="chunkRows"/> rows is one chunk, the same table (for the same generator state)
    /// as the unchunked call. More rows are drawn with a generator seeded from <paramref name="random"/>, each chunk one
    /// ahead on another thread, so the caller may keep using <paramref name="random"/> (to decode) while enumerating.
    /// </summary>
    /// <exception cref="DPSynth.Diagnostics.InputException">
    /// A condition, or a rebalanced value with a positive share, has zero probability under the model: always at once,
    /// before any chunk is enumerated (a sample of one chunk is drawn in this call, so the generator is used exactly as
    /// by the unchunked call).
    /// </exception>
    public IEnumerable<EncodedTable> SampleChunks(Random random, int? rows, SamplingRequest request, int chunkRows = RowChunks.MaxRows)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(request);
        var n = rows ?? RowSampler.DefaultRows(Model);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var sizes = RowChunks.Sizes(n, chunkRows);
        if (sizes.Length == 1)
        {
            return [Sample(random, n, request)];
        }

        // Now, before the caller opens its output: the chunks are drawn only as they are enumerated.
        RequirePossible(request);
        return Chunks(random, request, n, sizes);
    }

    // A condition, or a rebalanced value with a positive share, that the model rules out (on its own domain: a merged
    // value is possible when its merged cell is).
    private void RequirePossible(SamplingRequest request)
    {
        if (!request.ChangesDistribution)
        {
            return;
        }

        var a = request.RebalancedAttribute;
        var values = a < 0 ? [] : Enumerable.Range(0, request.Shares.Length).Where(v => request.Shares[v] > 0)
            .Select(v => compression is null ? v : compression.CompressedCode(a, v)).Distinct();
        ConditionalSampler.RequirePossible(Model, compression is null ? request.Evidence : CompressedEvidence(request), a, values);
    }

    /// <summary>
    /// The chunks, each drawn one ahead on another thread while the caller decodes and writes the one before. They are
    /// drawn with a generator of their own, seeded from <paramref name="random"/> (which the caller keeps for decoding),
    /// so no generator is shared between threads and the rows still depend only on the seed.
    /// </summary>
    private IEnumerable<EncodedTable> Chunks(Random random, SamplingRequest request, int n, int[] sizes)
    {
        using var draws = Draws(new Random(random.Next()), request, n, sizes).GetEnumerator();
        var next = Task.Run(draws.MoveNext);
        try
        {
            while (next.GetAwaiter().GetResult())
            {
                var chunk = draws.Current;
                next = Task.Run(draws.MoveNext);
                yield return chunk;
            }
        }
        finally
        {
            // Stopped early (a failed write) or failed: the draw in flight finishes before its enumerator is disposed.
            Task.WaitAny(next);
            _ = next.Exception;
        }
    }

    private IEnumerable<EncodedTable> Draws(Random random, SamplingRequest request, int n, int[] sizes)
    {
        var a = request.RebalancedAttribute;
        if (a < 0)
        {
            foreach (var size in sizes)
            {
                yield return Sample(random, size, request);
            }

            yield break;
        }

        // Rebalanced: the counts are apportioned over all n rows first, then split over the chunks, so each stays within
        // one row of n x share (per-chunk apportioning would allow one row per chunk).
        var remaining = ConditionalSampler.RebalancedCounts(request.Shares, Domain.Size(a), n, random);
        var evidence = compression is null ? request.Evidence : CompressedEvidence(request);
        foreach (var size in sizes)
        {
            var counts = RowChunks.SplitCounts(remaining, size, random);
            yield return compression is null
                ? ConditionalSampler.SampleWithCounts(Model, a, counts, evidence, random)
                : SampleCompressedWithCounts(random, request, evidence, counts);
        }
    }

    // Rebalanced sampling on MST's compressed domain, with counts per original value of the rebalanced attribute.
    private EncodedTable SampleCompressedWithCounts(Random random, SamplingRequest request, Evidence evidence, int[] counts)
    {
        var c = compression!;
        var a = request.RebalancedAttribute;
        var compressedCounts = new int[c.Compressed.Size(a)];
        for (var v = 0; v < counts.Length; v++)
        {
            compressedCounts[c.CompressedCode(a, v)] += counts[v];
        }

        var sampled = ConditionalSampler.SampleWithCounts(Model, a, compressedCounts, evidence, random);
        return RestoreRequestedValues(c.Expand(sampled, random), request, counts, random);
    }

    private Evidence CompressedEvidence(SamplingRequest request)
    {
        var c = compression!;
        var original = request.Evidence;
        // A compressed code is a kept value or the merged cell, which is named by its values ("X|Y").
        var evidence = Evidence.None(c.Compressed).WithLabels((attribute, code) => code < c.KeptValues(attribute).Length
            ? original.Label(attribute, c.KeptValues(attribute)[code])
            : string.Join("|", c.DroppedValues(attribute).Select(v => original.Label(attribute, v))));
        foreach (var (attribute, value) in request.Evidence.Values)
        {
            evidence = evidence.With(attribute, c.CompressedCode(attribute, value));
        }

        return evidence;
    }

    // Expansion drew merged values uniformly; conditioned columns must carry their value, and the rebalanced column's
    // merged rows the apportioned count of each merged value (counts, by original value; empty without rebalancing).
    private EncodedTable RestoreRequestedValues(EncodedTable table, SamplingRequest request, int[] counts, Random random)
    {
        var columns = table.Columns.ToArray();
        foreach (var (attribute, value) in request.Evidence.Values)
        {
            var codes = new int[table.RowCount];
            Array.Fill(codes, value);
            columns[attribute] = EncodedColumn.FromCodes(Domain.Size(attribute), codes);
        }

        var a = request.RebalancedAttribute;
        var dropped = a >= 0 ? compression!.DroppedValues(a) : [];
        if (dropped.Length > 0)
        {
            var values = new List<int>();
            foreach (var v in dropped)
            {
                values.AddRange(Enumerable.Repeat(v, counts[v]));
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
            var codes = new int[table.RowCount];
            table.Columns[a].CopyTo(codes);
            var next = 0;
            for (var r = 0; r < codes.Length; r++)
            {
                // Expansion maps the merged cell, and only it, onto dropped values: these are exactly its rows.
                if (dropped.Contains(codes[r]))
                {
                    codes[r] = values[next++];
                }
            }

            if (next != values.Count)
            {
                throw new InvalidOperationException(
                    $"The merged cell has {next} rows, not the {values.Count} apportioned to it.");
            }

            columns[a] = EncodedColumn.FromCodes(Domain.Size(a), codes);
        }

        return new EncodedTable(Domain, columns);
    }
}
