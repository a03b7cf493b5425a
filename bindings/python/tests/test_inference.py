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
