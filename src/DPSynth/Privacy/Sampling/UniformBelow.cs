using System.Buffers.Binary;
using System.Numerics;

namespace DPSynth.Privacy.Sampling;

/// <summary>
/// Exact uniform integers in [0, bound) by rejection, never by <c>x % bound</c> (which is biased): Lemire's
/// multiply-and-reject for 64-bit bounds, mask-and-reject for wider ones (docs/privacy.md#noise-source).
/// </summary>
[Proof("noise-source")]
internal static class UniformBelow
{
    /// <summary>Uniform in [0, <paramref name="bound"/>), for a 64-bit bound.</summary>
    /// <remarks>
    /// Lemire (2019), "Fast random integer generation in an interval", Algorithm 5: x * bound / 2^64 is uniform once
    /// the low word of the product is at least 2^64 mod bound. Usually one word per draw.
    /// </remarks>
    public static ulong Sample(IRandomBits bits, ulong bound)
    {
        if (bound <= 1)
        {
            ArgumentOutOfRangeException.ThrowIfZero(bound);
            return 0;
        }

        if (bound <= uint.MaxValue)
        {
            return Sample(bits, (uint)bound);
        }

        // Truncating casts are the point of the method (low and high words of the 128-bit product): unchecked.
        unchecked
        {
            var product = (UInt128)bits.NextUInt64() * bound;
            var low = (ulong)product;
            if (low < bound)
            {
                var threshold = (0UL - bound) % bound; // 2^64 mod bound
                while (low < threshold)
                {
                    product = (UInt128)bits.NextUInt64() * bound;
                    low = (ulong)product;
                }
            }

            return (ulong)(product >> 64);
        }
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>) for a 32-bit bound: Lemire's method on 32-bit halves of words.</summary>
    public static uint Sample(IRandomBits bits, uint bound)
    {
        if (bound <= 1)
        {
            ArgumentOutOfRangeException.ThrowIfZero(bound);
            return 0;
        }

        // As in the 64-bit method: low and high halves of the 64-bit product, truncation intended.
        unchecked
        {
            var product = (ulong)bits.NextUInt32() * bound;
            var low = (uint)product;
            if (low < bound)
            {
                var threshold = (0U - bound) % bound; // 2^32 mod bound
                while (low < threshold)
                {
                    product = (ulong)bits.NextUInt32() * bound;
                    low = (uint)product;
                }
            }

            return (uint)(product >> 32);
        }
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), for a 128-bit bound (mask to the bit length, then reject).</summary>
    public static UInt128 Sample(IRandomBits bits, UInt128 bound)
    {
        if (bound <= ulong.MaxValue)
        {
            return Sample(bits, (ulong)bound);
        }

        var length = 128 - (int)UInt128.LeadingZeroCount(bound - 1);
        var mask = length == 128 ? UInt128.MaxValue : (UInt128.One << length) - 1;
        while (true)
        {
            // Fewer than two tries expected: the masked range is less than twice the bound.
            var candidate = new UInt128(bits.NextUInt64(), bits.NextUInt64()) & mask;
            if (candidate < bound)
            {
                return candidate;
            }
        }
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), for any positive bound (mask to the bit length, then reject).</summary>
    public static BigInteger Sample(IRandomBits bits, BigInteger bound)
    {
        if (bound.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        }

        if (bound <= ulong.MaxValue)
        {
            return Sample(bits, (ulong)bound);
        }

        var length = (int)(bound - 1).GetBitLength();
        var wordCount = (length + 63) / 64;
        var bytes = new byte[wordCount * 8];
        var topMask = length % 64 == 0 ? ulong.MaxValue : (1UL << (length % 64)) - 1;
        while (true)
        {
            for (var i = 0; i < wordCount; i++)
            {
                var word = bits.NextUInt64();
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), i == wordCount - 1 ? word & topMask : word);
            }

            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
            if (candidate < bound)
            {
                return candidate;
            }
        }
    }

    /// <summary>Dispatches to the exact method for <typeparamref name="T"/> (<see cref="UInt128"/> or <see cref="BigInteger"/>).</summary>
    public static T Sample<T>(IRandomBits bits, T bound)
        where T : IBinaryInteger<T>
    {
        // The JIT resolves these type tests at compile time for each value-type instantiation.
        if (typeof(T) == typeof(UInt128))
        {
            return (T)(object)Sample(bits, (UInt128)(object)bound);
        }

        if (typeof(T) == typeof(BigInteger))
        {
            return (T)(object)Sample(bits, (BigInteger)(object)bound);
        }

        throw new NotSupportedException($"No exact uniform sampler for {typeof(T)}.");
    }
}
