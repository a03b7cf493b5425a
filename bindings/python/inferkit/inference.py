"""Bayesian posteriors, Laplace's method and log-probabilities: :class:`Posterior`,
:func:`laplace`, and ``_as_logprob`` (what the samplers draw from).

A posterior is built from a model of data (a formula string, an :class:`inferkit.Model` or a
callable ``f(x, *params)``), the data and a likelihood, with priors given per parameter name as
``(kind, *args)``::

    post = inferkit.Posterior("A*exp(-0.5*((x-mu)/sig)^2) + B", x, y, sigma=dy,
                              priors={"sig": ("lognormal", np.log(0.1), 1.0), "B": ("uniform", -1, 2)})
    post.param_names, post.ndim              # ('A', 'mu', 'sig', 'B'), 4
    post.log_prob(p), post.log_prob(P)       # one point, or k points as a (k, ndim) array
    post.grad_log_prob(p)                    # exact for formulas
    res = inferkit.laplace(post, p0)         # res.map, res.cov, res.stderr, res.corr, res.log_evidence

Likelihoods: ``"gaussian"`` (known ``sigma``, or ``free_sigma=True`` / a name for a free noise
scale), ``"poisson"`` (counts, no sigma), ``"student_t"`` (``nu=4.0`` fixed, or a name for a free
ν; ``free_sigma`` as for Gaussian) and ``"formula"`` (``log_likelihood="-abs(f - y)/b -
log(2*b)"``, a per-point formula of the model value ``f``, ``y`` and ``s`` = σ_i whose other
names become parameters), or a callable ``likelihood(f, y, s, *eta)`` returning the per-point
log-likelihoods, with ``likelihood_params=("b",)`` naming η (derivatives by differences).
Prior kinds (scipy.stats equivalents): ``("uniform", lo, hi)``,
``("normal", mean, sd)``, ``("lognormal", mu, s)`` (log θ ~ N(mu, s²)), ``("halfnormal", sd)``,
``("loguniform", lo, hi)``, ``("flat", lo, hi)`` (density 1, improper unless bounded; ``("flat",)``
is the whole real line). ``log_prior=`` adds a joint log-prior, a formula of the parameter names
or a callable ``log_prior(p)``. Everything is normalised, so that ``laplace(...).log_evidence``
is the marginal likelihood when every prior is proper (``evidence_is_proper``).

For a Gaussian likelihood with known σ and flat priors, Laplace's covariance is the inverse of
the full Hessian of χ²/2: it equals ``curve_fit(..., absolute_sigma=True)``'s Gauss-Newton
covariance (JᵀWJ)⁻¹ where the residuals vanish, and differs from it by the term
Σ r_i/σ_i ∂²f_i otherwise (0.45 % in the variances on the lecture's peak with 200 points).
``laplace(post, p0, hessian="fisher")`` uses the likelihood's expected (Fisher) information
instead, JᵀWJ for a Gaussian likelihood, and then equals curve_fit's covariance on any data.
"""

import ctypes

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer, vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib
from .model import Model, _encode
from .nonlinear import OptimizeResult, _curve_problem
from .optimize import _method, _minimize_options

__all__ = ["Posterior", "LaplaceResult", "laplace", "LIKELIHOODS", "PRIORS"]

_POSTERIOR_P = ctypes.POINTER(_capi.ik_posterior_t)
_LAPLACE_P = ctypes.POINTER(_capi.ik_laplace_result_t)
_LOGPROB_P = ctypes.POINTER(_capi.ik_logprob_t)

#: Likelihood names -> ``IK_LIKELIHOOD_*`` (the free-sigma variants are chosen by ``free_sigma``).
LIKELIHOODS = {
    "gaussian": _capi.IK_LIKELIHOOD_GAUSSIAN,
    "normal": _capi.IK_LIKELIHOOD_GAUSSIAN,
    "poisson": _capi.IK_LIKELIHOOD_POISSON,
    "student_t": _capi.IK_LIKELIHOOD_STUDENT_T,
    "student-t": _capi.IK_LIKELIHOOD_STUDENT_T,
    "studentt": _capi.IK_LIKELIHOOD_STUDENT_T,
    "t": _capi.IK_LIKELIHOOD_STUDENT_T,
    "formula": _capi.IK_LIKELIHOOD_FORMULA,
}

#: Prior kinds -> (``IK_PRIOR_*``, names of its arguments).
PRIORS = {
    "uniform": (_capi.IK_PRIOR_UNIFORM, ("lower", "upper")),
    "normal": (_capi.IK_PRIOR_NORMAL, ("mean", "sigma")),
    "gaussian": (_capi.IK_PRIOR_NORMAL, ("mean", "sigma")),
    "lognormal": (_capi.IK_PRIOR_LOGNORMAL, ("mu", "sigma")),
    "log-normal": (_capi.IK_PRIOR_LOGNORMAL, ("mu", "sigma")),
    "halfnormal": (_capi.IK_PRIOR_HALFNORMAL, ("sigma",)),
    "half-normal": (_capi.IK_PRIOR_HALFNORMAL, ("sigma",)),
    "loguniform": (_capi.IK_PRIOR_LOGUNIFORM, ("lower", "upper")),
    "log-uniform": (_capi.IK_PRIOR_LOGUNIFORM, ("lower", "upper")),
    "jeffreys": (_capi.IK_PRIOR_LOGUNIFORM, ("lower", "upper")),
    "flat": (_capi.IK_PRIOR_FLAT, ("lower", "upper")),
}

_SPACES = {"constrained": _capi.IK_SPACE_CONSTRAINED, "unconstrained": _capi.IK_SPACE_UNCONSTRAINED}


def _param_names(function, handle, n):
    """The n parameter names of a handle through ``ik_*_param_name``."""
    names = []
    size = 256
    for j in range(n):
        while True:
            buffer = ctypes.create_string_buffer(size)
            status = function(handle, j, buffer, size)
            if status == _capi.IK_ERR_DIMENSION:
                size *= 4
                continue
            check(status)
            break
        names.append(buffer.value.decode("utf-8"))
    return tuple(names)


def _points(p, ndim, name="p"):
    """p as a contiguous float64 array of one point (ndim,) or k points (k, ndim), and whether it
    was one point."""
    array = np.ascontiguousarray(p, dtype=np.float64)
    if array.ndim == 1:
        if array.shape[0] != ndim:
            raise DimensionError(f"{name} has {array.shape[0]} values but the log-probability has {ndim} parameters")
        return array.reshape(1, ndim), True
    if array.ndim == 2:
        if array.shape[1] != ndim:
            raise DimensionError(f"{name} has shape {array.shape} but the log-probability has {ndim} parameters: "
                                 f"pass ({ndim},) or (k, {ndim})")
        return array, False
    raise DimensionError(f"{name} must be 1-D or 2-D, but it has shape {array.shape}")


# ------------------------------------------------------------------------------------------
# Log-probability handles (ik_logprob_t)
# ------------------------------------------------------------------------------------------


class _LogProb:
    """A live ``ik_logprob_t`` with everything it needs kept alive: ``handle`` (for the C
    calls), ``ndim``, ``param_names``, ``exact_gradient``, and :meth:`check`, which re-raises
    the exception a Python callable raised inside a callback (the callback itself returned
    non-zero, so no Python exception ever crosses into C)."""

    def __init__(self, handle, owner=None, callbacks=()):
        self.handle = handle
        self.owner = owner            # a Posterior (or anything else the handle depends on)
        self._callbacks = callbacks   # the ctypes function objects: must outlive the handle
        self.error = None
        # A Python callable's blobs (emcee's extra return values) go to blob_sink(point, blobs)
        # when a sampler sets one.
        self.blob_sink = None
        n = ctypes.c_size_t()
        check(lib.ik_logprob_n_dim(handle, ctypes.byref(n)))
        self.ndim = n.value
        exact = ctypes.c_int32()
        check(lib.ik_logprob_has_exact_gradient(handle, ctypes.byref(exact)))
        self.exact_gradient = bool(exact.value)
        self.param_names = _param_names(lib.ik_logprob_param_name, handle, self.ndim)

    def check(self, status):
        """Raise the callable's own exception when it stopped the call, else ``check(status)``."""
        if status == _capi.IK_ERR_CALLBACK and self.error is not None:
            error, self.error = self.error, None
            raise error
        self.error = None
        check(status)

    def log_prob(self, p):
        """log p at one point (a float) or at k points ((k, ndim) -> (k,) array)."""
        points, single = _points(p, self.ndim)
        out = np.empty(points.shape[0])
        self.check(lib.ik_logprob_eval(self.handle, _pointer(points), points.shape[0], self.ndim, _pointer(out)))
        return float(out[0]) if single else out

    def value_and_grad(self, p):
        """(log p, gradient) at one point."""
        p = _vector("p", p)
        if p.shape[0] != self.ndim:
            raise DimensionError(f"p has {p.shape[0]} values but the log-probability has {self.ndim} parameters")
        value = ctypes.c_double()
        gradient = np.empty(self.ndim)
        self.check(lib.ik_logprob_grad(self.handle, _pointer(p), self.ndim, ctypes.byref(value), _pointer(gradient)))
        return value.value, gradient

    def _map(self, function, p, name):
        points, single = _points(p, self.ndim, name)
        out = np.empty_like(points)
        check(function(self.handle, _pointer(points), points.shape[0], self.ndim, _pointer(out)))
        return out[0] if single else out

    def constrain(self, u):
        """θ = T(u) (the identity unless this is a posterior in the unconstrained space)."""
        return self._map(lib.ik_logprob_constrain, u, "u")

    def unconstrain(self, theta):
        """u = T⁻¹(θ); InvalidArgumentError for θ on or outside a bound of its support."""
        return self._map(lib.ik_logprob_unconstrain, theta, "theta")

    def __del__(self, _free=lib.ik_logprob_free):
        handle = getattr(self, "handle", None)
        if handle:
            self.handle = None
            _free(handle)


#: ``ik_logprob_fn`` with its pointers as addresses (ints), which ctypes converts faster.
_RAW_LOGPROB_FN = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t,
                                   ctypes.c_void_p, ctypes.c_void_p)
#: Result types stored as they are (everything else goes through ``_scalar``).
_FLOATS = (float, np.float64)


def _scalar(result):
    """One log-probability from a callable's result: emcee's ``(log_prob, blobs)`` gives its
    first item; anything else must convert to one float64 (a 0-d or 1-element array)."""
    if isinstance(result, tuple):
        result = result[0]
    return float(np.asarray(result, dtype=np.float64).reshape(()))


def _callable_logprob(fn, ndim, args, kwargs, vectorize, grad):
    """A Python callable as an ``ik_logprob_t`` of ndim parameters."""
    holder = {}

    def values_of(points):
        if vectorize:
            result = fn(points, *args, **kwargs)
            if isinstance(result, tuple):  # emcee's (log_prob, blobs)
                result = result[0]
            values = np.asarray(result, dtype=np.float64).reshape(-1)
            if values.shape[0] != points.shape[0]:
                raise DimensionError(f"the vectorised log-probability returned {values.shape[0]} values for "
                                     f"{points.shape[0]} points")
            return values
        values = np.empty(points.shape[0])
        for i in range(points.shape[0]):
            values[i] = _scalar(fn(points[i].copy(), *args, **kwargs))
        return values

    # The sampler passes the same buffers batch after batch: numpy views of them are made once
    # per (address, shape) and reused, instead of a ctypes cast and as_array per batch.
    views = {}

    def view_of(address, shape):
        key = (address, shape)
        v = views.get(key)
        if v is None:
            if len(views) > 8:
                views.clear()
            v = np.frombuffer((ctypes.c_double * (shape[0] * shape[1])).from_address(address),
                              dtype=np.float64).reshape(shape)
            views[key] = v
        return v

    def evaluate(points, n_points, n_dim, out, user):
        try:
            if n_points == 0:
                return 0
            # A copy of the block per batch: the callable may keep its point (each row is a view
            # of this fresh array, as emcee passes rows of its own).
            block = view_of(points, (n_points, n_dim)).copy()
            target = view_of(out, (n_points, 1))
            if vectorize:
                target[:, 0] = values_of(block)
                return 0
            f, a, lp = fn, args, holder["lp"]
            for i, row in enumerate(block):
                r = f(row, *a, **kwargs) if kwargs else f(row, *a)
                if type(r) in _FLOATS:
                    target[i, 0] = r
                    continue
                target[i, 0] = _scalar(r)
                # emcee's blobs: everything after log p, kept with the point for the sampler.
                if type(r) is tuple and len(r) > 1 and lp.blob_sink is not None:
                    lp.blob_sink(row, r[1:])
            return 0
        except BaseException as error:  # noqa: BLE001 - re-raised by _LogProb.check
            if holder["lp"].error is None:
                holder["lp"].error = error
            return 1

    def gradient(p, n_dim, value, out, user):
        try:
            point = np.ctypeslib.as_array(p, shape=(n_dim,)).copy()
            g = np.ascontiguousarray(grad(point, *args, **kwargs), dtype=np.float64).reshape(-1)
            if g.shape[0] != n_dim:
                raise DimensionError(f"the gradient function returned {g.shape[0]} values but {n_dim} are needed")
            value[0] = values_of(point.reshape(1, n_dim))[0]
            ctypes.memmove(out, g.ctypes.data, n_dim * 8)
            return 0
        except BaseException as error:  # noqa: BLE001
            if holder["lp"].error is None:
                holder["lp"].error = error
            return 1

    # The batch callback takes its pointers as plain addresses (c_void_p: no POINTER objects
    # per call), cast to the header's type for the C call; both objects are kept alive.
    raw_c = _RAW_LOGPROB_FN(evaluate)
    fn_c = ctypes.cast(raw_c, _capi.ik_logprob_fn)
    grad_c = _capi.ik_logprob_grad_fn(gradient) if grad is not None else _capi.ik_logprob_grad_fn()
    handle = _LOGPROB_P()
    check(lib.ik_logprob_create_callback(ndim, fn_c, grad_c, None, ctypes.byref(handle)))
    lp = _LogProb(handle, owner=fn, callbacks=(fn_c, grad_c, raw_c))
    holder["lp"] = lp
    return lp


def _as_logprob(log_prob_fn, params=None, args=(), kwargs=None, vectorize=False, *, ndim=None, grad=None,
                space="constrained"):
    """A live log-probability handle (:class:`_LogProb`) for the samplers.

    ``log_prob_fn`` is
      - a :class:`Posterior` (``space`` "constrained", or "unconstrained" for samplers that move on
        ℝⁿ: log/logit transforms with their Jacobian; map back with ``.constrain``);
      - a formula string of the parameters (ordered by ``params``, else by first appearance),
        with its exact gradient;
      - a Python callable ``log_prob_fn(p, *args, **kwargs)`` returning log p at one point (or,
        with ``vectorize=True``, at the rows of a (k, ndim) array, as emcee's ``vectorize``); a
        returned tuple is taken as emcee's ``(log_prob, blobs)``. Its dimension is ``ndim`` or
        ``len(params)``; ``grad(p, *args, **kwargs)`` (optional) returns its gradient, otherwise
        gradients are central differences.
    An exception raised by the callable makes the callback return non-zero; ``.check(status)``
    re-raises it after the C call returns.
    """
    kwargs = kwargs or {}
    args = args if isinstance(args, tuple) else tuple(args)
    if space not in _SPACES:
        raise InvalidArgumentError(f"space is {space!r}: use 'constrained' or 'unconstrained'")
    if isinstance(log_prob_fn, Posterior):
        if args or kwargs:
            raise InvalidArgumentError("args and kwargs are given but log_prob_fn is a Posterior: it takes none")
        return log_prob_fn._logprob(space)
    if isinstance(log_prob_fn, str):
        if args or kwargs:
            raise InvalidArgumentError("args and kwargs are given but log_prob_fn is a formula: it takes none")
        expression = _encode("log_prob_fn", log_prob_fn)
        if params is None:
            names, count = None, 0
        else:
            encoded = [_encode(f"params[{i}]", p) for i, p in enumerate(params)]
            names, count = (ctypes.c_char_p * max(len(encoded), 1))(*encoded), len(encoded)
        handle = _LOGPROB_P()
        check(lib.ik_logprob_create_formula(expression, names, count, ctypes.byref(handle)))
        lp = _LogProb(handle)
        if ndim is not None and int(ndim) != lp.ndim:
            raise DimensionError(f"ndim is {ndim} but the formula has {lp.ndim} parameters {lp.param_names}")
        return lp
    if not callable(log_prob_fn):
        raise InvalidArgumentError(
            f"log_prob_fn is {log_prob_fn!r}: use a callable, a formula string or an inferkit.Posterior")
    if ndim is None and params is None:
        raise InvalidArgumentError("log_prob_fn is a callable: give ndim (or params) to say how many parameters it takes")
    n = int(ndim) if ndim is not None else len(params)
    if params is not None and len(params) != n:
        raise DimensionError(f"params names {len(params)} parameters but ndim is {n}")
    if grad is not None and not callable(grad):
        raise InvalidArgumentError(f"grad is {grad!r}: use a callable grad(p, *args, **kwargs) or None")
    lp = _callable_logprob(log_prob_fn, n, args, kwargs, vectorize, grad)
    if params is not None:
        lp.param_names = tuple(str(p) for p in params)
    return lp


# ------------------------------------------------------------------------------------------
# Posterior
# ------------------------------------------------------------------------------------------


def _loglik_callback(fn, holder):
    """A Python per-point log-likelihood ``fn(f, y, s, *eta)`` as an ``ik_loglik_fn``; its
    exception goes into holder["error"] (the first one is kept)."""

    def terms(f, y, s, n, eta, n_eta, out, user):
        try:
            arrays = [np.ctypeslib.as_array(a, shape=(n,)).copy() for a in (f, y, s)]
            extra = np.ctypeslib.as_array(eta, shape=(n_eta,)).copy() if n_eta else ()
            values = np.ascontiguousarray(np.broadcast_to(np.asarray(fn(*arrays, *extra), dtype=np.float64), (n,)))
            ctypes.memmove(out, values.ctypes.data, n * 8)
            return 0
        except BaseException as error:  # noqa: BLE001 - re-raised by Posterior._check
            holder.setdefault("error", error)
            return 1

    return _capi.ik_loglik_fn(terms)


def _prior_spec(name, spec):
    """(IK_PRIOR_*, a, b) from ``(kind, *args)``."""
    if isinstance(spec, str):
        spec = (spec,)
    try:
        kind, *values = spec
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"priors[{name!r}] is {spec!r}: use (kind, *args), e.g. ('normal', 0, 1)") from None
    key = str(kind).lower()
    if key not in PRIORS:
        raise InvalidArgumentError(f"priors[{name!r}] has the kind {kind!r}: use one of "
                                   f"{sorted(k for k in PRIORS if '-' not in k)}")
    code, arg_names = PRIORS[key]
    if key == "flat" and not values:
        values = [-np.inf, np.inf]
    if len(values) != len(arg_names):
        raise InvalidArgumentError(f"priors[{name!r}] = {spec!r}: a {key} prior takes {len(arg_names)} "
                                   f"argument{'s' if len(arg_names) > 1 else ''} ({', '.join(arg_names)}), "
                                   f"got {len(values)}")
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"priors[{name!r}] = {spec!r}: the arguments must be numbers") from None
    return code, numbers[0], numbers[1] if len(numbers) > 1 else 0.0


class Posterior:
    """The posterior density of a model's parameters given data (``ik_posterior_t``).

    ``model``: a formula string (input ``x``, or the names in ``inputs=``; parameters in order of
    appearance unless ``params=``), an :class:`inferkit.Model`, or a callable ``f(x, *params)``
    (give ``p0=`` or a signature with named parameters; ``jac=`` as curve_fit's). ``x``, ``y`` and
    ``sigma`` as curve_fit's ``xdata``, ``ydata`` and ``sigma`` (1-D uncertainties, or one number
    for every point).
    ``likelihood``, ``priors`` and the options ``free_sigma``, ``nu``, ``log_likelihood`` and
    ``log_prior``: see the module's documentation. Parameters: the model's, then the
    likelihood's own (a free scale, a free ν, a likelihood formula's names), in
    :attr:`param_names`. A Posterior is callable: ``post(p)`` is ``post.log_prob(p)``.
    """

    _OPTIONS = {"free_sigma", "nu", "log_likelihood", "likelihood_params", "log_prior", "inputs", "params", "p0", "jac"}

    def __init__(self, model, x, y, sigma=None, likelihood="gaussian", priors=None, **options):
        unknown = set(options) - self._OPTIONS
        if unknown:
            raise TypeError(f"Posterior() got unexpected keyword arguments {sorted(unknown)}")
        y = np.ascontiguousarray(y, dtype=np.float64).reshape(-1)
        if y.shape[0] == 0:
            raise DimensionError("y is empty: a posterior needs at least one data point")
        opts = _capi.ik_posterior_options_t()
        check(lib.ik_posterior_options_default(ctypes.byref(opts)))
        keep = []
        self._likelihood_errors = {}
        self._likelihood_fn = None
        if callable(likelihood):
            key, code = "callback", _capi.IK_LIKELIHOOD_CALLBACK
            names = tuple(options.get("likelihood_params") or ())
            self._likelihood_fn = _loglik_callback(likelihood, self._likelihood_errors)
            opts.log_likelihood_fn = self._likelihood_fn
            if names:
                encoded = [_encode(f"likelihood_params[{i}]", n) for i, n in enumerate(names)]
                keep.append((ctypes.c_char_p * len(encoded))(*encoded))
                opts.log_likelihood_params = keep[-1]
            opts.n_log_likelihood_params = len(names)
        else:
            if options.get("likelihood_params") is not None:
                raise InvalidArgumentError("likelihood_params is given but likelihood is not a callable")
            key = str(likelihood).lower() if isinstance(likelihood, str) else None
            if key not in LIKELIHOODS:
                raise InvalidArgumentError(f"likelihood is {likelihood!r}: use one of 'gaussian', 'poisson', "
                                           "'student_t', 'formula' (with log_likelihood=...) or a callable")
            code = LIKELIHOODS[key]
        free_sigma = options.get("free_sigma", False)
        if free_sigma:
            if code not in (_capi.IK_LIKELIHOOD_GAUSSIAN, _capi.IK_LIKELIHOOD_STUDENT_T):
                raise InvalidArgumentError(f"free_sigma is {free_sigma!r} but the {key} likelihood has no noise scale")
            code += 1  # the *_FREE_SIGMA variant
            if isinstance(free_sigma, str):
                keep.append(_encode("free_sigma", free_sigma))
                opts.scale_name = keep[-1]
        elif code in (_capi.IK_LIKELIHOOD_GAUSSIAN, _capi.IK_LIKELIHOOD_STUDENT_T) and sigma is None:
            raise InvalidArgumentError(f"sigma is None but the {key} likelihood with known sigma needs it: give sigma, "
                                       "or free_sigma=True to estimate a common noise scale")
        nu = options.get("nu", 4.0)
        if isinstance(nu, str):
            opts.nu_free = 1
            keep.append(_encode("nu", nu))
            opts.nu_name = keep[-1]
        else:
            opts.nu = float(nu)
        if code == _capi.IK_LIKELIHOOD_FORMULA:
            formula = options.get("log_likelihood")
            if formula is None:
                raise InvalidArgumentError("likelihood is 'formula' but log_likelihood is None: give the per-point "
                                           "formula of f, y and s, e.g. log_likelihood='-abs(f - y)/b - log(2*b)'")
            keep.append(_encode("log_likelihood", formula))
            opts.log_likelihood = keep[-1]
        elif options.get("log_likelihood") is not None:
            raise InvalidArgumentError(f"log_likelihood is given but likelihood is {likelihood!r}: use likelihood='formula'")
        if sigma is not None:
            if np.ndim(sigma) == 0:  # one uncertainty for every point
                sigma = np.full(y.shape[0], float(sigma))
            sigma = np.ascontiguousarray(sigma, dtype=np.float64)
            if sigma.ndim != 1 or sigma.shape[0] != y.shape[0]:
                raise DimensionError(f"sigma has shape {sigma.shape} but y has {y.shape[0]} values")
        problem = _curve_problem(model, x, y, options.get("p0"), options.get("jac"), options.get("inputs"), None,
                                 "3-point", options.get("params"))
        self._problem = problem
        n_inputs = len(problem.owner.inputs) if isinstance(problem.owner, Model) else 0
        if problem.points is not None and problem.n != y.shape[0]:
            raise DimensionError(f"x has {problem.n} points but y has {y.shape[0]} values")
        handle = _POSTERIOR_P()
        status = lib.ik_posterior_create(problem.handle, _pointer(problem.points), y.shape[0], n_inputs, _pointer(y),
                                         _pointer(sigma), code, ctypes.byref(opts), ctypes.byref(handle))
        del keep
        problem.check(status)
        self._handle = handle
        n = ctypes.c_size_t()
        check(lib.ik_posterior_n_params(handle, ctypes.byref(n)))
        #: Parameter names, in the order of every parameter vector.
        self.param_names = _param_names(lib.ik_posterior_param_name, handle, n.value)
        #: Number of parameters.
        self.ndim = n.value
        self.likelihood = key
        self.priors = {}
        for name, spec in (priors or {}).items():
            kind, a, b = _prior_spec(name, spec)
            check(lib.ik_posterior_set_prior(handle, _encode("priors", name), kind, a, b))
            self.priors[name] = spec
        self._log_prior = None
        log_prior = options.get("log_prior")
        if isinstance(log_prior, str):
            check(lib.ik_posterior_set_log_prior_formula(handle, _encode("log_prior", log_prior)))
        elif log_prior is not None:
            if not callable(log_prior):
                raise InvalidArgumentError(f"log_prior is {log_prior!r}: use a formula string or a callable log_prior(p)")
            self._log_prior = _callable_logprob(log_prior, self.ndim, (), {}, False, None)
            fn_c = self._log_prior._callbacks[0]
            check(lib.ik_posterior_set_log_prior_callback(handle, fn_c, _capi.ik_logprob_grad_fn(), None))
        self._spaces = {}

    def _check(self, status):
        """Re-raise an exception of the Python model or log-prior behind a callback status."""
        if status == _capi.IK_ERR_CALLBACK and "error" in self._likelihood_errors:
            raise self._likelihood_errors.pop("error")
        if status == _capi.IK_ERR_CALLBACK and self._log_prior is not None and self._log_prior.error is not None:
            self._log_prior.check(status)
        self._problem.check(status)

    def _logprob(self, space="constrained"):
        """The posterior as a (cached) :class:`_LogProb` in ``space``."""
        lp = self._spaces.get(space)
        if lp is None:
            if space not in _SPACES:
                raise InvalidArgumentError(f"space is {space!r}: use 'constrained' or 'unconstrained'")
            handle = _LOGPROB_P()
            check(lib.ik_logprob_create_posterior(self._handle, _SPACES[space], ctypes.byref(handle)))
            lp = _LogProb(handle, owner=self)
            lp.check = self._check  # the model's and log-prior's Python exceptions
            self._spaces[space] = lp
        return lp

    def log_prob(self, p):
        """log p(θ | y) (up to the evidence) at one point (a float; −inf outside the support) or
        at the k rows of a (k, ndim) array (a (k,) array)."""
        points, single = _points(p, self.ndim)
        if single:
            value = ctypes.c_double()
            self._check(lib.ik_posterior_log_prob(self._handle, _pointer(points), self.ndim, ctypes.byref(value), None))
            return value.value
        return self._logprob().log_prob(points)

    __call__ = log_prob

    def grad_log_prob(self, p):
        """The gradient of log p at one point ((ndim,)), or at k points ((k, ndim))."""
        points, single = _points(p, self.ndim)
        out = np.empty_like(points)
        value = ctypes.c_double()
        for i in range(points.shape[0]):
            row = np.ascontiguousarray(points[i])
            self._check(lib.ik_posterior_log_prob(self._handle, _pointer(row), self.ndim, ctypes.byref(value),
                                                  _pointer(out[i])))
        return out[0] if single else out

    def value_and_grad(self, p):
        """(log p, gradient) at one point."""
        points, _ = _points(_vector("p", p), self.ndim)
        out = np.empty(self.ndim)
        value = ctypes.c_double()
        self._check(lib.ik_posterior_log_prob(self._handle, _pointer(points), self.ndim, ctypes.byref(value),
                                              _pointer(out)))
        return value.value, out

    def __del__(self, _free=lib.ik_posterior_free):
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        return f"<Posterior {self.likelihood}, params={self.param_names}, priors={self.priors}>"


# ------------------------------------------------------------------------------------------
# Laplace's method
# ------------------------------------------------------------------------------------------


class LaplaceResult(OptimizeResult):
    """The result of :func:`laplace`.

    ``map`` (also ``x``) the MAP θ*, ``log_posterior`` log p(θ*), ``hess`` the Hessian of −log p
    there (``hessian_kind`` "observed" or "fisher", as asked), ``cov`` its inverse (None when it is not positive definite or the MAP is at a
    support's edge: ``cov_issue`` says why and ``issue_param`` names the parameter), ``stderr``,
    ``corr``, ``log_evidence`` (None without a covariance) and ``evidence_is_proper`` (every
    prior proper), ``issues`` (every warning, a list of sentences), ``param_names``, and the
    optimiser's ``success``, ``status`` (``IK_MINIMIZE_*``), ``message``, ``nit`` and ``nfev``.
    """

    _shown = ("map", "log_posterior", "log_evidence", "success", "message")


def _get(function, handle, count):
    out = np.empty(count)
    check(function(handle, _pointer(out), count))
    return out


_LAPLACE_HESSIANS = {"observed": _capi.IK_LAPLACE_HESSIAN_OBSERVED, "fisher": _capi.IK_LAPLACE_HESSIAN_FISHER}


def laplace(posterior, p0, method=None, tol=None, options=None, hessian="observed"):
    """Laplace's method: the MAP by the optimisers from ``p0``, then the Gaussian approximation
    N(θ*, H⁻¹) and the evidence log Z ≈ log p(θ*) + (n/2) log 2π − ½ log det H. Returns a
    :class:`LaplaceResult`.

    ``hessian`` chooses H: ``"observed"`` (default) the full Hessian −∇² log p(θ*) (exact for
    formula models, what ``jax.hessian`` gives); ``"fisher"`` the likelihood's expected (Fisher)
    information at θ* plus the observed Hessian of −log prior, which for a Gaussian likelihood
    with known σ is JᵀWJ, so that with flat priors ``cov`` is ``scipy.optimize.curve_fit``'s
    ``absolute_sigma=True`` covariance (Gaussian, Poisson and Student-t likelihoods only). The
    evidence uses the chosen H's determinant; the MAP does not depend on it.

    ``method`` None (Newton with the exact Hessian for formula models, L-BFGS-B within the
    supports otherwise) or a name of :func:`inferkit.minimize`; ``tol`` and ``options`` as there.
    A covariance that cannot be computed is not an error: ``cov`` is None and ``cov_issue`` says
    why. Raises :class:`inferkit.InvalidArgumentError` for a ``p0`` outside a prior's support
    (naming the parameter and value), for an unknown ``hessian`` and for ``hessian="fisher"``
    with a formula or callable likelihood, :class:`inferkit.DimensionError` for a wrong length.
    """
    if not isinstance(posterior, Posterior):
        raise InvalidArgumentError(f"posterior is {posterior!r}: use an inferkit.Posterior")
    if not isinstance(hessian, str) or hessian not in _LAPLACE_HESSIANS:
        raise InvalidArgumentError(f"hessian is {hessian!r}: use 'observed' (the full Hessian of -log p) or 'fisher' "
                                   "(the expected information plus the priors' Hessian)")
    p0 = _vector("p0", np.atleast_1d(np.asarray(p0, dtype=np.float64)))
    n = posterior.ndim
    if p0.shape[0] != n:
        raise DimensionError(f"p0 has {p0.shape[0]} values but the posterior has {n} parameters {posterior.param_names}")
    opts = _capi.ik_laplace_options_t()
    check(lib.ik_laplace_options_default(ctypes.byref(opts)))
    opts.hessian = _LAPLACE_HESSIANS[hessian]
    keep = None
    if method is not None or tol is not None or options:
        method_value = -1
        if method is not None:
            _, method_value = _method(method, False)
        minimize_opts, keep = _minimize_options(method_value, n, tol, options)
        opts.method = method_value
        opts.minimize = ctypes.pointer(minimize_opts)
    result = _LAPLACE_P()
    status = lib.ik_laplace(posterior._handle, _pointer(p0), n, ctypes.byref(opts), ctypes.byref(result))
    del keep
    posterior._check(status)
    try:
        info = _capi.ik_laplace_info_t()
        info.struct_size = ctypes.sizeof(info)
        check(lib.ik_laplace_result_info(result, ctypes.byref(info)))
        cov = stderr = corr = None
        if info.has_covariance:
            cov = _get(lib.ik_laplace_result_covariance, result, n * n).reshape(n, n)
            stderr = _get(lib.ik_laplace_result_stderr, result, n)
            corr = _get(lib.ik_laplace_result_correlation, result, n * n).reshape(n, n)
        issues = lib.ik_laplace_result_issues(result).decode("utf-8")
        theta = _get(lib.ik_laplace_result_map, result, n)
        return LaplaceResult(
            map=theta, x=theta, log_posterior=info.log_posterior,
            hess=_get(lib.ik_laplace_result_hessian, result, n * n).reshape(n, n), hessian_kind=hessian,
            cov=cov, stderr=stderr, corr=corr,
            log_evidence=None if not info.has_covariance else float(info.log_evidence),
            evidence_is_proper=bool(info.evidence_is_proper),
            cov_issue=lib.ik_laplace_result_covariance_issue(result).decode("utf-8") or None,
            issue_param=None if info.issue_param < 0 else posterior.param_names[info.issue_param],
            issues=issues.split("\n") if issues else [],
            success=bool(info.converged), status=int(info.status),
            message=lib.ik_laplace_result_message(result).decode("utf-8"),
            nit=int(info.iterations), nfev=int(info.nfev), param_names=posterior.param_names,
        )
    finally:
        lib.ik_laplace_result_free(result)
