using DPSynth.Diagnostics;

namespace DPSynth.Marginals.Sql;

/// <summary>A schema rule a SQL source cannot compute exactly as the in-memory encoder does: the source refuses it.</summary>
public sealed class SqlEncodingException(string message) : InputException(message);
