using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Corpus;

/// <summary>
/// Runs every case of the malformed-input corpus in tests/corpus (README there): hostile or careless inputs, tampered
/// ledgers and bundles, dangerous output paths. Each case runs in a fresh work folder holding the corpus's good table,
/// schema and policy. Every run step is checked for the four properties issue 14 asks for:
/// <list type="bullet">
/// <item>its exit code is the stated one (so every tampering is detected: verify exits 4, a writer 2);</item>
/// <item>no stack trace and no raw control character reach the terminal (stdout or stderr);</item>
/// <item>a failing run leaves every file as it was (no partial output, no earlier data lost), except the files the
/// step names in <c>may_change</c>;</item>
/// <item>it finishes (a run that hangs, e.g. reading a device file, fails the case after two minutes).</item>
/// </list>
/// </summary>
public sealed partial class MalformedInputCorpusTests
{
    private static readonly string CorpusFolder = Path.Combine(SharedData.RepositoryRoot, "tests", "corpus");
    private static readonly string FilesFolder = Path.Combine(CorpusFolder, "files");
    private static readonly string[] BaseFiles = ["table.csv", "table.schema.yaml", "policy.yaml"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string> PortableCases => Cases(unixOnly: false);

    public static TheoryData<string> UnixCases => Cases(unixOnly: true);

    [Theory]
    [MemberData(nameof(PortableCases))]
    public void Case(string name) => Run(name);

    [UnixTheory]
    [MemberData(nameof(UnixCases))]
    public void UnixCase(string name) => Run(name);

    [Fact]
    public void EveryCaseFileIsRunByOneOfTheTheories()
    {
        var files = Directory.GetFiles(Path.Combine(CorpusFolder, "cases"), "*.yaml").Length;
        Assert.True(files > 0, "the corpus has no cases");
        Assert.Equal(files, PortableCases.Count + UnixCases.Count);
    }

    private static TheoryData<string> Cases(bool unixOnly)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CorpusFolder, "cases"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (CorpusCase.Load(file).UnixOnly == unixOnly)
            {
                data.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return data;
    }

    private static void Run(string name)
    {
        var corpusCase = CorpusCase.Load(Path.Combine(CorpusFolder, "cases", name + ".yaml"));
        using var temp = new TempDirectory();
        var work = temp.Path;
        foreach (var file in BaseFiles)
        {
            File.Copy(Path.Combine(FilesFolder, file), Path.Combine(work, file));
        }

        var specials = new HashSet<string>(StringComparer.Ordinal); // FIFOs: never read them
        for (var i = 0; i < corpusCase.Steps.Count; i++)
        {
            var step = corpusCase.Steps[i];
            var where = $"{name}, step {i + 1} ({step.Action})";
            if (step.Action == "run")
            {
                RunStep(step, work, specials, where);
            }
            else
            {
                Prepare(step, work, specials);
            }
        }
    }

    private static void RunStep(CorpusStep step, string work, HashSet<string> specials, string where)
    {
        string[] args = [.. step.Arguments.Select(a => Expand(a, work))];
        var before = Snapshot(work, specials);
        var task = Task.Run(() => CliRunner.Run(args));
        Assert.True(task.Wait(RunTimeout), $"{where}: 'dpsynth {string.Join(' ', args)}' did not finish in {RunTimeout}");
        var result = task.Result;
        var output = result.Output + result.Error;
        Assert.True(
            result.ExitCode == step.Exit,
            $"{where}: exit {result.ExitCode}, expected {step.Exit}\nstdout: {result.Output}\nstderr: {result.Error}");
        Assert.False(StackFrame().IsMatch(output), $"{where}: a stack trace reached the terminal:\n{output}");
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
        var control = output.FirstOrDefault(c => (char.IsControl(c) && c is not '\n' and not '\r' and not '\t') || c == '\u007f');
        Assert.True(control == default, $"{where}: a raw control character U+{(int)control:X4} reached the terminal");
        foreach (var text in step.Stderr)
        {
            Assert.True(result.Error.Contains(Expand(text, work), StringComparison.Ordinal), $"{where}: stderr lacks '{text}':\n{result.Error}");
        }

        foreach (var text in step.Stdout)
        {
            Assert.True(result.Output.Contains(Expand(text, work), StringComparison.Ordinal), $"{where}: stdout lacks '{text}':\n{result.Output}");
        }

        if (result.ExitCode != 0)
        {
            // No partial output and no earlier data lost: every file as it was, except those the step may change.
            var after = Snapshot(work, specials);
            var allowed = step.MayChange.Select(Glob).ToList();
            var changed = before.Keys.Union(after.Keys)
                .Where(p => before.GetValueOrDefault(p) != after.GetValueOrDefault(p))
                .Where(p => !allowed.Any(g => g.IsMatch(p)))
                .ToList();
            Assert.True(changed.Count == 0, $"{where}: a failing run changed {string.Join(", ", changed)}");
        }
    }

    private static void Prepare(CorpusStep step, string work, HashSet<string> specials)
    {
        // Expanded first, so a {one:...} (an absolute path) replaces the work folder rather than joining it.
        string At(string? relative) =>
            Path.Combine(work, Expand(relative ?? throw new FormatException($"{step.Action}: a path is missing"), work));
        switch (step.Action)
        {
            case "copy":
                Directory.CreateDirectory(Path.GetDirectoryName(At(step.Get("to")))!);
                File.Copy(Path.Combine(FilesFolder, step.Get("from")!), At(step.Get("to")), overwrite: true);
                break;
            case "save":
                File.Copy(At(step.Get("from")), At(step.Get("to")), overwrite: true);
                break;
            case "write":
                Directory.CreateDirectory(Path.GetDirectoryName(At(step.Get("path")))!);
                File.WriteAllText(At(step.Get("path")), Expand(step.Get("text") ?? "", work));
                break;
            case "repeat":
                WriteRepeated(At(step.Get("path")), step);
                break;
            case "replace":
                var path = At(step.Get("path"));
                var text = File.ReadAllText(path);
                var old = Expand(step.Get("old")!, work);
                Assert.Contains(old, text, StringComparison.Ordinal); // a replace that matches nothing tests nothing
                File.WriteAllText(path, text.Replace(old, Expand(step.Get("new") ?? "", work), StringComparison.Ordinal));
                break;
            case "truncate":
                var lines = File.ReadAllLines(At(step.Get("path")));
                var keep = int.Parse(step.Get("lines")!, System.Globalization.CultureInfo.InvariantCulture);
                File.WriteAllText(At(step.Get("path")), string.Concat(lines.Take(keep).Select(l => l + "\n")));
                break;
            case "delete":
                foreach (var target in Expand(step.Value!, work).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(At))
                {
                    if (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null)
                    {
                        Directory.Delete(target, recursive: true);
                    }
                    else
                    {
                        File.Delete(target);
                    }
                }

                break;
            case "symlink":
                File.Delete(At(step.Get("path")));
                File.CreateSymbolicLink(At(step.Get("path")), Expand(step.Get("target")!, work));
                break;
            case "absent":
                var matches = Matches(work, Expand(step.Value!, work));
                Assert.True(matches.Count == 0, $"{step.Value} should not exist: {string.Join(", ", matches)}");
                break;
            case "present":
                Assert.True(File.Exists(At(step.Value)) || Directory.Exists(At(step.Value)), $"{step.Value} should exist");
                break;
            case "fifo":
                var fifo = At(step.Value);
                Directory.CreateDirectory(Path.GetDirectoryName(fifo)!);
                Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)));
                specials.Add(Path.GetRelativePath(work, fifo).Replace('\\', '/'));
                break;
            default:
                throw new FormatException($"unknown action {step.Action}");
        }
    }

    // repeat: {path, prefix, text, times, suffix}: large or deeply nested inputs without storing them in the corpus.
    private static void WriteRepeated(string path, CorpusStep step)
    {
        var times = long.Parse(step.Get("times")!, System.Globalization.CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(Unescape(step.Get("prefix") ?? ""));
        var unit = Unescape(step.Get("text")!);
        for (long i = 0; i < times; i++)
        {
            writer.Write(unit);
        }

        writer.Write(Unescape(step.Get("suffix") ?? ""));
    }

    // Every file and link under the work folder: a hash of each file's bytes, a link's target, or a marker for FIFOs.
    private static Dictionary<string, string> Snapshot(string work, HashSet<string> specials)
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var entry in new DirectoryInfo(work).EnumerateFileSystemInfos("*", options))
        {
            var relative = Path.GetRelativePath(work, entry.FullName).Replace('\\', '/');
            state[relative] = entry.LinkTarget is { } target ? "link:" + target
                : specials.Contains(relative) ? "fifo"
                : entry is DirectoryInfo ? "dir"
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
        }

        return state;
    }

    // {work} is the case's folder, {corpus} the files/ folder, and {one:PATTERN} the one path under {work} that PATTERN
    // matches ('*' and '?' within a name; e.g. a bundle folder, whose name holds its run's id).
    private static string Expand(string text, string work)
    {
        text = text.Replace("{work}", work, StringComparison.Ordinal).Replace("{corpus}", FilesFolder, StringComparison.Ordinal);
        return OnePattern().Replace(text, m => One(work, m.Groups[1].Value));
    }

    private static string One(string work, string pattern)
    {
        var found = Matches(work, pattern);
        Assert.True(found.Count == 1, $"{{one:{pattern}}} matched {found.Count} paths");
        return found[0];
    }

    // The paths under work that a relative pattern matches, '*' and '?' within each name (no links followed).
    private static List<string> Matches(string work, string pattern)
    {
        IEnumerable<string> matches = [work];
        foreach (var part in Path.GetRelativePath(work, Path.Combine(work, pattern)).Split('/', '\\'))
        {
            matches = [.. matches.SelectMany(m => Directory.Exists(m) ? Directory.EnumerateFileSystemEntries(m, part) : [])];
        }

        return [.. matches];
    }

    [GeneratedRegex(@"\{one:([^}]+)\}")]
    private static partial Regex OnePattern();

    // \e, \a, \0 and \n in corpus text stand for ESC, BEL, NUL and a line end.
    private static string Unescape(string text) =>
        text.Replace("\\e", "\u001b", StringComparison.Ordinal).Replace("\\a", "\u0007", StringComparison.Ordinal)
            .Replace("\\0", "\0", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$");

    [GeneratedRegex(@"^\s+at \S+[.(]", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
