using System.Collections.Immutable;
using DPSynth.Evaluation;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Marginals.Sql;
using DPSynth.Schema;
using DPSynth.Synthesizers;
using static DPSynth.Inference.Saturating;

namespace DPSynth.Resources;

/// <summary>What of the pipeline runs after the fit: <c>synth</c> samples and decodes; <c>run</c> also splits, audits and evaluates.</summary>
/// <param name="AuditsAndEvaluation">The policy runner's train/holdout split, privacy audit and evaluation.</param>
/// <param name="UtilityModels">The evaluation trains utility models (a target is set): one-hot features per row.</param>
public sealed record PipelineShape(bool AuditsAndEvaluation, bool UtilityModels)
{
    /// <summary><c>dpsynth synth</c>: fit, sample, decode.</summary>
    public static PipelineShape Synth { get; } = new(false, false);
}

/// <summary>
/// The preflight estimate (issue 15): an upper bound on the peak memory of a run, from the schema's domain, the method
/// and its settings, and a bound on the rows (never the private row count), and a rough time. Checked against
/// <see cref="MemoryLimit"/> before the ledger is touched.
/// </summary>
/// <remarks>
/// <para>The terms follow the data structures of the run, each bounded from public facts (n the row bound, C the
/// most cells the model can have: the model-size cap, MST's tree with the structural zeros, or MWEM+PGM's smallest
/// workload clique when none fits the cap, m the largest candidate's cells, R the most measurements the method can make):</para>
/// <list type="bullet">
/// <item><b>runtime</b>: the .NET runtime, code and libraries (measured, with margin).</item>
/// <item><b>rows</b>: the input while it is counted (in memory: the encoded rows, whose growth doubles their buffers,
/// and for a Parquet file its largest row group decoded; DuckDB: its capped buffer, a scan's chunk and one request of dense counts; PostgreSQL: that request), the synthetic
/// rows (for <c>synth</c>, one chunk of them: they are drawn and written a chunk at a time) and, for
/// <c>run</c>, the split copy, the audits' packed rows and neighbour index, the evaluation's count vectors and, with a
/// target, its one-hot features.</item>
/// <item><b>candidates</b>: every candidate's true marginal, dense or sparse: <c>8 min(cells, n)</c> bytes each
/// (<see cref="TrueMarginal"/>).</item>
/// <item><b>scoring</b>: per scoring thread, the projection and its messages
/// (<see cref="CandidateScoring"/>): <c>8 (3 m + k C)</c>, k the most attributes of a candidate (at least 2). A
/// candidate is offered only if it is inside the model (one message, of its own cells) or its projection's messages
/// total at most the cap (<see cref="SynthesisSteps.ProjectionFits"/>); a thread's buffer pool holds at most one buffer
/// per message in flight, at most k (the sending cliques in flight form an antichain of a subtree with at most k - 1
/// leaves, plus the one being filled), each at most the cap.</item>
/// <item><b>model</b>: 16 model-sized arrays of doubles, and one more of at least 2^20 cells: the estimator's working
/// arrays (eight for the accelerated estimator: u, u+, z, z+, x, y, the gradient and belief propagation's partial beliefs), the model it returns and the
/// warm start it came from (two each), the projector's separators and the kernels' borrowed targets (up to two), and
/// two of margin, from which the loss's intermediates come (two arrays per maximal clique of at most half its cells:
/// one model-sized array in all); the one more is the warm start's projection messages when the tree changed shape (at
/// most the new model's cells or 2^20, whichever is more, or the start folds the previous potentials instead:
/// <c>AcceleratedMirrorDescent.WarmStart</c>; a 9 GB message ran a 3.1 GB estimate to 4.8 GB before that rule).
/// Index maps are small (a general map holds <c>cells / Run + Run</c> integers).</item>
/// <item><b>measurements</b>: each measurement's noisy values, <c>8 (I + R min(m, C))</c> with I the cells measured
/// before any selection (AIM's and MST's 1-way marginals), and the estimator's six arrays per distinct measured
/// clique (the accelerated estimator's projections of x, y, z and z+, the gradient workspace and the stopping rule's
/// snapshot), at most four times the cap in cells (distinct measured cliques lie inside the model). This is the worst
/// case of every round measuring a largest candidate, which AIM's rules allow (a clique inside the model stays on
/// offer and may be measured again): on 40 columns of 2000 categories it is 22 GB where a run peaks at 0.5 GB.</item>
/// <item><b>headroom</b>: half of all the managed terms, for the garbage collector's slack.</item>
/// </list>
/// <para>The time is rough: per-cell and per-row costs measured on two cores (docs/benchmarks.md), with every planned
/// round run and the model at its cap; most runs take far less.</para>
/// </remarks>
public static class ResourceEstimator
{
    /// <summary>The runtime of <c>dpsynth synth</c> (code, libraries, JIT), with margin.</summary>
    public const long SynthRuntimeBytes = 150_000_000;

    /// <summary>The runtime of <c>dpsynth run</c> (the audit and evaluation libraries too), with margin.</summary>
    public const long RunRuntimeBytes = 400_000_000;

    /// <summary>
    /// Bytes of one decoded Parquet value: a reference (8), the reader's own per-value indices, levels and pages (16),
    /// and a string of up to 24 characters (24 and two a character: 72; a nullable double takes 16). Measured: a single
    /// 3M-row group of four text columns of 2-3 characters peaked at 868 MB where the estimate without this term was
    /// 376 MB (about 62 bytes a value with the rest of the run). Modelled, not proven: a longer text costs two bytes a
    /// character more.
    /// </summary>
    public const long ParquetValueBytes = 96;

    /// <summary>Model-sized arrays the estimator and its model hold at once (see the remarks).</summary>
    public const int ModelArrays = 16;

    private const double SecondsPerRowField = 150e-9;
    private const double SecondsPerScoredCell = 4e-9;
    private const double SecondsPerModelCellIteration = 20e-9;

    /// <summary>The estimate for fitting <paramref name="synthesizer"/> and the rest of <paramref name="pipeline"/>.</summary>
    /// <param name="synthesizer">The configured synthesizer (AIM, MWEM+PGM or MST).</param>
    /// <param name="rows">The row bound (<see cref="RowBound.FromCsvFile"/>).</param>
    /// <param name="outputRows">The rows to sample, or null for the model's estimate (assumed at most twice the bound).</param>
    /// <param name="pipeline">What runs after the fit.</param>
    /// <param name="source">The marginal source that counts the rows: <c>memory</c> (the default), <c>duckdb</c> or
    /// <c>postgres</c> (see the <b>rows</b> term).</param>
    public static ResourceEstimate For(
        ISynthesizer synthesizer, RowBound rows, long? outputRows, PipelineShape pipeline, string source = "memory")
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(pipeline);
        var shape = FitShape.Of(synthesizer);
        var domain = synthesizer.Domain;
        var n = rows.Rows;
        var output = outputRows ?? (2 * n);

        long candidateBytes = 0, candidateCells = 0, largest = 1;
        var attributes = 2;
        foreach (var clique in shape.Candidates)
        {
            attributes = Math.Max(attributes, clique.Count);
            var cells = Cells(domain, clique);
            candidateBytes = Add(candidateBytes, Add(Multiply(8, Math.Min(cells, n)), 128));
            candidateCells = Add(candidateCells, cells);
            largest = Math.Max(largest, cells);
        }

        candidateBytes = Add(candidateBytes, shape.CoarseCandidateBytes);

        var model = shape.ModelCells;
        var measured = Math.Min(largest, model);
        var parts = new List<ResourcePart>
        {
            new("rows", Add(RowsBytes(domain, n, output, pipeline, source, largest), ParquetGroupBytes(domain, rows, source))),
            new("candidates", candidateBytes),
            new("scoring", Multiply(CandidateScoring.Workers, Multiply(8, Add(Multiply(3, largest), Multiply(attributes, model))))),
            new("model", Add(Multiply(ModelArrays * 8L, model), Multiply(8, Math.Max(model, AcceleratedMirrorDescent.ProjectionFloorCells)))),
            new("measurements", Add(
                Multiply(8, Add(shape.InitialCells, Multiply(shape.Measurements, measured))),
                Multiply(48, Math.Min(candidateCells, Math.Min(Multiply(shape.Measurements, measured), Multiply(4, model)))))),
        };
        var managed = parts.Aggregate(0L, (sum, p) => Add(sum, p.Bytes));
        parts.Add(new ResourcePart("headroom", managed / 2));
        parts.Insert(0, new ResourcePart("runtime", pipeline.AuditsAndEvaluation ? RunRuntimeBytes : SynthRuntimeBytes));

        var seconds = (n + output) * (double)domain.Count * SecondsPerRowField * (pipeline.AuditsAndEvaluation ? 4 : 1)
            + (shape.Rounds * ((candidateCells * SecondsPerScoredCell) + (shape.Iterations * (double)model * SecondsPerModelCellIteration)))
            + (shape.FinalIterations * (double)model * SecondsPerModelCellIteration);
        return new ResourceEstimate([.. parts], seconds, rows);
    }

    /// <summary>The row-sized terms: input, output and, for <c>run</c>, the split, audits and evaluation.</summary>
    private static long RowsBytes(Domain domain, long n, long output, PipelineShape pipeline, string source, long largest)
    {
        var rowBytes = RowBound.EncodedRowBytes(domain);
        if (!pipeline.AuditsAndEvaluation)
        {
            // synth samples, decodes and writes a chunk at a time (RowChunks): the output costs one chunk, not the rows.
            return Add(InputBytes(domain, n, source, largest), OutputChunkBytes(domain, output));
        }

        var bytes = Add(InputBytes(domain, n, source, largest), Multiply(2, Multiply(output, rowBytes)));

        var both = Add(n, output);
        var d = (long)domain.Count;
        bytes = Add(bytes, Multiply(n, rowBytes)); // the train/holdout split's copies
        bytes = Add(bytes, Multiply(32, Multiply(d, both))); // packed rows (ints) and the neighbour index
        bytes = Add(bytes, Multiply(MarginalTvd.DenseBatch * 16L, both)); // a batch of dense count vectors, real and synthetic
        var widestPair = domain.Sizes.OrderDescending().Take(2).Aggregate(1L, (p, s) => p * s);
        bytes = Add(bytes, Multiply(16, widestPair)); // the association's contingency tables
        if (pipeline.UtilityModels)
        {
            // One float per one-hot feature per row (at most every cell of every column), three times over for the
            // feature arrays, the model library's copy and its own dataset.
            bytes = Add(bytes, Multiply(12, Multiply(domain.Sizes.Sum(s => (long)s), both)));
        }

        return bytes;
    }

    /// <summary>
    /// One output chunk of at most <see cref="RowChunks.MaxRows"/> rows, three times over (the chunk drawn, and the
    /// garbage of the one before it that the collector may not have reclaimed yet). Per row: the sampler's codes (an int
    /// per column), its working arrays (order, offsets, values, the stratified sort's two permutations and packed digits,
    /// the interleaving keys: 40 bytes), the chunk's encoded table and its expansion (2 rowBytes), and one column being
    /// decoded and written (its nullable values, the writer's levels and pages: 64 bytes).
    /// </summary>
    private static long OutputChunkBytes(Domain domain, long output)
    {
        var rows = Math.Min(output, RowChunks.MaxRows);
        var perRow = (4L * domain.Count) + 40 + (2 * RowBound.EncodedRowBytes(domain)) + 64;
        return Multiply(3, Multiply(rows, perRow));
    }

    /// <summary>
    /// What holds the input while it is counted. In memory: the encoded rows, whose buffers double as they grow (4 n
    /// bytes a row's codes). DuckDB: its buffer, which spills above <see cref="DuckDbSource.MemoryLimitBytes"/> (with a
    /// quarter more for what it allocates outside the buffer), the encoder's spill buffer and a scan's chunk, read
    /// (ints) and encoded (<see cref="DuckDbSource.ScanBytes"/>), and one request of dense counts (at most
    /// <see cref="TrueMarginal.BatchCells"/> cells or a largest candidate). PostgreSQL: the rows stay in the server; one
    /// request of dense counts.
    /// </summary>
    private static long InputBytes(Domain domain, long n, string source, long largest)
    {
        var request = Multiply(8, Math.Max(TrueMarginal.BatchCells, largest));
        return source switch
        {
            "duckdb" => Add(Add(DuckDbSource.MemoryLimitBytes + (DuckDbSource.MemoryLimitBytes / 4), DuckDbSource.ScanBytes(domain.Count)), request),
            "postgres" => request,
            _ => Multiply(4, Multiply(n, RowBound.EncodedRowBytes(domain))),
        };
    }

    /// <summary>
    /// The in-memory Parquet reader decodes a whole row group before encoding it (<c>ParquetEncoder</c>): every column
    /// of it as an array of texts or doubles. <see cref="ParquetValueBytes"/> a value, twice over (the group decoded,
    /// and the one before it that the collector may not have reclaimed yet). DuckDB reads Parquet itself, within its
    /// buffer.
    /// </summary>
    private static long ParquetGroupBytes(Domain domain, RowBound rows, string source) =>
        source == "memory" ? Multiply(2, Multiply(rows.LargestRowGroup, Multiply(domain.Count, ParquetValueBytes))) : 0;

    /// <summary>What a method's fit holds and does, from its public settings.</summary>
    /// <param name="Candidates">Every clique it may score (and whose true marginal it keeps).</param>
    /// <param name="ModelCells">The most cells its model can have (the cap; MST: its tree of pairs and the structural
    /// zeros' cliques; MWEM+PGM: above the cap when no workload clique fits it).</param>
    /// <param name="InitialCells">Cells measured before any selection (AIM's and MST's 1-way marginals).</param>
    /// <param name="Measurements">The most measurements it can make after those.</param>
    /// <param name="Rounds">Planned rounds that score candidates and re-fit.</param>
    /// <param name="Iterations">Estimator iterations per round.</param>
    /// <param name="FinalIterations">Estimator iterations of the final estimate.</param>
    /// <param name="CoarseCandidateBytes">AIM's coarse candidates: each one's fine-to-coarse map (4 bytes a fine cell)
    /// and coarse true marginal (8 bytes a coarse cell).</param>
    private sealed record FitShape(
        ImmutableArray<Clique> Candidates, long ModelCells, long InitialCells, long Measurements, long Rounds, long Iterations,
        long FinalIterations, long CoarseCandidateBytes = 0)
    {
        public static FitShape Of(ISynthesizer synthesizer) => synthesizer switch
        {
            Aim aim => ForAim(aim),
            MwemPgm mwem => ForMwem(mwem),
            Mst mst => ForMst(mst),
            _ => throw new ArgumentException($"No resource model for method '{synthesizer.Method}'.", nameof(synthesizer)),
        };

        private static FitShape ForAim(Aim aim)
        {
            var closure = CandidateSet.DownwardClosure(aim.Workload);
            var candidates = closure.Items.Select(c => c.Clique).ToImmutableArray();
            long coarseBytes = 0;
            foreach (var (index, coarse) in AimCandidate.CoarseForms(aim.Domain, closure, aim.Options))
            {
                coarseBytes = Add(coarseBytes, Add(Multiply(4, Cells(aim.Domain, candidates[index])), Add(Multiply(8, coarse.CellCount), 128)));
            }

            long rounds = aim.Rounds;
            // The 1-way measurements, then at most one per planned round (each round costs at least rho / T);
            // rounding sigma^2 up makes a round cost a little less than planned, so two rounds of slack.
            return new FitShape(
                candidates, CapCells(aim.Options.MaxModelSizeMb), OneWayCells(aim.Domain), rounds + 2, rounds,
                aim.Options.Iterations, aim.Options.FinalIterations, coarseBytes);
        }

        private static FitShape ForMwem(MwemPgm mwem)
        {
            var candidates = mwem.Workload.Cliques.Select(w => w.Clique).ToImmutableArray();
            var rounds = mwem.Options.Rounds ?? (long)mwem.Domain.Count;
            var cap = CapCells(mwem.Options.MaxModelSizeMb);
            return new FitShape(
                candidates, Math.Max(cap, FallbackModelCells(mwem.Domain, candidates, mwem.Zeros, cap)), 0, rounds, rounds,
                mwem.Options.Iterations, 0);
        }

        /// <summary>
        /// The model MWEM+PGM fits when no workload clique fits the cap: its first round then offers the cliques whose
        /// model (the structural zeros' tree with the clique added) is smallest, whatever their size, and every later
        /// round only what that model already covers (MwemPgm.Filter). So its model has at most the cap's cells or the
        /// smallest of those, whichever is more (3 columns of 5000 categories: one 25M-cell pair against a 25 MB cap of
        /// 3.3M cells, which the estimate missed). Stops at the first clique within the cap: then the cap bounds it.
        /// </summary>
        private static long FallbackModelCells(Domain domain, ImmutableArray<Clique> cliques, StructuralZeros zeros, long cap)
        {
            var initial = new JunctionTree(domain, zeros.Cliques);
            var smallest = long.MaxValue;
            foreach (var clique in cliques)
            {
                smallest = Math.Min(smallest, initial.CellCountWith(clique));
                if (smallest <= cap)
                {
                    break;
                }
            }

            return smallest == long.MaxValue ? 0 : smallest;
        }

        private static FitShape ForMst(Mst mst)
        {
            // The 1-way marginals and every pair (on the compressed domain, which is never larger); the model is the
            // 1-way marginals, d - 1 pairs and the structural zeros' cliques, which every model holds (a 250^3 mask made
            // the model 15.6M cells where the estimate had assumed 81,000). A chosen pair joins two components of the
            // zeros' graph or lies inside one of their cliques (Mst.SelectTree), so it adds a clique of its own and
            // merges none of the zeros' (modelled, as the scoring term is: the triangulation is a heuristic's).
            var domain = mst.Domain;
            var candidates = Workload.AllKWay(domain, 1).Cliques.Concat(Workload.AllKWay(domain, 2).Cliques)
                .Select(w => w.Clique).ToImmutableArray();
            var widestPair = domain.Sizes.OrderDescending().Take(2).Aggregate(1L, (p, s) => p * s);
            var zeros = mst.Zeros.IsEmpty ? 0 : new JunctionTree(domain, mst.Zeros.Cliques).CellCount;
            var model = Add(Add(OneWayCells(domain), Multiply(domain.Count - 1L, widestPair)), zeros);
            return new FitShape(
                candidates, model, OneWayCells(domain), domain.Count - 1L, 1, mst.Options.SelectionIterations,
                mst.Options.FinalIterations);
        }

        private static long OneWayCells(Domain domain) => domain.Sizes.Sum(s => (long)s);

        private static long CapCells(double megabytes) => (long)Math.Ceiling(megabytes * (1 << 20) / sizeof(double));
    }
}
