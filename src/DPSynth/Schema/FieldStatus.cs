namespace DPSynth.Schema;

/// <summary>The outcome of encoding one field against its column's declared domain.</summary>
internal enum FieldStatus
{
    /// <summary>The value is in the domain; the code is its cell.</summary>
    Ok,

    /// <summary>The value was outside <c>[min, max]</c> and was moved to the nearest bound.</summary>
    Clamped,

    /// <summary>The value parsed but lies outside the domain, and the column does not clamp it.</summary>
    OutOfDomain,

    /// <summary>The text is not a value of the column's type (text in an integer column, say).</summary>
    Unparsable,

    /// <summary>
    /// The text is a number a double cannot hold exactly enough to be counted: a nonzero number that rounds to 0
    /// (<c>1.5e-400</c>), or an integer beyond 2^53 that a double would round to a neighbour. A bad row, like an
    /// unparsable one; only the message differs.
    /// </summary>
    Inexact,
}
