"""Linear least squares against numpy and scipy on the same inputs."""

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
from numpy.polynomial import chebyshev, legendre
from numpy.polynomial import polynomial as monomial

import inferkit

EPS = np.finfo(float).eps


def random_problem(seed, n=60, p=5, k=None, weighted=True):
    """A well-conditioned random problem: (A, y, sigma); y is (n,) or (n, k)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, p))
    a[:, 0] = 1.0
    shape = (p,) if k is None else (p, k)
    theta = rng.standard_normal(shape)
    noise = 0.3 * rng.standard_normal((n,) if k is None else (n, k))
    sigma = rng.uniform(0.5, 2.0, n) if weighted else None
    y = a @ theta + (noise if sigma is None else noise * (sigma if k is None else sigma[:, None]))
    return a, y, sigma


def weighted(a, y, sigma):
    """diag(1/sigma) A and diag(1/sigma) y."""
    w = 1.0 / sigma
    return a * w[:, None], (y * w if y.ndim == 1 else y * w[:, None])


def curve_fit_linear(a, y, sigma, absolute_sigma):
    """scipy.optimize.curve_fit of the linear model A theta with its exact Jacobian."""

    def model(xdata, *theta):
        return xdata @ np.asarray(theta)

    def jacobian(xdata, *theta):
        return xdata

    return scipy.optimize.curve_fit(
        model, a, y, p0=np.zeros(a.shape[1]), sigma=sigma, absolute_sigma=absolute_sigma,
        jac=jacobian, method="lm", ftol=1e-15, xtol=1e-15, gtol=1e-15,
    )


def centred_r2(y, chi2, sigma):
    """Weighted centred R^2 = 1 - chi2 / sum w (y - ybar_w)^2."""
    w = np.ones_like(y) if sigma is None else 1.0 / sigma**2
    ybar = np.sum(w * y) / np.sum(w)
    return 1.0 - chi2 / np.sum(w * (y - ybar) ** 2)


def uncentred_r2(y, chi2, sigma):
    """Weighted uncentred R^2 = 1 - chi2 / sum w y^2."""
    w = np.ones_like(y) if sigma is None else 1.0 / sigma**2
    return 1.0 - chi2 / np.sum(w * y**2)


# ------------------------------------------------------------------------------------------
# lstsq
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_unweighted_matches_numpy(seed):
    """Parameters, residuals and chi2 of a plain fit equal numpy.linalg.lstsq's."""
    a, y, _ = random_problem(seed, weighted=False)
    fit = inferkit.lstsq(a, y)
    expected, rss, rank, s = np.linalg.lstsq(a, y, rcond=None)
    np.testing.assert_allclose(fit.params, expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(fit.residuals, y - a @ expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.chi2, rss[0], rtol=1e-12)
    assert fit.rank == rank == a.shape[1]
    assert fit.dof == a.shape[0] - a.shape[1]
    assert fit.params.shape == (5,) and fit.stderr.shape == (5,)
    assert fit.cov.shape == (5, 5) and fit.corr.shape == (5, 5)
    assert fit.residuals.shape == (60,)
    assert isinstance(fit.chi2, float) and isinstance(fit.r2, float)
    assert fit.method == "qr" and fit.basis is None
    assert not fit.rank_deficient and not fit.ill_conditioned


@pytest.mark.parametrize("seed", range(5))
def test_weighted_matches_scipy_lstsq(seed):
    """A weighted fit equals scipy.linalg.lstsq on diag(1/sigma) A, diag(1/sigma) y."""
    a, y, sigma = random_problem(seed)
    fit = inferkit.lstsq(a, y, sigma=sigma)
    aw, yw = weighted(a, y, sigma)
    expected, _, _, _ = scipy.linalg.lstsq(aw, yw)
    np.testing.assert_allclose(fit.params, expected, rtol=1e-12, atol=1e-13)
    residuals = y - a @ expected
    np.testing.assert_allclose(fit.residuals, residuals, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.chi2, np.sum((residuals / sigma) ** 2), rtol=1e-12)


@pytest.mark.parametrize("absolute_sigma", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_covariance_matches_curve_fit(seed, absolute_sigma):
    """cov = (A^T W A)^-1 (times chi2/dof for relative sigma), as curve_fit computes it."""
    a, y, sigma = random_problem(seed, n=40, p=4)
    fit = inferkit.lstsq(a, y, sigma=sigma, absolute_sigma=absolute_sigma)
    popt, pcov = curve_fit_linear(a, y, sigma, absolute_sigma)
    np.testing.assert_allclose(fit.params, popt, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.cov, pcov, rtol=1e-10, atol=1e-14 * np.abs(pcov).max())
    aw, _ = weighted(a, y, sigma)
    direct = np.linalg.inv(aw.T @ aw)
    if not absolute_sigma:
        direct *= fit.chi2 / fit.dof
    np.testing.assert_allclose(fit.cov, direct, rtol=1e-10, atol=1e-14 * np.abs(direct).max())
    np.testing.assert_allclose(fit.stderr, np.sqrt(np.diag(direct)), rtol=1e-10)
    d = np.sqrt(np.diag(direct))
    np.testing.assert_allclose(fit.corr, direct / np.outer(d, d), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.diag(fit.corr), 1.0, rtol=1e-12)


def test_r2_centred_with_constant_column():
    """R^2 is centred (weighted mean) when the design has a constant column."""
    a, y, sigma = random_problem(7)
    fit = inferkit.lstsq(a, y, sigma=sigma)
    np.testing.assert_allclose(fit.r2, centred_r2(y, fit.chi2, sigma), rtol=1e-12)
    fit = inferkit.lstsq(3.0 * a, y)  # a constant column of threes is still constant
    np.testing.assert_allclose(fit.r2, centred_r2(y, fit.chi2, None), rtol=1e-12)


def test_r2_uncentred_without_constant_column():
    """R^2 is uncentred (1 - chi2 / sum w y^2) without a constant column."""
    a, y, sigma = random_problem(8)
    a = a[:, 1:]
    fit = inferkit.lstsq(a, y, sigma=sigma)
    np.testing.assert_allclose(fit.r2, uncentred_r2(y, fit.chi2, sigma), rtol=1e-12)


def test_multiple_right_hand_sides_equal_separate_fits():
    """k right-hand sides give the k separate fits (shapes (p, k), (k, p, p), ...)."""
    a, ys, sigma = random_problem(3, n=50, p=4, k=3)
    fit = inferkit.lstsq(a, ys, sigma=sigma)
    assert fit.params.shape == (4, 3) and fit.stderr.shape == (4, 3)
    assert fit.cov.shape == (3, 4, 4) and fit.residuals.shape == (50, 3)
    assert fit.chi2.shape == (3,) and fit.r2.shape == (3,)
    assert fit.n_rhs == 3
    for j in range(3):
        single = inferkit.lstsq(a, ys[:, j], sigma=sigma)
        np.testing.assert_allclose(fit.params[:, j], single.params, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(fit.stderr[:, j], single.stderr, rtol=1e-12)
        np.testing.assert_allclose(fit.cov[j], single.cov, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(fit.residuals[:, j], single.residuals, rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(fit.chi2[j], single.chi2, rtol=1e-12)
        np.testing.assert_allclose(fit.r2[j], single.r2, rtol=1e-12)
    np.testing.assert_allclose(fit.corr, single.corr, rtol=1e-12, atol=1e-14)


def test_single_column_y_keeps_its_axis():
    """y of shape (n, 1) gives (p, 1) parameters, (1, p, p) covariance, (1,) chi2."""
    a, y, sigma = random_problem(4)
    fit = inferkit.lstsq(a, y[:, None], sigma=sigma)
    flat = inferkit.lstsq(a, y, sigma=sigma)
    assert fit.params.shape == (5, 1) and fit.cov.shape == (1, 5, 5) and fit.chi2.shape == (1,)
    np.testing.assert_allclose(fit.params[:, 0], flat.params, rtol=1e-14)
    np.testing.assert_allclose(fit.predict(a[:3]), flat.predict(a[:3])[:, None], rtol=1e-14)


def test_fortran_order_equals_c_order():
    """Fortran-ordered A and y (IK_COL_MAJOR, no copy) give the C-ordered results."""
    a, ys, sigma = random_problem(5, n=40, p=5, k=2)
    fit_c = inferkit.lstsq(np.ascontiguousarray(a), np.ascontiguousarray(ys), sigma=sigma)
    fit_f = inferkit.lstsq(np.asfortranarray(a), np.asfortranarray(ys), sigma=sigma)
    for name in ("params", "stderr", "cov", "residuals", "chi2", "r2", "singular_values"):
        np.testing.assert_allclose(getattr(fit_f, name), getattr(fit_c, name), rtol=1e-13,
                                   atol=1e-15, err_msg=name)
    # mixed: Fortran A with C-ordered y, C A with a transposed view, non-contiguous slices
    fit_mixed = inferkit.lstsq(np.asfortranarray(a), np.ascontiguousarray(ys), sigma=sigma)
    np.testing.assert_allclose(fit_mixed.params, fit_c.params, rtol=1e-13, atol=1e-15)
    big = np.hstack([a, a])  # big[:, :5] is neither C- nor Fortran-contiguous
    fit_slice = inferkit.lstsq(big[:, :5], ys, sigma=sigma)
    np.testing.assert_allclose(fit_slice.params, fit_c.params, rtol=1e-13, atol=1e-15)
    fit_int = inferkit.lstsq(np.round(a * 10).astype(int), ys)
    ref, *_ = np.linalg.lstsq(np.round(a * 10), ys, rcond=None)
    np.testing.assert_allclose(fit_int.params, ref, rtol=1e-11, atol=1e-13)
    # predict with a Fortran-ordered X equals the C-ordered prediction
    x_new = random_problem(6, n=7, p=5)[0]
    np.testing.assert_allclose(fit_c.predict(np.asfortranarray(x_new)), fit_c.predict(x_new),
                               rtol=1e-14)


def test_singular_values_and_condition_number():
    """Singular values are descending, min(n, p) long; cond = s[0] / s[-1], close to numpy's."""
    a, y, sigma = random_problem(9, n=30, p=5)
    a[:, 2] *= 1e3  # unequal column norms: equilibration matters
    fit = inferkit.lstsq(a, y, sigma=sigma)
    s = fit.singular_values
    assert s.shape == (5,)
    assert np.all(np.diff(s) <= 0) and s[-1] > 0
    np.testing.assert_allclose(fit.cond, s[0] / s[-1], rtol=1e-12)
    aw, _ = weighted(a, y, sigma)
    equilibrated = aw / np.linalg.norm(aw, axis=0)
    s_np = np.linalg.svd(equilibrated, compute_uv=False)
    # the library may equilibrate by powers of two: each column scale is off by < 2
    assert 0.25 <= fit.cond / (s_np[0] / s_np[-1]) <= 4.0
    # more parameters than rows: min(n, p) singular values
    wide = inferkit.lstsq(a[:3], y[:3], allow_rank_deficient=True)
    assert wide.singular_values.shape == (3,)


def test_ill_conditioned_flag_follows_cond():
    """The ill-conditioned flag is set exactly when cond > 1/sqrt(eps)."""
    x = np.linspace(0, 1, 60)
    good = inferkit.lstsq(np.vander(x, 3, increasing=True), np.sin(x))
    assert good.cond < 1 / np.sqrt(EPS) and not good.ill_conditioned
    bad = inferkit.lstsq(np.vander(x, 14, increasing=True), np.sin(x))
    assert bad.cond > 1 / np.sqrt(EPS)
    assert bad.ill_conditioned
    assert bad.rank == 14


@pytest.mark.parametrize("seed", range(3))
def test_predict_and_predict_std(seed):
    """predict = X theta, predict_std = sqrt(diag(X cov X^T)), for one and several y."""
    a, ys, sigma = random_problem(seed, n=40, p=4, k=2)
    x_new = np.random.default_rng(seed + 100).standard_normal((9, 4))
    fit = inferkit.lstsq(a, ys, sigma=sigma)
    np.testing.assert_allclose(fit.predict(x_new), x_new @ fit.params, rtol=1e-12, atol=1e-13)
    std = np.column_stack([np.sqrt(np.einsum("ij,jk,ik->i", x_new, fit.cov[j], x_new))
                           for j in range(2)])
    np.testing.assert_allclose(fit.predict_std(x_new), std, rtol=1e-10)
    single = inferkit.lstsq(a, ys[:, 0], sigma=sigma)
    assert single.predict(x_new).shape == (9,)
    np.testing.assert_allclose(single.predict(x_new), x_new @ single.params, rtol=1e-12,
                               atol=1e-13)
    np.testing.assert_allclose(single.predict_std(x_new), std[:, 0], rtol=1e-10)
    # at the data points the prediction is the fitted curve: y - residuals
    np.testing.assert_allclose(single.predict(a), ys[:, 0] - single.residuals, rtol=1e-11,
                               atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_svd_matches_qr_on_full_rank(seed):
    """method="svd" gives the QR results on a full-rank problem."""
    a, ys, sigma = random_problem(seed, k=2)
    qr = inferkit.lstsq(a, ys, sigma=sigma)
    svd = inferkit.lstsq(a, ys, sigma=sigma, method="svd")
    assert svd.method == "svd" and qr.method == "qr"
    assert svd.rank == qr.rank == 5
    for name in ("params", "stderr", "cov", "residuals", "chi2", "r2", "singular_values"):
        np.testing.assert_allclose(getattr(svd, name), getattr(qr, name), rtol=1e-10,
                                   atol=1e-12, err_msg=name)
    np.testing.assert_allclose(svd.cond, qr.cond, rtol=1e-10)


def rank_deficient_problem(seed):
    """A (40, 5) design whose last column is a combination of two others."""
    a, y, sigma = random_problem(seed, n=40, p=5)
    a[:, 4] = 2.0 * a[:, 1] - 0.5 * a[:, 3]
    return a, y, sigma


@pytest.mark.parametrize("method", ["qr", "svd"])
@pytest.mark.parametrize("seed", range(3))
def test_rank_deficient_allowed(seed, method):
    """A rank-deficient design gives rank p - 1, the flag and numpy's residual norm."""
    a, y, sigma = rank_deficient_problem(seed)
    fit = inferkit.lstsq(a, y, sigma=sigma, method=method, allow_rank_deficient=True)
    assert fit.rank == 4
    assert fit.rank_deficient
    assert fit.dof == 40 - 4
    aw, yw = weighted(a, y, sigma)
    expected, _, rank, _ = np.linalg.lstsq(aw, yw, rcond=None)
    assert rank == 4
    np.testing.assert_allclose(np.sqrt(fit.chi2), np.linalg.norm(yw - aw @ expected), rtol=1e-10)
    np.testing.assert_allclose(fit.residuals, y - a @ expected, rtol=1e-8, atol=1e-10)
    # whatever solution is returned, it reproduces its own residuals
    np.testing.assert_allclose(fit.residuals, y - a @ fit.params, rtol=1e-8, atol=1e-10)


def test_svd_allows_rank_deficiency_by_itself():
    """IK_LINEAR_SVD always allows a rank-deficient design."""
    a, y, sigma = rank_deficient_problem(0)
    fit = inferkit.lstsq(a, y, sigma=sigma, method="svd")
    assert fit.rank == 4 and fit.rank_deficient


@pytest.mark.parametrize("method", ["qr", "svd"])
def test_rank_deficient_minimum_norm_with_equal_column_norms(method):
    """With columns of equal 2-norm the minimum-norm solution is numpy's."""
    rng = np.random.default_rng(11)
    c = rng.standard_normal((30, 3))
    c /= np.linalg.norm(c, axis=0)
    dependent = c[:, 0] + c[:, 1]
    dependent /= np.linalg.norm(dependent)
    a = np.column_stack([c, dependent]) * 4.0
    y = rng.standard_normal(30)
    fit = inferkit.lstsq(a, y, method=method, allow_rank_deficient=True)
    expected, _, rank, _ = np.linalg.lstsq(a, y, rcond=None)
    assert fit.rank == rank == 3
    np.testing.assert_allclose(fit.params, expected, rtol=1e-10, atol=1e-12)


def test_no_dof_flag():
    """dof = 0 with relative sigma: NaN covariance and the flag; finite with absolute sigma."""
    a, y, sigma = random_problem(2, n=5, p=5)
    fit = inferkit.lstsq(a, y, sigma=sigma)
    assert fit.dof == 0 and fit.no_dof
    assert np.all(np.isnan(fit.cov))
    np.testing.assert_allclose(fit.residuals, 0.0, atol=1e-10)
    np.testing.assert_allclose(fit.params, np.linalg.solve(a, y), rtol=1e-10)
    absolute = inferkit.lstsq(a, y, sigma=sigma, absolute_sigma=True)
    assert not absolute.no_dof
    aw, _ = weighted(a, y, sigma)
    np.testing.assert_allclose(absolute.cov, np.linalg.inv(aw.T @ aw), rtol=1e-9)


def test_refinement_options():
    """refine=0 never refines; refine=k takes at most k steps; the flag follows the steps."""
    x = np.linspace(0, 1, 60)
    a = np.vander(x, 10, increasing=True)
    y = np.exp(x)
    never = inferkit.lstsq(a, y, refine=0)
    assert never.refinement_steps == 0 and not never.refined
    twice = inferkit.lstsq(a, y, refine=2)
    assert 0 <= twice.refinement_steps <= 2
    assert twice.refined == (twice.refinement_steps > 0)
    auto = inferkit.lstsq(a, y)
    assert auto.cond > 1e4 and auto.refinement_steps > 0 and auto.refined
    easy = inferkit.lstsq(*random_problem(0, weighted=False)[:2])
    assert easy.cond < 1e4 and easy.refinement_steps == 0
    np.testing.assert_allclose(never.params, auto.params, rtol=1e-5)


def test_results_do_not_depend_on_thread_count():
    """n_threads = 1, 2 and 0 (all cores) give bit-identical results."""
    a, ys, sigma = random_problem(12, n=3000, p=20, k=4)
    fits = [inferkit.lstsq(a, ys, sigma=sigma, n_threads=t) for t in (1, 2, 0)]
    for other in fits[1:]:
        for name in ("params", "stderr", "cov", "residuals", "chi2", "r2", "singular_values"):
            np.testing.assert_array_equal(getattr(other, name), getattr(fits[0], name),
                                          err_msg=name)


def test_results_are_independent_of_the_inputs_afterwards():
    """The fit keeps what it needs: changing or deleting the inputs does not change it."""
    a, y, sigma = random_problem(13)
    fit = inferkit.lstsq(a, y, sigma=sigma)
    x_new = a[:4].copy()
    before = fit.predict(x_new)
    a[:] = np.nan
    y[:] = np.nan
    del a, y
    np.testing.assert_array_equal(fit.predict(x_new), before)


# ------------------------------------------------------------------------------------------
# Design matrices
# ------------------------------------------------------------------------------------------


X_POINTS = np.array([-1.3, -0.2, 0.0, 0.4, 0.9, 1.7, 2.5, 3.1])


def mapped(x, domain):
    """x mapped from domain onto [-1, 1]."""
    lo, hi = domain
    return (2.0 * x - (lo + hi)) / (hi - lo)


@pytest.mark.parametrize("deg", [0, 1, 4, 7])
def test_design_monomial(deg):
    """The monomial design is numpy's increasing Vandermonde matrix."""
    out = inferkit.design_matrix("monomial", X_POINTS, deg)
    assert out.shape == (8, deg + 1) and out.flags.c_contiguous
    np.testing.assert_allclose(out, np.vander(X_POINTS, deg + 1, increasing=True), rtol=1e-15)
    np.testing.assert_allclose(out, monomial.polyvander(X_POINTS, deg), rtol=1e-15)


@pytest.mark.parametrize("kind, vander", [("legendre", legendre.legvander),
                                          ("chebyshev", chebyshev.chebvander)])
@pytest.mark.parametrize("domain", [None, (-2.0, 4.0), (-1.3, 3.1)])
@pytest.mark.parametrize("deg", [0, 3, 8])
def test_design_orthogonal(kind, vander, domain, deg):
    """Legendre/Chebyshev designs equal numpy's legvander/chebvander of the mapped x."""
    out = inferkit.design_matrix(kind, X_POINTS, deg, domain=domain)
    used = (X_POINTS.min(), X_POINTS.max()) if domain is None else domain
    expected = vander(mapped(X_POINTS, used), deg)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("deg", [0, 1, 3])
@pytest.mark.parametrize("period", [1.0, 2.7])
def test_design_fourier(deg, period):
    """Fourier columns are 1, cos(2 pi k x / P), sin(2 pi k x / P) for k = 1..deg."""
    out = inferkit.design_matrix("fourier", X_POINTS, deg, period=period)
    columns = [np.ones_like(X_POINTS)]
    for k in range(1, deg + 1):
        phase = 2 * np.pi * k * X_POINTS / period
        columns += [np.cos(phase), np.sin(phase)]
    expected = np.column_stack(columns)
    assert out.shape == (8, 2 * deg + 1)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("deg", [0, 2, 5])
def test_design_cosine(deg):
    """Cosine columns are cos(2 pi k x / P) for k = 0..deg."""
    out = inferkit.design_matrix("cosine", X_POINTS, deg, period=3.3)
    k = np.arange(deg + 1)
    expected = np.cos(2 * np.pi * np.outer(X_POINTS, k) / 3.3)
    assert out.shape == (8, deg + 1)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)


def test_design_accepts_lists_and_ints():
    """Plain lists and integer arrays are converted to float64."""
    out = inferkit.design_matrix("monomial", [1, 2, 3], 2)
    np.testing.assert_array_equal(out, [[1, 1, 1], [1, 2, 4], [1, 3, 9]])


# ------------------------------------------------------------------------------------------
# polyfit
# ------------------------------------------------------------------------------------------


def poly_data(seed, n=50, deg=4, k=None):
    """Noisy polynomial data on [-1, 3]: (x, y, sigma)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 3, n))
    coef = rng.standard_normal((deg + 1,) if k is None else (deg + 1, k))
    sigma = rng.uniform(0.05, 0.2, n)
    base = monomial.polyval(x, coef)  # (n,) or (k, n)
    y = base if k is None else base.T
    noise = rng.standard_normal(y.shape) * (sigma if k is None else sigma[:, None])
    return x, y + noise, sigma


@pytest.mark.parametrize("absolute_sigma", [False, True])
def test_polyfit_monomial_matches_lstsq_and_numpy(absolute_sigma):
    """polyfit equals lstsq on the Vandermonde design and numpy's weighted polyfit."""
    x, y, sigma = poly_data(0)
    fit = inferkit.polyfit(x, y, 4, sigma=sigma, absolute_sigma=absolute_sigma)
    assert fit.basis == "monomial"
    a = np.vander(x, 5, increasing=True)
    ref = inferkit.lstsq(a, y, sigma=sigma, absolute_sigma=absolute_sigma)
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.cov, ref.cov, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(fit.chi2, ref.chi2, rtol=1e-10)
    np.testing.assert_allclose(fit.r2, ref.r2, rtol=1e-12)
    np.testing.assert_allclose(fit.residuals, ref.residuals, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(fit.params, monomial.polyfit(x, y, 4, w=1 / sigma), rtol=1e-9,
                               atol=1e-11)
    popt, pcov = curve_fit_linear(a, y, sigma, absolute_sigma)
    np.testing.assert_allclose(fit.cov, pcov, rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("basis, fitter", [("legendre", legendre.legfit),
                                           ("chebyshev", chebyshev.chebfit)])
@pytest.mark.parametrize("domain", [None, (-2.0, 4.0)])
def test_polyfit_orthogonal_bases(basis, fitter, domain):
    """Legendre/Chebyshev coefficients equal numpy's fits in the mapped variable."""
    x, y, sigma = poly_data(1)
    fit = inferkit.polyfit(x, y, 5, sigma=sigma, basis=basis, domain=domain)
    used = (x.min(), x.max()) if domain is None else domain
    expected = fitter(mapped(x, used), y, 5, w=1 / sigma)
    np.testing.assert_allclose(fit.params, expected, rtol=1e-10, atol=1e-12)
    design = inferkit.design_matrix(basis, x, 5, domain=domain)
    ref = inferkit.lstsq(design, y, sigma=sigma)
    np.testing.assert_allclose(fit.cov, ref.cov, rtol=1e-9, atol=1e-15)
    x_new = np.linspace(-1.5, 3.5, 11)
    a_new = inferkit.design_matrix(basis, x_new, 5, domain=used)
    np.testing.assert_allclose(fit.predict(x_new), a_new @ fit.params, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(fit.predict_std(x_new), ref.predict_std(a_new), rtol=1e-8)


@pytest.mark.parametrize("basis", ["fourier", "cosine"])
def test_polyfit_periodic_bases(basis):
    """Fourier/cosine polyfit equals lstsq on the design matrix; predict_x uses the period."""
    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(0, 10, 80))
    y = 1 + np.cos(2 * np.pi * x / 4.0) - 0.5 * np.sin(4 * np.pi * x / 4.0)
    y = y + 0.1 * rng.standard_normal(80)
    fit = inferkit.polyfit(x, y, 3, basis=basis, period=4.0)
    design = inferkit.design_matrix(basis, x, 3, period=4.0)
    ref = inferkit.lstsq(design, y)
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.cov, ref.cov, rtol=1e-9, atol=1e-15)
    x_new = np.linspace(-3, 13, 9)
    a_new = inferkit.design_matrix(basis, x_new, 3, period=4.0)
    np.testing.assert_allclose(fit.predict(x_new), ref.predict(a_new), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fit.predict_std(x_new), ref.predict_std(a_new), rtol=1e-8)


def test_polyfit_predict_matches_polyval():
    """predict(x) = polyval(x, params); predict_std from the monomial covariance."""
    x, y, sigma = poly_data(3)
    fit = inferkit.polyfit(x, y, 4, sigma=sigma)
    x_new = np.linspace(-1, 3, 17)
    np.testing.assert_allclose(fit.predict(x_new), monomial.polyval(x_new, fit.params),
                               rtol=1e-11, atol=1e-12)
    v = np.vander(x_new, 5, increasing=True)
    std = np.sqrt(np.einsum("ij,jk,ik->i", v, fit.cov, v))
    np.testing.assert_allclose(fit.predict_std(x_new), std, rtol=1e-7)
    assert isinstance(fit.predict(1.5), float)
    np.testing.assert_allclose(fit.predict(1.5), monomial.polyval(1.5, fit.params), rtol=1e-12)


def test_polyfit_multiple_right_hand_sides():
    """polyfit with (n, k) data (C or Fortran order) equals k separate fits."""
    x, ys, sigma = poly_data(4, k=3)
    for data in (np.ascontiguousarray(ys), np.asfortranarray(ys)):
        fit = inferkit.polyfit(x, data, 4, sigma=sigma)
        assert fit.params.shape == (5, 3) and fit.cov.shape == (3, 5, 5)
        for j in range(3):
            single = inferkit.polyfit(x, ys[:, j], 4, sigma=sigma)
            np.testing.assert_allclose(fit.params[:, j], single.params, rtol=1e-12, atol=1e-13)
            np.testing.assert_allclose(fit.cov[j], single.cov, rtol=1e-11, atol=1e-16)
            np.testing.assert_allclose(fit.chi2[j], single.chi2, rtol=1e-11)
        x_new = np.linspace(0, 2, 5)
        assert fit.predict(x_new).shape == (5, 3)
        np.testing.assert_allclose(fit.predict(x_new)[:, 1],
                                   monomial.polyval(x_new, fit.params[:, 1]), rtol=1e-11)

