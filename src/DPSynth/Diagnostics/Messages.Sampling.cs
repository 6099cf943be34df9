namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>Conditional sampling was asked for a condition the model rules out.</summary>
    public static string ConditionHasZeroProbability(string condition) =>
        $"the model gives the condition ({condition}) zero probability; refusing to invent rows for it";
}
