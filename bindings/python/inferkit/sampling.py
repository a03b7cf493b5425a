"""MCMC samplers with emcee's call shapes: :class:`EnsembleSampler` (the affine-invariant ensemble
sampler, Goodman & Weare 2010, as emcee 3) and :class:`MetropolisSampler` (random-walk
Metropolis-Hastings with a jumping covariance adapted during warm-up, then frozen).

Porting from emcee is changing the import::

    import inferkit as emcee                        # or: from inferkit import EnsembleSampler
    sampler = emcee.EnsembleSampler(nwalkers, ndim, log_prob, args=(x, y), seed=42)
    sampler.run_mcmc(p0, 5000, progress=True)
    chain = sampler.get_chain(discard=1000, thin=10, flat=True)      # (steps*walkers, ndim)
    sampler.acceptance_fraction, sampler.get_autocorr_time(discard=1000)

``log_prob_fn`` may be a Python callable ``log_prob_fn(p, *args, **kwargs)`` (one point, or the
rows of a (k, ndim) array with ``vectorize=True``), a formula string of the parameters (ordered
by ``params``, else by first appearance; evaluated vectorised over the walkers in compiled code)
or an :class:`inferkit.Posterior`. One seed gives bit-identical chains for any ``n_threads``.
An exception raised by a callable comes back out of ``run_mcmc`` as itself.
"""

import ctypes
import os

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib
from .inference import _as_logprob
from ._progress import Progress
from .moves import DEMove, StretchMove, WalkMove, _Move

__all__ = ["EnsembleSampler", "MetropolisSampler", "State"]

_ENSEMBLE_P = ctypes.POINTER(_capi.ik_ensemble_t)
_METROPOLIS_P = ctypes.POINTER(_capi.ik_metropolis_t)


class State:
    """The walkers' positions ``coords`` (nwalkers, ndim) and ``log_prob`` (nwalkers,), as emcee's
    ``State``; unpacks as ``coords, log_prob, random_state`` (``random_state`` is None: the
    sampler's random streams are in ``get_state()``)."""

    def __init__(self, coords, log_prob=None, blobs=None, random_state=None):
        self.coords = np.atleast_2d(np.asarray(coords, dtype=np.float64))
        self.log_prob = None if log_prob is None else np.asarray(log_prob, dtype=np.float64)
        self.blobs = blobs
        self.random_state = random_state

    def __iter__(self):
        return iter((self.coords, self.log_prob, self.random_state))

    def __repr__(self):
        return f"State({self.coords!r}, log_prob={self.log_prob!r})"


def _seed(seed):
    if seed is None:
        return int.from_bytes(os.urandom(8), "little")
    seed = int(seed)
    if seed < 0 or seed >= 2**64:
        raise InvalidArgumentError(f"seed is {seed}: it must be in [0, 2^64)")
    return seed


def _threads(n_threads, log_prob_fn, name="n_threads"):
    n = int(n_threads)
    if n < 0:
        raise InvalidArgumentError(f"{name} is {n}: it must be >= 0 (0 for all cores)")
    # A Python callable runs under the GIL: threads would only add overhead.
    if callable(log_prob_fn) and not hasattr(log_prob_fn, "_logprob"):
        return 1
    return n


def _ensemble_moves(moves, options):
    """Fills the move fields of ik_ensemble_options_t from emcee's ``moves`` argument."""
    if moves is None:
        return
    if isinstance(moves, _Move):
        pairs = [(moves, 1.0)]
    else:
        pairs = []
        for entry in moves:
            if isinstance(entry, _Move):
                pairs.append((entry, 1.0))
            else:
                move, weight = entry
                pairs.append((move, float(weight)))
    options.stretch_weight = 0.0
    seen = set()
    for move, weight in pairs:
        kind = type(move)
        if kind in seen:
            raise InvalidArgumentError(f"moves has two {kind.__name__}s: give each kind of move once")
        seen.add(kind)
        if isinstance(move, StretchMove):
            options.stretch_weight, options.stretch_a = weight, move.a
        elif isinstance(move, DEMove):
            options.de_weight, options.de_sigma = weight, move.sigma
            options.de_gamma0 = 0.0 if move.gamma0 is None else move.gamma0
        elif isinstance(move, WalkMove):
            if move.s is not None and move.s < 2:
                raise InvalidArgumentError(f"WalkMove's s is {move.s}: it must be >= 2 (or None)")
            options.walk_weight, options.walk_s = weight, 0 if move.s is None else move.s
        else:
            raise InvalidArgumentError(f"moves holds {move!r}: use inferkit.moves.StretchMove, DEMove or WalkMove")


class _BlobStore:
    """emcee's blobs of a Python log-probability: every evaluated point's blobs are kept by the
    point's bytes until the next stored step, when each walker takes the blobs of its position
    (its proposal's when it moved, its previous ones when it stayed: emcee's rule)."""

    def __init__(self, nwalkers):
        self.nwalkers = nwalkers
        self.pending = {}
        self.current = [None] * nwalkers
        self.steps = []
        self.seen = False

    def sink(self, point, blobs):
        self.seen = True
        self.pending[point.tobytes()] = blobs

    def on_draw(self, index, positions, n_walkers, n_dim, log_prob, user):
        try:
            if not self.seen:
                return 0
            rows = np.ctypeslib.as_array(positions, shape=(n_walkers * n_dim,)).reshape(n_walkers, n_dim)
            for w in range(n_walkers):
                blobs = self.pending.get(rows[w].tobytes())
                if blobs is not None:
                    self.current[w] = blobs
            while len(self.steps) < index:          # steps stored before the first blob
                self.steps.append([None] * n_walkers)
            del self.steps[index:]
            self.steps.append(list(self.current))
            self.pending.clear()
            return 0
        except BaseException:  # noqa: BLE001 - a failure here must not cross into C
            return 1

    def array(self, steps):
        """The blobs of `steps` (lists of per-walker tuples) as emcee's array: (steps, walkers)
        for one blob, (steps, walkers, nblobs) for several; dtype from the first blob (object
        for strings and mixed blobs)."""
        first = next((b for step in steps for b in step if b is not None), None)
        try:
            dtype = np.atleast_1d(first).dtype if first is not None else np.dtype("object")
        except ValueError:
            dtype = np.dtype("object")
        if dtype.kind in "US":
            dtype = np.dtype("object")
        try:
            out = np.array(steps, dtype=dtype)
        except (ValueError, TypeError):
            out = np.empty((len(steps), self.nwalkers), dtype=object)
            for i, step in enumerate(steps):
                for w, b in enumerate(step):
                    out[i, w] = b
        if out.ndim >= 3:
            single = [axis for axis in range(2, out.ndim) if out.shape[axis] == 1]
            if single:
                out = np.squeeze(out, axis=tuple(single))
        return out


class EnsembleSampler:
    """The affine-invariant ensemble sampler, with emcee 3's ``EnsembleSampler`` interface.

    Parameters: ``nwalkers`` (at least 2 ndim), ``ndim``, ``log_prob_fn`` (callable, formula or
    Posterior), ``args``/``kwargs`` for a callable, ``moves`` (emcee's forms), ``seed`` (None: a
    random one), ``params`` (a formula's parameter order), ``vectorize`` (the callable takes a
    (k, ndim) array), ``n_threads`` (0 = all cores; Python callables always run on one).
    """

    def __init__(self, nwalkers, ndim, log_prob_fn, args=(), kwargs=None, moves=None, seed=None,
                 params=None, vectorize=False, n_threads=0):
        self.nwalkers = int(nwalkers)
        self.ndim = int(ndim)
        if self.nwalkers < 1:
            raise InvalidArgumentError(f"nwalkers is {nwalkers}: it must be >= 1")
        self._lp = _as_logprob(log_prob_fn, params=params, args=args, kwargs=kwargs, vectorize=vectorize,
                               ndim=self.ndim)
        if self._lp.ndim != self.ndim:
            raise DimensionError(f"ndim is {self.ndim} but log_prob_fn has {self._lp.ndim} parameters "
                                 f"{tuple(self._lp.param_names)}")
        self.param_names = tuple(self._lp.param_names)
        self.seed = _seed(seed)
        self._options = _capi.ik_ensemble_options_t()
        check(lib.ik_ensemble_options_default(ctypes.byref(self._options)))
        self._options.n_threads = _threads(n_threads, log_prob_fn)
        _ensemble_moves(moves, self._options)
        # A Python callable may return emcee's blobs: a draw callback hands them to the walkers.
        self._blobs = None
        if callable(log_prob_fn) and not hasattr(log_prob_fn, "_logprob") and not vectorize:
            self._blobs = _BlobStore(self.nwalkers)
            self._lp.blob_sink = self._blobs.sink
            self._draws_c = _capi.ik_draws_fn(self._blobs.on_draw)
            self._options.draws = self._draws_c
        self._handle = _ENSEMBLE_P()
        check(lib.ik_ensemble_create(self._lp.handle, self.nwalkers, self.seed, ctypes.byref(self._options),
                                     ctypes.byref(self._handle)))

    def __del__(self, _free=lib.ik_ensemble_free):
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    # -- running ---------------------------------------------------------------------------

    def run_mcmc(self, initial_state, nsteps, progress=False, **kwargs):
        """Makes ``nsteps`` stored steps from ``initial_state`` ((nwalkers, ndim), an emcee/inferkit
        State, or None to continue from the last one) and appends them to the chain; returns
        the final :class:`State`. ``thin_by=k`` makes k steps per stored one (emcee's);
        ``progress=True`` shows a progress bar (tqdm if installed)."""
        thin_by = int(kwargs.get("thin_by", kwargs.get("thin", 1)))
        if thin_by < 1:
            raise InvalidArgumentError(f"thin_by is {thin_by}: it must be >= 1")
        unknown = set(kwargs) - {"thin_by", "thin", "store", "skip_initial_state_check", "tune"}
        if unknown:
            raise TypeError(f"run_mcmc() got unexpected keyword arguments {sorted(unknown)}")
        nsteps = int(nsteps)
        if initial_state is None:
            start = None
        else:
            coords = getattr(initial_state, "coords", initial_state)
            start = np.ascontiguousarray(coords, dtype=np.float64)
            if start.shape != (self.nwalkers, self.ndim):
                raise DimensionError(f"initial_state has shape {start.shape} but the sampler has "
                                     f"{self.nwalkers} walkers of {self.ndim} parameters")
        bar = Progress(progress, "ensemble")
        check(lib.ik_ensemble_set_progress(self._handle, bar.callback, None))
        check(lib.ik_ensemble_set_thin(self._handle, thin_by))
        try:
            status = lib.ik_ensemble_run(self._handle, _pointer(start), self.nwalkers, self.ndim, max(nsteps, 0))
        finally:
            check(lib.ik_ensemble_set_progress(self._handle, _capi.ik_sampling_progress_fn(), None))
            bar.close()
        self._lp.check(status)
        return self.get_last_sample()

    def sample(self, initial_state, iterations=1, progress=False, **kwargs):
        """emcee's generator form: yields the :class:`State` after every stored step (each
        ``thin_by`` steps); ``initial_state`` None continues."""
        state = initial_state
        for i in range(int(iterations)):
            state = self.run_mcmc(state if i == 0 else None, 1, **kwargs)
            yield state

    def reset(self):
        """Forgets the chain, its blobs and acceptance counts; the walkers keep their state
        (emcee's reset)."""
        check(lib.ik_ensemble_reset(self._handle))
        if self._blobs is not None:
            self._blobs.steps = []

    # -- results ---------------------------------------------------------------------------

    @property
    def iteration(self):
        """Number of stored steps."""
        n = ctypes.c_size_t()
        check(lib.ik_ensemble_n_steps(self._handle, ctypes.byref(n)))
        return n.value

    def _count(self, discard, thin):
        discard, thin = int(discard), int(thin)
        if discard < 0:
            raise InvalidArgumentError(f"discard is {discard}: it must be >= 0")
        if thin < 1:
            raise InvalidArgumentError(f"thin is {thin}: it must be >= 1")
        n = self.iteration
        return discard, thin, (0 if discard >= n else (n - discard) // thin)

    def get_chain(self, discard=0, thin=1, flat=False):
        """The stored positions, emcee's layout: (steps, nwalkers, ndim), or (steps * nwalkers,
        ndim) with ``flat=True``; steps ``discard + thin - 1``, ``discard + 2 thin - 1``, ..."""
        discard, thin, count = self._count(discard, thin)
        out = np.empty((count, self.nwalkers, self.ndim))
        check(lib.ik_ensemble_chain(self._handle, discard, thin, _pointer(out), out.size))
        return out.reshape(-1, self.ndim) if flat else out

    def get_log_prob(self, discard=0, thin=1, flat=False):
        """log p of the stored positions: (steps, nwalkers), or (steps * nwalkers,) when flat."""
        discard, thin, count = self._count(discard, thin)
        out = np.empty((count, self.nwalkers))
        check(lib.ik_ensemble_log_prob(self._handle, discard, thin, _pointer(out), out.size))
        return out.reshape(-1) if flat else out

    def get_blobs(self, discard=0, thin=1, flat=False):
        """emcee's blobs: what a Python log_prob_fn returned after log p, for the stored steps
        (the same steps as ``get_chain``): (steps, nwalkers) for one blob, (steps, nwalkers,
        nblobs) for several, flattened over steps and walkers with ``flat``; None when it
        returned none (formulas, Posteriors and vectorised callables have none)."""
        if self._blobs is None or not self._blobs.seen:
            return None
        discard, thin, count = self._count(discard, thin)
        steps = self._blobs.steps
        chosen = [steps[discard + thin - 1 + k * thin] if discard + thin - 1 + k * thin < len(steps)
                  else [None] * self.nwalkers for k in range(count)]
        out = self._blobs.array(chosen)
        return out.reshape((-1,) + out.shape[2:]) if flat else out

    @property
    def flatchain(self):
        """get_chain(flat=True)."""
        return self.get_chain(flat=True)

    @property
    def acceptance_fraction(self):
        """Each walker's fraction of accepted proposals over the stored steps, (nwalkers,)."""
        out = np.empty(self.nwalkers)
        check(lib.ik_ensemble_acceptance_fraction(self._handle, _pointer(out), out.size))
        return out

    def get_last_sample(self):
        """The current :class:`State` (positions and log-probabilities of the walkers)."""
        coords = np.empty((self.nwalkers, self.ndim))
        log_prob = np.empty(self.nwalkers)
        check(lib.ik_ensemble_current(self._handle, _pointer(coords), coords.size, _pointer(log_prob),
                                      log_prob.size))
        blobs = None
        if self._blobs is not None and self._blobs.seen:
            blobs = self._blobs.array([self._blobs.current])[0]
        return State(coords, log_prob, blobs=blobs)

    def get_autocorr_time(self, discard=0, thin=1, tol=50, quiet=False, **kwargs):
        """The integrated autocorrelation time of each parameter, as emcee's (in steps:
        ``thin`` times the time of the thinned chain); ``inferkit.autocorr_time``."""
        from .diagnostics import autocorr_time  # the diagnostics module (branch diagnostics)

        return thin * np.asarray(autocorr_time(self.get_chain(discard=discard, thin=thin), tol=tol, quiet=quiet,
                                               **kwargs))

    # -- state -----------------------------------------------------------------------------

    def get_state(self):
        """The complete sampler state as a uint64 array (positions and log p as bit patterns,
        every random stream, the step count): ``set_state`` on a sampler with the same nwalkers
        and ndim continues bit for bit."""
        n = ctypes.c_size_t()
        check(lib.ik_ensemble_state_size(self._handle, ctypes.byref(n)))
        out = np.empty(n.value, dtype=np.uint64)
        check(lib.ik_ensemble_save_state(self._handle, out.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)), out.size))
        return out

    def set_state(self, state):
        """Restores a state from ``get_state`` (the chain is cleared; the state is not the chain)."""
        array = np.ascontiguousarray(state, dtype=np.uint64).reshape(-1)
        check(lib.ik_ensemble_restore_state(self._handle, array.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)),
                                            array.size))

    save_state = get_state
    restore_state = set_state


class MetropolisSampler:
    """Random-walk Metropolis-Hastings over independent chains, the jumping covariance adapted
    during warm-up (Haario et al. 2001, with a Robbins-Monro scale toward ``target_acceptance``)
    and frozen for the kept draws.

    ``cov`` is the initial jumping covariance (ndim, ndim), or None for ``scale² I``.
    Draws are read chain by chain, ArviZ's layout: ``get_chain()`` is (chains, draws, ndim).
    """

    def __init__(self, ndim, log_prob_fn, cov=None, params=None, seed=None, args=(), kwargs=None,
                 vectorize=False, scale=0.1, adapt=True, adapt_scale=True, target_acceptance=0.234,
                 n_threads=0):
        self.ndim = int(ndim)
        self._lp = _as_logprob(log_prob_fn, params=params, args=args, kwargs=kwargs, vectorize=vectorize,
                               ndim=self.ndim)
        if self._lp.ndim != self.ndim:
            raise DimensionError(f"ndim is {self.ndim} but log_prob_fn has {self._lp.ndim} parameters")
        self.param_names = tuple(self._lp.param_names)
        self.seed = _seed(seed)
        self._cov = None
        if cov is not None:
            self._cov = np.ascontiguousarray(cov, dtype=np.float64)
            if self._cov.shape != (self.ndim, self.ndim):
                raise DimensionError(f"cov has shape {self._cov.shape} but ndim is {self.ndim}: it must be ({self.ndim}, {self.ndim})")
        self.scale = float(scale)
        self.adapt = bool(adapt)
        self.adapt_scale = bool(adapt_scale)
        self.target_acceptance = float(target_acceptance)
        self.n_threads = _threads(n_threads, log_prob_fn)
        self._result = None
        self._state = None

    def __del__(self, _free=lib.ik_metropolis_free):
        handle = getattr(self, "_result", None)
        if handle:
            self._result = None
            _free(handle)

    def run(self, initial, nsteps, nwarmup=1000, thin=1, progress=False):
        """Runs one chain per row of ``initial`` ((nchains, ndim), or (ndim,) for one chain):
        ``nwarmup`` adapting iterations, then ``nsteps`` kept draws (``nsteps * thin``
        iterations). ``initial`` None continues the last run's chains (or a state given to
        ``set_state``) with their frozen jumping distributions, no warm-up: the new draws are
        those an uninterrupted run would have made. Returns self."""
        if initial is None:
            return self._resume(nsteps, thin, progress)
        start = np.ascontiguousarray(initial, dtype=np.float64)
        if start.ndim == 1:
            start = start.reshape(1, -1)
        if start.ndim != 2 or start.shape[1] != self.ndim:
            raise DimensionError(f"initial has shape {np.shape(initial)} but the sampler has {self.ndim} parameters: "
                                 f"pass (nchains, {self.ndim})")
        o = self._options(nwarmup, thin)
        bar = Progress(progress, "metropolis")
        o.progress = bar.callback
        handle = _METROPOLIS_P()
        try:
            status = lib.ik_metropolis_sample(self._lp.handle, _pointer(start), start.shape[0], self.ndim,
                                              max(int(nsteps), 0), self.seed, ctypes.byref(o), ctypes.byref(handle))
        finally:
            bar.close()
        return self._adopt(status, handle)

    def _resume(self, nsteps, thin, progress):
        state = self._state if self._state is not None else (self.get_state() if self._result else None)
        if state is None:
            raise InvalidArgumentError("initial is None but there is no previous run (or set_state) to continue")
        o = self._options(0, thin)
        bar = Progress(progress, "metropolis")
        o.progress = bar.callback
        handle = _METROPOLIS_P()
        try:
            status = lib.ik_metropolis_resume(self._lp.handle, state.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)),
                                              state.size, max(int(nsteps), 0), ctypes.byref(o), ctypes.byref(handle))
        finally:
            bar.close()
        return self._adopt(status, handle)

    def _adopt(self, status, handle):
        self._lp.check(status)
        if self._result:
            lib.ik_metropolis_free(self._result)
        self._result = handle
        self._state = None
        info = _capi.ik_metropolis_info_t()
        info.struct_size = ctypes.sizeof(info)
        check(lib.ik_metropolis_info(handle, ctypes.byref(info)))
        self.nchains, self.ndraws, self.stopped = info.n_chains, info.n_draws, bool(info.stopped)
        return self

    def get_state(self):
        """The chains' state at the end of the last run as a uint64 array (positions, log p,
        frozen jumping distributions, random streams): ``set_state`` and ``run(None, n)``
        continue it bit for bit, in this sampler or another of the same log-probability."""
        self._need()
        n = ctypes.c_size_t()
        check(lib.ik_metropolis_state_size(self._result, ctypes.byref(n)))
        out = np.empty(n.value, dtype=np.uint64)
        check(lib.ik_metropolis_save_state(self._result, out.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)), out.size))
        return out

    def set_state(self, state):
        """The state the next ``run(None, nsteps)`` continues (checked when it runs)."""
        self._state = np.ascontiguousarray(state, dtype=np.uint64).reshape(-1)

    def _options(self, nwarmup, thin):
        o = _capi.ik_metropolis_options_t()
        check(lib.ik_metropolis_options_default(ctypes.byref(o)))
        o.n_warmup = int(nwarmup)
        o.thin = int(thin)
        o.adapt_covariance = int(self.adapt)
        o.adapt_scale = int(self.adapt_scale)
        o.target_acceptance = self.target_acceptance
        if self._cov is not None:
            o.proposal_cov = _pointer(self._cov)
        o.proposal_scale = self.scale
        o.n_threads = self.n_threads
        return o

    def _need(self):
        if not self._result:
            raise InvalidArgumentError("the sampler has not run yet: call run(initial, nsteps) first")

    def get_chain(self, discard=0, thin=1, flat=False):
        """The kept draws, (chains, draws, ndim) (ArviZ's layout), or (chains * draws, ndim) when
        ``flat``; draws ``discard + thin - 1``, ``discard + 2 thin - 1``, ... of each chain."""
        self._need()
        out = np.empty((self.nchains, self.ndraws, self.ndim))
        check(lib.ik_metropolis_draws(self._result, _pointer(out), out.size))
        out = out[:, int(discard) + int(thin) - 1::int(thin)]
        return out.reshape(-1, self.ndim) if flat else np.ascontiguousarray(out)

    def get_log_prob(self, discard=0, thin=1, flat=False):
        """log p of the kept draws, (chains, draws), or flat."""
        self._need()
        out = np.empty((self.nchains, self.ndraws))
        check(lib.ik_metropolis_log_prob(self._result, _pointer(out), out.size))
        out = out[:, int(discard) + int(thin) - 1::int(thin)]
        return out.reshape(-1) if flat else np.ascontiguousarray(out)

    @property
    def acceptance_fraction(self):
        """Each chain's acceptance fraction over the sampling phase, (chains,)."""
        self._need()
        out = np.empty(self.nchains)
        check(lib.ik_metropolis_acceptance_fraction(self._result, _pointer(out), out.size))
        return out

    @property
    def proposal_cov(self):
        """Each chain's frozen jumping covariance, (chains, ndim, ndim)."""
        self._need()
        out = np.empty((self.nchains, self.ndim, self.ndim))
        check(lib.ik_metropolis_proposal_cov(self._result, _pointer(out), out.size))
        return out

    save_state = get_state
    restore_state = set_state
