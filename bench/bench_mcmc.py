#!/usr/bin/env python3
"""Workload 7 (mcmc_emcee) of shared/bench/WORKLOADS.md: effective samples per second of
InferKit's samplers and of emcee on the same two targets, in one run.

- gauss10d: a zero-mean 10-D Gaussian with covariance C = Q diag(logspace(0, 2, 10)) Qᵀ, Q from
  qr(default_rng(2).normal(size=(10, 10))) (condition number 100).
- peak4d: the posterior of the Gaussian-peak fit of workload 2 (1000 points, absolute sigma
  0.05), flat box priors mu in [-1, 1], sig in [0.01, 1], A in [0, 10], B in [-5, 5].

The ensemble samplers (emcee and inferkit.EnsembleSampler, stretch move) run 32 walkers x 5000
steps from a 1e-4 ball (gauss10d: around 0; peak4d: around the least-squares optimum). ESS is
32 * 4000 / mean tau, tau by emcee's integrated_time on the chain after discarding 1000 steps,
the same estimator for every sampler. NUTS (inferkit.NUTSSampler, dense metric, 2 chains on the
2 cores, started at the first two walkers' positions) is timed over warm-up and sampling, and its ESS is n_chains * n_samples / mean tau with the same
estimator over its chains. Besides ESS/s the table gives ESS per log-probability evaluation
(ensemble samplers) and ESS per gradient evaluation (NUTS).

Run: make bench, or PYTHONPATH=bindings/python python3 bench/bench_mcmc.py
"""
import logging
import os
import sys
import time

import numpy as np
import emcee

import inferkit

NWALKERS, NSTEPS, DISCARD = 32, 5000, 1000
FORMULA = "A*exp(-0.5*((x-mu)/sig)^2) + B"
NAMES = ("mu", "sig", "A", "B")
TRUE = (0.3, 0.1, 2.0, 0.5)
SIGMA = 0.05
BOX = np.array([[-1.0, 1.0], [0.01, 1.0], [0.0, 10.0], [-5.0, 5.0]])
logging.disable(logging.WARNING)   # emcee's "chain shorter than 50 tau" note: tau is used quietly here


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


# ------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------


def gauss10d():
    """(covariance, precision) of the 10-D target."""
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(10, 10)))
    cov = q @ np.diag(np.logspace(0, 2, 10)) @ q.T
    return cov, np.linalg.inv(cov)


def gauss10d_formula(precision):
    """-0.5 xᵀ P x as a formula in x0..x9 (the upper triangle, off-diagonal terms doubled)."""
    terms = []
    for i in range(10):
        terms.append("%.17g*x%d*x%d" % (precision[i, i], i, i))
        for j in range(i + 1, 10):
            terms.append("%.17g*x%d*x%d" % (2 * precision[i, j], i, j))
    return "-0.5*(" + " + ".join(terms) + ")", ["x%d" % i for i in range(10)]


def peak_data():
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 1000)
    y = TRUE[2] * np.exp(-0.5 * ((x - TRUE[0]) / TRUE[1]) ** 2) + TRUE[3] + rng.normal(0, SIGMA, 1000)
    return x, y


def peak_log_prob(p, x, y):
    """emcee's log-probability of peak4d for one walker."""
    if np.any(p < BOX[:, 0]) or np.any(p > BOX[:, 1]):
        return -np.inf
    mu, sig, A, B = p
    r = (y - (A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B)) / SIGMA
    return -0.5 * np.dot(r, r)


def peak_log_prob_vectorized(P, x, y):
    """emcee's log-probability of peak4d for a (k, 4) block of walkers."""
    inside = np.all((P >= BOX[:, 0]) & (P <= BOX[:, 1]), axis=1)
    mu, sig, A, B = (P[:, j:j + 1] for j in range(4))
    with np.errstate(all="ignore"):
        r = (y - (A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B)) / SIGMA
        lp = -0.5 * np.einsum("ij,ij->i", r, r)
    return np.where(inside, lp, -np.inf)


def gauss_log_prob(p, precision):
    return -0.5 * p @ precision @ p


def gauss_log_prob_vectorized(P, precision):
    return -0.5 * np.einsum("ij,jk,ik->i", P, precision, P)


# ------------------------------------------------------------------------------------------
# Measurement
# ------------------------------------------------------------------------------------------


def tau_of(chain):
    """Mean integrated autocorrelation time over the parameters of a (steps, walkers, ndim)
    chain, by emcee's estimator (quiet: the value, even for a chain shorter than 50 tau)."""
    return float(np.mean(emcee.autocorr.integrated_time(chain, quiet=True)))


def ensemble_row(name, run, repeat=False):
    """Times run() -> ((steps, walkers, ndim) chain after discard, evaluations); returns the
    row's numbers. With `repeat` the run is repeated for at least a second (at most 25 times)
    and the median time is taken: an InferKit run of a formula takes tens of milliseconds, too
    short for one timing on a shared machine (every repetition gives the same chain)."""
    times = []
    while not times or (repeat and (len(times) < 3 or (sum(times) < 1.0 and len(times) < 25))):
        t0 = time.perf_counter()
        chain, evaluations = run()
        times.append(time.perf_counter() - t0)
    seconds = float(np.median(times))
    tau = tau_of(chain)
    ess = chain.shape[0] * chain.shape[1] / tau
    return {"name": name, "seconds": seconds, "tau": tau, "ess": ess, "ess_per_s": ess / seconds,
            "per_eval": ess / evaluations, "eval_kind": "log p", "mean": chain.reshape(-1, chain.shape[2]).mean(0),
            "cov": np.cov(chain.reshape(-1, chain.shape[2]).T)}


def emcee_run(log_prob, ndim, start, args, vectorize):
    def run():
        sampler = emcee.EnsembleSampler(NWALKERS, ndim, log_prob, args=args, vectorize=vectorize)
        sampler.run_mcmc(start, NSTEPS)
        return sampler.get_chain(discard=DISCARD), NWALKERS * NSTEPS
    return run


def inferkit_ensemble_run(log_prob, ndim, start, **kwargs):
    def run():
        sampler = inferkit.EnsembleSampler(NWALKERS, ndim, log_prob, seed=1, **kwargs)
        sampler.run_mcmc(start, NSTEPS)
        return sampler.get_chain(discard=DISCARD), NWALKERS * NSTEPS
    return run


def nuts_row(name, log_prob, ndim, num_warmup, num_samples, initial, num_chains=2, **kwargs):
    """NUTS from the first `num_chains` of the ensemble's starting positions."""
    sampler = inferkit.NUTSSampler(log_prob, **kwargs)
    t0 = time.perf_counter()
    draws = sampler.sample(num_warmup=num_warmup, num_samples=num_samples, num_chains=num_chains, seed=3,
                           initial=initial[:num_chains])
    seconds = time.perf_counter() - t0
    chain = np.swapaxes(draws, 0, 1)          # (chains, draws, ndim) -> emcee's (draws, chains, ndim)
    tau = tau_of(chain)
    ess = chain.shape[0] * chain.shape[1] / tau
    gradients = int(np.sum(sampler.num_gradient_evals))
    return {"name": name, "seconds": seconds, "tau": tau, "ess": ess, "ess_per_s": ess / seconds,
            "per_eval": ess / gradients, "eval_kind": "gradient", "mean": chain.reshape(-1, ndim).mean(0),
            "cov": np.cov(chain.reshape(-1, ndim).T),
            "extra": "divergences %d, mean step size %.3g" % (int(np.sum(sampler.divergences)),
                                                              float(np.mean(sampler.step_size)))}


def print_rows(rows):
    print("  %-46s %8s %8s %9s %10s %12s" % ("sampler", "time s", "tau", "ESS", "ESS/s", "ESS/eval"))
    for r in rows:
        print("  %-46s %8.3f %8.2f %9.0f %10.0f %9.4f/%s%s" % (
            r["name"], r["seconds"], r["tau"], r["ess"], r["ess_per_s"], r["per_eval"], r["eval_kind"],
            ("   (" + r["extra"] + ")") if "extra" in r else ""))


def moments_check(rows, mean, cov):
    """Largest |mean - true| / sd and largest relative covariance error of each row."""
    sd = np.sqrt(np.diag(cov))
    for r in rows:
        dm = np.max(np.abs(r["mean"] - mean) / sd)
        dc = np.max(np.abs(r["cov"] - cov) / np.outer(sd, sd))
        print("    %-44s max |mean - ref|/sd %.3f, max |cov - ref|/(sd sd) %.3f" % (r["name"], dm, dc))


# ------------------------------------------------------------------------------------------
# Workloads
# ------------------------------------------------------------------------------------------


def run_gauss10d():
    cov, precision = gauss10d()
    formula, names = gauss10d_formula(precision)
    start = 1e-4 * np.random.default_rng(4).normal(size=(NWALKERS, 10))
    print("workload mcmc_emcee gauss10d: 10-D Gaussian, condition number 100, %d walkers x %d steps   (%s)"
          % (NWALKERS, NSTEPS, load()))
    rows = [
        ensemble_row("emcee, Python log_prob", emcee_run(gauss_log_prob, 10, start, (precision,), False)),
        ensemble_row("emcee, vectorised", emcee_run(gauss_log_prob_vectorized, 10, start, (precision,), True)),
        ensemble_row("inferkit.EnsembleSampler, formula", inferkit_ensemble_run(formula, 10, start, params=names),
                     repeat=True),
        ensemble_row("inferkit.EnsembleSampler, formula, 1 thread",
                     inferkit_ensemble_run(formula, 10, start, params=names, n_threads=1), repeat=True),
        ensemble_row("inferkit.EnsembleSampler, Python log_prob",
                     inferkit_ensemble_run(gauss_log_prob, 10, start, args=(precision,))),
        ensemble_row("inferkit.EnsembleSampler, vectorised", inferkit_ensemble_run(
            gauss_log_prob_vectorized, 10, start, args=(precision,), vectorize=True), repeat=True),
        nuts_row("inferkit.NUTSSampler, formula (2 chains)", formula, 10, 1000, 4000, start, params=names,
                 metric="dense"),
    ]
    print_rows(rows)
    print("  moments against the exact ones:")
    moments_check(rows, np.zeros(10), cov)
    return rows


def run_peak4d():
    x, y = peak_data()
    from scipy.optimize import curve_fit
    popt, pcov = curve_fit(lambda x, mu, sig, A, B: A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B, x, y,
                           p0=(0.2, 0.2, 1.0, 0.0), sigma=np.full(x.size, SIGMA), absolute_sigma=True)
    start = popt + 1e-4 * np.random.default_rng(5).normal(size=(NWALKERS, 4))
    priors = {n: ("uniform", lo, hi) for n, (lo, hi) in zip(NAMES, BOX)}
    posterior = inferkit.Posterior(inferkit.Model(FORMULA, params=NAMES), x, y, sigma=np.full(x.size, SIGMA), priors=priors)
    print()
    print("workload mcmc_emcee peak4d: the Gaussian-peak posterior, 1000 points, %d walkers x %d steps   (%s)"
          % (NWALKERS, NSTEPS, load()))
    rows = [
        ensemble_row("emcee, Python log_prob", emcee_run(peak_log_prob, 4, start, (x, y), False)),
        ensemble_row("emcee, vectorised", emcee_run(peak_log_prob_vectorized, 4, start, (x, y), True)),
        ensemble_row("inferkit.EnsembleSampler, Posterior", inferkit_ensemble_run(posterior, 4, start), repeat=True),
        ensemble_row("inferkit.EnsembleSampler, Posterior, 1 thread",
                     inferkit_ensemble_run(posterior, 4, start, n_threads=1), repeat=True),
        ensemble_row("inferkit.EnsembleSampler, Python log_prob",
                     inferkit_ensemble_run(peak_log_prob, 4, start, args=(x, y))),
        nuts_row("inferkit.NUTSSampler, Posterior (2 chains)", posterior, 4, 1000, 4000, start, metric="dense"),
    ]
    print_rows(rows)
    print("  moments against curve_fit's (Laplace) mean and covariance:")
    moments_check(rows, popt, pcov)
    return rows


def main():
    print("numpy %s, emcee %s, inferkit %s" % (np.__version__, emcee.__version__, inferkit.__version__))
    g = {r["name"]: r for r in run_gauss10d()}
    p = {r["name"]: r for r in run_peak4d()}

    def ratio(a, b):
        return a["ess_per_s"] / b["ess_per_s"]

    print()
    print("ratios of ESS/s against the goals   (%s)" % load())
    goals = [
        ("gauss10d: EnsembleSampler formula / emcee", ratio(g["inferkit.EnsembleSampler, formula"],
                                                             g["emcee, Python log_prob"]), 50),
        ("peak4d: EnsembleSampler Posterior / emcee vectorised",
         ratio(p["inferkit.EnsembleSampler, Posterior"], p["emcee, vectorised"]), 5),
        ("peak4d: NUTS Posterior / emcee vectorised",
         ratio(p["inferkit.NUTSSampler, Posterior (2 chains)"], p["emcee, vectorised"]), 10),
        ("gauss10d: EnsembleSampler Python log_prob / emcee",
         ratio(g["inferkit.EnsembleSampler, Python log_prob"], g["emcee, Python log_prob"]), 1.5),
        ("peak4d: EnsembleSampler Python log_prob / emcee",
         ratio(p["inferkit.EnsembleSampler, Python log_prob"], p["emcee, Python log_prob"]), 1.5),
    ]
    for label, value, goal in goals:
        print("  %-58s %8.2f   goal >= %-4g %s" % (label, value, goal, "met" if value >= goal else "NOT met"))
    print("  (for reference: gauss10d formula / emcee vectorised = %.1f)"
          % ratio(g["inferkit.EnsembleSampler, formula"], g["emcee, vectorised"]))


if __name__ == "__main__":
    sys.exit(main())
