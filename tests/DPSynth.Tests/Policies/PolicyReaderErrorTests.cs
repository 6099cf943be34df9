using DPSynth.Diagnostics;
using DPSynth.Policies;

namespace DPSynth.Tests.Policies;

/// <summary>Each kind of mistake in a policy: the right message, at the right line, column and key, all in one result.</summary>
public sealed class PolicyReaderErrorTests : IDisposable
{
    private readonly PolicyFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void AnUnknownKeyIsAnErrorThatSuggestsTheNearestKnownKey()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer:
              iteratons: 10
            release: {output: out}
            """, "unknown key 'iteratons'; did you mean 'iterations'?");

        AssertAt(diagnostic, 5, 3, "synthesizer.iteratons");
    }

    [Fact]
    public void AKeyWrittenInCamelCaseIsMatchedToItsSnakeCaseName()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            audits: {trainShare: 0.7}
            release: {output: out}
            """, "did you mean 'train_share'?");

        AssertAt(diagnostic, 4, 10, "audits.trainShare");
    }

    [Fact]
    public void AKnownKeyInTheWrongSectionNamesItsSection()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            seed: 7
            release: {output: out}
            """, "'seed' does not belong here; it goes under 'synthesizer:'");

        AssertAt(diagnostic, 4, 1, "seed");
    }

    [Fact]
    public void AQuotedNumberIsAWrongTypeAtItsValue()
    {
        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: "1", delta: 1e-9}
            release: {output: out}
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("'privacy.epsilon' must be a finite number (unquoted)", diagnostic.Message);
        AssertAt(diagnostic, 3, 20, "privacy.epsilon");
    }

    [Fact]
    public void ASectionOrValueOfTheWrongTypeIsReportedAtIt()
    {
        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            audits: 0.8
            release: {output: out, rows: many}
            """);

        AssertAt(Error(result, "'audits' must be a mapping"), 4, 9, "audits");
        AssertAt(Error(result, "'release.rows' must be an integer"), 5, 30, "release.rows");
        Assert.Equal(2, result.Diagnostics.Length);
    }

    [Fact]
    public void AMissingRequiredSectionIsReportedAtTheTopOfTheFile()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            """, "'release' is required");

        AssertAt(diagnostic, 1, 1, "release");
    }

    [Fact]
    public void AMissingRequiredKeyIsReportedAtTheSectionThatLacksIt()
    {
        var diagnostic = Error("""
            version: 1
            dataset:
              schema: ../data/schema.yaml
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """, "'dataset.input' is required");

        AssertAt(diagnostic, 3, 3, "dataset.input");
    }

    [Fact]
    public void ANonexistentInputIsAnErrorAtItsKeyNamingTheResolvedPath()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/missing.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """, "which does not exist");

        AssertAt(diagnostic, 2, 18, "dataset.input");
        Assert.Contains(files.PathOf("data", "missing.csv"), diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RhoAndEpsilonTogetherAreRefusedAtRho()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy:
              epsilon: 1
              delta: 1e-9
              rho: 0.1
            release: {output: out}
            """, "give either 'epsilon' and 'delta', or 'rho', not both");

        AssertAt(diagnostic, 6, 3, "privacy.rho");
    }

    [Fact]
    public void EpsilonWithoutDeltaIsRefusedAtEpsilon()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy:
              epsilon: 1
            release: {output: out}
            """, "'privacy.epsilon' needs 'privacy.delta'");

        AssertAt(diagnostic, 4, 3, "privacy.epsilon");
    }

    [Fact]
    public void DeltaWithoutEpsilonOrRhoIsRefusedAtDelta()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy:
              delta: 1e-9
            release: {output: out}
            """, "'privacy.delta' alone states no budget");

        AssertAt(diagnostic, 4, 3, "privacy.delta");
    }

    [Fact]
    public void APrivacySectionWithoutABudgetIsRefused()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {ledger: ledger.jsonl}
            release: {output: out}
            """, "must state the budget of one run");

        AssertAt(diagnostic, 3, 10, "privacy");
    }

    [Theory]
    [InlineData("epsilon: 0, delta: 1e-9", 20, "privacy.epsilon", "'privacy.epsilon' must be greater than 0, got 0")]
    [InlineData("epsilon: 1, delta: 1", 30, "privacy.delta", "'privacy.delta' must be strictly between 0 and 1, got 1")]
    [InlineData("rho: -0.5", 16, "privacy.rho", "'privacy.rho' must be greater than 0, got -0.5")]
    [InlineData("rho: 1, insecure_deterministic_noise: -1", 49, "privacy.insecure_deterministic_noise", "must be an unsigned integer")]
    [InlineData("epsilon: 010, delta: 1e-9", 20, "privacy.epsilon", "'privacy.epsilon' is written with a leading zero (010), which YAML 1.1 tools read as an octal number")] // 8 to them, 10 here
    [InlineData("epsilon: 1, delta: 00.5", 30, "privacy.delta", "'privacy.delta' is written with a leading zero (00.5)")]
    public void ABudgetOutOfRangeIsAnErrorAtItsValue(string privacy, int column, string key, string message)
    {
        var diagnostic = Error($$"""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {{{privacy}}}
            release: {output: out}
            """, message);

        AssertAt(diagnostic, 3, column, key);
    }

    [Fact]
    public void ACapSmallerThanOneRunIsRefusedButAnEqualCapIsNot()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy:
              epsilon: 1
              delta: 1e-9
              cap: {epsilon: 0.5, delta: 1e-9}
            release: {output: out}
            """, "is smaller than the budget of one run");

        AssertAt(diagnostic, 6, 8, "privacy.cap");
        Assert.True(files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9, cap: {epsilon: 1, delta: 1e-9}}
            release: {output: out}
            """).Succeeded);
    }

    [Fact]
    public void AnUnknownWorkloadColumnIsReportedWithTheNearestColumn()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer:
              workload:
                - {columns: [age, incme]}
            release: {output: out}
            """, "'synthesizer.workload.columns' names column 'incme', which the schema does not have; did you mean 'income'?");

        AssertAt(diagnostic, 6, 23, "synthesizer.workload.columns");
    }

    [Fact]
    public void BadWorkloadEntriesAreEachReportedWhereTheyAre()
    {
        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer:
              workload:
                - {columns: [age, age]}
                - {weight: 2}
                - {columns: [sex], weight: 0}
                - {columns: []}
                - {columns: [age, sex]}
                - {columns: [sex, age]}
                - {columns: [race], weight: 1e308}
            release: {output: out}
            """);

        Assert.False(result.Succeeded);
        AssertAt(Error(result, "names column 'age' twice"), 6, 23, "synthesizer.workload.columns");
        AssertAt(Assert.Single(result.Diagnostics, d => d.Location.Line == 7), 7, 7, "synthesizer.workload.columns");
        Assert.Contains("needs 'columns'", result.Diagnostics.Single(d => d.Location.Line == 7).Message, StringComparison.Ordinal);
        AssertAt(Error(result, "weight of (sex) is 0"), 8, 32, "synthesizer.workload.weight");
        AssertAt(Assert.Single(result.Diagnostics, d => d.Location.Line == 9), 9, 17, "synthesizer.workload.columns");
        AssertAt(Error(result, "lists (sex, age) twice"), 11, 7, "synthesizer.workload");
        AssertAt(Error(result, "weight of (race) is 1E+308; it must be at least 2^-10 and at most 2^20"), 12, 33, "synthesizer.workload.weight");
        Assert.Equal(6, result.Diagnostics.Length);
    }

    [Fact]
    public void AWorkloadOfAnotherKindIsRefused()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer: {workload: 4way}
            release: {output: out}
            """, "must be 2way, 3way or a list");

        AssertAt(diagnostic, 4, 25, "synthesizer.workload");
    }

    [Fact]
    public void MethodSpecificKeysOnTheWrongMethodAreErrors()
    {
        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer:
              method: mst
              workload: 3way
              rounds: 5
              max_model_size_mb: 10
            release: {output: out}
            """);

        AssertAt(Error(result, "'workload' does not apply to method mst; only aim and mwem use it"), 6, 3, "synthesizer.workload");
        AssertAt(Error(result, "'rounds' does not apply to method mst"), 7, 3, "synthesizer.rounds");
        AssertAt(Error(result, "'max_model_size_mb' does not apply to method mst"), 8, 3, "synthesizer.max_model_size_mb");
        Assert.Equal(3, result.Diagnostics.Length);

        var mwem = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer: {method: mwem, final_iterations: 10}
            release: {output: out}
            """, "'final_iterations' does not apply to method mwem; only aim and mst use it");
        AssertAt(mwem, 4, 29, "synthesizer.final_iterations");
    }

    [Theory]
    [InlineData("1e308")] // the preflight estimate's cell count overflowed: an internal error that stopped a folder run
    [InlineData("16777217")]
    [InlineData("0")]
    public void AModelSizeCapOutsideItsBoundsIsAnErrorAtItsValue(string megabytes)
    {
        var diagnostic = Error($$"""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer: {max_model_size_mb: {{megabytes}}}
            release: {output: out}
            """, "'synthesizer.max_model_size_mb' must be greater than 0 and at most 16777216 (16 TiB)");

        AssertAt(diagnostic, 4, 34, "synthesizer.max_model_size_mb");
    }

    [Fact]
    public void AnUnknownMethodListsTheMethods()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            synthesizer: {method: gan}
            release: {output: out}
            """, "'synthesizer.method' must be one of: aim, mst, mwem");

        AssertAt(diagnostic, 4, 23, "synthesizer.method");
    }

    [Theory]
    [InlineData("evaluation: {target: incom}", 22, "evaluation.target", "names column 'incom', which the schema does not have; did you mean 'income'?")]
    [InlineData("evaluation: {groups: [sex, rase]}", 28, "evaluation.groups", "names column 'rase', which the schema does not have; did you mean 'race'?")]
    [InlineData("evaluation: {groups: [sex, sex]}", 28, "evaluation.groups", "lists column 'sex' twice")]
    [InlineData("release: {output: out, rebalance: gender=uniform}", 35, "release.rebalance", "names column 'gender', which the schema does not have")]
    [InlineData("release: {output: out, condition: \"sex=F,rase=White\"}", 35, "release.condition", "names column 'rase'")]
    [InlineData("release: {output: out, condition: race=Asian}", 35, "release.condition", "'Asian' is not in the declared domain of column 'race'")]
    [InlineData("release: {output: out, rebalance: \"sex=F:0.2,M:0.2\"}", 35, "release.rebalance", "shares for 'sex' sum to 0.4")]
    [InlineData("release: {output: out, rebalance: sex=uniform, condition: sex=F}", 35, "release.rebalance", "not also conditioned")]
    [InlineData("release: {output: out, formats: [csv, parquet]}", 39, "release.formats", "'release.formats' must be one of: csv, model")]
    [InlineData("release: {output: out, formats: [model, model]}", 41, "release.formats", "lists 'model' twice")]
    [InlineData("release: {output: ../data/visits.csv}", 19, "release.output", "which is a file, not a folder")]
    [InlineData("release: {output: out, rows: 0}", 30, "release.rows", "'release.rows' must be a whole number from 1 to 2147483647, got 0")]
    [InlineData("release: {output: out, rows: 010}", 30, "release.rows", "'release.rows' is written with a leading zero (010)")]
    [InlineData("audits: {train_share: 1}\nrelease: {output: out}", 23, "audits.train_share", "strictly between 0 and 1, got 1")]
    [InlineData("audits: {max_attack_auc: 0.4}\nrelease: {output: out}", 26, "audits.max_attack_auc", "from 0.5 to 1, got 0.4")]
    public void ColumnsAndReleaseSettingsAreCheckedAgainstTheSchema(string tail, int column, string key, string message)
    {
        // The evaluation lines need a release after them; the release lines are the release.
        var release = tail.StartsWith("evaluation", StringComparison.Ordinal) ? "\nrelease: {output: out}" : string.Empty;
        var diagnostic = Error($$"""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            {{tail}}{{release}}
            """, message);

        AssertAt(diagnostic, 4, column, key);
    }

    [Fact]
    public void APasswordInThePolicyIsRefusedWithoutRepeatingIt()
    {
        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release:
              output: out
              signing:
                certificate: ../data/schema.yaml
                password: hunter2
                password_env: hunter 2!
            """);

        AssertAt(Error(result, "passwords never go in a policy file"), 8, 5, "release.signing.password");
        AssertAt(Error(result, "must be the NAME of an environment variable"), 9, 19, "release.signing.password_env");
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain("hunter", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void AKeyFileWithAPfxCertificateIsRefused()
    {
        files.Write("release.pfx", "x");
        files.Write("release.key", "x");

        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release:
              output: out
              signing:
                certificate: ../release.pfx
                key: ../release.key
            """, "'release.signing.key' applies only to a PEM certificate");

        AssertAt(diagnostic, 8, 5, "release.signing.key");
    }

    [Fact]
    public void AnInlineSchemaErrorIsLocatedInThePolicyFile()
    {
        var result = files.Load("""
            version: 1
            dataset:
              input: ../data/visits.csv
              schema:
                columns:
                  - name: age
                    type: integer
                    min: ten
                    max: 99
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("'min' must be an integer (unquoted)", diagnostic.Message);
        AssertAt(diagnostic, 8, 14, "min");
    }

    [Fact]
    public void AReferencedSchemaFileErrorIsLocatedInThatFile()
    {
        var schema = files.Write(Path.Combine("data", "bad.yaml"), "columns:\n  - name: age\n    type: integr\n");

        var result = files.Load("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/bad.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            evaluation: {target: nothing-is-checked-without-a-schema}
            release: {output: out}
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceLocation(schema, 3, 11, "type"), diagnostic.Location);
    }

    [Fact]
    public void AMissingVersionIsAnError()
    {
        var diagnostic = Error("""
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """, "'version: 1' is required");

        AssertAt(diagnostic, 1, 1, "version");
    }

    [Theory]
    [InlineData("version: 2", "policy format version 2 is not supported; this dpsynth reads version 1")]
    [InlineData("version: \"1\"", "'version' must be an integer (unquoted)")]
    public void AVersionOtherThanOneIsAnError(string version, string message)
    {
        var diagnostic = Error($$"""
            {{version}}
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            """, message);

        AssertAt(diagnostic, 1, 10, "version");
    }

    [Fact]
    public void EveryMistakeIsCollectedInFileOrder()
    {
        var result = files.Load("""
            version: 3
            dataset: {input: ../data/none.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1}
            synthesizer: {method: mst, workload: 2way}
            evaluation: {target: wage}
            release: {output: out, formats: [pdf]}
            """);

        Assert.False(result.Succeeded);
        Assert.Equal([1, 2, 3, 4, 5, 6], result.Diagnostics.Select(d => (int)d.Location.Line).ToArray());
        var thrown = Assert.Throws<InputException>(() => result.GetValueOrThrow());
        Assert.StartsWith("6 problems:", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxErrorsAndNonMappingsAreLocated()
    {
        var syntax = Assert.Single(files.Load("version: 1\nprivacy: {epsilon: 1\n").Diagnostics);
        Assert.StartsWith("YAML syntax error", syntax.Message, StringComparison.Ordinal);
        Assert.Equal(files.PolicyPath, syntax.Location.File);
        Assert.True(syntax.Location.Line >= 2);

        var list = Assert.Single(files.Load("- version: 1\n").Diagnostics);
        Assert.Equal(Messages.PolicyNotAMapping, list.Message);
        AssertAt(list, 1, 1, null);

        var empty = Assert.Single(files.Load("# nothing but a comment\n").Diagnostics);
        Assert.Equal(Messages.PolicyNotAMapping, empty.Message);
    }

    [Fact]
    public void ASecondYamlDocumentIsAnErrorNotIgnored()
    {
        var diagnostic = Error("""
            version: 1
            dataset: {input: ../data/visits.csv, schema: ../data/schema.yaml}
            privacy: {epsilon: 1, delta: 1e-9}
            release: {output: out}
            ---
            privacy: {epsilon: 10, delta: 1e-9}
            """, "exactly one YAML document");

        AssertAt(diagnostic, 6, 1, null);
    }

    [Fact]
    public void AMissingPolicyFileIsADiagnosticNotAnException()
    {
        var path = files.PathOf("policies", "absent.yaml");

        var diagnostic = Assert.Single(PolicyReader.Load(path).Diagnostics);

        Assert.Equal(Messages.FileNotFound(path), diagnostic.Message);
        Assert.Equal(path, diagnostic.Location.File);
    }

    private Diagnostic Error(string yaml, string fragment) => Error(files.Load(yaml), fragment);

    private static Diagnostic Error(LoadResult<Policy> result, string fragment)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Diagnostics, d => d.Message.Contains(fragment, StringComparison.Ordinal));
    }

    private void AssertAt(Diagnostic diagnostic, int line, int column, string? key) =>
        Assert.Equal(new SourceLocation(files.PolicyPath, line, column, key), diagnostic.Location);
}
