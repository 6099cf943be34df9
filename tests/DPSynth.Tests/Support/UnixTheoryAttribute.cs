namespace DPSynth.Tests.Support;

/// <summary>A theory about Unix-only behaviour (FIFOs, device files); reported skipped, with the reason, on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on Windows.</summary>
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix-only behaviour: FIFOs, device files and Unix symbolic links.";
        }
    }
}
