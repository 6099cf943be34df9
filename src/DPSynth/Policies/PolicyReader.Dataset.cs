using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Schema;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Policies;

public static partial class PolicyReader
{
    private static DatasetSettings? ReadDataset(Context cx, YamlNode node)
    {
        if (cx.Fields.Mapping(node, "dataset") is not { } map)
        {
            return null;
        }

        CheckKeys(cx, map, "dataset", DatasetKeys);
        var input = Required(cx, map, "input", "the private CSV file", "dataset") is { } i
            ? ExistingFile(cx, i, "dataset.input")
            : null;

        string? id = null;
        if (YamlFieldReader.Get(map, "id") is { } idNode)
        {
            id = cx.Fields.String(idNode, "dataset.id");
            if (id is not null && string.IsNullOrWhiteSpace(id))
            {
                cx.Fields.Error(idNode, "dataset.id", Messages.PolicyDatasetIdBlank);
                id = null;
            }
            else if (id is not null && DPSynth.Budget.DatasetIds.Problem(id) is { } problem)
            {
                cx.Fields.Error(idNode, "dataset.id", problem);
                id = null;
            }
        }
        else if (input is not null)
        {
            // As dpsynth synth --dataset-id defaults, so a policy and the command line charge the same ledger entry.
            id = Path.GetFileName(input);
            if (DPSynth.Budget.DatasetIds.Problem(id) is { } problem)
            {
                cx.Fields.Error(map, "dataset.id", problem + " (the default, the input's file name; set dataset.id)");
                id = null;
            }
        }

        SchemaSource? source = null;
        if (Required(cx, map, "schema", "the table's public schema (a path or an inline mapping)", "dataset") is { } schemaNode)
        {
            if (schemaNode is YamlMappingNode inline)
            {
                source = ReadInlineSchema(cx, inline);
            }
            else if (schemaNode is YamlScalarNode)
            {
                source = ReadSchemaFile(cx, schemaNode);
            }
            else
            {
                cx.Fields.Error(schemaNode, "dataset.schema", Messages.PolicySchemaKind);
            }
        }

        return id is not null && input is not null && source is not null && cx.Schema is { } schema
            ? new DatasetSettings(id, input, source, schema)
            : null;
    }

    /// <summary>An inline schema: read from the policy's own nodes, so its diagnostics point at lines of the policy file.</summary>
    private static SchemaSource? ReadInlineSchema(Context cx, YamlMappingNode inline)
    {
        var result = SchemaReader.ReadNode(inline, cx.Fields.File);
        if (!result.Succeeded)
        {
            cx.AddExternal(result.Diagnostics);
            return null;
        }

        cx.Schema = result.GetValueOrThrow();
        return new SchemaSource("yaml", Serialize(inline), cx.PolicyPath + "#dataset.schema");
    }

    private static SchemaSource? ReadSchemaFile(Context cx, YamlNode node)
    {
        if (ExistingFile(cx, node, "dataset.schema") is not { } path)
        {
            return null;
        }

        string text;
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAllBytes(path, Messages.WhatSchema);
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (InputException ex)
        {
            // Replaced by something else since ExistingFile looked at it.
            cx.AddExternal([new Diagnostic(new SourceLocation(path), ex.Message)]);
            return null;
        }
        catch (DecoderFallbackException)
        {
            cx.AddExternal([new Diagnostic(new SourceLocation(path), Messages.InvalidUtf8)]);
            return null;
        }

        var json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var result = json ? DomainJsonReader.Read(bytes, path) : SchemaReader.Read(new StringReader(text), path);
        if (!result.Succeeded)
        {
            cx.AddExternal(result.Diagnostics);
            return null;
        }

        cx.Schema = result.GetValueOrThrow();
        return new SchemaSource(json ? "domain-json" : "yaml", text, path);
    }

    /// <summary>
    /// The mapping written back as YAML (block or flow style and scalar quoting as written; comments are not kept), so
    /// the schema can travel inside a model file or a manifest and be read back to the same schema.
    /// </summary>
    private static string Serialize(YamlMappingNode mapping)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(mapping)).Save(writer, assignAnchors: false);
        var text = writer.ToString().ReplaceLineEndings("\n");

        // The emitter closes the document with an explicit end marker; a schema file has none.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>A string naming a file that exists, resolved and absolute; null with an error at the value otherwise.</summary>
    private static string? ExistingFile(Context cx, YamlNode node, string key)
    {
        if (cx.Fields.String(node, key) is not { } text)
        {
            return null;
        }

        var path = cx.Resolve(text);
        if (Directory.Exists(path))
        {
            cx.Fields.Error(node, key, Messages.PolicyPathIsFolder(key, path));
            return null;
        }

        if (!File.Exists(path))
        {
            cx.Fields.Error(node, key, Messages.PolicyFileMissing(key, path));
            return null;
        }

        if (RegularFile.NonRegularKind(path) is { } kind)
        {
            // Refused here, before any run charges the budget: a FIFO would hang the run, a device exhaust its memory.
            cx.Fields.Error(node, key, Messages.PolicyPathNotRegular(key, path, kind));
            return null;
        }

        return path;
    }
}
