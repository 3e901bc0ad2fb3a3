"""Coefficients of the polynomials in src/Gradients/Losses/Pointwise/VectorMath.cs (run: python3 this file).

Near-minimax polynomials by Chebyshev interpolation in 50-digit arithmetic (mpmath.chebyfit), printed lowest
degree first as C# literals that round-trip (17 significant digits):

* exp(r) on [-ln2/2, ln2/2], degree 11: the reduced argument of e^x = 2^k * e^r.
* h(z) = 2 atanh(sqrt z) / sqrt z on [0, 1/9], degree 10: log1p(t) = s * h(s^2) with s = t / (2 + t), which for
  t in [0, 1] keeps s in [0, 1/3].

The printed error is the interpolant's maximum error over the interval (mpmath's estimate); both are far below
one ulp of the function's value (exp(r) >= 0.70, h >= 2), so the coefficients' own rounding to double dominates.
"""
import mpmath as mp

mp.mp.dps = 50


def h(z):
    return mp.mpf(2) if z == 0 else 2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z)


for name, f, interval, degree in (
    ("ExpCoefficients", mp.exp, [-mp.log(2) / 2, mp.log(2) / 2], 11),
    ("Log1pCoefficients", h, [0, mp.mpf(1) / 9], 10),
):
    coefficients, error = mp.chebyfit(f, interval, degree + 1, error=True)
    print(f"// {name}: degree {degree}, max error {mp.nstr(error, 3)}")
    for c in reversed(coefficients):
        print(f"{mp.nstr(c, 17, strip_zeros=False, min_fixed=-1, max_fixed=1)},")
