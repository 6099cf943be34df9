using DPSynth.Diagnostics;
using DPSynth.Inference;
using DPSynth.Marginals;
using DPSynth.Schema;

namespace DPSynth.Synthesizers;

/// <summary>
/// Builds the synthesizer a policy or a command line asks for, so that <c>dpsynth run</c>, <c>dpsynth synth</c> and
/// <c>dpsynth audit-canaries</c> fit exactly the same thing for the same settings.
/// </summary>
public static class SynthesizerFactory
{
    /// <summary>
    /// The synthesizer for <paramref name="settings"/> over <paramref name="schema"/>'s domain, whose fitted models keep
    /// the schema's constraints as structural zeros; unset values take each method's defaults.
    /// </summary>
    /// <exception cref="InputException">
    /// An unknown method or workload, settings the method rejects, or constraints that together rule out every row.
    /// </exception>
    public static ISynthesizer Create(TableSchema schema, SynthesizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Create(schema.Domain, settings, StructuralZeros.FromSchema(schema));
    }

    /// <summary>The synthesizer for <paramref name="settings"/> over <paramref name="domain"/>; unset values take each method's defaults.</summary>
    /// <exception cref="InputException">An unknown method or workload, or settings the method rejects.</exception>
    public static ISynthesizer Create(Domain domain, SynthesizerSettings settings, StructuralZeros? zeros = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Method.ToLowerInvariant())
        {
            case "aim":
                {
                    var defaults = new AimOptions();
                    return new Aim(Workload(domain, settings.Workload), defaults with
                    {
                        MaxModelSizeMb = settings.MaxModelSizeMb ?? defaults.MaxModelSizeMb,
                        Rounds = settings.Rounds ?? defaults.Rounds,
                        Iterations = settings.Iterations ?? defaults.Iterations,
                        FinalIterations = settings.FinalIterations ?? defaults.FinalIterations,
                    },
                    zeros);
                }

            case "mwem":
                {
                    var defaults = new MwemOptions();
                    return new MwemPgm(Workload(domain, settings.Workload), defaults with
                    {
                        MaxModelSizeMb = settings.MaxModelSizeMb ?? defaults.MaxModelSizeMb,
                        Rounds = settings.Rounds ?? defaults.Rounds,
                        Iterations = settings.Iterations ?? defaults.Iterations,
                    },
                    zeros);
                }

            case "mst":
                {
                    var defaults = new MstOptions();
                    return new Mst(domain, defaults with
                    {
                        SelectionIterations = settings.Iterations ?? defaults.SelectionIterations,
                        FinalIterations = settings.FinalIterations ?? defaults.FinalIterations,
                    },
                    zeros);
                }

            default:
                throw new InputException(Messages.UnknownMethod(settings.Method));
        }
    }

    /// <summary>The settings of the command line's <c>--method</c>, <c>--workload</c> and <c>--max-model-size</c>.</summary>
    public static SynthesizerSettings FromCommandLine(string method, string workload, double? maxModelSizeMb, int? seed) =>
        new(method, new WorkloadSpec(workload.ToLowerInvariant(), []), maxModelSizeMb, null, null, null, seed);

    private static Workload Workload(Domain domain, WorkloadSpec spec) => spec.Kind switch
    {
        "2way" => Marginals.Workload.AllKWay(domain, 2),
        "3way" => Marginals.Workload.AllKWay(domain, 3),
        "list" => Marginals.Workload.FromNames(domain, spec.Cliques.Select(c => ((IReadOnlyList<string>)c.Columns, c.Weight))),
        _ => throw new InputException(Messages.UnknownWorkload(spec.Kind)),
    };
}
