"""MCMC diagnostics with the call shapes of emcee and ArviZ.

emcee's layout, a chain of shape (steps, walkers, ndim) as ``sampler.get_chain()`` returns::

    tau = inferkit.autocorr_time(chain)            # emcee.autocorr.integrated_time(chain)
    tau = inferkit.autocorr_time(chain, quiet=True) # warn instead of raising AutocorrError
    inferkit.acceptance_fraction(chain)             # per walker, from the stored chain
    flat = inferkit.discard_thin(chain, discard=100, thin=10, flat=True)

ArviZ's layout, draws of shape (chains, draws, ndim) or (chains, draws) for one parameter::

    inferkit.ess(draws), inferkit.ess(draws, method="tail"), inferkit.rhat(draws)
    inferkit.hdi(samples, hdi_prob=0.94)
    s = inferkit.summary(draws)                     # dict: mean, sd, quantiles, hdi, ...

An emcee chain becomes ArviZ draws (walkers as chains) by ``chain.swapaxes(0, 1)``.

The numerical work is done by libinferkit (``ik_mcmc_*``): the autocorrelation time equals
emcee 3.1's ``integrated_time`` and ESS, R-hat and HDI equal ArviZ 0.23's ``ess``, ``rhat``
and ``hdi`` to about 1e-12 relative on the same chains. Errors arrive as
:class:`inferkit.InferKitError` subclasses whose message names the argument and the value.
"""

import ctypes
import operator
import warnings

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer
from ._errors import DimensionError, InferKitError, InvalidArgumentError, check
from ._errors import choice as _choice
from ._library import lib

__all__ = [
    "AutocorrError",
    "autocorr_function",
    "autocorr_time",
    "ess",
    "rhat",
    "hdi",
    "summary",
    "acceptance_fraction",
    "discard_thin",
    "ESS_METHODS",
]

#: ``method`` names of :func:`ess` -> ``IK_ESS_*``.
ESS_METHODS = {
    "bulk": _capi.IK_ESS_BULK,
    "tail": _capi.IK_ESS_TAIL,
    "mean": _capi.IK_ESS_MEAN,
}


class AutocorrError(InferKitError):
    """The chain is shorter than ``tol`` autocorrelation times (emcee's ``AutocorrError``).

    Raised by :func:`autocorr_time` with ``quiet=False``. The C call itself succeeded (the
    library reports this as a flag), so ``code`` is ``IK_OK``.

    Attributes:
        tau: the estimate of the autocorrelation time anyway, one value per parameter.
        too_short: boolean array, True for the parameters whose chain is too short.
    """

    default_code = _capi.IK_OK

    def __init__(self, tau, message, too_short=None):
        """Create the error with the estimate ``tau`` and the emcee-style ``message``."""
        super().__init__(message)
        self.tau = tau
        self.too_short = too_short


def _float_array(name, values):
    """``values`` as a C-contiguous float64 array (InvalidArgumentError if it cannot be)."""
    try:
        return np.ascontiguousarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"{name} cannot be converted to float64: {error}") from None


def _size(name, value, minimum=0):
    """A non-negative integer argument (or InvalidArgumentError naming it)."""
    try:
        value = operator.index(value)
    except TypeError:
        raise InvalidArgumentError(f"{name} is {value!r}: it must be an integer") from None
    if value < minimum:
        raise InvalidArgumentError(f"{name} is {value}: it must be >= {minimum}")
    return value


def _chain(name, x, has_walkers=True):
    """An emcee-layout (steps, walkers, ndim) array from 1-D, 2-D or 3-D input, as emcee's
    ``integrated_time`` reads it (2-D is (steps, walkers), or (steps, ndim) when
    ``has_walkers`` is false)."""
    x = _float_array(name, np.atleast_1d(x))
    if x.ndim == 1:
        x = x[:, np.newaxis, np.newaxis]
    elif x.ndim == 2:
        x = x[:, np.newaxis, :] if not has_walkers else x[:, :, np.newaxis]
    if x.ndim != 3:
        raise DimensionError(
            f"{name} has shape {x.shape}: expected (steps,), (steps, walkers) or "
            "(steps, walkers, ndim)")
    return np.ascontiguousarray(x)


def _draws(name, x):
    """An ArviZ-layout (chains, draws, ndim) array and whether the input had one parameter
    (1-D: one chain; 2-D: (chains, draws))."""
    x = _float_array(name, x)
    if x.ndim == 1:
        return np.ascontiguousarray(x[np.newaxis, :, np.newaxis]), True
    if x.ndim == 2:
        return np.ascontiguousarray(x[:, :, np.newaxis]), True
    if x.ndim == 3:
        return x, False
    raise DimensionError(
        f"{name} has shape {x.shape}: expected (draws,), (chains, draws) or (chains, draws, ndim)")



def _per_parameter(out, single):
    """A float for a one-parameter input, else the array."""
    return float(out[0]) if single else out


def autocorr_function(x):
    """The normalised autocorrelation function of a 1-D series (emcee's
    ``autocorr.function_1d``), computed by FFT; ``out[0]`` is 1.

    Raises SingularError for a constant series.
    """
    x = _float_array("x", x)
    if x.ndim != 1:
        raise DimensionError(f"x must be 1-D, but it has shape {x.shape}")
    out = np.empty(x.shape[0])
    check(lib.ik_mcmc_autocorr_function(_pointer(x), x.shape[0], _pointer(out)))
    return out


def autocorr_time(x, c=5, tol=50, quiet=False, has_walkers=True):
    """The integrated autocorrelation time, as ``emcee.autocorr.integrated_time``.

    Parameters:
        x: the chain, (steps, walkers, ndim) as ``EnsembleSampler.get_chain()``; a 1-D array
            is one series; a 2-D array is (steps, walkers), or (steps, ndim) with
            ``has_walkers=False`` (emcee's reading).
        c: the window factor of Sokal's automatic window (finite, > 0).
        tol: the chain must be at least ``tol`` autocorrelation times long to be trusted
            (finite, >= 0).
        quiet: when the chain is too short, raise :class:`AutocorrError` (False, emcee's
            default) or warn and return the estimate (True).
        has_walkers: how a 2-D ``x`` is read.

    Returns:
        An array of one autocorrelation time (in steps) per parameter.

    The autocorrelation functions of the walkers are averaged before the window is chosen, as
    emcee does. Raises SingularError when a walker keeps a parameter constant (emcee returns
    NaN there).
    """
    chain = _chain("x", x, has_walkers)
    n_steps, n_walkers, n_dim = chain.shape
    tau = np.empty(n_dim)
    flags = np.zeros(n_dim, dtype=np.int32)
    check(lib.ik_mcmc_autocorr_time(
        _pointer(chain), n_steps, n_walkers, n_dim, float(c), float(tol), _pointer(tau),
        flags.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))))
    too_short = flags.astype(bool)
    if too_short.any():
        message = (
            f"The chain is shorter than {tol} times the integrated autocorrelation time for "
            f"{int(too_short.sum())} parameter(s). Use this estimate with caution and run a "
            f"longer chain!\nN/{tol} = {n_steps / tol:.0f};\ntau: {tau}"
        )
        if not quiet:
            raise AutocorrError(tau, message, too_short)
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    return tau


def ess(draws, method="bulk"):
    """The effective sample size, as ``arviz.ess(draws, method=method)``.

    Parameters:
        draws: (chains, draws, ndim), or (chains, draws) / (draws,) for one parameter; at
            least 4 draws per chain.
        method: ``"bulk"`` (rank-normalised split chains, the default), ``"tail"`` (the
            5% and 95% quantile indicators) or ``"mean"``.

    Returns:
        A float for one parameter, else an array of ``ndim`` values.
    """
    kind = _choice("method", method, ESS_METHODS)
    x, single = _draws("draws", draws)
    out = np.empty(x.shape[2])
    check(lib.ik_mcmc_ess(_pointer(x), x.shape[0], x.shape[1], x.shape[2], kind, _pointer(out)))
    return _per_parameter(out, single)


def rhat(draws, method="rank"):
    """The rank-normalised split-R-hat, as ``arviz.rhat(draws, method="rank")``.

    Parameters:
        draws: (chains, draws, ndim) or (chains, draws); at least 2 chains of 4 draws.
        method: only ``"rank"`` (Vehtari et al. 2021), ArviZ's default.

    Returns:
        A float for one parameter, else an array; NaN where all draws are equal.
    """
    _choice("method", method, {"rank": 0})
    x, single = _draws("draws", draws)
    out = np.empty(x.shape[2])
    check(lib.ik_mcmc_rhat(_pointer(x), x.shape[0], x.shape[1], x.shape[2], _pointer(out)))
    return _per_parameter(out, single)


def _samples(name, ary):
    """(n, p) samples and the trailing shape, with ArviZ's ``hdi`` reading of an ndarray:
    1-D is one parameter, 2-D (draws, shape), 3-D and more (chains, draws, *shape)."""
    x = _float_array(name, ary)
    if x.ndim == 0:
        raise DimensionError(f"{name} is a scalar: it needs at least one draw")
    if x.ndim == 1:
        return np.ascontiguousarray(x[:, np.newaxis]), None
    if x.ndim == 2:
        return x, x.shape[1:]
    shape = x.shape[2:]
    return np.ascontiguousarray(x.reshape(x.shape[0] * x.shape[1], -1)), shape


def hdi(ary, hdi_prob=0.94):
    """The highest-density interval, as ``arviz.hdi(ary, hdi_prob)`` for unimodal samples.

    ``ary`` is read as ArviZ reads an ndarray: 1-D -> an array (lower, upper); 2-D
    (draws, shape) -> shape + (2,); 3-D (chains, draws, *shape) -> shape + (2,).
    """
    samples, shape = _samples("ary", ary)
    out = np.empty((samples.shape[1], 2))
    check(lib.ik_mcmc_hdi(_pointer(samples), samples.shape[0], samples.shape[1],
                          float(hdi_prob), _pointer(out)))
    if shape is None:
        return out[0]
    return out.reshape(tuple(shape) + (2,))


def summary(draws, quantiles=(0.05, 0.5, 0.95), hdi_prob=0.94):
    """Summary statistics of every parameter over all chains (the columns of ArviZ's
    ``summary``).

    Parameters:
        draws: (chains, draws, ndim), or (chains, draws) / (draws,) for one parameter.
        quantiles: probabilities in [0, 1] (numpy's default linear quantiles).
        hdi_prob: mass of the highest-density interval, in (0, 1).

    Returns:
        A dict of arrays with a leading axis of ``ndim``: ``mean``, ``sd`` (ddof = 1),
        ``quantiles`` (ndim, len(quantiles)), ``hdi`` (ndim, 2), ``mcse_mean``, ``ess_bulk``,
        ``ess_tail`` and ``r_hat`` (NaN for a single chain), plus the ``quantile_probs`` and
        ``hdi_prob`` used.
    """
    x, _ = _draws("draws", draws)
    probs = _float_array("quantiles", np.atleast_1d(quantiles))
    if probs.ndim != 1:
        raise DimensionError(f"quantiles must be 1-D, but it has shape {probs.shape}")
    n_dim, n_q = x.shape[2], probs.shape[0]
    result = {name: np.empty(n_dim) for name in
              ("mean", "sd", "mcse_mean", "ess_bulk", "ess_tail", "r_hat")}
    result["quantiles"] = np.empty((n_dim, n_q))
    result["hdi"] = np.empty((n_dim, 2))
    check(lib.ik_mcmc_summary(
        _pointer(x), x.shape[0], x.shape[1], n_dim, _pointer(probs) if n_q else None, n_q,
        float(hdi_prob), _pointer(result["mean"]), _pointer(result["sd"]),
        _pointer(result["quantiles"]), _pointer(result["hdi"]), _pointer(result["mcse_mean"]),
        _pointer(result["ess_bulk"]), _pointer(result["ess_tail"]), _pointer(result["r_hat"])))
    result["quantile_probs"] = probs
    result["hdi_prob"] = float(hdi_prob)
    return result


def acceptance_fraction(chain):
    """The acceptance fraction of every walker estimated from its stored chain.

    ``chain`` is (steps, walkers, ndim) or (steps, walkers); the result is the fraction of the
    steps - 1 transitions in which each walker moved (for a continuous target, emcee's
    ``acceptance_fraction`` over those steps; emcee also counts the first move, from the
    initial state the chain does not hold).
    """
    x = _float_array("chain", chain)
    if x.ndim == 2:
        x = np.ascontiguousarray(x[:, :, np.newaxis])
    if x.ndim != 3:
        raise DimensionError(
            f"chain has shape {x.shape}: expected (steps, walkers) or (steps, walkers, ndim)")
    out = np.empty(x.shape[1])
    check(lib.ik_mcmc_acceptance_fraction(_pointer(x), x.shape[0], x.shape[1], x.shape[2],
                                          _pointer(out)))
    return out


def discard_thin(chain, discard=0, thin=1, flat=False):
    """Burn-in removal and thinning, as emcee's ``get_chain(discard=, thin=, flat=)``.

    Keeps steps ``discard + thin - 1``, ``discard + 2 thin - 1``, ... of a (steps, walkers,
    ndim) chain; returns (kept, walkers, ndim), or (kept * walkers, ndim) with ``flat``.
    Raises DimensionError when no step is left.
    """
    x = _float_array("chain", chain)
    if x.ndim != 3:
        raise DimensionError(f"chain has shape {x.shape}: expected (steps, walkers, ndim)")
    discard = _size("discard", discard)
    thin = _size("thin", thin, minimum=1)
    n_steps, n_walkers, n_dim = x.shape
    kept = ctypes.c_size_t(0)
    check(lib.ik_mcmc_discard_thin(_pointer(x), n_steps, n_walkers, n_dim, discard, thin, None,
                                   0, ctypes.byref(kept)))
    out = np.empty((kept.value, n_walkers, n_dim))
    check(lib.ik_mcmc_discard_thin(_pointer(x), n_steps, n_walkers, n_dim, discard, thin,
                                   _pointer(out), out.size, ctypes.byref(kept)))
    return out.reshape(-1, n_dim) if flat else out
