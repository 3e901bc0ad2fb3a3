#!/usr/bin/env python3
"""Reference values for the linear-model losses (LogisticLoss, PoissonLoss, HuberLoss, SoftmaxCrossEntropy).

Writes linear_model_losses.json beside this script: for each case the data (X row-major, y, w, b, sample
weights), and the loss, gradient and intercept gradient computed with mpmath at 60 significant digits from the
double inputs (so they are the exact values rounded once to double), plus scikit-learn's
LinearModelLoss.loss_gradient on the same data where it has the loss (Debian's python3-sklearn).

Conventions (as Gradients documents them): loss = sum_i s_i l_i / sum_i s_i (s_i = 1 without sample weights),
gradient = sum_i s_i l'(eta_i) x_i / sum_i s_i, eta = X w + b; no penalty.
  logistic: l = log(1 + e^eta) - y eta
  poisson:  l = e^eta - y eta
  huber:    l = r^2/2 (|r| <= delta), delta (|r| - delta/2) beyond, r = eta - y
  softmax:  l = logsumexp(eta) - eta_y, W is D x K row-major, b has K entries, gradient D x K row-major.

Run:  /usr/bin/python3 tests/reference/linear_model_losses.py
"""
import json
import os

import mpmath
import numpy as np

mpmath.mp.dps = 60
rng = np.random.default_rng(20261206)


def mp(v):
    return mpmath.mpf(float(v))


def scalar_case(name, kind, X, y, w, b, s, delta=None):
    n, d = X.shape
    ss = [mp(1)] * n if s is None else [mp(v) for v in s]
    total = mpmath.fsum(ss)
    loss = mpmath.mpf(0)
    grad = [mpmath.mpf(0)] * d
    gb = mpmath.mpf(0)
    for i in range(n):
        eta = mpmath.fsum([mp(X[i, j]) * mp(w[j]) for j in range(d)]) + mp(b)
        yi = mp(y[i])
        if kind == "logistic":
            l = mpmath.log1p(mpmath.exp(eta)) - yi * eta
            g = 1 / (1 + mpmath.exp(-eta)) - yi
        elif kind == "poisson":
            l = mpmath.exp(eta) - yi * eta
            g = mpmath.exp(eta) - yi
        else:
            r = eta - yi
            dl = mp(delta)
            if abs(r) <= dl:
                l, g = r * r / 2, r
            else:
                l, g = dl * (abs(r) - dl / 2), mpmath.sign(r) * dl
        loss += ss[i] * l
        gb += ss[i] * g
        for j in range(d):
            grad[j] += ss[i] * g * mp(X[i, j])
    case = {
        "name": name, "loss": kind, "rows": n, "columns": d,
        "features": X.ravel().tolist(), "targets": list(map(float, y)), "weights": list(map(float, w)),
        "intercept": float(b), "sampleWeights": None if s is None else list(map(float, s)),
        "delta": delta,
        "expectedLoss": float(loss / total),
        "expectedGradient": [float(v / total) for v in grad],
        "expectedInterceptGradient": float(gb / total),
    }
    case.update(sklearn_values(kind, X, y, w, b, s, delta))
    return case


def softmax_case(name, X, labels, W, b, s):
    n, d = X.shape
    k = W.shape[1]
    ss = [mp(1)] * n if s is None else [mp(v) for v in s]
    total = mpmath.fsum(ss)
    loss = mpmath.mpf(0)
    grad = [[mpmath.mpf(0)] * k for _ in range(d)]
    gb = [mpmath.mpf(0)] * k
    for i in range(n):
        eta = [mpmath.fsum([mp(X[i, j]) * mp(W[j, c]) for j in range(d)]) + mp(b[c]) for c in range(k)]
        m = max(eta)
        lse = m + mpmath.log(mpmath.fsum([mpmath.exp(e - m) for e in eta]))
        loss += ss[i] * (lse - eta[labels[i]])
        for c in range(k):
            g = mpmath.exp(eta[c] - lse) - (1 if c == labels[i] else 0)
            gb[c] += ss[i] * g
            for j in range(d):
                grad[j][c] += ss[i] * g * mp(X[i, j])
    case = {
        "name": name, "loss": "softmax", "rows": n, "columns": d, "classes": k,
        "features": X.ravel().tolist(), "labels": list(map(int, labels)), "weights": W.ravel().tolist(),
        "intercepts": list(map(float, b)), "sampleWeights": None if s is None else list(map(float, s)),
        "expectedLoss": float(loss / total),
        "expectedGradient": [float(grad[j][c] / total) for j in range(d) for c in range(k)],
        "expectedInterceptGradient": [float(v / total) for v in gb],
    }
    case.update(sklearn_softmax(X, labels, W, b, s))
    return case


def sklearn_values(kind, X, y, w, b, s, delta):
    try:
        from sklearn._loss.loss import HalfBinomialLoss, HalfPoissonLoss
        from sklearn.linear_model._linear_loss import LinearModelLoss
    except ImportError:
        return {}
    if kind == "huber":
        return {}  # scikit-learn's HuberLoss uses a quantile-chosen delta; not the same parameterisation.
    base = HalfBinomialLoss() if kind == "logistic" else HalfPoissonLoss()
    model = LinearModelLoss(base_loss=base, fit_intercept=True)
    coef = np.concatenate([w, [b]])
    sw = None if s is None else np.asarray(s)
    loss, grad = model.loss_gradient(coef, X, np.asarray(y, dtype=float), sample_weight=sw, l2_reg_strength=0.0)
    scale = sklearn_scale(X.shape[0], sw)
    return {"sklearnLoss": float(loss) * scale, "sklearnGradient": [float(v) * scale for v in grad[:-1]],
            "sklearnInterceptGradient": float(grad[-1]) * scale}


def sklearn_softmax(X, labels, W, b, s):
    try:
        from sklearn._loss.loss import HalfMultinomialLoss
        from sklearn.linear_model._linear_loss import LinearModelLoss
    except ImportError:
        return {}
    k = W.shape[1]
    model = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=k), fit_intercept=True)
    coef = np.hstack([W.T, np.asarray(b)[:, None]])  # (K, D + 1)
    sw = None if s is None else np.asarray(s)
    loss, grad = model.loss_gradient(coef, X, np.asarray(labels, dtype=float), sample_weight=sw, l2_reg_strength=0.0)
    grad = np.asarray(grad).reshape(k, -1)
    scale = sklearn_scale(X.shape[0], sw)
    return {"sklearnLoss": float(loss) * scale, "sklearnGradient": (grad[:, :-1].T.ravel() * scale).tolist(),
            "sklearnInterceptGradient": (grad[:, -1] * scale).tolist()}


def sklearn_scale(n, sw):
    """scikit-learn 1.2's loss_gradient returns sums, not means; later versions divide by sum(sample_weight)."""
    import sklearn
    major, minor = (int(p) for p in sklearn.__version__.split(".")[:2])
    if (major, minor) >= (1, 4):
        return 1.0
    return 1.0 / (n if sw is None else float(np.sum(sw)))


cases = []
n, d = 64, 5
X = rng.normal(size=(n, d))
w = rng.normal(size=d)
y = (rng.random(n) < 0.5).astype(float)
s = rng.uniform(0.5, 2.0, size=n)
cases.append(scalar_case("logistic", "logistic", X, y, w, 0.3, None))
cases.append(scalar_case("logistic-weighted", "logistic", X, y, w, -0.2, s))

# |eta| up to 700: a naive log(1 + exp(eta)) overflows at eta > 709.78 in the intermediate and loses everything long before.
etas = np.array([-700.0, -500.0, -300.0, -40.0, -1.0, 0.0, 1.0, 40.0, 300.0, 500.0, 700.0, 690.0])
Xe = np.column_stack([etas, rng.normal(size=etas.size)])
ye = np.array([0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0], dtype=float)
cases.append(scalar_case("logistic-extreme", "logistic", Xe, ye, np.array([1.0, 0.0]), 0.0, None))

Xp = rng.normal(scale=0.5, size=(n, d))
wp = rng.normal(scale=0.5, size=d)
yp = rng.poisson(np.exp(Xp @ wp + 0.1)).astype(float)
cases.append(scalar_case("poisson", "poisson", Xp, yp, wp, 0.1, None))
cases.append(scalar_case("poisson-weighted", "poisson", Xp, yp, wp, 0.1, s))

yh = X @ w + rng.standard_t(2, size=n)
cases.append(scalar_case("huber", "huber", X, yh, rng.normal(size=d), 0.2, None, delta=0.8))
cases.append(scalar_case("huber-weighted", "huber", X, yh, rng.normal(size=d), 0.2, s, delta=0.8))

k = 4
W = rng.normal(size=(d, k))
bk = rng.normal(size=k)
labels = rng.integers(0, k, size=n)
cases.append(softmax_case("softmax", X, labels, W, bk, None))
cases.append(softmax_case("softmax-weighted", X, labels, W, bk, s))

# Softmax with |eta| up to 700: one large column per row.
We = np.zeros((2, 3))
We[0] = [1.0, -1.0, 0.5]
Xs = np.column_stack([np.array([700.0, -700.0, 350.0, 1.0, -690.0, 600.0]), rng.normal(size=6)])
cases.append(softmax_case("softmax-extreme", Xs, np.array([0, 0, 2, 1, 1, 2]), We, np.zeros(3), None))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linear_model_losses.json")
with open(out, "w") as f:
    json.dump({"generator": "tests/reference/linear_model_losses.py", "mpmathDigits": mpmath.mp.dps, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {out}")
