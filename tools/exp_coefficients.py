"""Coefficients of q in Sources/InferKit/Core/Exponential.swift: a near-minimax (Chebyshev)
fit of degree 9 to q(r) = (e^r - 1 - r) / r^2 on |r| <= ln2/2, and the worst relative error
of 1 + r + r^2 q(r) with the coefficients rounded to double (exact arithmetic otherwise).
Needs mpmath."""
import mpmath as mp

mp.mp.dps = 50
half = mp.log(2) / 2


def q(r):
    return mp.mpf(1) / 2 if abs(r) < mp.mpf("1e-20") else (mp.exp(r) - 1 - r) / r**2


poly = mp.chebyfit(q, [-half * 1.0001, half * 1.0001], 10)  # highest power first
coefficients = [float(c) for c in poly]
worst = 0
for i in range(2001):
    r = -half + 2 * half * i / 2000
    p = mp.mpf(0)
    for c in coefficients:
        p = p * r + mp.mpf(c)
    worst = max(worst, abs((1 + r + r * r * p) / mp.exp(r) - 1))
for k, c in enumerate(reversed(coefficients)):
    print(f"c{k} = {c!r}")
print(f"worst relative error {float(worst):.3g} ({float(worst / mp.mpf(2) ** -53):.3f} of half an ulp)")
