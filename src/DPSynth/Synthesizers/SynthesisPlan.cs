using System.Collections.Immutable;
using DPSynth.Privacy;

namespace DPSynth.Synthesizers;

/// <summary>
/// What a synthesis run will spend and how, stated before any data are read: the method, the total zCDP budget, the
/// workload and the method's parameters (for the ledger entry and the manifest).
/// </summary>
/// <param name="Method">aim, mst or mwem.</param>
/// <param name="Rho">The whole budget the run will spend (up to the safe rounding of each parameter).</param>
/// <param name="Workload">A description of the workload ("all 2-way").</param>
/// <param name="Parameters">The method's parameters by name, formatted invariantly (rounds, sigma, model-size cap, ...).</param>
public sealed record SynthesisPlan(string Method, Rho Rho, string Workload, ImmutableSortedDictionary<string, string> Parameters);
