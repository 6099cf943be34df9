namespace DPSynth.Reporting;

/// <summary>One series of a <see cref="SvgCharts.BarChart"/>: a name for the tooltips, one value per cell, its colours.</summary>
/// <param name="Name">The series' name in tooltips (e.g. <c>synthetic</c>).</param>
/// <param name="Values">One value per cell; may be negative (noisy counts), drawn below the zero line.</param>
/// <param name="Fill">The fill of bars at or above zero.</param>
/// <param name="NegativeFill">The fill of bars below zero.</param>
/// <param name="Format">How a value is written in its tooltip.</param>
internal sealed record BarSeries(
    string Name, IReadOnlyList<double> Values, string Fill, string NegativeFill, Func<double, string> Format);
