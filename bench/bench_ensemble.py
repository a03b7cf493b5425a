#!/usr/bin/env python3
"""Workload 7 (mcmc_emcee) of shared/bench/WORKLOADS.md for the ensemble sampler: 32 walkers x
5000 steps of inferkit.EnsembleSampler and of emcee.EnsembleSampler on the same targets, in one
run, as effective samples per second, ESS = 32 * 4000 / mean tau (discard 1000, tau by
emcee.autocorr.integrated_time of each sampler's own chain).

gauss10d: zero mean, C = Q diag(logspace(0, 2, 10)) Q^T, Q from qr(default_rng(2).normal((10, 10))).
peak4d:   workload 2's data (the Gaussian peak, 1000 points, sigma 0.05), flat box priors
          mu in [-1, 1], sig in [0.01, 1], A in [0, 10], B in [-5, 5], walkers in a 1e-4 ball at
          the least-squares optimum.

InferKit runs the targets as a formula (gauss10d), an inferkit.Posterior (peak4d) and as Python
callables (both); emcee runs the Python callables, plain and vectorised. Prints ESS/s and the
ratios against the goals of issue 5. Run: PYTHONPATH=bindings/python python3 bench/bench_ensemble.py
"""
import time
import warnings

import emcee
import numpy as np
from scipy.optimize import curve_fit

import inferkit

NW, NSTEPS, DISCARD = 32, 5000, 1000


def gauss10d():
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(10, 10)))
    cov = q @ np.diag(np.logspace(0, 2, 10)) @ q.T
    prec = np.linalg.inv(cov)
    names = [f"x{i}" for i in range(10)]
    formula = "-0.5*(" + " + ".join(f"({float((1 if i == j else 2) * prec[i, j])!r})*x{i}*x{j}"
                                    for i in range(10) for j in range(i, 10)) + ")"
    p0 = np.random.default_rng(5).normal(size=(NW, 10))
    return dict(
        formula=formula, names=names, p0=p0,
        fn=lambda p: -0.5 * p @ prec @ p,
        vec=lambda P: -0.5 * np.einsum("ki,ij,kj->k", P, prec, P))


def peak4d():
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 1000)
    f = lambda x, mu, sig, A, B: A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B  # noqa: E731
    y = f(x, 0.3, 0.1, 2.0, 0.5) + rng.normal(0, 0.05, 1000)
    best, _ = curve_fit(f, x, y, p0=[0.2, 0.2, 1.0, 0.0], sigma=np.full(1000, 0.05), absolute_sigma=True)
    lo, hi = np.array([-1, 0.01, 0, -5]), np.array([1, 1, 10, 5])
    inv2 = 0.5 / 0.05 ** 2

    def fn(p):
        if np.any(p < lo) or np.any(p > hi):
            return -np.inf
        return -inv2 * np.sum((y - f(x, *p)) ** 2)

    def vec(P):
        out = np.full(P.shape[0], -np.inf)
        ok = np.all((P >= lo) & (P <= hi), axis=1)
        Q = P[ok]
        model = Q[:, 2:3] * np.exp(-0.5 * ((x - Q[:, 0:1]) / Q[:, 1:2]) ** 2) + Q[:, 3:4]
        out[ok] = -inv2 * np.sum((y - model) ** 2, axis=1)
        return out

    post = inferkit.Posterior("A*exp(-0.5*((x-mu)/sig)^2) + B", x, y, sigma=np.full(1000, 0.05),
                              priors={"mu": ("uniform", -1, 1), "sig": ("uniform", 0.01, 1),
                                      "A": ("uniform", 0, 10), "B": ("uniform", -5, 5)})
    p0 = best + 1e-4 * np.random.default_rng(5).normal(size=(NW, 4))
    order = [post.param_names.index(n) for n in ("mu", "sig", "A", "B")]   # posterior order -> workload order
    return dict(post=post, p0=p0, fn=fn, vec=vec, order=order)


def ess_per_second(chain, seconds):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tau = emcee.autocorr.integrated_time(chain[DISCARD:], quiet=True)
    return NW * (NSTEPS - DISCARD) / tau.mean() / seconds, tau.mean()


def run_inferkit(ndim, fn, p0, **kw):
    """The median time of runs repeated for at least a second (a formula's run takes tens of
    milliseconds, too short for one timing on a shared machine); every run is the same chain."""
    times = []
    while len(times) < 3 or (sum(times) < 1.0 and len(times) < 25):
        s = inferkit.EnsembleSampler(NW, ndim, fn, seed=1, **kw)
        t = time.perf_counter()
        s.run_mcmc(p0, NSTEPS)
        times.append(time.perf_counter() - t)
    seconds = float(np.median(times))
    return ess_per_second(s.get_chain(), seconds) + (seconds,)


def run_emcee(ndim, fn, p0, vectorize=False):
    np.random.seed(1)
    s = emcee.EnsembleSampler(NW, ndim, fn, vectorize=vectorize)
    t = time.perf_counter()
    s.run_mcmc(p0, NSTEPS)
    seconds = time.perf_counter() - t
    return ess_per_second(s.get_chain(), seconds) + (seconds,)


def show(name, result):
    print(f"  {name:40s} {result[0]:12,.0f} ESS/s   tau {result[1]:6.1f}   {result[2]:7.3f} s")
    return result[0]


def main():
    print(f"workload 7 (mcmc_emcee), ensemble sampler: {NW} walkers x {NSTEPS} steps, ESS = {NW} x "
          f"{NSTEPS - DISCARD} / mean tau")
    g = gauss10d()
    print("gauss10d")
    e_plain = show("emcee, Python callable", run_emcee(10, g["fn"], g["p0"]))
    e_vec = show("emcee, vectorised", run_emcee(10, g["vec"], g["p0"], vectorize=True))
    i_formula = show("inferkit, formula", run_inferkit(10, g["formula"], g["p0"], params=g["names"], n_threads=1))
    i_plain = show("inferkit, Python callable", run_inferkit(10, g["fn"], g["p0"]))
    i_vec = show("inferkit, vectorised callable", run_inferkit(10, g["vec"], g["p0"], vectorize=True))
    print(f"  formula / emcee: {i_formula / e_plain:.1f}x (goal >= 50x); callable / emcee: {i_plain / e_plain:.2f}x "
          f"(goal >= 1.5x); vectorised / emcee vectorised: {i_vec / e_vec:.2f}x")
    p = peak4d()
    print("peak4d (1000 points)")
    e_plain = show("emcee, Python callable", run_emcee(4, p["fn"], p["p0"]))
    e_vec = show("emcee, vectorised", run_emcee(4, p["vec"], p["p0"], vectorize=True))
    start = p["p0"][:, np.argsort(p["order"])]   # workload order -> the posterior's
    i_post1 = show("inferkit, Posterior, 1 thread", run_inferkit(4, p["post"], start, n_threads=1))
    i_post = show("inferkit, Posterior, all cores", run_inferkit(4, p["post"], start, n_threads=0))
    i_plain = show("inferkit, Python callable", run_inferkit(4, p["fn"], p["p0"]))
    print(f"  Posterior / emcee vectorised: {max(i_post, i_post1) / e_vec:.1f}x (goal >= 5x); "
          f"callable / emcee: {i_plain / e_plain:.2f}x (goal >= 1.5x)")


if __name__ == "__main__":
    main()
