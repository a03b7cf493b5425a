"""Minimisation and root finding (inferkit.minimize, root, root_scalar) against
scipy.optimize.minimize, root and root_scalar run in the test on the same problems.

The first part minimises Rosenbrock's function with every method, as a formula and as Python
callables with and without their derivatives, and compares with scipy (Nelder-Mead to the
last bit: the iterates are scipy's); then bounds, the inverse Hessian, callbacks and options;
then systems and scalar roots; the last part feeds bad inputs and asserts the exception class,
its code and that the message names the culprit, and that exceptions raised by the caller's
functions propagate unchanged.
"""

import warnings

import numpy as np
import pytest
import scipy.optimize
from scipy.optimize import rosen, rosen_der, rosen_hess

import inferkit
from inferkit import _capi
from conftest import assert_error

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"  # parameters (x, y) in order of appearance
X0 = np.array([-1.2, 1.0])
ONE = np.ones(2)


def quadratic(x, a, b):
    """A convex quadratic with minimum at (a, b)."""
    return (x[0] - a) ** 2 + 10 * (x[1] - b) ** 2 + x[0] * x[1]


# ------------------------------------------------------------------------------------------
# minimize
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["BFGS", "L-BFGS-B", "Newton-CG", "trust-exact", "trust-ncg"])
def test_rosenbrock_like_scipy(method):
    derivatives = {"jac": rosen_der, "hess": rosen_hess} if method in ("Newton-CG", "trust-exact", "trust-ncg") else {}
    reference = scipy.optimize.minimize(rosen, X0, method=method, **derivatives)
    assert reference.success
    runs = {
        "formula": inferkit.minimize(ROSENBROCK, X0, method=method),
        "callable": inferkit.minimize(rosen, X0, method=method),
        "jac": inferkit.minimize(rosen, X0, method=method, jac=rosen_der),
        "jac=True": inferkit.minimize(lambda x: (rosen(x), rosen_der(x)), X0, method=method, jac=True),
        "hess": inferkit.minimize(rosen, X0, method=method, jac=rosen_der, hess=rosen_hess),
    }
    for how, res in runs.items():
        assert res.success, (how, res.message)
        np.testing.assert_allclose(res.x, reference.x, atol=5e-5, err_msg=how)
        np.testing.assert_allclose(res.x, ONE, atol=1e-6 if how != "callable" else 1e-5, err_msg=how)
        assert res.fun <= 1e-10 and res.jac.shape == (2,)
        assert res.nit > 5 and res.nfev >= res.nit and res.njev >= 1 and res.method == method
    assert runs["formula"].fun <= 1e-16  # exact derivatives


def test_nelder_mead_has_scipys_iterates():
    for options in ({}, {"xatol": 1e-8, "fatol": 1e-10}, {"adaptive": True}):
        reference = scipy.optimize.minimize(rosen, X0, method="Nelder-Mead", options=options)
        for fun in (ROSENBROCK, rosen):
            res = inferkit.minimize(fun, X0, method="Nelder-Mead", options=options)
            assert res.success and res.status == _capi.IK_MINIMIZE_SIMPLEX_TOL
            np.testing.assert_allclose(res.x, reference.x, rtol=1e-12)
            assert res.nfev == reference.nfev and res.nit == reference.nit - 1
            assert res.jac is None and res.njev == 0 and "hess_inv" not in res


@pytest.mark.parametrize("method", ["gradient-descent", "adam", "lbfgs"])
def test_inferkit_methods_reach_scipys_minimum(method):
    reference = scipy.optimize.minimize(quadratic, [0.0, 0.0], args=(1.0, -2.0), method="BFGS")
    options = {"learning_rate": 0.05, "maxiter": 50000} if method == "adam" else {}
    for fun, args in (("(x - 1)^2 + 10*(y + 2)^2 + x*y", ()), (quadratic, (1.0, -2.0))):
        res = inferkit.minimize(fun, [0.0, 0.0], args=args, method=method, tol=1e-7, options=options)
        assert res.success, res.message
        np.testing.assert_allclose(res.x, reference.x, atol=1e-5)
    rosenbrock = inferkit.minimize(ROSENBROCK, X0, method=method, tol=1e-6,
                                   options={"maxiter": 200000, "ftol": 0,
                                            **({"learning_rate": 0.01} if method == "adam" else {})})
    np.testing.assert_allclose(rosenbrock.x, ONE, atol=1e-4)


def test_bounded_like_scipy():
    bounds = [(-2, 0.5), (-1, 2)]
    reference = scipy.optimize.minimize(rosen, X0, jac=rosen_der, method="L-BFGS-B", bounds=bounds)
    for fun in (ROSENBROCK, rosen):
        res = inferkit.minimize(fun, X0, bounds=bounds)  # L-BFGS-B by default with bounds
        assert res.method == "L-BFGS-B" and res.success
        np.testing.assert_allclose(res.x, reference.x, atol=1e-6)
        np.testing.assert_allclose(res.x, [0.5, 0.25], atol=1e-6)
        np.testing.assert_allclose(res.jac, [-1.0, 0.0], atol=1e-5)  # KKT: x at its upper bound
    # scipy.optimize.Bounds, one-sided bounds (None) and Nelder-Mead's clipping.
    res = inferkit.minimize(ROSENBROCK, X0, bounds=scipy.optimize.Bounds([-2, -1], [0.5, 2]))
    np.testing.assert_allclose(res.x, [0.5, 0.25], atol=1e-6)
    res = inferkit.minimize(ROSENBROCK, X0, bounds=[(None, 0.5), (None, None)])
    np.testing.assert_allclose(res.x, [0.5, 0.25], atol=1e-6)
    reference = scipy.optimize.minimize(rosen, X0, method="Nelder-Mead", bounds=bounds,
                                        options={"xatol": 1e-9, "fatol": 1e-12})
    res = inferkit.minimize(ROSENBROCK, X0, method="Nelder-Mead", bounds=bounds,
                            options={"xatol": 1e-9, "fatol": 1e-12})
    np.testing.assert_allclose(res.x, reference.x, atol=1e-7)
    # Bounds that constrain nothing are no bounds: BFGS stays the default.
    assert inferkit.minimize(ROSENBROCK, X0, bounds=[(None, None)] * 2).method == "BFGS"


def test_inverse_hessian():
    exact = np.linalg.inv(rosen_hess(ONE))
    for method in ("Newton-CG", "trust-exact"):
        res = inferkit.minimize(ROSENBROCK, X0, method=method)
        np.testing.assert_allclose(res.hess_inv, exact, rtol=1e-8)
    bfgs = inferkit.minimize(ROSENBROCK, X0)
    reference = scipy.optimize.minimize(rosen, X0, jac=rosen_der, method="BFGS")
    np.testing.assert_allclose(bfgs.hess_inv, exact, rtol=0.2, atol=0.05)
    np.testing.assert_allclose(reference.hess_inv, exact, rtol=0.2, atol=0.05)
    for method in ("L-BFGS-B", "lbfgs", "Nelder-Mead", "adam"):
        assert "hess_inv" not in inferkit.minimize("(x - 1)^2 + y^2", [0.0, 1.0], method=method)
    # At a saddle the Hessian is not positive definite: no inverse, no guess.
    assert "hess_inv" not in inferkit.minimize("x^2 - y^2", [0.0, 0.0], method="newton")


def test_callbacks_and_options():
    seen = []
    res = inferkit.minimize(ROSENBROCK, X0, callback=lambda xk: seen.append(xk.copy()))
    assert len(seen) == res.nit and np.allclose(seen[-1], res.x)
    res = inferkit.minimize(ROSENBROCK, X0, callback=lambda xk: len(seen) > 0)
    assert res.status == _capi.IK_MINIMIZE_STOPPED and res.nit == 1 and not res.success

    def stop_at_three(intermediate_result):
        assert intermediate_result.fun == pytest.approx(rosen(intermediate_result.x), rel=1e-12)
        if intermediate_result.nit == 3:
            raise StopIteration

    res = inferkit.minimize(rosen, X0, method="L-BFGS-B", callback=stop_at_three)
    assert res.status == _capi.IK_MINIMIZE_STOPPED and res.nit == 3
    res = inferkit.minimize(ROSENBROCK, X0, options={"maxiter": 5, "disp": True})
    assert res.status == _capi.IK_MINIMIZE_MAX_ITER and res.nit == 5 and not res.success
    assert "iterations" in res.message
    res = inferkit.minimize(ROSENBROCK, X0, method="L-BFGS-B", options={"maxfun": 12, "maxcor": 3, "maxls": 5})
    assert res.status == _capi.IK_MINIMIZE_MAX_FEV and res.nfev <= 12
    loose = inferkit.minimize(ROSENBROCK, X0, tol=1e-2)
    assert loose.success and loose.nit < inferkit.minimize(ROSENBROCK, X0).nit
    simplex = [[-1.2, 1.0], [-1.0, 1.0], [-1.2, 1.2]]
    reference = scipy.optimize.minimize(rosen, X0, method="Nelder-Mead", options={"initial_simplex": simplex})
    res = inferkit.minimize(rosen, X0, method="Nelder-Mead", options={"initial_simplex": simplex})
    np.testing.assert_allclose(res.x, reference.x, rtol=1e-12)
    with pytest.warns(inferkit.OptimizeWarning, match="Unknown solver options: frobnicate"):
        inferkit.minimize(ROSENBROCK, X0, options={"frobnicate": 1})
    # args reach the callable (and its jac and hess).
    calls = []

    def hess(x, a, b):
        calls.append((a, b))
        return np.array([[2.0, 1.0], [1.0, 20.0]])

    res = inferkit.minimize(quadratic, [0.0, 0.0], args=(1.0, -2.0), method="newton", hess=hess)
    reference = scipy.optimize.minimize(quadratic, [0.0, 0.0], args=(1.0, -2.0), method="BFGS")
    np.testing.assert_allclose(res.x, reference.x, atol=1e-6)
    assert calls and set(calls) == {(1.0, -2.0)} and res.nhev == len(calls)


# ------------------------------------------------------------------------------------------
# root
# ------------------------------------------------------------------------------------------


def circle(v):
    return np.array([v[0] ** 2 + v[1] ** 2 - 4, v[0] - v[1]])


def circle_jac(v):
    return np.array([[2 * v[0], 2 * v[1]], [1.0, -1.0]])


def test_root_like_scipy():
    x0 = [1.0, 0.5]
    reference = scipy.optimize.root(circle, x0, jac=circle_jac)
    assert reference.success
    runs = {
        "callable": inferkit.root(circle, x0),
        "jac": inferkit.root(circle, x0, jac=circle_jac),
        "jac=True": inferkit.root(lambda v: (circle(v), circle_jac(v)), x0, jac=True),
        "formulas": inferkit.root(["x^2 + y^2 - 4", "x - y"], x0),
        "models": inferkit.root([inferkit.Model("x^2 + y^2 - 4", inputs=()), "x - y"], x0),
        "some unknowns": inferkit.root(["x^2 - 2", "y - x"], x0),
    }
    for how, sol in runs.items():
        assert sol.success, (how, sol.message)
        np.testing.assert_allclose(sol.x, reference.x, rtol=1e-12, err_msg=how)
        assert np.max(np.abs(sol.fun)) <= 1e-14 and sol.nfev >= sol.nit >= 3 and sol.njev >= 1
    assert runs["formulas"].params == ("x", "y") and runs["some unknowns"].params == ("x", "y")
    # The unknowns in another order.
    sol = inferkit.root(["x^2 - 2", "y - x"], [0.5, 1.0], params=("y", "x"))
    assert sol.params == ("y", "x") and np.allclose(sol.x, np.sqrt(2))
    # args, and a scalar system of one formula.
    sol = inferkit.root(lambda v, c: v ** 3 - c, [3.0], args=(8.0,))
    assert sol.success and sol.x[0] == pytest.approx(2.0, rel=1e-15)
    sol = inferkit.root("x^3 - 8", [3.0])
    assert sol.x[0] == pytest.approx(2.0, rel=1e-15)
    assert inferkit.root(circle, x0, options={"maxiter": 1}).status == _capi.IK_ROOT_MAX_ITER
    assert inferkit.root(circle, x0, options={"fatol": 1e-3}).status == _capi.IK_ROOT_FATOL


# ------------------------------------------------------------------------------------------
# root_scalar
# ------------------------------------------------------------------------------------------


def test_root_scalar_like_scipy():
    def f(x):
        return np.cos(x) - x

    def fprime(x):
        return -np.sin(x) - 1

    reference = scipy.optimize.root_scalar(f, x0=1.0, fprime=fprime, method="newton")
    runs = {
        "formula": inferkit.root_scalar("cos(x) - x", x0=1.0),
        "fprime": inferkit.root_scalar(f, x0=1.0, fprime=fprime),
        "fprime=True": inferkit.root_scalar(lambda x: (f(x), fprime(x)), x0=1.0, fprime=True),
        "differences": inferkit.root_scalar(f, x0=1.0),
        "newton": inferkit.root_scalar(f, x0=1.0, fprime=fprime, method="newton"),
        "brentq": inferkit.root_scalar(f, bracket=(0, 1), method="brentq"),
    }
    for how, r in runs.items():
        assert r.converged and r.flag == "converged", how
        assert r.root == pytest.approx(reference.root, rel=4e-16), how
        assert r.function_calls >= r.iterations > 0
    # atan from 2: scipy's Newton diverges there, the bracket keeps libinferkit's safe.
    bracketed = scipy.optimize.root_scalar(np.arctan, bracket=(-3, 2.5), method="brentq")
    r = inferkit.root_scalar(np.arctan, bracket=(-3, 2.5), x0=2.0)
    assert r.converged and abs(r.root) <= 1e-15 and abs(bracketed.root) <= 1e-11
    assert r.bracket[0] <= r.root <= r.bracket[1]
    r = inferkit.root_scalar("atan(x)", x0=2.0)  # Newton with step halving
    assert r.converged and abs(r.root) <= 1e-15
    r = inferkit.root_scalar(lambda x, c: x ** 2 - c, args=(2.0,), x0=1.0, maxiter=2)
    assert not r.converged and r.iterations == 2 and "iterations" in r.flag
    assert "root" in repr(r)


# ------------------------------------------------------------------------------------------
# Bad inputs
# ------------------------------------------------------------------------------------------

INVALID, DIMENSION, NONFINITE = _capi.IK_ERR_INVALID_ARGUMENT, _capi.IK_ERR_DIMENSION, _capi.IK_ERR_NONFINITE


class Boom(Exception):
    pass


def boom(*args):
    raise Boom("the instrument model failed")


def test_minimize_bad_inputs():
    cases = [
        (dict(fun=ROSENBROCK, x0=X0, method="CG"), inferkit.InvalidArgumentError, INVALID, "method is 'CG'"),
        (dict(fun=ROSENBROCK, x0=X0, method="BFGS", bounds=[(0, 1), (0, 2)]), inferkit.InvalidArgumentError,
         INVALID, "method 'BFGS' does not support bounds"),
        (dict(fun=ROSENBROCK, x0=X0, bounds=[(0, 1)]), inferkit.DimensionError, DIMENSION,
         "bounds has 1 (min, max) pairs but x0 has 2"),
        (dict(fun=ROSENBROCK, x0=X0, bounds=[(0, 1), 3]), inferkit.InvalidArgumentError, INVALID, "bounds[1] is 3"),
        (dict(fun=ROSENBROCK, x0=X0, bounds=[(-2, 1), (2, 1)]), inferkit.InvalidArgumentError, INVALID,
         "lower[1] = 2.0 is above upper[1] = 1.0"),
        (dict(fun=ROSENBROCK, x0=X0, bounds=[(0, 1), (0, 2)]), inferkit.InvalidArgumentError, INVALID,
         "x0[0] = -1.2 is outside its bounds [0.0, 1.0]"),
        (dict(fun=ROSENBROCK, x0=[1.0, np.nan]), inferkit.NonFiniteError, NONFINITE, "x0[1] (parameter 'y') is nan"),
        (dict(fun=ROSENBROCK, x0=[1.0, 2.0, 3.0]), inferkit.DimensionError, DIMENSION,
         "n is 3 but the model has 2 parameters"),
        (dict(fun=ROSENBROCK, x0=[[1.0, 2.0]]), inferkit.DimensionError, DIMENSION, "x0 must be 1-D"),
        (dict(fun=inferkit.Model("(a - x)^2"), x0=[1.0]), inferkit.InvalidArgumentError, INVALID,
         "objective has inputs [\"x\"]"),
        (dict(fun="sqrt(x) + y^2", x0=[-1.0, 1.0]), inferkit.NonFiniteError, NONFINITE,
         "the objective is NaN at x0"),
        (dict(fun=lambda x: np.inf, x0=X0), inferkit.NonFiniteError, NONFINITE, "the objective is +infinity at x0"),
        (dict(fun=ROSENBROCK, x0=X0, args=(1,)), inferkit.InvalidArgumentError, INVALID, "args is (1,)"),
        (dict(fun=ROSENBROCK, x0=X0, jac=rosen_der), inferkit.InvalidArgumentError, INVALID, "jac is given"),
        (dict(fun=rosen, x0=X0, jac=3), inferkit.InvalidArgumentError, INVALID, "jac is 3"),
        (dict(fun=rosen, x0=X0, hess="exact"), inferkit.InvalidArgumentError, INVALID, "hess is 'exact'"),
        (dict(fun=42, x0=X0), inferkit.InvalidArgumentError, INVALID, "fun is 42"),
        (dict(fun=lambda x: x, x0=X0), inferkit.DimensionError, DIMENSION, "fun returned 2 values"),
        (dict(fun=rosen, x0=X0, jac=lambda x: [1.0, 2.0, 3.0]), inferkit.DimensionError, DIMENSION,
         "shape (3,)"),
        (dict(fun=rosen, x0=X0, method="newton", hess=lambda x: np.eye(3)), inferkit.DimensionError, DIMENSION,
         "hess returned shape (3, 3)"),
        (dict(fun=ROSENBROCK, x0=X0, options={"maxiter": -1}), inferkit.InvalidArgumentError, INVALID,
         "options['maxiter'] is -1"),
        (dict(fun=ROSENBROCK, x0=X0, options={"gtol": -1}), inferkit.InvalidArgumentError, INVALID,
         "options->gtol = -1.0 must be >= 0"),
        (dict(fun=ROSENBROCK, x0=X0, method="adam", options={"beta1": 1.5}), inferkit.InvalidArgumentError,
         INVALID, "options->beta1 = 1.5"),
        (dict(fun=ROSENBROCK, x0=X0, method="lbfgs", options={"maxcor": 0}), inferkit.InvalidArgumentError,
         INVALID, "options->memory = 0"),
        (dict(fun=ROSENBROCK, x0=X0, method="Nelder-Mead", options={"initial_simplex": [[0, 0]]}),
         inferkit.DimensionError, DIMENSION, "options['initial_simplex'] has shape (1, 2)"),
        (dict(fun=ROSENBROCK, x0=X0, method="Nelder-Mead", options={"initial_simplex": [[0, 0], [1, np.nan], [0, 1]]}),
         inferkit.NonFiniteError, NONFINITE, "options->initial_simplex[1][1] is NaN"),
    ]
    for kwargs, cls, code, culprit in cases:
        kwargs = dict(kwargs)
        with pytest.raises(cls) as e:
            inferkit.minimize(kwargs.pop("fun"), kwargs.pop("x0"), **kwargs)
        assert_error(e, cls, code, culprit)


def test_minimize_propagates_user_exceptions():
    with pytest.raises(Boom, match="instrument model failed"):
        inferkit.minimize(boom, X0)
    with pytest.raises(Boom):
        inferkit.minimize(rosen, X0, jac=boom)
    with pytest.raises(Boom):
        inferkit.minimize(lambda x: boom() if x[0] > -1.1 else rosen(x), X0, method="Nelder-Mead")
    with pytest.raises(Boom):
        inferkit.minimize(rosen, X0, method="trust-exact", hess=boom)
    with pytest.raises(Boom):
        inferkit.minimize(ROSENBROCK, X0, method="newton", hess=boom)
    with pytest.raises(Boom):
        inferkit.minimize(ROSENBROCK, X0, callback=boom)
    with pytest.raises(ZeroDivisionError):
        inferkit.minimize(lambda x: 1 / 0, X0)


def test_root_bad_inputs():
    cases = [
        (dict(fun=circle, x0=[1.0, 0.5], method="krylov"), inferkit.InvalidArgumentError, INVALID,
         "method is 'krylov'"),
        (dict(fun=circle, x0=[1.0, np.nan]), inferkit.NonFiniteError, NONFINITE, "x0[1] (parameter 'p1') is nan"),
        (dict(fun=lambda v: [v[0], v[1], 1.0], x0=[1.0, 0.5]), inferkit.DimensionError, DIMENSION,
         "returned 3 values but 2 are needed"),
        (dict(fun=lambda v: [np.nan, 1.0], x0=[1.0, 0.5]), inferkit.NonFiniteError, NONFINITE, "F(x0)[0] is NaN"),
        (dict(fun=circle, x0=[1.0, 0.5], jac="2-point"), inferkit.InvalidArgumentError, INVALID, "jac is '2-point'"),
        (dict(fun=["x^2 + y^2 - 4", "x - y"], x0=[1.0, 0.5, 2.0]), inferkit.DimensionError, DIMENSION,
         "n_equations is 2 but n is 3"),
        (dict(fun=["x^2 + y^2 - 4", "x - y"], x0=[1.0, 0.5], params=("x", "z")), inferkit.InvalidArgumentError,
         INVALID, "equations[0] has parameter 'y', which is not one of the unknowns"),
        (dict(fun=["x^2 + y^2 - 4", "x - y"], x0=[1.0, np.inf]), inferkit.NonFiniteError, NONFINITE,
         "x0[1] is inf"),
        (dict(fun=["x^2 + y^2 - 4", inferkit.Model("x - a")], x0=[1.0, 0.5]), inferkit.InvalidArgumentError,
         INVALID, "equations[1] has inputs [\"x\"]"),
        (dict(fun=["x^2 + y^2 - 4", 3], x0=[1.0, 0.5]), inferkit.InvalidArgumentError, INVALID, "fun[1] is 3"),
        (dict(fun=["x^2 + y^2 - 4", "x - y"], x0=[1.0, 0.5], args=(2,)), inferkit.InvalidArgumentError, INVALID,
         "args is (2,)"),
        (dict(fun=circle, x0=[1.0, 0.5], options={"maxiter": -3}), inferkit.InvalidArgumentError, INVALID,
         "maxiter is -3"),
        (dict(fun=circle, x0=[1.0, 0.5], options={"fatol": -1.0}), inferkit.InvalidArgumentError, INVALID,
         "options->fatol = -1.0"),
        (dict(fun=None, x0=[1.0]), inferkit.InvalidArgumentError, INVALID, "fun is None"),
    ]
    for kwargs, cls, code, culprit in cases:
        kwargs = dict(kwargs)
        with pytest.raises(cls) as e:
            inferkit.root(kwargs.pop("fun"), kwargs.pop("x0"), **kwargs)
        assert_error(e, cls, code, culprit)
    with pytest.raises(Boom):
        inferkit.root(boom, [1.0, 0.5])
    with pytest.raises(Boom):
        inferkit.root(circle, [1.0, 0.5], jac=boom)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(inferkit.OptimizeWarning, match="Unknown solver options: col_deriv"):
            inferkit.root(circle, [1.0, 0.5], options={"col_deriv": True})


def test_root_scalar_bad_inputs():
    cases = [
        (dict(f="cos(x) - x", bracket=(1, 2)), inferkit.InvalidArgumentError, INVALID,
         "the bracket [1.0, 2.0] has no sign change"),
        (dict(f="cos(x) - x", bracket=(0, 1), x0=5.0), inferkit.InvalidArgumentError, INVALID,
         "x0 = 5.0 is outside the bracket [0.0, 1.0]"),
        (dict(f="cos(x) - x"), inferkit.InvalidArgumentError, INVALID, "x0 and bracket are both NULL"),
        (dict(f="cos(x) - x", method="brentq"), inferkit.InvalidArgumentError, INVALID,
         "method 'brentq' needs a bracket"),
        (dict(f="cos(x) - x", method="newton"), inferkit.InvalidArgumentError, INVALID, "method 'newton' needs x0"),
        (dict(f="cos(x) - x", method="chandrupatla", x0=1.0), inferkit.InvalidArgumentError, INVALID,
         "method is 'chandrupatla'"),
        (dict(f="cos(x) - y", x0=1.0), inferkit.DimensionError, DIMENSION, "f has 2 parameters [\"x\", \"y\"]"),
        (dict(f=inferkit.Model("cos(x) - a"), x0=1.0), inferkit.InvalidArgumentError, INVALID,
         "f has inputs [\"x\"]"),
        (dict(f="cos(x) - x", x0=np.nan), inferkit.NonFiniteError, NONFINITE, "x0 is NaN"),
        (dict(f="cos(x) - x", bracket=(0, np.inf)), inferkit.NonFiniteError, NONFINITE, "bracket[1] is +infinity"),
        (dict(f="log(x)", x0=-1.0), inferkit.NonFiniteError, NONFINITE, "f is NaN at x0 = -1.0"),
        (dict(f="cos(x) - x", bracket=(0, 1, 2)), inferkit.DimensionError, DIMENSION, "bracket has 3 values"),
        (dict(f="cos(x) - x", x0=[1.0, 2.0]), inferkit.DimensionError, DIMENSION, "x0 has 2 values"),
        (dict(f="cos(x) - x", x0=1.0, xtol=-1), inferkit.InvalidArgumentError, INVALID, "options->xtol = -1.0"),
        (dict(f=np.cos, x0=1.0, fprime="yes"), inferkit.InvalidArgumentError, INVALID, "fprime is 'yes'"),
        (dict(f="cos(x) - x", x0=1.0, args=(1,)), inferkit.InvalidArgumentError, INVALID, "args is (1,)"),
    ]
    for kwargs, cls, code, culprit in cases:
        kwargs = dict(kwargs)
        with pytest.raises(cls) as e:
            inferkit.root_scalar(kwargs.pop("f"), **kwargs)
        assert_error(e, cls, code, culprit)
    # scipy raises ValueError for a bracket without sign change; so does inferkit (a subclass).
    with pytest.raises(ValueError):
        scipy.optimize.root_scalar(np.cos, bracket=(0, 1), method="brentq")
    with pytest.raises(ValueError):
        inferkit.root_scalar(np.cos, bracket=(0, 1))
    with pytest.raises(Boom):
        inferkit.root_scalar(boom, x0=1.0)
    with pytest.raises(Boom):
        inferkit.root_scalar(np.cos, x0=1.0, fprime=boom)
