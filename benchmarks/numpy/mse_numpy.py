"""NumPy's MSE loss and gradient for the shapes of MeanSquaredErrorBenchmarks, as a reference point outside
BenchmarkDotNet (see docs/benchmarks.md, "NumPy with OpenBLAS"). Two matrix-vector products and an N-sized
temporary: r = Xw - y, g = (2/N) X^T r.

    OPENBLAS_NUM_THREADS=1 python3 benchmarks/numpy/mse_numpy.py    # one thread
    python3 benchmarks/numpy/mse_numpy.py                           # OpenBLAS's default (all cores)

Prints the best of 7 repeats per shape (timeit), in microseconds, and the BLAS NumPy uses.
"""
import timeit

import numpy as np

np.show_config()
rng = np.random.default_rng(42)
for n, d in [(50, 4), (1000, 1000), (100_000, 128), (2_000_000, 16)]:
    X = rng.random((n, d)) - 0.5
    y = rng.random(n)
    w = rng.random(d) - 0.5

    def loss_and_gradient():
        r = X @ w - y
        return (r @ r) / n, (2.0 / n) * (X.T @ r)

    number = max(1, int(2e8 // (n * d * 20)))
    best = min(timeit.repeat(loss_and_gradient, number=number, repeat=7)) / number
    print(f"{n}x{d}: {best * 1e6:.2f} us")
