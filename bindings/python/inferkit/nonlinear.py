"""Nonlinear least squares with honest uncertainties: :func:`curve_fit`, :func:`least_squares`,
:func:`fit_many`, and Python callables as models (:class:`CallbackModel`).

``curve_fit`` and ``least_squares`` take scipy's call shapes and return what scipy returns, so
scripts port by changing an import; the model may be a formula string, an
:class:`inferkit.Model` (exact Jacobian by automatic differentiation, evaluated natively) or a
Python callable (called through a C callback, with its Jacobian or finite differences)::

    popt, pcov = inferkit.curve_fit("A*exp(-0.5*((x-mu)/sig)^2) + B", x, y,
                                    p0=[1, 0, 1, 0], sigma=dy, absolute_sigma=True)
    res = inferkit.least_squares(lambda p: model(p) - y, p0)          # res.x, res.cov, ...
    many = inferkit.fit_many("A*exp(-0.5*((x-mu)/sig)^2) + B", x, Y, p0)   # rows of Y

Every fit is libinferkit's Levenberg-Marquardt (Moré's trust region with Jacobian scaling,
pivoted QR; box bounds by projection; robust losses) or plain Gauss-Newton, with tolerances
that stop only where double precision stops (1e-15 by default, see ``ftol``). Covariances are
(JᵀWJ)⁻¹ at the optimum, scaled by χ²/dof unless ``absolute_sigma``; where one cannot be
computed the result says which parameter and why (``cov_issue``) instead of returning numbers.
"""

import ctypes
import inspect
import warnings

import numpy as np

from . import _capi
from ._arrays import DOUBLE_P, pointer as _pointer, vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib
from .model import Model

__all__ = [
    "curve_fit",
    "least_squares",
    "fit_many",
    "CallbackModel",
    "LeastSquaresResult",
    "BatchFitResult",
    "OptimizeWarning",
    "LOSSES",
]


class OptimizeWarning(UserWarning):
    """A fit's result is usable but incomplete (a covariance that cannot be estimated), as
    ``scipy.optimize.OptimizeWarning``."""


#: Loss names (scipy's) -> ``IK_LOSS_*``.
LOSSES = {
    "linear": _capi.IK_LOSS_LINEAR,
    "soft_l1": _capi.IK_LOSS_SOFT_L1,
    "huber": _capi.IK_LOSS_HUBER,
    "cauchy": _capi.IK_LOSS_CAUCHY,
    "arctan": _capi.IK_LOSS_ARCTAN,
}

#: Method names -> ``IK_NLLS_*``. scipy's "trf" and "dogbox" (its bounded methods) are served
#: by the same bounded Levenberg-Marquardt.
METHODS = {
    None: _capi.IK_NLLS_LEVENBERG_MARQUARDT,
    "lm": _capi.IK_NLLS_LEVENBERG_MARQUARDT,
    "trf": _capi.IK_NLLS_LEVENBERG_MARQUARDT,
    "dogbox": _capi.IK_NLLS_LEVENBERG_MARQUARDT,
    "gauss-newton": _capi.IK_NLLS_GAUSS_NEWTON,
    "gn": _capi.IK_NLLS_GAUSS_NEWTON,
}

#: ``IK_NLLS_*`` status -> MINPACK's ``ier`` as scipy's curve_fit reports it.
_IER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 2, 7: 5, 8: 5}

_MODEL_P = ctypes.POINTER(_capi.ik_model_t)
_RESULT_P = ctypes.POINTER(_capi.ik_nlls_result_t)
_BATCH_P = ctypes.POINTER(_capi.ik_nlls_batch_t)


# ------------------------------------------------------------------------------------------
# Python callables as models
# ------------------------------------------------------------------------------------------


class CallbackModel:
    """A Python function of the parameters as a libinferkit model (``ik_model_create_callback``).

    ``fun(p)`` returns ``n_points`` values (the model at the data, residuals, the equations of a
    root-finding problem, or for ``n_points`` 1 a scalar objective); ``jac(p)`` (optional)
    returns the ``(n_points, n_params)`` Jacobian (for one point also a gradient of
    ``n_params`` values), otherwise libinferkit uses finite differences (``diff='2-point'``
    forward or ``'3-point'`` central, relative step ``diff_step``). ``jac=True`` means that
    ``fun(p)`` returns the pair ``(values, jacobian)``; the Jacobian is then kept for the
    Jacobian callback at the same ``p``, so each point costs one call. An exception raised by
    ``fun`` or ``jac`` stops the computation and is re-raised by the call that ran it
    (:meth:`check`).
    """

    def __init__(self, fun, n_params, n_points, jac=None, names=None, diff="2-point", diff_step=None):
        self.fun = fun
        self.returns_jacobian = jac is True
        self.jac = jac if callable(jac) or jac is True else None
        self.n_params = int(n_params)
        self.n_points = int(n_points)
        self.error = None
        self._kept = None  # (p, jacobian) of the last fun call when fun returns both
        if names is None:
            name_array = None
        else:
            encoded = [str(n).encode("utf-8") for n in names]
            name_array = (ctypes.c_char_p * len(encoded))(*encoded)
        self._names = name_array
        self._fn = _capi.ik_model_fn(self._evaluate)
        self._jac_fn = _capi.ik_model_jacobian_fn(self._jacobian) if self.jac is not None else _capi.ik_model_jacobian_fn()
        handle = _MODEL_P()
        check(lib.ik_model_create_callback(0, self.n_params, name_array, self._fn, self._jac_fn, None,
                                           ctypes.byref(handle)))
        self._handle = handle
        if self.jac is None:
            scheme = {"2-point": _capi.IK_FD_FORWARD, "3-point": _capi.IK_FD_CENTRAL}.get(diff)
            if scheme is None:
                raise InvalidArgumentError(f"jac is {diff!r}: use a callable, '2-point' or '3-point'")
            check(lib.ik_model_set_finite_differences(handle, scheme, 0.0 if diff_step is None else float(diff_step)))

    def _values(self, params):
        """fun(params) as a flat float64 array (keeping the Jacobian when fun returns both)."""
        result = self.fun(params)
        if self.returns_jacobian:
            try:
                result, jacobian = result
            except (TypeError, ValueError):
                raise DimensionError("jac is True, so fun must return a pair (values, jacobian)") from None
            self._kept = (params, jacobian)
        return np.asarray(result, dtype=np.float64).reshape(-1)

    def _evaluate(self, x, n, ni, p, np_, out, user):
        try:
            params = np.ctypeslib.as_array(p, shape=(np_,)).copy()
            values = self._values(params)
            if values.shape[0] != n:
                raise DimensionError(f"the model function returned {values.shape[0]} values but {n} are needed")
            ctypes.memmove(out, values.ctypes.data, n * 8)
            return 0
        except BaseException as error:  # noqa: BLE001 - re-raised after the C call returns
            self.error = error
            return 1

    def _jacobian(self, x, n, ni, p, np_, out, user):
        try:
            params = np.ctypeslib.as_array(p, shape=(np_,)).copy()
            if self.returns_jacobian:
                if self._kept is None or not np.array_equal(self._kept[0], params):
                    self._values(params)
                jac = self._kept[1]
            else:
                jac = self.jac(params)
            jac = np.ascontiguousarray(jac, dtype=np.float64)
            if n == 1 and jac.ndim <= 1 and jac.size == np_:
                jac = jac.reshape(1, np_)  # a gradient (or a derivative)
            if jac.shape != (n, np_):
                raise DimensionError(f"the Jacobian function returned shape {jac.shape} but ({n}, {np_}) is needed")
            ctypes.memmove(out, jac.ctypes.data, n * np_ * 8)
            return 0
        except BaseException as error:  # noqa: BLE001
            self.error = error
            return 1

    def check(self, status):
        """Raise the callable's own exception when it stopped the call, else ``check(status)``."""
        if status == _capi.IK_ERR_CALLBACK and self.error is not None:
            error, self.error = self.error, None
            raise error
        check(status)

    def __del__(self, _free=lib.ik_model_free):
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)


# ------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------


class OptimizeResult(dict):
    """A dict whose keys are also attributes, as ``scipy.optimize.OptimizeResult``."""

    #: The keys :meth:`__repr__` shows.
    _shown = ("x", "fun", "status", "message", "success", "nfev")

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__

    def __repr__(self):
        shown = ", ".join(f"{k}={self[k]!r}" for k in self._shown if k in self)
        return f"{type(self).__name__}({shown})"


class LeastSquaresResult(OptimizeResult):
    """The result of :func:`least_squares`: scipy's ``OptimizeResult`` fields and more.

    scipy's: ``x``, ``cost`` (½ Σ ρ(r²)), ``fun`` (residuals), ``jac``, ``grad``,
    ``optimality`` (∞-norm of the gradient of the free parameters), ``active_mask``
    (−1 at a lower bound, 1 at an upper one), ``nfev``, ``njev``, ``status``, ``message``,
    ``success``. InferKit's: ``cov`` (None when it cannot be computed), ``stderr``, ``corr``,
    ``cov_issue`` (why the covariance is missing or partial, naming the parameter),
    ``laplace_cov`` and ``laplace_issue`` (with ``laplace=True``), ``chi2``, ``dof``,
    ``redchi2``, ``aic``, ``bic``, ``cond`` (of the weighted Jacobian), ``rank``,
    ``nit`` (accepted steps), ``params`` (the parameter names).
    """

    _shown = ("x", "cost", "status", "message", "success", "nfev", "chi2", "dof")


def _options(method=None, ftol=None, xtol=None, gtol=None, max_nfev=None, loss="linear", f_scale=1.0,
             x_scale=None, factor=None, geodesic=False, laplace=False, n_threads=0, n_params=0):
    """An ``ik_nlls_options_t`` from scipy-style arguments (and the arrays it points to)."""
    opts = _capi.ik_nlls_options_t()
    check(lib.ik_nlls_options_default(ctypes.byref(opts)))
    if method not in METHODS:
        raise InvalidArgumentError(f"method is {method!r}: use one of {sorted(m for m in METHODS if m)}")
    opts.method = METHODS[method]
    if loss not in LOSSES:
        raise InvalidArgumentError(f"loss is {loss!r}: use one of {list(LOSSES)}")
    opts.loss = LOSSES[loss]
    opts.f_scale = float(f_scale)
    for name, value in (("ftol", ftol), ("xtol", xtol), ("gtol", gtol)):
        if value is not None:
            setattr(opts, name, float(value))
    if max_nfev is not None:
        opts.max_nfev = int(max_nfev)
    if factor is not None:
        opts.factor = float(factor)
    keep = None
    if x_scale is not None and not (isinstance(x_scale, str) and x_scale == "jac"):
        scale = np.broadcast_to(np.asarray(x_scale, dtype=np.float64), (n_params,)).copy()
        keep = scale
        opts.x_scale = _pointer(scale)
    opts.geodesic = 1 if geodesic else 0
    opts.laplace = 1 if laplace else 0
    opts.n_threads = int(n_threads)
    return opts, keep


def _progress_callback(callback, holder):
    """A ``ik_progress_fn`` calling ``callback(iteration, p, cost)``; a true return stops."""
    if callback is None:
        return None

    def progress(iteration, p, n, cost, user):
        try:
            stop = callback(int(iteration), np.ctypeslib.as_array(p, shape=(n,)).copy(), float(cost))
            return 1 if stop else 0
        except BaseException as error:  # noqa: BLE001
            holder["error"] = error
            return 1

    return _capi.ik_progress_fn(progress)


def _get(function, handle, count, dtype=np.float64):
    out = np.empty(count, dtype=dtype)
    ptr = out.ctypes.data_as(DOUBLE_P if dtype == np.float64 else ctypes.POINTER(ctypes.c_int32))
    check(function(handle, ptr, count))
    return out


def _read_result(handle, n, m, names, laplace):
    """Everything of an ``ik_nlls_result_t`` as a :class:`LeastSquaresResult`."""
    info = _capi.ik_nlls_info_t()
    info.struct_size = ctypes.sizeof(info)
    check(lib.ik_nlls_result_info(handle, ctypes.byref(info)))
    x = _get(lib.ik_nlls_result_params, handle, n)
    fun = _get(lib.ik_nlls_result_residuals, handle, m)
    jac = _get(lib.ik_nlls_result_jacobian, handle, m * n).reshape(m, n)
    active = _get(lib.ik_nlls_result_active_bounds, handle, n, np.int32)
    cov_issue = lib.ik_nlls_result_covariance_issue(handle).decode("utf-8")
    message = lib.ik_nlls_result_message(handle).decode("utf-8")
    if info.flags & _capi.IK_NLLS_FLAG_NO_COVARIANCE:
        cov = stderr = corr = None
    else:
        cov = _get(lib.ik_nlls_result_covariance, handle, n * n).reshape(n, n)
        corr = _get(lib.ik_nlls_result_correlation, handle, n * n).reshape(n, n)
        stderr = np.sqrt(np.diag(cov))
    laplace_cov, laplace_issue = None, None
    if laplace:
        laplace_issue = lib.ik_nlls_result_laplace_issue(handle).decode("utf-8") or None
        if laplace_issue is None:
            laplace_cov = _get(lib.ik_nlls_result_laplace_covariance, handle, n * n).reshape(n, n)
    grad = jac.T @ fun
    free = active == 0
    return LeastSquaresResult(
        x=x, cost=info.cost, fun=fun, jac=jac, grad=grad,
        optimality=float(np.max(np.abs(grad[free]))) if free.any() else 0.0,
        active_mask=active, nfev=int(info.nfev), njev=int(info.njev), nit=int(info.iterations),
        status=int(info.status), message=message, success=bool(info.converged),
        cov=cov, stderr=stderr, corr=corr, cov_issue=cov_issue or None,
        laplace_cov=laplace_cov, laplace_issue=laplace_issue, chi2=info.chi2, dof=int(info.dof),
        redchi2=info.reduced_chi2, aic=info.aic, bic=info.bic, cond=info.condition_number,
        rank=int(info.rank), params=tuple(names),
    )


def _bounds(bounds, n):
    """scipy's ``bounds``: a (lower, upper) pair of scalars or arrays; None for no bounds."""
    if bounds is None or (type(bounds) is tuple and len(bounds) == 2 and isinstance(bounds[0], float)
                          and isinstance(bounds[1], float) and bounds[0] == -np.inf and bounds[1] == np.inf):
        return None, None
    try:
        lower, upper = bounds
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"bounds must be a (lower, upper) pair, got {bounds!r}") from None
    lower = np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)).copy()
    upper = np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)).copy()
    if np.all(lower == -np.inf) and np.all(upper == np.inf):
        return None, None
    return lower, upper


# ------------------------------------------------------------------------------------------
# Models of data: formulas, Model objects and Python callables
# ------------------------------------------------------------------------------------------

_COMPILED = {}


def _formula(expr, inputs, params=None):
    """A compiled Model for a formula string (cached: compiling is the slow part of small fits)."""
    key = (expr, tuple(inputs), None if params is None else tuple(params))
    model = _COMPILED.get(key)
    if model is None:
        model = Model(expr, inputs=inputs, params=params)
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        _COMPILED[key] = model
    return model


class _Problem:
    """A fit's model handle, its data as the C layer takes them, and its parameter names."""

    def __init__(self, handle, points, n, names, owner, check_status=check):
        self.handle = handle
        self.points = points
        self.n = n
        self.names = names
        self.owner = owner
        self.check = check_status


def _model_problem(model, xdata):
    k = len(model.inputs)
    if k > 1 and isinstance(xdata, np.ndarray) and xdata.ndim == 2 and xdata.shape[0] == k:
        xdata = tuple(xdata)  # scipy's layout for several independent variables: (k, M)
    points, n, _ = model._x(xdata)
    return _Problem(model._handle, points, n, model.params, model)


def _inputs_for(f, xdata, inputs):
    if inputs is not None:
        return tuple((inputs,) if isinstance(inputs, str) else inputs)
    array = np.asarray(xdata) if not isinstance(xdata, (tuple, list)) else None
    if array is not None and array.ndim <= 1:
        return ("x",)
    raise InvalidArgumentError(
        f"f is the formula {f!r} and xdata has several rows: name the inputs (inputs=('x', 'y')) "
        "or pass an inferkit.Model")


def _n_params_of(f, p0):
    if p0 is not None:
        return np.atleast_1d(np.asarray(p0, dtype=np.float64)).shape[0]
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        raise InvalidArgumentError("p0 is None and the number of parameters of f cannot be determined") from None
    if len(parameters) < 2 or any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in parameters[1:]):
        raise InvalidArgumentError("p0 is None and the number of parameters of f cannot be determined: give p0")
    return len(parameters) - 1


# ------------------------------------------------------------------------------------------
# curve_fit
# ------------------------------------------------------------------------------------------


def _omit_nan(xdata, y, sigma):
    """scipy's nan_policy='omit': drop the points where ydata or xdata is NaN."""
    x = np.asarray(xdata, dtype=np.float64)
    keep = ~np.isnan(y)
    if x.ndim == 1 and x.shape[0] == y.shape[0]:
        keep &= ~np.isnan(x)
        x = x[keep]
    elif x.ndim == 2 and x.shape[-1] == y.shape[0]:
        keep &= ~np.isnan(x).any(axis=0)
        x = x[:, keep]
    s = None
    if sigma is not None:
        s = np.asarray(sigma, dtype=np.float64)
        s = s[keep] if s.ndim == 1 else s[np.ix_(keep, keep)]
    return x, y[keep], s


def _whitening(sigma, m):
    """sigma as 1/σ weights (1-D) or the Cholesky factor of a covariance (2-D), scipy-style."""
    if sigma is None:
        return None, None
    s = np.asarray(sigma, dtype=np.float64)
    if s.ndim == 1:
        if s.shape[0] != m:
            raise DimensionError(f"sigma has {s.shape[0]} values but ydata has {m}")
        return np.ascontiguousarray(s), None
    if s.ndim == 2 and s.shape == (m, m):
        try:
            return None, np.linalg.cholesky(s)
        except np.linalg.LinAlgError:
            raise InvalidArgumentError("sigma is a covariance matrix that is not positive definite") from None
    raise DimensionError(f"sigma has shape {s.shape}: use ({m},) uncertainties or an ({m}, {m}) covariance")


def _curve_problem(f, xdata, y, p0, jac, inputs, diff_step, diff, params=None):
    """The model handle for curve_fit's f (formula, Model or callable) at xdata."""
    if isinstance(f, str):
        return _model_problem(_formula(f, _inputs_for(f, xdata, inputs), params), xdata)
    if isinstance(f, Model):
        return _model_problem(f, xdata)
    if not callable(f):
        raise InvalidArgumentError(f"f is {f!r}: use a formula string, an inferkit.Model or a callable")
    m = y.shape[0]
    n = _n_params_of(f, p0)

    def values(p):
        return np.asarray(f(xdata, *p), dtype=np.float64).reshape(-1)

    jacobian = None
    if callable(jac):
        def jacobian(p):
            return np.asarray(jac(xdata, *p), dtype=np.float64)

    cb = CallbackModel(values, n, m, jac=jacobian, diff=diff if isinstance(diff, str) else "2-point",
                       diff_step=diff_step)
    return _Problem(cb._handle, None, m, tuple(f"p{j}" for j in range(n)), cb, cb.check)


def _whitened(problem, y, chol):
    """A callback problem for a full covariance: r = L⁻¹(f − y), J = L⁻¹ J_f (then y = 0)."""
    import scipy.linalg  # only for the full-covariance case

    base = problem

    def model_values(p):
        out = np.empty(y.shape[0])
        base.check(lib.ik_model_evaluate(base.handle, _pointer(base.points), base.n, _pointer(p), p.shape[0],
                                         _pointer(out)))
        return out

    def model_jacobian(p):
        out = np.empty((y.shape[0], p.shape[0]))
        base.check(lib.ik_model_jacobian(base.handle, _pointer(base.points), base.n, _pointer(p), p.shape[0],
                                         None, _pointer(out)))
        return out

    def residuals(p):
        return scipy.linalg.solve_triangular(chol, model_values(p) - y, lower=True)

    def jacobian(p):
        return scipy.linalg.solve_triangular(chol, model_jacobian(p), lower=True)

    cb = CallbackModel(residuals, len(base.names), y.shape[0], jac=jacobian, names=base.names)
    return _Problem(cb._handle, None, y.shape[0], base.names, (cb, base), cb.check)


_DEFAULT_OPTIONS = {"method": None}


def _run_fit(problem, y, sigma, absolute_sigma, p0, bounds, options, progress=None, reader=None):
    """ik_nlls_fit on a problem; returns ``reader(handle, n, m, names, laplace)`` (by default
    the full :class:`LeastSquaresResult`)."""
    n = len(problem.names)
    p0 = _vector("p0", p0)
    if p0.shape[0] != n:
        raise DimensionError(f"p0 has {p0.shape[0]} values but the model has {n} parameters {problem.names}")
    lower, upper = _bounds(bounds, n)
    holder = {}
    keep = None
    if progress is None and all(v is None or v is False for k, v in options.items() if k != "method") \
            and options.get("method") in (None, "lm", "trf", "dogbox"):
        opts_ref = None  # the library's defaults: no options struct to build
    else:
        opts, keep = _options(n_params=n, **options)
        callback = _progress_callback(progress, holder)
        if callback is not None:
            opts.progress = callback
        opts_ref = ctypes.byref(opts)
    result = _RESULT_P()
    status = lib.ik_nlls_fit(problem.handle, _pointer(problem.points), problem.n, _pointer(y), _pointer(sigma),
                             _capi.IK_SIGMA_ABSOLUTE if absolute_sigma else _capi.IK_SIGMA_RELATIVE,
                             _pointer(p0), n, _pointer(lower), _pointer(upper), opts_ref,
                             ctypes.byref(result))
    del keep
    problem.check(status)
    if "error" in holder:
        lib.ik_nlls_result_free(result)
        raise holder["error"]
    try:
        return (reader or _read_result)(result, n, problem.n, problem.names, bool(options.get("laplace")))
    finally:
        lib.ik_nlls_result_free(result)


def _read_params_and_covariance(handle, n, m, names, laplace):
    """What curve_fit returns without full_output: (x, cov or None, status, converged, message,
    cov_issue), read with as few calls as possible."""
    info = _capi.ik_nlls_info_t()
    info.struct_size = ctypes.sizeof(info)
    check(lib.ik_nlls_result_info(handle, ctypes.byref(info)))
    x = _get(lib.ik_nlls_result_params, handle, n)
    cov = None
    if not info.flags & _capi.IK_NLLS_FLAG_NO_COVARIANCE:
        cov = _get(lib.ik_nlls_result_covariance, handle, n * n).reshape(n, n)
    issue = None
    if info.flags & (_capi.IK_NLLS_FLAG_NO_COVARIANCE | _capi.IK_NLLS_FLAG_AT_BOUND):
        issue = lib.ik_nlls_result_covariance_issue(handle).decode("utf-8") or None
    message = "" if info.converged else lib.ik_nlls_result_message(handle).decode("utf-8")
    return x, cov, int(info.status), bool(info.converged), message, issue


_CURVE_FIT_OPTIONS = {"ftol", "xtol", "gtol", "maxfev", "max_nfev", "loss", "f_scale", "x_scale", "factor",
                      "diff_step", "geodesic", "laplace", "inputs", "params", "callback", "epsfcn", "verbose",
                      "check_finite", "nan_policy"}


def curve_fit(f, xdata, ydata, p0=None, sigma=None, absolute_sigma=False, bounds=(-np.inf, np.inf),
              method=None, jac=None, full_output=False, **kwargs):
    """Fit ``f(xdata, *params)`` to ``ydata`` by weighted nonlinear least squares, as
    ``scipy.optimize.curve_fit``; returns ``popt, pcov`` (with ``full_output``:
    ``popt, pcov, infodict, mesg, ier``).

    ``f`` is a formula string (parameters in order of appearance unless ``params=`` orders
    them; the input ``x``, or the names given by ``inputs=`` with xdata of shape (k, M) or a
    tuple of k arrays), an :class:`inferkit.Model`, or a callable ``f(x, *params)``
    (then ``jac`` may be a callable ``jac(x, *params)`` returning the (M, N) Jacobian, or
    "2-point"/"3-point"). ``p0`` defaults to ones (scipy's rule). ``sigma`` holds 1-σ
    uncertainties of ``ydata`` (or an (M, M) covariance); ``absolute_sigma`` as scipy.
    ``bounds=(lower, upper)``; ``method`` None, "lm", "trf", "dogbox" (all the bounded
    Levenberg-Marquardt) or "gauss-newton". Keyword options: ``ftol``, ``xtol``, ``gtol``
    (default 1e-15), ``maxfev``/``max_nfev``, ``loss``, ``f_scale``, ``x_scale``,
    ``diff_step``, ``factor``, ``geodesic``, ``laplace`` (infodict["laplace_cov"]),
    ``callback(iteration, p, cost)`` (a true return stops the fit).

    ``nan_policy="omit"`` drops points with NaN (None and "raise" reject them with
    :class:`inferkit.NonFiniteError`); ``check_finite``, ``epsfcn`` and ``verbose`` are
    accepted for compatibility and ignored (data are always checked).

    Raises RuntimeError when the fit does not converge (as scipy) and warns
    :class:`OptimizeWarning` when the covariance cannot be estimated (pcov is then inf, and the
    warning says which parameter and why). libinferkit's errors raise
    :class:`inferkit.InferKitError` subclasses (NaN data: :class:`inferkit.NonFiniteError`).
    """
    unknown = set(kwargs) - _CURVE_FIT_OPTIONS
    if unknown:
        raise TypeError(f"curve_fit() got unexpected keyword arguments {sorted(unknown)}")
    y = np.ascontiguousarray(ydata, dtype=np.float64).reshape(-1)
    nan_policy = kwargs.pop("nan_policy", None)
    if nan_policy not in (None, "raise", "omit"):
        raise InvalidArgumentError(f"nan_policy is {nan_policy!r}: use None, 'raise' or 'omit'")
    if nan_policy == "omit":
        xdata, y, sigma = _omit_nan(xdata, y, sigma)
    inputs = kwargs.pop("inputs", None)
    diff_step = kwargs.pop("diff_step", None)
    problem = _curve_problem(f, xdata, y, p0, jac, inputs, diff_step, jac if isinstance(jac, str) else "2-point",
                             kwargs.pop("params", None))
    n = len(problem.names)
    if p0 is None:
        p0 = np.ones(n)
    weights, chol = _whitening(sigma, y.shape[0])
    data = y
    if chol is not None:
        problem = _whitened(problem, y, chol)
        data = None
    options = {}
    for key in ("ftol", "xtol", "gtol", "loss", "f_scale", "x_scale", "factor", "geodesic", "laplace"):
        if key in kwargs:
            options[key] = kwargs[key]
    if "maxfev" in kwargs or "max_nfev" in kwargs:
        options["max_nfev"] = kwargs.get("max_nfev", kwargs.get("maxfev"))
    options["method"] = method
    if not full_output:
        x, pcov, status, converged, message, issue = _run_fit(
            problem, data, weights, absolute_sigma, p0, bounds, options, kwargs.get("callback"),
            reader=_read_params_and_covariance)
        if not converged and status != _capi.IK_NLLS_STOPPED:
            raise RuntimeError("Optimal parameters not found: " + message)
        return x, _curve_fit_covariance(pcov, issue, n)
    res = _run_fit(problem, data, weights, absolute_sigma, p0, bounds, options, kwargs.get("callback"))
    ier = _IER.get(res.status, 5)
    if not res.success and res.status != _capi.IK_NLLS_STOPPED:
        raise RuntimeError("Optimal parameters not found: " + res.message)
    pcov = _curve_fit_covariance(res.cov, res.cov_issue, n)
    infodict = {"nfev": res.nfev, "njev": res.njev, "fvec": res.fun, "fjac": res.jac, "nit": res.nit,
                "status": res.status, "chi2": res.chi2, "dof": res.dof, "cov_issue": res.cov_issue,
                "active_mask": res.active_mask}
    if options.get("laplace"):
        infodict["laplace_cov"] = res.laplace_cov
        infodict["laplace_issue"] = res.laplace_issue
    return res.x, pcov, infodict, res.message, ier


def _curve_fit_covariance(cov, issue, n):
    """scipy's pcov: inf when the covariance cannot be estimated, with an OptimizeWarning that
    says which parameter and why (also for a partial covariance)."""
    if cov is None:
        warnings.warn("Covariance of the parameters could not be estimated: " + (issue or ""),
                      OptimizeWarning, stacklevel=3)
        return np.full((n, n), np.inf)
    if issue:
        warnings.warn(issue, OptimizeWarning, stacklevel=3)
    return cov


# ------------------------------------------------------------------------------------------
# least_squares
# ------------------------------------------------------------------------------------------


def least_squares(fun, x0, jac="2-point", bounds=(-np.inf, np.inf), method="lm", ftol=None, xtol=None,
                  gtol=None, x_scale=None, loss="linear", f_scale=1.0, diff_step=None, max_nfev=None,
                  args=(), kwargs=None, *, xdata=None, ydata=None, sigma=None, absolute_sigma=False,
                  geodesic=False, laplace=False, factor=None, callback=None, params=None):
    """Minimise ½ Σ ρ(r_i(p)²), as ``scipy.optimize.least_squares``, and return a
    :class:`LeastSquaresResult` (scipy's fields plus the covariance and fit statistics).

    ``fun`` is a callable ``fun(p, *args, **kwargs)`` returning the residual vector (``jac`` a
    callable returning its Jacobian, or "2-point"/"3-point"), or a model of data: a formula
    string (parameters ordered by ``params``, else by appearance) or :class:`inferkit.Model`
    with ``xdata``, ``ydata`` and optional ``sigma``, whose
    residuals are (f(x; p) − y)/σ with the exact Jacobian. Options as scipy (defaults: tolerances
    1e-15; ``x_scale`` None or "jac" scales by the Jacobian's column norms), plus ``geodesic``
    (Transtrum-Sethna acceleration), ``laplace`` (the full-Hessian covariance ``laplace_cov``),
    ``factor`` (initial trust radius) and ``callback(iteration, p, cost)`` (a true return stops).
    The covariance ``cov`` is scaled by χ²/dof unless ``absolute_sigma``.
    """
    kwargs = kwargs or {}
    options = dict(method=method, ftol=ftol, xtol=xtol, gtol=gtol, max_nfev=max_nfev, loss=loss,
                   f_scale=f_scale, x_scale=x_scale, geodesic=geodesic, laplace=laplace, factor=factor)
    if isinstance(fun, (str, Model)):
        if xdata is None or ydata is None:
            raise InvalidArgumentError("fun is a model of data: give xdata and ydata")
        model = _formula(fun, _inputs_for(fun, xdata, None), params) if isinstance(fun, str) else fun
        problem = _model_problem(model, xdata)
        y = np.ascontiguousarray(ydata, dtype=np.float64).reshape(-1)
        weights = None if sigma is None else np.ascontiguousarray(sigma, dtype=np.float64).reshape(-1)
        return _run_fit(problem, y, weights, absolute_sigma, x0, bounds, options, callback)
    if not callable(fun):
        raise InvalidArgumentError(f"fun is {fun!r}: use a callable, a formula string or an inferkit.Model")
    x0 = np.atleast_1d(np.asarray(x0, dtype=np.float64))

    def residuals(p):
        return fun(p, *args, **kwargs)

    m = np.atleast_1d(np.asarray(residuals(x0.copy()), dtype=np.float64)).reshape(-1).shape[0]
    jacobian = None
    if callable(jac):
        def jacobian(p):
            return jac(p, *args, **kwargs)
    elif jac not in ("2-point", "3-point", "cs"):
        raise InvalidArgumentError(f"jac is {jac!r}: use a callable, '2-point' or '3-point'")
    cb = CallbackModel(residuals, x0.shape[0], m, jac=jacobian, diff="3-point" if jac == "3-point" else "2-point",
                       diff_step=diff_step)
    problem = _Problem(cb._handle, None, m, tuple(f"p{j}" for j in range(x0.shape[0])), cb, cb.check)
    return _run_fit(problem, None, None, absolute_sigma, x0, bounds, options, callback)


# ------------------------------------------------------------------------------------------
# fit_many
# ------------------------------------------------------------------------------------------


class BatchFitResult:
    """The result of :func:`fit_many`, one row per spectrum.

    ``params`` (spectra, n), ``cov`` (spectra, n, n; NaN where a row has none), ``stderr``,
    ``chi2`` (NaN for failed rows), ``status`` (0 = ``IK_OK`` or the status code of the row's
    error), ``termination`` (``IK_NLLS_*``, 0 for failed rows), ``nfev``, ``success`` (a row
    converged), ``messages`` (each row's error or stopping reason) and ``names``.
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        return f"<BatchFitResult: {self.params.shape[0]} spectra, {int(self.success.sum())} converged>"


def fit_many(model, x, Y, p0, sigma=None, n_threads=0, absolute_sigma=False, bounds=(-np.inf, np.inf),
             **options):
    """Fit one model to every row of ``Y`` (spectra × points) in one call across threads
    (``n_threads``, 0 = all cores; results identical for any count).

    ``model`` is a formula string or :class:`inferkit.Model`; ``x`` the points, shared (n,) or
    per row (spectra, n) for a one-input model; ``p0`` (n_params,) shared or (spectra,
    n_params); ``sigma`` None, (n,) shared or (spectra, n). Options as :func:`least_squares`
    (``method``, ``ftol``, ``xtol``, ``gtol``, ``max_nfev``, ``loss``, ``f_scale``, ``x_scale``,
    ``factor``). A row that fails (NaN in it) has its ``status``; the others are unaffected.
    """
    if isinstance(model, str):
        model = _formula(model, ("x",))
    if not isinstance(model, Model):
        raise InvalidArgumentError(f"model is {model!r}: fit_many takes a formula string or an inferkit.Model")
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    if Y.ndim != 2:
        raise DimensionError(f"Y must be 2-D (spectra, points), but it has shape {Y.shape}")
    rows, m = Y.shape
    n = len(model.params)
    k = len(model.inputs)
    xa = np.ascontiguousarray(x, dtype=np.float64)
    x_per_row = 0
    if k == 1 and xa.ndim == 2 and xa.shape == (rows, m):
        x_per_row = 1
    elif k == 1 and xa.shape != (m,):
        raise DimensionError(f"x has shape {xa.shape}: use ({m},) shared or ({rows}, {m}) per spectrum")
    elif k > 1:
        xa, count, _ = model._x(x)
        if count != m:
            raise DimensionError(f"x has {count} points but Y has {m} per spectrum")
    p0a = np.ascontiguousarray(p0, dtype=np.float64)
    p0_per_row = 1 if p0a.ndim == 2 else 0
    if p0a.shape not in ((n,), (rows, n)):
        raise DimensionError(f"p0 has shape {p0a.shape}: use ({n},) or ({rows}, {n})")
    sigma_per_row = 0
    s = None
    if sigma is not None:
        s = np.ascontiguousarray(sigma, dtype=np.float64)
        if s.shape == (rows, m):
            sigma_per_row = 1
        elif s.shape != (m,):
            raise DimensionError(f"sigma has shape {s.shape}: use ({m},) or ({rows}, {m})")
    lower, upper = _bounds(bounds, n)
    opts, keep = _options(n_params=n, n_threads=n_threads, **options)
    batch = _BATCH_P()
    check(lib.ik_nlls_fit_batch(model._handle, _pointer(xa), m, x_per_row, _pointer(Y), rows, _pointer(s),
                                sigma_per_row, _capi.IK_SIGMA_ABSOLUTE if absolute_sigma else _capi.IK_SIGMA_RELATIVE,
                                _pointer(p0a), p0_per_row, n, _pointer(lower), _pointer(upper), ctypes.byref(opts),
                                ctypes.byref(batch)))
    del keep
    try:
        params = _get(lib.ik_nlls_batch_params, batch, rows * n).reshape(rows, n)
        cov = _get(lib.ik_nlls_batch_covariance, batch, rows * n * n).reshape(rows, n, n)
        chi2 = _get(lib.ik_nlls_batch_chi2, batch, rows)
        status = _get(lib.ik_nlls_batch_status, batch, rows, np.int32)
        termination = _get(lib.ik_nlls_batch_termination, batch, rows, np.int32)
        nfev = np.empty(rows, dtype=np.int64)
        check(lib.ik_nlls_batch_nfev(batch, nfev.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), rows))
        messages = [lib.ik_nlls_batch_message(batch, r).decode("utf-8") for r in range(rows)]
    finally:
        lib.ik_nlls_batch_free(batch)
    success = (status == 0) & (((termination >= 1) & (termination <= 4)) | (termination == 6))
    with np.errstate(invalid="ignore"):
        stderr = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    return BatchFitResult(params=params, cov=cov, stderr=stderr, chi2=chi2, status=status,
                          termination=termination, nfev=nfev, success=success, messages=messages,
                          names=model.params)
