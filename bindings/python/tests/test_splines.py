"""Splines and simple interpolators against scipy.interpolate and numpy on the same inputs.

The first half compares values (evaluation, derivatives, extrapolation, integrals, design
matrices, least-squares and interpolating splines, covariances, prediction bands, linear and
nearest interpolation) with scipy/numpy or with a dense reference formula. The second half
feeds the bad inputs the header describes and asserts the exception class, its ``.code`` and
that the message names the culprit (exact wording is not checked).
"""

import ctypes
import inspect
import re

import numpy as np
import pytest
import scipy.interpolate as si

import inferkit
from inferkit import _capi
from inferkit._library import lib
from conftest import assert_error, squash

DOUBLE_P = ctypes.POINTER(ctypes.c_double)




def names_word(excinfo, word):
    """The message contains ``word`` as a whole word (``k`` but not the k of ``knot``)."""
    return re.search(r"(?<![A-Za-z0-9_])" + re.escape(word) + r"(?![A-Za-z0-9_])",
                     str(excinfo.value)) is not None


def assert_close(got, want, rtol=1e-10, scale=None, atol_factor=1e-12):
    """Mixed tolerance: |got - want| <= rtol |want| + atol_factor * scale (default max|want|).

    NaN must match NaN at the same places.
    """
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert got.shape == want.shape, (got.shape, want.shape)
    finite = np.isfinite(want)
    if scale is None:
        scale = np.max(np.abs(want[finite])) if finite.any() else 1.0
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got[finite], want[finite], rtol=rtol,
                               atol=atol_factor * max(scale, 1e-300))


def pointer(array):
    """``double*`` to a contiguous float64 array."""
    return array.ctypes.data_as(DOUBLE_P)


# ------------------------------------------------------------------------------------------
# Test data
# ------------------------------------------------------------------------------------------


def random_knots(rng, k, clamped=True, interior=9, multiplicity=1):
    """Random knots of degree k on a random base interval [lo, hi].

    ``clamped``: the ends repeated k + 1 times (as scipy's fitting routines make them);
    otherwise k distinct extra knots beyond each end. One interior knot is repeated
    ``multiplicity`` times (at most k + 1, where the spline may jump).
    """
    lo = rng.uniform(-2.0, 0.0)
    hi = lo + rng.uniform(1.0, 4.0)
    inner = np.sort(rng.uniform(lo, hi, interior))
    if multiplicity > 1:
        inner = np.sort(np.r_[inner, np.repeat(inner[interior // 2], multiplicity - 1)])
    if clamped:
        left, right = np.full(k + 1, lo), np.full(k + 1, hi)
    else:
        left = lo - np.cumsum(rng.uniform(0.1, 0.5, k))[::-1]
        right = hi + np.cumsum(rng.uniform(0.1, 0.5, k))
        left, right = np.r_[left, lo], np.r_[hi, right]
    return np.r_[left, inner, right]


def random_spline(seed, k, clamped=True):
    """(t, c) of a random spline of degree k; the seed also picks an interior multiplicity."""
    rng = np.random.default_rng(1000 * k + seed + (0 if clamped else 500))
    multiplicity = 1 + seed % (k + 1)
    t = random_knots(rng, k, clamped=clamped, multiplicity=multiplicity)
    c = 3.0 * rng.standard_normal(t.size - k - 1)
    return t, c


def base_interval(t, k):
    """(t[k], t[n_t - k - 1])."""
    return t[k], t[t.size - k - 1]


def sample_points(seed, t, k, size=200, margin=0.4):
    """Random points over the base interval widened by ``margin`` of its width each side."""
    lo, hi = base_interval(t, k)
    width = hi - lo
    rng = np.random.default_rng(seed + 77)
    return np.r_[rng.uniform(lo - margin * width, hi + margin * width, size), lo, hi]


def workload(n=20000, n_interior=100, k=3, seed=0, weighted=False):
    """The spline_lsq benchmark shape (bench/WORKLOADS.md), smaller n: (x, y, t, w)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 10.0, n))
    y = np.sin(x) + rng.normal(0.0, 0.1, n)
    inner = np.linspace(0.0, 10.0, n_interior + 2)[1:-1]
    t = np.r_[np.zeros(k + 1), inner, np.full(k + 1, 10.0)]
    w = 1.0 / rng.uniform(0.05, 0.2, n) if weighted else None
    return x, y, t, w


def scipy_lsq(x, y, t, k, w):
    """scipy.interpolate.make_lsq_spline, with method="qr" where scipy has it."""
    kwargs = {}
    if "method" in inspect.signature(si.make_lsq_spline).parameters:
        kwargs["method"] = "qr"
    return si.make_lsq_spline(x, y, t, k=k, w=w, **kwargs)


def dense_design(x, t, k):
    """scipy's B-spline design matrix as a dense array."""
    return si.BSpline.design_matrix(x, t, k).toarray()


# ------------------------------------------------------------------------------------------
# BSpline: construction, evaluation, derivatives, extrapolation
# ------------------------------------------------------------------------------------------


def test_attributes_and_shapes():
    """t, c, k, extrapolate as given; scalar -> float, any shape -> that shape, [] -> []."""
    t, c = random_spline(0, 3)
    spl = inferkit.BSpline(t, c, 3)
    np.testing.assert_array_equal(spl.t, t)
    np.testing.assert_array_equal(spl.c, c)
    assert spl.k == 3 and isinstance(spl.k, int)
    assert spl.extrapolate is True
    assert inferkit.BSpline(t, c, 3, extrapolate=False).extrapolate is False
    ref = si.BSpline(t, c, 3)
    lo, hi = base_interval(t, 3)
    x0 = 0.5 * (lo + hi)
    value = spl(x0)
    assert isinstance(value, float)
    assert_close(value, ref(x0))
    grid = np.linspace(lo, hi, 12).reshape(3, 4)
    out = spl(grid)
    assert out.shape == (3, 4)
    assert_close(out, ref(grid))
    assert spl(np.empty(0)).shape == (0,)
    assert spl([x0, x0]).shape == (2,)
    assert "k=3" in repr(spl)


@pytest.mark.parametrize("clamped", [True, False])
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", range(6))
def test_evaluate_and_derivatives_match_scipy(k, seed, clamped):
    """Values and derivatives nu = 0..k+2, inside and extrapolated, equal scipy's."""
    t, c = random_spline(seed, k, clamped)
    spl = inferkit.BSpline(t, c, k)
    ref = si.BSpline(t, c, k)
    x = sample_points(seed, t, k)
    for nu in range(k + 3):
        want = ref(x, nu=nu)
        got = spl(x, nu=nu)
        assert_close(got, want)
        if nu > k:
            np.testing.assert_array_equal(got, 0.0)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", range(6))
def test_extrapolate_false_gives_nan_outside(k, seed):
    """extrapolate=False (on the spline or per call): NaN outside [t[k], t[n]], as scipy."""
    t, c = random_spline(seed, k, clamped=seed % 2 == 0)
    x = sample_points(seed, t, k)
    lo, hi = base_interval(t, k)
    outside = (x < lo) | (x > hi)
    assert outside.any() and (~outside).any()
    ref = si.BSpline(t, c, k, extrapolate=False)
    for nu in range(k + 2):
        want = ref(x, nu=nu)
        assert np.all(np.isnan(want[outside]))
        assert_close(inferkit.BSpline(t, c, k, extrapolate=False)(x, nu=nu), want)
        assert_close(inferkit.BSpline(t, c, k)(x, nu=nu, extrapolate=False), want)
        # the per-call argument overrides the spline's default in both directions
        assert_close(inferkit.BSpline(t, c, k, extrapolate=False)(x, nu=nu, extrapolate=True),
                     si.BSpline(t, c, k)(x, nu=nu))
    assert np.isfinite(inferkit.BSpline(t, c, k, extrapolate=False)(lo))
    assert np.isfinite(inferkit.BSpline(t, c, k, extrapolate=False)(hi))


@pytest.mark.parametrize("k", range(6))
def test_nan_in_x_gives_nan(k):
    """NaN among the evaluation points gives NaN there and does not disturb the others."""
    t, c = random_spline(1, k)
    lo, hi = base_interval(t, k)
    x = np.array([lo, np.nan, 0.5 * (lo + hi), hi])
    got = inferkit.BSpline(t, c, k)(x)
    assert np.isnan(got[1])
    assert_close(got[[0, 2, 3]], si.BSpline(t, c, k)(x[[0, 2, 3]]))


@pytest.mark.parametrize("k", range(1, 6))
def test_evaluate_at_the_knots_matches_scipy(k):
    """At the knots themselves (values and derivatives) the result is scipy's.

    scipy evaluates in the knot interval t[l] <= x < t[l+1] (from the right) and at the right
    end of the base interval in the last interval. This spline has an interior knot of
    multiplicity k + 1, where the spline itself jumps.
    """
    rng = np.random.default_rng(40 + k)
    t = random_knots(rng, k, clamped=True, multiplicity=k + 1)
    c = rng.standard_normal(t.size - k - 1)
    spl, ref = inferkit.BSpline(t, c, k), si.BSpline(t, c, k)
    knots = np.unique(t)
    for nu in range(k + 1):
        assert_close(spl(knots, nu=nu), ref(knots, nu=nu))


@pytest.mark.parametrize("k", range(6))
def test_spline_of_ones_is_one(k):
    """With all coefficients 1 the B-splines sum to 1 on the base interval."""
    t, _ = random_spline(2, k, clamped=False)
    spl = inferkit.BSpline(t, np.ones(t.size - k - 1), k)
    lo, hi = base_interval(t, k)
    np.testing.assert_allclose(spl(np.linspace(lo, hi, 101)), 1.0, rtol=1e-13)


def test_lsq_and_interp_splines_are_bsplines():
    """Factory results are BSplines with their knots, coefficients and degree readable."""
    x, y, t, _ = workload(n=500, n_interior=10)
    spl = inferkit.make_lsq_spline(x, y, t, k=3)
    assert isinstance(spl, inferkit.BSpline)
    np.testing.assert_array_equal(spl.t, t)
    assert spl.k == 3 and spl.c.shape == (t.size - 4,) and spl.extrapolate
    spl = inferkit.make_interp_spline(x[:20], y[:20], k=2)
    assert isinstance(spl, inferkit.BSpline) and spl.k == 2


# ------------------------------------------------------------------------------------------
# Integrals
# ------------------------------------------------------------------------------------------


def integration_limits(t, k):
    """(a, b) pairs: inside, across each end, around everything, reversed, outside, empty."""
    lo, hi = base_interval(t, k)
    w = hi - lo
    inside = (lo + 0.13 * w, lo + 0.71 * w)
    return [
        inside,
        inside[::-1],
        (lo, hi),
        (hi, lo),
        (lo - 0.3 * w, lo + 0.4 * w),
        (lo + 0.6 * w, hi + 0.25 * w),
        (lo - 0.2 * w, hi + 0.3 * w),
        (hi + 0.3 * w, lo - 0.2 * w),
        (lo - 0.5 * w, lo - 0.1 * w),
        (hi + 0.4 * w, hi + 0.1 * w),
        (lo + 0.5 * w, lo + 0.5 * w),
    ]


def integral_scale(ref, a, b):
    """max|s| over [a, b] times |b - a|: the size against which rounding is measured."""
    grid = np.linspace(min(a, b), max(a, b), 101)
    return max(np.max(np.abs(ref(grid))) * abs(b - a), 1e-300)


@pytest.mark.parametrize("extrapolate", [True, False])
@pytest.mark.parametrize("clamped", [True, False])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k", range(6))
def test_integrate_matches_scipy(k, seed, clamped, extrapolate):
    """Definite integrals (inside, across ends, reversed, outside) equal scipy's."""
    t, c = random_spline(seed, k, clamped)
    spl = inferkit.BSpline(t, c, k)
    ref = si.BSpline(t, c, k)
    for a, b in integration_limits(t, k):
        want = ref.integrate(a, b, extrapolate=extrapolate)
        got = spl.integrate(a, b, extrapolate=extrapolate)
        assert isinstance(got, float)
        assert_close(got, want, scale=integral_scale(ref, a, b))
        assert_close(spl.integrate(b, a, extrapolate=extrapolate), -want,
                     scale=integral_scale(ref, a, b))


def test_integrate_uses_the_spline_default():
    """integrate() without extrapolate follows the spline's own extrapolate flag."""
    t, c = random_spline(1, 3)
    lo, hi = base_interval(t, 3)
    a, b = lo - 1.0, hi + 1.0
    ref = si.BSpline(t, c, 3)
    assert_close(inferkit.BSpline(t, c, 3).integrate(a, b), ref.integrate(a, b, True))
    assert_close(inferkit.BSpline(t, c, 3, extrapolate=False).integrate(a, b),
                 ref.integrate(a, b, False))
    assert_close(inferkit.BSpline(t, c, 3, extrapolate=False).integrate(a, b, extrapolate=False),
                 inferkit.BSpline(t, c, 3).integrate(lo, hi))


# ------------------------------------------------------------------------------------------
# Design matrices
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("clamped", [True, False])
@pytest.mark.parametrize("k", range(6))
def test_design_matrix_matches_scipy(k, clamped):
    """design_matrix(x, t, k) is scipy's BSpline.design_matrix(...).toarray()."""
    t, _ = random_spline(3, k, clamped)
    lo, hi = base_interval(t, k)
    x = np.r_[lo, np.sort(np.random.default_rng(k).uniform(lo, hi, 40)), hi]
    got = inferkit.BSpline.design_matrix(x, t, k)
    want = dense_design(x, t, k)
    assert got.shape == want.shape == (x.size, t.size - k - 1)
    assert_close(got, want, atol_factor=1e-13)


@pytest.mark.parametrize("k", range(1, 6))
def test_design_matrix_derivatives(k):
    """With nu > 0, column j is the nu-th derivative of the B-spline B_j."""
    t, _ = random_spline(0, k)
    lo, hi = base_interval(t, k)
    x = np.sort(np.random.default_rng(k + 10).uniform(lo, hi, 30))
    n_c = t.size - k - 1
    for nu in range(1, k + 2):
        got = inferkit.BSpline.design_matrix(x, t, k, nu=nu)
        want = np.column_stack([si.BSpline(t, np.eye(n_c)[j], k)(x, nu=nu) for j in range(n_c)])
        assert_close(got, want)


# ------------------------------------------------------------------------------------------
# Least-squares splines
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", range(1, 6))
def test_lsq_matches_scipy(k, weighted):
    """Coefficients of make_lsq_spline equal scipy's (method="qr") on workload-like data."""
    x, y, t, w = workload(k=k, weighted=weighted)
    spl = inferkit.make_lsq_spline(x, y, t, k=k, w=w)
    ref = scipy_lsq(x, y, t, k, w)
    assert_close(spl.c, ref.c)
    grid = np.linspace(-0.5, 10.5, 301)
    assert_close(spl(grid), ref(grid))


def test_lsq_full_workload():
    """The benchmark workload itself: n = 100000, 100 interior knots, cubic."""
    x, y, t, _ = workload(n=100000)
    spl = inferkit.make_lsq_spline(x, y, t, k=3)
    assert_close(spl.c, scipy_lsq(x, y, t, 3, None).c)


def test_lsq_default_degree_is_cubic():
    """k defaults to 3, as in scipy."""
    x, y, t, _ = workload(n=2000, n_interior=20)
    spl = inferkit.make_lsq_spline(x, y, t)
    assert spl.k == 3
    assert_close(spl.c, scipy_lsq(x, y, t, 3, None).c)


def test_lsq_with_repeated_x_and_irregular_knots():
    """Repeated abscissae are allowed (x non-decreasing); interior knot repeats too."""
    rng = np.random.default_rng(5)
    x = np.sort(np.round(rng.uniform(0.0, 4.0, 400), 1))
    assert np.any(np.diff(x) == 0)
    y = np.exp(-x) * np.cos(3 * x) + rng.normal(0, 0.02, x.size)
    inner = np.array([0.5, 1.0, 1.0, 1.7, 2.2, 2.2, 2.2, 3.1])
    t = np.r_[np.zeros(4), inner, np.full(4, 4.0)]
    w = rng.uniform(0.5, 2.0, x.size)
    spl = inferkit.make_lsq_spline(x, y, t, k=3, w=w)
    assert_close(spl.c, scipy_lsq(x, y, t, 3, w).c)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_lsq_reproduces_a_polynomial_of_degree_k(k):
    """Exact data of a degree-k polynomial is reproduced to rounding (no noise, any knots)."""
    x, _, t, _ = workload(n=3000, n_interior=15, k=k)
    poly = np.polynomial.Polynomial(np.linspace(1.0, -0.5, k + 1) / 5.0 ** np.arange(k + 1))
    spl = inferkit.make_lsq_spline(x, poly(x), t, k=k)
    grid = np.linspace(0.0, 10.0, 97)
    assert_close(spl(grid), poly(grid))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", [1, 3, 4])
def test_lsq_covariance_matches_dense_reference(k, weighted):
    """cov = (B^T W^2 B)^-1 chi2/(n - n_c); absolute: unscaled. predict_std = sqrt(b cov b)."""
    x, y, t, w = workload(n=4000, n_interior=30, k=k, weighted=weighted)
    spl = inferkit.make_lsq_spline(x, y, t, k=k, w=w)
    weights = np.ones_like(x) if w is None else w
    b = dense_design(x, t, k) * weights[:, None]
    unscaled = np.linalg.inv(b.T @ b)
    ref = scipy_lsq(x, y, t, k, w)
    chi2 = np.sum((weights * (y - ref(x))) ** 2)
    n_c = t.size - k - 1
    relative = unscaled * chi2 / (x.size - n_c)
    cov = spl.cov
    assert cov.shape == (n_c, n_c)
    assert_close(cov, relative, atol_factor=1e-13)
    assert_close(spl.covariance(absolute_sigma=False), relative, atol_factor=1e-13)
    assert_close(spl.covariance(absolute_sigma=True), unscaled, atol_factor=1e-13)
    np.testing.assert_allclose(cov, cov.T, rtol=1e-12, atol=1e-15 * np.abs(cov).max())

    x_new = np.r_[0.0, np.linspace(0.05, 9.95, 58), 10.0]
    bx = dense_design(x_new, t, k)
    for absolute, c in ((False, relative), (True, unscaled)):
        want = np.sqrt(np.einsum("ij,jk,ik->i", bx, c, bx))
        assert_close(spl.predict_std(x_new, absolute_sigma=absolute), want)
    assert isinstance(spl.predict_std(5.0), float)
    assert spl.predict_std(x_new.reshape(3, 20)).shape == (3, 20)


def test_lsq_absolute_sigma_covariance_scales_with_sigma():
    """With absolute sigma, doubling every sigma (halving w) quadruples the covariance."""
    x, y, t, w = workload(n=1000, n_interior=10, weighted=True)
    one = inferkit.make_lsq_spline(x, y, t, w=w).covariance(absolute_sigma=True)
    two = inferkit.make_lsq_spline(x, y, t, w=w / 2).covariance(absolute_sigma=True)
    assert_close(two, 4.0 * one, atol_factor=1e-13)
    rel_one = inferkit.make_lsq_spline(x, y, t, w=w).cov
    rel_two = inferkit.make_lsq_spline(x, y, t, w=w / 2).cov
    assert_close(rel_two, rel_one, atol_factor=1e-13)


# ------------------------------------------------------------------------------------------
# Interpolating splines
# ------------------------------------------------------------------------------------------


def interp_data(seed, n=25):
    """Strictly increasing x with irregular gaps and smooth y."""
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.uniform(0.1, 1.0, n)) - 3.0
    y = np.cos(x) + 0.3 * x
    return x, y


@pytest.mark.parametrize("n_extra", [0, 1, 2, 20])
@pytest.mark.parametrize("k", range(1, 6))
def test_interp_not_a_knot_matches_scipy(k, n_extra):
    """Not-a-knot (default and explicit): knots and coefficients equal scipy's; n >= k + 1."""
    x, y = interp_data(k, n=k + 1 + n_extra)
    ref = si.make_interp_spline(x, y, k=k)
    for bc in (None, "not-a-knot"):
        spl = inferkit.make_interp_spline(x, y, k=k, bc_type=bc)
        assert spl.k == k
        assert_close(spl.t, ref.t)
        assert_close(spl.c, ref.c)
        assert_close(spl(x), y)


@pytest.mark.parametrize("bc", ["natural", "clamped"])
def test_interp_natural_and_clamped_match_scipy(bc):
    """Cubic natural and clamped splines: knots, coefficients and end conditions as scipy."""
    x, y = interp_data(11)
    spl = inferkit.make_interp_spline(x, y, k=3, bc_type=bc)
    ref = si.make_interp_spline(x, y, k=3, bc_type=bc)
    assert_close(spl.t, ref.t)
    assert_close(spl.c, ref.c)
    assert_close(spl(x), y)
    ends = np.array([x[0], x[-1]])
    nu = 2 if bc == "natural" else 1
    np.testing.assert_allclose(spl(ends, nu=nu), 0.0, atol=1e-10 * np.abs(spl.c).max())


def test_interp_default_is_cubic_not_a_knot():
    """k = 3 and not-a-knot by default."""
    x, y = interp_data(3)
    spl = inferkit.make_interp_spline(x, y)
    ref = si.make_interp_spline(x, y)
    assert spl.k == 3
    assert_close(spl.c, ref.c)


def test_interp_degree_zero_matches_scipy():
    """k = 0: scipy's knots x[0..n) + (x[n-1],), c = y: a step function through the data."""
    x, y = interp_data(4, n=9)
    spl = inferkit.make_interp_spline(x, y, k=0)
    ref = si.make_interp_spline(x, y, k=0)
    assert spl.k == 0
    assert_close(spl.t, ref.t)
    assert_close(spl.c, ref.c)
    assert_close(spl(x), y)
    grid = np.linspace(x[0] - 1.0, x[-1] + 1.0, 211)
    assert_close(spl(grid), ref(grid))


def test_interp_degree_zero_integral():
    """The k = 0 interpolant is the step function y_i on [x_i, x_{i+1}); its integral is exact.

    Its knots end in x[n-1] twice (scipy's choice), a zero-length last interval; integrals
    that reach x[n-1] must still be the sum of the steps (scipy itself returns 0.0 or NaN
    there, so the reference is the formula).
    """
    x = np.array([0.0, 1.0, 3.0, 4.0])
    y = np.array([1.0, 2.0, 3.0, 4.0])
    spl = inferkit.make_interp_spline(x, y, k=0)
    np.testing.assert_array_equal(spl([0.5, 1.0, 2.9, 3.0, 4.0]), [1.0, 2.0, 2.0, 3.0, 4.0])
    assert spl.integrate(0.5, 3.5) == pytest.approx(0.5 + 4.0 + 1.5, rel=1e-14)
    assert spl.integrate(0.0, 4.0) == pytest.approx(8.0, rel=1e-14)
    assert spl.integrate(4.0, 0.0) == pytest.approx(-8.0, rel=1e-14)
    assert spl.integrate(-1.0, 5.0, extrapolate=False) == pytest.approx(8.0, rel=1e-14)
    # extrapolated: the first step continues to the left, the value at x[n-1] to the right
    assert spl.integrate(-1.0, 5.0) == pytest.approx(1.0 + 8.0 + 4.0, rel=1e-14)


# ------------------------------------------------------------------------------------------
# Linear and nearest interpolation
# ------------------------------------------------------------------------------------------


def interp_points(xp):
    """Random points inside and outside, plus every xp and every midpoint."""
    rng = np.random.default_rng(9)
    lo, hi = xp[0], xp[-1]
    return np.r_[rng.uniform(lo - 2.0, hi + 2.0, 300), xp, 0.5 * (xp[1:] + xp[:-1])]


def test_interp_linear_matches_numpy():
    """interp_linear(x, xp, fp) equals numpy.interp, end values outside."""
    xp, fp = interp_data(21, n=30)
    x = interp_points(xp)
    assert_close(inferkit.interp_linear(x, xp, fp), np.interp(x, xp, fp), rtol=1e-13,
                 atol_factor=1e-15)
    assert isinstance(inferkit.interp_linear(0.3, xp, fp), float)
    assert_close(inferkit.interp_linear(0.3, xp, fp), np.interp(0.3, xp, fp), rtol=1e-13)
    grid = x[:12].reshape(4, 3)
    assert inferkit.interp_linear(grid, xp, fp).shape == (4, 3)
    assert inferkit.interp_linear(np.empty(0), xp, fp).shape == (0,)
    assert inferkit.interp_linear([-100.0, 100.0], xp, fp).tolist() == [fp[0], fp[-1]]
    np.testing.assert_array_equal(inferkit.interp_linear(xp, xp, fp), fp)
    special = np.array([np.nan, np.inf, -np.inf])
    np.testing.assert_array_equal(inferkit.interp_linear(special, xp, fp),
                                  np.interp(special, xp, fp))


def test_interp_linear_single_point():
    """One data point: the constant fp[0] everywhere (n_p >= 1)."""
    out = inferkit.interp_linear([-1.0, 2.0, 5.0], [2.0], [7.5])
    np.testing.assert_array_equal(out, [7.5, 7.5, 7.5])


def test_interp_nearest_matches_scipy_interp1d():
    """interp_nearest equals interp1d(kind="nearest") with the end values as fill, ties left."""
    xp = np.array([-2.0, -1.0, 0.0, 0.5, 2.0, 4.0, 4.25, 7.0])
    fp = np.array([3.0, -1.0, 2.5, 0.0, 8.0, -4.0, 1.0, 6.0])
    x = interp_points(xp)
    ref = si.interp1d(xp, fp, kind="nearest", bounds_error=False, fill_value=(fp[0], fp[-1]))
    np.testing.assert_array_equal(inferkit.interp_nearest(x, xp, fp), ref(x))
    midpoints = 0.5 * (xp[1:] + xp[:-1])  # exact in binary: ties take the left neighbour
    np.testing.assert_array_equal(inferkit.interp_nearest(midpoints, xp, fp), fp[:-1])
    assert isinstance(inferkit.interp_nearest(0.1, xp, fp), float)
    assert inferkit.interp_nearest(x[:6].reshape(2, 3), xp, fp).shape == (2, 3)


def test_interp_nearest_random():
    """Random irregular data against interp1d."""
    xp, fp = interp_data(22, n=40)
    x = interp_points(xp)
    ref = si.interp1d(xp, fp, kind="nearest", bounds_error=False, fill_value=(fp[0], fp[-1]))
    np.testing.assert_array_equal(inferkit.interp_nearest(x, xp, fp), ref(x))


# ------------------------------------------------------------------------------------------
# Bad inputs: BSpline
# ------------------------------------------------------------------------------------------

T3 = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 2.5, 4.0, 4.0, 4.0, 4.0])
C3 = np.array([1.0, -2.0, 0.5, 3.0, 1.0, 0.0, 2.0])


def test_unsorted_knots():
    """A knot smaller than its predecessor names t[i]."""
    t = T3.copy()
    t[5] = 0.5
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline(t, C3, 3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "t[")


def test_knot_repeated_more_than_k_plus_1_times():
    """An interior knot repeated k + 2 times is invalid and the message names t."""
    t = np.r_[np.zeros(4), np.full(5, 2.0), np.full(4, 4.0)]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline(t, np.ones(t.size - 4), 3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "t[")
    # At the ends of the base interval extra copies are allowed (they only add B-splines of
    # empty support; scipy's k = 0 interpolation ends with x[n-1] twice): the spline equals
    # scipy's on the same knots.
    t = np.r_[np.zeros(5), 2.0, np.full(4, 4.0)]
    c = np.arange(t.size - 4, dtype=float)
    xs = np.linspace(0.0, 4.0, 9)
    assert_close(inferkit.BSpline(t, c, 3)(xs), si.BSpline(t, c, 3)(xs))


def test_empty_base_interval():
    """t[k] == t[n_t - k - 1] leaves no base interval: invalid, naming t."""
    for t, k in (([0.0, 1.0, 1.0, 2.0], 1), ([0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0], 3)):
        with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
            inferkit.BSpline(t, np.ones(len(t) - k - 1), k)
        assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "t")


@pytest.mark.parametrize("n_c", [0, 6, 8])
def test_wrong_number_of_coefficients(n_c):
    """n_c != n_t - k - 1 is a dimension error that names c and the count."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.BSpline(T3, np.ones(n_c), 3)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, str(n_c))
    assert "n_c" in squash(excinfo.value) or names_word(excinfo, "c")


def test_too_few_knots():
    """Fewer than k + 2 knots (n_t - k - 1 would underflow) is a dimension error."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.BSpline([0.0, 1.0, 2.0], np.ones(1), 3)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)
    assert "t" in squash(excinfo.value)


@pytest.mark.parametrize("k", [-1, -5, 21, 100])
def test_degree_out_of_range(k):
    """k < 0 or k > 20 names k."""
    t = np.linspace(0.0, 1.0, 2 * abs(k) + 2)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline(t, np.ones(max(t.size - k - 1, 1)), k)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
    assert names_word(excinfo, "k"), str(excinfo.value)


def test_degree_twenty_is_allowed():
    """k = 20 is the largest degree and works."""
    t = np.r_[np.zeros(21), np.ones(21)]
    spl = inferkit.BSpline(t, np.ones(21), 20)
    assert_close(spl(np.linspace(0, 1, 5)), np.ones(5))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_knots_and_coefficients(bad):
    """NaN/Inf in t or c is named t[i] or c[i]."""
    t = T3.copy()
    t[5] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.BSpline(t, C3, 3)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "t[5]")
    c = C3.copy()
    c[2] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.BSpline(T3, c, 3)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "c[2]")


@pytest.mark.parametrize("nu", [-1, -3])
def test_negative_derivative_order(nu):
    """nu < 0 (scipy's antiderivative) is invalid and names nu."""
    spl = inferkit.BSpline(T3, C3, 3)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        spl([0.5, 1.5], nu=nu)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "nu")


def test_bad_extrapolate_values():
    """extrapolate="periodic" is rejected in Python; a bad C code names extrapolate."""
    spl = inferkit.BSpline(T3, C3, 3)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        spl(1.0, extrapolate="periodic")
    assert "extrapolate" in squash(excinfo.value)
    x = np.array([0.5, 1.0])
    out = np.empty(2)
    for code in (2, -1, 99):
        assert lib.ik_spline_evaluate(spl._handle, pointer(x), 2, 0, code,
                                      pointer(out)) == _capi.IK_ERR_INVALID_ARGUMENT
        assert "extrapolate" in squash(inferkit.last_error())
        value = ctypes.c_double()
        assert lib.ik_spline_integrate(spl._handle, 0.0, 1.0, code,
                                       ctypes.byref(value)) == _capi.IK_ERR_INVALID_ARGUMENT
        assert "extrapolate" in squash(inferkit.last_error())


def test_covariance_of_a_spline_not_from_lsq():
    """cov and predict_std exist only for make_lsq_spline results: InvalidArgumentError."""
    spl = inferkit.BSpline(T3, C3, 3)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        spl.cov
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        spl.predict_std([0.5])
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
    x, y = interp_data(1)
    with pytest.raises(inferkit.InvalidArgumentError):
        inferkit.make_interp_spline(x, y).covariance(absolute_sigma=True)


def test_design_matrix_bad_inputs():
    """Points outside the base interval or NaN are named x[i]; bad knots name t."""
    x = np.array([0.5, 4.5, 1.0])
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline.design_matrix(x, T3, 3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "x[1]")
    x[1] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.BSpline.design_matrix(x, T3, 3)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "x[1]")
    t = T3.copy()
    t[6] = 0.1
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline.design_matrix([0.5], t, 3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "t[")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.BSpline.design_matrix([0.5], T3, 3, nu=-1)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "nu")


# ------------------------------------------------------------------------------------------
# Bad inputs: make_lsq_spline
# ------------------------------------------------------------------------------------------


@pytest.fixture
def lsq_data():
    """A small cubic least-squares problem on T3's base interval [0, 4]: (x, y, w)."""
    x = np.linspace(0.0, 4.0, 40)
    return x, np.sin(x), np.full(40, 2.0)


def test_lsq_x_not_sorted(lsq_data):
    """x must be non-decreasing; the message names the offending x[i]."""
    x, y, _ = lsq_data
    x = x.copy()
    x[[10, 11]] = x[[11, 10]]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_lsq_spline(x, y, T3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "x[")


@pytest.mark.parametrize("where, value", [(0, -0.1), (39, 4.000001)])
def test_lsq_x_outside_base_interval(lsq_data, where, value):
    """x below t[k] or above t[n_t - k - 1] names x[i]."""
    x, y, _ = lsq_data
    x = x.copy()
    x[where] = value
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_lsq_spline(x, y, T3)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 f"x[{where}]")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("name", ["x", "y", "w", "t"])
def test_lsq_nonfinite(lsq_data, name, bad):
    """NaN/Inf in x, y, w or t is named with its index."""
    x, y, w = (array.copy() for array in lsq_data)
    t = T3.copy()
    arrays = {"x": x, "y": y, "w": w, "t": t}
    arrays[name][5] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.make_lsq_spline(x, y, t, k=3, w=w)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, f"{name}[5]")


@pytest.mark.parametrize("bad", [0.0, -1.0, -0.0])
def test_lsq_weight_not_positive(lsq_data, bad):
    """w <= 0 names w[i]."""
    x, y, w = lsq_data
    w = w.copy()
    w[7] = bad
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_lsq_spline(x, y, T3, w=w)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "w[7]")


def test_lsq_schoenberg_whitney_violation():
    """No data under the last B-splines: SingularError, not garbage coefficients."""
    x = np.linspace(0.0, 1.9, 50)  # nothing in (2.5, 4]: B_5 and B_6 have no data
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.make_lsq_spline(x, np.cos(x), T3)
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR)
    # the first coefficient without data is B_5 (support [t[5], t[9]] = [2, 4])
    assert names_word(excinfo, "5"), str(excinfo.value)
    assert "coefficient" in squash(excinfo.value) or "b-spline" in squash(excinfo.value)


def test_lsq_fewer_points_than_coefficients():
    """3 points for 7 coefficients cannot satisfy Schoenberg-Whitney: SingularError."""
    x = np.array([0.5, 1.5, 3.0])
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.make_lsq_spline(x, x, T3)
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR)


def test_lsq_bad_knots_and_degree(lsq_data):
    """The knot and degree checks of BSpline apply to make_lsq_spline too."""
    x, y, _ = lsq_data
    t = T3.copy()
    t[6] = 0.5
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_lsq_spline(x, y, t)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "t[")
    for k in (-1, 21):
        with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
            inferkit.make_lsq_spline(x, y, T3, k=k)
        assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
        assert names_word(excinfo, "k"), str(excinfo.value)


def test_lsq_lengths(lsq_data):
    """y or w of the wrong length, and empty data, are dimension errors."""
    x, y, w = lsq_data
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_lsq_spline(x, y[:-1], T3)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "39")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_lsq_spline(x, y, T3, w=w[:-2])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "w", "38")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_lsq_spline(np.empty(0), np.empty(0), T3)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_lsq_spline(x, np.column_stack([y, y]), T3)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y")


# ------------------------------------------------------------------------------------------
# Bad inputs: make_interp_spline
# ------------------------------------------------------------------------------------------


def test_interp_x_not_strictly_increasing():
    """Decreasing and repeated x are both named x[i]."""
    x, y = interp_data(2, n=10)
    bad = x.copy()
    bad[[3, 4]] = bad[[4, 3]]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_interp_spline(bad, y)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "x[")
    bad = x.copy()
    bad[6] = bad[5]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_interp_spline(bad, y)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "x[")


@pytest.mark.parametrize("k", [1, 3, 5])
def test_interp_too_few_points(k):
    """n = k points for degree k (n >= k + 1 is needed): a dimension error naming n or k."""
    x, y = interp_data(2, n=k)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_interp_spline(x, y, k=k)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)
    assert names_word(excinfo, "n") or names_word(excinfo, "k"), str(excinfo.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("name", ["x", "y"])
def test_interp_nonfinite(name, bad):
    """NaN/Inf in x or y is named with its index."""
    x, y = interp_data(2, n=10)
    (x if name == "x" else y)[4] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.make_interp_spline(x, y)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, f"{name}[4]")


@pytest.mark.parametrize("bc", ["natural", "clamped"])
@pytest.mark.parametrize("k", [1, 2, 4, 5])
def test_interp_end_conditions_need_cubic(k, bc):
    """natural and clamped need k = 3; the message names k or bc."""
    x, y = interp_data(2, n=12)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_interp_spline(x, y, k=k, bc_type=bc)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
    assert names_word(excinfo, "k") or "bc" in squash(excinfo.value), str(excinfo.value)


def test_interp_bad_bc():
    """An unknown bc_type is rejected in Python; a bad C code names bc."""
    x, y = interp_data(2, n=10)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_interp_spline(x, y, bc_type="periodic")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "bc_type", "periodic")
    handle = ctypes.POINTER(_capi.ik_spline_t)()
    for code in (3, -1, 42):
        status = lib.ik_spline_interp(pointer(x), x.size, pointer(y), 3, code,
                                      ctypes.byref(handle))
        assert status == _capi.IK_ERR_INVALID_ARGUMENT
        assert "bc" in squash(inferkit.last_error())
        assert not handle


@pytest.mark.parametrize("k", [-1, 21])
def test_interp_degree_out_of_range(k):
    """k < 0 or k > 20 names k."""
    x, y = interp_data(2, n=30)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_interp_spline(x, y, k=k)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT)
    assert names_word(excinfo, "k"), str(excinfo.value)


def test_interp_lengths():
    """y of another length than x is a dimension error naming y."""
    x, y = interp_data(2, n=10)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_interp_spline(x, y[:-1])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "9")


# ------------------------------------------------------------------------------------------
# Bad inputs: interp_linear, interp_nearest
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [inferkit.interp_linear, inferkit.interp_nearest])
def test_interp_xp_not_increasing(function):
    """xp decreasing or repeated is named xp[i]."""
    xp = np.array([0.0, 1.0, 3.0, 2.0, 4.0])
    fp = np.arange(5.0)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        function([0.5], xp, fp)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "xp[")
    xp = np.array([0.0, 1.0, 1.0, 2.0, 4.0])
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        function([0.5], xp, fp)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "xp[")


@pytest.mark.parametrize("function", [inferkit.interp_linear, inferkit.interp_nearest])
def test_interp_nonfinite_and_lengths(function):
    """NaN in xp or fp is named; empty xp and mismatched fp are dimension errors."""
    xp = np.array([0.0, 1.0, 2.0, 3.0])
    fp = np.array([1.0, 2.0, 0.0, 5.0])
    bad = xp.copy()
    bad[2] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        function([0.5], bad, fp)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "xp[2]")
    bad = fp.copy()
    bad[1] = np.inf
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        function([0.5], xp, bad)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "fp[1]")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        function([0.5], np.empty(0), np.empty(0))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        function([0.5], xp, fp[:3])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "fp")


# ------------------------------------------------------------------------------------------
# Lifetime
# ------------------------------------------------------------------------------------------


def test_free_null_and_stale_pointer():
    """ik_spline_free(NULL) is a no-op; freeing twice is ignored."""
    lib.ik_spline_free(None)
    spl = inferkit.BSpline(T3, C3, 3)
    handle = spl._handle
    spl._handle = None
    lib.ik_spline_free(handle)
    lib.ik_spline_free(handle)


def test_many_splines_are_released():
    """Creating and dropping many splines works (each __del__ frees its handle)."""
    for i in range(2000):
        spl = inferkit.BSpline(T3, C3 * i, 3)
        assert spl(2.0) == pytest.approx(si.BSpline(T3, C3 * i, 3)(2.0), rel=1e-12, abs=1e-12)


# ------------------------------------------------------------------------------------------
# Smoothing splines
# ------------------------------------------------------------------------------------------


def _smoothing_objective(x, y, w, lam, c):
    """sum w (y - s)^2 + lam * integral s''^2, exactly (s'' is piecewise linear)."""
    t = np.r_[[x[0]] * 3, x, [x[-1]] * 3]
    s = si.BSpline(t, c, 3)
    a, h = s(x, 2), np.diff(x)
    return float(np.sum(w * (y - s(x)) ** 2)
                 + lam * np.sum(h / 3 * (a[:-1] ** 2 + a[:-1] * a[1:] + a[1:] ** 2)))


@pytest.mark.parametrize("n", [10, 30])
@pytest.mark.parametrize("lam", [1e-3, 0.1, 10.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_smoothing_spline_matches_scipy(n, lam, weighted):
    """At a given lambda the knots and coefficients agree with scipy to 1e-10 (1e-9 at
    lam = 10, where the condition number of the problem itself is about 1e6: a relative
    change of 1e-16 in the B-spline values moves the exact minimiser by 1e-10)."""
    rng = np.random.default_rng(n)
    x = np.sort(rng.uniform(0, 10, n))
    y = np.sin(x) + rng.normal(0, 0.1, n)
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    ours = inferkit.make_smoothing_spline(x, y, w=w, lam=lam)
    ref = si.make_smoothing_spline(x, y, w=w, lam=lam)
    np.testing.assert_array_equal(ours.t, ref.t)
    tolerance = 1e-10 if lam <= 0.1 else 1e-9
    assert np.abs(ours.c - ref.c).max() <= tolerance * np.abs(ref.c).max()
    assert ours.lam == lam


@pytest.mark.parametrize("n", [10, 30, 100])
def test_smoothing_spline_gcv_matches_scipy(n):
    """The GCV choice follows scipy's criterion and bounded Brent search."""
    rng = np.random.default_rng(100 + n)
    x = np.sort(rng.uniform(0, 10, n))
    y = np.sin(x) + rng.normal(0, 0.1, n)
    ours = inferkit.make_smoothing_spline(x, y)
    ref = si.make_smoothing_spline(x, y)
    assert np.abs(ours.c - ref.c).max() <= 1e-8 * np.abs(ref.c).max()
    assert 0 < ours.lam < n


def test_smoothing_spline_is_a_better_minimiser_than_scipy_on_dense_data():
    """On 2,000 points scipy's solution drifts (1e-5 relative at lam = 10); ours reaches a
    penalised objective at least as low, so it is the more accurate minimiser."""
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(0, 10, 2000))
    y = np.sin(x) + rng.normal(0, 0.1, x.size)
    w = np.ones_like(x)
    for lam in (0.1, 10.0):
        ours = inferkit.make_smoothing_spline(x, y, lam=lam).c
        ref = si.make_smoothing_spline(x, y, lam=lam).c
        assert _smoothing_objective(x, y, w, lam, ours) <= _smoothing_objective(x, y, w, lam, ref) * (1 + 1e-14)


def test_smoothing_spline_limits():
    """lam = 0 interpolates; straight-line data are reproduced for every lam (no curvature)."""
    x = np.array([0.0, 0.4, 1.1, 2.0, 2.2, 3.5, 4.0])
    y = np.cos(x)
    s0 = inferkit.make_smoothing_spline(x, y, lam=0.0)
    np.testing.assert_allclose(s0(x), y, rtol=0, atol=1e-13)
    line = 0.5 - 2.0 * x
    for lam in (0.0, 1.0, 1e6):
        np.testing.assert_allclose(inferkit.make_smoothing_spline(x, line, lam=lam)(x), line,
                                   rtol=0, atol=1e-11)


def test_smoothing_spline_bad_inputs():
    x = np.linspace(0, 1, 8)
    y = np.sin(x)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.make_smoothing_spline(x[:4], y[:4])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "n is 4")
    xs = x.copy()
    xs[3] = xs[2]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_smoothing_spline(xs, y)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "x[3]")
    w = np.ones_like(x)
    w[5] = 0.0
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.make_smoothing_spline(x, y, w=w)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "w[5]")
    yn = y.copy()
    yn[6] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.make_smoothing_spline(x, yn)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[6]")
    with pytest.raises(inferkit.InvalidArgumentError):
        inferkit.make_smoothing_spline(x, y, lam=-1.0)
