namespace DPSynth.Diagnostics;

public static partial class Messages
{
    /// <summary>A mechanism was given a receipt paid for a different mechanism or cost.</summary>
    public static string ReceiptCostMismatch(string paidFor, string releasing) =>
        $"the charge receipt was paid for {paidFor}, not for {releasing}; charge the mechanism's own Cost first";

    /// <summary>A receipt was presented a second time.</summary>
    public static string ReceiptAlreadyRedeemed(string label) =>
        $"the charge receipt '{label}' was already used; every release needs its own charge";

    /// <summary>A mechanism instance was called while another call on it was running (it is not thread-safe).</summary>
    public static string MechanismInUse(string mechanism) =>
        $"this {mechanism} is already in use by another call; it is not thread-safe (use one instance per thread)";

    /// <summary>Warning printed whenever noise comes from a seeded, predictable source.</summary>
    public const string InsecureNoise =
        "WARNING: insecure deterministic noise: every output of this run is NOT PRIVATE and must not be released";
}
