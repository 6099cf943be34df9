using System.Globalization;
using System.Text;

namespace DPSynth.Tests.Support;

/// <summary>
/// Generated CSV tables with the traits of a real census excerpt (issue 17): floats and integers with <c>N</c> for
/// missing, a numeric-looking categorical of 270 codes, structural rules such as "MSP is N exactly when AGEP &lt; 15",
/// and, for property tests, columns of random messy shapes. Seeded, so every table can be made again.
/// </summary>
public static class MessyTable
{
    /// <summary>The shapes a generated column can take.</summary>
    public enum Shape
    {
        /// <summary>Decimals (two places) with the missing token.</summary>
        Floats,

        /// <summary>Integers 1..500 with the missing token.</summary>
        Integers,

        /// <summary>270 integer industry codes (170..9920, steps of 10 or more) with the missing token.</summary>
        Codes,

        /// <summary>Codes written with leading zeros (<c>0170</c>).</summary>
        PaddedCodes,

        /// <summary>Words, some needing CSV quoting (comma, quote) and one non-ASCII, with the missing token.</summary>
        Labels,

        /// <summary><c>true</c>/<c>false</c>.</summary>
        Booleans,

        /// <summary>Only the missing token.</summary>
        AllMissing,

        /// <summary>Small integers mixed with two different words (a categorical that looks half numeric).</summary>
        NumbersAndWords,

        /// <summary>Small integers padded with spaces, and the missing token.</summary>
        PaddedNumbers,

        /// <summary>Integers with a one-off missing spelling (<c>-</c>) instead of the common token.</summary>
        DashMissing,
    }

    /// <summary>The 270 industry codes of <see cref="Shape.Codes"/>, ascending.</summary>
    public static IReadOnlyList<int> IndustryCodes { get; } = MakeCodes();

    /// <summary>
    /// A census-like table: <c>AGEP</c> 0..95; <c>PINCP</c> income (floats, <c>N</c> under 15); <c>POVPIP</c> 1..500
    /// (<c>N</c> for about 8%); <c>NOC</c> children 0..9 (<c>N</c> for 30%); <c>INDP</c> one of 270 codes (<c>N</c> under 16);
    /// <c>MSP</c> marital status 1..6, <c>N</c> exactly when <c>AGEP</c> &lt; 15; <c>SEX</c> 1..2.
    /// </summary>
    public static string Census(int seed, int rows)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("AGEP,PINCP,POVPIP,NOC,INDP,MSP,SEX\n");
        var inv = CultureInfo.InvariantCulture;
        for (var r = 0; r < rows; r++)
        {
            var age = random.Next(96);
            var income = age < 15 ? "N" : (random.NextDouble() * 250_000 - 10_000).ToString("F1", inv);
            var poverty = random.NextDouble() < 0.08 ? "N" : random.Next(1, 501).ToString(inv);
            var children = random.NextDouble() < 0.3 ? "N" : random.Next(10).ToString(inv);
            var industry = age < 16 ? "N" : IndustryCodes[random.Next(IndustryCodes.Count)].ToString(inv);

            // Marriage is likelier with age, so MSP and AGEP are associated beyond the structural zero.
            var marital = age < 15 ? "N" : (age < 25 && random.NextDouble() < 0.7 ? 6 : random.Next(1, 7)).ToString(inv);
            csv.Append(inv, $"{age},{income},{poverty},{children},{industry},{marital},{random.Next(1, 3)}\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// A table with a first column <c>row</c> (1, 2, ...; so no line is ever blank) and one column per shape (named
    /// <c>c1</c>, <c>c2</c>, ...), missing written <paramref name="token"/>.
    /// </summary>
    public static string Mixed(int seed, int rows, IReadOnlyList<Shape> shapes, string token)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("row,").AppendJoin(",", shapes.Select((_, i) => $"c{i + 1}")).Append('\n');
        for (var r = 0; r < rows; r++)
        {
            csv.Append(r + 1).Append(',').AppendJoin(",", shapes.Select(shape => Field(shape, random, token))).Append('\n');
        }

        return csv.ToString();
    }

    private static string Field(Shape shape, Random random, string token)
    {
        var inv = CultureInfo.InvariantCulture;
        var missing = random.NextDouble() < 0.15;
        return shape switch
        {
            Shape.Floats => missing ? token : (random.NextDouble() * 2000 - 500).ToString("F2", inv),
            Shape.Integers => missing ? token : random.Next(1, 501).ToString(inv),
            Shape.Codes => missing ? token : IndustryCodes[random.Next(IndustryCodes.Count)].ToString(inv),
            Shape.PaddedCodes => IndustryCodes[random.Next(12)].ToString("D4", inv),
            Shape.Labels => missing ? token : random.Next(5) switch
            {
                0 => "Private",
                1 => "\"New York, NY\"",
                2 => "\"say \"\"hi\"\"\"",
                3 => "Zürich",
                _ => "Self-emp",
            },
            Shape.Booleans => random.Next(2) == 0 ? "true" : "false",
            Shape.AllMissing => token,
            Shape.NumbersAndWords => random.Next(6) switch
            {
                0 => "none",
                1 => "many",
                var n => (n * 5).ToString(inv),
            },
            Shape.PaddedNumbers => missing ? $" {token} " : $"  {random.Next(1, 13).ToString(inv)} ",
            _ => missing ? "-" : random.Next(100, 200).ToString(inv),
        };
    }

    private static int[] MakeCodes()
    {
        // Fixed, sparse and irregular like census industry codes: 270 values between 170 and 9920.
        var random = new Random(17);
        var codes = new SortedSet<int>();
        while (codes.Count < 270)
        {
            codes.Add(170 + (10 * random.Next(976)));
        }

        return [.. codes];
    }
}
