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
    /// conditions on that cell; rebalancing shares of merged values add up), and after expansion each conditioned or
    /// rebalanced column gets back the exact requested values: the model is uniform inside a merged cell and independent
    /// of which merged value a row carries, so fixing it is the model's own conditional.
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
        if (compression is null)
        {
            return request.Sample(Model, n, random);
        }

        var compressed = Compress(request);
        var sampled = compressed.Sample(Model, n, random);
        var expanded = compression.Expand(sampled, random);
        return RestoreRequestedValues(expanded, request, random);
    }

    private SamplingRequest Compress(SamplingRequest request)
    {
        var evidence = Evidence.None(compression!.Compressed);
        foreach (var (attribute, value) in request.Evidence.Values)
        {
            evidence = evidence.With(attribute, compression.CompressedCode(attribute, value));
        }

        if (request.RebalancedAttribute < 0)
        {
            return SamplingRequest.ForModel(evidence, -1, [], request.Description);
        }

        var a = request.RebalancedAttribute;
        var shares = new double[compression.Compressed.Size(a)];
        for (var v = 0; v < request.Shares.Length; v++)
        {
            shares[compression.CompressedCode(a, v)] += request.Shares[v];
        }

        return SamplingRequest.ForModel(evidence, a, [.. shares], request.Description);
    }

    // Expansion drew merged values uniformly; conditioned columns must carry their value, rebalanced ones their shares.
    private EncodedTable RestoreRequestedValues(EncodedTable table, SamplingRequest request, Random random)
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
            var weights = dropped.Select(v => request.Shares[v]).ToArray();
            var total = weights.Sum();
            var codes = new int[table.RowCount];
            table.Columns[a].CopyTo(codes);
            for (var r = 0; r < codes.Length; r++)
            {
                if (total > 0 && dropped.Contains(codes[r]))
                {
                    codes[r] = dropped[Pick(weights, total, random)];
                }
            }

            columns[a] = EncodedColumn.FromCodes(Domain.Size(a), codes);
        }

        return new EncodedTable(Domain, columns);
    }

    private static int Pick(double[] weights, double total, Random random)
    {
        var u = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
