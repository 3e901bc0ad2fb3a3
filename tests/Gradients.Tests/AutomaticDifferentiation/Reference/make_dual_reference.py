#!/usr/bin/env python3
"""True derivatives of every differentiable Dual<T> member, for DualReferenceTests (double duals).

Writes dual-derivatives.csv: for each member, POINTS points drawn (fixed seed) over the member's domain, and the
exact derivative (each partial, for two-argument members) at the double point, computed by mpmath at 160 bits and
stored as a double-double (hi + lo, hi = the derivative rounded to double, lo = the rest rounded), so the test can
measure the double tangent's error in ulps without the reference's own rounding. Every number is written as the
16 hex digits of its IEEE 754 bits, which round-trips exactly.

Run (Debian: apt-get install -y python3-mpmath), from this folder:  python3 make_dual_reference.py
Columns: member, a, b, da_hi, da_lo, db_hi, db_lo, p_hi, p_lo (b, db_* are 0 for one-argument members; p is the
true primal, given where the rule computes the derivative from the library's primal result, so the test can charge
that result's own error to the library: Cbrt and RootN5; 0 elsewhere). A zero is written as 0.
Points where a derivative or the primal is not a finite normal double are skipped (and drawn again).
"""
import math
import random
import struct

import mpmath
from mpmath import mp, mpf

mp.prec = 160
POINTS = 400
SEED = 20261206


def bits(x: float) -> str:
    return "0" if x == 0 and math.copysign(1, x) > 0 else struct.pack(">d", x).hex()


def double_double(v):
    hi = float(v)  # mpmath rounds to nearest
    lo = float(v - mpf(hi))
    return hi, lo


def uniform(r, lo, hi):
    return lo + (hi - lo) * r.random()


def log_uniform(r, lo, hi):
    return math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * r.random())


def signed_log_uniform(r, lo, hi):
    return (-1 if r.random() < 0.5 else 1) * log_uniform(r, lo, hi)


def one_plus(r):
    return uniform(r, -0.999999, 1) if r.random() < 0.5 else log_uniform(r, 1, 1e300)


LN2, LN10, PI = mp.log(2), mp.log(10), mp.pi


def sign(x):
    return 1 if x > 0 else -1


# name -> (sampler, derivative as a function of the exact mpf argument)
UNARY = {
    "Exp": (lambda r: uniform(r, -700, 700), lambda x: mp.exp(x)),
    "Exp2": (lambda r: uniform(r, -1000, 1000), lambda x: mp.power(2, x) * LN2),
    "Exp10": (lambda r: uniform(r, -300, 300), lambda x: mp.power(10, x) * LN10),
    "ExpM1": (lambda r: uniform(r, -700, 700), lambda x: mp.exp(x)),
    "Exp2M1": (lambda r: uniform(r, -1000, 1000), lambda x: mp.power(2, x) * LN2),
    "Exp10M1": (lambda r: uniform(r, -300, 300), lambda x: mp.power(10, x) * LN10),
    "Log": (lambda r: log_uniform(r, 1e-300, 1e300), lambda x: 1 / x),
    "Log2": (lambda r: log_uniform(r, 1e-300, 1e300), lambda x: 1 / (x * LN2)),
    "Log10": (lambda r: log_uniform(r, 1e-300, 1e300), lambda x: 1 / (x * LN10)),
    "LogP1": (one_plus, lambda x: 1 / (1 + x)),
    "Log2P1": (one_plus, lambda x: 1 / ((1 + x) * LN2)),
    "Log10P1": (one_plus, lambda x: 1 / ((1 + x) * LN10)),
    "Sqrt": (lambda r: log_uniform(r, 1e-300, 1e300), lambda x: 1 / (2 * mp.sqrt(x))),
    "Cbrt": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: 1 / (3 * mp.cbrt(abs(x)) ** 2)),
    "RootN5": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: mp.root(abs(x), 5) / (5 * abs(x))),
    "Sin": (lambda r: uniform(r, -100, 100), lambda x: mp.cos(x)),
    "Cos": (lambda r: uniform(r, -100, 100), lambda x: -mp.sin(x)),
    "Tan": (lambda r: uniform(r, -100, 100), lambda x: 1 / mp.cos(x) ** 2),
    "SinPi": (lambda r: uniform(r, -10, 10), lambda x: PI * mp.cospi(x)),
    "CosPi": (lambda r: uniform(r, -10, 10), lambda x: -PI * mp.sinpi(x)),
    "TanPi": (lambda r: uniform(r, -10, 10), lambda x: PI / mp.cospi(x) ** 2),
    "Asin": (lambda r: uniform(r, -1, 1), lambda x: 1 / mp.sqrt((1 - x) * (1 + x))),
    "Acos": (lambda r: uniform(r, -1, 1), lambda x: -1 / mp.sqrt((1 - x) * (1 + x))),
    "Atan": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: 1 / (1 + x * x)),
    "AsinPi": (lambda r: uniform(r, -1, 1), lambda x: 1 / (PI * mp.sqrt((1 - x) * (1 + x)))),
    "AcosPi": (lambda r: uniform(r, -1, 1), lambda x: -1 / (PI * mp.sqrt((1 - x) * (1 + x)))),
    "AtanPi": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: 1 / (PI * (1 + x * x))),
    "Sinh": (lambda r: uniform(r, -700, 700), lambda x: mp.cosh(x)),
    "Cosh": (lambda r: uniform(r, -700, 700), lambda x: mp.sinh(x)),
    "Tanh": (lambda r: uniform(r, -300, 300), lambda x: 1 / mp.cosh(x) ** 2),
    "Asinh": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: 1 / mp.sqrt(x * x + 1)),
    "Acosh": (lambda r: 1 + log_uniform(r, 1e-12, 1e150), lambda x: 1 / (mp.sqrt(x - 1) * mp.sqrt(x + 1))),
    "Atanh": (lambda r: uniform(r, -1, 1), lambda x: 1 / ((1 - x) * (1 + x))),
    "Abs": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: mpf(sign(x))),
    "BitIncrement": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: mpf(1)),
    "BitDecrement": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: mpf(1)),
    "DegreesToRadians": (lambda r: uniform(r, -720, 720), lambda x: PI / 180),
    "RadiansToDegrees": (lambda r: uniform(r, -10, 10), lambda x: 180 / PI),
    "ReciprocalEstimate": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: -1 / (x * x)),
    "ReciprocalSqrtEstimate": (lambda r: log_uniform(r, 1e-150, 1e150), lambda x: -1 / (2 * x * mp.sqrt(x))),
    "ScaleB3": (lambda r: signed_log_uniform(r, 1e-300, 1e300), lambda x: mpf(8)),
    "Square": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: 2 * x),
    "Reciprocal": (lambda r: signed_log_uniform(r, 1e-150, 1e150), lambda x: -1 / (x * x)),
}

# name -> (sampler of (a, b), da, db)
BINARY = {
    "Pow": (lambda r: (log_uniform(r, 1e-3, 1e3), uniform(r, -5, 5)),
            lambda x, y: y * mp.power(x, y - 1), lambda x, y: mp.power(x, y) * mp.log(x)),
    "Atan2": (lambda r: (signed_log_uniform(r, 1e-100, 1e100), signed_log_uniform(r, 1e-100, 1e100)),
              lambda y, x: x / (x * x + y * y), lambda y, x: -y / (x * x + y * y)),
    "Atan2Pi": (lambda r: (signed_log_uniform(r, 1e-100, 1e100), signed_log_uniform(r, 1e-100, 1e100)),
                lambda y, x: x / (PI * (x * x + y * y)), lambda y, x: -y / (PI * (x * x + y * y))),
    "Hypot": (lambda r: (signed_log_uniform(r, 1e-100, 1e100), signed_log_uniform(r, 1e-100, 1e100)),
              lambda x, y: x / mp.sqrt(x * x + y * y), lambda x, y: y / mp.sqrt(x * x + y * y)),
    "LogBase": (lambda r: (log_uniform(r, 1e-300, 1e300), uniform(r, 2, 100)),
                lambda x, b: 1 / (x * mp.log(b)), lambda x, b: -mp.log(x) / (b * mp.log(b) ** 2)),
    "Multiply": (lambda r: (signed_log_uniform(r, 1e-150, 1e150), signed_log_uniform(r, 1e-150, 1e150)),
                 lambda a, b: b, lambda a, b: a),
    "Divide": (lambda r: (signed_log_uniform(r, 1e-100, 1e100), signed_log_uniform(r, 1e-100, 1e100)),
               lambda a, b: 1 / b, lambda a, b: -a / (b * b)),
    "FusedMultiplyAdd": (lambda r: (signed_log_uniform(r, 1e-150, 1e150), signed_log_uniform(r, 1e-150, 1e150)),
                         lambda a, b: b, lambda a, b: a),
    "Lerp": (lambda r: (uniform(r, -100, 100), uniform(r, 0, 1)), lambda a, t: 1 - t, lambda a, t: 10 - a),
    "CopySign": (lambda r: (signed_log_uniform(r, 1e-150, 1e150), signed_log_uniform(r, 1e-150, 1e150)),
                 lambda a, s: mpf(1 if sign(a) == sign(s) else -1), lambda a, s: mpf(0)),
}


def usable(v) -> bool:
    """A derivative the test can judge: a finite normal double, or exactly 0."""
    if v == 0:
        return True
    if not mp.isfinite(v):
        return False
    return 2.0 ** -1022 <= abs(v) < mpf(2) ** 1024 * (1 - mpf(2) ** -54)


# The true primal of the members whose derivative rule reuses the library's primal result.
PRIMAL = {
    "Cbrt": lambda x: mp.sign(x) * mp.cbrt(abs(x)),
    "RootN5": lambda x: mp.sign(x) * mp.root(abs(x), 5),
}


def main():
    rows = []
    rng = random.Random(SEED)
    for name, (sample, derivative) in UNARY.items():
        count = 0
        while count < POINTS:
            x = sample(rng)
            d = derivative(mpf(x))
            if not math.isfinite(x) or not usable(d):
                continue
            hi, lo = double_double(d)
            p_hi, p_lo = double_double(PRIMAL[name](mpf(x))) if name in PRIMAL else (0.0, 0.0)
            rows.append(f"{name},{bits(x)},0,{bits(hi)},{bits(lo)},0,0,{bits(p_hi)},{bits(p_lo)}")
            count += 1
    for name, (sample, da, db) in BINARY.items():
        count = 0
        while count < POINTS:
            a, b = sample(rng)
            va, vb = da(mpf(a), mpf(b)), db(mpf(a), mpf(b))
            if not usable(va) or not usable(vb):
                continue
            a_hi, a_lo = double_double(va)
            b_hi, b_lo = double_double(vb)
            rows.append(f"{name},{bits(a)},{bits(b)},{bits(a_hi)},{bits(a_lo)},{bits(b_hi)},{bits(b_lo)},0,0")
            count += 1
    with open("dual-derivatives.csv", "w", encoding="ascii", newline="\n") as out:
        out.write(f"# made by make_dual_reference.py (mpmath {mpmath.__version__}, {mp.prec} bits, seed {SEED}, {POINTS} points per member)\n")
        out.write("member,a,b,da_hi,da_lo,db_hi,db_lo,p_hi,p_lo\n")
        out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
