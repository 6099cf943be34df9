using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DPSynth.IO;

/// <summary>
/// A time in the JSON files DPSynth hashes or signs (ledger lines, manifests): UTC with all seven fraction digits,
/// <c>2026-01-31T12:00:00.0000000Z</c>. The serializer's own form trims the fraction and writes the offset, so the same
/// instant would not always give the same bytes; this one does, and it keeps every tick.
/// </summary>
internal sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The exact format, for readers that parse the text themselves.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Formats <paramref name="time"/> (any offset) as its UTC text.</summary>
    public static string Text(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String
            || !DateTimeOffset.TryParseExact(
                reader.GetString(), Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new JsonException($"a time must be a string of the form {Format}");
        }

        return time;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Text(value));
    }
}
