using System.Security.Cryptography;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Resources;
using DPSynth.Schema;
using DPSynth.Synthesizers;

namespace DPSynth.Release;

/// <summary>
/// Loads the model <c>dpsynth sample</c> draws from, refusing any it must not use: one fitted with insecure test noise,
/// and one inside a release bundle that does not verify or whose bytes differ from what the bundle's manifest lists.
/// </summary>
/// <remarks>
/// A model is in a bundle when its folder holds <c>manifest.json</c> or <c>manifest.p7s</c>
/// (<see cref="BundleLayout.BundleHolding"/>). The bundle is verified in
/// full (<see cref="BundleVerifier"/>) for integrity only (<see cref="BundleVerification.IsValid"/>, no root or pin):
/// sampling guards against a model altered or damaged inside its bundle, while who signed is the reviewer's question,
/// which <c>dpsynth verify</c> answers with a pin or a root (a sampling operator has no pin to give, and refusing would
/// only push them to copy the model out of its bundle, where nothing is checked). The log line names the signer's
/// fingerprint and says it was not checked. Then the model's bytes are read once, compared with the manifest's
/// SHA-256 and parsed: the bytes checked are the bytes used.
/// A model copied out of its bundle is a plain model file and is not checked (there is nothing to check it against).
/// </remarks>
public static class SamplingModel
{
    /// <summary>Loads the model at <paramref name="path"/> for sampling.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="log">The operator's console (stderr): says when a bundled model was checked.</param>
    /// <exception cref="InputException">
    /// The model cannot be read, used insecure noise, or is in a bundle that does not verify or does not list it.
    /// </exception>
    /// <exception cref="ResourceRefusedException">
    /// Loading the model would need more than the default memory limit (<see cref="MemoryLimit.Default"/>).
    /// </exception>
    public static (TableSchema Schema, SynthesisResult Result) Load(string path, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(log);
        // The model's memory is checked before it is built, against the preflight's default limit.
        var limit = MemoryLimit.Default().Bytes;
        var (schema, _, result) = BundleLayout.BundleHolding(path) is { } bundle
            ? LoadBundled(path, bundle, limit, log)
            : ModelFile.Load(path, RegularFile.ReadAllText(path, Messages.WhatModel, Encoding.UTF8), limit);
        if (result.UsedInsecureNoise)
        {
            throw new InputException(Messages.SampleInsecureModel(path));
        }

        return (schema, result);
    }

    private static (TableSchema, SchemaSource, SynthesisResult) LoadBundled(string path, string bundle, long limit, TextWriter log)
    {
        var verification = BundleVerifier.Verify(bundle);
        if (!verification.IsValid)
        {
            throw new InputException(Messages.BundledModelNotVerified(
                path, bundle, verification.Problems.Select(p => $"{p.Name}: {p.Detail}")));
        }

        var name = Path.GetFileName(path);
        var listed = verification.Manifest!.Files.FirstOrDefault(f => f.Name == name)
            ?? throw new InputException(Messages.BundledModelNotListed(path));
        var bytes = RegularFile.ReadAllBytes(path, Messages.WhatModel);
        if (bytes.LongLength != listed.Bytes || Convert.ToHexStringLower(SHA256.HashData(bytes)) != listed.Sha256)
        {
            throw new InputException(Messages.BundledModelChanged(path));
        }

        // Decoded as ModelFile.Load decodes a file (UTF-8, a byte order mark honoured).
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var loaded = ModelFile.Load(path, reader.ReadToEnd(), limit);
        log.WriteLine(Messages.BundledModelVerified(path, bundle, verification.SignerCertificateSha256!));
        return loaded;
    }
}
