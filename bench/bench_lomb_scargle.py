#!/usr/bin/env python3
"""Workload 4 (lomb_scargle) of shared/bench/WORKLOADS.md: the floating-mean Lomb-Scargle
periodogram (standard normalisation) of 10,000 unevenly sampled points at 10,000 frequencies,
by InferKit and by astropy in one run.

Prints the median time of InferKit's exact method (all cores and one thread) and fast method,
astropy's exact ``cython`` method and its ``fast`` method, the ratios, and the largest power
differences. astropy's exact method takes seconds: when its estimated total exceeds 30 s it is
timed on an evenly spread subset of the frequencies and scaled linearly (its cost is exactly
proportional to the number of frequencies), and the output says so.
Run: make bench (or PYTHONPATH=bindings/python python3 bench/bench_lomb_scargle.py).
"""
import os
import time

import numpy as np
from astropy.timeseries import LombScargle as AstropyLombScargle

import inferkit
from _timing import median_time


def workload():
    """The arrays of workload 4."""
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 100, 10000)
    y = np.sin(2 * np.pi * 0.37 * t) + rng.normal(0, 0.5, 10000)
    dy = 0.5
    f = np.linspace(0.01, 5, 10000)
    return t, y, dy, f


def main():
    t, y, dy, f = workload()
    ours = inferkit.LombScargle(t, y, dy)
    theirs = AstropyLombScargle(t, y, dy)
    cores = os.cpu_count()
    print(f"workload 4 (lomb_scargle): n = {t.size} points, {f.size} frequencies, "
          f"floating mean, standard normalisation, {cores} cores")

    exact = ours.power(f)
    fast = ours.power(f, method="fast")
    t_exact = median_time(lambda: ours.power(f), repeat=7)
    t_exact_1 = median_time(lambda: ours.power(f, n_threads=1), repeat=3)
    t_fast = median_time(lambda: ours.power(f, method="fast"), repeat=21)
    astropy_fast = theirs.power(f, method="fast")
    t_astropy_fast = median_time(lambda: theirs.power(f, method="fast"), repeat=21)

    # astropy's exact method: estimate from a 1/20 subset, then time the whole grid when that
    # fits in 30 s, else time the subset and scale.
    subset = f[::20]
    t0 = time.perf_counter()
    astropy_subset = theirs.power(subset, method="cython")
    estimate = (time.perf_counter() - t0) * f.size / subset.size
    if estimate * 3 <= 30:
        t_astropy_exact = median_time(lambda: theirs.power(f, method="cython"), repeat=3,
                                      warmup_seconds=0)
        astropy_exact, note = theirs.power(f, method="cython"), "full grid"
        compare = exact
    elif estimate <= 30:
        t_astropy_exact = median_time(lambda: theirs.power(f, method="cython"), repeat=1,
                                      warmup_seconds=0)
        astropy_exact, note = theirs.power(f, method="cython"), "full grid, one run"
        compare = exact
    else:
        t_sub = median_time(lambda: theirs.power(subset, method="cython"), repeat=3,
                            warmup_seconds=0)
        t_astropy_exact = t_sub * f.size / subset.size
        astropy_exact, compare = astropy_subset, exact[::20]
        note = (f"timed on {subset.size} of {f.size} frequencies (every 20th) and scaled "
                f"x{f.size / subset.size:g}: its cost is linear in the number of frequencies")

    rel = np.max(np.abs(compare - astropy_exact) / np.abs(astropy_exact))
    print()
    print(f"{'method':38s} {'time':>10s} {'vs astropy exact':>17s} {'vs astropy fast':>16s}")
    rows = [
        ("astropy exact (cython)", t_astropy_exact),
        ("astropy fast (low-rank NUFFT)", t_astropy_fast),
        (f"InferKit exact ({cores} threads)", t_exact),
        ("InferKit exact (1 thread)", t_exact_1),
        (f"InferKit fast ({cores} threads)", t_fast),
    ]
    for name, seconds in rows:
        print(f"{name:38s} {seconds * 1e3:8.1f} ms {t_astropy_exact / seconds:16.1f}x "
              f"{t_astropy_fast / seconds:15.2f}x")
    print(f"(astropy exact: {note})")
    print()
    print(f"InferKit exact vs astropy exact: max relative power difference {rel:.1e}")
    print(f"InferKit fast  vs InferKit exact: max absolute power difference "
          f"{np.max(np.abs(fast - exact)):.1e}")
    print(f"astropy fast   vs InferKit exact: max absolute power difference "
          f"{np.max(np.abs(astropy_fast - exact)):.1e}")
    print(f"goals: exact >= 20x astropy exact: {t_astropy_exact / t_exact:.0f}x; "
          f"fast no slower than astropy fast: {t_astropy_fast / t_fast:.1f}x")


if __name__ == "__main__":
    main()
