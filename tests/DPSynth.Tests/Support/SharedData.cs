namespace DPSynth.Tests.Support;

/// <summary>
/// Locates the real data sets in <c>../shared/data</c> beside the checkout (always there in CI). Tests that need
/// them use <see cref="RequiresSharedDataFactAttribute"/>, which reports them skipped, with the reason, when absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The repository root (the folder holding DPSynth.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>True when <c>../shared/data</c> exists beside the checkout.</summary>
    public static bool Available => Root.Value is not null;

    /// <summary>Why shared-data tests are skipped on this machine.</summary>
    public static string MissingReason =>
        $"../shared/data not found beside the checkout ({RepositoryRoot}); real-data tests need it (CI always has it).";

    /// <summary>A path inside <c>../shared/data</c>; only call from a test guarded by the attribute.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root.Value ?? throw new InvalidOperationException(MissingReason), .. parts]);

    private static string? Find()
    {
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DPSynth.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DPSynth.sln not found above the test assembly.");
    }
}

/// <summary>A fact that needs <c>../shared/data</c>; skipped with the reason when it is missing, never passed silently.</summary>
public sealed class RequiresSharedDataFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the data are absent.</summary>
    public RequiresSharedDataFactAttribute()
    {
        if (!SharedData.Available)
        {
            Skip = SharedData.MissingReason;
        }
    }
}

/// <summary>A theory that needs <c>../shared/data</c>; skipped with the reason when it is missing.</summary>
public sealed class RequiresSharedDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the data are absent.</summary>
    public RequiresSharedDataTheoryAttribute()
    {
        if (!SharedData.Available)
        {
            Skip = SharedData.MissingReason;
        }
    }
}
