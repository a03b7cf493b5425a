#!/usr/bin/env python3
"""A short tour of InferKit (run with `make demo`).

Prints results for each method that exists today and, when matplotlib is installed, writes
PNG figures to demo-output/.
"""
import json
import math
import os
import time

import numpy as np

import inferkit

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(REPO, "demo-output")
SHARED = os.environ.get("INFERKIT_SHARED", os.path.join(REPO, "..", "shared"))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:  # the tour still prints everything
    plt = None


def lre(est, cert):
    """Digits of agreement with a certified value (NIST's log relative error)."""
    if est == cert:
        return 15.0
    v = -math.log10(abs(est - cert) / abs(cert)) if cert else -math.log10(abs(est))
    return max(0.0, min(15.0, v))


def section(title):
    print()
    print(title)
    print("-" * len(title))


def weighted_line():
    section("1. Weighted straight line with honest uncertainties (the lecture's OLS)")
    rng = np.random.default_rng(1)
    x = np.linspace(0, 10, 12)
    sigma = 0.3 + 0.1 * rng.random(x.size)
    y = 1.2 + 0.7 * x + rng.normal(0, sigma)
    A = inferkit.design_matrix("monomial", x, 1)
    fit = inferkit.lstsq(A, y, sigma=sigma, absolute_sigma=True)
    for name, v, e in zip(("intercept", "slope"), fit.params, fit.stderr):
        print(f"  {name:9s} = {v:8.4f} +/- {e:.4f}")
    print(f"  chi2 = {fit.chi2:.2f} for {fit.dof} degrees of freedom, R^2 = {fit.r2:.4f}")
    print(f"  correlation(intercept, slope) = {fit.corr[0, 1]:+.3f}")
    if plt:
        xs = np.linspace(-1, 11, 200)
        As = inferkit.design_matrix("monomial", xs, 1)
        mean, std = fit.predict(As), fit.predict_std(As)
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.errorbar(x, y, sigma, fmt="o", label="data")
        ax.plot(xs, mean, label="fit")
        ax.fill_between(xs, mean - 2 * std, mean + 2 * std, alpha=0.3, label="2-sigma band")
        ax.set_xlabel("x"), ax.set_ylabel("y"), ax.legend()
        fig.savefig(os.path.join(OUT, "1_weighted_line.png"), dpi=100)
        plt.close(fig)


def nist_filip():
    section("2. NIST StRD Filip: a degree-10 polynomial that defeats lstsq on raw powers")
    path = os.path.join(SHARED, "reference", "nist", "linear", "Filip.json")
    if not os.path.exists(path):
        print(f"  (skipped: {path} not found)")
        return
    with open(path) as f:
        d = json.load(f)
    x, y = np.array(d["x"]), np.array(d["y"])
    cert, cert_se = d["certified_values"], d["certified_std_errors"]
    fit = inferkit.polyfit(x, y, 10)
    raw = np.linalg.lstsq(np.vander(x, 11, increasing=True), y, rcond=None)
    poly = np.polynomial.Polynomial.fit(x, y, 10).convert().coef
    print("  minimum digits correct over the 11 coefficients:")
    print(f"    numpy.linalg.lstsq on raw powers  {min(lre(a, b) for a, b in zip(raw[0], cert)):5.1f}"
          f"   (rank {raw[2]} of 11)")
    print(f"    numpy Polynomial.fit().convert()  {min(lre(a, b) for a, b in zip(poly, cert)):5.1f}")
    print(f"    inferkit.polyfit                  {min(lre(a, b) for a, b in zip(fit.params, cert)):5.1f}"
          f"   standard errors {min(lre(a, b) for a, b in zip(fit.stderr, cert_se)):5.1f}")
    if plt:
        xs = np.linspace(x.min(), x.max(), 400)
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(x, y, ".", label="Filip data")
        ax.plot(xs, fit.predict(xs), label="inferkit.polyfit, degree 10")
        ax.fill_between(xs, fit.predict(xs) - 2 * fit.predict_std(xs),
                        fit.predict(xs) + 2 * fit.predict_std(xs), alpha=0.3)
        ax.set_xlabel("x"), ax.set_ylabel("y"), ax.legend()
        fig.savefig(os.path.join(OUT, "2_nist_filip.png"), dpi=100)
        plt.close(fig)


def spectral():
    section("3. Least-squares spectral analysis of unevenly sampled data (the lecture's LSSA)")
    rng = np.random.default_rng(7)
    t = np.sort(rng.uniform(0, 20, 150))
    period = 20.0
    truth = 1.0 + 0.8 * np.cos(2 * np.pi * 3 * t / period) + 0.5 * np.sin(2 * np.pi * 5 * t / period)
    y = truth + rng.normal(0, 0.2, t.size)
    fit = inferkit.polyfit(t, y, 8, basis="fourier", period=period, sigma=np.full(t.size, 0.2),
                           absolute_sigma=True)
    amp = np.hypot(fit.params[1::2], fit.params[2::2])
    print("  mode  amplitude  +/- (largest error of its cos/sin pair)")
    for k in range(1, 9):
        err = max(fit.stderr[2 * k - 1], fit.stderr[2 * k])
        print(f"  {k:4d}  {amp[k - 1]:9.3f}  {err:.3f}")
    print(f"  chi2/dof = {fit.chi2 / fit.dof:.2f} (expected about 1)")
    if plt:
        ts = np.linspace(0, 20, 600)
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(6, 6))
        a1.plot(t, y, ".", label="data")
        a1.plot(ts, fit.predict(ts), label="LSSA fit, 8 modes")
        a1.set_xlabel("t"), a1.legend()
        a2.bar(np.arange(1, 9), amp)
        a2.set_xlabel("mode k (period 20/k)"), a2.set_ylabel("amplitude")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "3_lssa.png"), dpi=100)
        plt.close(fig)


def many_pixels():
    section("4. One basis, many right-hand sides: every pixel of an image in one call")
    rng = np.random.default_rng(3)
    t = np.linspace(0, 1, 64)
    npix = 256 * 256
    coef = rng.normal(size=(4, npix))
    A = inferkit.design_matrix("legendre", t, 3)
    Y = A @ coef + rng.normal(0, 0.05, (t.size, npix))
    t0 = time.perf_counter()
    fit = inferkit.lstsq(A, Y, sigma=np.full(t.size, 0.05), absolute_sigma=True)
    dt = time.perf_counter() - t0
    err = np.abs(fit.params - coef).max()
    print(f"  {npix} pixels x {t.size} samples, cubic Legendre basis: {dt * 1e3:.0f} ms,"
          f" max |theta - truth| = {err:.3f}")
    pulls = (fit.params - coef) / fit.stderr
    print(f"  pulls (theta - truth)/stderr: mean {pulls.mean():+.3f}, sd {pulls.std():.3f} (expected 0, 1)")


def main():
    print(f"InferKit {inferkit.__version__}: a tour")
    if plt:
        os.makedirs(OUT, exist_ok=True)
    weighted_line()
    nist_filip()
    spectral()
    many_pixels()
    print()
    print(f"figures written to {OUT}" if plt else "(install matplotlib for figures)")


if __name__ == "__main__":
    main()
