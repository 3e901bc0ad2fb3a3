"""The exact one-sided Mann–Whitney test the gate uses (MannWhitney.PValueGreater), for the study scripts."""
import math
from functools import lru_cache


@lru_cache(None)
def count(m, n, k):  # arrangements of m + n values with Mann-Whitney U = k
    if k < 0:
        return 0
    if m == 0 or n == 0:
        return 1 if k == 0 else 0
    return count(m - 1, n, k - n) + count(m, n - 1, k)


@lru_cache(None)
def tail(m, n, twice_u):  # exact P(U >= u)
    return sum(count(m, n, k) for k in range(math.ceil(twice_u / 2), m * n + 1)) / math.comb(m + n, m)


def p_greater(a, b):  # one-sided: b larger than a
    return tail(len(a), len(b), sum(2 if y > x else 1 if y == x else 0 for x in a for y in b))
