"""scikit-learn's LinearModelLoss.loss_gradient (sklearn/linear_model/_linear_loss.py) for the shapes of
LinearModelLossBenchmarks, as a reference point outside BenchmarkDotNet: X @ coef, the per-row loss and gradient
in Cython (sklearn._loss), then X.T @ gradient — two passes over X and N-sized temporaries.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/numpy/losses_sklearn.py

Debian's python3-sklearn (1.2.1). Prints the best of 5 repeats per case (timeit), in milliseconds.
Logistic: HalfBinomialLoss, labels 0/1, with intercept. Softmax: HalfMultinomialLoss, K = 10, with intercepts.
"""
import timeit

import numpy as np
import sklearn
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
from sklearn.linear_model._linear_loss import LinearModelLoss
from threadpoolctl import threadpool_limits

print(f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}")
rng = np.random.default_rng(42)
with threadpool_limits(limits=1):
    for n, d in [(100_000, 128), (2_000_000, 16)]:
        X = rng.random((n, d)) - 0.5
        y = rng.integers(0, 2, size=n).astype(float)
        coef = np.concatenate([rng.random(d) - 0.5, [0.0]])
        logistic = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
        best = min(timeit.repeat(lambda: logistic.loss_gradient(coef, X, y), number=1, repeat=5))
        print(f"logistic {n}x{d}: {best * 1e3:.2f} ms")

        k = 10
        labels = rng.integers(0, k, size=n).astype(float)
        coef_k = rng.random((k, d + 1)) - 0.5
        softmax = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=k), fit_intercept=True)
        best = min(timeit.repeat(lambda: softmax.loss_gradient(coef_k, X, labels), number=1, repeat=5))
        print(f"softmax K={k} {n}x{d}: {best * 1e3:.2f} ms")
