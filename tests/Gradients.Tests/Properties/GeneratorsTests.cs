using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Gradients.Tests.Properties;

public sealed class GeneratorsTests
{
    [Property]
    public Property Wide_magnitudes_stay_in_range() =>
        Prop.ForAll(Generators.Wide.ToArbitrary(), value => Math.Abs(value) >= 1e-6 && Math.Abs(value) < 1e6);

    [Property]
    public Property Unit_directions_have_unit_norm() =>
        Prop.ForAll(Gen.Choose(1, 40).SelectMany(Generators.UnitDirection).ToArbitrary(), direction =>
        {
            // Normalizing and re-summing n squares: each of the ~n + 3 roundings contributes at most
            // u = 2^-53 relative error (Higham, Accuracy and Stability, §3.1), so |‖u‖ - 1| ≤ (n + 3)·u.
            var unitRoundoff = Math.Pow(2, -53);
            return Math.Abs(Math.Sqrt(direction.Sum(d => d * d)) - 1.0) <= (direction.Length + 3) * unitRoundoff;
        });
}
