using System.Collections.Immutable;

namespace DPSynth.Diagnostics;

/// <summary>
/// The outcome of reading an input: either a value, or every problem found (NodaTime's <c>ParseResult</c>). Readers
/// collect all diagnostics instead of stopping at the first, so a user fixes a file in one round.
/// </summary>
/// <typeparam name="T">The type of the value read.</typeparam>
public sealed class LoadResult<T>
    where T : class
{
    private readonly T? value;

    private LoadResult(T? value, ImmutableArray<Diagnostic> diagnostics)
    {
        this.value = value;
        Diagnostics = diagnostics;
    }

    /// <summary>Every problem found, in file order; empty on success.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>True when the input was read without a problem.</summary>
    public bool Succeeded => value is not null;

    /// <summary>A successful result.</summary>
    public static LoadResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), []);

    /// <summary>A failed result; at least one diagnostic is required.</summary>
    public static LoadResult<T> Failure(IEnumerable<Diagnostic> diagnostics)
    {
        ImmutableArray<Diagnostic> all = [.. diagnostics];
        if (all.IsEmpty)
        {
            throw new ArgumentException("A failed load needs at least one diagnostic.", nameof(diagnostics));
        }

        return new LoadResult<T>(null, all);
    }

    /// <summary>The value, or an <see cref="InputException"/> listing every diagnostic (one per line).</summary>
    /// <exception cref="InputException">The input had problems.</exception>
    public T GetValueOrThrow()
    {
        if (value is not null)
        {
            return value;
        }

        if (Diagnostics.Length == 1)
        {
            throw new InputException(Diagnostics[0].Message, Diagnostics[0].Location);
        }

        // Each line already names its own location.
        throw new InputException(Messages.ManyProblems(Diagnostics));
    }
}
