namespace DPSynth.Tests.Support;

/// <summary>A fact about Unix-only behaviour (file modes, link(2)); reported skipped, with the reason, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on Windows.</summary>
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix-only behaviour: Windows publishes new files with MoveFileEx and has no Unix file modes.";
        }
    }
}
