using System.Runtime.Intrinsics.X86;

namespace Gradients.Tests.Internal;

/// <summary>
/// The vendor string the kernels' prefetch choice reads from CPUID must be the one the operating system reports; a
/// wrong byte order would send every processor down the non-Intel path without any result changing.
/// </summary>
public sealed class ProcessorVendorTests
{
    [Fact]
    public void The_vendor_string_matches_what_Linux_reports()
    {
        var vendor = ProcessorVendor.Read();
        if (!X86Base.IsSupported)
        {
            // Arm64, or DOTNET_EnableHWIntrinsic=0: no CPUID, so no vendor and the non-Intel choices.
            Assert.Equal(string.Empty, vendor);
            Assert.False(ProcessorVendor.IsIntel);
            return;
        }

        Assert.Equal(12, vendor.Length);
        Assert.Equal(vendor == "GenuineIntel", ProcessorVendor.IsIntel);
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return;
        }

        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("vendor_id", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.Equal(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), vendor);
    }
}
