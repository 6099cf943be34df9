using System.Diagnostics;

namespace DPSynth.Tests.Support;

/// <summary>
/// Opens a local HTML file in headless Chromium (Debian's <c>chromium</c>; <c>.ci/run</c> installs it when missing):
/// dumps the rendered DOM, takes a screenshot and collects the console messages Chromium logs.
/// </summary>
public static class HeadlessChromium
{
    private static readonly Lazy<string?> Executable = new(() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists));

    /// <summary>True when a Chromium executable is installed.</summary>
    public static bool Available => Executable.Value is not null;

    /// <summary>Why browser tests are skipped on this machine.</summary>
    public const string MissingReason = "Chromium is not installed (apt-get install chromium); .ci/run installs it in CI.";

    /// <summary>What the browser produced.</summary>
    public sealed record Render(string Dom, byte[] Screenshot, IReadOnlyList<string> ConsoleLines);

    /// <summary>Renders <paramref name="htmlPath"/> at the given window size.</summary>
    public static Render Open(string htmlPath, int width = 1200, int height = 3000)
    {
        using var dir = new TempDirectory();
        var url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        var common = new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", $"--user-data-dir={dir.Path}",
            $"--window-size={width},{height}",
        };
        var (dom, domErr) = Run([.. common, "--dump-dom", url]);
        var png = dir.File("shot.png");
        var (_, shotErr) = Run([.. common, $"--screenshot={png}", url]);
        var console = (domErr + "\n" + shotErr).Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal)).ToList();
        return new Render(dom, File.Exists(png) ? File.ReadAllBytes(png) : [], console);
    }

    private static (string Out, string Err) Run(string[] args)
    {
        var start = new ProcessStartInfo(Executable.Value ?? throw new InvalidOperationException(MissingReason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 90 s.");
        }

        return (stdout.Result, stderr.Result);
    }
}

/// <summary>A fact that needs headless Chromium; skipped with the reason when it is not installed.</summary>
public sealed class RequiresChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Chromium is missing.</summary>
    public RequiresChromiumFactAttribute()
    {
        if (!HeadlessChromium.Available)
        {
            Skip = HeadlessChromium.MissingReason;
        }
    }
}
