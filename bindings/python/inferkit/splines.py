"""B-splines, least-squares and interpolating splines, and simple interpolators.

The conventions follow ``scipy.interpolate``: a spline of degree k is
s(x) = sum_j c_j B_{j,k;t}(x) with de Boor's normalised B-splines on the knots t
(``scipy.interpolate.BSpline``); :func:`make_lsq_spline` and :func:`make_interp_spline` take
scipy's arguments and choose scipy's knots. :func:`interp_linear` takes the arguments of
``numpy.interp`` and :func:`interp_nearest` behaves as ``scipy.interpolate.interp1d`` with
``kind="nearest"`` inside the data and the end values outside. The numerical work (banded QR
of the B-spline design, never the normal equations) is done by libinferkit; its errors arrive
as :class:`inferkit.InferKitError` subclasses whose message names the argument and the value.
"""

import ctypes
import operator

import numpy as np

from . import _capi
from ._errors import DimensionError, InvalidArgumentError, check
from ._arrays import pointer as _pointer, same_length as _same_length, vector as _vector
from ._library import lib

__all__ = [
    "BSpline",
    "make_lsq_spline",
    "make_interp_spline",
    "interp_linear",
    "interp_nearest",
    "BOUNDARY_CONDITIONS",
]

#: ``bc_type`` values accepted by :func:`make_interp_spline` -> ``IK_SPLINE_*``.
BOUNDARY_CONDITIONS = {
    None: _capi.IK_SPLINE_NOT_A_KNOT,
    "not-a-knot": _capi.IK_SPLINE_NOT_A_KNOT,
    "natural": _capi.IK_SPLINE_NATURAL,
    "clamped": _capi.IK_SPLINE_CLAMPED,
}

_SPLINE_P = ctypes.POINTER(_capi.ik_spline_t)


# ------------------------------------------------------------------------------------------
# Argument conversion
# ------------------------------------------------------------------------------------------





def _points(x):
    """Evaluation points: (flat contiguous float64 array, original shape, was-scalar)."""
    array = np.asarray(x, dtype=np.float64)
    return np.ascontiguousarray(array.ravel()), array.shape, array.ndim == 0


def _result(values, shape, scalar):
    """``values`` reshaped to the caller's ``shape``; a Python float for a scalar input."""
    if scalar:
        return float(values[0])
    return values.reshape(shape)


def _integer(name, value):
    """``value`` as a Python int (any integer type), or InvalidArgumentError naming it."""
    try:
        return operator.index(value)
    except TypeError:
        raise InvalidArgumentError(f"{name} is {value!r}: it must be an integer") from None


def _int32(name, value):
    """An integer that fits the C ``int32_t`` argument; larger values are out of range."""
    value = _integer(name, value)
    if not -(2**31) <= value < 2**31:
        raise InvalidArgumentError(f"{name} is {value}: it is out of range")
    return value


def _extrapolate_code(value):
    """``IK_SPLINE_EXTRAPOLATE`` for True, ``IK_SPLINE_NAN_OUTSIDE`` for False."""
    if isinstance(value, (bool, np.bool_)) or value in (0, 1):
        return _capi.IK_SPLINE_EXTRAPOLATE if value else _capi.IK_SPLINE_NAN_OUTSIDE
    raise InvalidArgumentError(
        f"extrapolate is {value!r}: expected True or False ('periodic' is not supported)"
    )


def _absolute_sigma(value):
    """The C flag for ``absolute_sigma``: 1 for True, 0 for False."""
    return 1 if value else 0


# ------------------------------------------------------------------------------------------
# BSpline
# ------------------------------------------------------------------------------------------


class BSpline:
    """A spline of degree k in the B-spline basis, as ``scipy.interpolate.BSpline``.

    s(x) = sum_j c_j B_{j,k;t}(x), with n_c = len(t) - k - 1 coefficients. The base interval
    is [t[k], t[n_c]]; outside it the spline either continues its first and last polynomial
    pieces (``extrapolate=True``, scipy's default) or is NaN (``extrapolate=False``).

    Parameters:
        t: knots, 1-D, finite and non-decreasing; no knot repeated more than k + 1 times and
            t[k] < t[n_c].
        c: coefficients, exactly len(t) - k - 1 finite values (scipy ignores extra
            coefficients; InferKit rejects them with :class:`DimensionError`).
        k: degree, 0 <= k <= 20.
        extrapolate: the default out-of-interval behaviour of :meth:`__call__` and
            :meth:`integrate` (``True`` or ``False``; scipy's ``"periodic"`` is not supported).

    Attributes:
        t: the knots (read-only float64 array).
        c: the coefficients (read-only float64 array).
        k: the degree (int).
        extrapolate: the default out-of-interval behaviour (bool).

    The library keeps its own copy of t and c, so the arrays are read-only: build a new
    ``BSpline`` to change them. Splines from :func:`make_lsq_spline` also carry the
    coefficient covariance (:attr:`cov`, :meth:`covariance`, :meth:`predict_std`).
    """

    def __init__(self, t, c, k, extrapolate=True):
        """Create the library's spline from knots ``t``, coefficients ``c`` and degree ``k``."""
        t = _vector("t", t)
        c = _vector("c", c)
        k = _int32("k", k)
        code = _extrapolate_code(extrapolate)
        handle = _SPLINE_P()
        check(lib.ik_spline_create(_pointer(t), t.shape[0], _pointer(c), c.shape[0], k,
                                   ctypes.byref(handle)))
        self._adopt(handle, code)

    @classmethod
    def _from_handle(cls, handle, extrapolate=True):
        """A ``BSpline`` that owns the library handle ``handle`` (from a factory function)."""
        spline = cls.__new__(cls)
        spline._adopt(handle, _extrapolate_code(extrapolate))
        return spline

    def _adopt(self, handle, extrapolate_code):
        """Take ownership of ``handle`` and read its knots, coefficients and degree."""
        self._handle = handle
        n_t, n_c, k = ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_int32()
        check(lib.ik_spline_info(handle, ctypes.byref(n_t), ctypes.byref(n_c), ctypes.byref(k)))
        t = np.empty(n_t.value, dtype=np.float64)
        c = np.empty(n_c.value, dtype=np.float64)
        check(lib.ik_spline_knots(handle, _pointer(t), t.size))
        check(lib.ik_spline_coefficients(handle, _pointer(c), c.size))
        t.setflags(write=False)
        c.setflags(write=False)
        self._t, self._c, self._k = t, c, int(k.value)
        self.extrapolate = extrapolate_code == _capi.IK_SPLINE_EXTRAPOLATE

    # -- attributes ----------------------------------------------------------------------

    @property
    def t(self):
        """The knots, ``(n_t,)`` read-only float64 array."""
        return self._t

    @property
    def c(self):
        """The coefficients, ``(n_t - k - 1,)`` read-only float64 array."""
        return self._c

    @property
    def k(self):
        """The degree of the spline."""
        return self._k

    @property
    def base_interval(self):
        """The base interval ``(t[k], t[n_t - k - 1])`` as a tuple of floats."""
        return float(self._t[self._k]), float(self._t[self._t.shape[0] - self._k - 1])

    def _extrapolate(self, extrapolate):
        """The C code for ``extrapolate``, with ``None`` meaning the spline's own default."""
        return _extrapolate_code(self.extrapolate if extrapolate is None else extrapolate)

    # -- evaluation ----------------------------------------------------------------------

    def __call__(self, x, nu=0, extrapolate=None):
        """The spline's ``nu``-th derivative at ``x``.

        Parameters:
            x: a scalar (returns a float) or an array of any shape (returns an array of the
                same shape). NaN in x gives NaN.
            nu: derivative order, >= 0; nu > k gives 0. (scipy's negative nu, an
                antiderivative, is not supported.)
            extrapolate: ``True`` continues the end pieces outside the base interval,
                ``False`` gives NaN there; ``None`` uses :attr:`extrapolate`.
        """
        nu = _int32("nu", nu)
        code = self._extrapolate(extrapolate)
        points, shape, scalar = _points(x)
        out = np.empty(points.shape[0], dtype=np.float64)
        if points.shape[0] > 0:
            check(lib.ik_spline_evaluate(self._handle, _pointer(points), points.shape[0], nu,
                                         code, _pointer(out)))
        return _result(out, shape, scalar)

    def integrate(self, a, b, extrapolate=None):
        """The definite integral of the spline from ``a`` to ``b`` (a float).

        a > b gives the negative of the integral from b to a. With ``extrapolate=False`` only
        the part of [a, b] inside the base interval counts (scipy clips a and b the same way);
        ``None`` uses :attr:`extrapolate`.
        """
        code = self._extrapolate(extrapolate)
        out = ctypes.c_double()
        check(lib.ik_spline_integrate(self._handle, float(a), float(b), code, ctypes.byref(out)))
        return out.value

    @staticmethod
    def design_matrix(x, t, k, nu=0):
        """The B-spline design matrix at ``x``: element (i, j) is the nu-th derivative of B_j.

        Parameters:
            x: 1-D array of points inside the base interval [t[k], t[len(t) - k - 1]].
            t: knots, as for :class:`BSpline`.
            k: degree.
            nu: derivative order (scipy's ``design_matrix`` has no ``nu``; 0 is its matrix).

        Returns a dense C-ordered float64 array of shape ``(len(x), len(t) - k - 1)``.
        scipy's ``BSpline.design_matrix`` returns the same values as a sparse CSR array
        (``.toarray()`` gives this matrix); at most k + 1 entries of each row are non-zero.
        """
        x = _vector("x", x)
        t = _vector("t", t)
        k = _int32("k", k)
        nu = _int32("nu", nu)
        cols = max(t.shape[0] - k - 1, 0)
        out = np.empty((x.shape[0], cols), dtype=np.float64)
        check(lib.ik_spline_design_matrix(_pointer(t), t.shape[0], k, _pointer(x), x.shape[0], nu,
                                          _capi.IK_ROW_MAJOR, _pointer(out), out.size))
        return out

    # -- uncertainties of least-squares fits ---------------------------------------------

    def covariance(self, absolute_sigma=False):
        """Covariance of the coefficients of a :func:`make_lsq_spline` fit, ``(n_c, n_c)``.

        (B^T W^2 B)^-1 with B the B-spline design and W = diag(w); scaled by
        chi2 / (n - n_c) unless ``absolute_sigma`` (then the weights are 1/sigma of absolute
        errors, as ``absolute_sigma`` in ``scipy.optimize.curve_fit``). Raises
        :class:`InvalidArgumentError` for splines not made by :func:`make_lsq_spline`.
        """
        n_c = self._c.shape[0]
        out = np.empty((n_c, n_c), dtype=np.float64)
        check(lib.ik_spline_covariance(self._handle, _absolute_sigma(absolute_sigma),
                                       _pointer(out), out.size))
        return out

    @property
    def cov(self):
        """The coefficient covariance with relative weights, ``covariance(absolute_sigma=False)``.

        Raises :class:`InvalidArgumentError` for splines not made by :func:`make_lsq_spline`.
        """
        return self.covariance(absolute_sigma=False)

    def predict_std(self, x, absolute_sigma=False):
        """Standard error of a least-squares spline at ``x``: sqrt(b(x)^T cov b(x)).

        b(x) holds the B-spline values at x; this is the uncertainty of the fitted curve,
        without the noise of a new observation. ``cov`` is :meth:`covariance` with the same
        ``absolute_sigma``. ``x`` may be a scalar (returns a float) or an array (returns the
        same shape). Raises :class:`InvalidArgumentError` for splines not made by
        :func:`make_lsq_spline`.
        """
        points, shape, scalar = _points(x)
        out = np.empty(points.shape[0], dtype=np.float64)
        if points.shape[0] > 0:
            check(lib.ik_spline_predict_std(self._handle, _pointer(points), points.shape[0],
                                            _absolute_sigma(absolute_sigma), _pointer(out)))
        return _result(out, shape, scalar)

    # -- lifetime ------------------------------------------------------------------------

    def __del__(self, _free=lib.ik_spline_free):
        """Release the library's spline (the default argument survives interpreter shutdown)."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        """A one-line summary: degree, number of knots and coefficients, base interval."""
        lo, hi = self.base_interval
        return (f"<BSpline k={self._k}, {self._t.shape[0]} knots, {self._c.shape[0]} "
                f"coefficients on [{lo:g}, {hi:g}], extrapolate={self.extrapolate}>")


# ------------------------------------------------------------------------------------------
# Fits and interpolation
# ------------------------------------------------------------------------------------------


def _weighted_data(x, y, w):
    """x, y and optional w as float64 vectors of one length."""
    x = _vector("x", x)
    y = _vector("y", y)
    _same_length("y", y, "x", x)
    if w is not None:
        w = _vector("w", w)
        _same_length("w", w, "x", x)
    return x, y, w


def make_lsq_spline(x, y, t, k=3, w=None):
    """Weighted least-squares spline with given knots (``scipy.interpolate.make_lsq_spline``).

    Minimises sum_i (w_i (y_i - s(x_i)))^2 by a banded QR of the B-spline design (Givens
    rotations), never the normal equations.

    Parameters:
        x: 1-D array of n finite abscissae, sorted (non-decreasing), inside the base interval
            [t[k], t[len(t) - k - 1]].
        y: n finite values.
        t: knots, as for :class:`BSpline`. Every B-spline needs data under it (the
            Schoenberg-Whitney conditions), else :class:`SingularError`.
        k: degree.
        w: n finite weights > 0 (1/sigma), or ``None`` (all 1).

    Returns a :class:`BSpline` that also carries the coefficient covariance
    (:attr:`BSpline.cov`, :meth:`BSpline.covariance`, :meth:`BSpline.predict_std`).
    """
    x, y, w = _weighted_data(x, y, w)
    t = _vector("t", t)
    k = _int32("k", k)
    handle = _SPLINE_P()
    check(lib.ik_spline_lsq(_pointer(x), x.shape[0], _pointer(y), _pointer(w), _pointer(t),
                            t.shape[0], k, ctypes.byref(handle)))
    return BSpline._from_handle(handle)


def make_interp_spline(x, y, k=3, bc_type=None):
    """Interpolating spline of degree k through (x_i, y_i), as scipy's ``make_interp_spline``.

    Parameters:
        x: 1-D array of n finite, strictly increasing abscissae, n >= k + 1.
        y: n finite values.
        k: degree.
        bc_type: ``None`` or ``"not-a-knot"`` (scipy's default: interior knots from the data,
            no end conditions), ``"natural"`` (s'' = 0 at both ends) or ``"clamped"``
            (s' = 0 at both ends); the last two need k = 3. scipy's derivative tuples and
            ``"periodic"`` are not supported.

    The knots are scipy's: for not-a-knot the data without the (k + 1)/2 points next to each
    end (odd k) or the midpoints between data without k/2 at each end (even k), the ends
    repeated k + 1 times; for natural and clamped, the data with 3 more copies of each end.
    Returns a :class:`BSpline`.
    """
    x = _vector("x", x)
    y = _vector("y", y)
    k = _int32("k", k)
    _same_length("y", y, "x", x)
    try:
        bc = BOUNDARY_CONDITIONS[bc_type]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(key) for key in BOUNDARY_CONDITIONS)
        raise InvalidArgumentError(
            f"bc_type is {bc_type!r}: expected one of {allowed}"
        ) from None
    handle = _SPLINE_P()
    check(lib.ik_spline_interp(_pointer(x), x.shape[0], _pointer(y), k, bc, ctypes.byref(handle)))
    return BSpline._from_handle(handle)


def _interp(function, x, xp, fp):
    """Call ``ik_interp_linear`` or ``ik_interp_nearest`` with numpy.interp's arguments."""
    xp = _vector("xp", xp)
    fp = _vector("fp", fp)
    _same_length("fp", fp, "xp", xp)
    points, shape, scalar = _points(x)
    out = np.empty(points.shape[0], dtype=np.float64)
    if points.shape[0] > 0:
        check(function(_pointer(xp), _pointer(fp), xp.shape[0], _pointer(points),
                       points.shape[0], _pointer(out)))
    return _result(out, shape, scalar)


def interp_linear(x, xp, fp):
    """Piecewise-linear interpolation of (xp, fp) at ``x``, as ``numpy.interp(x, xp, fp)``.

    Parameters:
        x: a scalar (returns a float) or an array of any shape (returns the same shape).
        xp: 1-D array of finite, strictly increasing abscissae (numpy.interp only asks for
            increasing ones; InferKit rejects repeats).
        fp: values at xp, as many as xp.

    Outside [xp[0], xp[-1]] the end values fp[0] and fp[-1] are returned.
    """
    return _interp(lib.ik_interp_linear, x, xp, fp)


def interp_nearest(x, xp, fp):
    """Nearest-neighbour interpolation of (xp, fp) at ``x``.

    As ``scipy.interpolate.interp1d(xp, fp, kind="nearest", bounds_error=False,
    fill_value=(fp[0], fp[-1]))``: inside [xp[0], xp[-1]] the value at the nearest xp (a tie
    halfway between two points takes the left one), outside the end values. Arguments and
    shapes as in :func:`interp_linear`; xp must be strictly increasing.
    """
    return _interp(lib.ik_interp_nearest, x, xp, fp)


def make_smoothing_spline(x, y, w=None, lam=None):
    """Cubic smoothing spline (``scipy.interpolate.make_smoothing_spline``).

    Minimises sum_i w_i (y_i - s(x_i))^2 + lam * integral s''(u)^2 du over cubic splines with
    knots at the data; the result is the natural cubic spline, in B-spline form with knots
    ``[x0]*3 + x + [x[-1]]*3``. Solved in O(n) by Givens rotations of the stacked data and
    penalty rows (QR accuracy for every lam).

    Parameters:
        x: 1-D array of n >= 5 finite, strictly increasing abscissae.
        y: n finite values.
        w: n finite weights > 0, or ``None`` (all 1).
        lam: the smoothing parameter >= 0, or ``None`` to choose it by generalised
            cross-validation (GCV = mean((y - s)^2) / (1 - tr(A)/n)^2, minimised over [0, n] by
            Brent's bounded method, as scipy).

    Returns a :class:`BSpline` whose attribute ``lam`` is the lambda used.
    """
    x, y, w = _weighted_data(x, y, w)
    if lam is None:
        lam_value = -1.0
    else:
        lam_value = float(lam)
        if not lam_value >= 0:
            raise InvalidArgumentError(f"lam is {lam!r}: it must be >= 0, or None for GCV")
    handle = _SPLINE_P()
    used = ctypes.c_double()
    check(lib.ik_spline_smoothing(_pointer(x), x.shape[0], _pointer(y), _pointer(w), lam_value,
                                  ctypes.byref(handle), ctypes.byref(used)))
    spline = BSpline._from_handle(handle)
    spline.lam = used.value
    return spline
