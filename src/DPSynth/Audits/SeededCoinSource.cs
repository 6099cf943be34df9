namespace DPSynth.Audits;

/// <summary>Reproducible coins from a seeded <see cref="Random"/>: tests and benchmarks only, never a real audit.</summary>
internal sealed class SeededCoinSource(int seed) : ICoinSource
{
    private readonly Random random = new(seed);

    /// <inheritdoc />
    public bool Flip(double probability) => random.NextDouble() < probability;
}
