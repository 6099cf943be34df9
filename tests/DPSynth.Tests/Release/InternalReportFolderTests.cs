using DPSynth.Data;
using DPSynth.Evaluation;
using DPSynth.Release;
using DPSynth.Schema;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

/// <summary>
/// The internal report folder beside a bundle holds the true row counts and the audit figures (no DP): on Unix no other
/// local user may list or read it, whatever the umask or the release folder's mode.
/// </summary>
public sealed class InternalReportFolderTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string Html = "<!doctype html><title>internal</title><p>input rows 4002</p>\n";

    private static readonly Lazy<EvaluationReport> Evaluation = new(() =>
    {
        var schema = TableSchema.Load(DemoTable.Schema);
        var real = CsvEncoder.EncodeFile(DemoTable.Csv, schema).Table;
        return Evaluator.Evaluate(schema, real, real, null, real, null, []);
    });

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheFolderIsOwnerOnlyAndSoIsEveryFileInIt()
    {
        var releases = temp.File("releases");
        var folder = Path.Combine(releases, "visits-20261203T000000Z-0123abcd.internal");

        InternalReportFolder.Write(folder, Html, Evaluation.Value);

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(
            [InternalReportFolder.EvaluationFileName, InternalReportFolder.ReportFileName],
            Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(folder))
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        }

        Assert.Equal(Html, File.ReadAllText(Path.Combine(folder, InternalReportFolder.ReportFileName)));
        Assert.Equal(EvaluationJson.Write(Evaluation.Value), File.ReadAllText(Path.Combine(folder, InternalReportFolder.EvaluationFileName)));

        // The release folder it made on the way keeps the usual mode (bundles in it are meant to be copied out).
        var usual = Directory.CreateDirectory(temp.File("usual")).UnixFileMode;
        Assert.Equal(usual, File.GetUnixFileMode(releases));
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AFolderAndFilesLeftReadableByAnEarlierRunAreClosed()
    {
        // Earlier versions made the folder 0755 and its files 0644.
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var folder = temp.File("bundle.internal");
        Directory.CreateDirectory(folder, open | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(folder, open | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var name in new[] { InternalReportFolder.ReportFileName, InternalReportFolder.EvaluationFileName })
        {
            File.WriteAllText(Path.Combine(folder, name), "old");
            File.SetUnixFileMode(Path.Combine(folder, name), open);
        }

        InternalReportFolder.Write(folder, Html, Evaluation.Value);

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.All(Directory.GetFiles(folder), f => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(f)));
        Assert.Equal(Html, File.ReadAllText(Path.Combine(folder, InternalReportFolder.ReportFileName)));
    }
}
