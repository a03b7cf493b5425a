"""Nonlinear least squares (inferkit.curve_fit, least_squares, fit_many) against the NIST
StRD certified values and against scipy.optimize run in the test on the same data.

The first part reproduces the certified values of all 27 NIST nonlinear problems from both
starting points with default settings; the second compares with scipy's curve_fit and
least_squares (popt and pcov to 1e-6, both absolute_sigma settings, bounds, robust losses);
the third checks batches, the Laplace covariance and the result fields; the last feeds the
bad inputs and asserts the exception class, its code and that the message names the culprit.
"""

import json
import math
import os
import warnings

import numpy as np
import pytest
import scipy.optimize

import inferkit
from inferkit import _capi
from conftest import REPO_ROOT, assert_error

SHARED = os.environ.get("INFERKIT_SHARED", os.path.join(REPO_ROOT, "..", "shared"))
NIST_DIR = os.path.join(SHARED, "reference", "nist", "nonlinear")
NIST = sorted(f[:-5] for f in os.listdir(NIST_DIR) if f.endswith(".json"))

PEAK = "A*exp(-0.5*((x-mu)/sig)^2) + B"
ORDER = ("mu", "sig", "A", "B")
START = np.array([0.2, 0.2, 1.0, 0.0])


def peak(x, mu, sig, A, B):
    return A * np.exp(-0.5 * ((x - mu) / sig) ** 2) + B


def peak_jac(x, mu, sig, A, B):
    z = (x - mu) / sig
    e = np.exp(-0.5 * z * z)
    return np.stack([A * e * z / sig, A * e * z * z / sig, e, np.ones_like(x)], axis=1)


def peak_data(n=400, seed=0, noise=0.05):
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)
    sigma = noise * (1 + 0.5 * rng.random(n))
    y = peak(x, 0.3, 0.1, 2.0, 0.5) + rng.normal(0, 1, n) * sigma
    return x, y, sigma


def lre(est, cert):
    if est == cert:
        return 11.0
    return max(0.0, min(11.0, -math.log10(abs(est - cert) / abs(cert))))


def covariance_close(a, b, rtol):
    """Elementwise agreement relative to sqrt(C_ii C_jj)."""
    scale = np.sqrt(np.outer(np.diag(b), np.diag(b)))
    return np.max(np.abs(a - b) / scale) <= rtol


# ------------------------------------------------------------------------------------------
# NIST StRD
# ------------------------------------------------------------------------------------------


def nist(name):
    with open(os.path.join(NIST_DIR, name + ".json")) as f:
        d = json.load(f)
    y = np.array(d["y"], dtype=float)
    if d["response"] == "log(y)":
        y = np.log(y)
    x = np.array(d["x"], dtype=float)
    if x.ndim == 2:
        x = x.T  # scipy's layout for several inputs: (k, M)
    return d, x, y


@pytest.mark.parametrize("name", NIST)
@pytest.mark.parametrize("start", ["start1", "start2"])
def test_nist_certified_values(name, start):
    d, x, y = nist(name)
    inputs = tuple(d["predictors"])
    popt, pcov = inferkit.curve_fit(d["model"], x, y, p0=d[start], params=d["params"], inputs=inputs)
    digits = min(lre(a, c) for a, c in zip(popt, d["certified_values"]))
    errors = min(lre(a, c) for a, c in zip(np.sqrt(np.diag(pcov)), d["certified_std_errors"]))
    assert digits >= 6, f"{name} {start}: {digits:.1f} digits in the parameters"
    assert errors >= (2 if name == "Lanczos1" else 4), f"{name} {start}: {errors:.1f} digits in the errors"


def test_nist_where_scipy_fails():
    """MGH09, MGH10, Bennett5 (start1), MGH17 and BoxBOD (start1): scipy's default curve_fit
    fails or stops at a wrong minimum; the same call here reaches the certified values."""
    for name, start in [("MGH09", "start1"), ("MGH10", "start1"), ("Bennett5", "start1"),
                        ("MGH17", "start1"), ("BoxBOD", "start1")]:
        d, x, y = nist(name)
        model = inferkit.Model(d["model"], params=d["params"])
        popt, _ = inferkit.curve_fit(model, x, y, p0=d[start])
        assert min(lre(a, c) for a, c in zip(popt, d["certified_values"])) >= 6, name


# ------------------------------------------------------------------------------------------
# Against scipy
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("absolute_sigma", [False, True])
def test_curve_fit_matches_scipy(absolute_sigma):
    x, y, sigma = peak_data()
    ref, ref_cov = scipy.optimize.curve_fit(peak, x, y, p0=START, sigma=sigma, absolute_sigma=absolute_sigma,
                                            jac=peak_jac, ftol=1e-14, xtol=1e-14, gtol=1e-14)
    model = inferkit.Model(PEAK, params=ORDER)
    for f, kw in [(model, {}), (PEAK, {"params": ORDER}), (peak, {}), (peak, {"jac": peak_jac})]:
        popt, pcov = inferkit.curve_fit(f, x, y, p0=START, sigma=sigma, absolute_sigma=absolute_sigma, **kw)
        np.testing.assert_allclose(popt, ref, rtol=1e-6)
        assert covariance_close(pcov, ref_cov, 1e-6)
    # relative sigma: the covariance scales with chi2/dof; absolute: it does not depend on a
    # common factor of sigma
    p1, c1 = inferkit.curve_fit(model, x, y, p0=START, sigma=sigma, absolute_sigma=absolute_sigma)
    p2, c2 = inferkit.curve_fit(model, x, y, p0=START, sigma=3 * sigma, absolute_sigma=absolute_sigma)
    np.testing.assert_allclose(p1, p2, rtol=1e-9)
    np.testing.assert_allclose(c2, c1 * (9 if absolute_sigma else 1), rtol=1e-8, atol=1e-300)


def test_curve_fit_two_inputs_and_exponential_matches_scipy():
    rng = np.random.default_rng(4)
    u, v = rng.uniform(0, 2, 300), rng.uniform(0, 3, 300)
    truth = (1.5, 0.7, -0.4)
    z = truth[0] * np.exp(-truth[1] * u) + truth[2] * v + rng.normal(0, 0.02, 300)

    def f(X, a, b, c):
        return a * np.exp(-b * X[0]) + c * X[1]

    ref, ref_cov = scipy.optimize.curve_fit(f, np.vstack([u, v]), z, p0=[1, 1, 0], ftol=1e-14, xtol=1e-14)
    popt, pcov = inferkit.curve_fit("a*exp(-b*u) + c*v", np.vstack([u, v]), z, p0=[1, 1, 0], inputs=("u", "v"))
    np.testing.assert_allclose(popt, ref, rtol=1e-6)
    assert covariance_close(pcov, ref_cov, 1e-6)
    popt2, _ = inferkit.curve_fit(inferkit.Model("a*exp(-b*u) + c*v", inputs=("u", "v")), (u, v), z, p0=[1, 1, 0])
    np.testing.assert_allclose(popt2, popt, rtol=1e-12)


def test_full_output_as_scipy():
    x, y, sigma = peak_data()
    popt, pcov, info, mesg, ier = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=sigma, params=ORDER,
                                                     full_output=True)
    assert ier in (1, 2, 3, 4)
    assert "converged" in mesg
    assert info["fvec"].shape == (x.size,) and info["fjac"].shape == (x.size, 4)
    np.testing.assert_allclose(info["fvec"], (peak(x, *popt) - y) / sigma, rtol=1e-12, atol=1e-12)
    assert info["nfev"] >= 1 and info["dof"] == x.size - 4
    np.testing.assert_allclose(info["chi2"], np.sum(info["fvec"] ** 2), rtol=1e-13)


def test_bounds_against_scipy():
    x, y, sigma = peak_data(seed=2)
    lower, upper = [-1, 0.01, 0, -5], [1, 1, 1.5, 5]  # A <= 1.5 binds
    ref = scipy.optimize.least_squares(lambda p: (peak(x, *p) - y) / sigma, START, bounds=(lower, upper),
                                       method="trf", ftol=1e-15, xtol=1e-15, gtol=1e-15)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        popt, pcov = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=sigma, params=ORDER, bounds=(lower, upper))
    assert popt[2] == 1.5
    np.testing.assert_allclose(popt, ref.x, rtol=1e-6, atol=1e-9)
    assert any("'A' is held at a bound" in str(w.message) for w in caught)
    assert np.isnan(pcov[2, 2]) and np.isfinite(pcov[0, 0])
    res = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, sigma=sigma, params=ORDER, bounds=(lower, upper))
    assert list(res.active_mask) == [0, 0, 1, 0]
    # bounds that do not bind change nothing
    free, _ = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=sigma, params=ORDER)
    loose, _ = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=sigma, params=ORDER, bounds=(-10, 10))
    np.testing.assert_allclose(loose, free, rtol=1e-8)


@pytest.mark.parametrize("loss", ["soft_l1", "huber", "cauchy", "arctan"])
def test_robust_losses_against_scipy(loss):
    x, y, sigma = peak_data(seed=3)
    y = y.copy()
    y[::17] += 1.5  # outliers
    ref = scipy.optimize.least_squares(lambda p: (peak(x, *p) - y) / sigma, START, jac=lambda p: peak_jac(x, *p) / sigma[:, None],
                                       loss=loss, f_scale=2.0, method="trf", ftol=1e-15, xtol=1e-15, gtol=1e-15)
    res = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, sigma=sigma, params=ORDER, loss=loss, f_scale=2.0)
    assert res.success
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-6)
    np.testing.assert_allclose(res.cost, ref.cost, rtol=1e-9)


def test_least_squares_callable_matches_scipy():
    def rosenbrock(p, a):
        return np.array([a - p[0], 10 * (p[1] - p[0] ** 2)])

    res = inferkit.least_squares(rosenbrock, [-1.2, 1.0], args=(1.0,))
    ref = scipy.optimize.least_squares(rosenbrock, [-1.2, 1.0], args=(1.0,), method="lm")
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-8)
    assert res.success and res.status in (1, 2, 3, 4, 6)
    assert res.cov is None and "no degrees of freedom" in res.cov_issue  # 2 residuals, 2 parameters
    for key in ("x", "cost", "fun", "jac", "grad", "optimality", "active_mask", "nfev", "njev", "status",
                "message", "success"):
        assert key in res
    jac = inferkit.least_squares(rosenbrock, [-1.2, 1.0], args=(1.0,),
                                 jac=lambda p, a: np.array([[-1.0, 0.0], [-20 * p[0], 10.0]]))
    np.testing.assert_allclose(jac.x, ref.x, rtol=1e-8)
    central = inferkit.least_squares(rosenbrock, [-1.2, 1.0], args=(1.0,), jac="3-point")
    np.testing.assert_allclose(central.x, ref.x, rtol=1e-8)


def test_methods_agree():
    x, y, sigma = peak_data(seed=5)
    base = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, sigma=sigma, params=ORDER, absolute_sigma=True)
    near = base.x * (1 + 0.02)
    for kw in [{"geodesic": True}, {"method": "gauss-newton", "x0": near}, {"x_scale": [0.1, 0.1, 1, 1]},
               {"factor": 0.5}]:
        kw = dict(kw)
        x0 = kw.pop("x0", START)
        res = inferkit.least_squares(PEAK, x0, xdata=x, ydata=y, sigma=sigma, params=ORDER, absolute_sigma=True, **kw)
        assert res.success, kw
        np.testing.assert_allclose(res.x, base.x, rtol=0, atol=1e-6 * base.stderr.max())


def test_laplace_equals_inverse_hessian_of_chi2():
    x = np.linspace(-0.6, 0.6, 8)
    s = 0.1 + 0.02 * np.arange(8)
    y = peak(x, 0.3, 0.25, 2.0, 0.5) + (np.arange(8) % 3 - 1.0) * 0.15
    res = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, sigma=s, params=ORDER, absolute_sigma=True,
                                 laplace=True)
    chi2 = "0.5*(" + " + ".join(
        f"((A*exp(-0.5*(({float(xi)!r}-mu)/sig)^2) + B - {float(yi)!r})/{float(si)!r})^2" for xi, yi, si in zip(x, y, s)) + ")"
    hessian = inferkit.hessian(chi2, params=ORDER)(res.x)
    np.testing.assert_allclose(res.laplace_cov, np.linalg.inv(hessian), rtol=1e-8)
    assert not np.allclose(res.laplace_cov, res.cov, rtol=1e-4)  # residuals this large matter
    _, _, info, _, _ = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=s, params=ORDER, absolute_sigma=True,
                                          laplace=True, full_output=True)
    np.testing.assert_allclose(info["laplace_cov"], res.laplace_cov, rtol=1e-12)


def test_full_covariance_sigma():
    x, y, sigma = peak_data(n=60, seed=6)
    p1, c1 = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=sigma, params=ORDER, absolute_sigma=True)
    p2, c2 = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=np.diag(sigma ** 2), params=ORDER, absolute_sigma=True)
    np.testing.assert_allclose(p2, p1, rtol=1e-8)
    np.testing.assert_allclose(c2, c1, rtol=1e-6)
    C = np.diag(sigma ** 2) + 0.3 * np.outer(sigma, sigma) * np.exp(-np.abs(np.subtract.outer(x, x)) * 20)
    ref, ref_cov = scipy.optimize.curve_fit(peak, x, y, p0=START, sigma=C, absolute_sigma=True, ftol=1e-14, xtol=1e-14)
    p3, c3 = inferkit.curve_fit(PEAK, x, y, p0=START, sigma=C, params=ORDER, absolute_sigma=True)
    np.testing.assert_allclose(p3, ref, rtol=1e-6)
    assert covariance_close(c3, ref_cov, 1e-5)


def test_nan_policy_omit():
    x, y, sigma = peak_data(seed=7)
    y2 = y.copy()
    y2[[3, 50]] = np.nan
    keep = ~np.isnan(y2)
    p_omit, _ = inferkit.curve_fit(PEAK, x, y2, p0=START, sigma=sigma, params=ORDER, nan_policy="omit")
    p_ref, _ = inferkit.curve_fit(PEAK, x[keep], y[keep], p0=START, sigma=sigma[keep], params=ORDER)
    np.testing.assert_allclose(p_omit, p_ref, rtol=1e-12)


def test_progress_callback_stops():
    x, y, sigma = peak_data()
    seen = []

    def stop(iteration, p, cost):
        seen.append(iteration)
        return iteration >= 2

    res = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, sigma=sigma, params=ORDER, callback=stop)
    assert seen == [1, 2] and res.status == _capi.IK_NLLS_STOPPED and not res.success


# ------------------------------------------------------------------------------------------
# Batches
# ------------------------------------------------------------------------------------------


def test_fit_many_equals_single_fits():
    rng = np.random.default_rng(8)
    x = np.linspace(-1, 1, 150)
    rows = 30
    Y = np.array([peak(x, 0.3 + 0.1 * rng.random(), 0.1, 2.0, 0.5) + rng.normal(0, 0.05, x.size)
                  for _ in range(rows)])
    Y[4, 7] = np.nan
    sigma = np.full(x.size, 0.05)
    model = inferkit.Model(PEAK, params=ORDER)
    one = inferkit.fit_many(model, x, Y, START, sigma=sigma, n_threads=1, absolute_sigma=True)
    two = inferkit.fit_many(model, x, Y, START, sigma=sigma, n_threads=2, absolute_sigma=True)
    assert np.array_equal(one.params, two.params)
    assert np.array_equal(one.cov, two.cov, equal_nan=True)
    assert one.status[4] == _capi.IK_ERR_NONFINITE and not one.success[4] and "Y[4][7] is NaN" in one.messages[4]
    for r in range(rows):
        if r == 4:
            continue
        p, c = inferkit.curve_fit(model, x, Y[r], p0=START, sigma=sigma, absolute_sigma=True)
        assert np.array_equal(p, one.params[r])
        np.testing.assert_allclose(c, one.cov[r], rtol=1e-13)
        assert one.success[r]
    per_row = inferkit.fit_many(model, np.tile(x, (rows, 1)), Y, np.tile(START, (rows, 1)),
                                sigma=np.tile(sigma, (rows, 1)), absolute_sigma=True)
    assert np.array_equal(per_row.params, one.params)


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------


def test_bad_formulas_and_parameters():
    x, y, sigma = peak_data(n=50)
    with pytest.raises(inferkit.ParseError) as e:
        inferkit.curve_fit("A*exp(-(x-mu)^2", x, y, p0=[1, 0])
    assert_error(e, inferkit.ParseError, _capi.IK_ERR_PARSE, "character")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit("a*x + b", x, y, p0=[1, 1, 1], params=("a", "b", "c"))
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "'c'", "does not appear")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit("a*x + q", x, y, p0=[1, 1], params=("a", "b"))
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "unknown name 'q'")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=[1, 2, 3], params=ORDER)
    assert_error(e, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "p0 has 3 values", "4 parameters")


def test_bad_data():
    x, y, sigma = peak_data(n=50)
    bad = y.copy()
    bad[5] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.curve_fit(PEAK, x, bad, p0=START, params=ORDER)
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[5]", "nan")
    bad_x = x.copy()
    bad_x[2] = np.inf
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.curve_fit(PEAK, bad_x, y, p0=START, params=ORDER)
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "x[2,0]", "inf")
    zero = sigma.copy()
    zero[9] = 0
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, sigma=zero)
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "sigma[9]", "> 0")
    with pytest.raises(inferkit.DimensionError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, sigma=sigma[:10])
    assert_error(e, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "sigma has 10 values")
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=[0.2, np.nan, 1, 0], params=ORDER)
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "p0[1]", "'sig'")


def test_bad_bounds():
    x, y, sigma = peak_data(n=50)
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, bounds=([0, 0, 0, 0], [1, -1, 5, 5]))
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "lower[1]", "above upper[1]")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=[0.2, 0.2, 7, 0], params=ORDER, bounds=(-5, 5))
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "p0[2]", "'A'", "outside its bounds")


def test_model_nan_mid_fit_and_failing_callables():
    x, y, sigma = peak_data(n=80)

    def nan_beyond(x, mu, sig, A, B):  # NaN once A > 1.5: the optimum lies beyond the domain
        return peak(x, mu, sig, A, B) + (np.nan if A > 1.5 else 0.0)

    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.curve_fit(nan_beyond, x, y, p0=START, sigma=sigma)
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "nan or infinite at every step")
    with pytest.raises(inferkit.NonFiniteError) as e:
        inferkit.curve_fit(nan_beyond, x, y, p0=[0.2, 0.2, 1.6, 0], sigma=sigma)
    assert_error(e, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "the model is nan at point 0")
    # a formula that turns NaN: sqrt of a negative number beyond a parameter value
    with pytest.raises(inferkit.NonFiniteError):
        inferkit.curve_fit("A*sqrt(1.2 - A)*exp(-0.5*((x-mu)/sig)^2) + B", x, y, p0=[1.5, 0.2, 0.2, 0], sigma=sigma,
                           params=("A", "mu", "sig", "B"))

    class Boom(Exception):
        pass

    calls = []

    def failing(x, mu, sig, A, B):
        calls.append(1)
        if len(calls) > 3:
            raise Boom("the instrument model failed")
        return peak(x, mu, sig, A, B)

    with pytest.raises(Boom, match="instrument model failed"):
        inferkit.curve_fit(failing, x, y, p0=START, sigma=sigma)

    def bad_jac(x, *p):
        return np.zeros((3, 3))

    with pytest.raises(inferkit.DimensionError, match=r"shape \(3, 3\)"):
        inferkit.curve_fit(peak, x, y, p0=START, jac=bad_jac)


def test_not_converged_and_covariance_warnings():
    x, y, sigma = peak_data(n=80)
    with pytest.raises(RuntimeError, match="Optimal parameters not found: .*max_nfev"):
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, maxfev=3)
    res = inferkit.least_squares(PEAK, START, xdata=x, ydata=y, params=ORDER, max_nfev=3)
    assert not res.success and res.status == _capi.IK_NLLS_MAX_NFEV
    with pytest.warns(inferkit.OptimizeWarning, match="parameter 'c'"):
        popt, pcov = inferkit.curve_fit("a*exp(-x^2) + 0*c + b", x, y, p0=[1, 1, 1])
    assert np.all(np.isinf(pcov))
    with pytest.raises(TypeError, match="unexpected keyword"):
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, bogus=1)
    with pytest.raises(inferkit.InvalidArgumentError, match="loss is 'l7'"):
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, loss="l7")
    with pytest.raises(inferkit.InvalidArgumentError, match="method is 'newton'"):
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, method="newton")
    with pytest.raises(inferkit.InvalidArgumentError) as e:
        inferkit.curve_fit(PEAK, x, y, p0=START, params=ORDER, f_scale=-1)
    assert_error(e, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "f_scale")


def test_fit_many_bad_inputs():
    x = np.linspace(-1, 1, 20)
    Y = np.zeros((3, 20))
    with pytest.raises(inferkit.DimensionError, match="Y must be 2-D"):
        inferkit.fit_many(PEAK, x, Y[0], START)
    with pytest.raises(inferkit.DimensionError, match=r"x has shape \(19,\)"):
        inferkit.fit_many(PEAK, x[:19], Y, START)
    with pytest.raises(inferkit.DimensionError, match=r"p0 has shape \(3,\)"):
        inferkit.fit_many(PEAK, x, Y, START[:3])
    with pytest.raises(inferkit.InvalidArgumentError, match="fit_many takes a formula"):
        inferkit.fit_many(peak, x, Y, START)
