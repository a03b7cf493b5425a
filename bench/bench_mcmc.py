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
2 cores, started at the first two walkers' positions) is timed over warm-up and sampling, and
its ESS is n_chains * n_samples / mean tau with the same estimator over its chains. Every row
runs in 3 rounds, the rows in turn (`measure`): its time is the fastest round, its tau the mean
over the rounds' chains (different seeds). Besides ESS/s the table gives ESS per
log-probability evaluation (ensemble samplers) and ESS per gradient evaluation (NUTS), and what
a Python log-probability costs by itself (the bound on any sampler calling it).

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


def settle():
    """Lets the machine go idle before a timed row: numpy's OpenBLAS threads spin for a while
    after the vectorised runs' matrix products, and on 2 cores that spinning was taking a core
    from whichever row came next (a row ran 20% slower right after emcee's vectorised run)."""
    time.sleep(0.3)


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


ROUNDS = 3


def measure(specs, rounds=ROUNDS):
    """Times the rows of one workload in `rounds` rounds, every row once a round, in turn
    (this VM's speed drifts by 20% over seconds, so the rows of a ratio are timed side by side
    more than once), and returns their numbers: time = the fastest round (a shared machine
    adds noise only upwards), tau = the mean over the rounds' chains (round r runs seed r + 1,
    emcee its own stream: one chain's tau is uncertain by several per cent). A spec is
    (name, run, repeat): run(seed) -> ((steps, walkers, ndim) chain, evaluations, kind, extra);
    with `repeat` a round repeats the run for 0.3 s (at most 25 times) and keeps its fastest
    (an InferKit formula run takes tens of milliseconds)."""
    times = {name: [] for name, _, _ in specs}
    results = {name: [] for name, _, _ in specs}
    for r in range(rounds):
        for name, run, repeat in specs:
            settle()
            spent, fastest = 0.0, None
            for k in range(25):
                t0 = time.perf_counter()
                outcome = run(r + 1)
                seconds = time.perf_counter() - t0
                spent += seconds
                fastest = seconds if fastest is None else min(fastest, seconds)
                if not repeat or spent >= 0.3:
                    break
            times[name].append(fastest)
            results[name].append(outcome)
    rows = []
    for name, _, _ in specs:
        seconds = min(times[name])
        chains = [o[0] for o in results[name]]
        evaluations, kind, extra = results[name][0][1:]
        taus = [tau_of(c) for c in chains]
        tau = float(np.mean(taus))
        ess = chains[0].shape[0] * chains[0].shape[1] / tau
        flat = np.concatenate([c.reshape(-1, c.shape[2]) for c in chains])
        row = {"name": name, "seconds": seconds, "tau": tau, "ess": ess, "ess_per_s": ess / seconds,
               "per_eval": ess / evaluations, "eval_kind": kind, "mean": flat.mean(0), "cov": np.cov(flat.T)}
        if extra:
            row["extra"] = extra
        rows.append(row)
    return rows


def emcee_run(log_prob, ndim, start, args, vectorize):
    def run(seed):
        sampler = emcee.EnsembleSampler(NWALKERS, ndim, log_prob, args=args, vectorize=vectorize)
        sampler.run_mcmc(start, NSTEPS)
        return sampler.get_chain(discard=DISCARD), NWALKERS * NSTEPS, "log p", None
    return run


def inferkit_ensemble_run(log_prob, ndim, start, **kwargs):
    def run(seed):
        sampler = inferkit.EnsembleSampler(NWALKERS, ndim, log_prob, seed=seed, **kwargs)
        sampler.run_mcmc(start, NSTEPS)
        return sampler.get_chain(discard=DISCARD), NWALKERS * NSTEPS, "log p", None
    return run


def nuts_run(log_prob, num_warmup, num_samples, initial, num_chains=2, **kwargs):
    """NUTS from the first `num_chains` of the ensemble's starting positions; the chain in
    emcee's (draws, chains, ndim) layout, the gradient evaluations."""
    def run(seed):
        sampler = inferkit.NUTSSampler(log_prob, **kwargs)
        draws = sampler.sample(num_warmup=num_warmup, num_samples=num_samples, num_chains=num_chains, seed=seed + 2,
                               initial=initial[:num_chains])
        extra = "divergences %d, mean step size %.3g" % (int(np.sum(sampler.divergences)), float(np.mean(sampler.step_size)))
        return np.swapaxes(draws, 0, 1), int(np.sum(sampler.num_gradient_evals)), "gradient", extra
    return run


def callable_alone(log_prob, points, args, calls=32000, rounds=ROUNDS):
    """Seconds per call of a Python log-probability by itself, in a plain loop over the rows of
    `points` (the fastest of `rounds` loops): about the least time any sampler can spend per
    evaluation of it."""
    rows = list(points)
    n = len(rows)
    fastest = None
    for _ in range(rounds):
        settle()
        t0 = time.perf_counter()
        for i in range(calls):
            log_prob(rows[i % n], *args)
        seconds = (time.perf_counter() - t0) / calls
        fastest = seconds if fastest is None else min(fastest, seconds)
    return fastest


def print_callable_bound(rows, alone):
    """How far a sampler calling the Python log-probability can get ahead of emcee: emcee's
    time per evaluation over the callable's own."""
    emcee_row = next(r for r in rows if r["name"] == "emcee, Python log_prob")
    ours = next(r for r in rows if r["name"] == "inferkit.EnsembleSampler, Python log_prob")
    per_eval = lambda r: r["seconds"] / (NWALKERS * NSTEPS)
    print("  the Python log_prob alone: %.2f us a call; per evaluation emcee %.2f us, InferKit %.2f us: at equal"
          % (alone * 1e6, per_eval(emcee_row) * 1e6, per_eval(ours) * 1e6))
    print("  ESS per evaluation no sampler calling it can beat emcee by more than %.2fx (InferKit's overhead %.2f us a call)"
          % (per_eval(emcee_row) / alone, (per_eval(ours) - alone) * 1e6))


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
    rows = measure([
        ("emcee, Python log_prob", emcee_run(gauss_log_prob, 10, start, (precision,), False), False),
        ("emcee, vectorised", emcee_run(gauss_log_prob_vectorized, 10, start, (precision,), True), False),
        ("inferkit.EnsembleSampler, formula", inferkit_ensemble_run(formula, 10, start, params=names), True),
        ("inferkit.EnsembleSampler, formula, 1 thread",
         inferkit_ensemble_run(formula, 10, start, params=names, n_threads=1), True),
        ("inferkit.EnsembleSampler, Python log_prob", inferkit_ensemble_run(gauss_log_prob, 10, start, args=(precision,)),
         False),
        ("inferkit.EnsembleSampler, vectorised",
         inferkit_ensemble_run(gauss_log_prob_vectorized, 10, start, args=(precision,), vectorize=True), True),
        ("inferkit.NUTSSampler, formula (2 chains)",
         nuts_run(formula, 1000, 4000, start, params=names, metric="dense"), False),
    ])
    print_rows(rows)
    print_callable_bound(rows, callable_alone(gauss_log_prob, start, (precision,)))
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
    rows = measure([
        ("emcee, Python log_prob", emcee_run(peak_log_prob, 4, start, (x, y), False), False),
        ("emcee, vectorised", emcee_run(peak_log_prob_vectorized, 4, start, (x, y), True), False),
        ("inferkit.EnsembleSampler, Posterior", inferkit_ensemble_run(posterior, 4, start), True),
        ("inferkit.EnsembleSampler, Posterior, 1 thread", inferkit_ensemble_run(posterior, 4, start, n_threads=1), True),
        ("inferkit.EnsembleSampler, Python log_prob", inferkit_ensemble_run(peak_log_prob, 4, start, args=(x, y)), False),
        ("inferkit.NUTSSampler, Posterior (2 chains)", nuts_run(posterior, 1000, 4000, start, metric="dense"), False),
    ])
    print_rows(rows)
    print_callable_bound(rows, callable_alone(peak_log_prob, start, (x, y)))
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
