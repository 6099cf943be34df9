namespace DPSynth.Data;

/// <summary>
/// One column of small integer codes in <c>0 .. Size-1</c>, stored as <see cref="byte"/> when the column has at most
/// 256 cells and as <see cref="ushort"/> otherwise, so memory is one or two bytes per cell.
/// </summary>
/// <remarks>Immutable after construction; the constructor checks every code once so kernels can trust them.</remarks>
public sealed class EncodedColumn
{
    private readonly byte[]? bytes;
    private readonly ushort[]? shorts;

    private EncodedColumn(int size, int length, byte[]? bytes, ushort[]? shorts)
    {
        Size = size;
        Length = length;
        this.bytes = bytes;
        this.shorts = shorts;
    }

    /// <summary>Number of cells (distinct codes) of this column.</summary>
    public int Size { get; }

    /// <summary>Number of rows.</summary>
    public int Length { get; }

    /// <summary>True when codes are stored as bytes (the column has at most 256 cells).</summary>
    public bool IsByte => bytes is not null;

    /// <summary>Bytes of memory held by the codes.</summary>
    public long ByteCount => bytes is not null ? bytes.LongLength : shorts!.LongLength * sizeof(ushort);

    /// <summary>The code of row <paramref name="row"/>.</summary>
    public int this[int row] => bytes is not null ? bytes[row] : shorts![row];

    /// <summary>The codes as bytes; only valid when <see cref="IsByte"/>.</summary>
    public ReadOnlySpan<byte> ByteCodes => bytes ?? throw new InvalidOperationException("Column is stored as ushort.");

    /// <summary>The codes as ushorts; only valid when not <see cref="IsByte"/>.</summary>
    public ReadOnlySpan<ushort> UShortCodes => shorts ?? throw new InvalidOperationException("Column is stored as byte.");

    /// <summary>Creates a column from codes, taking ownership of the array when it is already the right width.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A code is outside <c>0 .. size-1</c>.</exception>
    public static EncodedColumn FromCodes(int size, ReadOnlySpan<int> codes)
    {
        Validate(size);
        if (size <= 256)
        {
            var b = new byte[codes.Length];
            for (var i = 0; i < codes.Length; i++)
            {
                CheckCode(codes[i], size, i);
                b[i] = (byte)codes[i];
            }

            return new EncodedColumn(size, b.Length, b, null);
        }

        var s = new ushort[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            CheckCode(codes[i], size, i);
            s[i] = (ushort)codes[i];
        }

        return new EncodedColumn(size, s.Length, null, s);
    }

    /// <summary>Wraps a byte array of codes (ownership passes to the column; the caller must not change it).</summary>
    public static EncodedColumn OwnBytes(int size, byte[] codes, int length)
    {
        ArgumentNullException.ThrowIfNull(codes);
        Validate(size);
        if (size > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "A byte column has at most 256 cells.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, codes.Length);
        for (var i = 0; i < length; i++)
        {
            CheckCode(codes[i], size, i);
        }

        return new EncodedColumn(size, length, Trim(codes, length), null);
    }

    /// <summary>Wraps a ushort array of codes (ownership passes to the column; the caller must not change it).</summary>
    public static EncodedColumn OwnUShorts(int size, ushort[] codes, int length)
    {
        ArgumentNullException.ThrowIfNull(codes);
        Validate(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, codes.Length);
        for (var i = 0; i < length; i++)
        {
            CheckCode(codes[i], size, i);
        }

        return new EncodedColumn(size, length, null, Trim(codes, length));
    }

    /// <summary>
    /// Adds <c>code(row) * stride</c> to <c>destination[row - start]</c> for rows <c>start .. start+destination.Length-1</c>:
    /// the building block of mixed-radix cell indices when counting marginals.
    /// </summary>
    public void AccumulateScaled(int start, int stride, Span<int> destination)
    {
        if (bytes is not null)
        {
            var src = bytes.AsSpan(start, destination.Length);
            for (var i = 0; i < destination.Length; i++)
            {
                // Bounded by the clique's cell count, which the caller checked fits in int.
                destination[i] = unchecked(destination[i] + (src[i] * stride));
            }
        }
        else
        {
            var src = shorts.AsSpan(start, destination.Length);
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = unchecked(destination[i] + (src[i] * stride));
            }
        }
    }

    /// <summary>Copies the codes of the given rows (in that order) into a new column.</summary>
    public EncodedColumn Select(ReadOnlySpan<int> rows)
    {
        if (bytes is not null)
        {
            var b = new byte[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                b[i] = bytes[rows[i]];
            }

            return new EncodedColumn(Size, b.Length, b, null);
        }

        var s = new ushort[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            s[i] = shorts![rows[i]];
        }

        return new EncodedColumn(Size, s.Length, null, s);
    }

    /// <summary>Copies the codes into <paramref name="destination"/> as ints.</summary>
    public void CopyTo(Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length);
        for (var i = 0; i < Length; i++)
        {
            destination[i] = this[i];
        }
    }

    private static T[] Trim<T>(T[] codes, int length) => codes.Length == length ? codes : codes[..length];

    private static void Validate(int size) => ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);

    private static void CheckCode(int code, int size, int row)
    {
        if ((uint)code >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(code), $"Code {code} at row {row} is outside 0..{size - 1}.");
        }
    }
}
