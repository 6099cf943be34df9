using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;

namespace DPSynth.Schema;

/// <summary>
/// A schema's source text and format, so that it can travel inside a saved model or a manifest and be read back
/// exactly. The schema is public by design (privacy invariant 2), so carrying it is safe.
/// </summary>
/// <param name="Format"><c>yaml</c> or <c>domain-json</c>.</param>
/// <param name="Text">The file's text.</param>
/// <param name="Name">The file's path as given, used in error messages.</param>
public sealed record SchemaSource(string Format, string Text, string Name)
{
    /// <summary>Reads a schema file's text (a <c>.json</c> name means a Private-PGM domain JSON).</summary>
    /// <exception cref="DPSynth.Diagnostics.InputException">The file is missing or is not a regular file.</exception>
    public static SchemaSource FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "domain-json" : "yaml";
        return new SchemaSource(format, RegularFile.ReadAllText(path, Messages.WhatSchema, Encoding.UTF8), path);
    }

    /// <summary>Parses the text into a schema.</summary>
    /// <exception cref="DPSynth.Diagnostics.InputException">The text is not a valid schema.</exception>
    public TableSchema Parse() => (Format == "domain-json"
            ? DomainJsonReader.Read(Encoding.UTF8.GetBytes(Text), Name)
            : SchemaReader.Read(new StringReader(Text), Name)).GetValueOrThrow();
}
