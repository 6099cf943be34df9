namespace DPSynth.Diagnostics;

/// <summary>Messages of messy-data handling: drafting a schema from a real file (issue 17).</summary>
public static partial class Messages
{
    /// <summary><c>schema infer</c> found no header name it could use.</summary>
    public static string InferNoUsableColumnName =>
        "no column can be drafted: every header name is empty or repeated (columns are matched by name; give them distinct names, or use --no-header)";

    /// <summary>Help text of <c>schema infer --missing</c>.</summary>
    public const string InferMissingHelp =
        "The texts that mean a missing value, comma-separated (e.g. --missing N or --missing \"NA,-\"; an empty entry is the " +
        "empty field). Without it, common tokens (empty, NA, N, NULL, ., ?) and the only non-number of a numeric column " +
        "are taken, and the draft says where each was found.";
}
