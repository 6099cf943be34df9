using DPSynth.Data;
using DPSynth.Inference;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Tests.Synthesizers;

/// <summary>
/// Sampling a chunk at a time (issue 15, <see cref="SynthesisResult.SampleChunks"/>). The fits draw real CSPRNG noise,
/// so every assertion is about the sampler's exact bookkeeping, which holds for any fitted model.
/// </summary>
public sealed class ChunkedSamplingTests
{
    private static readonly TableSchema Demo = DemoFits.Schema;

    private static readonly Lazy<SynthesisResult> DemoMst = new(() => DemoFits.FitMst().Result);

    [Fact]
    public void ASampleOfAtMostOneChunkIsTheUnchunkedSample()
    {
        var result = DemoMst.Value;
        foreach (var request in new[]
                 {
                     SamplingRequest.None(Demo.Domain), SamplingRequest.Parse(Demo, null, "sex=M"),
                     SamplingRequest.Parse(Demo, "diagnosis=uniform", "insurance=None"),
                 })
        {
            foreach (var rows in new[] { 0, 1, 999, 1000 })
            {
                var chunks = result.SampleChunks(new Random(8), rows, request, chunkRows: 1000).ToArray();
                Assert.Single(chunks);
                AssertSameRows(result.Sample(new Random(8), rows, request), chunks[0]);
            }
        }
    }

    /// <summary>
    /// Without merged values, a conditioned or rebalanced sample is the request's own sample for the same generator:
    /// <see cref="SynthesisResult.Sample(Random, int?, SamplingRequest)"/> checks the request once and then draws as
    /// <see cref="SamplingRequest.Sample"/> does (which would check it again).
    /// </summary>
    [Fact]
    public void AnUnmergedResultDrawsExactlyWhatTheRequestDraws()
    {
        var fitted = DemoMst.Value;
        var result = new SynthesisResult(
            fitted.Method, fitted.Domain, fitted.Model, fitted.Selections, fitted.Measurements, fitted.RhoSpent, fitted.UsedInsecureNoise);
        Assert.Null(result.Compression);
        foreach (var request in new[]
                 {
                     SamplingRequest.Parse(Demo, null, "sex=M"), SamplingRequest.Parse(Demo, "diagnosis=uniform", "insurance=None"),
                     SamplingRequest.Parse(Demo, "sex=uniform", null),
                 })
        {
            AssertSameRows(request.Sample(result.Model, 777, new Random(21)), result.Sample(new Random(21), 777, request));
        }
    }

    /// <summary>
    /// Each chunk has its exact share of the rows, and is drawn by the same method on its share: the first attribute
    /// drawn has, in every chunk, each model value within one row of the chunk's size times its probability.
    /// </summary>
    [Fact]
    public void ChunksHoldExactlyTheRequestedRowsAndKeepTheRoundingBoundEach()
    {
        var result = DemoMst.Value;
        const int rows = 2345;
        var chunks = result.SampleChunks(new Random(3), rows, SamplingRequest.None(Demo.Domain), chunkRows: 300).ToArray();
        Assert.Equal(RowChunks.Sizes(rows, 300), chunks.Select(c => c.RowCount));
        Assert.Equal(rows, chunks.Sum(c => c.RowCount));

        var model = result.Model;
        var first = model.Tree.EliminationOrder[^1];
        var probabilities = model.Project(DPSynth.Marginals.Clique.Of(first));
        var total = probabilities.Sum();
        foreach (var chunk in chunks)
        {
            var counts = new int[probabilities.Length];
            for (var r = 0; r < chunk.RowCount; r++)
            {
                var code = chunk[r, first];
                counts[result.Compression is { } c ? c.CompressedCode(first, code) : code]++;
            }

            for (var v = 0; v < counts.Length; v++)
            {
                var expected = chunk.RowCount * probabilities[v] / total;
                Assert.True(Math.Abs(counts[v] - expected) < 1 + 1e-9, $"value {v}: {counts[v]} vs {expected}");
            }
        }
    }

    [Fact]
    public void ChunkedRebalancingKeepsEachValueWithinOneRowOfItsShareOverTheWholeSampleAndConditionsHoldInEveryChunk()
    {
        var result = DemoMst.Value;
        const int rows = 7001;
        var request = SamplingRequest.Parse(Demo, "diagnosis=uniform", "insurance=None");
        var chunks = result.SampleChunks(new Random(4), rows, request, chunkRows: 512).ToArray();
        Assert.Equal(rows, chunks.Sum(c => c.RowCount));
        var diagnosis = Demo.Domain.IndexOf("diagnosis");
        var insurance = Demo.Domain.IndexOf("insurance");
        var counts = new int[7];
        foreach (var chunk in chunks)
        {
            for (var r = 0; r < chunk.RowCount; r++)
            {
                Assert.Equal(2, chunk[r, insurance]);
                counts[chunk[r, diagnosis]]++;
            }
        }

        // Apportioned over all the rows, then split: within one row of rows / 7, not one per chunk.
        Assert.All(counts, c => Assert.True(Math.Abs(c - (rows / 7.0)) < 1, $"counts {string.Join(", ", counts)}"));
    }

    [Fact]
    public void ChunkedRebalancingOfValuesMstMergedKeepsTheRoundingBound()
    {
        // Two or more values merged fails with probability <= 1.1e-9 (DemoFits.FitWithRareValuesMerged), the false-failure
        // probability of the merge assertion. The count assertion holds for any fitted model.
        var domain = new Domain(["a", "b"], [7, 3]);
        var result = DemoFits.FitWithRareValuesMerged();
        Assert.True(result.Compression?.DroppedValues(0).Length >= 2, "fewer than two values merged");

        const int rows = 7001;
        var request = SamplingRequest.ForModel(Evidence.None(domain), 0, [.. Enumerable.Repeat(1.0 / 7, 7)], "a=uniform");
        var counts = new int[7];
        foreach (var chunk in result.SampleChunks(new Random(5), rows, request, chunkRows: 1000))
        {
            for (var r = 0; r < chunk.RowCount; r++)
            {
                counts[chunk[r, 0]]++;
            }
        }

        Assert.All(counts, c => Assert.True(Math.Abs(c - (rows / 7.0)) < 1, $"counts {string.Join(", ", counts)}"));
    }

    [Fact]
    public void TheSameSeedGivesTheSameChunks()
    {
        var result = DemoMst.Value;
        var a = result.SampleChunks(new Random(11), 900, SamplingRequest.None(Demo.Domain), chunkRows: 200).ToArray();
        var b = result.SampleChunks(new Random(11), 900, SamplingRequest.None(Demo.Domain), chunkRows: 200).ToArray();
        Assert.Equal(a.Length, b.Length);
        for (var k = 0; k < a.Length; k++)
        {
            AssertSameRows(a[k], b[k]);
        }
    }

    [Fact]
    public void StoppingEarlyLeavesNoDrawRunningAndAFreshEnumerationStartsOver()
    {
        var result = DemoMst.Value;
        var chunks = result.SampleChunks(new Random(12), 5000, SamplingRequest.None(Demo.Domain), chunkRows: 100);
        var first = chunks.Take(2).ToArray();
        Assert.Equal([100, 100], first.Select(c => c.RowCount));
        Assert.Equal(5000, chunks.Sum(c => c.RowCount));
    }

    private static void AssertSameRows(EncodedTable a, EncodedTable b) => DemoFits.AssertSameRows(a, b);
}
