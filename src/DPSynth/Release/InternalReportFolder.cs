using DPSynth.Evaluation;
using DPSynth.IO;

namespace DPSynth.Release;

/// <summary>
/// Writes the internal report folder beside a bundle (<c>&lt;bundle&gt;.internal/</c>, docs/release.md): the internal
/// report and the evaluation's JSON. They hold the true row counts, the audit figures and the utility tables, computed
/// from the private rows without DP, so on Unix the folder is mode 0700 and its files 0600: no other local user of the
/// machine can read them, whatever the release folder's own mode.
/// </summary>
public static class InternalReportFolder
{
    /// <summary>The internal report's file name in the folder.</summary>
    public const string ReportFileName = "report.html";

    /// <summary>The evaluation's file name in the folder (the figures of <c>dpsynth evaluate --json</c>).</summary>
    public const string EvaluationFileName = "evaluation.json";

    /// <summary>Creates (or takes) <paramref name="folder"/> and writes the report and the evaluation into it, each atomically.</summary>
    /// <param name="folder">The folder, <c>&lt;bundle name&gt;.internal</c> beside the bundle.</param>
    /// <param name="html">The rendered internal report (<see cref="InternalReport.Render"/>).</param>
    /// <param name="evaluation">The utility evaluation.</param>
    public static void Write(string folder, string html, EvaluationReport evaluation)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(evaluation);
        PrivateFolder.Create(folder);
        AtomicFile.WriteText(Path.Combine(folder, ReportFileName), html, ownerOnly: true);
        AtomicFile.WriteText(Path.Combine(folder, EvaluationFileName), EvaluationJson.Write(evaluation), ownerOnly: true);
    }
}
