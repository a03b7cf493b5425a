"""Minimisation and root finding in scipy's call shapes: :func:`minimize`, :func:`root` and
:func:`root_scalar`.

The objective or equations may be formula strings or :class:`inferkit.Model` objects without
inputs (exact gradients, Hessians and Jacobians by automatic differentiation, evaluated
natively) or Python callables (called through C callbacks, with their derivatives or by finite
differences)::

    res = inferkit.minimize("100*(y - x^2)^2 + (1 - x)^2", [-1.2, 1.0])        # BFGS
    res = inferkit.minimize(f, x0, jac=grad, method="L-BFGS-B", bounds=[(0, None), (-1, 1)])
    res.x, res.fun, res.jac, res.hess_inv, res.nit, res.nfev, res.success, res.message

    sol = inferkit.root(["x^2 + y^2 - 4", "x - y"], [1.0, 0.5])               # sol.x, sol.fun
    r = inferkit.root_scalar("cos(x) - x", x0=1.0)                             # r.root

All run libinferkit's methods (``ik_minimize``, ``ik_root``, ``ik_root_formulas``,
``ik_root_scalar``); the methods and their references are listed with ``enum
ik_minimize_method`` in ``include/inferkit.h``. A result's ``status`` is the library's
(``IK_MINIMIZE_*`` or ``IK_ROOT_*``), its ``message`` the library's sentence. Bad arguments
raise :class:`inferkit.InferKitError` subclasses naming the culprit; an exception raised by a
user's callable propagates unchanged.
"""

import ctypes
import inspect
import warnings

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer, vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib
from .model import Model
from .nonlinear import (CallbackModel, OptimizeResult, OptimizeWarning, _Problem, _formula, _get,
                        _progress_callback)

__all__ = ["minimize", "root", "root_scalar", "RootResults", "MINIMIZE_METHODS"]

#: scipy's method names (and InferKit's own), lower case, -> ``IK_MINIMIZE_*``.
MINIMIZE_METHODS = {
    "bfgs": _capi.IK_MINIMIZE_BFGS,
    "l-bfgs-b": _capi.IK_MINIMIZE_LBFGSB,
    "nelder-mead": _capi.IK_MINIMIZE_NELDER_MEAD,
    "newton-cg": _capi.IK_MINIMIZE_NEWTON,
    "newton": _capi.IK_MINIMIZE_NEWTON,
    "trust-exact": _capi.IK_MINIMIZE_NEWTON_TRUST_REGION,
    "trust-ncg": _capi.IK_MINIMIZE_NEWTON_TRUST_REGION,
    "trust-krylov": _capi.IK_MINIMIZE_NEWTON_TRUST_REGION,
    "gradient-descent": _capi.IK_MINIMIZE_GRADIENT_DESCENT,
    "adam": _capi.IK_MINIMIZE_ADAM,
    "lbfgs": _capi.IK_MINIMIZE_LBFGS,
    "l-bfgs": _capi.IK_MINIMIZE_LBFGS,
}

_BOUNDED = {_capi.IK_MINIMIZE_LBFGSB, _capi.IK_MINIMIZE_NELDER_MEAD, _capi.IK_MINIMIZE_GRADIENT_DESCENT,
            _capi.IK_MINIMIZE_ADAM}

#: ``options`` keys of :func:`minimize` -> fields of ``ik_minimize_options_t``.
_MINIMIZE_OPTIONS = {
    "maxiter": "max_iter", "maxfun": "max_fev", "maxfev": "max_fev", "gtol": "gtol", "ftol": "ftol",
    "xtol": "xtol", "xatol": "xatol", "fatol": "fatol", "adaptive": "adaptive", "learning_rate": "learning_rate",
    "beta1": "beta1", "beta2": "beta2", "epsilon": "epsilon", "maxcor": "memory", "memory": "memory",
    "maxls": "max_line_search", "initial_trust_radius": "initial_trust_radius",
    "max_trust_radius": "max_trust_radius", "initial_simplex": "initial_simplex",
}
_INTEGER_OPTIONS = {"max_iter", "max_fev", "memory", "max_line_search", "adaptive"}
_IGNORED_OPTIONS = {"disp", "return_all"}

_MINIMIZE_RESULT_P = ctypes.POINTER(_capi.ik_minimize_result_t)
_ROOT_RESULT_P = ctypes.POINTER(_capi.ik_root_result_t)


# ------------------------------------------------------------------------------------------
# Shared
# ------------------------------------------------------------------------------------------


def _formula_model(fun, params):
    """A formula string or Model as a model without inputs (strings compiled, cached)."""
    if isinstance(fun, str):
        return _formula(fun, (), params)
    return fun


def _no_args(args, what):
    if args:
        raise InvalidArgumentError(f"args is {args!r} but {what} is a formula: a formula takes no extra arguments")


def _model_problem(model):
    """A Model's handle as a problem (its parameters the unknowns)."""
    return _Problem(model._handle, None, 1, model.params, model)


def _callback_problem(model):
    """A CallbackModel's handle as a problem whose status check re-raises its exceptions."""
    return _Problem(model._handle, None, 1, None, model, model.check)


# ------------------------------------------------------------------------------------------
# minimize
# ------------------------------------------------------------------------------------------


def _method(method, bounded):
    if method is None:
        return "L-BFGS-B" if bounded else "BFGS", (_capi.IK_MINIMIZE_LBFGSB if bounded else _capi.IK_MINIMIZE_BFGS)
    if not isinstance(method, str) or method.lower() not in MINIMIZE_METHODS:
        raise InvalidArgumentError(
            f"method is {method!r}: use one of 'BFGS', 'L-BFGS-B', 'Nelder-Mead', 'Newton-CG' ('newton'), "
            "'trust-exact' ('trust-ncg', 'trust-krylov'), 'gradient-descent', 'adam' or 'lbfgs'")
    return method, MINIMIZE_METHODS[method.lower()]


def _minimize_bounds(bounds, n):
    """scipy's bounds (n pairs (lo, hi) with None for none, or an object with lb and ub) as
    (lower, upper) arrays, or (None, None) when nothing is bounded."""
    if bounds is None:
        return None, None
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        try:
            lower = np.broadcast_to(np.asarray(bounds.lb, dtype=np.float64), (n,)).copy()
            upper = np.broadcast_to(np.asarray(bounds.ub, dtype=np.float64), (n,)).copy()
        except ValueError:
            raise DimensionError(f"bounds.lb and bounds.ub do not broadcast to the {n} values of x0") from None
    else:
        try:
            pairs = list(bounds)
        except TypeError:
            raise InvalidArgumentError(f"bounds is {bounds!r}: use a sequence of (min, max) pairs or an object "
                                       "with lb and ub (scipy.optimize.Bounds)") from None
        if len(pairs) != n:
            raise DimensionError(f"bounds has {len(pairs)} (min, max) pairs but x0 has {n} values")
        lower, upper = np.empty(n), np.empty(n)
        for j, pair in enumerate(pairs):
            try:
                lo, hi = pair
            except (TypeError, ValueError):
                raise InvalidArgumentError(f"bounds[{j}] is {pair!r}: use a (min, max) pair, None for no bound") from None
            lower[j] = -np.inf if lo is None else float(lo)
            upper[j] = np.inf if hi is None else float(hi)
    if np.all(lower == -np.inf) and np.all(upper == np.inf):
        return None, None
    return lower, upper


def _minimize_options(method_value, n, tol, options):
    """An ``ik_minimize_options_t`` from ``tol`` and scipy's ``options`` dict (and the arrays
    it points to, to keep alive)."""
    opts = _capi.ik_minimize_options_t()
    check(lib.ik_minimize_options_default(ctypes.byref(opts)))
    keep = []
    if tol is not None:
        tol = float(tol)
        if method_value == _capi.IK_MINIMIZE_NELDER_MEAD:
            opts.xatol = opts.fatol = tol
        else:
            opts.gtol = tol
            if method_value == _capi.IK_MINIMIZE_LBFGSB:
                opts.ftol = tol
    for key, value in (options or {}).items():
        if key in _IGNORED_OPTIONS:
            continue
        field = _MINIMIZE_OPTIONS.get(key)
        if field is None:
            warnings.warn(f"Unknown solver options: {key}", OptimizeWarning, stacklevel=3)
            continue
        if field == "initial_simplex":
            simplex = np.ascontiguousarray(value, dtype=np.float64)
            if simplex.shape != (n + 1, n):
                raise DimensionError(f"options['initial_simplex'] has shape {simplex.shape} but {n} parameters "
                                     f"need ({n + 1}, {n})")
            keep.append(simplex)
            opts.initial_simplex = _pointer(simplex)
        elif field in _INTEGER_OPTIONS:
            if isinstance(value, bool):
                value = int(value)
            if not isinstance(value, (int, np.integer)) or value < 0:
                raise InvalidArgumentError(f"options[{key!r}] is {value!r}: it must be an integer >= 0")
            setattr(opts, field, int(value))
        else:
            setattr(opts, field, float(value))
    return opts, keep


def _hessian_callback(hess, args, holder):
    """``hess(x, *args)`` as an ``ik_hessian_fn``; its exception goes into holder["error"]."""

    def hessian(x, n, out, user):
        try:
            h = np.ascontiguousarray(hess(np.ctypeslib.as_array(x, shape=(n,)).copy(), *args), dtype=np.float64)
            if h.shape != (n, n):
                raise DimensionError(f"hess returned shape {h.shape} but ({n}, {n}) is needed")
            ctypes.memmove(out, h.ctypes.data, n * n * 8)
            return 0
        except BaseException as error:  # noqa: BLE001 - re-raised after the C call
            holder["error"] = error
            return 1

    return _capi.ik_hessian_fn(hessian)


def _takes_intermediate_result(callback):
    try:
        return list(inspect.signature(callback).parameters) == ["intermediate_result"]
    except (TypeError, ValueError):
        return False


def _iteration_callback(callback):
    """scipy's ``callback(xk)`` or ``callback(intermediate_result)`` as the ``(iteration, x,
    value)`` progress function: a true return or StopIteration stops the run."""
    if callback is None:
        return None
    full = _takes_intermediate_result(callback)

    def progress(iteration, x, value):
        try:
            stop = callback(OptimizeResult(x=x, fun=value, nit=iteration) if full else x)
        except StopIteration:
            return True
        return bool(stop)

    return progress


def _objective(fun, x0, args, jac, params):
    """The objective's model problem and n: a formula, a Model or a Python callable."""
    if isinstance(fun, (str, Model)):
        _no_args(args, "fun")
        if jac is not None and jac is not False and not isinstance(jac, str):
            raise InvalidArgumentError("jac is given but fun is a formula, whose gradient is exact: leave jac None")
        return _model_problem(_formula_model(fun, params)), None
    if not callable(fun):
        raise InvalidArgumentError(f"fun is {fun!r}: use a callable, a formula string or an inferkit.Model")
    if jac is not None and not (callable(jac) or isinstance(jac, (bool, str))):
        raise InvalidArgumentError(f"jac is {jac!r}: use a callable, True (fun returns (f, g)), or None")

    def value(x):
        result = fun(x, *args)
        f = result[0] if jac is True else result
        if np.size(f) != 1:
            raise DimensionError(f"fun returned {np.size(f)} values: the objective must return a scalar")
        return result

    gradient = (lambda x: jac(x, *args)) if callable(jac) else (True if jac is True else None)
    model = CallbackModel(value, x0.shape[0], 1, jac=gradient)
    return _callback_problem(model), model


def minimize(fun, x0, args=(), method=None, jac=None, hess=None, bounds=None, tol=None, callback=None,
             options=None, params=None):
    """Minimise a scalar function of n parameters from ``x0``, as ``scipy.optimize.minimize``.

    ``fun`` is a formula string of the parameters (ordered by ``params``, else by appearance),
    an :class:`inferkit.Model` without inputs (both with the exact gradient and Hessian), or a
    callable ``fun(x, *args)`` returning a scalar: then ``jac`` may be a callable ``jac(x,
    *args)`` returning the gradient, ``True`` (``fun`` returns ``(f, g)``), or None/"2-point"/
    "3-point" for central differences; ``hess`` a callable ``hess(x, *args)`` returning the
    (n, n) Hessian for the Newton methods (default: differences of the gradient).

    ``method``: "BFGS" (default without bounds), "L-BFGS-B" (default with bounds),
    "Nelder-Mead", "Newton-CG" or "newton" (Newton with a modified-Cholesky Hessian and a line
    search), "trust-exact", "trust-ncg" or "trust-krylov" (all the exact trust-region
    subproblem), "gradient-descent", "adam" and "lbfgs". ``bounds``: n ``(min, max)`` pairs
    (None for no bound) or an object with ``lb`` and ``ub`` (scipy.optimize.Bounds), for
    L-BFGS-B, Nelder-Mead, gradient-descent and adam. ``tol`` sets gtol (and ftol for
    L-BFGS-B; xatol and fatol for Nelder-Mead). ``options``: maxiter, maxfun/maxfev, gtol, ftol,
    xtol, xatol, fatol, adaptive, initial_simplex, learning_rate, beta1, beta2, epsilon,
    maxcor/memory, maxls, initial_trust_radius, max_trust_radius (maxiter or maxfun 0 mean the
    method's default); disp and return_all are ignored, other keys warn
    (:class:`inferkit.OptimizeWarning`), as scipy.
    ``callback(xk)`` or ``callback(intermediate_result)`` runs after each iteration; returning
    True or raising StopIteration stops the run (status ``IK_MINIMIZE_STOPPED``).

    Returns an :class:`OptimizeResult` with ``x``, ``fun``, ``jac`` (None for Nelder-Mead),
    ``hess_inv`` (BFGS, Newton and trust-region methods, when the Hessian at x is positive
    definite), ``nit``, ``nfev``, ``njev``, ``nhev``, ``status`` (``IK_MINIMIZE_*``),
    ``success``, ``message`` and ``method``.
    """
    x0 = _vector("x0", np.atleast_1d(np.asarray(x0, dtype=np.float64)))
    args = args if isinstance(args, tuple) else (args,)
    problem, _ = _objective(fun, x0, args, jac, params)
    n = x0.shape[0]
    lower, upper = _minimize_bounds(bounds, n)
    name, method_value = _method(method, lower is not None)
    if lower is not None and method_value not in _BOUNDED:
        raise InvalidArgumentError(f"method {name!r} does not support bounds: use 'L-BFGS-B', 'Nelder-Mead', "
                                   "'gradient-descent' or 'adam'")
    opts, keep = _minimize_options(method_value, n, tol, options)
    holder = {}
    if hess is not None:
        if not callable(hess):
            raise InvalidArgumentError(f"hess is {hess!r}: use a callable hess(x, *args) or None")
        opts.hessian = _hessian_callback(hess, args, holder)
        keep.append(opts.hessian)
    progress = _progress_callback(_iteration_callback(callback), holder)
    if progress is not None:
        opts.progress = progress
    result = _MINIMIZE_RESULT_P()
    status = lib.ik_minimize(problem.handle, _pointer(x0), n, _pointer(lower), _pointer(upper), method_value,
                             ctypes.byref(opts), ctypes.byref(result))
    del keep
    if "error" in holder:
        lib.ik_minimize_result_free(result)
        raise holder["error"]
    problem.check(status)
    try:
        return _read_minimize(result, n, name)
    finally:
        lib.ik_minimize_result_free(result)


def _read_minimize(handle, n, method):
    info = _capi.ik_minimize_info_t()
    info.struct_size = ctypes.sizeof(info)
    check(lib.ik_minimize_result_info(handle, ctypes.byref(info)))
    res = OptimizeResult(
        x=_get(lib.ik_minimize_result_x, handle, n), fun=info.value,
        jac=_get(lib.ik_minimize_result_gradient, handle, n) if info.has_gradient else None,
        nit=int(info.iterations), nfev=int(info.nfev), njev=int(info.ngev), nhev=int(info.nhev),
        status=int(info.status), success=bool(info.success),
        message=lib.ik_minimize_result_message(handle).decode("utf-8"), method=method)
    if info.has_inverse_hessian:
        res.hess_inv = _get(lib.ik_minimize_result_inverse_hessian, handle, n * n).reshape(n, n)
    return res


# ------------------------------------------------------------------------------------------
# root
# ------------------------------------------------------------------------------------------

_ROOT_METHODS = (None, "hybr", "lm", "newton")


def _root_options(tol=None, fatol=None, xtol=None, rtol=None, maxiter=None, maxfev=None):
    """An ``ik_root_options_t`` (NULL-equivalent defaults for every None)."""
    opts = _capi.ik_root_options_t()
    check(lib.ik_root_options_default(ctypes.byref(opts)))
    for field, value in (("fatol", fatol), ("xtol", xtol), ("rtol", rtol if rtol is not None else tol)):
        if value is not None:
            setattr(opts, field, float(value))
    for field, value in (("max_iter", maxiter), ("max_fev", maxfev)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise InvalidArgumentError(f"{'maxiter' if field == 'max_iter' else 'maxfev'} is {value!r}: "
                                           "it must be an integer >= 0")
            setattr(opts, field, int(value))
    return opts


_ROOT_OPTION_KEYS = {"xtol": "rtol", "xatol": "xtol", "fatol": "fatol", "ftol": "fatol", "maxiter": "maxiter",
                     "maxfev": "maxfev"}


def _unknowns(models, params):
    """The names of the unknowns: ``params``, or every equation's parameters in order of first
    appearance."""
    if params is not None:
        return [params] if isinstance(params, str) else list(params)
    names = []
    for model in models:
        names.extend(p for p in model.params if p not in names)
    return names


def root(fun, x0, args=(), method=None, jac=None, tol=None, options=None, params=None):
    """A root of the square system F(x) = 0, as ``scipy.optimize.root``: Newton's method with a
    backtracking line search and Levenberg-Marquardt steps where the Jacobian is singular
    (``ik_root``; scipy's method names None, "hybr", "lm" and "newton" all run it).

    ``fun`` is a callable ``fun(x, *args)`` returning the n values F(x) (``jac`` a callable
    returning the (n, n) Jacobian, ``True`` when ``fun`` returns ``(F, J)``, or None for
    forward differences), or one formula string or :class:`inferkit.Model` per equation (a
    list; exact Jacobian rows), the unknowns being ``params`` or the equations' parameters in
    order of first appearance. ``tol`` is the relative step tolerance; ``options``: xtol
    (relative step), xatol (absolute step), fatol/ftol (stop at max |F| <= fatol), maxiter
    (default 100) and maxfev (default unlimited; 0 means the default for both).

    Returns an :class:`OptimizeResult` with ``x``, ``fun`` (F(x)), ``success``, ``status``
    (``IK_ROOT_*``), ``message``, ``nit``, ``nfev``, ``njev`` and ``params`` (the unknowns'
    names for formulas).
    """
    if method not in _ROOT_METHODS:
        raise InvalidArgumentError(f"method is {method!r}: use None, 'hybr', 'lm' or 'newton' (all run "
                                   "libinferkit's damped Newton method)")
    x0 = _vector("x0", np.atleast_1d(np.asarray(x0, dtype=np.float64)))
    n = x0.shape[0]
    settings = {}
    for key, value in (options or {}).items():
        if key in _IGNORED_OPTIONS:
            continue
        if key not in _ROOT_OPTION_KEYS:
            warnings.warn(f"Unknown solver options: {key}", OptimizeWarning, stacklevel=2)
            continue
        settings[_ROOT_OPTION_KEYS[key]] = value
    opts = _root_options(tol=tol, **settings)
    result = _ROOT_RESULT_P()
    args = args if isinstance(args, tuple) else (args,)
    names = None
    if isinstance(fun, (str, Model, list, tuple)):
        _no_args(args, "fun")
        equations = [fun] if isinstance(fun, (str, Model)) else list(fun)
        models = [_formula_model(e, None) for e in equations]
        for i, m in enumerate(models):
            if not isinstance(m, Model):
                raise InvalidArgumentError(f"fun[{i}] is {m!r}: an equation is a formula string or an inferkit.Model")
        names = _unknowns(models, params)
        handles = (ctypes.POINTER(_capi.ik_model_t) * len(models))(*(m._handle for m in models))
        encoded = (ctypes.c_char_p * max(len(names), 1))(*(str(p).encode("utf-8") for p in names))
        check(lib.ik_root_formulas(handles, len(models), encoded if names else None, _pointer(x0), n,
                                   ctypes.byref(opts), ctypes.byref(result)))
    elif callable(fun):
        if jac is not None and not (callable(jac) or jac is True):
            raise InvalidArgumentError(f"jac is {jac!r}: use a callable, True (fun returns (F, J)), or None")
        jacobian = (lambda x: jac(x, *args)) if callable(jac) else jac
        model = CallbackModel(lambda x: fun(x, *args), n, n, jac=jacobian)
        model.check(lib.ik_root(model._handle, _pointer(x0), n, ctypes.byref(opts), ctypes.byref(result)))
    else:
        raise InvalidArgumentError(f"fun is {fun!r}: use a callable, a formula string or a list of them")
    try:
        info = _capi.ik_root_info_t()
        info.struct_size = ctypes.sizeof(info)
        check(lib.ik_root_result_info(result, ctypes.byref(info)))
        res = OptimizeResult(
            x=_get(lib.ik_root_result_x, result, n), fun=_get(lib.ik_root_result_values, result, n),
            success=bool(info.success), status=int(info.status),
            message=lib.ik_root_result_message(result).decode("utf-8"), nit=int(info.iterations),
            nfev=int(info.nfev), njev=int(info.njev))
        if names is not None:
            res.params = tuple(names)
        return res
    finally:
        lib.ik_root_result_free(result)


# ------------------------------------------------------------------------------------------
# root_scalar
# ------------------------------------------------------------------------------------------

_BRACKETING = ("bisect", "brentq", "brenth", "ridder", "toms748")
_OPEN = ("newton", "secant", "halley")


class RootResults:
    """The result of :func:`root_scalar`, as ``scipy.optimize.RootResults``: ``root``,
    ``iterations``, ``function_calls``, ``converged``, ``flag`` ("converged" or the library's
    sentence) and ``method``; InferKit adds ``value`` (f(root)), ``derivative``, ``bracket``
    (the final sign-change bracket, or None) and ``status`` (``IK_ROOT_*``)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        keys = ("converged", "flag", "function_calls", "iterations", "root", "method")
        return "\n".join(f"{k:>15}: {getattr(self, k)!r}" for k in keys)


def root_scalar(f, args=(), method=None, bracket=None, fprime=None, x0=None, xtol=None, rtol=None, maxiter=None):
    """A root of a scalar function, as ``scipy.optimize.root_scalar``: Newton's method
    safeguarded by bisection inside a bracket (``ik_root_scalar``), so a bracket always
    converges and Newton's speed is kept.

    ``f`` is a callable ``f(x, *args)`` (``fprime`` a callable for f', ``True`` when ``f``
    returns ``(f, f')``, or None for central differences), or a formula string or
    :class:`inferkit.Model` of one parameter (exact derivative). ``bracket=(a, b)`` with a sign
    change and/or ``x0``; the bracketing names ("brentq", "bisect", "brenth", "ridder",
    "toms748") need a bracket and ignore x0, the open ones ("newton", "secant", "halley") need
    x0. ``xtol``, ``rtol`` and ``maxiter`` as scipy (defaults 2e-12, 4 eps, 100).
    """
    if method is not None and method not in _BRACKETING + _OPEN:
        raise InvalidArgumentError(f"method is {method!r}: use None, one of {list(_BRACKETING)} (with a bracket) "
                                   f"or one of {list(_OPEN)} (with x0)")
    if method in _BRACKETING:
        if bracket is None:
            raise InvalidArgumentError(f"method {method!r} needs a bracket")
        x0 = None
    if method in _OPEN and x0 is None:
        raise InvalidArgumentError(f"method {method!r} needs x0")
    args = args if isinstance(args, tuple) else (args,)
    if isinstance(f, (str, Model)):
        _no_args(args, "f")
        problem = _model_problem(_formula_model(f, None))
    elif callable(f):
        if fprime is not None and not (callable(fprime) or fprime is True):
            raise InvalidArgumentError(f"fprime is {fprime!r}: use a callable, True (f returns (f, f')), or None")
        derivative = (lambda p: np.atleast_1d(fprime(p[0], *args))) if callable(fprime) else fprime
        model = CallbackModel(lambda p: f(p[0], *args), 1, 1, jac=derivative)
        problem = _callback_problem(model)
    else:
        raise InvalidArgumentError(f"f is {f!r}: use a callable, a formula string or an inferkit.Model")
    opts = _root_options(xtol=xtol, rtol=rtol, maxiter=maxiter)
    start = None
    if x0 is not None:
        value = np.asarray(x0, dtype=np.float64).reshape(-1)
        if value.shape != (1,):
            raise DimensionError(f"x0 has {value.shape[0]} values: give one number")
        start = ctypes.c_double(value[0])
    ends = None
    if bracket is not None:
        ends = np.ascontiguousarray(bracket, dtype=np.float64).reshape(-1)
        if ends.shape != (2,):
            raise DimensionError(f"bracket has {ends.shape[0]} values: give two, (a, b)")
    info = _capi.ik_root_scalar_info_t()
    info.struct_size = ctypes.sizeof(info)
    problem.check(lib.ik_root_scalar(problem.handle, None if start is None else ctypes.byref(start), _pointer(ends),
                                     ctypes.byref(opts), ctypes.byref(info)))
    message = lib.ik_root_status_message(info.status).decode("utf-8")
    have_bracket = not np.isnan(info.bracket_lower)
    return RootResults(root=info.root, iterations=int(info.iterations), function_calls=int(info.evaluations),
                       converged=bool(info.success), flag="converged" if info.success else message,
                       method=method or ("newton" if bracket is None else "newton (bracketed)"), value=info.value,
                       derivative=info.derivative, status=int(info.status),
                       bracket=(info.bracket_lower, info.bracket_upper) if have_bracket else None)
