"""Least-squares spectral analysis: the Lomb-Scargle periodogram, as ``astropy.timeseries``.

:class:`LombScargle` takes the arguments of ``astropy.timeseries.LombScargle`` and has its
methods (``power``, ``autofrequency``, ``autopower``, ``model``, ``model_parameters``,
``offset``, ``false_alarm_probability``, ``false_alarm_level``), so a script changes one
import::

    from inferkit import LombScargle      # instead of astropy.timeseries
    frequency, power = LombScargle(t, y, dy).autopower()

Differences from astropy: plain arrays only (no ``Quantity``/``Time``); ``method`` is
``"exact"`` (default; astropy's exact names ``"cython"``, ``"slow"``, ``"chi2"``, ``"scipy"``
and ``"auto"`` mean it too) or ``"fast"`` (``"fastchi2"`` too), and both support every
``nterms``; the bootstrap false-alarm probability is reproducible (``random_seed`` defaults to
0) and uses this periodogram's own settings. :func:`lomb_scargle_batch` computes the
periodograms of many series observed at the same times in one call.

The numerical work is done by libinferkit (``ik_lomb_scargle_*``); its errors arrive as
:class:`inferkit.InferKitError` subclasses whose message names the argument and the value.
"""

import ctypes
import operator

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer
from ._arrays import vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._errors import choice as _choice
from ._library import lib

__all__ = ["LombScargle", "lomb_scargle_batch", "NORMALIZATIONS", "METHODS", "FAP_METHODS"]

#: ``normalization`` names -> ``IK_LOMB_SCARGLE_*``.
NORMALIZATIONS = {
    "standard": _capi.IK_LOMB_SCARGLE_STANDARD,
    "model": _capi.IK_LOMB_SCARGLE_MODEL,
    "log": _capi.IK_LOMB_SCARGLE_LOG,
    "psd": _capi.IK_LOMB_SCARGLE_PSD,
}

#: ``method`` names of :meth:`LombScargle.power` -> ``IK_LOMB_SCARGLE_EXACT`` / ``_FAST``.
#: astropy's exact implementations (and ``"auto"``) map to the exact method, its FFT-based
#: ones to the fast method.
METHODS = {
    "exact": _capi.IK_LOMB_SCARGLE_EXACT,
    "auto": _capi.IK_LOMB_SCARGLE_EXACT,
    "cython": _capi.IK_LOMB_SCARGLE_EXACT,
    "slow": _capi.IK_LOMB_SCARGLE_EXACT,
    "chi2": _capi.IK_LOMB_SCARGLE_EXACT,
    "scipy": _capi.IK_LOMB_SCARGLE_EXACT,
    "fast": _capi.IK_LOMB_SCARGLE_FAST,
    "fastchi2": _capi.IK_LOMB_SCARGLE_FAST,
}

#: ``method`` names of the false-alarm functions -> ``IK_LOMB_SCARGLE_FAP_*``.
FAP_METHODS = {
    "baluev": _capi.IK_LOMB_SCARGLE_FAP_BALUEV,
    "davies": _capi.IK_LOMB_SCARGLE_FAP_DAVIES,
    "naive": _capi.IK_LOMB_SCARGLE_FAP_NAIVE,
    "bootstrap": _capi.IK_LOMB_SCARGLE_FAP_BOOTSTRAP,
    "single": _capi.IK_LOMB_SCARGLE_FAP_SINGLE,
}


def _int32(name, value):
    """An integer that fits the C ``int32_t`` field, or InvalidArgumentError naming it."""
    try:
        value = operator.index(value)
    except TypeError:
        raise InvalidArgumentError(f"{name} is {value!r}: it must be an integer") from None
    if not -(2**31) <= value < 2**31:
        raise InvalidArgumentError(f"{name} is {value}: it is out of range")
    return value


def _frequency_option(name, value):
    """``None`` (automatic, 0 in C) or a float."""
    return 0.0 if value is None else float(value)


def _dy(dy, n, name="dy"):
    """``dy`` as a contiguous float64 vector of n values (a scalar is broadcast), or ``None``."""
    if dy is None:
        return None
    array = np.asarray(dy, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n, float(array))
    array = _vector(name, array)
    if array.shape[0] != n:
        raise DimensionError(f"t has {n} elements but {name} has {array.shape[0]}")
    return array


def _options(fit_mean=True, center_data=True, nterms=1, normalization="standard",
             method="exact", n_threads=0, samples_per_peak=5, nyquist_factor=5,
             minimum_frequency=None, maximum_frequency=None, fap_method="baluev",
             n_bootstraps=1000, random_seed=None):
    """An ``ik_lomb_scargle_options_t`` filled by the library's defaults, then by the arguments."""
    options = _capi.ik_lomb_scargle_options_t()
    check(lib.ik_lomb_scargle_options_default(ctypes.byref(options)))
    options.fit_mean = 1 if fit_mean else 0
    options.center_data = 1 if center_data else 0
    options.nterms = _int32("nterms", nterms)
    options.normalization = _choice("normalization", normalization, NORMALIZATIONS)
    options.method = _choice("method", method, METHODS)
    options.n_threads = _int32("n_threads", n_threads)
    options.samples_per_peak = float(samples_per_peak)
    options.nyquist_factor = float(nyquist_factor)
    options.minimum_frequency = _frequency_option("minimum_frequency", minimum_frequency)
    options.maximum_frequency = _frequency_option("maximum_frequency", maximum_frequency)
    options.fap_method = _choice("method", fap_method, FAP_METHODS)
    options.n_bootstraps = _int32("n_bootstraps", n_bootstraps)
    if random_seed is None:
        random_seed = 0
    seed = operator.index(random_seed)
    if not 0 <= seed < 2**64:
        raise InvalidArgumentError(f"random_seed is {seed}: it must be in [0, 2**64)")
    options.seed = seed
    return options


def _bootstrap_keywords(method_kwds):
    """``n_bootstraps`` and ``random_seed`` from astropy's ``method_kwds`` (others rejected)."""
    method_kwds = dict(method_kwds or {})
    n_bootstraps = method_kwds.pop("n_bootstraps", 1000)
    random_seed = method_kwds.pop("random_seed", None)
    if method_kwds:
        raise InvalidArgumentError(
            f"method_kwds has {sorted(method_kwds)!r}: only 'n_bootstraps' and 'random_seed' are known"
        )
    return n_bootstraps, random_seed


# ------------------------------------------------------------------------------------------
# LombScargle
# ------------------------------------------------------------------------------------------


class LombScargle:
    """The Lomb-Scargle periodogram, with the arguments of ``astropy.timeseries.LombScargle``.

    At each frequency f the model
    ``y(t) = [c] + sum_{k=1..nterms} a_k sin(2 pi k f t) + b_k cos(2 pi k f t)`` (the offset c
    only with ``fit_mean``) is fitted by weighted least squares (weights 1/dy**2) to y, first
    centred on its weighted mean when ``fit_mean`` or ``center_data``; the power measures how
    much it lowers chi-square: with chi2_ref of the centred data and chi2(f) of the best model,
    ``"standard"`` is 1 - chi2(f)/chi2_ref, ``"model"`` chi2_ref/chi2(f) - 1, ``"log"``
    ln(chi2_ref/chi2(f)) and ``"psd"`` (chi2_ref - chi2(f))/2.

    Parameters:
        t: observation times, 1-D, finite, any order.
        y: observations, same length, finite.
        dy: uncertainties of y, a scalar or the same length, finite and > 0; ``None`` for 1.
        fit_mean: fit an offset at every frequency (the generalised periodogram).
        center_data: subtract the weighted mean of y first.
        nterms: number of harmonics of the model (1..256).
        normalization: ``"standard"``, ``"model"``, ``"log"`` or ``"psd"``.

    The arrays are copied; the attributes ``fit_mean``, ``center_data``, ``nterms`` and
    ``normalization`` may be changed afterwards, as in astropy.
    """

    def __init__(self, t, y, dy=None, fit_mean=True, center_data=True, nterms=1,
                 normalization="standard"):
        """Validate the shapes of t, y and dy and keep float64 copies."""
        t = np.array(t, dtype=np.float64)
        y = np.array(y, dtype=np.float64)
        if t.ndim != 1:
            raise DimensionError(f"t must be 1-D, but it has shape {t.shape}")
        if y.ndim != 1:
            raise DimensionError(f"y must be 1-D, but it has shape {y.shape}")
        if t.shape[0] != y.shape[0]:
            raise DimensionError(f"t has {t.shape[0]} elements but y has {y.shape[0]}")
        self.t = np.ascontiguousarray(t)
        self.y = np.ascontiguousarray(y)
        self.dy = _dy(dy, t.shape[0])
        self.fit_mean = fit_mean
        self.center_data = center_data
        self.nterms = nterms
        self.normalization = normalization

    def _options(self, **kwargs):
        """Options from the attributes and ``kwargs``."""
        settings = dict(fit_mean=self.fit_mean, center_data=self.center_data, nterms=self.nterms,
                        normalization=self.normalization)
        if kwargs.get("normalization") is None:
            kwargs.pop("normalization", None)
        settings.update(kwargs)
        return _options(**settings)

    def _data(self):
        """The pointers and length of (t, y, dy)."""
        return _pointer(self.t), _pointer(self.y), _pointer(self.dy), self.t.shape[0]

    # -- frequencies and power ---------------------------------------------------------------

    def autofrequency(self, samples_per_peak=5, nyquist_factor=5, minimum_frequency=None,
                      maximum_frequency=None, return_freq_limits=False):
        """The automatic frequency grid (astropy's ``autofrequency``).

        With baseline = max(t) - min(t): step df = 1 / (baseline samples_per_peak), from
        ``minimum_frequency`` (default df/2) to ``maximum_frequency`` (default
        nyquist_factor * n / (2 baseline)) in 1 + round((max - min) / df) points.

        Returns the grid ``f0 + df * arange(n_freq)``, or ``(f0, last)`` with
        ``return_freq_limits``.
        """
        options = self._options(samples_per_peak=samples_per_peak, nyquist_factor=nyquist_factor,
                                minimum_frequency=minimum_frequency,
                                maximum_frequency=maximum_frequency)
        f0, df, n_freq = ctypes.c_double(), ctypes.c_double(), ctypes.c_size_t()
        check(lib.ik_lomb_scargle_autofrequency(_pointer(self.t), self.t.shape[0],
                                                ctypes.byref(options), ctypes.byref(f0),
                                                ctypes.byref(df), ctypes.byref(n_freq)))
        if return_freq_limits:
            return f0.value, f0.value + df.value * (n_freq.value - 1)
        return f0.value + df.value * np.arange(n_freq.value)

    def power(self, frequency, normalization=None, method="exact", assume_regular_frequency=False,
              method_kwds=None, n_threads=0):
        """The power at ``frequency`` (any shape; the result has the same shape).

        Parameters:
            frequency: frequencies > 0 in cycles per unit of t. A regular grid (as made by
                ``linspace``, ``arange`` or :meth:`autofrequency`) is evaluated fastest.
            normalization: overrides the instance's normalization.
            method: ``"exact"`` (default) or ``"fast"`` (a non-uniform FFT on a regular grid;
                standard powers within ~1e-13 of the exact ones on typical data, < 1e-9
                always in the tests). astropy's names are accepted.
            assume_regular_frequency, method_kwds: accepted for compatibility with astropy
                and ignored (the library checks the grid itself).
            n_threads: threads, 0 for all cores; the result does not depend on it.
        """
        del assume_regular_frequency, method_kwds
        frequency = np.asarray(frequency, dtype=np.float64)
        shape = frequency.shape
        flat = np.ascontiguousarray(frequency.ravel())
        out = np.empty(flat.shape[0], dtype=np.float64)
        options = self._options(normalization=normalization, method=method, n_threads=n_threads)
        t, y, dy, n = self._data()
        check(lib.ik_lomb_scargle_power(t, y, dy, n, _pointer(flat), flat.shape[0],
                                        ctypes.byref(options), _pointer(out)))
        return out.reshape(shape)

    def autopower(self, method="exact", method_kwds=None, normalization=None, samples_per_peak=5,
                  nyquist_factor=5, minimum_frequency=None, maximum_frequency=None, n_threads=0):
        """``(frequency, power)`` on the automatic grid (astropy's ``autopower``)."""
        del method_kwds
        options = self._options(normalization=normalization, method=method, n_threads=n_threads,
                                samples_per_peak=samples_per_peak, nyquist_factor=nyquist_factor,
                                minimum_frequency=minimum_frequency,
                                maximum_frequency=maximum_frequency)
        f0, df, n_freq = ctypes.c_double(), ctypes.c_double(), ctypes.c_size_t()
        check(lib.ik_lomb_scargle_autofrequency(_pointer(self.t), self.t.shape[0],
                                                ctypes.byref(options), ctypes.byref(f0),
                                                ctypes.byref(df), ctypes.byref(n_freq)))
        frequency = np.empty(n_freq.value, dtype=np.float64)
        power = np.empty(n_freq.value, dtype=np.float64)
        t, y, dy, n = self._data()
        check(lib.ik_lomb_scargle_autopower(t, y, dy, n, ctypes.byref(options), _pointer(frequency),
                                            _pointer(power), power.shape[0], ctypes.byref(n_freq)))
        return frequency, power

    # -- the model ---------------------------------------------------------------------------

    def model(self, t, frequency):
        """The best-fit model at one ``frequency`` evaluated at times ``t`` (astropy's ``model``).

        offset() + [c] + sum_k a_k sin(2 pi k f t) + b_k cos(2 pi k f t), fitted by QR of the
        weighted design. Returns an array of the shape of ``t``.
        """
        t = np.asarray(t, dtype=np.float64)
        shape = t.shape
        flat = np.ascontiguousarray(t.ravel())
        out = np.empty(flat.shape[0], dtype=np.float64)
        if flat.shape[0] == 0:
            return out.reshape(shape)
        options = self._options()
        td, y, dy, n = self._data()
        check(lib.ik_lomb_scargle_model(td, y, dy, n, _scalar_frequency(frequency), _pointer(flat),
                                        flat.shape[0], ctypes.byref(options), _pointer(out)))
        return out.reshape(shape)

    def model_parameters(self, frequency, units=True):
        """The best-fit parameters at ``frequency`` (astropy's ``model_parameters``).

        ``[c]`` (with fit_mean), then a_1, b_1, ..., a_nterms, b_nterms of
        sin(2 pi k f t), cos(2 pi k f t) for y - offset(), t measured from 0. ``units`` is
        accepted for compatibility and ignored.
        """
        del units
        options = self._options()
        count = (1 if self.fit_mean else 0) + 2 * _int32("nterms", self.nterms)
        theta = np.empty(max(count, 0), dtype=np.float64)
        t, y, dy, n = self._data()
        check(lib.ik_lomb_scargle_model_parameters(t, y, dy, n, _scalar_frequency(frequency),
                                                   ctypes.byref(options), _pointer(theta),
                                                   theta.shape[0], None))
        return theta

    def offset(self):
        """The weighted mean of y when ``center_data`` (else 0), as astropy's ``offset``."""
        options = self._options()
        count = (1 if self.fit_mean else 0) + 2 * _int32("nterms", self.nterms)
        theta = np.empty(max(count, 0), dtype=np.float64)
        value = ctypes.c_double()
        t, y, dy, n = self._data()
        check(lib.ik_lomb_scargle_model_parameters(t, y, dy, n, _model_frequency(self.t),
                                                   ctypes.byref(options), _pointer(theta),
                                                   theta.shape[0], ctypes.byref(value)))
        return value.value

    # -- significance ------------------------------------------------------------------------

    def false_alarm_probability(self, power, method="baluev", samples_per_peak=5,
                                nyquist_factor=5, minimum_frequency=None, maximum_frequency=None,
                                method_kwds=None):
        """The false-alarm probability of peaks of height ``power`` (astropy's method).

        ``method``: ``"baluev"`` (default), ``"davies"``, ``"naive"``, ``"bootstrap"`` or
        ``"single"``; f_max is the last frequency of :meth:`autofrequency` with the given
        arguments. Bootstrap: ``method_kwds={"n_bootstraps": 1000, "random_seed": 0}``.
        Needs nterms = 1 and centred data, as astropy. Returns a float for a scalar power.
        """
        return self._significance(lib.ik_lomb_scargle_false_alarm_probability, power, method,
                                  samples_per_peak, nyquist_factor, minimum_frequency,
                                  maximum_frequency, method_kwds)

    def false_alarm_level(self, false_alarm_probability, method="baluev", samples_per_peak=5,
                          nyquist_factor=5, minimum_frequency=None, maximum_frequency=None,
                          method_kwds=None):
        """The peak height whose false-alarm probability is ``false_alarm_probability``."""
        return self._significance(lib.ik_lomb_scargle_false_alarm_level, false_alarm_probability,
                                  method, samples_per_peak, nyquist_factor, minimum_frequency,
                                  maximum_frequency, method_kwds)

    def _significance(self, function, values, method, samples_per_peak, nyquist_factor,
                      minimum_frequency, maximum_frequency, method_kwds):
        """Run a false-alarm function elementwise over ``values``."""
        n_bootstraps, random_seed = _bootstrap_keywords(method_kwds)
        options = self._options(fap_method=method, samples_per_peak=samples_per_peak,
                                nyquist_factor=nyquist_factor, minimum_frequency=minimum_frequency,
                                maximum_frequency=maximum_frequency, n_bootstraps=n_bootstraps,
                                random_seed=random_seed)
        values = np.asarray(values, dtype=np.float64)
        flat = np.ascontiguousarray(values.ravel())
        out = np.empty(flat.shape[0], dtype=np.float64)
        if flat.shape[0] == 0:
            return out.reshape(values.shape)
        t, y, dy, n = self._data()
        check(function(t, y, dy, n, _pointer(flat), flat.shape[0], ctypes.byref(options),
                       _pointer(out)))
        if values.ndim == 0:
            return float(out[0])
        return out.reshape(values.shape)


def _scalar_frequency(frequency):
    """A single frequency as a float (astropy requires a scalar too)."""
    array = np.asarray(frequency, dtype=np.float64)
    if array.size != 1:
        raise DimensionError(f"frequency must be a single value, but it has shape {array.shape}")
    return float(array.reshape(()))


def _model_frequency(t):
    """A harmless frequency (1 / baseline, or 1) for calls that only need the offset."""
    span = float(np.max(t) - np.min(t)) if t.size and np.all(np.isfinite(t)) else 0.0
    return 1.0 / span if span > 0 else 1.0


# ------------------------------------------------------------------------------------------
# Batches
# ------------------------------------------------------------------------------------------


def lomb_scargle_batch(t, y, frequency, dy=None, fit_mean=True, center_data=True, nterms=1,
                       normalization="standard", method="exact", n_threads=0):
    """Periodograms of many series observed at the same times, in one call.

    Parameters:
        t: ``(n,)`` times.
        y: ``(n_series, n)`` values (one series per row); a 1-D y is one series.
        frequency: ``(n_freq,)`` frequencies shared by every series.
        dy: ``None``, a scalar, ``(n,)`` shared by every series, or ``(n_series, n)``.
        fit_mean, center_data, nterms, normalization, method, n_threads: as
            :meth:`LombScargle.power`.

    Returns ``(n_series, n_freq)`` powers (``(n_freq,)`` for a 1-D y), row s equal to
    ``LombScargle(t, y[s], dy[s]).power(frequency)``.
    """
    t = _vector("t", t)
    y = np.asarray(y, dtype=np.float64)
    single = y.ndim == 1
    if single:
        y = y[np.newaxis, :]
    if y.ndim != 2:
        raise DimensionError(f"y must be 1-D or 2-D (n_series, n), but it has shape {y.shape}")
    y = np.ascontiguousarray(y)
    n_series, n = y.shape
    if n != t.shape[0]:
        raise DimensionError(f"t has {t.shape[0]} elements but each series of y has {n}")
    per_series = 0
    if dy is not None:
        dy = np.asarray(dy, dtype=np.float64)
        if dy.ndim == 2:
            if dy.shape != y.shape:
                raise DimensionError(f"y has shape {y.shape} but dy has shape {dy.shape}")
            dy = np.ascontiguousarray(dy)
            per_series = 1
        else:
            dy = _dy(dy, n)
    frequency = _vector("frequency", frequency)
    options = _options(fit_mean=fit_mean, center_data=center_data, nterms=nterms,
                       normalization=normalization, method=method, n_threads=n_threads)
    out = np.empty((n_series, frequency.shape[0]), dtype=np.float64)
    check(lib.ik_lomb_scargle_power_batch(_pointer(t), n, _pointer(y), n_series, _pointer(dy),
                                          per_series, _pointer(frequency), frequency.shape[0],
                                          ctypes.byref(options), _pointer(out)))
    return out[0] if single else out
