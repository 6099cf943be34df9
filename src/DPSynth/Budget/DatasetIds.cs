using DPSynth.Diagnostics;

namespace DPSynth.Budget;

/// <summary>
/// The rule for dataset ids, the names budgets are kept under. An id is 1 to 128 characters of ASCII letters, digits,
/// '.', '_' and '-', starting with a letter or digit. So <c>adult</c> and <c>adult </c> cannot be two budgets, no id is
/// empty, blank or made of look-alike characters, and an id is safe in a file name and a terminal. The ledger also
/// refuses an id that differs from one it holds only by case (<see cref="CaseVariant"/>).
/// </summary>
public static class DatasetIds
{
    /// <summary>The longest id.</summary>
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="id"/> is a valid dataset id, otherwise what is wrong with it.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return Messages.DatasetIdEmpty;
        }

        var valid = id.Length <= MaxLength
            && char.IsAsciiLetterOrDigit(id[0])
            && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        return valid ? null : Messages.DatasetIdInvalid(id, MaxLength);
    }

    /// <summary>Throws unless <paramref name="id"/> is a valid dataset id.</summary>
    /// <exception cref="InputException">The id is empty, too long or has a character outside the rule.</exception>
    public static void Require(string? id)
    {
        if (Problem(id) is { } problem)
        {
            throw new InputException(problem);
        }
    }

    /// <summary>
    /// The id in <paramref name="entries"/> that equals <paramref name="id"/> but for case (e.g. <c>Adult</c> for
    /// <c>adult</c>), or null when there is none.
    /// </summary>
    public static string? CaseVariant(IEnumerable<LedgerEntry> entries, string id)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries
            .Select(e => e.DatasetId)
            .FirstOrDefault(existing => existing != id && string.Equals(existing, id, StringComparison.OrdinalIgnoreCase));
    }
}
