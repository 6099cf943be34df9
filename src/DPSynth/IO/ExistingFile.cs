namespace DPSynth.IO;

/// <summary>What writing an output file does when a file of that name exists.</summary>
public enum ExistingFile
{
    /// <summary>Replace it (atomically: readers see the old file or the new one, never a mix).</summary>
    Replace,

    /// <summary>
    /// Keep it and fail: checked before any work (<see cref="OutputGuard.WritesFile"/>) and again, atomically, when the
    /// finished file is published, so a file made in between by another process is not replaced either.
    /// </summary>
    Refuse,
}
