using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// The only production source of privacy noise: the operating system's CSPRNG through
/// <see cref="RandomNumberGenerator.Fill(Span{byte})"/>, read in 8 KiB blocks because one call per draw is slow.
/// </summary>
/// <remarks>
/// Not thread-safe. Each word is wiped from the block buffer once handed out, so used noise does not linger there; the
/// base class still keeps the unused half of a word split into 32-bit draws and the unused bits of a word split into
/// single bits until they are drawn.
/// </remarks>
[Proof("noise-source")]
internal sealed class CsprngBits : RandomWords
{
    private const int BlockWords = 1024;
    private readonly ulong[] block = new ulong[BlockWords];
    private int next = BlockWords;

    /// <inheritdoc />
    public override bool IsInsecure => false;

    /// <summary>
    /// <paramref name="length"/> fresh bytes from the operating system's CSPRNG, for key material and nonces (the ledger's
    /// key, a ledger entry's nonce): kept here so every use of the CSPRNG stays in this folder (docs/architecture.md).
    /// </summary>
    public static byte[] SecretBytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <inheritdoc />
    public override ulong NextUInt64()
    {
        if (next == BlockWords)
        {
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(block.AsSpan()));
            next = 0;
        }

        var word = block[next];
        block[next] = 0;
        next++;
        return word;
    }
}
