"""Hamiltonian Monte Carlo with the No-U-Turn criterion: :class:`NUTSSampler` (Stan's NUTS).

The sampler draws from a log-probability with its gradient: an :class:`inferkit.Posterior`
(sampled in the unconstrained space of its bounded parameters, draws returned in the
parameters' own space), a formula string (exact gradient by automatic differentiation;
parameters in order of appearance unless ``params`` names them), or a Python callable::

    sampler = inferkit.NUTSSampler("-0.5*(x^2 + (y - x)^2/0.1)")
    draws = sampler.sample(num_warmup=1000, num_samples=1000, num_chains=4, seed=1)
    draws.shape                       # (4, 1000, 2): (chains, draws, ndim), ArviZ's layout
    sampler.divergences, sampler.step_size, sampler.inv_metric, sampler.num_gradient_evals

    def logp_and_grad(p):             # a callable returns (log p, gradient) ...
        return -0.5 * p @ p, -p
    inferkit.NUTSSampler(logp_and_grad, ndim=3)
    inferkit.NUTSSampler(lambda p: -0.5 * p @ p, ndim=3, grad=lambda p: -p)   # ... or takes grad=
    inferkit.NUTSSampler(lambda p: -0.5 * p @ p, ndim=3, grad=False)  # central differences

Warm-up follows Stan: dual averaging of the step size towards ``target_accept`` and windowed
adaptation of a diagonal (``metric="diag"``) or dense (``"dense"``) inverse metric. Chains run in
parallel threads (``n_threads``, 0 = all cores) and are bit-identical for any thread count with
one ``seed``. :meth:`NUTSSampler.get_state` / :meth:`NUTSSampler.set_state` save and restore the
sampler exactly, and :meth:`NUTSSampler.resume` draws more from where the chains stand. Python
callables are called with the GIL held, so they run one at a time whatever ``n_threads`` says.
"""

import ctypes

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib
from ._progress import Progress
from .inference import _as_logprob

__all__ = ["NUTSSampler"]

_NUTS_P = ctypes.POINTER(_capi.ik_nuts_t)
_METRICS = {"unit": _capi.IK_METRIC_UNIT, "identity": _capi.IK_METRIC_UNIT,
            "diag": _capi.IK_METRIC_DIAGONAL, "diagonal": _capi.IK_METRIC_DIAGONAL,
            "dense": _capi.IK_METRIC_DENSE}


_REGULARIZATIONS = {"stan": _capi.IK_METRIC_REGULARIZATION_STAN,
                    "scale-free": _capi.IK_METRIC_REGULARIZATION_SCALE_FREE,
                    "scale_free": _capi.IK_METRIC_REGULARIZATION_SCALE_FREE}


def _value_and_grad_callable(fn):
    """A callable returning (log p, gradient) as the (value, grad) pair that ``_as_logprob``
    takes; each point is evaluated once (the gradient call caches the value for the value call
    at the same point that follows it)."""
    cache = {}

    def split(p, *args, **kwargs):
        result = fn(p, *args, **kwargs)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError("the log-probability callable must return (log_prob, gradient) when grad is not given "
                            "(pass grad=callable, or grad=False for finite differences)")
        return float(np.asarray(result[0], dtype=np.float64).reshape(())), result[1]

    def value(p, *args, **kwargs):
        hit = cache.pop("point", None)
        if hit is not None and np.array_equal(hit[0], p):
            return hit[1]
        return split(p, *args, **kwargs)[0]

    def gradient(p, *args, **kwargs):
        v, g = split(p, *args, **kwargs)
        cache["point"] = (np.array(p, copy=True), v)
        return g

    return value, gradient


class NUTSSampler:
    """Stan's No-U-Turn sampler over ``log_prob`` (see the module's documentation).

    Parameters: ``log_prob`` (a Posterior, a formula string or a callable), ``params`` (the
    formula's parameter order, or the callable's parameter names), ``target_accept`` (warm-up's
    target mean acceptance statistic, 0.8), ``max_tree_depth`` (10: at most 1023 leapfrog steps
    per draw), ``metric`` ("unit", "diag" or "dense"), ``n_threads`` (0: all cores). Keyword
    only: ``ndim`` (a callable's dimension, unless ``params`` gives it), ``grad`` (a callable's
    gradient; None: the callable returns (log p, gradient); False: central differences),
    ``args``/``kwargs`` (extra arguments of the callables), ``initial_step_size`` (0: Stan's
    heuristic), ``max_energy_error`` (1000: a larger energy error is a divergence) and
    ``metric_regularization`` ("scale-free", the default: shrink window estimates towards
    1e-3 diag(S), so the metric does not depend on the parameters' units; or "stan": towards
    1e-3 I, as Stan does, which swamps parameters of variance far below 1e-3, such as a peak
    position known to 1e-4).

    After :meth:`sample` (or :meth:`resume`): :meth:`get_draws` / the returned array,
    :meth:`get_log_prob`, and per chain ``divergences``, ``step_size``, ``num_gradient_evals``,
    ``mean_accept_stat``, ``inv_metric`` ((chains, ndim), or (chains, ndim, ndim) for a dense
    metric), and per draw ``divergent``, ``tree_depth``, ``leapfrog_steps``, ``accept_stat``,
    ``energy`` (each (chains, draws)).
    """

    def __init__(self, log_prob, params=None, target_accept=0.8, max_tree_depth=10, metric="diag", n_threads=0, *,
                 ndim=None, grad=None, args=(), kwargs=None, initial_step_size=0.0, max_energy_error=1000.0,
                 metric_regularization="scale-free"):
        if isinstance(metric, str) and metric.lower() in _METRICS:
            self._metric = _METRICS[metric.lower()]
        else:
            raise InvalidArgumentError(f"metric is {metric!r}: use 'unit', 'diag' or 'dense'")
        if callable(log_prob) and not isinstance(log_prob, str) and type(log_prob).__name__ != "Posterior":
            if grad is None:
                value, gradient = _value_and_grad_callable(log_prob)
                self._lp = _as_logprob(value, params=params, args=args, kwargs=kwargs, ndim=ndim, grad=gradient)
            else:
                self._lp = _as_logprob(log_prob, params=params, args=args, kwargs=kwargs, ndim=ndim,
                                       grad=None if grad is False else grad)
        else:
            self._lp = _as_logprob(log_prob, params=params, args=args, kwargs=kwargs, ndim=ndim)
        self.ndim = self._lp.ndim
        self.param_names = self._lp.param_names
        self.exact_gradient = self._lp.exact_gradient
        self._options = _capi.ik_nuts_options_t()
        check(lib.ik_nuts_options_default(ctypes.byref(self._options)))
        o = self._options
        o.target_accept = float(target_accept)
        o.max_tree_depth = int(max_tree_depth)
        o.metric = self._metric
        o.n_threads = int(n_threads)
        o.initial_step_size = float(initial_step_size)
        o.max_energy_error = float(max_energy_error)
        if metric_regularization not in _REGULARIZATIONS:
            raise InvalidArgumentError(f"metric_regularization is {metric_regularization!r}: use 'stan' or 'scale-free'")
        o.metric_regularization = _REGULARIZATIONS[metric_regularization]
        self._handle = None
        self._chains = 0
        self._thin = 1
        self.stopped_early = False

    # -- running ---------------------------------------------------------------------------

    def _create(self, num_chains, seed, thin):
        if not isinstance(num_chains, (int, np.integer)) or num_chains < 1:
            raise InvalidArgumentError(f"num_chains is {num_chains!r}: it must be an integer >= 1")
        if not isinstance(thin, (int, np.integer)) or thin < 1:
            raise InvalidArgumentError(f"thin is {thin!r}: it must be an integer >= 1")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy) & 0xFFFF_FFFF_FFFF_FFFF
        if not isinstance(seed, (int, np.integer)) or seed < 0 or seed >= 2 ** 64:
            raise InvalidArgumentError(f"seed is {seed!r}: it must be an integer in [0, 2**64)")
        self._options.thin = int(thin)
        handle = _NUTS_P()
        check(lib.ik_nuts_create(self._lp.handle, int(num_chains), int(seed), ctypes.byref(self._options),
                                 ctypes.byref(handle)))
        self._free()
        self._handle = handle
        self._chains = int(num_chains)
        self._thin = int(thin)

    def _run(self, initial, num_warmup, num_samples, progress):
        for name, value in (("num_warmup", num_warmup), ("num_samples", num_samples)):
            if not isinstance(value, (int, np.integer)) or value < 0:
                raise InvalidArgumentError(f"{name} is {value!r}: it must be an integer >= 0")
        pointer = None
        if initial is not None:
            start = np.ascontiguousarray(initial, dtype=np.float64)
            if start.shape == (self.ndim,):
                start = np.ascontiguousarray(np.broadcast_to(start, (self._chains, self.ndim)))
            if start.shape != (self._chains, self.ndim):
                raise DimensionError(f"initial has shape {start.shape} but {self._chains} chains of {self.ndim} "
                                     f"parameters need ({self._chains}, {self.ndim}) (or ({self.ndim},) for all)")
            pointer = _pointer(start)
        bar = Progress(progress, "NUTS")
        if progress:
            self._set_progress(bar.callback)
        try:
            status = lib.ik_nuts_run(self._handle, pointer, self._chains, self.ndim, int(num_warmup), int(num_samples))
        finally:
            bar.close()
            if progress:
                self._set_progress(None)
        self._lp.check(status)
        info = _capi.ik_nuts_info_t()
        info.struct_size = ctypes.sizeof(info)
        check(lib.ik_nuts_info(self._handle, ctypes.byref(info)))
        self._draws = int(info.n_draws)
        self.stopped_early = bool(info.stopped_early)
        self.exact_gradient = bool(info.exact_gradient)
        self._metric_now = int(info.metric)
        return self.get_draws()

    def _set_progress(self, fn):
        check(lib.ik_nuts_set_callbacks(self._handle, fn if fn is not None else _capi.ik_sampling_progress_fn(), None,
                                        _capi.ik_draws_fn(), None))

    def sample(self, num_warmup=1000, num_samples=1000, num_chains=4, seed=None, initial=None, progress=False, thin=1):
        """Fresh chains: ``num_warmup`` warm-up iterations (adaptation, discarded), then
        ``num_samples`` sampling iterations per chain keeping every ``thin``-th. ``initial``:
        (num_chains, ndim) starting points, (ndim,) for all chains, or None (uniform in (-2, 2)
        in the unconstrained space, as Stan). ``progress=True`` shows a bar (tqdm if installed).
        Returns the draws, shape (num_chains, kept draws, ndim)."""
        self._create(num_chains, seed, thin)
        return self._run(initial, num_warmup, num_samples, progress)

    def resume(self, num_samples, num_warmup=0, progress=False):
        """More draws from where the chains stand (after :meth:`sample` or :meth:`set_state`),
        with the adapted step size and metric frozen unless ``num_warmup`` > 0: exactly the draws
        an uninterrupted longer run would have made. Returns the new draws."""
        if self._handle is None:
            raise InvalidArgumentError("the sampler has no chains yet: call sample() or set_state() first")
        return self._run(None, num_warmup, num_samples, progress)

    # -- state -----------------------------------------------------------------------------

    def get_state(self):
        """The sampler's complete state as bytes (positions, step sizes, metrics, random streams)."""
        if self._handle is None:
            raise InvalidArgumentError("the sampler has no chains yet: call sample() first")
        size = ctypes.c_size_t()
        check(lib.ik_nuts_state_size(self._handle, ctypes.byref(size)))
        buffer = ctypes.create_string_buffer(size.value)
        check(lib.ik_nuts_state_save(self._handle, buffer, size.value))
        return buffer.raw

    def set_state(self, state, thin=None):
        """Restores bytes from :meth:`get_state` (of a sampler of the same log-probability and
        number of parameters); :meth:`resume` then continues exactly. ``thin`` as the saved
        sampler's (default: this sampler's last)."""
        state = bytes(state)
        if len(state) < 24 or len(state) % 8:
            raise InvalidArgumentError(f"state has {len(state)} bytes: it is not a saved NUTS state")
        chains = int(np.frombuffer(state[16:24], dtype=np.uint64)[0])
        if self._handle is None or chains != self._chains or (thin is not None and thin != self._thin):
            self._create(chains if 0 < chains < 2 ** 24 else 1, 0, self._thin if thin is None else thin)
        buffer = ctypes.create_string_buffer(state, len(state))
        check(lib.ik_nuts_state_restore(self._handle, buffer, len(state)))
        self._draws = 0

    # -- results ---------------------------------------------------------------------------

    def _get(self, function, shape, dtype=np.float64, *extra):
        if self._handle is None:
            raise InvalidArgumentError("the sampler has no draws yet: call sample() first")
        out = np.empty(shape, dtype=dtype)
        check(function(self._handle, *extra, out.ctypes.data_as(ctypes.c_void_p) if dtype is not np.float64 else
                       _pointer(out), out.size))
        return out

    def get_draws(self):
        """The last run's draws, (chains, draws, ndim)."""
        return self._get(lib.ik_nuts_draws, (self._chains, self._draws, self.ndim))

    def get_log_prob(self):
        """log p of the last run's draws, (chains, draws) (the posterior's own, without the
        transforms' Jacobian)."""
        return self._get(lib.ik_nuts_log_prob, (self._chains, self._draws))

    def _per_draw_int(self, function):
        out = np.empty((self._chains, self._draws), dtype=np.int32)
        check(function(self._handle, out.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), out.size))
        return out

    def _per_chain_int(self, function):
        out = np.empty(self._chains, dtype=np.int64)
        check(function(self._handle, out.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), out.size))
        return out

    @property
    def divergent(self):
        """(chains, draws) bool: the draws whose transitions diverged."""
        return self._per_draw_int(lib.ik_nuts_divergent).astype(bool)

    @property
    def divergences(self):
        """(chains,) divergent sampling iterations of the last run per chain."""
        return self._per_chain_int(lib.ik_nuts_divergences)

    @property
    def tree_depth(self):
        """(chains, draws) tree depths."""
        return self._per_draw_int(lib.ik_nuts_tree_depth)

    @property
    def leapfrog_steps(self):
        """(chains, draws) leapfrog steps (gradient evaluations) per draw."""
        return self._per_draw_int(lib.ik_nuts_leapfrog_steps)

    @property
    def num_gradient_evals(self):
        """(chains,) gradient evaluations of the last run (warm-up included)."""
        return self._per_chain_int(lib.ik_nuts_gradient_evals)

    @property
    def accept_stat(self):
        """(chains, draws) mean acceptance statistic of each draw's trajectory."""
        return self._get(lib.ik_nuts_accept_stat, (self._chains, self._draws))

    @property
    def mean_accept_stat(self):
        """(chains,) mean acceptance statistic over the last run's sampling iterations."""
        return self._get(lib.ik_nuts_mean_accept_stat, (self._chains,))

    @property
    def energy(self):
        """(chains, draws) Hamiltonian of each draw (for E-BFMI)."""
        return self._get(lib.ik_nuts_energy, (self._chains, self._draws))

    @property
    def step_size(self):
        """(chains,) step sizes now."""
        return self._get(lib.ik_nuts_step_size, (self._chains,))

    @property
    def inv_metric(self):
        """The inverse metrics now (in the sampling space): (chains, ndim) for unit and diagonal
        metrics, (chains, ndim, ndim) for dense ones."""
        if self._handle is None:
            raise InvalidArgumentError("the sampler has no chains yet: call sample() first")
        dense = self._metric == _capi.IK_METRIC_DENSE
        shape = (self._chains, self.ndim, self.ndim) if dense else (self._chains, self.ndim)
        out = np.empty(shape)
        check(lib.ik_nuts_inverse_metric(self._handle, 1 if dense else 0, _pointer(out), out.size))
        return out

    def _free(self):
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            lib.ik_nuts_free(handle)

    def __del__(self):
        self._free()

    def __repr__(self):
        return f"NUTSSampler(ndim={self.ndim}, params={self.param_names})"
