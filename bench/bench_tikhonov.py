#!/usr/bin/env python3
"""Workload 6 (tikhonov_deconv) of shared/bench/WORKLOADS.md, by InferKit and numpy in one run:
deconvolve a 1000-point Gaussian blur with a first-difference penalty, lam chosen by GCV over
logspace(-7, 1, 50), timed from (R, L, y) to the chosen solution.

The numpy reference is the careful textbook method (Elden's standard form + one SVD):
L^+ = (I - N N^T) L^- with L^- the cumulative-sum right inverse of the first difference and N
the constant vector; the column A N split off by its Householder reflection; one
numpy.linalg.svd of the projected standard-form matrix; GCV from the filter factors for every
lam; the solution at the GCV lam mapped back. Prints median times, their ratio, the chosen lam
and the relative error ||f - f_true|| / ||f_true|| of each solution.
Run: make bench, or PYTHONPATH=bindings/python python3 bench/bench_tikhonov.py
"""
import numpy as np

import inferkit
from _timing import median_time


def workload():
    """R, y, f_true and the lam grid of workload 6."""
    i = np.arange(1000.0)
    f_true = np.exp(-0.5 * ((i - 400) / 15) ** 2) + 0.6 * np.exp(-0.5 * ((i - 480) / 30) ** 2)
    R = np.exp(-0.5 * ((i[:, None] - i[None, :]) / 20) ** 2) / (np.sqrt(2 * np.pi) * 20)
    clean = R @ f_true
    y = clean + np.random.default_rng(0).normal(0, 0.01 * clean.max(), i.size)
    return R, y, f_true, np.logspace(-7, 1, 50)


def numpy_standard_form(R, y, grid):
    """GCV-chosen Tikhonov solution with L = first difference, by Elden's standard form and one
    SVD; returns (f, lam)."""
    m, n = R.shape
    # L^+ = (I - N N^T) L^-, (L^- u)_k = sum_{i<k} u_i, N = ones / sqrt(n).
    l_minus = np.tril(np.ones((n, n - 1)), -1)
    l_plus = l_minus - l_minus.mean(axis=0)
    a_lplus = R @ l_plus
    a_n = R.sum(axis=1) / np.sqrt(n)
    # Householder reflection of A N: H = I - 2 h h^T maps A N to (-+||A N||, 0, ...).
    t0 = np.linalg.norm(a_n)
    h = a_n.copy()
    h[0] += np.copysign(t0, a_n[0])
    h /= np.linalg.norm(h)
    rotate = lambda X: X - 2 * np.outer(h, h @ X) if X.ndim == 2 else X - 2 * h * (h @ X)
    a_rot, b_rot = rotate(a_lplus), rotate(y)
    abar, bbar = a_rot[1:], b_rot[1:]
    u, s, vt = np.linalg.svd(abar, full_matrices=False)
    beta = u.T @ bbar
    outside = bbar @ bbar - beta @ beta
    filt = s[None, :] ** 2 / (s[None, :] ** 2 + grid[:, None])
    rho = np.sum(((1 - filt) * beta) ** 2, axis=1) + outside
    gcv = m * rho / (m - 1 - filt.sum(axis=1)) ** 2
    lam = grid[int(np.argmin(gcv))]
    xbar = vt.T @ (s * beta / (s**2 + lam))
    f = l_plus @ xbar
    # The null-space part: z = T_o^-1 H_o^T (b - A L^+ xbar), T_o = -+||A N||.
    r0 = b_rot[0] - a_rot[0] @ xbar
    f += (r0 / -np.copysign(t0, a_n[0])) / np.sqrt(n)
    return f, lam


def main():
    R, y, f_true, grid = workload()
    rel = lambda f: np.linalg.norm(f - f_true) / np.linalg.norm(f_true)
    ours = inferkit.tikhonov(R, y, L="d1", lam=grid, method="gcv")
    ref, ref_lam = numpy_standard_form(R, y, grid)
    auto = inferkit.tikhonov(R, y, L="d1", method="gcv")
    print("workload tikhonov_deconv: n = 1000 Gaussian blur (width 20), L = first difference,"
          " GCV over logspace(-7, 1, 50)")
    print(f"numpy {np.__version__}, inferkit {inferkit.__version__}")
    print(f"  chosen lam: inferkit {ours.lam:.6g}, numpy {ref_lam:.6g}")
    print(f"  relative error ||f - f_true|| / ||f_true||: inferkit {rel(ours.params):.4f},"
          f" numpy {rel(ref):.4f}  (automatic grid + refinement: lam {auto.lam:.4g}, error"
          f" {rel(auto.params):.4f})")
    print(f"  max |f_inferkit - f_numpy| / max|f_numpy| = "
          f"{np.abs(ours.params - ref).max() / np.abs(ref).max():.1e}"
          f"  (standard form factorised as low-rank: {ours.low_rank},"
          f" {ours.singular_values.size} singular values)")
    t_ref = median_time(lambda: numpy_standard_form(R, y, grid), repeat=7)
    t_ours = median_time(lambda: inferkit.tikhonov(R, y, L="d1", lam=grid, method="gcv"), repeat=20)
    t_cov = median_time(lambda: inferkit.tikhonov(R, y, L="d1", lam=grid).cov, repeat=3)
    abar = np.ascontiguousarray(R[1:, 1:])
    t_svals = median_time(lambda: np.linalg.svd(abar, compute_uv=False), repeat=7)
    print(f"  numpy standard form + one SVD             {t_ref * 1e3:8.1f} ms")
    print(f"  inferkit.tikhonov (GCV)                   {t_ours * 1e3:8.1f} ms")
    print(f"  inferkit.tikhonov + posterior covariance  {t_cov * 1e3:8.1f} ms  (stacked QR, not in the workload)")
    print(f"  (lower bound for any dense-SVD method: numpy singular values only, no vectors"
          f" {t_svals * 1e3:.1f} ms)")
    print(f"ratio inferkit / numpy = {t_ours / t_ref:.3f}  (goal <= 0.33);"
          f" against the values-only SVD alone {t_ours / t_svals:.3f}")


if __name__ == "__main__":
    main()
