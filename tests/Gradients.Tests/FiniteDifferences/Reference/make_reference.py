#!/usr/bin/env python3
"""Writes derivatives.csv: exact first derivatives of the classic test functions, from mpmath at 60 digits.

Run once with Debian's python3-mpmath and python3-numpy (apt-get install python3-mpmath python3-numpy):

    /usr/bin/python3 make_reference.py > derivatives.csv

Every case is g(x / s) for a classic g and a scale s (a power of ten), at a point x in one of the magnitude bands
|x| ~ 1e-8, 1e-4, 1, 1e4, 1e8, plus Rosenbrock's gradient (two rows per point). The derivative is computed at the
point and scale exactly as the program holds them: x and s rounded to double (columns double_*) and to float
(columns float_*), so the columns are the exact derivative of the function the C# code evaluates, up to the
rounding of each evaluation. A case is left out for a type when f or f' at the point overflows or underflows it.

Columns: band (the exponent b of the band), function, scale, x0, x1 (Rosenbrock only), component,
double_x0, double_x1, double_derivative, float_x0, float_x1, float_derivative (empty when left out).
"""
import numpy as np
import mpmath as mp

mp.mp.dps = 60

BANDS = [-8, -4, 0, 4, 8]
MANTISSAS = [1.3, 3.7, 7.1]
SCALED_T = [0.37, 1.3, 2.9]

# name: (g, g', domain test on t = x/s)
FUNCTIONS = {
    "exp": (mp.exp, mp.exp, lambda t: True),
    "log": (mp.log, lambda t: 1 / t, lambda t: t > 0),
    "sqrt": (mp.sqrt, lambda t: 1 / (2 * mp.sqrt(t)), lambda t: t > 0),
    "sin": (mp.sin, mp.cos, lambda t: True),
    "cos": (mp.cos, lambda t: -mp.sin(t), lambda t: True),
    "tan": (mp.tan, lambda t: 1 / mp.cos(t) ** 2, lambda t: True),
    "cube": (lambda t: t**3, lambda t: 3 * t**2, lambda t: True),
    "pow2.5": (lambda t: t ** mp.mpf(2.5), lambda t: mp.mpf(2.5) * t ** mp.mpf(1.5), lambda t: t > 0),
    "inverse": (lambda t: 1 / t, lambda t: -1 / t**2, lambda t: True),
    "tanh": (mp.tanh, lambda t: 1 / mp.cosh(t) ** 2, lambda t: True),
}

LIMITS = {"double": (np.float64, 1e300, 1e-290), "float": (np.float32, 1e37, 1e-30)}


def representable(value, kind):
    """value rounded to the type (as an mpf holding the exact binary value), or None when out of range."""
    dtype, big, small = LIMITS[kind]
    with np.errstate(over="ignore", under="ignore"):
        rounded = dtype(value)
    if not np.isfinite(rounded) or rounded == 0 and value != 0:
        return None
    return mp.mpf(float(rounded))


def derivative_1d(name, s, x, kind):
    g, dg, domain = FUNCTIONS[name]
    _, big, small = LIMITS[kind]
    xr = representable(x, kind)
    sr = representable(s, kind)
    if xr is None or sr is None:
        return None, None
    t = xr / sr
    if not domain(t):
        return None, None
    try:
        value = g(t)
        slope = dg(t) / sr
    except (ZeroDivisionError, ValueError):
        return None, None
    if not (abs(value) < big and small < abs(slope) < big):
        return None, None
    return xr, slope


def rosenbrock_gradient(x0, x1):
    return (-2 * (1 - x0) - 400 * x0 * (x1 - x0**2), 200 * (x1 - x0**2))


def cases():
    for band in BANDS:
        for m in MANTISSAS:
            for sign in (1, -1):
                x = sign * m * 10.0**band
                # The classic functions at s = 1.
                for name in FUNCTIONS:
                    yield band, name, 1.0, x
        for t in SCALED_T:
            for sign in (1, -1):
                s = 10.0**band
                # f varies on the scale of |x| ...
                for name in FUNCTIONS:
                    yield band, name, s, sign * t * s
                # ... and 1000 times faster or slower than |x|.
                for name in ("exp", "sin", "tanh", "log"):
                    yield band, name, s * 1e-3, sign * t * s
                    yield band, name, s * 1e3, sign * t * s
    # The four cases of issue 14 that a relative step misses.
    yield -8, "sin", 1e-6, 1e-7
    yield -4, "tanh", 1e-4, 5e-5
    yield -8, "inverse", 1.0, 1e-8
    yield -8, "log", 1.0, 1e-6


def main():
    print("band,function,scale,x0,x1,component,double_x0,double_x1,double_derivative,float_x0,float_x1,float_derivative")
    for band, name, s, x in cases():
        cells = [str(band), name, repr(s), repr(x), "", "0"]
        for kind in ("double", "float"):
            xr, slope = derivative_1d(name, s, x, kind)
            cells += ["", "", ""] if xr is None else [mp.nstr(xr, 25), "", mp.nstr(slope, 25)]
        if cells[8] or cells[11]:
            print(",".join(cells))
    for band in BANDS:
        for m in MANTISSAS:
            x0, x1 = m * 10.0**band, -0.7 * m * 10.0**band
            for component in (0, 1):
                cells = [str(band), "rosenbrock", "1.0", repr(x0), repr(x1), str(component)]
                for kind in ("double", "float"):
                    a, b = representable(x0, kind), representable(x1, kind)
                    gradient = rosenbrock_gradient(a, b)[component] if a is not None and b is not None else None
                    _, big, small = LIMITS[kind]
                    if gradient is None or not (small < abs(gradient) < big):
                        cells += ["", "", ""]
                    else:
                        cells += [mp.nstr(a, 25), mp.nstr(b, 25), mp.nstr(gradient, 25)]
                print(",".join(cells))


if __name__ == "__main__":
    main()
