using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gradients.Tests.Properties;

namespace Gradients.Tests.FiniteDifferences;

public sealed class ParallelTests
{
    [Property(MaxTest = 40)]
    public Property Parallel_gradient_is_bit_identical_to_serial_for_every_scheme() =>
        Prop.ForAll(
            (from x in Generators.Vector(Generators.Unit, 2, 60)
             from scheme in Gen.Elements(Enum.GetValues<FiniteDifferenceScheme>())
             from degree in Gen.Elements(-1, 2, 3, 7)
             select (x, scheme, degree)).ToArbitrary(),
            c =>
            {
                var n = c.x.Length;
                var lower = c.x.Select((v, i) => i % 5 == 0 ? v : double.NegativeInfinity).ToArray();
                var serialOptions = new FiniteDifferenceOptions<double> { Scheme = c.scheme, LowerBounds = lower };
                var parallelOptions = serialOptions with { MaxDegreeOfParallelism = c.degree };
                var (serial, serialErrors, serialSteps) = (new double[n], new double[n], new double[n]);
                var (parallel, parallelErrors, parallelSteps) = (new double[n], new double[n], new double[n]);

                var serialResult = FiniteDifference.Gradient<double>(TestFunctions.Rosenbrock, c.x, serial, serialOptions, serialErrors, serialSteps);
                var parallelResult = FiniteDifference.Gradient(new RosenbrockFunction<double>(), c.x, parallel, parallelOptions, parallelErrors, parallelSteps);

                static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
                return (Bits(serial).SequenceEqual(Bits(parallel))
                        && Bits(serialErrors).SequenceEqual(Bits(parallelErrors))
                        && Bits(serialSteps).SequenceEqual(Bits(parallelSteps))
                        && serialResult.OneSidedCoordinates == parallelResult.OneSidedCoordinates
                        && BitConverter.DoubleToInt64Bits(serialResult.MaxErrorEstimate) == BitConverter.DoubleToInt64Bits(parallelResult.MaxErrorEstimate))
                    .Label($"{c.scheme} degree {c.degree} n {n}");
            });

    [Fact]
    public void Parallel_non_finite_values_surface_as_the_serial_exception_type()
    {
        var x = Enumerable.Range(0, 40).Select(i => 1.0 + i).ToArray();
        x[23] = 1e-12;

        Assert.Throws<NotFiniteNumberException>(() => FiniteDifference.Gradient<double>(
            v => v.ToArray().Sum(t => t >= 0 ? Math.Sqrt(t) : double.NaN), x, new double[40], new FiniteDifferenceOptions<double> { MaxDegreeOfParallelism = 4 }));
    }

    [Fact]
    public void Concurrent_callers_get_the_serial_answer()
    {
        var x = Enumerable.Range(0, 30).Select(i => Math.Sin(i)).ToArray();
        var expected = new double[30];
        FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, expected);

        var results = new double[16][];
        Parallel.For(0, results.Length, k =>
        {
            results[k] = new double[30];
            FiniteDifference.Gradient<double>(TestFunctions.LogSumExp, x, results[k]);
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
