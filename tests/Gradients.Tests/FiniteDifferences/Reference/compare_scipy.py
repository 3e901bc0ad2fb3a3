#!/usr/bin/env python3
"""Runs SciPy's approx_derivative on the committed reference cases (derivatives.csv, double columns) and prints its
per-band median / p90 relative error and failure count, in the layout of docs/accuracy.md.

Run with Debian's python3-scipy and python3-numpy (apt-get install python3-scipy; bookworm has SciPy 1.10.1):

    /usr/bin/python3 compare_scipy.py > scipy-bands.md

The functions are built as ReferenceSet.Build builds them in C# (g(x / s) in float64, Rosenbrock along one coordinate),
at the double point of each case. A failure is a relative error above 1e-2, a non-finite result, or an exception (a
stencil point outside f's domain gives NaN and a RuntimeWarning, which counts as a failure). numdifftools is not
packaged in Debian, so only its published medians are quoted beside these.
"""
import csv
import os
import warnings

import numpy as np
from scipy.optimize._numdiff import approx_derivative

HERE = os.path.dirname(os.path.abspath(__file__))
BANDS = [-8, -4, 0, 4, 8]


def build(name, s, other, component):
    g = {
        "exp": lambda x: np.exp(x / s),
        "log": lambda x: np.log(x / s),
        "sqrt": lambda x: np.sqrt(x / s),
        "sin": lambda x: np.sin(x / s),
        "cos": lambda x: np.cos(x / s),
        "tan": lambda x: np.tan(x / s),
        "cube": lambda x: x / s * (x / s) * (x / s),
        "pow2.5": lambda x: np.power(x / s, 2.5),
        "inverse": lambda x: 1.0 / (x / s),
        "tanh": lambda x: np.tanh(x / s),
    }
    if name == "rosenbrock":
        if component == 0:
            return lambda x: (1.0 - x) * (1.0 - x) + 100.0 * (other - x * x) * (other - x * x)
        return lambda y: (1.0 - other) * (1.0 - other) + 100.0 * (y - other * other) * (y - other * other)
    return g[name]


def main():
    with open(os.path.join(HERE, "derivatives.csv"), newline="") as handle:
        rows = list(csv.DictReader(handle))
    methods = ["2-point", "3-point"]
    errors = {m: {b: [] for b in BANDS} for m in methods}
    failures = {m: {b: 0 for b in BANDS} for m in methods}
    cases = {b: 0 for b in BANDS}
    for row in rows:
        if row["double_derivative"] == "":
            continue
        band = int(row["band"])
        component = int(row["component"])
        x0 = float(row["double_x0"])
        x1 = float(row["double_x1"]) if row["double_x1"] else 0.0
        point, other = (x0, x1) if component == 0 else (x1, x0)
        exact = float(row["double_derivative"])
        f = build(row["function"], np.float64(float(row["scale"])), np.float64(other), component)
        cases[band] += 1
        for method in methods:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = np.ravel(approx_derivative(lambda v: f(v[0]), np.array([point]), method=method))[0]
                error = abs(value - exact) / abs(exact) if np.isfinite(value) else np.inf
            except (ValueError, FloatingPointError, ZeroDivisionError, OverflowError):
                error = np.inf
            errors[method][band].append(error)
            if not error <= 1e-2:
                failures[method][band] += 1

    def fmt(v):
        return "∞" if not np.isfinite(v) else f"{v:.1E}".replace("E-0", "E-").replace("E+0", "E+")

    print(f"SciPy {__import__('scipy').__version__} approx_derivative (default steps) on the double reference cases")
    print()
    print("| band \\|x\\| | cases | 2-point median / p90 / fail | 3-point median / p90 / fail |")
    print("|---|---|---|---|")
    for b in BANDS:
        cells = []
        for method in methods:
            e = np.array(errors[method][b])
            cells.append(f"{fmt(np.median(e))} / {fmt(np.sort(e)[min(len(e) - 1, int(0.9 * len(e)))])} / {failures[method][b]}")
        print(f"| 1e{b} | {cases[b]} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
