using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit.Abstractions;

namespace Gradients.Tests.Internal;

/// <summary>
/// Proves that the SIMD configuration .ci/run asks for took effect, so the reruns with
/// DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 really exercise the
/// narrower and scalar paths. (On .NET 10 the old DOTNET_EnableAVX512F knob is ignored; DOTNET_EnableAVX512 works.)
/// </summary>
public sealed class SimdConfigurationTests(ITestOutputHelper output)
{
    [Fact]
    public void Requested_simd_configuration_is_in_effect()
    {
        output.WriteLine(
            $"Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} " +
            $"Vector128={Vector128.IsHardwareAccelerated} " +
            $"EnableAVX512={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") ?? "-"} " +
            $"EnableAVX2={Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") ?? "-"} " +
            $"EnableHWIntrinsic={Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") ?? "-"}");

        if (IsDisabled("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Vector128.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 should disable Vector128.");
            Assert.False(Vector256.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 should disable Vector256.");
            Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 should disable Vector512.");
        }

        if (IsDisabled("DOTNET_EnableAVX2"))
        {
            // Vector256<double> needs AVX only, but the runtime reports Vector256 as accelerated only with AVX2.
            Assert.False(Avx2.IsSupported, "DOTNET_EnableAVX2=0 should disable AVX2 (the small-D MSE kernel's shuffles).");
            Assert.False(Vector256.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 should disable Vector256.");
            Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 should disable Vector512.");
        }

        if (IsDisabled("DOTNET_EnableAVX512"))
        {
            Assert.False(Avx512F.IsSupported, "DOTNET_EnableAVX512=0 should disable AVX-512F.");
            Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX512=0 should disable Vector512.");
        }
    }

    private static bool IsDisabled(string variable) => Environment.GetEnvironmentVariable(variable) == "0";
}
