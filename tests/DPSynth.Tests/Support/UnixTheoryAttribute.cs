namespace DPSynth.Tests.Support;

/// <summary>A theory about Unix-only behaviour (devices, FIFOs); reported skipped, with the reason, on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> on Windows.</summary>
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix-only behaviour: Windows has no /dev/zero and no mkfifo.";
        }
    }
}
