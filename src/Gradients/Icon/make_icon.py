#!/usr/bin/env python3
"""Draws the package icon, icon.png (128x128): filled contours of f(x, y) = x^2 + 5y^2, the library's first
example, and the gradient arrow at p = (1, 0.5). Standard library only (zlib + struct), 4x4 supersampling.

    python3 src/Gradients/Icon/make_icon.py    # rewrites src/Gradients/Icon/icon.png
"""
import math
import os
import struct
import zlib

SIZE = 128
SAMPLES = 4
EXTENT = 1.6  # the icon shows [-EXTENT, EXTENT]^2

# Colours from the centre (low f) outwards (high f): light to deep blue.
RAMP = [(235, 245, 255), (170, 210, 245), (100, 165, 230), (45, 110, 200), (20, 60, 140)]
LINE = (15, 40, 90)
ARROW = (230, 80, 40)


def f(x, y):
    return x * x + 5 * y * y


def ramp(t):
    t = min(max(t, 0.0), 1.0) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    u = t - i
    return tuple(RAMP[i][c] * (1 - u) + RAMP[i + 1][c] * u for c in range(3))


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def in_triangle(px, py, a, b, c):
    def side(p1, p2):
        return (px - p2[0]) * (p1[1] - p2[1]) - (p1[0] - p2[0]) * (py - p2[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


# The arrow: from p = (1, 0.5) along the gradient (2, 5), shortened to fit the icon.
P = (0.55, 0.28)
G = (2.0, 5.0)
LENGTH = 0.95
norm = math.hypot(*G)
ux, uy = G[0] / norm, G[1] / norm
TIP = (P[0] + LENGTH * ux, P[1] + LENGTH * uy)
HEAD = 0.32
BASE = (TIP[0] - HEAD * ux, TIP[1] - HEAD * uy)
WING = (-uy * 0.17, ux * 0.17)
TRIANGLE = (TIP, (BASE[0] + WING[0], BASE[1] + WING[1]), (BASE[0] - WING[0], BASE[1] - WING[1]))


def colour(x, y):
    if segment_distance(x, y, P[0], P[1], BASE[0], BASE[1]) < 0.055 or in_triangle(x, y, *TRIANGLE):
        return ARROW
    if math.hypot(x - P[0], y - P[1]) < 0.09:
        return ARROW
    value = f(x, y)
    level = math.sqrt(value)  # contour lines equally spaced in sqrt(f): evenly spaced ellipses
    if abs(level - round(level / 0.4) * 0.4) < 0.022 and level > 0.2:
        return LINE
    return ramp(level / (EXTENT * math.sqrt(5)))


def pixel(i, j):
    total = [0.0, 0.0, 0.0]
    for si in range(SAMPLES):
        for sj in range(SAMPLES):
            x = -EXTENT + 2 * EXTENT * (j + (sj + 0.5) / SAMPLES) / SIZE
            y = EXTENT - 2 * EXTENT * (i + (si + 0.5) / SAMPLES) / SIZE
            c = colour(x, y)
            for k in range(3):
                total[k] += c[k]
    return bytes(int(round(t / SAMPLES ** 2)) for t in total)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    rows = b"".join(b"\x00" + b"".join(pixel(i, j) for j in range(SIZE)) for i in range(SIZE))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 9))
           + chunk(b"IEND", b""))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(path, "wb") as file:
        file.write(png)
    print(f"wrote {path} ({len(png)} bytes)")


if __name__ == "__main__":
    main()
