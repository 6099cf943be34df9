namespace DPSynth.Diagnostics;

/// <summary>Where in an input file something is: file, 1-based line and column, and optionally a key or column name.</summary>
/// <param name="File">The file path as the user gave it.</param>
/// <param name="Line">1-based line, or 0 when unknown.</param>
/// <param name="Column">1-based column (character for YAML, field for CSV), or 0 when unknown.</param>
/// <param name="Key">The YAML key or CSV column name involved, when there is one.</param>
public readonly record struct SourceLocation(string File, long Line = 0, long Column = 0, string? Key = null)
{
    /// <summary>
    /// Formats as <c>file:line:column</c> (the form editors and compilers use), plus the key when known; both escaped
    /// for the terminal (a path or a key read from a file may hold control characters).
    /// </summary>
    public override string ToString()
    {
        var file = Messages.ShowText(File);
        var where = Line > 0 ? (Column > 0 ? $"{file}:{Line}:{Column}" : $"{file}:{Line}") : file;
        return Key is null ? where : $"{where} ({Messages.ShowName(Key)})";
    }
}
