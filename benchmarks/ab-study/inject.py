import sys, re
src, mse_pct, fd_pct, alloc_where = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
p = f'{src}/src/Gradients/Losses/MeanSquaredError.cs'
s = open(p).read()
old = '''        options.Validate(nameof(options));
        return Evaluate(features, targets, weights, T.Zero, gradient, out _, [], options);
    }'''
assert s.count(old) == 1
alloc = "        _injectedSink = new object();\n" if alloc_where == 'mse' else ""
new = f'''        options.Validate(nameof(options));
        var injectedLoss = Evaluate(features, targets, weights, T.Zero, gradient, out _, [], options);
        var injectedRows = Math.Max(1, targets.Length * {mse_pct} / 100);
        var injectedScratch = System.Buffers.ArrayPool<T>.Shared.Rent(weights.Length);
        _ = Evaluate(features[..(injectedRows * weights.Length)], targets[..injectedRows], weights, T.Zero, injectedScratch.AsSpan(0, weights.Length), out _, [], options);
        System.Buffers.ArrayPool<T>.Shared.Return(injectedScratch);
{alloc}        return injectedLoss;
    }}''' + ("\n\n    private static object? _injectedSink;" if alloc_where == 'mse' else "")
s = s.replace(old, new)
open(p, 'w').write(s)
p = f'{src}/src/Gradients/FiniteDifferences/FiniteDifference.Gradient.cs'
s = open(p).read()
old = '''        where TFunction : struct, IScalarFunction<T>
    {
        ValidateGradientArguments(x, gradient);
        _ = PlainGradient(ref function, x, gradient, default);
    }'''
assert s.count(old) == 1
alloc = "        _injectedSink = new object();\n" if alloc_where == 'fd' else ""
new = f'''        where TFunction : struct, IScalarFunction<T>
    {{
        ValidateGradientArguments(x, gradient);
        _ = PlainGradient(ref function, x, gradient, default);
        var injectedEvaluations = Math.Max(1, (int)Math.Round(2 * x.Length * {fd_pct} / 100.0));
        var injectedSum = T.Zero;
        for (var i = 0; i < injectedEvaluations; i++)
        {{
            injectedSum += function.Evaluate(x);
        }}

        if (T.IsNaN(injectedSum))
        {{
            gradient[0] = injectedSum;
        }}
{alloc}    }}''' + ("\n\n    private static object? _injectedSink;" if alloc_where == 'fd' else "")
s = s.replace(old, new)
open(p, 'w').write(s)
