using System.Security.Cryptography;
using System.Text;
using DPSynth.Diagnostics;
using DPSynth.IO;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class FingerprintTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void TheKeyIsCreatedOnceBesideTheLedgerWithOwnerOnlyModeAndReusedAfter()
    {
        var ledger = temp.File("budget.jsonl");
        var first = FingerprintKey.LoadOrCreate(ledger);
        Assert.True(first.WasCreated);
        Assert.Equal(ledger + ".hmac-key", first.Path);
        var bytes = File.ReadAllBytes(first.Path);
        Assert.Matches("^[0-9a-f]{64}\n$", Encoding.ASCII.GetString(bytes));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Path));
        }

        var second = FingerprintKey.LoadOrCreate(ledger);
        Assert.False(second.WasCreated);
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(bytes, File.ReadAllBytes(first.Path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void ProcessesRacingToCreateTheKeyAllEndUpWithTheSameKey()
    {
        // Twenty rounds of sixteen racers: File.Move(overwrite: false) let several racers "win" in most rounds on Linux.
        for (var round = 0; round < 20; round++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(temp.Path, $"round{round}")).FullName;
            var ledger = Path.Combine(folder, "race.jsonl");
            var keys = new FingerprintKey[16];
            Parallel.For(0, keys.Length, i => keys[i] = FingerprintKey.LoadOrCreate(ledger));
            Assert.Single(keys.Select(k => k.KeyId).Distinct());
            Assert.Single(keys, k => k.WasCreated);
            Assert.Single(Directory.GetFiles(folder));
        }
    }

    [Fact]
    public void OfWritersRacingToCreateOneFileExactlyOneWinsAndItsBytesAreKept()
    {
        // A barrier releases the writers together, so the window between "does it exist?" and the rename that
        // File.Move(overwrite: false) leaves open on Unix is hit in most rounds.
        const int Writers = 8;
        for (var round = 0; round < 200; round++)
        {
            var path = Path.Combine(temp.Path, $"file{round}");
            var won = new bool[Writers];
            using var barrier = new Barrier(Writers);
            var threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
            {
                barrier.SignalAndWait();
                won[i] = NewFile.TryCreate(path, [(byte)i], ownerOnly: false);
            })).ToArray();
            Array.ForEach(threads, t => t.Start());
            Array.ForEach(threads, t => t.Join());

            var winner = Assert.Single(Enumerable.Range(0, Writers), i => won[i]);
            Assert.Equal([(byte)winner], File.ReadAllBytes(path));
        }

        Assert.Equal(200, Directory.GetFiles(temp.Path).Length);
    }

    [UnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WithoutHardLinksTheFileIsCreatedInPlaceAndStillOnlyOnceWithTheTemporaryFilesMode()
    {
        var source = Path.Combine(temp.Path, "complete.tmp");
        File.WriteAllBytes(source, [1, 2, 3]);
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var target = Path.Combine(temp.Path, "key");

        Assert.True(NewFile.CreateInPlace(source, target));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));

        File.WriteAllBytes(source, [9]);
        Assert.False(NewFile.CreateInPlace(source, target));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not hex at all")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\n")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00\n")]
    public void AMalformedKeyFileFailsClosedAndIsLeftAlone(string content)
    {
        var ledger = temp.File("budget.jsonl");
        File.WriteAllText(ledger + ".hmac-key", content);
        var ex = Assert.Throws<InputException>(() => FingerprintKey.LoadOrCreate(ledger));
        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(ledger + ".hmac-key"));
    }

    [Fact]
    public void TheFingerprintIsTheHmacOfTheFileUnderTheKeyNeverItsPlainHash()
    {
        var input = temp.WriteFile("visits.csv", ReleaseFixtures.Csv);
        var key = FingerprintKey.LoadOrCreate(temp.File("budget.jsonl"));
        var fingerprint = InputFingerprint.Compute(key, input);

        var secret = Convert.FromHexString(File.ReadAllText(key.Path).Trim());
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(secret, File.ReadAllBytes(input))), fingerprint);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input))), fingerprint);
        Assert.Equal(fingerprint, InputFingerprint.Compute(FingerprintKey.LoadOrCreate(temp.File("budget.jsonl")), input));
    }

    [Fact]
    public void TheFingerprintChangesWithTheKeyAndWithAnyByteOfTheInput()
    {
        var input = temp.WriteFile("visits.csv", ReleaseFixtures.Csv);
        var key = FingerprintKey.LoadOrCreate(temp.File("a.jsonl"));
        var other = FingerprintKey.LoadOrCreate(temp.File("b.jsonl"));
        Assert.NotEqual(key.KeyId, other.KeyId);
        var fingerprint = InputFingerprint.Compute(key, input);
        Assert.NotEqual(fingerprint, InputFingerprint.Compute(other, input));

        var changed = temp.WriteFile("changed.csv", ReleaseFixtures.Csv.Replace("34,F", "35,F", StringComparison.Ordinal));
        Assert.NotEqual(fingerprint, InputFingerprint.Compute(key, changed));
    }

    [Fact]
    public void TheKeyIdIsAShortDomainSeparatedHashThatRevealsNeitherTheKeyNorItsPlainHash()
    {
        var key = FingerprintKey.LoadOrCreate(temp.File("budget.jsonl"));
        var hex = File.ReadAllText(key.Path).Trim();
        Assert.Matches("^[0-9a-f]{16}$", key.KeyId);
        Assert.DoesNotContain(key.KeyId, hex, StringComparison.Ordinal);
        Assert.False(Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(hex))).StartsWith(key.KeyId, StringComparison.Ordinal));
        Assert.DoesNotContain(hex, key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingInputIsAnInputError()
    {
        var key = FingerprintKey.LoadOrCreate(temp.File("budget.jsonl"));
        Assert.Throws<InputException>(() => InputFingerprint.Compute(key, temp.File("absent.csv")));
    }
}
