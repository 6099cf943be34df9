using DPSynth.Data;
using DPSynth.Schema;

namespace DPSynth.Tests.Data;

public sealed class DomainTests
{
    [Fact]
    public void CellCountIsTheProductOfTheSizes()
    {
        var domain = new Domain(["a", "b", "c"], [2, 3, 4]);
        Assert.Equal(24, domain.CellCount([0, 1, 2]));
        Assert.Equal(8, domain.CellCount([0, 2]));
        Assert.Equal(1, domain.CellCount([]));
    }

    [Fact]
    public void DuplicateNamesAreRejected() =>
        Assert.Throws<ArgumentException>(() => new Domain(["a", "a"], [2, 2]));

    [Fact]
    public void EncodedColumnRejectsCodesOutsideItsSize() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EncodedColumn.FromCodes(3, [0, 1, 3]));

    [Fact]
    public void WideColumnsAreStoredAsUShortAndNarrowOnesAsByte()
    {
        Assert.True(EncodedColumn.FromCodes(256, [255]).IsByte);
        var wide = EncodedColumn.FromCodes(300, [299, 0]);
        Assert.False(wide.IsByte);
        Assert.Equal(299, wide[0]);
    }
}
