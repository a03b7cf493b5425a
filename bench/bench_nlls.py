#!/usr/bin/env python3
"""Workloads 2 (nlls_single) and 3 (nlls_batch) of shared/bench/WORKLOADS.md: the Gaussian peak
f(x; mu, sig, A, B) = A exp(-0.5 ((x - mu)/sig)^2) + B fitted with absolute sigma = 0.05 from the
start (0.2, 0.2, 1, 0), by InferKit (from Python and from C) and by scipy's curve_fit and GSL's
gsl_multifit_nlinear, in one run.

Python side: scipy.optimize.curve_fit (finite differences, analytic Jacobian) and
inferkit.curve_fit (an inferkit.Model, the formula string, a Python callable with and without
its Jacobian), each timed in steady state (bench/_timing.py). C side: bench/nlls_c.c, compiled
here against include/ and build/libinferkit.so and GSL (with OpenBLAS as its CBLAS when it is
installed, else GSL's own gslcblas) and run with OPENBLAS_NUM_THREADS=1 on the same arrays.
The batch (10,000 spectra) is timed twice and the second run is reported: OpenBLAS's idle
threads spin for about 0.1 s after they start and disturb a first measurement.

Prints the times, the agreement of the results (parameters and covariances) and the ratios
against the goals of the issue. Run: make bench, or
PYTHONPATH=bindings/python python3 bench/bench_nlls.py
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy
from scipy.optimize import OptimizeWarning
from scipy.optimize import curve_fit as scipy_curve_fit

import inferkit
from _timing import median_time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FORMULA = "A*exp(-0.5*((x-mu)/sig)^2) + B"
NAMES = ("mu", "sig", "A", "B")
TRUE = (0.3, 0.1, 2.0, 0.5)
START = np.array([0.2, 0.2, 1.0, 0.0])
SIGMA = 0.05
# The formula string's parameters come in order of first appearance: A, mu, sig, B.
STRING_ORDER = [2, 0, 1, 3]          # (mu, sig, A, B)[STRING_ORDER] = (A, mu, sig, B)
FROM_STRING = np.argsort(STRING_ORDER)
SCIPY_SUBSET = 1000                  # scipy's batch loop runs on this many spectra when slow
SCIPY_FULL_LIMIT = 30.0              # seconds: longer than this for 2 full loops -> subset


def peak(x, mu, sig, A, B):
    return A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B


def peak_jacobian(x, mu, sig, A, B):
    z = (x - mu) / sig
    e = np.exp(-0.5 * z * z)
    return np.column_stack((A * e * z / sig, A * e * z * z / sig, e, np.ones_like(x)))


def workload_single():
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 1000)
    y = peak(x, *TRUE) + rng.normal(0, SIGMA, 1000)
    return x, y


def workload_batch():
    rng = np.random.default_rng(1)
    u = rng.uniform(0, 1, (10000, 4))
    mu = 0.3 + (0.2 * u[:, 0] - 0.1)
    sig = 0.1 * (0.8 + 0.4 * u[:, 1])
    A = 2 * (0.8 + 0.4 * u[:, 2])
    B = 0.5 + (0.2 * u[:, 3] - 0.1)
    x = np.linspace(-1, 1, 200)
    f = A[:, None] * np.exp(-0.5 * ((x[None, :] - mu[:, None]) / sig[:, None]) ** 2) + B[:, None]
    Y = f + rng.normal(0, SIGMA, (10000, 200))
    return x, Y


# ------------------------------------------------------------------------------------------
# The C program
# ------------------------------------------------------------------------------------------


def write_data(path, x, Y):
    """The file bench/nlls_c.c reads: n, x[n], rows, Y[rows * n] as native doubles."""
    Y = np.atleast_2d(Y)
    np.concatenate(([x.size], x, [Y.shape[0]], Y.ravel())).astype(np.float64).tofile(path)


def build_c(workdir):
    """Compile bench/nlls_c.c; returns (executable, CBLAS used)."""
    exe = os.path.join(workdir, "nlls_c")
    build = os.path.join(REPO, "build")
    base = ["gcc", "-O2", "-std=c99", "-I" + os.path.join(REPO, "include"), os.path.join(HERE, "nlls_c.c"),
            "-o", exe, "-L" + build, "-linferkit", "-Wl,-rpath," + build, "-lgsl"]
    errors = ""
    for cblas in ("openblas", "gslcblas"):
        run = subprocess.run(base + ["-l" + cblas, "-lm"], capture_output=True, text=True)
        if run.returncode == 0:
            return exe, cblas
        errors += run.stderr
    raise SystemExit("bench_nlls: cannot compile bench/nlls_c.c (is libgsl-dev installed? `make bench`"
                     " installs it):\n" + errors)


def run_c(exe, mode, path):
    """Runs the C program; returns {name: (seconds, numbers)}."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([exe, mode, path], capture_output=True, text=True, env=env, check=True).stdout
    rows = {}
    for line in out.splitlines():
        fields = line.split()
        rows[fields[0]] = (float(fields[1]), np.array([float(v) for v in fields[2:]]))
    return rows


# ------------------------------------------------------------------------------------------
# Agreement
# ------------------------------------------------------------------------------------------


def rel_params(p, q):
    """max_j |p_j - q_j| / |q_j|."""
    return float(np.max(np.abs(np.asarray(p) - q) / np.abs(q)))


def rel_cov(c, d):
    """max_ij |c_ij - d_ij| / sqrt(d_ii d_jj)."""
    s = np.sqrt(np.diag(d))
    return float(np.max(np.abs(c - d) / np.outer(s, s)))


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


# ------------------------------------------------------------------------------------------
# Workload 2
# ------------------------------------------------------------------------------------------


def single(exe, workdir):
    x, y = workload_single()
    sigma = np.full(x.size, SIGMA)
    model = inferkit.Model(FORMULA, params=NAMES)
    start_string = START[STRING_ORDER]

    fits = {
        "scipy curve_fit, finite differences":
            lambda: scipy_curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True),
        "scipy curve_fit, analytic Jacobian":
            lambda: scipy_curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True, jac=peak_jacobian),
        "inferkit.curve_fit, inferkit.Model":
            lambda: inferkit.curve_fit(model, x, y, p0=START, sigma=sigma, absolute_sigma=True),
        "inferkit.curve_fit, formula string":
            lambda: inferkit.curve_fit(FORMULA, x, y, p0=start_string, sigma=sigma, absolute_sigma=True),
        "inferkit.curve_fit, Python callable + jac":
            lambda: inferkit.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True, jac=peak_jacobian),
        "inferkit.curve_fit, Python callable (FD)":
            lambda: inferkit.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True),
    }
    results = {name: fn() for name, fn in fits.items()}
    popt, pcov = results["inferkit.curve_fit, formula string"]  # back to (mu, sig, A, B)
    results["inferkit.curve_fit, formula string"] = (popt[FROM_STRING], pcov[np.ix_(FROM_STRING, FROM_STRING)])
    ref_p, ref_c = results["scipy curve_fit, analytic Jacobian"]

    path = os.path.join(workdir, "single.bin")
    write_data(path, x, y)
    c = run_c(exe, "single", path)

    print(f"workload nlls_single: n = {x.size}, 4 parameters, absolute sigma = {SIGMA}   ({load()})")
    print(f"  {'method':44s} {'time':>9s}   {'max rel. diff. popt':>19s} {'pcov':>9s}  (vs scipy analytic J)")
    times = {}
    for name, fn in fits.items():
        times[name] = median_time(fn, repeat=101)
        p, cv = results[name]
        print(f"  {name:44s} {times[name] * 1e3:7.3f} ms   {rel_params(p, ref_p):19.1e} {rel_cov(cv, ref_c):9.1e}")
    print("  from C (bench/nlls_c.c, OPENBLAS_NUM_THREADS=1):        (vs GSL QR)")
    gsl_p, gsl_c = c["gsl_qr"][1][:4], c["gsl_qr"][1][8:].reshape(4, 4)
    for name, label in (("inferkit_c", "ik_nlls_fit"), ("gsl_qr", "GSL multifit_nlinear, LM + QR"),
                        ("gsl_cholesky", "GSL multifit_nlinear, LM + Cholesky")):
        t, v = c[name]
        times[name] = t
        print(f"  {label:44s} {t * 1e3:7.3f} ms   {rel_params(v[:4], gsl_p):19.1e}"
              f" {rel_cov(v[8:].reshape(4, 4), gsl_c):9.1e}")
    ik_p, ik_c = c["inferkit_c"][1][:4], c["inferkit_c"][1][8:].reshape(4, 4)
    py_p, py_c = results["inferkit.curve_fit, inferkit.Model"]
    print(f"  ik_nlls_fit from C vs inferkit.curve_fit(Model): popt {rel_params(ik_p, py_p):.1e},"
          f" pcov {rel_cov(ik_c, py_c):.1e}")
    print("  inferkit: " + ", ".join(f"{k} = {v:.6f} +/- {e:.6f}" for k, v, e in zip(NAMES, py_p, np.sqrt(np.diag(py_c)))))
    return times


# ------------------------------------------------------------------------------------------
# Workload 3
# ------------------------------------------------------------------------------------------


def scipy_loop(x, Y, sigma):
    """curve_fit on every row (analytic Jacobian); returns params, stderr, chi2, converged mask
    (curve_fit's ier 1-4; a row where it raises RuntimeError is NaN and not converged)."""
    params = np.empty((Y.shape[0], 4))
    stderr = np.empty((Y.shape[0], 4))
    chi2 = np.empty(Y.shape[0])
    ok = np.zeros(Y.shape[0], dtype=bool)
    with warnings.catch_warnings():  # a row without covariance warns; it is counted below
        warnings.simplefilter("ignore", OptimizeWarning)
        for r in range(Y.shape[0]):
            try:
                p, c, info, _, ier = scipy_curve_fit(peak, x, Y[r], p0=START, sigma=sigma, absolute_sigma=True,
                                                     jac=peak_jacobian, full_output=True)
                ok[r] = ier in (1, 2, 3, 4)
                chi2[r] = info["fvec"] @ info["fvec"]
            except RuntimeError:
                p, c, chi2[r] = np.full(4, np.nan), np.full((4, 4), np.nan), np.nan
            params[r] = p
            stderr[r] = np.sqrt(np.diag(c))
    return params, stderr, chi2, ok


def batch_summary(params, success, chi2, dof):
    """Mean parameters (|sig|: the model sees only sig^2), converged and good-chi2 fractions."""
    p = np.array(params, dtype=np.float64)
    p[:, 1] = np.abs(p[:, 1])
    return np.concatenate((np.nanmean(p, axis=0), [np.mean(success), np.mean(chi2 <= 2 * dof)]))


def twice(fn):
    """Runs fn twice; returns (seconds of the second run, its result)."""
    fn()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def batch(exe, workdir):
    x, Y = workload_batch()
    rows = Y.shape[0]
    sigma = np.full(x.size, SIGMA)
    print()
    print(f"workload nlls_batch: {rows} spectra x {x.size} points, shared x and start   ({load()})")

    t_one, first = twice(lambda: scipy_loop(x, Y[:SCIPY_SUBSET], sigma))
    subset = 2 * t_one * rows / SCIPY_SUBSET > SCIPY_FULL_LIMIT
    scipy_rows = SCIPY_SUBSET if subset else rows
    if subset:
        t_scipy, (sp, sse, schi2, sok) = t_one, first
    else:
        t_scipy, (sp, sse, schi2, sok) = twice(lambda: scipy_loop(x, Y, sigma))
    throughput = {"scipy": scipy_rows / t_scipy}

    many = {}
    for threads in (1, 0):
        t, res = twice(lambda: inferkit.fit_many(FORMULA, x, Y, START[STRING_ORDER], sigma=sigma,
                                                 n_threads=threads, absolute_sigma=True))
        throughput[f"fit_many_{threads}"] = rows / t
        many[threads] = res
    res = many[0]
    ip = res.params[:, FROM_STRING]
    ise = res.stderr[:, FROM_STRING]
    identical = np.array_equal(many[0].params, many[1].params) and np.array_equal(many[0].cov, many[1].cov,
                                                                                  equal_nan=True)

    path = os.path.join(workdir, "batch.bin")
    write_data(path, x, Y)
    c = run_c(exe, "batch", path)
    summary = {name: c[name][1][[0, 1, 2, 3, 8, 9]] for name in c}
    for name in c:
        throughput[name] = 1.0 / c[name][0]
    dof = x.size - 4
    summary["scipy"] = batch_summary(sp, sok, schi2, dof)
    for threads in (1, 0):
        r = many[threads]
        summary[f"fit_many_{threads}"] = batch_summary(r.params[:, FROM_STRING], r.success, r.chi2, dof)

    cores = os.cpu_count()
    label = f"scipy curve_fit loop, analytic J ({scipy_rows} spectra" + (", scaled)" if subset else ")")
    print(f"  {'method':50s} {'spectra/s':>10s}  converged chi2/dof<=2  mean mu, |sig|, A, B")
    for key, text in (("scipy", label),
                      ("fit_many_1", "inferkit.fit_many, n_threads=1"),
                      ("fit_many_0", f"inferkit.fit_many, n_threads=0 ({cores} cores)"),
                      ("inferkit_batch_1thread", "ik_nlls_fit_batch from C, 1 thread"),
                      ("inferkit_batch", f"ik_nlls_fit_batch from C, all ({cores}) threads"),
                      ("gsl_batch_qr", "GSL loop from C, LM + QR"),
                      ("gsl_batch_cholesky", "GSL loop from C, LM + Cholesky")):
        v = summary[key]
        print(f"  {text:50s} {throughput[key]:10.0f}  {v[4]:9.4f} {v[5]:11.4f}  " + " ".join(f"{m:.6f}" for m in v[:4]))
    if subset:
        print(f"  (scipy's loop would take about {2 * t_one * rows / SCIPY_SUBSET:.0f} s for two full runs:"
              f" timed on the first {SCIPY_SUBSET} spectra and scaled to spectra/s)")
    ref = summary["scipy"][:4]
    print("  mean parameters vs scipy's loop: max rel. diff. "
          + ", ".join(f"{k} {rel_params(summary[k][:4], ref):.1e}"
                      for k in ("fit_many_0", "inferkit_batch", "gsl_batch_qr", "gsl_batch_cholesky"))
          + ("" if not subset else f" (scipy: first {SCIPY_SUBSET} spectra only)"))
    # Row by row against scipy, where both found the same (good) minimum.
    good = (sok & res.success[:scipy_rows] & (schi2 <= 2 * dof) & (res.chi2[:scipy_rows] <= 2 * dof)
            & np.isfinite(sse).all(axis=1) & np.isfinite(ise[:scipy_rows]).all(axis=1))
    a, b = ip[:scipy_rows][good].copy(), sp[good].copy()
    a[:, 1], b[:, 1] = np.abs(a[:, 1]), np.abs(b[:, 1])
    dev = np.abs(a - b) / sse[good]
    print(f"  inferkit vs scipy row by row ({good.sum()} rows where both converged with chi2/dof <= 2 and have"
          f" a covariance): max |dp|/stderr {dev.max():.1e}, max rel. diff. of stderr"
          f" {np.max(np.abs(ise[:scipy_rows][good] / sse[good] - 1)):.1e}")
    bad_ik = np.flatnonzero(res.success & (res.chi2 > 2 * dof))
    print(f"  rows inferkit reports converged but with chi2/dof > 2 (a wrong local minimum): {bad_ik.size}"
          + (f" (rows {', '.join(map(str, bad_ik[:8]))}{' ...' if bad_ik.size > 8 else ''};"
             f" chi2 {', '.join(f'{v:.0f}' for v in res.chi2[bad_ik[:8]])})" if bad_ik.size else ""))
    print(f"  rows without covariance: inferkit {int((~np.isfinite(ise)).any(axis=1).sum())},"
          f" scipy {int((~np.isfinite(sse)).any(axis=1).sum())}"
          + ("" if not subset else f" (of {SCIPY_SUBSET})"))
    print(f"  fit_many results identical for 1 and {cores} threads: {identical}")
    return throughput


def goal(text, ratio, target, higher_is_better):
    met = ratio >= target if higher_is_better else ratio <= target
    sign = ">=" if higher_is_better else "<="
    print(f"  {text:62s} {ratio:7.3f}   goal {sign} {target:<4g} {'met' if met else 'NOT met'}")


def main():
    workdir = tempfile.mkdtemp(prefix="bench_nlls_")
    try:
        exe, cblas = build_c(workdir)
        print(f"numpy {np.__version__}, scipy {scipy.__version__}, inferkit {inferkit.__version__};"
              f" nlls_c.c built with gcc -O2, GSL with -l{cblas}")
        t = single(exe, workdir)
        b = batch(exe, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    scipy_j = t["scipy curve_fit, analytic Jacobian"]
    gsl_best = min(t["gsl_qr"], t["gsl_cholesky"])
    gsl_batch = max(b["gsl_batch_qr"], b["gsl_batch_cholesky"])
    print()
    print(f"ratios against the goals   ({load()})")
    goal("speed-up curve_fit analytic J / inferkit.curve_fit(Model)", scipy_j / t["inferkit.curve_fit, inferkit.Model"],
         3, True)
    goal("speed-up curve_fit analytic J / inferkit.curve_fit(formula str)",
         scipy_j / t["inferkit.curve_fit, formula string"], 3, True)
    goal("time ik_nlls_fit (C) / GSL's best (C)", t["inferkit_c"] / gsl_best, 0.5, False)
    goal("throughput ik_nlls_fit_batch all threads / GSL's best loop", b["inferkit_batch"] / gsl_batch, 3, True)
    goal("throughput ik_nlls_fit_batch 1 thread / GSL's best loop", b["inferkit_batch_1thread"] / gsl_batch, 3, True)
    goal("throughput fit_many n_threads=0 (Python) / GSL's best loop", b["fit_many_0"] / gsl_batch, 3, True)
    print(f"  (for reference: fit_many n_threads=0 / scipy loop = {b['fit_many_0'] / b['scipy']:.1f})")


if __name__ == "__main__":
    sys.exit(main())
