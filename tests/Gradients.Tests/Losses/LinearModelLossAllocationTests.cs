namespace Gradients.Tests.Losses;

/// <summary>
/// The logistic, Poisson and Huber losses allocate nothing on the calling thread once warm: one thread and two, double
/// and float, the register kernel (D ≤ 16) and the wide one, with and without an intercept and sample weights.
/// (The softmax and MSE have their own such tests; a helper measured 498–1080 B per call for logistic and Huber in
/// one benchmark run, which this pins down.)
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class LinearModelLossAllocationTests
{
    public static TheoryData<string, int, int> Cases => new()
    {
        { "logistic", 1, 16 }, { "logistic", 2, 16 }, { "logistic", 1, 128 }, { "logistic", 2, 128 },
        { "poisson", 1, 16 }, { "poisson", 2, 128 },
        { "huber", 1, 16 }, { "huber", 2, 16 }, { "huber", 1, 128 }, { "huber", 2, 128 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_warm_call_allocates_nothing_on_the_calling_thread(string loss, int threads, int columns)
    {
        // 16 chunks or more at either D (2^16 elements per chunk), so two threads really split the rows.
        var rows = (1 << 20) / columns;
        var random = new Random(columns + threads);
        var x = new double[rows * columns];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (random.NextDouble() - 0.5) * 0.2;
        }

        var y = new double[rows];
        var s = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            y[i] = loss == "logistic" ? random.Next(2) : loss == "poisson" ? random.Next(5) : random.NextDouble() * 4 - 2;
            s[i] = 0.5 + random.NextDouble();
        }

        var w = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            w[j] = random.NextDouble() - 0.5;
        }

        var (fx, fy, fs, fw) = (x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray(), s.Select(v => (float)v).ToArray(), w.Select(v => (float)v).ToArray());
        var gradient = new double[columns];
        var floatGradient = new float[columns];

        void Calls()
        {
            switch (loss)
            {
                case "logistic":
                    var options = new LinearModelLossOptions { MaxDegreeOfParallelism = threads };
                    LogisticLoss.LossAndGradient<double>(x, y, w, gradient, options);
                    LogisticLoss.LossAndGradient<double>(x, y, w, 0.25, gradient, out _, s, options);
                    LogisticLoss.LossAndGradient<float>(fx, fy, fw, 0.25f, floatGradient, out _, fs, options);
                    break;
                case "poisson":
                    options = new LinearModelLossOptions { MaxDegreeOfParallelism = threads };
                    PoissonLoss.LossAndGradient<double>(x, y, w, gradient, options);
                    PoissonLoss.LossAndGradient<float>(fx, fy, fw, 0.25f, floatGradient, out _, fs, options);
                    break;
                default:
                    var huber = new HuberLossOptions { MaxDegreeOfParallelism = threads, Delta = 0.5 };
                    HuberLoss.LossAndGradient<double>(x, y, w, gradient, huber);
                    HuberLoss.LossAndGradient<double>(x, y, w, 0.25, gradient, out _, s, huber);
                    HuberLoss.LossAndGradient<float>(fx, fy, fw, 0.25f, floatGradient, out _, fs, huber);
                    break;
            }
        }

        // Warm: the JIT (tier-up included), the pooled buffers, the calling thread's work item.
        for (var i = 0; i < 3; i++)
        {
            Calls();
        }

        Assert.Equal(0, CallingThreadBytes.FewestInRounds(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                Calls();
            }
        }));
    }
}
