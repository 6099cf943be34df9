using System.Collections.Immutable;
using DPSynth.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace DPSynth.Schema;

public static partial class SchemaReader
{
    /// <summary>Reads the optional <c>dp_discovery</c> section (<see cref="DiscoveryRecord"/>); null when absent or invalid.</summary>
    private static DiscoveryRecord? ReadDiscovery(YamlMappingNode root, YamlFieldReader fields)
    {
        if (YamlFieldReader.Get(root, DiscoveryRecord.Key) is not { } node || fields.Mapping(node, DiscoveryRecord.Key) is not { } map)
        {
            return null;
        }

        fields.CheckKeys(map, [.. DiscoveryRecord.Keys]);
        var before = fields.Diagnostics.Count;
        string Text(string key) => Required(map, key, fields) is { } n ? fields.String(n, key) ?? string.Empty : string.Empty;
        double Number(string key) => Required(map, key, fields) is { } n ? fields.Number(n, key) ?? 0 : 0;
        var entry = Text("ledger_entry");
        if (entry.Length > 0 && (entry.Length != 64 || !entry.All(char.IsAsciiHexDigitLower)))
        {
            fields.Error(YamlFieldReader.Get(map, "ledger_entry")!, "ledger_entry", Messages.DiscoveryBadEntryHash);
        }

        var record = new DiscoveryRecord(
            entry, Text("dataset"), Number("epsilon"), Number("delta"), Number("rho"), Number("threshold_delta"),
            Number("charged_rho"), ReadNames(map, fields));
        return fields.Diagnostics.Count == before ? record : null;
    }

    private static YamlNode? Required(YamlMappingNode map, string key, YamlFieldReader fields)
    {
        var node = YamlFieldReader.Get(map, key);
        if (node is null)
        {
            fields.Error(map, key, Messages.DiscoveryKeyMissing(key));
        }

        return node;
    }

    private static ImmutableArray<string> ReadNames(YamlMappingNode map, YamlFieldReader fields)
    {
        if (Required(map, "columns", fields) is not { } node || fields.Sequence(node, "columns") is not { } list)
        {
            return [];
        }

        return [.. list.Children.Select(item => fields.String(item, "columns")).OfType<string>()];
    }
}
