using System.Runtime.Intrinsics.X86;

namespace Gradients;

/// <summary>
/// The x86 processor's maker, read once from CPUID leaf 0, for the few kernel choices that were measured to differ
/// between Intel's and AMD's cores (prefetch patterns: their L2 prefetchers follow different hints). Every choice
/// made from it changes only how fast a kernel runs, never a result: prefetch hints do not change what is computed.
/// </summary>
internal static class ProcessorVendor
{
    /// <summary>True on an Intel processor (CPUID vendor string "GenuineIntel"); false elsewhere, Arm64 included.</summary>
    internal static readonly bool IsIntel = Read() == "GenuineIntel";

    /// <summary>The twelve-character vendor string of CPUID leaf 0 (EBX, EDX, ECX), or empty without CPUID.</summary>
    internal static string Read()
    {
        if (!X86Base.IsSupported)
        {
            return string.Empty;
        }

        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> text = stackalloc byte[12];
        BitConverter.TryWriteBytes(text, ebx);
        BitConverter.TryWriteBytes(text[4..], edx);
        BitConverter.TryWriteBytes(text[8..], ecx);
        return System.Text.Encoding.ASCII.GetString(text);
    }
}
