"""Timing shared by the benchmarks."""
import time

import numpy as np


def median_time(fn, repeat=20, warmup_seconds=0.5):
    """Median wall time of fn() in steady state: fn is first called repeatedly for
    `warmup_seconds` (not timed), so that the threads an earlier method left busy-waiting
    (OpenBLAS keeps its workers spinning for a while after each call) have settled and every
    method is measured the way a loop of calls sees it."""
    t_end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < t_end:
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))
