namespace DPSynth.Release;

/// <summary>A bundle <see cref="BundleWriter"/> wrote.</summary>
/// <param name="Directory">The bundle folder (absolute).</param>
/// <param name="Manifest">The manifest as written and signed, with its signer and files.</param>
public sealed record WrittenBundle(string Directory, ReleaseManifest Manifest);
