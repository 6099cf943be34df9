using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Marginals;

/// <summary>
/// Answers "the counts of clique C" over an encoded domain: the only question the synthesizers ask of the private
/// rows. Implementations count the same codes (docs/sources.md): <see cref="InMemoryMarginalSource"/> over an
/// <see cref="EncodedTable"/>, and SQL sources (DuckDB, PostgreSQL) that compute each code with the schema's encoding
/// in SQL and count each clique with one <c>GROUP BY</c>.
/// </summary>
/// <remarks>
/// A source only replaces counting. Nothing it returns is private-safe: the counts are the true marginals and must only
/// reach a privacy mechanism. The caller charges the budget before it opens a source on private data.
/// </remarks>
public interface IMarginalSource : IDisposable
{
    /// <summary>Where the counts come from: <c>memory</c>, <c>duckdb</c> or <c>postgres</c> (for messages).</summary>
    string Kind { get; }

    /// <summary>The attributes and cell counts the cliques index.</summary>
    Domain Domain { get; }

    /// <summary>
    /// The marginals of <paramref name="cliques"/> (same order): dense count vectors, row-major over each clique's
    /// cells (last attribute fastest), as <see cref="MarginalCounter"/> lays them out.
    /// </summary>
    double[][] Count(IReadOnlyList<Clique> cliques);

    /// <summary>
    /// The same rows seen through <paramref name="recoding"/> (its <see cref="CodeRecoding.Original"/> must be
    /// <see cref="Domain"/>): a view that shares this source's data and must not outlive it.
    /// </summary>
    IMarginalSource Recode(CodeRecoding recoding);
}
