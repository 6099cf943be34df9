using System.Diagnostics;
using System.Globalization;
using DPSynth.Benchmarks.Support;
using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Marginals;
using DPSynth.Privacy;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Benchmarks.Validation;

/// <summary>
/// Issue 10's figures on adult (domain-JSON schema; its codes are categories, so every column is compared as
/// categorical): an 80/20 split, AIM and MST at the given epsilons, TSTR vs TRTR (LightGBM) for target income>50K, the
/// mean Cramér's V difference, the per-group table for sex and race, and the time of one evaluation. Runs per setting:
/// <c>DPSYNTH_VALIDATION_RUNS</c> (default 5); epsilons: <c>DPSYNTH_VALIDATION_EPSILONS</c> (default 0.3,1,10);
/// methods: <c>DPSYNTH_VALIDATION_METHODS</c> (default aim,mst).
/// </summary>
public sealed class ValidationFigures : IFigures
{
    /// <inheritdoc />
    public IEnumerable<Figure> Measure()
    {
        var schema = AdultData.Schema;
        var table = AdultData.Table;
        var random = new Random(20261123);
        var rows = Enumerable.Range(0, table.RowCount).GroupBy(_ => random.NextDouble() < 0.8).ToDictionary(g => g.Key, g => g.ToArray());
        var (train, test) = (table.SelectRows(rows[true]), table.SelectRows(rows[false]));
        var ordered = new bool[schema.Domain.Count];
        var target = schema.Domain.IndexOf("income>50K");
        var runs = int.Parse(Environment.GetEnvironmentVariable("DPSYNTH_VALIDATION_RUNS") ?? "5", CultureInfo.InvariantCulture);
        var epsilons = (Environment.GetEnvironmentVariable("DPSYNTH_VALIDATION_EPSILONS") ?? "0.3,1,10")
            .Split(',').Select(e => double.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var methods = (Environment.GetEnvironmentVariable("DPSYNTH_VALIDATION_METHODS") ?? "aim,mst")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(m => m != "none").ToArray();
        var utility = new DownstreamUtility(schema.Domain, ordered, target);

        var timing = Stopwatch.StartNew();
        var trtrOnly = utility.Compare(train, train, test, UtilityModel.GradientBoostedTrees);
        yield return new Figure("validation", "evaluate: LightGBM TSTR+TRTR with importances, 39k train / 10k test rows, wall",
            timing.Elapsed.TotalSeconds, "s", "< 10 s", timing.Elapsed.TotalSeconds < 10);
        yield return new Figure("validation", "TRTR AUC (income>50K, LightGBM)", trtrOnly.Trtr.Auc, "", "", null);
        yield return new Figure("validation", "TRTR accuracy", trtrOnly.Trtr.Accuracy, "", "", null);
        var whole = WholeEvaluate(schema, train, test);
        yield return new Figure("validation",
            "evaluate end to end: 3 CSVs read, TVDs, association, LightGBM + linear TSTR/TRTR, groups sex and race, JSON + HTML, wall",
            whole, "s", "< 10 s", whole < 10);

        foreach (var method in methods)
        {
            foreach (var epsilon in epsilons)
            {
                var auc = new List<double>();
                var accuracy = new List<double>();
                var cramer = new List<double>();
                var groupShares = new Dictionary<string, List<double>>(StringComparer.Ordinal);
                var groupGaps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
                for (var run = 0; run < runs; run++)
                {
                    var accountant = new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(epsilon, 1e-9));
                    ISynthesizer synthesizer = method == "mst"
                        ? new Mst(schema.Domain)
                        : new Aim(Workload.AllKWay(schema.Domain, 2), new AimOptions { MaxModelSizeMb = AimMaxModelSizeMb });
                    var synthetic = synthesizer.Fit(train, accountant).Sample(new Random(run));
                    var u = utility.Compare(synthetic, train, test, UtilityModel.GradientBoostedTrees);
                    auc.Add(u.Tstr.Auc);
                    accuracy.Add(u.Tstr.Accuracy);
                    cramer.Add(AssociationSimilarity.Compare(train, synthetic, ordered).MeanCramersVDifference);
                    var fitted = utility.Fit(synthetic, train, UtilityModel.GradientBoostedTrees);
                    foreach (var group in new[] { "sex", "race" })
                    {
                        var g = schema.Domain.IndexOf(group);
                        var labels = Enumerable.Range(0, schema.Domain.Size(g)).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
                        foreach (var f in SubgroupFidelity.Compute(train, synthetic, g, labels, (utility, fitted), test))
                        {
                            var key = $"{group}={f.Group}";
                            Add(groupShares, key, f.SyntheticShare / f.RealShare);
                            Add(groupGaps, key, f.TrtrAccuracy - f.TstrAccuracy);
                        }
                    }
                }

                var cap = method == "aim" && AimMaxModelSizeMb != 80
                    ? string.Create(CultureInfo.InvariantCulture, $", max_model_size {AimMaxModelSizeMb} MB")
                    : string.Empty;
                var setting = string.Create(CultureInfo.InvariantCulture, $"{method.ToUpperInvariant()} eps={epsilon}, {runs} runs{cap}");
                yield return new Figure("validation", $"{setting}: TSTR AUC mean (sd {Sd(auc):F4})", auc.Average(), "", $"TRTR {trtrOnly.Trtr.Auc:F4}", null);
                yield return new Figure("validation", $"{setting}: TSTR accuracy mean (sd {Sd(accuracy):F4})", accuracy.Average(), "",
                    $"TRTR {trtrOnly.Trtr.Accuracy:F4}", null);
                yield return new Figure("validation", $"{setting}: mean Cramér's V difference", cramer.Average(), "", "", null);
                foreach (var key in groupShares.Keys.Order(StringComparer.Ordinal))
                {
                    yield return new Figure("validation",
                        $"{setting}: group {key}: synthetic/real share {groupShares[key].Average():F3}, TRTR-TSTR accuracy",
                        groupGaps[key].Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average(), "", "flag > 0.05", null);
                }
            }
        }
    }

    /// <summary>
    /// The wall time of everything <c>dpsynth evaluate --test T --target income&gt;50K --groups sex,race --json --html F</c>
    /// does after the process starts: load the schema, read and encode the real, synthetic and test CSVs, compute every
    /// figure (marginal TVDs, association, LightGBM and linear TSTR/TRTR with permutation importances, per-group
    /// fidelity with its own TSTR fit) and render the JSON and the HTML page. The synthetic rows are MST's at epsilon 1
    /// on the training rows, as many as them (39k); the CSVs are written before the clock starts.
    /// </summary>
    private static double WholeEvaluate(TableSchema schema, EncodedTable train, EncodedTable test)
    {
        var folder = Directory.CreateTempSubdirectory("dpsynth-evaluate-figure").FullName;
        try
        {
            var synthetic = new Mst(schema.Domain).Fit(train, new ZcdpAccountant(SynthesisBudget.FromEpsilonDelta(1, 1e-9)))
                .Sample(new Random(7), train.RowCount);
            string[] files = [Path.Combine(folder, "real.csv"), Path.Combine(folder, "synthetic.csv"), Path.Combine(folder, "test.csv")];
            CsvDecoder.WriteFile(files[0], schema, train, new Random(1));
            CsvDecoder.WriteFile(files[1], schema, synthetic, new Random(2));
            CsvDecoder.WriteFile(files[2], schema, test, new Random(3));

            var clock = Stopwatch.StartNew();
            var loaded = TableSchema.Load(Path.Combine(AdultData.Folder, "adult-domain.json"));
            var real = CsvEncoder.EncodeFile(files[0], loaded).Table;
            var report = Evaluator.Evaluate(
                loaded, real, real, CsvEncoder.EncodeFile(files[2], loaded).Table,
                CsvEncoder.EncodeFile(files[1], loaded.WithCsv(CsvOptions.Default)).Table, "income>50K", ["sex", "race"]);
            _ = EvaluationJson.Write(report);
            _ = EvaluationHtml.Render(report);
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>AIM's model-size cap: 80 MB (the reference's) unless <c>DPSYNTH_VALIDATION_AIM_MAX_MB</c> names another.</summary>
    private static double AimMaxModelSizeMb =>
        double.Parse(Environment.GetEnvironmentVariable("DPSYNTH_VALIDATION_AIM_MAX_MB") ?? "80", CultureInfo.InvariantCulture);

    private static void Add(Dictionary<string, List<double>> map, string key, double value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    private static double Sd(List<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
