using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DPSynth.Budget;

/// <summary>
/// One line of the budget ledger (docs/ledger.md). Its <see cref="Hash"/> is the SHA-256 of the canonical serialization
/// of every other field, including <see cref="PreviousHash"/>, which chains each entry to the one before it.
/// </summary>
/// <param name="Sequence">1-based position in the ledger.</param>
/// <param name="Kind">Charge or cap.</param>
/// <param name="Time">When the entry was written (UTC).</param>
/// <param name="DatasetId">The dataset the entry is about.</param>
/// <param name="RunId">The run that charged (charges only).</param>
/// <param name="PolicySha256">SHA-256 of the policy file, when the charge came from a policy.</param>
/// <param name="Mechanism">What was charged for (charges only).</param>
/// <param name="Rho">Charge: the rho charged, rounded up. Cap: the cap in rho (tight conversion, rounded down).</param>
/// <param name="Epsilon">
/// Charge: the epsilon the charge alone implies at <paramref name="Delta"/> (rounded up). Cap: the stated epsilon.
/// </param>
/// <param name="Delta">The delta of <paramref name="Epsilon"/>.</param>
/// <param name="PreviousHash">The hash of the entry before, or 64 zeros for the first.</param>
/// <param name="Hash">SHA-256 (lower-case hex) of this entry's canonical form without the hash.</param>
public sealed record LedgerEntry(
    long Sequence,
    LedgerEntryKind Kind,
    DateTimeOffset Time,
    string DatasetId,
    string? RunId,
    string? PolicySha256,
    string? Mechanism,
    double Rho,
    double Epsilon,
    double Delta,
    string PreviousHash,
    string Hash)
{
    /// <summary>Outcome entries: <c>released</c>, <c>gate_failed</c> or <c>failed</c> (see <see cref="RunOutcome"/>).</summary>
    public string? Outcome { get; init; }

    /// <summary>
    /// Outcome entries: the keyed input fingerprint (HMAC-SHA-256 under the operator's key; never a plain hash), which
    /// with <see cref="PolicySha256"/> identifies a release for the idempotent re-run check.
    /// </summary>
    public string? InputFingerprint { get; init; }

    /// <summary>Outcome entries: the bundle folder written (released runs), else null.</summary>
    public string? Bundle { get; init; }

    /// <summary>
    /// Charge entries: 32 random bytes (64 hex digits), or null in entries written before nonces. A charge's hash is
    /// published in its bundle's manifest (<c>ledger.charge_entry_hash</c>); everything else it hashes is public or
    /// guessable except the entry's time, taken after the input was read, whose length grows with the private rows.
    /// The nonce makes the hash impossible to invert by trying times. Written only when present, so older charge lines
    /// keep their canonical bytes.
    /// </summary>
    public string? Nonce { get; init; }

    /// <summary>
    /// Cap entries: why the cap was raised (<c>budget cap --raise-cap --reason</c>), else null. Written only when present,
    /// so cap lines without a reason keep their original canonical bytes.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Builds an entry and computes its hash.</summary>
    internal static LedgerEntry Create(
        long sequence, LedgerEntryKind kind, DateTimeOffset time, string datasetId, string? runId, string? policySha256,
        string? mechanism, double rho, double epsilon, double delta, string previousHash)
    {
        // Normalise to UTC (the text form keeps UTC ticks), so the value in memory is the value on disk.
        var utc = new DateTimeOffset(time.UtcTicks, TimeSpan.Zero);
        var entry = new LedgerEntry(
            sequence, kind, utc, datasetId, runId, policySha256, mechanism, rho, epsilon, delta, previousHash, string.Empty);
        return entry with { Hash = entry.ComputeHash() };
    }

    /// <summary>Builds an outcome entry (no spend) and computes its hash.</summary>
    internal static LedgerEntry CreateOutcome(
        long sequence, DateTimeOffset time, string datasetId, string runId, string? policySha256, string outcome,
        string? inputFingerprint, string? bundle, double delta, string previousHash)
    {
        var utc = new DateTimeOffset(time.UtcTicks, TimeSpan.Zero);
        var entry = new LedgerEntry(
            sequence, LedgerEntryKind.Outcome, utc, datasetId, runId, policySha256, null, 0, 0, delta, previousHash,
            string.Empty)
        {
            Outcome = outcome, InputFingerprint = inputFingerprint, Bundle = bundle,
        };
        return entry with { Hash = entry.ComputeHash() };
    }

    /// <summary>This charge entry with <paramref name="nonce"/> recorded, and its hash recomputed.</summary>
    internal LedgerEntry WithNonce(string nonce)
    {
        var entry = this with { Nonce = nonce };
        return entry with { Hash = entry.ComputeHash() };
    }

    /// <summary>This cap entry with <paramref name="reason"/> recorded, and its hash recomputed.</summary>
    internal LedgerEntry WithReason(string reason)
    {
        var entry = this with { Reason = reason };
        return entry with { Hash = entry.ComputeHash() };
    }

    /// <summary>SHA-256 (lower-case hex) of the canonical form without the hash field.</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Canonical(includeHash: false)));

    /// <summary>The exact line written to the ledger (canonical JSON with the hash, no newline).</summary>
    public byte[] ToLine() => Canonical(includeHash: true);

    /// <summary>Parses one ledger line (without its newline).</summary>
    /// <exception cref="FormatException">The line is not a well-formed entry.</exception>
    public static LedgerEntry Parse(ReadOnlySpan<byte> line)
    {
        LedgerLine wire;
        try
        {
            wire = JsonSerializer.Deserialize(line, LedgerLine.TypeInfo) ?? throw new FormatException("the line is null");
        }
        catch (JsonException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        var kind = wire.Kind switch
        {
            "charge" => LedgerEntryKind.Charge,
            "cap" => LedgerEntryKind.Cap,
            "outcome" => LedgerEntryKind.Outcome,
            var other => throw new FormatException($"unknown kind '{other}'"),
        };

        // Keys of another kind are dropped here, so writing the entry again shows them (the line is not canonical).
        var entry = new LedgerEntry(
            wire.Seq, kind, wire.Time, wire.Dataset, wire.Run, wire.PolicySha256, wire.Mechanism, wire.Rho, wire.Epsilon,
            wire.Delta, wire.Prev, wire.Hash ?? throw new FormatException("hash is null"))
        {
            Outcome = kind == LedgerEntryKind.Outcome ? wire.Outcome : null,
            InputFingerprint = kind == LedgerEntryKind.Outcome ? wire.Input : null,
            Bundle = kind == LedgerEntryKind.Outcome ? wire.Bundle : null,
            Nonce = kind == LedgerEntryKind.Charge ? wire.Nonce : null,
            Reason = kind == LedgerEntryKind.Cap ? wire.Reason : null,
        };
        entry.Validate();
        return entry;
    }

    // A line with a valid hash may still be nonsense written by hand (a negative rho would lower a spend): reject it.
    private void Validate()
    {
        static void Require(bool condition, string what)
        {
            if (!condition)
            {
                throw new FormatException(what);
            }
        }

        Require(Sequence >= 1, "seq must be >= 1");
        Require(DatasetId.Length > 0, "dataset is empty");
        Require(double.IsFinite(Rho) && Rho >= 0, "rho must be a finite number >= 0");
        Require(double.IsFinite(Epsilon) && Epsilon >= 0, "epsilon must be a finite number >= 0");
        Require(Delta > 0 && Delta < 1, "delta must be in (0, 1)");
        Require(Kind != LedgerEntryKind.Charge || (RunId is { Length: > 0 } && Mechanism is { Length: > 0 }),
            "a charge needs a run and a mechanism");
        Require(Kind != LedgerEntryKind.Outcome || (RunId is { Length: > 0 } && RunOutcome.IsKnown(Outcome) && Rho == 0),
            "an outcome needs a run, a known outcome and rho 0");
        Require(Reason is null || (Kind == LedgerEntryKind.Cap && !string.IsNullOrWhiteSpace(Reason)),
            "only a cap may carry a reason, and it must not be blank");
        Require(Nonce is null || (Kind == LedgerEntryKind.Charge && IsHash(Nonce)), "only a charge may carry a nonce, of 64 lower-case hex digits");
        Require(IsHash(PreviousHash) && IsHash(Hash), "prev and hash must be 64 lower-case hex digits");
    }

    private static bool IsHash(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    // The canonical form: fixed field order, no whitespace, every field present (null when absent) except the optional
    // ones LedgerLine names, numbers in shortest round-trip form. Parsing a line and writing it again gives the same
    // bytes, so any edit shows.
    private byte[] Canonical(bool includeHash) => JsonSerializer.SerializeToUtf8Bytes(
        new LedgerLine
        {
            Seq = Sequence,
            Kind = KindName(Kind),
            Time = Time,
            Dataset = DatasetId,
            Run = RunId,
            PolicySha256 = PolicySha256,
            Mechanism = Mechanism,
            Outcome = Outcome,
            Input = InputFingerprint,
            Bundle = Bundle,
            // Only caps carry a reason and only charges a nonce; lines without them keep their original bytes.
            Reason = Kind == LedgerEntryKind.Cap ? Reason : null,
            Nonce = Kind == LedgerEntryKind.Charge ? Nonce : null,
            Rho = Rho,
            Epsilon = Epsilon,
            Delta = Delta,
            Prev = PreviousHash,
            Hash = includeHash ? Hash : null,
        },
        LedgerLine.TypeInfo);

    /// <summary>The <c>kind</c> field's text.</summary>
    public static string KindName(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Charge => "charge",
        LedgerEntryKind.Cap => "cap",
        _ => "outcome",
    };

    /// <summary>The canonical line as text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToLine());
}
