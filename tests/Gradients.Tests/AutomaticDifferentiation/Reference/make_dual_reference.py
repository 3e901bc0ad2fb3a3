#!/usr/bin/env python3
"""True derivatives of every differentiable Dual<T> member, for DualReferenceTests (double duals).

Writes dual-derivatives.bin.gz: for each member, POINTS usable points over the member's domain and the exact
derivative (each partial, for two-argument members) at the double point, computed by mpmath at 160 bits.

The points are not stored: they come from a splitmix64 stream per member (seeded with SEED xor the FNV-1a hash of the
member's name) through one of five samplers whose every step is an exact integer operation or one correctly rounded
IEEE 754 double operation, so the test draws the very same doubles (DualReferenceTable.cs mirrors the samplers, and
the file carries a hash of the points to prove it). A derivative is stored as its value rounded to double (hi) and
the rest, lo = true - hi, in units of 2^-15 ulp(hi) as an int16 (|lo| <= ulp/2, so the rest is known to 2^-16 ulp):
the test measures the double tangent's error in ulps without the reference's own rounding, in 10 bytes a partial.

Run (Debian: apt-get install -y python3-mpmath), from this folder:  python3 make_dual_reference.py

Format (little-endian, then gzip): b"GDR1", uint16 length + ASCII note, int32 member count; per member: uint8 name
length + ASCII name, uint8 arity (1 or 2), per argument (uint8 sampler, float64 lo, float64 hi), uint8 has-primal,
int32 draws, uint64 point hash; then per draw, per argument's partial (float64 hi, int16 lo) and, with has-primal,
the true primal the same way (given where the rule reuses the library's primal result, so the test can charge that
result's own error to the library: Cbrt and RootN5, and TanPi's cos(πx)). A draw whose derivative (or primal) is not a finite normal
double or exactly 0 is written with NaN as its first hi and skipped by the test; draws continue until POINTS are
usable.
"""
import gzip
import math
import struct
import sys

import mpmath
from mpmath import mp, mpf

mp.prec = 160
POINTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000  # points per member; a smaller count for a quick try
SEED = 20261206
MASK = (1 << 64) - 1

# Samplers: every step exact or one correctly rounded double operation (mirrored in DualReferenceTable.cs).
UNIFORM, LOG_UNIFORM, SIGNED_LOG_UNIFORM, ONE_PLUS, ONE_PLUS_LOG_UNIFORM = range(5)


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return h


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self) -> float:
        return float(self.next() >> 11) * 2.0 ** -53  # [0, 1), exact

    def coin(self) -> bool:
        return (self.next() >> 63) == 1


def to_bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def from_bits(b: int) -> float:
    return struct.unpack("<d", struct.pack("<q", b))[0]


def log_uniform(r, lo, hi):
    """Uniform over the bit patterns of the positive doubles in [lo, hi]: log-uniform up to the binade's slope."""
    low, high = to_bits(lo), to_bits(hi)
    return from_bits(low + r.next() % (high - low + 1))


def sample(r, kind, lo, hi):
    if kind == UNIFORM:
        return lo + (hi - lo) * r.unit()
    if kind == LOG_UNIFORM:
        return log_uniform(r, lo, hi)
    if kind == SIGNED_LOG_UNIFORM:
        negative = r.coin()
        magnitude = log_uniform(r, lo, hi)
        return -magnitude if negative else magnitude
    if kind == ONE_PLUS:  # log1p's domain: (-1, 1) uniformly or [1, 1e300] log-uniformly
        return sample(r, UNIFORM, -0.999999, 1.0) if r.coin() else log_uniform(r, 1.0, 1e300)
    if kind == ONE_PLUS_LOG_UNIFORM:  # Acosh: 1 + (lo..hi)
        return 1.0 + log_uniform(r, lo, hi)
    raise ValueError(kind)


def U(lo, hi):
    return (UNIFORM, lo, hi)


def L(lo, hi):
    return (LOG_UNIFORM, lo, hi)


def S(lo, hi):
    return (SIGNED_LOG_UNIFORM, lo, hi)


LN2, LN10, PI = mp.log(2), mp.log(10), mp.pi
ONE_PLUS_DOMAIN = (ONE_PLUS, 0.0, 0.0)


def sign(x):
    return 1 if x > 0 else -1


# name -> (domain of x, derivative as a function of the exact mpf argument)
UNARY = {
    "Exp": (U(-700, 700), lambda x: mp.exp(x)),
    "Exp2": (U(-1000, 1000), lambda x: mp.power(2, x) * LN2),
    "Exp10": (U(-300, 300), lambda x: mp.power(10, x) * LN10),
    "ExpM1": (U(-700, 700), lambda x: mp.exp(x)),
    "Exp2M1": (U(-1000, 1000), lambda x: mp.power(2, x) * LN2),
    "Exp10M1": (U(-300, 300), lambda x: mp.power(10, x) * LN10),
    "Log": (L(1e-300, 1e300), lambda x: 1 / x),
    "Log2": (L(1e-300, 1e300), lambda x: 1 / (x * LN2)),
    "Log10": (L(1e-300, 1e300), lambda x: 1 / (x * LN10)),
    "LogP1": (ONE_PLUS_DOMAIN, lambda x: 1 / (1 + x)),
    "Log2P1": (ONE_PLUS_DOMAIN, lambda x: 1 / ((1 + x) * LN2)),
    "Log10P1": (ONE_PLUS_DOMAIN, lambda x: 1 / ((1 + x) * LN10)),
    "Sqrt": (L(1e-300, 1e300), lambda x: 1 / (2 * mp.sqrt(x))),
    "Cbrt": (S(1e-300, 1e300), lambda x: 1 / (3 * mp.cbrt(abs(x)) ** 2)),
    "RootN5": (S(1e-300, 1e300), lambda x: mp.root(abs(x), 5) / (5 * abs(x))),
    "Sin": (U(-100, 100), lambda x: mp.cos(x)),
    "Cos": (U(-100, 100), lambda x: -mp.sin(x)),
    "Tan": (U(-100, 100), lambda x: 1 / mp.cos(x) ** 2),
    "SinPi": (U(-10, 10), lambda x: PI * mp.cospi(x)),
    "CosPi": (U(-10, 10), lambda x: -PI * mp.sinpi(x)),
    "TanPi": (U(-10, 10), lambda x: PI / mp.cospi(x) ** 2),
    "Asin": (U(-1, 1), lambda x: 1 / mp.sqrt((1 - x) * (1 + x))),
    "Acos": (U(-1, 1), lambda x: -1 / mp.sqrt((1 - x) * (1 + x))),
    "Atan": (S(1e-150, 1e150), lambda x: 1 / (1 + x * x)),
    "AsinPi": (U(-1, 1), lambda x: 1 / (PI * mp.sqrt((1 - x) * (1 + x)))),
    "AcosPi": (U(-1, 1), lambda x: -1 / (PI * mp.sqrt((1 - x) * (1 + x)))),
    "AtanPi": (S(1e-150, 1e150), lambda x: 1 / (PI * (1 + x * x))),
    "Sinh": (U(-700, 700), lambda x: mp.cosh(x)),
    "Cosh": (U(-700, 700), lambda x: mp.sinh(x)),
    "Tanh": (U(-300, 300), lambda x: 1 / mp.cosh(x) ** 2),
    "Asinh": (S(1e-150, 1e150), lambda x: 1 / mp.sqrt(x * x + 1)),
    "Acosh": ((ONE_PLUS_LOG_UNIFORM, 1e-12, 1e150), lambda x: 1 / (mp.sqrt(x - 1) * mp.sqrt(x + 1))),
    "Atanh": (U(-1, 1), lambda x: 1 / ((1 - x) * (1 + x))),
    "Abs": (S(1e-300, 1e300), lambda x: mpf(sign(x))),
    "BitIncrement": (S(1e-300, 1e300), lambda x: mpf(1)),
    "BitDecrement": (S(1e-300, 1e300), lambda x: mpf(1)),
    "DegreesToRadians": (U(-720, 720), lambda x: PI / 180),
    "RadiansToDegrees": (U(-10, 10), lambda x: 180 / PI),
    "ReciprocalEstimate": (S(1e-150, 1e150), lambda x: -1 / (x * x)),
    "ReciprocalSqrtEstimate": (L(1e-150, 1e150), lambda x: -1 / (2 * x * mp.sqrt(x))),
    "ScaleB3": (S(1e-300, 1e300), lambda x: mpf(8)),
    "Square": (S(1e-150, 1e150), lambda x: 2 * x),
    "Reciprocal": (S(1e-150, 1e150), lambda x: -1 / (x * x)),
}

# name -> (domain of a, domain of b, da, db)
BINARY = {
    "Pow": (L(1e-3, 1e3), U(-5, 5), lambda x, y: y * mp.power(x, y - 1), lambda x, y: mp.power(x, y) * mp.log(x)),
    "Atan2": (S(1e-100, 1e100), S(1e-100, 1e100), lambda y, x: x / (x * x + y * y), lambda y, x: -y / (x * x + y * y)),
    "Atan2Pi": (S(1e-100, 1e100), S(1e-100, 1e100),
                lambda y, x: x / (PI * (x * x + y * y)), lambda y, x: -y / (PI * (x * x + y * y))),
    "Hypot": (S(1e-100, 1e100), S(1e-100, 1e100),
              lambda x, y: x / mp.sqrt(x * x + y * y), lambda x, y: y / mp.sqrt(x * x + y * y)),
    "LogBase": (L(1e-300, 1e300), U(2, 100), lambda x, b: 1 / (x * mp.log(b)), lambda x, b: -mp.log(x) / (b * mp.log(b) ** 2)),
    "Multiply": (S(1e-150, 1e150), S(1e-150, 1e150), lambda a, b: b, lambda a, b: a),
    "Divide": (S(1e-100, 1e100), S(1e-100, 1e100), lambda a, b: 1 / b, lambda a, b: -a / (b * b)),
    "FusedMultiplyAdd": (S(1e-150, 1e150), S(1e-150, 1e150), lambda a, b: b, lambda a, b: a),
    "Lerp": (U(-100, 100), U(0, 1), lambda a, t: 1 - t, lambda a, t: 10 - a),
    "CopySign": (S(1e-150, 1e150), S(1e-150, 1e150), lambda a, s: mpf(1 if sign(a) == sign(s) else -1), lambda a, s: mpf(0)),
}

# The true primal of the members whose derivative rule reuses the library's primal result.
PRIMAL = {
    "Cbrt": lambda x: mp.sign(x) * mp.cbrt(abs(x)),
    "RootN5": lambda x: mp.sign(x) * mp.root(abs(x), 5),
    "TanPi": lambda x: mp.cospi(x),  # the rule's π/cos²(πx) squares the library's CosPi
}


def usable(v) -> bool:
    """A derivative the test can judge: a finite normal double, or exactly 0."""
    if v == 0:
        return True
    if not mp.isfinite(v):
        return False
    return 2.0 ** -1022 <= abs(v) < mpf(2) ** 1024 * (1 - mpf(2) ** -54)


def encode(v) -> bytes:
    """hi = v rounded to double, then lo = v - hi in units of 2^-15 ulp(hi) (an int16: |lo| <= ulp(hi)/2)."""
    hi = float(v)  # mpmath rounds to nearest
    q = 0 if hi == 0 else int(mp.nint((v - mpf(hi)) / mpf(math.ulp(hi)) * 2 ** 15))
    assert -(2 ** 15) < q < 2 ** 15, (v, hi, q)
    return struct.pack("<dh", hi, q)


REJECTED = struct.pack("<dh", math.nan, 0)


def member(name, domains, partials, primal):
    """The member's header and records: draws until POINTS usable ones."""
    r = SplitMix64(SEED ^ fnv1a(name.encode("ascii")))
    point_hash = 0xCBF29CE484222325
    records = []
    usable_count = 0
    while usable_count < POINTS:
        args = [sample(r, *domain) for domain in domains]
        for a in args:
            point_hash = ((point_hash ^ (to_bits(a) & MASK)) * 0x100000001B3) & MASK
        exact = [mpf(a) for a in args]
        values = [d(*exact) for d in partials]
        if primal is not None:
            values.append(primal(*exact))
        if all(usable(v) for v in values):
            records.append(b"".join(encode(v) for v in values))
            usable_count += 1
        else:
            records.append(REJECTED * len(values))
    header = struct.pack("<B", len(name)) + name.encode("ascii") + struct.pack("<B", len(domains))
    for kind, lo, hi in domains:
        header += struct.pack("<Bdd", kind, lo, hi)
    header += struct.pack("<BiQ", 1 if primal is not None else 0, len(records), point_hash)
    print(f"{name}: {len(records)} draws", file=sys.stderr)
    return header + b"".join(records)


def main():
    parts = []
    for name, (domain, derivative) in UNARY.items():
        parts.append(member(name, [domain], [derivative], PRIMAL.get(name)))
    for name, (domain_a, domain_b, da, db) in BINARY.items():
        parts.append(member(name, [domain_a, domain_b], [da, db], None))
    note = (f"made by make_dual_reference.py (mpmath {mpmath.__version__}, {mp.prec} bits, seed {SEED}, "
            f"{POINTS} points per member)").encode("ascii")
    body = b"GDR1" + struct.pack("<H", len(note)) + note + struct.pack("<i", len(parts)) + b"".join(parts)
    # mtime=0: the same table gives the same bytes, so regenerating it leaves git clean.
    with open("dual-derivatives.bin.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as out:
        out.write(body)


if __name__ == "__main__":
    main()
