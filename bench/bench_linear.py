#!/usr/bin/env python3
"""Workload 1 (linear_lsq) of shared/bench/WORKLOADS.md: a weighted Legendre fit of degree 19
to 100,000 points, with its covariance, by InferKit and by numpy/scipy in one run.

Prints the median time of each method over repeated runs, the ratio to numpy's lstsq, and the
digits each method agrees with a refined reference solution (InferKit with extended-precision
refinement forced on). Run: make bench (or PYTHONPATH=bindings/python python3 bench/bench_linear.py).
"""
import math
import sys

import numpy as np
import scipy.linalg
from numpy.polynomial.legendre import legvander

import inferkit
from _timing import median_time


def workload():
    rng = np.random.default_rng(0)
    n = 100_000
    x = rng.uniform(-1, 1, n)
    coef = rng.normal(size=20)
    A = legvander(x, 19)
    y = A @ coef + rng.normal(0, 0.1, n)
    sigma = np.full(n, 0.1)
    return A, y, sigma



def digits(est, ref):
    err = np.max(np.abs(est - ref) / np.abs(ref))
    return 16.0 if err == 0 else min(16.0, -math.log10(err))


def main():
    A, y, sigma = workload()
    w = 1.0 / sigma

    def numpy_lstsq():
        Aw = A * w[:, None]
        theta, _, _, s = np.linalg.lstsq(Aw, y * w, rcond=None)
        return theta

    def numpy_lstsq_with_cov():
        Aw = A * w[:, None]
        u, s, vt = np.linalg.svd(Aw, full_matrices=False)
        theta = vt.T @ ((u.T @ (y * w)) / s)
        cov = (vt.T / s**2) @ vt
        return theta, cov

    def scipy_lstsq():
        Aw = A * w[:, None]
        theta, _, _, _ = scipy.linalg.lstsq(Aw, y * w)
        return theta

    def scipy_lstsq_gelsy():
        Aw = A * w[:, None]
        theta, _, _, _ = scipy.linalg.lstsq(Aw, y * w, lapack_driver="gelsy")
        return theta

    def normal_equations():
        Aw = A * w[:, None]
        N = Aw.T @ Aw
        c = scipy.linalg.cho_factor(N)
        theta = scipy.linalg.cho_solve(c, Aw.T @ (y * w))
        cov = scipy.linalg.cho_solve(c, np.eye(N.shape[0]))
        return theta, cov

    def inferkit_qr():
        fit = inferkit.lstsq(A, y, sigma=sigma, absolute_sigma=True)
        return fit.params, fit.cov

    reference = inferkit.lstsq(A, y, sigma=sigma, absolute_sigma=True, refine=5).params

    rows = [
        ("numpy lstsq (gelsd), no covariance", numpy_lstsq, lambda: numpy_lstsq()),
        ("numpy SVD + covariance", numpy_lstsq_with_cov, lambda: numpy_lstsq_with_cov()[0]),
        ("scipy lstsq (gelsd), no covariance", scipy_lstsq, lambda: scipy_lstsq()),
        ("scipy lstsq (gelsy), no covariance", scipy_lstsq_gelsy, lambda: scipy_lstsq_gelsy()),
        ("normal equations + Cholesky + covariance", normal_equations, lambda: normal_equations()[0]),
        ("inferkit.lstsq QR + covariance", inferkit_qr, lambda: inferkit_qr()[0]),
    ]
    print(f"workload linear_lsq: A {A.shape[0]} x {A.shape[1]} (Legendre, degree 19), sigma = 0.1")
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, inferkit {inferkit.__version__}")
    results = {}
    for name, fn, solve in rows:
        t = median_time(fn)
        results[name] = t
        print(f"  {name:42s} {t * 1e3:8.2f} ms   digits vs refined reference {digits(solve(), reference):5.1f}")
    base = results["numpy lstsq (gelsd), no covariance"]
    ours = results["inferkit.lstsq QR + covariance"]
    print(f"ratio inferkit / numpy lstsq      = {ours / base:.3f}  (goal <= 0.35)")
    print(f"ratio inferkit / scipy lstsq      = {ours / results['scipy lstsq (gelsd), no covariance']:.3f}")
    print(f"ratio inferkit / normal equations = {ours / results['normal equations + Cholesky + covariance']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
