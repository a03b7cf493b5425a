#!/usr/bin/env python3
"""Workload 5 (spline_lsq) of shared/bench/WORKLOADS.md, by InferKit and scipy in one run:
(1) a cubic least-squares spline with 100 interior knots fitted to 100,000 sorted points
(scipy's make_lsq_spline by QR and by normal equations); (2) the smoothing spline of every
10th point with lambda chosen by generalised cross-validation (scipy's make_smoothing_spline).
Prints median times, ratios, and the agreement of the solutions. For (2) the penalised
objective sum (y - s)^2 + lam * integral s''^2 of each solution at the same lambda is printed
too: the lower one is the more accurate minimiser.
Run: make bench, or PYTHONPATH=bindings/python python3 bench/bench_splines.py
"""
import time

import numpy as np
import scipy
from scipy.interpolate import BSpline as scipy_bspline
from scipy.interpolate import make_lsq_spline as scipy_lsq
from scipy.interpolate import make_smoothing_spline as scipy_smoothing

import inferkit
from _timing import median_time



def objective(x, y, lam, c):
    """sum (y - s(x))^2 + lam * integral s''^2 for coefficients c on the smoothing knots
    (s'' is piecewise linear, so the integral is exact)."""
    t = np.r_[[x[0]] * 3, x, [x[-1]] * 3]
    s = scipy_bspline(t, c, 3)
    a, h = s(x, 2), np.diff(x)
    return float(np.sum((y - s(x)) ** 2) + lam * np.sum(h / 3 * (a[:-1] ** 2 + a[:-1] * a[1:] + a[1:] ** 2)))


def smoothing(x, y):
    """Part (2): GCV smoothing splines."""
    xs, ys = x[::10], y[::10]
    ours = inferkit.make_smoothing_spline(xs, ys)
    lam = ours.lam
    ref_same = scipy_smoothing(xs, ys, lam=lam)
    print(f"smoothing spline, n = {xs.size}, lambda by GCV: inferkit {lam:.6g}")
    print(f"  max |c - c_scipy| / max|c| at inferkit's lambda: "
          f"{np.abs(ours.c - ref_same.c).max() / np.abs(ref_same.c).max():.1e}")
    print(f"  objective at that lambda: inferkit {objective(xs, ys, lam, ours.c):.15g},"
          f" scipy {objective(xs, ys, lam, ref_same.c):.15g}")
    t_ours = median_time(lambda: inferkit.make_smoothing_spline(xs, ys), repeat=5)
    t0 = time.perf_counter()
    scipy_smoothing(xs, ys)
    t_scipy = time.perf_counter() - t0
    print(f"  scipy make_smoothing_spline (GCV)             {t_scipy * 1e3:8.1f} ms (one run)")
    print(f"  inferkit.make_smoothing_spline (GCV)          {t_ours * 1e3:8.1f} ms")
    print(f"ratio inferkit / scipy smoothing spline = {t_ours / t_scipy:.4f}  (goal <= 0.1)")


def main():
    rng = np.random.default_rng(0)
    n = 100_000
    x = np.sort(rng.uniform(0, 10, n))
    y = np.sin(x) + rng.normal(0, 0.1, n)
    k = 3
    t = np.r_[[0.0] * (k + 1), np.linspace(0, 10, 102)[1:-1], [10.0] * (k + 1)]

    ours = inferkit.make_lsq_spline(x, y, t, k)
    ref = scipy_lsq(x, y, t, k, method="qr")
    normal = scipy_lsq(x, y, t, k, method="norm-eq")
    scale = np.abs(ref.c).max()
    print(f"workload spline_lsq: n = {n}, cubic, {len(t) - 2 * (k + 1)} interior knots")
    print(f"scipy {scipy.__version__}, inferkit {inferkit.__version__}")
    print(f"  max |c - c_scipy_qr| / max|c|: inferkit {np.abs(ours.c - ref.c).max() / scale:.1e},"
          f" scipy norm-eq {np.abs(normal.c - ref.c).max() / scale:.1e}")
    rows = [
        ("scipy make_lsq_spline, QR", lambda: scipy_lsq(x, y, t, k, method="qr")),
        ("scipy make_lsq_spline, normal equations", lambda: scipy_lsq(x, y, t, k, method="norm-eq")),
        ("inferkit.make_lsq_spline (banded Givens QR)", lambda: inferkit.make_lsq_spline(x, y, t, k)),
    ]
    times = {}
    for name, fn in rows:
        times[name] = median_time(fn)
        print(f"  {name:45s} {times[name] * 1e3:8.2f} ms")
    ours_t = times[rows[2][0]]
    print(f"ratio inferkit / scipy normal equations = {ours_t / times[rows[1][0]]:.3f}  (goal <= 1)")
    print(f"ratio inferkit / scipy QR               = {ours_t / times[rows[0][0]]:.3f}")
    smoothing(x, y)


if __name__ == "__main__":
    main()
