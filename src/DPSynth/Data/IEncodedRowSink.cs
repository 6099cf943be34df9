namespace DPSynth.Data;

/// <summary>Where an encoder puts each kept row's codes: memory (<see cref="CodeColumnsBuilder"/>) or a spill file.</summary>
internal interface IEncodedRowSink
{
    /// <summary>Appends one row; every code is inside its column's cell count.</summary>
    void Append(ReadOnlySpan<int> codes);
}
