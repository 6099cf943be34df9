namespace DPSynth.Diagnostics;

/// <summary>Messages of the CSV encoder and decoder. Values quoted here are private: operator console only.</summary>
public static partial class Messages
{
    /// <summary>The bytes are not UTF-8.</summary>
    public static string InvalidUtf8 => "the file is not valid UTF-8";
}
