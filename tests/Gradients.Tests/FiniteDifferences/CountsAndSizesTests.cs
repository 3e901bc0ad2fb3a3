namespace Gradients.Tests.FiniteDifferences;

/// <summary>
/// Issue 13, item 7: the reported evaluation counts are the calls of f, counted; problems too large for the scratch
/// space or for the count are rejected before any work with the parameter and the sizes named, never an
/// <see cref="OverflowException"/> or an unnamed <see cref="ArgumentOutOfRangeException"/> from inside. The huge
/// spans are allocated uninitialized and never touched (validation comes first), so they cost address space only.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class CountsAndSizesTests
{
    public static TheoryData<FiniteDifferenceScheme, bool> SchemesAndBounds()
    {
        var data = new TheoryData<FiniteDifferenceScheme, bool>();
        foreach (var scheme in Enum.GetValues<FiniteDifferenceScheme>())
        {
            data.Add(scheme, false);
            data.Add(scheme, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SchemesAndBounds))]
    public void Evaluations_are_the_calls_of_f_when_stencils_fall_back(FiniteDifferenceScheme scheme, bool bounded)
    {
        // n = 12 takes the vectorized default path first; f is NaN to the right of x₃ and x₇, so those coordinates
        // fall back to their left side; with bounds, every fourth coordinate sits on its lower bound.
        const int N = 12;
        var x = Enumerable.Range(0, N).Select(i => 0.25 * (i + 1)).ToArray();
        var calls = 0;
        double F(ReadOnlySpan<double> v)
        {
            calls++;
            return v[3] > x[3] || v[7] > x[7] ? double.NaN : TestFunctions.LogSumExp(v);
        }

        void Vector(ReadOnlySpan<double> v, Span<double> values)
        {
            values[0] = F(v);
            values[1] = 2 * values[0];
        }

        var options = new FiniteDifferenceOptions<double>
        {
            Scheme = scheme,
            NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided,
            LowerBounds = bounded ? x.Select((v, i) => i % 4 == 0 ? v : double.NegativeInfinity).ToArray() : default(ReadOnlyMemory<double>),
        };

        var gradient = FiniteDifference.Gradient(F, x, new double[N], options);
        Assert.Equal(calls, gradient.Evaluations);
        if (scheme != FiniteDifferenceScheme.Backward)
        {
            // Every scheme but backward differences reaches to the right of x₃ and x₇ and falls back there.
            Assert.True(gradient.OneSidedCoordinates >= 2, $"{gradient.OneSidedCoordinates} one-sided");
        }

        calls = 0;
        var jacobian = FiniteDifference.Jacobian(Vector, x, new double[2 * N], options);
        Assert.Equal(calls, jacobian.Evaluations);

        calls = 0;
        var derivative = FiniteDifference.Derivative(t => F([.. x[..3], t, .. x[4..]]), x[3], options with { LowerBounds = default });
        Assert.Equal(calls, derivative.Evaluations);

        calls = 0;
        var direction = new double[N];
        direction[3] = 1;
        var directional = FiniteDifference.DirectionalDerivative(F, x, direction, options);
        Assert.Equal(calls, directional.Evaluations);
    }

    [Fact]
    public void The_default_gradient_counts_the_calls_when_a_value_is_not_finite()
    {
        // The default overload's vectorized pass evaluates every coordinate before it meets the NaN; the count must
        // include that pass (it reported 23 of 31 calls).
        const int N = 10;
        var x = Enumerable.Range(0, N).Select(i => 0.5 + i).ToArray();
        var calls = 0;
        double F(ReadOnlySpan<double> v)
        {
            calls++;
            return v[4] > x[4] ? double.NaN : TestFunctions.LogSumExp(v);
        }

        var result = FiniteDifference.Gradient(F, x, new double[N], new FiniteDifferenceOptions<double> { NonFiniteValues = NonFiniteValuePolicy.FallBackToOneSided });

        Assert.Equal(calls, result.Evaluations);
        Assert.Equal(1, result.OneSidedCoordinates);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(1000)]
    public void The_serial_paths_allocate_nothing_with_their_new_checks(int n)
    {
        // The size, step, overlap and overflow checks build their messages only when they throw; a message built
        // eagerly cost 96 B per call at n = 1000 (seen in a benchmark run of this branch).
        var x = Enumerable.Range(0, n).Select(i => 0.01 * i).ToArray();
        var (gradient, errors, steps, direction) = (new double[n], new double[n], new double[n], new double[n]);
        var jacobian = new double[2 * n];
        direction[0] = 1;
        var options = new FiniteDifferenceOptions<double> { Scheme = FiniteDifferenceScheme.Richardson, LowerBounds = x };
        var function = new RosenbrockFunction<double>();
        var vector = new TwoOutputs();

        void Run()
        {
            FiniteDifference.Gradient<double, RosenbrockFunction<double>>(function, x, gradient);
            _ = FiniteDifference.Gradient(function, x, gradient, options, errors, steps);
            FiniteDifference.Jacobian<double, TwoOutputs>(vector, x, jacobian);
            _ = FiniteDifference.DirectionalDerivative<double, RosenbrockFunction<double>>(function, x, direction);
        }

        Run();
        Assert.Equal(0, CallingThreadBytes.FewestInRounds(Run));
    }

    private readonly struct TwoOutputs : IVectorFunction<double>
    {
        public void Evaluate(ReadOnlySpan<double> x, Span<double> values)
        {
            values[0] = TestFunctions.Rosenbrock(x);
            values[1] = TestFunctions.LogSumExp(x);
        }
    }

    [Fact]
    public void A_Hessian_whose_evaluation_count_exceeds_int_is_rejected_naming_x_and_the_count()
    {
        // n = 32,769: 2n² + 1 = 2,147,614,723 evaluations; the count was reported as −2,147,352,573.
        var exception = Assert.ThrowsAny<ArgumentException>(() =>
            FiniteDifference.Hessian(v => v[0], new float[32769], new float[32769 * 32769 / 1024], default(FiniteDifferenceOptions<float>)));

        Assert.Equal("x", exception.ParamName);
        Assert.Contains("32,769", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2,147,614,723", exception.Message, StringComparison.Ordinal);

        // One below the limit is accepted by validation: n = 32,767 gives 2,147,352,579 evaluations, which fit (the
        // Hessian's length is then what is reported, not the count).
        var below = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Hessian(v => v[0], new float[32767], new float[1]));
        Assert.Equal("hessian", below.ParamName);
    }

    [Fact]
    public void A_half_gradient_too_large_for_its_scratch_space_is_rejected_naming_x_and_the_size()
    {
        // 3n = 2,147,483,649 overflowed int and reached the scratch code as a negative length.
        const int N = 715_827_883;
        var x = GC.AllocateUninitializedArray<Half>(N);
        var gradient = GC.AllocateUninitializedArray<Half>(N);

        var exception = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(v => v[0], x, gradient));
        var withOptions = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.Gradient(v => v[0], x, gradient, default(FiniteDifferenceOptions<Half>)));

        foreach (var e in new[] { exception, withOptions })
        {
            Assert.Equal("x", e.ParamName);
            Assert.Contains("715,827,883", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_jacobian_whose_scratch_exceeds_an_array_is_rejected_naming_it_and_m_and_n()
    {
        // n = 1, m = 500,000,000: the scratch n + 5m = 2,500,000,001 overflowed int.
        var jacobian = GC.AllocateUninitializedArray<Half>(500_000_000);

        var exception = Assert.ThrowsAny<ArgumentException>(() =>
            FiniteDifference.Jacobian<Half>((v, values) => values.Fill(v[0]), [(Half)1], jacobian));

        Assert.Equal("jacobian", exception.ParamName);
        Assert.Contains("500,000,000", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2,500,000,001", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directional_derivative_too_large_for_its_scratch_space_is_rejected_naming_x()
    {
        // n = 2³⁰ + 1: the scratch 2n overflowed int.
        const int N = (1 << 30) + 1;
        var x = GC.AllocateUninitializedArray<Half>(N);
        var direction = GC.AllocateUninitializedArray<Half>(N);

        var exception = Assert.ThrowsAny<ArgumentException>(() => FiniteDifference.DirectionalDerivative(v => v[0], x, direction));

        Assert.Equal("x", exception.ParamName);
        Assert.Contains("1,073,741,825", exception.Message, StringComparison.Ordinal);
    }
}
