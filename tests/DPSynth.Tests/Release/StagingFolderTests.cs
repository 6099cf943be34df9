using System.Security.Cryptography.X509Certificates;
using DPSynth.Release;
using DPSynth.Tests.Support;

namespace DPSynth.Tests.Release;

public sealed class StagingFolderTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly X509Certificate2 certificate = ReleaseFixtures.Certificate();

    public void Dispose()
    {
        certificate.Dispose();
        temp.Dispose();
    }

    /// <summary>A staging folder as a writer makes it, with a half-written file in it.</summary>
    private string Staging(string bundle)
    {
        var folder = temp.File($".{bundle}{StagingFolder.Marker}{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "synthetic.csv"), "age,sex\n34,");
        return folder;
    }

    [Fact]
    public void TheNextWriteRemovesTheStagingFoldersOfDeadWritersAndNeverALiveOnes()
    {
        var killed = Staging("killed");
        File.WriteAllText(killed + StagingFolder.LockSuffix, string.Empty); // its writer's lock died with it
        var older = Staging("older"); // left by a version without locks
        var orphanLock = temp.File($".renamed{StagingFolder.Marker}{Guid.NewGuid():N}{StagingFolder.LockSuffix}");
        File.WriteAllText(orphanLock, string.Empty); // killed between its rename and its unlock
        var live = Staging("live");
        var unrelated = Directory.CreateDirectory(temp.File(".not-a-staging-folder")).FullName;

        using (new FileStream(live + StagingFolder.LockSuffix, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            var bundle = ReleaseFixtures.WriteBundle(temp.Path, certificate, "first");
            Assert.True(BundleVerifier.Verify(bundle.Directory).IsValid);

            Assert.False(Directory.Exists(killed));
            Assert.False(File.Exists(killed + StagingFolder.LockSuffix));
            Assert.False(Directory.Exists(older));
            Assert.False(File.Exists(orphanLock));
            Assert.Equal("age,sex\n34,", File.ReadAllText(Path.Combine(live, "synthetic.csv"))); // untouched while held
            Assert.True(Directory.Exists(unrelated));
        }

        // Its writer gone (the lock released without cleaning up, as a kill does), the next write removes it.
        ReleaseFixtures.WriteBundle(temp.Path, certificate, "second");
        Assert.False(Directory.Exists(live));
        Assert.False(File.Exists(live + StagingFolder.LockSuffix));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public void AWriterHoldsItsLockBesideItsFolderAndLeavesNothingBehind()
    {
        using (var staging = StagingFolder.Create(temp.Path, "bundle"))
        {
            Assert.True(Directory.Exists(staging.Path));
            Assert.StartsWith(".bundle" + StagingFolder.Marker, Path.GetFileName(staging.Path), StringComparison.Ordinal);
            Assert.Empty(StagingFolder.RemoveStale(temp.Path));
            Assert.True(Directory.Exists(staging.Path));
            var lockPath = staging.Path + StagingFolder.LockSuffix;
            Assert.Throws<IOException>(() => new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
        }

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path)); // not published: folder and lock file gone

        using (var staging = StagingFolder.Create(temp.Path, "bundle"))
        {
            staging.Publish(temp.File("bundle"));
        }

        Assert.Equal([temp.File("bundle")], Directory.GetFileSystemEntries(temp.Path));
    }
}
