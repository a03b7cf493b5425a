"""Regularised inversion and deconvolution against numpy/scipy on the same inputs.

The first half compares with independent references: scipy.linalg.convolution_matrix, dense
direct solves of the regularised normal equations on well-conditioned problems (to 1e-10), the
GCV function, influence-matrix trace and L-curve written out from their definitions,
scipy.optimize.nnls and lsq_linear(method="bvls"), numpy's SVD for the truncated SVD, and
Hansen's classic test problems (shaw, phillips, deriv2, discretised here from their published
kernels) for the quality of the lam choices. The second half feeds the bad inputs the header
describes and asserts the exception class, its ``.code`` and that the message names the culprit.
"""

import numpy as np
import pytest
import scipy.linalg as sl
import scipy.optimize as so

import inferkit
from inferkit import _capi
from conftest import assert_error


# ------------------------------------------------------------------------------------------
# References and test problems
# ------------------------------------------------------------------------------------------


def difference(n, order):
    """The dense difference operator of the given order (0 = identity), (n - order) x n."""
    return np.diff(np.eye(n), order, axis=0) if order else np.eye(n)


PENALTY_MATRICES = {"identity": 0, "d1": 1, "d2": 2}


def dense_tikhonov(A, y, L, lam, sigma=None):
    """f minimising ||W^1/2 (y - A f)||^2 + lam ||L f||^2, (A^T W A + lam L^T L)^-1 and the
    influence matrix H, from a Householder QR of the stacked matrix
    [W^1/2 A; sqrt(lam) L] = Q R: f = R^-1 Q^T [W^1/2 y; 0], the inverse R^-1 R^-T,
    H = Q_1 Q_1^T (Q_1: the first m rows of Q). No normal equations, so the reference stays
    accurate where A^T W A + lam L^T L is ill-conditioned."""
    w = np.ones(len(y)) if sigma is None else 1 / np.asarray(sigma)
    m = len(y)
    Q, R = np.linalg.qr(np.vstack([w[:, None] * A, np.sqrt(lam) * L]))
    f = sl.solve_triangular(R, Q.T @ np.r_[w * y, np.zeros(L.shape[0])])
    Rinv = sl.solve_triangular(R, np.eye(R.shape[0]))
    return f, Rinv @ Rinv.T, Q[:m] @ Q[:m].T


def dense_curve(A, y, L, lam, sigma=None):
    """(||W^1/2 r||, ||L f||, GCV, tr H) at lam from `dense_tikhonov`."""
    f, _, H = dense_tikhonov(A, y, L, lam, sigma)
    w = np.ones(len(y)) if sigma is None else 1 / np.asarray(sigma)
    r = w * (y - A @ f)
    m, trace = len(y), np.trace(H)
    return np.linalg.norm(r), np.linalg.norm(L @ f), m * (r @ r) / (m - trace) ** 2, trace


def relative_error(got, want):
    return np.linalg.norm(got - want) / np.linalg.norm(want)


def well_posed(seed, m=40, n=25):
    """A random, well-conditioned problem with positive sigma."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n))
    y = A @ rng.normal(size=n) + 0.1 * rng.normal(size=m)
    sigma = rng.uniform(0.5, 2.0, m)
    return A, y, sigma


def shaw(n):
    """Hansen's shaw (1-D image restoration): K(s,t) = (cos s + cos t)^2 (sin u / u)^2,
    u = pi (sin s + sin t), on [-pi/2, pi/2]^2, f = 2 exp(-6 (t - 0.8)^2) + exp(-2 (t + 0.5)^2);
    midpoint quadrature."""
    h = np.pi / n
    t = -np.pi / 2 + (np.arange(n) + 0.5) * h
    u = np.pi * (np.sin(t)[:, None] + np.sin(t)[None, :])
    sinc = np.where(u == 0, 1.0, np.sin(u) / np.where(u == 0, 1.0, u))
    A = h * ((np.cos(t)[:, None] + np.cos(t)[None, :]) * sinc) ** 2
    return A, 2 * np.exp(-6 * (t - 0.8) ** 2) + np.exp(-2 * (t + 0.5) ** 2)


def phillips(n):
    """Phillips' problem: K(s,t) = phi(s - t), f = phi, phi(x) = 1 + cos(pi x / 3) for |x| < 3,
    else 0, on [-6, 6]^2; midpoint quadrature."""
    h = 12.0 / n
    t = -6 + (np.arange(n) + 0.5) * h
    phi = lambda x: np.where(np.abs(x) < 3, 1 + np.cos(np.pi * x / 3), 0.0)
    return h * phi(t[:, None] - t[None, :]), phi(t)


def deriv2(n):
    """Hansen's deriv2 (second derivative): the Green's function K(s,t) = s (t - 1) for s < t,
    t (s - 1) otherwise, on [0, 1]^2, f(t) = t; midpoint quadrature."""
    h = 1.0 / n
    t = (np.arange(n) + 0.5) * h
    S, T = np.meshgrid(t, t, indexing="ij")
    return h * np.where(S < T, S * (T - 1), T * (S - 1)), t.copy()


def noisy(A, x, level=1e-3, seed=1):
    """b = A x plus white noise of norm level * ||A x||; returns (y, noise std)."""
    b = A @ x
    e = np.random.default_rng(seed).normal(size=b.size)
    e *= level * np.linalg.norm(b) / np.linalg.norm(e)
    return b + e, level * np.linalg.norm(b) / np.sqrt(b.size)


def workload6():
    """Workload 6 of WORKLOADS.md (tikhonov_deconv)."""
    i = np.arange(1000.0)
    f = np.exp(-0.5 * ((i - 400) / 15) ** 2) + 0.6 * np.exp(-0.5 * ((i - 480) / 30) ** 2)
    R = np.exp(-0.5 * ((i[:, None] - i[None, :]) / 20) ** 2) / (np.sqrt(2 * np.pi) * 20)
    clean = R @ f
    y = clean + np.random.default_rng(0).normal(0, 0.01 * clean.max(), 1000)
    return R, y, f


# ------------------------------------------------------------------------------------------
# Convolution matrices
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("m", [1, 2, 3, 4, 7, 10])
@pytest.mark.parametrize("mode", ["full", "same"])
def test_convolution_matrix_matches_scipy(m, mode):
    kernel = np.random.default_rng(m).normal(size=m)
    R = inferkit.convolution_matrix(kernel, 10, mode=mode)
    np.testing.assert_array_equal(R, sl.convolution_matrix(kernel, 10, mode))
    f = np.random.default_rng(5).normal(size=10)
    np.testing.assert_allclose(R @ f, np.convolve(kernel, f, mode), rtol=0, atol=1e-13)


@pytest.mark.parametrize("m", [1, 2, 5, 6, 12])
@pytest.mark.parametrize("mode", ["full", "same"])
def test_convolution_matrix_reflect(m, mode):
    """Reflecting boundaries equal the convolution of the symmetrically padded signal."""
    n = 12
    kernel = np.random.default_rng(m).uniform(size=m)
    f = np.random.default_rng(7).normal(size=n)
    R = inferkit.convolution_matrix(kernel, n, mode=mode, boundary="reflect")
    padded = np.pad(f, m, mode="symmetric")  # scipy.ndimage's "reflect"
    full = np.convolve(kernel, padded, "full")[m:m + n + m - 1]
    want = full if mode == "full" else full[(m - 1) // 2:(m - 1) // 2 + n]
    np.testing.assert_allclose(R @ f, want, rtol=0, atol=1e-13)
    # Each row of a reflecting convolution keeps the kernel's total weight.
    np.testing.assert_allclose(R.sum(axis=1), kernel.sum(), rtol=1e-14)


def test_convolution_matrix_default_mode_is_same():
    assert inferkit.convolution_matrix([1.0, 2.0, 1.0], 6).shape == (6, 6)


# ------------------------------------------------------------------------------------------
# Tikhonov against dense direct solves
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("L", ["identity", "d1", "d2", "matrix"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_tikhonov_fixed_lam_matches_dense_solve(L, order):
    A, y, sigma = well_posed(3)
    n = A.shape[1]
    if L == "matrix":
        Lm = np.random.default_rng(9).normal(size=(n - 3, n))
        arg = Lm
    else:
        Lm = difference(n, PENALTY_MATRICES[L])
        arg = L
    A_in = np.asfortranarray(A) if order == "F" else A
    for lam in (1e-3, 0.7, 30.0):
        fit = inferkit.tikhonov(A_in, y, L=arg, lam=lam, sigma=sigma, absolute_sigma=True)
        f, inverse, H = dense_tikhonov(A, y, Lm, lam, sigma)
        assert fit.method == "fixed" and fit.lam == lam
        assert relative_error(fit.params, f) < 1e-10
        np.testing.assert_allclose(fit.cov, inverse, rtol=0, atol=1e-10 * np.abs(inverse).max())
        assert abs(fit.edf - np.trace(H)) < 1e-10 * n
        rho, eta, gcv, _ = dense_curve(A, y, Lm, lam, sigma)
        assert abs(fit.residual_norm - rho) < 1e-10 * rho
        assert abs(fit.solution_norm - eta) < 1e-10 * eta
        assert abs(fit.gcv - gcv) < 1e-10 * gcv
        stacked = inferkit.tikhonov(A_in, y, L=arg, lam=lam, sigma=sigma, absolute_sigma=True,
                                    stacked_qr=True)
        assert relative_error(stacked.params, f) < 1e-10
        np.testing.assert_allclose(stacked.cov, inverse, rtol=0, atol=1e-10 * np.abs(inverse).max())
        assert abs(stacked.residual_norm - rho) < 1e-10 * rho


def test_tikhonov_relative_sigma_scales_covariance():
    A, y, sigma = well_posed(4)
    lam = 0.5
    fit = inferkit.tikhonov(A, y, L="d1", lam=lam, sigma=sigma)
    f, inverse, H = dense_tikhonov(A, y, difference(A.shape[1], 1), lam, sigma)
    r = (y - A @ f) / sigma
    s2 = r @ r / (len(y) - np.trace(H))
    assert abs(fit.noise_variance - s2) < 1e-10 * s2
    np.testing.assert_allclose(fit.cov, s2 * inverse, rtol=0, atol=1e-10 * s2 * np.abs(inverse).max())
    np.testing.assert_allclose(fit.stderr, np.sqrt(np.diag(s2 * inverse)), rtol=1e-9)


def test_tikhonov_scalar_sigma_is_uniform():
    A, y, _ = well_posed(5)
    a = inferkit.tikhonov(A, y, lam=0.3, sigma=0.25)
    b = inferkit.tikhonov(A, y, lam=0.3, sigma=np.full(len(y), 0.25))
    np.testing.assert_array_equal(a.params, b.params)


def test_tikhonov_underdetermined_and_lam_zero():
    """m < n works with a penalty; lam = 0 with a full-rank A is ordinary least squares."""
    rng = np.random.default_rng(6)
    A = rng.normal(size=(15, 30))
    y = rng.normal(size=15)
    fit = inferkit.tikhonov(A, y, L="d2", lam=0.2)
    f, _, _ = dense_tikhonov(A, y, difference(30, 2), 0.2)
    assert relative_error(fit.params, f) < 1e-10
    A2, y2, _ = well_posed(7)
    ls = inferkit.tikhonov(A2, y2, L="identity", lam=0.0)
    assert relative_error(ls.params, np.linalg.lstsq(A2, y2, rcond=None)[0]) < 1e-10


# ------------------------------------------------------------------------------------------
# The lam curve and its choices
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("L", ["identity", "d1", "d2"])
def test_curve_matches_direct_formulas(L):
    """Residual norm, seminorm and GCV over a grid equal the dense formulas; the L-curve
    curvature equals a finite-difference curvature of (log ||r||, log ||L f||)."""
    A, x = shaw(40)
    y, noise = noisy(A, x, 1e-2)
    Lm = difference(40, PENALTY_MATRICES[L])
    grid = np.logspace(-6, 0, 13)
    fit = inferkit.tikhonov(A, y, L=L, lam=grid)
    np.testing.assert_array_equal(fit.curve.lam, grid)
    for i, lam in enumerate(grid):
        rho, eta, gcv, _ = dense_curve(A, y, Lm, lam)
        assert abs(fit.curve.residual_norm[i] - rho) < 1e-8 * rho
        assert abs(fit.curve.solution_norm[i] - eta) < 1e-8 * eta
        assert abs(fit.curve.gcv[i] - gcv) < 1e-8 * gcv
        # Curvature of (X, Y) = (log rho, log eta) in t = log lam by central differences.
        h = 1e-3
        pts = [dense_curve(A, y, Lm, lam * np.exp(d * h)) for d in (-1, 0, 1)]
        X = np.log([p[0] for p in pts])
        Y = np.log([p[1] for p in pts])
        dx, dy = (X[2] - X[0]) / (2 * h), (Y[2] - Y[0]) / (2 * h)
        ddx, ddy = (X[2] - 2 * X[1] + X[0]) / h**2, (Y[2] - 2 * Y[1] + Y[0]) / h**2
        kappa = (dx * ddy - ddx * dy) / (dx * dx + dy * dy) ** 1.5
        assert abs(fit.curve.curvature[i] - kappa) < 1e-4 * max(1.0, abs(kappa))


def test_gcv_choice_on_caller_grid_is_the_grid_minimum():
    A, x = shaw(50)
    y, _ = noisy(A, x, 1e-3, seed=3)
    grid = np.logspace(-9, 0, 37)[::-1]  # any order
    fit = inferkit.tikhonov(A, y, L="d1", lam=grid, method="gcv")
    gcv = [dense_curve(A, y, difference(50, 1), lam)[2] for lam in grid]
    assert fit.lam == grid[int(np.argmin(gcv))]
    assert fit.method == "gcv"
    lcurve = inferkit.tikhonov(A, y, L="d1", lam=grid, method="lcurve")
    assert lcurve.lam == grid[int(np.nanargmax(lcurve.curve.curvature))]


def test_lcurve_takes_the_largest_lam_corner():
    """Of several L-curve corners of similar curvature, the one at the largest lam (the others
    lie in the noise-dominated part): a blurred spectrum whose curve has two."""
    n = 400
    i = np.arange(n)
    truth = (np.exp(-0.5 * ((i - 170) / 6) ** 2) + 0.7 * np.exp(-0.5 * ((i - 200) / 8) ** 2)
             + 0.4 * np.exp(-0.5 * ((i - 290) / 12) ** 2))
    kernel = np.exp(-0.5 * (np.arange(-60, 61) / 15.0) ** 2)
    kernel /= kernel.sum()
    y = inferkit.convolution_matrix(kernel, n) @ truth + np.random.default_rng(5).normal(0, 0.005, n)
    fit = inferkit.deconvolve(y, kernel, L="d1", sigma=0.005, method="lcurve", refine=False)
    c = fit.curve
    order = np.argsort(c.lam)
    kappa = c.curvature[order]
    peaks = [j for j in range(1, len(kappa) - 1)
             if kappa[j] >= kappa[j - 1] and kappa[j] >= kappa[j + 1] and kappa[j] >= 0.5 * np.nanmax(kappa)]
    assert len(peaks) >= 2  # the curve does have two corners
    assert fit.lam == c.lam[order][peaks[-1]]
    assert relative_error(fit.params, truth) < 0.5


def test_refined_choices_are_optima():
    """On the automatic grid the GCV choice is a local minimum of GCV, the L-curve choice a
    local maximum of the curvature and the discrepancy choice solves ||r||^2 = tau^2 m."""
    A, x = shaw(60)
    y, noise = noisy(A, x, 1e-3, seed=4)
    gcv = inferkit.tikhonov(A, y, L="d2")
    assert len(gcv.curve) == 100
    for factor in (1.01, 1 / 1.01):
        near = inferkit.tikhonov(A, y, L="d2", lam=gcv.lam * factor)
        assert near.gcv >= gcv.gcv * (1 - 1e-12)
    lc = inferkit.tikhonov(A, y, L="d2", method="lcurve")
    for factor in (1.01, 1 / 1.01):
        assert inferkit.tikhonov(A, y, L="d2", lam=lc.lam * factor).curvature <= lc.curvature * (1 + 1e-9)
    for tau in (1.0, 1.3):
        dp = inferkit.tikhonov(A, y, L="d2", method="discrepancy", sigma=noise, discrepancy_factor=tau)
        assert abs(dp.residual_norm**2 - tau**2 * 60) < 1e-8 * 60
        assert not dp.discrepancy_not_bracketed


def test_automatic_grid_spans_the_singular_values():
    A, y, _ = well_posed(8)
    fit = inferkit.tikhonov(A, y, L="identity", n_grid=17)
    s = fit.singular_values
    assert len(fit.curve) == 17
    np.testing.assert_allclose(fit.curve.lam[[0, -1]], [s[-1] ** 2, s[0] ** 2], rtol=1e-12)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False), rtol=1e-12)
    # Picard coefficients and filter factors of the standard form (here L = I).
    U = np.linalg.svd(A, full_matrices=False)[0]
    np.testing.assert_allclose(fit.picard, np.abs(U.T @ y), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.filter_factors, s**2 / (s**2 + fit.lam), rtol=1e-13)


def test_discrepancy_not_bracketed_is_flagged():
    A, x = shaw(30)
    y, noise = noisy(A, x, 1e-3)
    fit = inferkit.tikhonov(A, y, method="discrepancy", sigma=noise * 1e-6, lam=np.logspace(-3, 0, 5))
    assert fit.discrepancy_not_bracketed and fit.lam == 1e-3


def test_choice_at_grid_edge_is_flagged():
    A, x = shaw(30)
    y, _ = noisy(A, x, 1e-3)
    fit = inferkit.tikhonov(A, y, lam=np.logspace(2, 3, 4))
    assert fit.at_grid_edge and fit.lam == 100.0


@pytest.mark.parametrize(
    "problem, L, method, n",
    [
        (shaw, "identity", "gcv", 64), (shaw, "d1", "gcv", 128), (shaw, "identity", "lcurve", 128),
        (shaw, "d1", "lcurve", 64), (shaw, "identity", "discrepancy", 64),
        (shaw, "d1", "discrepancy", 128),
        (phillips, "identity", "gcv", 64), (phillips, "d1", "gcv", 128), (phillips, "d2", "lcurve", 64),
        (phillips, "identity", "discrepancy", 128), (phillips, "d2", "discrepancy", 64),
        (deriv2, "d1", "gcv", 64), (deriv2, "d1", "lcurve", 128), (deriv2, "d1", "discrepancy", 64),
    ],
)
def test_hansen_problems(problem, L, method, n):
    """On Hansen's test problems with 0.1 % noise the chosen lam gives a relative error close to
    the best over all lam, as the literature reports for these methods (Hansen, "Rank-Deficient
    and Discrete Ill-Posed Problems", 1998, ch. 7): here within 2x the optimum + 0.02."""
    A, x = problem(n)
    y, noise = noisy(A, x, 1e-3)
    best = min(relative_error(inferkit.tikhonov(A, y, L=L, lam=lam).params, x)
               for lam in np.logspace(-14, 2, 200))
    fit = inferkit.tikhonov(A, y, L=L, method=method, sigma=noise, absolute_sigma=True)
    error = relative_error(fit.params, x)
    assert error <= 2 * best + 0.02, (error, best)
    assert error < 0.2


def test_hansen_tsvd_and_nonnegative():
    A, x = shaw(64)
    y, noise = noisy(A, x, 1e-3)
    t = inferkit.tsvd(A, y)
    assert relative_error(t.params, x) < 0.1  # k = 7 or 8 on shaw at this noise level
    nn = inferkit.tikhonov(A, y, L="d1", nonnegative=True)
    assert np.all(nn.params >= 0) and relative_error(nn.params, x) < 0.1


def test_workload6_matches_numpy_reference_error():
    """Workload 6 (tikhonov_deconv): the GCV choice over logspace(-7, 1, 50) has relative error
    0.125, as the numpy standard-form + SVD reference; the large standard form is factorised as
    numerically low-rank."""
    R, y, f = workload6()
    grid = np.logspace(-7, 1, 50)
    fit = inferkit.tikhonov(R, y, L="d1", lam=grid)
    assert fit.low_rank
    assert abs(relative_error(fit.params, f) - 0.125) < 0.002
    # The same solution from a dense direct solve at that lam.
    direct, _, _ = dense_tikhonov(R, y, difference(1000, 1), fit.lam)
    assert relative_error(fit.params, direct) < 1e-10
    stacked = inferkit.tikhonov(R, y, L="d1", lam=grid, stacked_qr=True)
    assert stacked.lam == fit.lam and relative_error(stacked.params, fit.params) < 1e-10


def test_low_rank_path_matches_dense_and_any_thread_count():
    A, x = shaw(400)
    y, _ = noisy(A, x, 1e-3)
    one = inferkit.tikhonov(A, y, L="d2", n_threads=1)
    two = inferkit.tikhonov(A, y, L="d2", n_threads=2)
    assert one.low_rank
    np.testing.assert_array_equal(one.params, two.params)
    assert one.lam == two.lam
    f, _, _ = dense_tikhonov(A, y, difference(400, 2), one.lam)
    # [A; sqrt(lam) L] has condition ~3e6 here: both solutions carry errors of ~eps * 3e6.
    assert relative_error(one.params, f) < 1e-8


# ------------------------------------------------------------------------------------------
# Truncated SVD
# ------------------------------------------------------------------------------------------


def test_tsvd_matches_numpy_svd():
    A, x = shaw(48)
    y, noise = noisy(A, x, 1e-3, seed=2)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    beta = U.T @ y
    fit = inferkit.tsvd(A, y)
    rank = fit.rank
    np.testing.assert_allclose(fit.singular_values, s, rtol=1e-12, atol=1e-15 * s[0])
    np.testing.assert_allclose(fit.picard[:10], np.abs(beta[:10]), rtol=1e-10)
    gcv = []
    usable = int(np.sum(s > 1e-6 * s[0]))  # beyond, the reference's own f_k is rounding noise
    for k in range(1, usable + 1):
        f = Vt[:k].T @ (beta[:k] / s[:k])
        r = y - A @ f
        gcv.append(48 * (r @ r) / (48 - k) ** 2)
        assert abs(fit.curve.gcv[k - 1] - gcv[-1]) < 1e-8 * gcv[-1]
    assert fit.k == 1 + int(np.argmin(gcv)) and fit.curve.gcv[fit.k - 1] == fit.curve.gcv.min()
    f = Vt[:fit.k].T @ (beta[:fit.k] / s[:fit.k])
    assert relative_error(fit.params, f) < 1e-10
    s2 = np.sum((y - A @ f) ** 2) / (48 - fit.k)
    cov = s2 * Vt[:fit.k].T @ np.diag(s[:fit.k] ** -2) @ Vt[:fit.k]
    np.testing.assert_allclose(fit.cov, cov, rtol=0, atol=1e-9 * np.abs(cov).max())
    np.testing.assert_array_equal(fit.filter_factors, (np.arange(len(s)) < fit.k).astype(float))
    fixed = inferkit.tsvd(A, y, k=5)
    assert fixed.k == 5 and fixed.method == "fixed"
    assert relative_error(fixed.params, Vt[:5].T @ (beta[:5] / s[:5])) < 1e-10
    dp = inferkit.tsvd(A, y, method="discrepancy", sigma=noise)
    res = fit.curve.residual_norm / noise
    assert dp.k == 1 + int(np.argmax(res**2 <= 48))


# ------------------------------------------------------------------------------------------
# Non-negative and bounded least squares
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shape", [(30, 10), (20, 20), (12, 25)])
def test_nnls_matches_scipy(seed, shape):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=shape)
    b = rng.normal(size=shape[0])
    x, rnorm = inferkit.nnls(A, b)
    xs, rs = so.nnls(A, b)
    np.testing.assert_allclose(x, xs, rtol=0, atol=1e-10 * max(1.0, np.abs(xs).max()))
    assert abs(rnorm - rs) < 1e-10 * max(1.0, rs)
    assert np.all(x >= 0)


def test_nnls_scipy_docstring_examples():
    A = np.array([[1, 0], [1, 0], [0, 1]])
    x, rnorm = inferkit.nnls(A, np.array([2, 1, 1]))
    np.testing.assert_allclose(x, [1.5, 1.0], atol=1e-15)
    assert abs(rnorm - 0.7071067811865475) < 1e-15
    x, rnorm = inferkit.nnls(A, np.array([-1, -1, -1]))
    np.testing.assert_array_equal(x, [0.0, 0.0])
    assert abs(rnorm - np.sqrt(3)) < 1e-15


@pytest.mark.parametrize("seed", range(6))
def test_bvls_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(25, 12))
    b = rng.normal(size=25) * 3
    lower = rng.uniform(-1, 0, 12)
    upper = lower + rng.uniform(0.2, 1.5, 12)
    lower[0], upper[1] = -np.inf, np.inf
    x, rnorm = inferkit.bvls(A, b, (lower, upper))
    ref = so.lsq_linear(A, b, (lower, upper), method="bvls", tol=1e-14)
    np.testing.assert_allclose(x, ref.x, rtol=0, atol=1e-10)
    assert abs(rnorm - np.linalg.norm(A @ ref.x - b)) < 1e-10
    # Unbounded: ordinary least squares.
    x, _ = inferkit.bvls(A, b, (-np.inf, np.inf))
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], rtol=0, atol=1e-10)


def test_nonnegative_tikhonov_is_nnls_of_the_stacked_system():
    A, x = phillips(48)
    y, _ = noisy(A, x - 0.3, 1e-2)  # a truth with negative parts, so the bound is active
    lam = 1e-2
    fit = inferkit.tikhonov(A, y, L="d1", lam=lam, nonnegative=True)
    L = difference(48, 1)
    ref, _ = so.nnls(np.vstack([A, np.sqrt(lam) * L]), np.r_[y, np.zeros(47)])
    np.testing.assert_allclose(fit.params, ref, rtol=0, atol=1e-10 * np.abs(ref).max())
    assert fit.at_bound and fit.nonnegative
    cov = fit.cov
    free = fit.params > 0
    assert np.all(np.isnan(cov[~free])) and np.all(np.isnan(cov[:, ~free]))
    S = np.vstack([A[:, free], np.sqrt(lam) * L[:, free]])
    s2 = fit.residual_norm**2 / (48 - fit.edf)
    np.testing.assert_allclose(cov[np.ix_(free, free)], s2 * np.linalg.inv(S.T @ S), rtol=1e-8)


# ------------------------------------------------------------------------------------------
# Deconvolution
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode, boundary", [("same", "zero"), ("same", "reflect"), ("full", "zero")])
def test_deconvolve_is_tikhonov_on_the_convolution_matrix(mode, boundary):
    n = 120
    t = np.arange(n)
    f = np.exp(-0.5 * ((t - 50) / 6) ** 2) + 0.5 * np.exp(-0.5 * ((t - 75) / 4) ** 2)
    kernel = np.exp(-0.5 * (np.arange(-15, 16) / 5.0) ** 2)
    kernel /= kernel.sum()
    R = inferkit.convolution_matrix(kernel, n, mode=mode, boundary=boundary)
    y = R @ f + np.random.default_rng(2).normal(0, 0.005, R.shape[0])
    dec = inferkit.deconvolve(y, kernel, mode=mode, boundary=boundary, sigma=0.005)
    tik = inferkit.tikhonov(R, y, L="d1", sigma=0.005)
    np.testing.assert_allclose(dec.params, tik.params, rtol=0, atol=1e-12)
    assert dec.lam == tik.lam and dec.params.shape == (n,)
    assert relative_error(dec.params, f) < 0.1
    nn = inferkit.deconvolve(y, kernel, mode=mode, boundary=boundary, sigma=0.005, nonnegative=True)
    assert np.all(nn.params >= 0) and relative_error(nn.params, f) < 0.1


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------


def test_convolution_errors():
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.convolution_matrix(np.ones(11), 10)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "kernel", "11", "10")
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.convolution_matrix([1.0, np.nan, 1.0], 10)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "kernel[1]", "NaN")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.convolution_matrix([1.0], 10, mode="valid")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "mode", "valid")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.convolution_matrix([1.0], 10, boundary="wrap")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "boundary")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.convolution_matrix([], 10)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "n_kernel")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.deconvolve(np.ones(10), np.ones(6), mode="full")
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "kernel", "6")


@pytest.mark.parametrize(
    "where, culprit",
    [("A", "a[3,2]"), ("y", "y[3]"), ("sigma", "sigma[3]"), ("L", "l[3,2]"), ("lam", "lam_grid[3]")],
)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_tikhonov_nonfinite_inputs(where, culprit, bad):
    A, y, sigma = well_posed(1)
    L = np.random.default_rng(0).normal(size=(10, A.shape[1]))
    lam = np.logspace(-3, 0, 5)
    args = {"A": A.copy(), "y": y.copy(), "sigma": sigma.copy(), "L": L, "lam": lam.copy()}
    if where == "A":
        args["A"][3, 2] = bad
    elif where in ("y", "sigma", "lam"):
        args[where][3] = bad
    else:
        args["L"] = L.copy()
        args["L"][3, 2] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.tikhonov(args["A"], args["y"], L=args["L"], lam=args["lam"], sigma=args["sigma"])
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, culprit,
                 "NaN" if np.isnan(bad) else "inf")


def test_tikhonov_bad_arguments():
    A, y, sigma = well_posed(2)
    cases = [
        (dict(lam=-1.0), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["lam", "-1"]),
        (dict(lam=[0.1, -2.0]), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["lam_grid[1]", "-2"]),
        (dict(method="aic"), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["method", "aic"]),
        (dict(method="fixed"), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["method", "lam"]),
        (dict(method="discrepancy"), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["sigma", "discrepancy"]),
        (dict(L="d3"), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["L", "d3"]),
        (dict(L=np.ones((3, 4))), inferkit.DimensionError, _capi.IK_ERR_DIMENSION, ["L", "4"]),
        (dict(L=np.zeros((3, A.shape[1]))), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["L", "zero"]),
        (dict(sigma=-sigma), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["sigma[0]"]),
        (dict(sigma=sigma[:-1]), inferkit.DimensionError, _capi.IK_ERR_DIMENSION, ["sigma", str(len(sigma) - 1)]),
        (dict(discrepancy_factor=0.0), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["discrepancy_factor"]),
        (dict(n_grid=0), inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, ["n_grid"]),
        (dict(lam=[]), inferkit.DimensionError, _capi.IK_ERR_DIMENSION, ["n_lam"]),
    ]
    for kwargs, cls, code, culprits in cases:
        with pytest.raises(cls) as excinfo:
            inferkit.tikhonov(A, y, **kwargs)
        assert_error(excinfo, cls, code, *culprits)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.tikhonov(A, y[:-2])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", str(len(y) - 2))
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.tikhonov(np.ones((5, 2)), np.ones(5), L="d2")
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "second difference")


def test_tikhonov_singular_problems():
    """A that cannot see the null space of L (constants for d1), and a singular covariance."""
    A = np.diff(np.eye(8), axis=0)  # annihilates constant vectors
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.tikhonov(A, np.ones(7), L="d1")
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "constant")
    B = np.ones((6, 3))
    fit = inferkit.tikhonov(B, np.arange(6.0), L="identity", lam=0.0)
    with pytest.raises(inferkit.SingularError) as excinfo:
        fit.cov
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "singular")
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.tikhonov(np.zeros((6, 4)), np.ones(6), L="identity")
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "zero")


def test_tsvd_bad_arguments():
    A, y, sigma = well_posed(2)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.tsvd(A, y, k=0)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "k", "0")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.tsvd(A, y, k=A.shape[1] + 1)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "k", str(A.shape[1] + 1))
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.tsvd(A, y, method="lcurve")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "method")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.tsvd(A, y, method="discrepancy")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "sigma")
    bad = y.copy()
    bad[4] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.tsvd(A, bad)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[4]", "NaN")


def test_nnls_bad_arguments():
    A, y, _ = well_posed(2)
    bad = A.copy()
    bad[1, 0] = np.inf
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.nnls(bad, y)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "a[1,0]", "inf")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.nnls(A, y[:3])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "3")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.nnls(A, y, maxiter=-1)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "maxiter")
    n = A.shape[1]
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.bvls(A, y, (np.ones(n), np.zeros(n)))
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "lower[0]", "upper[0]")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.bvls(A, y, (np.full(n, np.nan), np.inf))
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "lower[0]", "NaN")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.bvls(A, y, (np.zeros(n - 1), np.inf))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "lower")


# ------------------------------------------------------------------------------------------
# Regularised NNLS and BVLS
# ------------------------------------------------------------------------------------------


def _stacked(A, b, L, lam):
    """The explicitly stacked system [A; sqrt(lam) L] x ~ [b; 0] (the reference)."""
    return np.vstack([A, np.sqrt(lam) * L]), np.r_[b, np.zeros(L.shape[0])]


@pytest.mark.parametrize("which", ["identity", "d1", "d2", "matrix"])
def test_regularized_nnls_and_bvls_match_scipy_on_the_stacked_system(which):
    import scipy.optimize

    rng = np.random.default_rng(11)
    m, n = 30, 12
    A = rng.standard_normal((m, n))
    b = A @ np.abs(rng.standard_normal(n)) + 0.3 * rng.standard_normal(m)
    lam = 0.7
    if which == "identity":
        L, arg = np.eye(n), None
    elif which == "d1":
        L, arg = np.diff(np.eye(n), axis=0), "d1"
    elif which == "d2":
        L, arg = np.diff(np.eye(n), 2, axis=0), "d2"
    else:
        L = rng.standard_normal((5, n))
        arg = L
    S, c = _stacked(A, b, L, lam)
    x, rnorm = inferkit.nnls(A, b, L=arg, lam=lam)
    ref, _ = scipy.optimize.nnls(S, c)
    np.testing.assert_allclose(x, ref, rtol=1e-10, atol=1e-12)
    assert rnorm == pytest.approx(np.linalg.norm(A @ x - b), rel=1e-12)
    lo, hi = -0.2 * np.ones(n), 0.4 * np.ones(n)
    x, rnorm = inferkit.bvls(A, b, bounds=(lo, hi), L=arg, lam=lam)
    ref = scipy.optimize.lsq_linear(S, c, bounds=(lo, hi), method="bvls", tol=1e-14).x
    np.testing.assert_allclose(x, ref, rtol=1e-9, atol=1e-11)
    assert np.all(x >= lo) and np.all(x <= hi)


def test_regularized_active_set_bad_inputs():
    A = np.eye(4)
    b = np.ones(4)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.nnls(A, b, lam=-1.0)
    assert "lam" in str(excinfo.value)
    with pytest.raises(inferkit.DimensionError):
        inferkit.nnls(A, b, L=np.ones((2, 3)), lam=1.0)
    x, rnorm = inferkit.nnls(A, b, L="d1", lam=0.0)   # lam 0 with an L: the plain problem
    np.testing.assert_allclose(x, np.ones(4), atol=1e-14)
