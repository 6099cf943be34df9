using System.Text;

namespace DPSynth.Tests.Support;

/// <summary>
/// Expected bytes of every JSON writer, captured from the code before the writers moved to System.Text.Json
/// source-generated contracts (issue 16) and committed under <c>tests/DPSynth.Tests/Golden</c>. A writer that changes
/// one byte fails its golden test: ledger lines are hashed and manifests are signed, so their bytes are the format.
/// </summary>
internal static class Golden
{
    /// <summary>The committed golden file <paramref name="name"/>.</summary>
    public static string PathOf(string name) =>
        Path.Combine(SharedData.RepositoryRoot, "tests", "DPSynth.Tests", "Golden", name);

    /// <summary>The golden file's bytes.</summary>
    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>Asserts that <paramref name="actual"/> is byte for byte the golden file <paramref name="name"/>.</summary>
    public static void AssertSame(string name, byte[] actual)
    {
        var expected = Bytes(name);
        // Compared as text first, for a readable difference; then as bytes (the text compare hides a BOM).
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }

    /// <summary>Asserts that <paramref name="actual"/> (UTF-8) is the golden file <paramref name="name"/>.</summary>
    public static void AssertSame(string name, string actual) => AssertSame(name, Encoding.UTF8.GetBytes(actual));
}
