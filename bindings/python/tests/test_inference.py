"""Posteriors, Laplace's method and log-probabilities (inferkit.Posterior, inferkit.laplace,
inferkit.inference._as_logprob) against independent references computed in the test: numpy
log-likelihoods, scipy.stats log densities for the priors, central differences for gradients,
scipy.optimize.curve_fit for the Gaussian fit, and the closed-form evidence of a conjugate
linear-Gaussian model. The last part feeds the bad inputs and asserts the exception class, its
code and that the message names the culprit.
"""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import inferkit
from inferkit import _capi
from inferkit._arrays import pointer
from inferkit.inference import _as_logprob
from conftest import assert_error

PEAK = "A*exp(-0.5*((x-mu)/sig)^2) + B"
NAMES = ("A", "mu", "sig", "B")
START = np.array([1.0, 0.2, 0.2, 0.0])
TRUTH = np.array([2.0, 0.3, 0.1, 0.5])


def peak(x, A, mu, sig, B):
    return A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B


def peak_data(n=200, seed=7, noise=0.05):
    """The lecture's Gaussian peak on a background."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)
    sigma = np.full(n, 0.05)
    return x, peak(x, *TRUTH) + noise * rng.normal(size=n), sigma


def central_gradient(f, p, h=1e-6):
    p = np.asarray(p, dtype=float)
    g = np.empty_like(p)
    for j in range(p.size):
        step = h * max(1.0, abs(p[j]))
        up, down = p.copy(), p.copy()
        up[j] += step
        down[j] -= step
        g[j] = (f(up) - f(down)) / (2 * step)
    return g


def banana(p):
    a, b = p
    return -0.5 * (a * a + (b - a * a) ** 2 / 0.01)


# ------------------------------------------------------------------------------------------
# _as_logprob: formulas, callables, vectorised callables, posteriors
# ------------------------------------------------------------------------------------------


def test_as_logprob_formula():
    lp = _as_logprob("-0.5*(a^2 + (b - a^2)^2/0.01)")
    assert lp.ndim == 2 and lp.param_names == ("a", "b") and lp.exact_gradient
    points = np.array([[0.3, -0.2], [1.1, 1.0], [-0.7, 0.4]])
    np.testing.assert_allclose(lp.log_prob(points), [banana(p) for p in points], rtol=1e-14)
    assert lp.log_prob(points[1]) == pytest.approx(banana(points[1]), rel=1e-14)
    value, g = lp.value_and_grad(points[1])
    assert value == pytest.approx(banana(points[1]), rel=1e-14)
    np.testing.assert_allclose(g, central_gradient(banana, points[1]), rtol=1e-7)
    swapped = _as_logprob("-0.5*(a^2 + (b - a^2)^2/0.01)", params=["b", "a"])
    assert swapped.param_names == ("b", "a")
    assert swapped.log_prob(points[1][::-1]) == pytest.approx(banana(points[1]), rel=1e-14)
    np.testing.assert_array_equal(lp.constrain(points), points)


def test_as_logprob_callable_per_point_and_vectorized():
    calls = []

    def per_point(p, scale, shift=0.0):
        calls.append(p.shape)
        return -0.5 * np.sum(((p - shift) / scale) ** 2)

    lp = _as_logprob(per_point, args=(2.0,), kwargs={"shift": 1.0}, ndim=3)
    assert lp.ndim == 3 and lp.param_names == ("p0", "p1", "p2") and not lp.exact_gradient
    points = np.arange(12.0).reshape(4, 3) / 10
    expected = -0.5 * np.sum(((points - 1.0) / 2.0) ** 2, axis=1)
    np.testing.assert_allclose(lp.log_prob(points), expected, rtol=1e-15)
    assert calls[-4:] == [(3,)] * 4  # one call per point
    value, g = lp.value_and_grad(points[0])  # central differences
    np.testing.assert_allclose(g, -(points[0] - 1.0) / 4.0, rtol=1e-8, atol=1e-10)

    batches = []

    def vectorized(P):
        batches.append(P.shape)
        return -0.5 * np.sum(P ** 2, axis=1), np.zeros(len(P))  # emcee's (log_prob, blobs)

    lpv = _as_logprob(vectorized, vectorize=True, params=("x", "y", "z"))
    assert lpv.param_names == ("x", "y", "z")
    np.testing.assert_allclose(lpv.log_prob(points), -0.5 * np.sum(points ** 2, axis=1), rtol=1e-15)
    assert batches == [(4, 3)]  # all points in one call

    lpg = _as_logprob(lambda p: -0.5 * p @ p, ndim=2, grad=lambda p: -p)
    assert lpg.exact_gradient
    value, g = lpg.value_and_grad([0.5, -2.0])
    assert value == pytest.approx(-2.125) and np.allclose(g, [-0.5, 2.0])


def test_as_logprob_callable_exceptions_are_reraised():
    class Boom(Exception):
        pass

    def failing(p):
        raise Boom("inside the log-probability")

    lp = _as_logprob(failing, ndim=2)
    with pytest.raises(Boom, match="inside the log-probability"):
        lp.log_prob([0.1, 0.2])
    with pytest.raises(Boom):
        lp.value_and_grad([0.1, 0.2])
    # The error does not stick: a later call of a working handle is fine.
    lp2 = _as_logprob(lambda p: float(p[0]), ndim=1)
    assert lp2.log_prob([3.0]) == 3.0
    wrong = _as_logprob(lambda P: np.zeros(len(P) + 1), ndim=2, vectorize=True)
    with pytest.raises(inferkit.DimensionError, match="returned 3 values for 2 points"):
        wrong.log_prob(np.zeros((2, 2)))
    # Without the Python exception (a C-level failure), CallbackError from the status.
    lp.error = None
    point, value = np.zeros(2), np.zeros(1)
    status = inferkit._lib.ik_logprob_eval(lp.handle, pointer(point), 1, 2, pointer(value))
    with pytest.raises(inferkit.CallbackError, match="log-probability callback returned 1"):
        inferkit.check(status)


def test_as_logprob_posterior_spaces():
    x, y, sigma = peak_data()
    post = inferkit.Posterior(PEAK, x, y, sigma=sigma,
                              priors={"sig": ("lognormal", np.log(0.1), 1.0), "B": ("uniform", -1, 2)})
    theta = np.array([1.8, 0.32, 0.12, 0.45])
    c = _as_logprob(post)
    assert c.ndim == 4 and c.param_names == NAMES and c.exact_gradient
    assert c.log_prob(theta) == pytest.approx(post.log_prob(theta), rel=1e-15)
    u_lp = _as_logprob(post, space="unconstrained")
    u = u_lp.unconstrain(theta)
    assert u[2] == pytest.approx(np.log(0.12)) and u[3] == pytest.approx(np.log(1.45 / 1.55))
    np.testing.assert_allclose(u_lp.constrain(u), theta, rtol=1e-14)
    jacobian = np.log(0.12) + np.log(3 * (1.45 / 3) * (1.55 / 3))
    assert u_lp.log_prob(u) == pytest.approx(post.log_prob(theta) + jacobian, rel=1e-13)
    value, g = u_lp.value_and_grad(u)
    np.testing.assert_allclose(g, central_gradient(u_lp.log_prob, u), rtol=1e-6, atol=1e-4)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        u_lp.unconstrain([1.8, 0.32, -0.1, 0.45])
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "theta[2]", "'sig'", "-0.1")


def test_as_logprob_bad_inputs():
    with pytest.raises(inferkit.InvalidArgumentError, match="give ndim"):
        _as_logprob(lambda p: 0.0)
    with pytest.raises(inferkit.InvalidArgumentError, match="log_prob_fn is 3"):
        _as_logprob(3)
    with pytest.raises(inferkit.ParseError):
        _as_logprob("-0.5*(a^2 +")
    with pytest.raises(inferkit.InvalidArgumentError, match="no parameters"):
        _as_logprob("1 + 2")
    with pytest.raises(inferkit.InvalidArgumentError, match="args and kwargs"):
        _as_logprob("-a^2", args=(1,))
    with pytest.raises(inferkit.DimensionError, match="ndim is 3 but the formula has 1"):
        _as_logprob("-a^2", ndim=3)
    with pytest.raises(inferkit.InvalidArgumentError, match="space"):
        _as_logprob("-a^2", space="sideways")
    lp = _as_logprob("-a^2 - b^2")
    with pytest.raises(inferkit.DimensionError, match="has 3 values but the log-probability has 2"):
        lp.log_prob([1, 2, 3])
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        lp.log_prob([[1, 2], [np.nan, 0]])
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "points[1,0]")


# ------------------------------------------------------------------------------------------
# Laplace's method against scipy.optimize.curve_fit (the lecture's Gaussian fit)
# ------------------------------------------------------------------------------------------


def peak_jacobian(x, A, mu, sig, B):
    z = (x - mu) / sig
    e = np.exp(-0.5 * z * z)
    return np.stack([e, A * e * z / sig, A * e * z * z / sig, np.ones_like(x)], axis=1)


def chi2_hessian(x, y, sigma, p):
    """The full Hessian of chi2/2 at p: J^T W J + sum_i r_i/sigma_i^2 d2f_i, the model's second
    derivatives by central differences of its analytic Jacobian."""
    J = peak_jacobian(x, *p) / sigma[:, None]
    r = (peak(x, *p) - y) / sigma
    curvature = np.empty((4, 4))
    for k in range(4):
        h = 1e-6 * max(1.0, abs(p[k]))
        up, down = np.array(p, float), np.array(p, float)
        up[k] += h
        down[k] -= h
        d2 = (peak_jacobian(x, *up) - peak_jacobian(x, *down)) / (2 * h)  # d/dp_k of column j
        curvature[:, k] = (r / sigma) @ d2
    return J.T @ J + 0.5 * (curvature + curvature.T)


def cov_gap(a, b):
    """max_ij |a_ij - b_ij| / sqrt(b_ii b_jj): the difference in units of the standard errors
    (entries that vanish by symmetry make a plain relative difference meaningless)."""
    d = np.sqrt(np.diag(b))
    return float(np.max(np.abs(a - b) / np.outer(d, d)))


def lecture_posterior(x, y, sigma):
    # The width is positive (the model is symmetric in sig): a flat prior on (0, inf).
    return inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"sig": ("flat", 0, np.inf)})


def test_laplace_equals_curve_fit_where_the_residuals_vanish():
    """Noise-free data: chi2's Hessian at the optimum is J^T W J, so Laplace's covariance is
    curve_fit's absolute-sigma covariance."""
    x, y, sigma = peak_data(noise=0.0)
    popt, pcov = scipy.optimize.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True,
                                          jac=peak_jacobian, xtol=1e-15, ftol=1e-15, gtol=1e-15)
    res = inferkit.laplace(lecture_posterior(x, y, sigma), START)
    assert res.success and res.cov_issue is None
    np.testing.assert_allclose(res.map, popt, rtol=1e-9)
    gap = cov_gap(res.cov, pcov)
    assert gap < 1e-6, gap
    np.testing.assert_allclose(np.diag(res.cov), np.diag(pcov), rtol=1e-6)


def test_laplace_on_the_lectures_noisy_gaussian_fit():
    """The lecture's fit: the MAP is curve_fit's popt; the covariance is the inverse of chi2/2's
    full Hessian (what jax.hessian gives in the lecture), which differs from curve_fit's
    Gauss-Newton pcov by the residual curvature term only."""
    x, y, sigma = peak_data()
    popt, pcov = scipy.optimize.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True,
                                          jac=peak_jacobian, xtol=1e-15, ftol=1e-15, gtol=1e-15)
    post = lecture_posterior(x, y, sigma)
    res = inferkit.laplace(post, START)
    assert res.success and res.param_names == NAMES
    np.testing.assert_allclose(res.map, popt, rtol=1e-8)
    full = np.linalg.inv(chi2_hessian(x, y, sigma, popt))
    assert cov_gap(res.cov, full) < 1e-6
    np.testing.assert_allclose(np.diag(res.cov), np.diag(full), rtol=1e-6)
    np.testing.assert_allclose(res.hess, np.linalg.inv(full), rtol=1e-6, atol=1e-6 * np.abs(res.hess).max())
    gap = cov_gap(res.cov, pcov)
    assert 1e-4 < gap < 0.05, gap  # the residual term: about 1 % of the standard errors here
    np.testing.assert_allclose(res.stderr, np.sqrt(np.diag(res.cov)), rtol=1e-15)
    np.testing.assert_allclose(res.corr, res.cov / np.outer(res.stderr, res.stderr), rtol=1e-14, atol=1e-15)
    # log p at the MAP, and the Laplace evidence formula with the improper (flat) priors flagged.
    chi2 = np.sum(((y - peak(x, *res.map)) / sigma) ** 2)
    log_like = -0.5 * chi2 - np.sum(np.log(sigma)) - 0.5 * len(x) * np.log(2 * np.pi)
    assert res.log_posterior == pytest.approx(log_like, rel=1e-12)
    sign, logdet = np.linalg.slogdet(res.hess)
    assert sign > 0
    assert res.log_evidence == pytest.approx(log_like + 2 * np.log(2 * np.pi) - 0.5 * logdet, rel=1e-10)
    assert not res.evidence_is_proper and any("flat" in s for s in res.issues)
    # A given method and options.
    bfgs = inferkit.laplace(post, START, method="L-BFGS-B", options={"maxiter": 5000}, tol=1e-10)
    np.testing.assert_allclose(bfgs.map, popt, rtol=1e-5)


def test_laplace_fisher_hessian_equals_curve_fit_on_the_lectures_noisy_fit():
    """hessian="fisher": the likelihood's expected information J^T W J (plus the flat priors'
    zero Hessian), so the covariance is curve_fit's absolute-sigma pcov on the noisy data too;
    "observed" stays the inverse of chi2/2's full Hessian."""
    x, y, sigma = peak_data()
    popt, pcov = scipy.optimize.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=True,
                                          jac=peak_jacobian, xtol=1e-15, ftol=1e-15, gtol=1e-15)
    post = lecture_posterior(x, y, sigma)
    res = inferkit.laplace(post, START, hessian="fisher")
    assert res.success and res.cov_issue is None and res.hessian_kind == "fisher"
    np.testing.assert_allclose(res.map, popt, rtol=1e-8)
    gap = cov_gap(res.cov, pcov)
    assert gap < 1e-6, gap
    np.testing.assert_allclose(np.diag(res.cov), np.diag(pcov), rtol=1e-6)
    J = peak_jacobian(x, *res.map) / sigma[:, None]
    np.testing.assert_allclose(res.hess, J.T @ J, rtol=1e-12, atol=1e-12 * np.abs(res.hess).max())
    np.testing.assert_allclose(res.stderr, np.sqrt(np.diag(pcov)), rtol=1e-6)
    # The evidence uses the Fisher Hessian's determinant.
    sign, logdet = np.linalg.slogdet(res.hess)
    assert sign > 0
    assert res.log_evidence == pytest.approx(res.log_posterior + 2 * np.log(2 * np.pi) - 0.5 * logdet, rel=1e-12)
    # "observed" is the default and keeps the full Hessian of chi2/2.
    observed = inferkit.laplace(post, START, hessian="observed")
    default = inferkit.laplace(post, START)
    assert observed.hessian_kind == "observed" and default.hessian_kind == "observed"
    np.testing.assert_array_equal(observed.cov, default.cov)
    np.testing.assert_array_equal(observed.map, res.map)
    full = np.linalg.inv(chi2_hessian(x, y, sigma, popt))
    assert cov_gap(observed.cov, full) < 1e-6
    assert cov_gap(observed.cov, pcov) > 1e-4
    # A normal prior adds its curvature: (J^T W J + 1/tau^2 on A)^-1 at the MAP.
    tau = 0.05
    with_prior = inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"sig": ("flat", 0, np.inf), "A": ("normal", 2.0, tau)})
    res = inferkit.laplace(with_prior, START, hessian="fisher")
    J = peak_jacobian(x, *res.map) / sigma[:, None]
    precision = J.T @ J
    precision[0, 0] += 1 / tau**2
    assert cov_gap(res.cov, np.linalg.inv(precision)) < 1e-10


def test_laplace_fisher_hessian_bad_values_and_likelihoods():
    x, y, sigma = peak_data()
    post = lecture_posterior(x, y, sigma)
    for bad in ("expected", "Fisher", 1, None):
        with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
            inferkit.laplace(post, START, hessian=bad)
        assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, f"hessian is {bad!r}",
                     "'observed'", "'fisher'")
    formula = inferkit.Posterior(PEAK, x, y, likelihood="formula", log_likelihood="-abs(f - y)/b - log(2*b)",
                                 priors={"b": ("loguniform", 1e-3, 1.0)})
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.laplace(formula, np.append(THETA, 0.04), hessian="fisher")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "Gaussian, Poisson and Student-t")
    # Poisson and Student-t have one.
    counts = np.random.default_rng(3).poisson(peak(x, *TRUTH) * 20)
    poisson = inferkit.Posterior("20*(" + PEAK + ")", x, counts, likelihood="poisson", priors={"sig": ("flat", 0, np.inf)})
    res = inferkit.laplace(poisson, START, hessian="fisher")
    f = 20 * peak(x, *res.map)
    J = 20 * peak_jacobian(x, *res.map)
    np.testing.assert_allclose(res.hess, J.T @ (J / f[:, None]), rtol=1e-10, atol=1e-12 * np.abs(res.hess).max())
    student = inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood="student_t", nu=4.0, priors={"sig": ("flat", 0, np.inf)})
    res = inferkit.laplace(student, START, hessian="fisher")
    J = peak_jacobian(x, *res.map) / sigma[:, None]
    np.testing.assert_allclose(res.hess, 5 / 7 * J.T @ J, rtol=1e-12, atol=1e-12 * np.abs(res.hess).max())


def test_laplace_evidence_of_a_conjugate_linear_gaussian_model():
    x = np.array([0, 0.5, 1.1, 1.9, 2.4, 3.0, 3.8, 4.1])
    y = np.array([0.9, 1.6, 2.0, 2.9, 3.1, 4.2, 4.8, 5.5])
    sigma = np.array([0.3, 0.2, 0.25, 0.3, 0.4, 0.2, 0.3, 0.35])
    post = inferkit.Posterior("a + b*x", x, y, sigma=sigma, priors={"a": ("normal", 0.5, 2), "b": ("normal", 1, 0.5)})
    res = inferkit.laplace(post, [0, 0])
    X = np.stack([np.ones_like(x), x], axis=1)
    S = np.diag([4.0, 0.25])
    exact = scipy.stats.multivariate_normal.logpdf(y, X @ [0.5, 1.0], np.diag(sigma ** 2) + X @ S @ X.T)
    assert res.evidence_is_proper
    assert res.log_evidence == pytest.approx(exact, rel=1e-11)
    precision = X.T @ np.diag(sigma ** -2) @ X + np.linalg.inv(S)
    np.testing.assert_allclose(res.cov, np.linalg.inv(precision), rtol=1e-11)
    mean = np.linalg.solve(precision, X.T @ (y / sigma ** 2) + np.linalg.solve(S, [0.5, 1.0]))
    np.testing.assert_allclose(res.map, mean, rtol=1e-10)


# ------------------------------------------------------------------------------------------
# log p against numpy and scipy.stats, for every likelihood and prior kind
# ------------------------------------------------------------------------------------------

THETA = np.array([1.8, 0.32, 0.12, 0.45])

PRIOR_CASES = [
    ("A", ("uniform", 0.5, 4.0), scipy.stats.uniform(loc=0.5, scale=3.5)),
    ("mu", ("normal", 0.3, 0.1), scipy.stats.norm(0.3, 0.1)),
    ("sig", ("lognormal", np.log(0.1), 0.7), scipy.stats.lognorm(s=0.7, scale=0.1)),
    ("A", ("halfnormal", 5.0), scipy.stats.halfnorm(scale=5.0)),
    ("B", ("loguniform", 0.1, 10.0), scipy.stats.loguniform(0.1, 10.0)),
    ("B", ("flat", 0.0, np.inf), None),
    ("B", ("flat",), None),
]


@pytest.mark.parametrize("name, spec, dist", PRIOR_CASES, ids=[f"{c[0]}-{c[1][0]}" for c in PRIOR_CASES])
def test_log_prob_with_each_prior(name, spec, dist):
    x, y, sigma = peak_data()
    post = inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={name: spec})
    log_like = np.sum(scipy.stats.norm.logpdf(y, peak(x, *THETA), sigma))
    log_prior = 0.0 if dist is None else dist.logpdf(THETA[NAMES.index(name)])
    assert post.log_prob(THETA) == pytest.approx(log_like + log_prior, rel=1e-12)
    np.testing.assert_allclose(post.grad_log_prob(THETA), central_gradient(post.log_prob, THETA), rtol=1e-6, atol=1e-4)
    if dist is not None:
        outside = THETA.copy()
        outside[NAMES.index(name)] = -1.0 if spec[0] != "uniform" else 5.0
        if np.isinf(dist.logpdf(outside[NAMES.index(name)])):
            assert post.log_prob(outside) == -np.inf


def test_log_prob_of_many_points_and_joint_log_priors():
    x, y, sigma = peak_data()
    post = inferkit.Posterior(PEAK, x, y, sigma=sigma, log_prior="-0.5*((A - 2*B)/0.1)^2")
    points = THETA + np.linspace(-0.01, 0.01, 12).reshape(3, 4)
    values = post.log_prob(points)
    assert values.shape == (3,)
    for p, v in zip(points, values):
        expected = np.sum(scipy.stats.norm.logpdf(y, peak(x, *p), sigma)) - 0.5 * ((p[0] - 2 * p[3]) / 0.1) ** 2
        assert v == pytest.approx(expected, rel=1e-12)
    assert post(THETA) == post.log_prob(THETA)
    grads = post.grad_log_prob(points)
    assert grads.shape == (3, 4)
    np.testing.assert_allclose(grads[1], central_gradient(post.log_prob, points[1]), rtol=1e-6, atol=1e-4)
    value, g = post.value_and_grad(points[1])
    assert value == values[1] and np.array_equal(g, grads[1])
    by_callable = inferkit.Posterior(PEAK, x, y, sigma=sigma, log_prior=lambda p: -0.5 * ((p[0] - 2 * p[3]) / 0.1) ** 2)
    assert by_callable.log_prob(points[1]) == pytest.approx(values[1], rel=1e-13)
    np.testing.assert_allclose(by_callable.log_prob(points), values, rtol=1e-13)


def test_free_sigma_gaussian():
    x, y, sigma = peak_data()
    p = np.append(THETA, 1.3)
    relative = inferkit.Posterior(PEAK, x, y, sigma=sigma, free_sigma=True)
    assert relative.param_names == NAMES + ("sigma",)
    expected = np.sum(scipy.stats.norm.logpdf(y, peak(x, *THETA), 1.3 * sigma))
    assert relative.log_prob(p) == pytest.approx(expected, rel=1e-12)
    common = inferkit.Posterior(PEAK, x, y, free_sigma="noise", priors={"noise": ("halfnormal", 1.0)})
    assert common.param_names[-1] == "noise"
    expected = np.sum(scipy.stats.norm.logpdf(y, peak(x, *THETA), 1.3)) + scipy.stats.halfnorm.logpdf(1.3)
    assert common.log_prob(p) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(common.grad_log_prob(p), central_gradient(common.log_prob, p), rtol=1e-6, atol=1e-4)
    # The MAP of the noise scale is the rms residual (up to its prior).
    res = inferkit.laplace(relative, np.append(START, 1.0))
    r = (y - peak(x, *res.map[:4])) / sigma
    assert res.map[4] == pytest.approx(np.sqrt(np.mean(r ** 2)), rel=1e-6)


def test_poisson():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 3, 40)
    counts = rng.poisson(20 * np.exp(-x / 0.8)).astype(float)
    post = inferkit.Posterior("a*exp(-x/tau)", x, counts, likelihood="poisson",
                              priors={"tau": ("lognormal", 0.0, 1.0)})
    p = np.array([18.0, 0.9])
    expected = np.sum(scipy.stats.poisson.logpmf(counts, p[0] * np.exp(-x / p[1]))) + \
        scipy.stats.lognorm(s=1.0).logpdf(0.9)
    assert post.log_prob(p) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(post.grad_log_prob(p), central_gradient(post.log_prob, p), rtol=1e-6)
    assert post.log_prob([-1.0, 0.9]) == -np.inf  # a negative rate
    res = inferkit.laplace(post, [10.0, 1.0])
    ref = scipy.optimize.minimize(lambda q: -post.log_prob(q), [10.0, 1.0], method="Nelder-Mead",
                                  options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10000})
    np.testing.assert_allclose(res.map, ref.x, rtol=1e-6)
    hessian = -np.array([central_gradient(lambda q: post.grad_log_prob(q)[j], res.map) for j in range(2)])
    np.testing.assert_allclose(res.cov, np.linalg.inv(hessian), rtol=1e-5)


def test_student_t():
    x, y, sigma = peak_data()
    y = y.copy()
    y[[20, 120]] += 1.5  # outliers
    post = inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood="student_t", nu=3.0,
                              priors={"sig": ("flat", 0, np.inf)})
    expected = np.sum(scipy.stats.t.logpdf(y, df=3.0, loc=peak(x, *THETA), scale=sigma))
    assert post.log_prob(THETA) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(post.grad_log_prob(THETA), central_gradient(post.log_prob, THETA), rtol=1e-6, atol=1e-4)
    free = inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood="student_t", nu="nu", free_sigma=True)
    assert free.param_names == NAMES + ("sigma", "nu")
    p = np.append(THETA, [1.2, 5.0])
    expected = np.sum(scipy.stats.t.logpdf(y, df=5.0, loc=peak(x, *THETA), scale=1.2 * sigma))
    assert free.log_prob(p) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(free.grad_log_prob(p), central_gradient(free.log_prob, p), rtol=1e-6, atol=1e-4)
    # Robust: the MAP stays near the truth despite the outliers; and it is the optimum.
    res = inferkit.laplace(post, START)
    assert res.success and np.all(np.abs(res.map - TRUTH) < 5 * res.stderr)
    ref = scipy.optimize.minimize(lambda q: -np.sum(scipy.stats.t.logpdf(y, 3.0, peak(x, *q), sigma)), res.map,
                                  method="Nelder-Mead", options={"xatol": 1e-11, "fatol": 1e-12, "maxiter": 20000})
    np.testing.assert_allclose(res.map, ref.x, rtol=1e-6)


def test_formula_likelihood_and_callable_model():
    x, y, sigma = peak_data()
    post = inferkit.Posterior(PEAK, x, y, likelihood="formula", log_likelihood="-abs(f - y)/b - log(2*b)",
                              priors={"b": ("loguniform", 1e-3, 1.0)})
    assert post.param_names == NAMES + ("b",)
    p = np.append(THETA, 0.04)
    expected = np.sum(scipy.stats.laplace.logpdf(y, peak(x, *THETA), 0.04)) + scipy.stats.loguniform(1e-3, 1).logpdf(0.04)
    assert post.log_prob(p) == pytest.approx(expected, rel=1e-12)
    # The same likelihood as a Python callable of (f, y, s, *eta).
    by_function = inferkit.Posterior(PEAK, x, y, likelihood=lambda f, y, s, b: scipy.stats.laplace.logpdf(y, f, b),
                                     likelihood_params=("b",), priors={"b": ("loguniform", 1e-3, 1.0)})
    assert by_function.param_names == NAMES + ("b",)
    assert by_function.log_prob(p) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(by_function.grad_log_prob(p), post.grad_log_prob(p), rtol=1e-5, atol=1e-3)

    class Boom(Exception):
        pass

    def failing(f, y, s):
        raise Boom("in the likelihood")

    bad = inferkit.Posterior(PEAK, x, y, likelihood=failing)
    with pytest.raises(Boom, match="in the likelihood"):
        bad.log_prob(THETA)
    with pytest.raises(Boom):
        inferkit.laplace(bad, START)
    with pytest.raises(Boom):
        _as_logprob(bad).log_prob(np.stack([THETA, THETA]))
    with pytest.raises(inferkit.InvalidArgumentError, match="likelihood_params is given"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood_params=("b",))
    # A Python callable model f(x, *params) (through a callback model) agrees with the formula.
    by_callable = inferkit.Posterior(peak, x, y, sigma=sigma, p0=START)
    by_formula = inferkit.Posterior(PEAK, x, y, sigma=sigma)
    assert by_callable.param_names == ("p0", "p1", "p2", "p3")
    assert by_callable.log_prob(THETA) == pytest.approx(by_formula.log_prob(THETA), rel=1e-14)
    np.testing.assert_allclose(by_callable.grad_log_prob(THETA), by_formula.grad_log_prob(THETA), rtol=1e-6)
    model = inferkit.Model(PEAK, params=("mu", "sig", "A", "B"))
    reordered = inferkit.Posterior(model, x, y, sigma=sigma)
    assert reordered.param_names == ("mu", "sig", "A", "B")
    assert reordered.log_prob(THETA[[1, 2, 0, 3]]) == pytest.approx(by_formula.log_prob(THETA), rel=1e-14)


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------


def test_bad_priors():
    x, y, sigma = peak_data()
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"mu": ("cauchy", 0, 1)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'mu'", "'cauchy'")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"mux": ("normal", 0, 1)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'mux'",
                 "its parameters are A, mu, sig, B")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"mu": ("normal", 0)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'mu'", "takes 2 arguments",
                 "got 1")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"sig": ("halfnormal", 1, 2)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "takes 1 argument")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"sig": ("normal", 0, -1)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'sig'", "sigma must be > 0")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"B": ("uniform", 2, 1)})
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'B'", "lower must be below upper")
    with pytest.raises(inferkit.InvalidArgumentError, match="must be numbers"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"B": ("uniform", "a", 1)})
    with pytest.raises(inferkit.InvalidArgumentError, match="use \\(kind, \\*args\\)"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"B": 3})


def test_bad_data_and_likelihoods():
    x, y, sigma = peak_data()
    with pytest.raises(inferkit.InvalidArgumentError, match="sigma is None"):
        inferkit.Posterior(PEAK, x, y)
    with pytest.raises(inferkit.InvalidArgumentError, match="likelihood is 'cauchy'"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood="cauchy")
    bad = sigma.copy()
    bad[3] = 0
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=bad)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "sigma[3] is 0")
    bad[3] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.Posterior(PEAK, x, y, sigma=bad)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "sigma[3]")
    with pytest.raises(inferkit.DimensionError, match="sigma has shape"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma[:-1])
    # One number is every point's sigma.
    p = np.array([2.0, 0.3, 0.1, 0.5])
    assert inferkit.Posterior(PEAK, x, y, sigma=0.05).log_prob(p) == \
        inferkit.Posterior(PEAK, x, y, sigma=np.full(x.size, 0.05)).log_prob(p)
    with pytest.raises(inferkit.InvalidArgumentError, match="sigma"):
        inferkit.Posterior(PEAK, x, y, sigma=-1.0)
    counts = np.arange(len(x), dtype=float)
    counts[5] = -2
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.Posterior(PEAK, x, counts, likelihood="poisson")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "y[5] = -2", "not a count")
    counts[5] = 1.5
    with pytest.raises(inferkit.InvalidArgumentError, match=r"y\[5\] = 1.5"):
        inferkit.Posterior(PEAK, x, counts, likelihood="poisson")
    with pytest.raises(inferkit.InvalidArgumentError, match="no sigma"):
        inferkit.Posterior(PEAK, x, np.abs(counts).round(), sigma=sigma, likelihood="poisson")
    with pytest.raises(inferkit.InvalidArgumentError, match="nu is 0"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, likelihood="student_t", nu=0)
    with pytest.raises(inferkit.InvalidArgumentError, match="log_likelihood is None"):
        inferkit.Posterior(PEAK, x, y, likelihood="formula")
    with pytest.raises(inferkit.ParseError):
        inferkit.Posterior(PEAK, x, y, likelihood="formula", log_likelihood="-abs(f - y")
    with pytest.raises(inferkit.InvalidArgumentError, match="'mu'"):
        inferkit.Posterior(PEAK, x, y, free_sigma="mu")
    with pytest.raises(TypeError, match="unexpected keyword"):
        inferkit.Posterior(PEAK, x, y, sigma=sigma, sigma_kind="absolute")
    with pytest.raises(inferkit.NonFiniteError, match=r"y\[17\]"):
        inferkit.Posterior(PEAK, x, np.where(np.arange(len(y)) == 17, np.nan, y), sigma=sigma)


def test_bad_laplace_starts_and_failing_callables():
    x, y, sigma = peak_data()
    post = inferkit.Posterior(PEAK, x, y, sigma=sigma, priors={"sig": ("lognormal", np.log(0.1), 1.0)})
    with pytest.raises(inferkit.DimensionError, match="p0 has 3 values but the posterior has 4 parameters"):
        inferkit.laplace(post, [1, 0.2, 0.2])
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.laplace(post, [1, 0.2, -0.2, 0])
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "p0[2]", "'sig'", "-0.2",
                 "outside the support")
    with pytest.raises(inferkit.NonFiniteError, match=r"p0\[1\] \(parameter 'mu'\) is nan"):
        inferkit.laplace(post, [1, np.nan, 0.2, 0])
    with pytest.raises(inferkit.InvalidArgumentError, match="method is 'simplex'"):
        inferkit.laplace(post, START, method="simplex")
    with pytest.raises(inferkit.InvalidArgumentError, match="posterior is"):
        inferkit.laplace("A*x", START)
    with pytest.raises(inferkit.DimensionError, match="p has 3 values"):
        post.log_prob([1, 2, 3])

    class Boom(Exception):
        pass

    def failing_model(x, A, mu, sig, B):
        raise Boom("in the model")

    failing = inferkit.Posterior(failing_model, x, y, sigma=sigma, p0=START)
    with pytest.raises(Boom, match="in the model"):
        failing.log_prob(THETA)
    with pytest.raises(Boom):
        failing.log_prob(np.stack([THETA, THETA]))
    with pytest.raises(Boom):
        inferkit.laplace(failing, START)

    def failing_prior(p):
        raise Boom("in the prior")

    bad_prior = inferkit.Posterior(PEAK, x, y, sigma=sigma, log_prior=failing_prior)
    with pytest.raises(Boom, match="in the prior"):
        bad_prior.log_prob(THETA)
    with pytest.raises(Boom, match="in the prior"):
        _as_logprob(bad_prior).log_prob(np.stack([THETA, THETA]))
