namespace DPSynth.Benchmarks;

/// <summary>One measured figure: what was done, the value, its unit, and the goal it is checked against.</summary>
/// <param name="Area">The issue area (data, privacy, engine, synthesizers, audits, validation).</param>
/// <param name="Work">What was measured.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Unit">Unit of <paramref name="Value"/>.</param>
/// <param name="Goal">The target, as text (e.g. "&lt;= 0.3 s").</param>
/// <param name="Met">Whether the measured value meets the goal, when there is one.</param>
public sealed record Figure(string Area, string Work, double Value, string Unit, string Goal, bool? Met);

/// <summary>A fixed workload for the <c>--figures</c> mode. Implementations are found by reflection.</summary>
public interface IFigures
{
    /// <summary>Runs the workloads (with warm-up; median of several runs) and returns the figures.</summary>
    IEnumerable<Figure> Measure();
}
