using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradients.Tests.Losses;

/// <summary>
/// Proves that a run with <c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c> or <c>DOTNET_EnableHWIntrinsic=0</c>
/// really took the narrower path (on .NET 10 the old <c>DOTNET_EnableAVX512F</c> knob is ignored), so the
/// kernel tests of such a run cover the Vector128 and scalar kernels.
/// </summary>
public sealed class InstructionSetConfigurationTests
{
    [Fact]
    public void Disabled_instruction_sets_are_really_disabled()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Avx512F.IsSupported);
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Avx2.IsSupported);
            Assert.False(Vector256.IsHardwareAccelerated);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.False(Vector256.IsHardwareAccelerated);
        }
    }
}
