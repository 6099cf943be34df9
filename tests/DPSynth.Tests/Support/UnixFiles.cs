using System.ComponentModel;
using System.Runtime.InteropServices;

namespace DPSynth.Tests.Support;

/// <summary>Makes the Unix file-system objects .NET has no API for: hard links and FIFOs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class UnixFiles
{
    /// <summary>Gives the file <paramref name="existing"/> a second name, <paramref name="name"/> (link(2)).</summary>
    public static void HardLink(string existing, string name)
    {
        if (Link(existing, name) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Creates a FIFO (named pipe) at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    public static void Fifo(string path)
    {
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
