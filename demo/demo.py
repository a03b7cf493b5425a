#!/usr/bin/env python3
"""A short tour of InferKit (run with `make demo`).

Prints results for each method that exists today and, when matplotlib is installed, writes
PNG figures to demo-output/.
"""
import json
import math
import os
import subprocess
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


def periodogram():
    section("5. Lomb-Scargle periodogram of an unevenly sampled light curve, with significance")
    rng = np.random.default_rng(12)
    # Three observing seasons of 40 nights, one to three exposures a night, weather gaps.
    nights = np.concatenate([np.arange(40) + start for start in (0, 120, 240)])
    nights = nights[rng.random(nights.size) < 0.7]
    t = np.sort(np.concatenate([nights + rng.uniform(0.0, 0.3, nights.size)
                                for _ in range(2)]))
    period = 2.71828
    dy = rng.uniform(0.05, 0.2, t.size)
    truth = 12.0 + 0.15 * np.sin(2 * np.pi * t / period) + 0.05 * np.cos(4 * np.pi * t / period)
    y = truth + rng.normal(0.0, dy)
    ls = inferkit.LombScargle(t, y, dy, nterms=1)
    t0 = time.perf_counter()
    frequency, power = ls.autopower(samples_per_peak=10, maximum_frequency=2.0)
    dt = time.perf_counter() - t0
    best = frequency[np.argmax(power)]
    fap = ls.false_alarm_probability(power.max(), maximum_frequency=2.0)
    levels = ls.false_alarm_level([0.1, 0.01, 0.001], maximum_frequency=2.0)
    print(f"  {t.size} points over {t.max() - t.min():.0f} days, {frequency.size} frequencies"
          f" in {dt * 1e3:.1f} ms")
    print(f"  best period {1 / best:.4f} d (true {period}), power {power.max():.3f},"
          f" false-alarm probability {fap:.1e} (Baluev)")
    print("  power levels for false-alarm probabilities 10%, 1%, 0.1%: "
          + ", ".join(f"{v:.3f}" for v in levels))
    fast = ls.power(frequency, method="fast")
    print(f"  fast method: max |power - exact| = {np.max(np.abs(fast - power)):.1e}")
    two = inferkit.LombScargle(t, y, dy, nterms=2)
    theta = two.model_parameters(best)
    print(f"  two-harmonic model at the peak: amplitudes {np.hypot(theta[1], theta[2]):.4f},"
          f" {np.hypot(theta[3], theta[4]):.4f} (true 0.15, 0.05)")
    if plt:
        phase = np.linspace(0, 1, 200)
        fig, (a1, a2, a3) = plt.subplots(3, 1, figsize=(7, 9))
        a1.errorbar(t, y, dy, fmt=".", ms=3, elinewidth=0.5)
        a1.set_xlabel("t [d]"), a1.set_ylabel("y")
        a2.plot(frequency, power, lw=0.7)
        for v, label in zip(levels, ("10%", "1%", "0.1%")):
            a2.axhline(v, ls=":", color="gray")
            a2.text(frequency[-1], v, f" FAP {label}", va="center", fontsize=7)
        a2.set_xlabel("frequency [1/d]"), a2.set_ylabel("power (standard)")
        a3.errorbar((t * best) % 1, y, dy, fmt=".", ms=3, elinewidth=0.5, label="data")
        a3.plot(phase, two.model(phase / best, best), label="2-harmonic model")
        a3.set_xlabel(f"phase at period {1 / best:.4f} d"), a3.set_ylabel("y"), a3.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "5_periodogram.png"), dpi=100)
        plt.close(fig)


def deconvolution():
    section("6. Deconvolution of a blurred spectrum by Tikhonov regularisation (lam by GCV)")
    rng = np.random.default_rng(5)
    n = 400
    i = np.arange(n)
    truth = (np.exp(-0.5 * ((i - 170) / 6) ** 2) + 0.7 * np.exp(-0.5 * ((i - 200) / 8) ** 2)
             + 0.4 * np.exp(-0.5 * ((i - 290) / 12) ** 2))
    kernel = np.exp(-0.5 * (np.arange(-60, 61) / 15.0) ** 2)
    kernel /= kernel.sum()  # the instrument's response, sampled
    noise = 0.005
    y = inferkit.convolution_matrix(kernel, n) @ truth + rng.normal(0, noise, n)
    err = lambda f: np.linalg.norm(f - truth) / np.linalg.norm(truth)
    t0 = time.perf_counter()
    fit = inferkit.deconvolve(y, kernel, L="d1", sigma=noise, absolute_sigma=True)
    dt = time.perf_counter() - t0
    print(f"  {n} samples, Gaussian response of width 15, noise {noise}: lam = {fit.lam:.3g} by GCV"
          f" in {dt * 1e3:.0f} ms, {fit.edf:.1f} effective degrees of freedom")
    for method in ("gcv", "lcurve", "discrepancy"):
        f = inferkit.deconvolve(y, kernel, L="d1", sigma=noise, method=method)
        print(f"  {method:11s} lam = {f.lam:9.3g}  relative error {err(f.params):.3f}")
    positive = inferkit.deconvolve(y, kernel, L="d1", sigma=noise, nonnegative=True)
    print(f"  non-negative (NNLS at the GCV lam): relative error {err(positive.params):.3f},"
          f" min {positive.params.min():.2g} (unconstrained min {fit.params.min():.2g})")
    band = fit.stderr  # posterior standard deviation, from the stacked QR
    print(f"  posterior sd of f: {band.min():.3f} .. {band.max():.3f};"
          f" truth inside +-2 sd at {np.mean(np.abs(fit.params - truth) < 2 * band):.0%} of the samples"
          " (the bias of the smoothing is not in the sd)")
    if plt:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
        a1.plot(i, y, ".", ms=2, color="gray", label="blurred data")
        a1.plot(i, truth, "k", lw=1, label="truth")
        a1.fill_between(i, fit.params - 2 * band, fit.params + 2 * band, alpha=0.3, label="GCV, +-2 sd")
        a1.plot(i, fit.params, lw=1)
        a1.plot(i, positive.params, "--", lw=1, label="non-negative")
        a1.set_xlabel("channel"), a1.legend(fontsize=8)
        c = fit.curve
        a2.loglog(c.residual_norm, c.solution_norm, label="L-curve")
        a2.plot(fit.residual_norm, fit.solution_norm, "o", label=f"GCV lam = {fit.lam:.2g}")
        a2.set_xlabel("||(y - R f) / sigma||"), a2.set_ylabel("||D f||"), a2.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "6_deconvolution.png"), dpi=100)
        plt.close(fig)

def gaussian_peak():
    section("7. A Gaussian peak on a background, with Laplace errors (the lecture's example)")
    rng = np.random.default_rng(2)  # the same 41 points as bindings/c/examples/fit_peak.c
    x = np.linspace(-1, 1, 41)
    sigma = np.full(x.size, 0.1)
    y = np.round(2.0 * np.exp(-0.5 * ((x - 0.3) / 0.1) ** 2) + 0.5 + rng.normal(0, 0.1, x.size), 4)
    names = ("mu", "sig", "A", "B")
    model = inferkit.Model("A*exp(-0.5*((x-mu)/sig)^2) + B", params=names)
    p0 = [0.2, 0.2, 1.0, 0.0]
    popt, pcov = inferkit.curve_fit(model, x, y, p0=p0, sigma=sigma, absolute_sigma=True)
    res = inferkit.least_squares(model, p0, xdata=x, ydata=y, sigma=sigma, absolute_sigma=True, laplace=True)
    laplace = np.sqrt(np.diag(res.laplace_cov)) if res.laplace_cov is not None else np.full(4, np.nan)
    try:
        from scipy.optimize import curve_fit as scipy_curve_fit

        def peak(x, mu, sig, A, B):
            return A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B

        sp, sc = scipy_curve_fit(peak, x, y, p0=p0, sigma=sigma, absolute_sigma=True)
        scipy_cols = [f"{v:10.6f} +/- {e:.6f}" for v, e in zip(sp, np.sqrt(np.diag(sc)))]
        header = "   scipy curve_fit"
    except ImportError:
        scipy_cols, header = [""] * 4, "   (scipy not installed)"
    print(f"  chi2 = {res.chi2:.2f} for {res.dof} degrees of freedom; {res.message}")
    print(f"  param       value   +/- Gauss-Newton  +/- Laplace{header}")
    for name, v, e, l, s in zip(names, popt, np.sqrt(np.diag(pcov)), laplace, scipy_cols):
        print(f"  {name:5s} {v:11.6f} {e:16.6f} {l:12.6f}   {s}")
    print("  Gauss-Newton: (J^T W J)^-1, what curve_fit returns; Laplace: the inverse of the full"
          " Hessian of chi2/2,\n  which adds the residual-weighted second derivatives of the model")
    c_example()
    if plt:
        xs = np.linspace(-1, 1, 400)
        J = model.jacobian(xs, popt)               # d f(x) / d p, (400, 4)
        band = np.sqrt(np.einsum("ij,jk,ik->i", J, pcov, J))  # var f(x) = J(x) C J(x)^T
        band_l = np.sqrt(np.einsum("ij,jk,ik->i", J, res.laplace_cov, J)) if res.laplace_cov is not None else None
        f = model(xs, popt)
        fig, (ax, a2) = plt.subplots(2, 1, figsize=(6, 6), sharex=True, height_ratios=(2, 1))
        ax.errorbar(x, y, sigma, fmt="o", ms=3, label="data")
        ax.plot(xs, f, label="inferkit.curve_fit")
        ax.fill_between(xs, f - band, f + band, alpha=0.35, label="1-sigma band of the fit")
        ax.set_ylabel("y"), ax.legend(fontsize=8)
        # The band is thin next to the data: its half-width on its own.
        a2.plot(xs, band, label="Gauss-Newton covariance")
        if band_l is not None:
            a2.plot(xs, band_l, "--", label="Laplace covariance")
        a2.set_xlabel("x"), a2.set_ylabel("1-sigma of f(x)"), a2.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "gaussian_fit.png"), dpi=100)
        plt.close(fig)


def c_example(name="fit_peak", what="fit"):
    """Run bindings/c/examples/<name>.c (the same from C) when it has been built."""
    for exe in (os.path.join(REPO, "build", name), os.path.join(REPO, "bindings", "c", "bin", name)):
        if os.access(exe, os.X_OK):
            run = subprocess.run([exe], capture_output=True, text=True, timeout=60)
            print(f"  the same {what} from C ({os.path.relpath(exe, REPO)}, exit status {run.returncode}):")
            for line in (run.stdout + run.stderr).splitlines():
                print("    " + line)
            return
    print(f"  (the C version, bindings/c/examples/{name}.c, is not built: `make test-c` builds and runs it)")


def metropolis():
    section("8. The lecture's Metropolis sampler: a correlated 2-D Gaussian")
    mu = np.array([1.0, 1.0])
    corr = np.array([[0.05, 0.02], [0.02, 0.05]])
    inv = np.linalg.inv(corr)
    # log f(x) = -0.5 (x - mu)^T C^-1 (x - mu), written as a formula: evaluated natively.
    formula = "-0.5*(%.17g*(x1-1)^2 + %.17g*(x1-1)*(x2-1) + %.17g*(x2-1)^2)" % (inv[0, 0], 2 * inv[0, 1], inv[1, 1])
    sampler = inferkit.MetropolisSampler(2, formula, cov=0.0025 * np.eye(2), params=["x1", "x2"], seed=1,
                                         adapt=False, adapt_scale=False)
    t0 = time.perf_counter()
    sampler.run(2 * np.random.default_rng(0).random((1, 2)), 50000, nwarmup=1000)
    seconds = time.perf_counter() - t0
    chain = sampler.get_chain()[0]                  # (draws, ndim) of the single chain
    tau = inferkit.autocorr_time(chain[:, None, :], quiet=True)
    print(f"  50,000 steps with the lecture's jumping function J = N(x, 0.0025 I) in {seconds * 1e3:.1f} ms;"
          f" acceptance {sampler.acceptance_fraction[0]:.2f}")
    print(f"  mean {np.round(chain.mean(0), 3)} (exact {mu}); covariance {np.round(np.cov(chain.T).ravel(), 4)}"
          f" (exact {corr.ravel()})")
    print(f"  autocorrelation time {np.round(tau, 1)} steps: {chain.shape[0] / np.mean(tau):.0f} effective samples")
    if plt:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 4))
        a1.plot(chain[:2000, 0], lw=0.6, label="x1")
        a1.plot(chain[:2000, 1], lw=0.6, label="x2")
        a1.set_xlabel("step"), a1.set_title("trace (first 2000 steps)"), a1.legend(fontsize=8)
        a2.plot(chain[::5, 0], chain[::5, 1], ",", alpha=0.5)
        a2.set_xlabel("x1"), a2.set_ylabel("x2"), a2.set_title("draws")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "metropolis.png"), dpi=100)
        plt.close(fig)


def corner(samples, names, truths, path):
    """A corner plot with matplotlib alone: histograms on the diagonal, pairs below it."""
    n = samples.shape[1]
    fig, axes = plt.subplots(n, n, figsize=(2.2 * n, 2.2 * n))
    for i in range(n):
        for j in range(n):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(samples[:, i], bins=40, histtype="step", color="k")
                ax.axvline(truths[i], color="C0")
            else:
                ax.hist2d(samples[:, j], samples[:, i], bins=40, cmap="Greys")
                ax.plot(truths[j], truths[i], "s", color="C0", ms=4)
            if i == n - 1:
                ax.set_xlabel(names[j])
            else:
                ax.set_xticklabels([])
            if j == 0 and i > 0:
                ax.set_ylabel(names[i])
            elif j != i:
                ax.set_yticklabels([])
            ax.tick_params(labelsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def ensemble():
    section("9. The Gaussian-fit posterior by the ensemble sampler and by NUTS, against Laplace")
    rng = np.random.default_rng(2)  # the same 41 points as section 7
    x = np.linspace(-1, 1, 41)
    y = np.round(2.0 * np.exp(-0.5 * ((x - 0.3) / 0.1) ** 2) + 0.5 + rng.normal(0, 0.1, x.size), 4)
    names = ("mu", "sig", "A", "B")
    priors = {"mu": ("uniform", -1, 1), "sig": ("uniform", 0.01, 1), "A": ("uniform", 0, 10), "B": ("uniform", -5, 5)}
    posterior = inferkit.Posterior(inferkit.Model("A*exp(-0.5*((x-mu)/sig)^2) + B", params=names), x, y,
                                   sigma=0.1, priors=priors)
    lap = inferkit.laplace(posterior, [0.2, 0.2, 1.0, 0.0])
    sampler = inferkit.EnsembleSampler(32, 4, posterior, seed=7)
    start = lap.map + 1e-4 * np.random.default_rng(3).normal(size=(32, 4))
    t0 = time.perf_counter()
    sampler.run_mcmc(start, 5000)
    seconds = time.perf_counter() - t0
    tau = sampler.get_autocorr_time(discard=1000, quiet=True)
    flat = sampler.get_chain(discard=1000, thin=max(1, int(np.mean(tau) / 2)), flat=True)
    draws = inferkit.NUTSSampler(posterior).sample(num_warmup=500, num_samples=1000, num_chains=2, seed=7)
    nuts = draws.reshape(-1, 4)
    print(f"  ensemble: 32 walkers x 5000 steps in {seconds:.2f} s, acceptance {np.mean(sampler.acceptance_fraction):.2f},"
          f" tau {np.round(tau, 1)}")
    print(f"  R-hat of NUTS's 2 chains {np.round(inferkit.rhat(draws), 4)}, bulk ESS {np.round(inferkit.ess(draws))}")
    print("  param    Laplace MAP +/- sd      ensemble mean +/- sd      NUTS mean +/- sd")
    for k, name in enumerate(names):
        print(f"  {name:5s} {lap.map[k]:11.5f} +/- {lap.stderr[k]:.5f}   {flat[:, k].mean():11.5f} +/- {flat[:, k].std():.5f}"
              f"   {nuts[:, k].mean():11.5f} +/- {nuts[:, k].std():.5f}")
    print("  with 41 points and flat priors the posterior is close to Gaussian, so the three agree;"
          " the samplers' sd carry Monte-Carlo error of about 1/sqrt(ESS)")
    c_example("sample_peak", "ensemble run")
    if plt:
        chain = sampler.get_chain()
        fig, axes = plt.subplots(4, 1, figsize=(7, 7), sharex=True)
        for k, ax in enumerate(axes):
            ax.plot(chain[:, :, k], lw=0.3, alpha=0.4, color="k")
            ax.set_ylabel(names[k])
        axes[-1].set_xlabel("step")
        axes[0].set_title("ensemble sampler: the 32 walkers' traces")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "ensemble_trace.png"), dpi=90)
        plt.close(fig)
        corner(flat, names, lap.map, os.path.join(OUT, "ensemble_corner.png"))


def main():
    print(f"InferKit {inferkit.__version__}: a tour")
    if plt:
        os.makedirs(OUT, exist_ok=True)
    weighted_line()
    nist_filip()
    spectral()
    many_pixels()
    periodogram()
    deconvolution()
    gaussian_peak()
    metropolis()
    ensemble()
    print()
    print(f"figures written to {OUT}" if plt else "(install matplotlib for figures)")


if __name__ == "__main__":
    main()
