"""Linear and weighted least squares: design matrices, ``lstsq``, ``polyfit`` and ``LinearFit``.

The conventions follow numpy and scipy: arrays in and out are ``numpy.ndarray`` of float64;
polynomial coefficients are in increasing degree (as ``numpy.polynomial``); ``sigma`` and
``absolute_sigma`` mean what they mean in ``scipy.optimize.curve_fit``. The numerical work is
done by libinferkit (an orthogonal factorisation of the weighted design, never the normal
equations); its errors arrive as :class:`inferkit.InferKitError` subclasses whose message
names the argument and the value.
"""

import ctypes
import operator

import numpy as np

from . import _capi
from ._errors import DimensionError, InvalidArgumentError, check
from ._errors import choice as _choice
from ._arrays import pointer as _pointer, vector as _vector
from ._library import lib

__all__ = ["design_matrix", "lstsq", "polyfit", "LinearFit", "BASES", "METHODS"]

#: Basis names accepted by :func:`design_matrix` and :func:`polyfit` -> ``IK_BASIS_*``.
BASES = {
    "monomial": _capi.IK_BASIS_MONOMIAL,
    "legendre": _capi.IK_BASIS_LEGENDRE,
    "chebyshev": _capi.IK_BASIS_CHEBYSHEV,
    "fourier": _capi.IK_BASIS_FOURIER,
    "cosine": _capi.IK_BASIS_COSINE,
}

#: Method names accepted by :func:`lstsq` and :func:`polyfit` -> ``IK_LINEAR_*``.
METHODS = {"qr": _capi.IK_LINEAR_QR, "svd": _capi.IK_LINEAR_SVD}

_PERIODIC = ("fourier", "cosine")


# ------------------------------------------------------------------------------------------
# Argument conversion
# ------------------------------------------------------------------------------------------




def _matrix(name, values):
    """``values`` as a 2-D float64 array and its layout flag, copying only when needed.

    A Fortran-ordered array (contiguous by column but not by row) is passed as
    ``IK_COL_MAJOR`` without a copy; anything else becomes C-contiguous (``IK_ROW_MAJOR``).
    """
    array = np.asarray(values)
    if array.ndim != 2:
        raise DimensionError(f"{name} must be 2-D, but it has shape {array.shape}")
    if array.flags.f_contiguous and not array.flags.c_contiguous:
        return np.asfortranarray(array, dtype=np.float64), _capi.IK_COL_MAJOR
    return np.ascontiguousarray(array, dtype=np.float64), _capi.IK_ROW_MAJOR


def _data(name, values, rows, layout, rows_name):
    """Right-hand side(s) ``y`` as float64 in ``layout``, with ``rows`` rows; (array, n_rhs)."""
    array = np.asarray(values)
    if array.ndim not in (1, 2):
        raise DimensionError(f"{name} must be 1-D or 2-D, but it has shape {array.shape}")
    if array.shape[0] != rows:
        raise DimensionError(
            f"{rows_name} has {rows} rows but {name} has {array.shape[0]} "
            + ("elements" if array.ndim == 1 else "rows")
        )
    if layout == _capi.IK_COL_MAJOR:
        array = np.asfortranarray(array, dtype=np.float64)
    else:
        array = np.ascontiguousarray(array, dtype=np.float64)
    n_rhs = 1 if array.ndim == 1 else array.shape[1]
    return array, n_rhs


def _sigma(sigma, rows, rows_name):
    """``sigma`` as a contiguous float64 vector of ``rows`` elements, or ``None``."""
    if sigma is None:
        return None
    array = _vector("sigma", sigma)
    if array.shape[0] != rows:
        raise DimensionError(f"{rows_name} has {rows} rows but sigma has {array.shape[0]} elements")
    return array



def _degree(deg):
    """A non-negative integer degree (the C argument is a size_t)."""
    try:
        value = operator.index(deg)
    except TypeError:
        raise InvalidArgumentError(f"deg is {deg!r}: the degree must be an integer") from None
    if value < 0:
        raise InvalidArgumentError(f"deg is {value}: the degree must be >= 0")
    return value


def _domain(domain):
    """The ``{lo, hi}`` domain as a float64 array of 2 elements, or ``None``."""
    if domain is None:
        return None
    array = np.ascontiguousarray(domain, dtype=np.float64)
    if array.shape != (2,):
        raise DimensionError(f"domain must hold 2 values (lo, hi), but it has shape {array.shape}")
    return array


def _period(kind, period):
    """The period as a float; required for the periodic bases, ignored (0) otherwise."""
    if period is None:
        if kind in _PERIODIC:
            raise InvalidArgumentError(f"period is None: the {kind!r} basis needs a period > 0")
        return 0.0
    return float(period)


def _options(method, absolute_sigma, rcond, allow_rank_deficient, refine, n_threads):
    """An ``ik_linear_options_t`` filled by the library's defaults, then by the arguments."""
    options = _capi.ik_linear_options_t()
    check(lib.ik_linear_options_default(ctypes.byref(options)))
    options.method = _choice("method", method, METHODS)
    options.absolute_sigma = 1 if absolute_sigma else 0
    options.allow_rank_deficient = 1 if allow_rank_deficient else 0
    options.refine = -1 if refine is None else operator.index(refine)
    options.rcond = 0.0 if rcond is None else float(rcond)
    options.n_threads = operator.index(n_threads)
    return options


# ------------------------------------------------------------------------------------------
# Design matrices
# ------------------------------------------------------------------------------------------


def design_matrix(kind, x, deg, domain=None, period=None):
    """The design matrix of a basis at the points ``x``, shape ``(len(x), cols)``.

    Parameters:
        kind: ``"monomial"`` (x^0..x^deg), ``"legendre"`` or ``"chebyshev"`` (P_k(u) or T_k(u)
            with u = x mapped from ``domain`` onto [-1, 1]), ``"fourier"`` (1, cos(2 pi k x/P),
            sin(2 pi k x/P) for k = 1..deg: 2 deg + 1 columns) or ``"cosine"``
            (cos(2 pi k x/P) for k = 0..deg).
        x: 1-D array of finite points.
        deg: the degree, or the number of modes of the periodic bases.
        domain: ``(lo, hi)`` for Legendre/Chebyshev; ``None`` maps [min x, max x].
        period: the period P > 0 of the Fourier and cosine bases (in the units of x).

    Returns a C-ordered float64 array. Columns are in increasing degree, as
    ``numpy.polynomial.*vander``.
    """
    basis = _choice("kind", kind, BASES)
    deg = _degree(deg)
    x = _vector("x", x)
    domain = _domain(domain)
    period = _period(kind, period)
    cols = ctypes.c_size_t()
    check(lib.ik_design_columns(basis, deg, ctypes.byref(cols)))
    out = np.empty((x.shape[0], cols.value), dtype=np.float64)
    check(lib.ik_design_matrix(basis, _pointer(x), x.shape[0], deg, _pointer(domain), period,
                               _capi.IK_ROW_MAJOR, _pointer(out), out.size))
    return out


# ------------------------------------------------------------------------------------------
# Fits
# ------------------------------------------------------------------------------------------


def lstsq(A, y, sigma=None, absolute_sigma=False, method="qr", rcond=None,
          allow_rank_deficient=False, refine=None, n_threads=0):
    """Weighted linear least squares: minimise sum(((y - A theta) / sigma)**2).

    Parameters:
        A: design matrix, shape ``(n, p)``. A Fortran-ordered float64 array is used without a
            copy.
        y: data, shape ``(n,)``, or ``(n, k)`` for k right-hand sides fitted with one
            factorisation.
        sigma: ``(n,)`` standard deviations > 0 shared by every right-hand side, or ``None``
            (all 1).
        absolute_sigma: as in ``scipy.optimize.curve_fit``: if False the covariance is scaled
            by chi2/dof (sigma are relative weights); if True sigma are absolute 1-sigma errors.
        method: ``"qr"`` (Householder QR, default) or ``"svd"`` (truncated SVD).
        rcond: relative cut-off for rank decisions; ``None`` means eps * max(n, p).
        allow_rank_deficient: return the minimum-norm solution of a rank-deficient problem
            (and set ``rank_deficient``) instead of raising :class:`SingularError`.
        refine: refinement with double-double residuals against ``A`` itself: ``None`` =
            automatic (when the forward error bound eps (cond + cond**2 |r| / (|A| |theta|))
            exceeds 1e-13; always for monomial polyfit), 0 = never, k > 0 = up to k steps.
        n_threads: threads for large problems, 0 = all cores (results do not depend on it).

    Returns a :class:`LinearFit`. Raises an :class:`InferKitError` subclass on bad input or a
    singular design.
    """
    a, layout = _matrix("A", A)
    rows, cols = a.shape
    y_array, n_rhs = _data("y", y, rows, layout, "A")
    sigma_array = _sigma(sigma, rows, "A")
    options = _options(method, absolute_sigma, rcond, allow_rank_deficient, refine, n_threads)
    handle = ctypes.POINTER(_capi.ik_linear_result_t)()
    check(lib.ik_linear_fit(_pointer(a), rows, cols, layout, _pointer(y_array), n_rhs,
                            _pointer(sigma_array), ctypes.byref(options), ctypes.byref(handle)))
    return LinearFit(handle, multiple=y_array.ndim == 2)


def polyfit(x, y, deg, sigma=None, basis="monomial", domain=None, period=None,
            absolute_sigma=False, method="qr", rcond=None, allow_rank_deficient=False,
            refine=None):
    """Fit y(x) in a basis by weighted linear least squares.

    Parameters:
        x: 1-D array of n finite abscissae.
        y: data, shape ``(n,)`` or ``(n, k)``.
        deg: polynomial degree, or number of modes of the ``"fourier"``/``"cosine"`` bases.
        sigma: ``(n,)`` standard deviations > 0, or ``None``.
        basis: ``"monomial"`` (default), ``"legendre"``, ``"chebyshev"``, ``"fourier"`` or
            ``"cosine"`` (see :func:`design_matrix`).
        domain: ``(lo, hi)`` for Legendre/Chebyshev; ``None`` maps [min x, max x].
        period: the period of the periodic bases.
        absolute_sigma, method, rcond, allow_rank_deficient, refine: as in :func:`lstsq`.

    The fit is computed in a well-conditioned basis and, for ``"monomial"``, converted to the
    coefficients of x^0..x^deg in the caller's x (increasing degree, as ``numpy.polynomial``)
    and refined there, so that ill-conditioned fits keep their digits. Returns a
    :class:`LinearFit` whose ``predict``/``predict_std`` take new x values.
    """
    basis_code = _choice("basis", basis, BASES)
    deg = _degree(deg)
    x = _vector("x", x)
    n = x.shape[0]
    y_in = np.asarray(y)
    layout = _capi.IK_ROW_MAJOR
    if y_in.ndim == 2 and y_in.flags.f_contiguous and not y_in.flags.c_contiguous:
        layout = _capi.IK_COL_MAJOR
    y_array, n_rhs = _data("y", y_in, n, layout, "x")
    sigma_array = _sigma(sigma, n, "x")
    domain = _domain(domain)
    period = _period(basis, period)
    options = _options(method, absolute_sigma, rcond, allow_rank_deficient, refine, 0)
    handle = ctypes.POINTER(_capi.ik_linear_result_t)()
    check(lib.ik_linear_polyfit(_pointer(x), n, _pointer(y_array), n_rhs, layout,
                                _pointer(sigma_array), deg, basis_code, _pointer(domain), period,
                                ctypes.byref(options), ctypes.byref(handle)))
    return LinearFit(handle, multiple=y_array.ndim == 2)


# ------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------


class LinearFit:
    """The result of :func:`lstsq` or :func:`polyfit`.

    Shapes below use n observations, p parameters and, for 2-D ``y``, k right-hand sides;
    for 1-D ``y`` the k axis is absent (and chi2, r2 are floats).

    Attributes:
        params: fitted parameters, ``(p,)`` or ``(p, k)``.
        stderr: standard errors sqrt(diag(cov)), ``(p,)`` or ``(p, k)``.
        cov: covariance (A^T W A)^-1, times chi2/dof unless ``absolute_sigma``, ``(p, p)`` or
            ``(k, p, p)``.
        corr: correlation matrix ``(p, p)`` (the same for every right-hand side).
        residuals: y - A theta (not divided by sigma), ``(n,)`` or ``(n, k)``.
        chi2: sum(((y - A theta) / sigma)**2), float or ``(k,)``.
        dof: degrees of freedom n - rank.
        r2: coefficient of determination weighted by 1/sigma**2: centred when the design has a
            constant column, uncentred otherwise; float or ``(k,)``.
        rank: numerical rank of the weighted design.
        singular_values: singular values of the weighted, column-equilibrated design,
            descending, ``(min(n, p),)``.
        cond: 2-norm condition number of the weighted, column-equilibrated design.
        flags: bits of ``IK_LINEAR_FLAG_*`` (see the boolean properties).
        refinement_steps: extended-precision refinement steps taken.
        absolute_sigma: whether the covariance was left unscaled (sigma absolute).
        r2_centered: whether ``r2`` is centred.
        method: ``"qr"`` or ``"svd"``.
        basis: the basis name of a :func:`polyfit` result, ``None`` for :func:`lstsq`.
        n_observations, n_params, n_rhs: n, p and k (k is 1 for 1-D y).
    """

    def __init__(self, handle, multiple):
        """Read every result from the library handle ``handle`` (which this object owns).

        ``multiple`` says whether ``y`` was 2-D (keep the right-hand-side axis).
        """
        self._handle = handle
        self._multiple = bool(multiple)
        info = _capi.ik_linear_info_t()
        info.struct_size = ctypes.sizeof(_capi.ik_linear_info_t)
        check(lib.ik_linear_result_info(handle, ctypes.byref(info)))
        n, p, k = info.rows, info.cols, info.n_rhs
        self.n_observations, self.n_params, self.n_rhs = n, p, k
        self.rank = int(info.rank)
        self.dof = int(info.dof)
        self.cond = float(info.cond)
        self.flags = int(info.flags)
        self.refinement_steps = int(info.refinement_steps)
        self.absolute_sigma = bool(info.absolute_sigma)
        self.r2_centered = bool(info.r2_centered)
        methods = {code: name for name, code in METHODS.items()}
        self.method = methods.get(info.method, info.method)
        bases = {code: name for name, code in BASES.items()}
        self.basis = None if info.basis < 0 else bases.get(info.basis, info.basis)

        params = self._read(lib.ik_linear_result_params, (p, k))
        stderr = self._read(lib.ik_linear_result_stderr, (p, k))
        residuals = self._read(lib.ik_linear_result_residuals, (n, k))
        chi2 = self._read(lib.ik_linear_result_chi2, (k,))
        r2 = self._read(lib.ik_linear_result_r2, (k,))
        self.corr = self._read(lib.ik_linear_result_corr, (p, p))
        self.singular_values = self._read(lib.ik_linear_result_singular_values, (min(n, p),))
        unscaled = self._read(lib.ik_linear_result_cov_unscaled, (p, p))
        scale = self._read(lib.ik_linear_result_cov_scale, (k,))
        cov = unscaled[None, :, :] * scale[:, None, None]
        if self._multiple:
            self.params, self.stderr, self.residuals = params, stderr, residuals
            self.chi2, self.r2, self.cov = chi2, r2, cov
        else:
            self.params, self.stderr, self.residuals = params[:, 0], stderr[:, 0], residuals[:, 0]
            self.chi2, self.r2, self.cov = float(chi2[0]), float(r2[0]), cov[0]

    def _read(self, getter, shape):
        """Call a ``ik_linear_result_*`` getter into a new row-major array of ``shape``."""
        out = np.empty(shape, dtype=np.float64)
        check(getter(self._handle, _pointer(out), out.size))
        return out

    # -- diagnostics ---------------------------------------------------------------------

    @property
    def rank_deficient(self):
        """True when rank < p: the minimum-norm solution and a pseudo-inverse covariance."""
        return bool(self.flags & _capi.IK_LINEAR_FLAG_RANK_DEFICIENT)

    @property
    def ill_conditioned(self):
        """True when the condition number exceeds 1/sqrt(eps): half the digits are at risk."""
        return bool(self.flags & _capi.IK_LINEAR_FLAG_ILL_CONDITIONED)

    @property
    def no_dof(self):
        """True when dof = 0 with relative sigma: the covariance is undefined (NaN)."""
        return bool(self.flags & _capi.IK_LINEAR_FLAG_NO_DOF)

    @property
    def refined(self):
        """True when the solution was refined in extended precision."""
        return bool(self.flags & _capi.IK_LINEAR_FLAG_REFINED)

    # -- prediction ----------------------------------------------------------------------

    def predict(self, X):
        """The fitted curve at new inputs: ``X @ params``.

        For an :func:`lstsq` result ``X`` is a design matrix ``(m, p)``; for a :func:`polyfit`
        result it is the new x values ``(m,)`` (or a scalar). Returns ``(m,)``, or ``(m, k)``
        for k right-hand sides.
        """
        return self._predict(X, want_std=False)[0]

    def predict_std(self, X):
        """Standard error of the fitted curve at ``X``: sqrt(diag(X cov X^T)).

        This is the uncertainty of the mean prediction, without the noise of a new
        observation. ``X`` and the returned shape are as in :meth:`predict`.
        """
        return self._predict(X, want_std=True)[1]

    def _predict(self, X, want_std):
        """(mean, std or None) at X, shaped like the fit's right-hand sides."""
        k = self.n_rhs
        scalar = False
        if self.basis is None:
            a, layout = _matrix("X", X)
            m = a.shape[0]
            mean = np.empty((m, k), dtype=np.float64)
            std = np.empty((m, k), dtype=np.float64) if want_std else None
            check(lib.ik_linear_predict(self._handle, _pointer(a), m, a.shape[1], layout,
                                        _pointer(mean), _pointer(std)))
        else:
            x = np.asarray(X)
            scalar = x.ndim == 0
            x = _vector("x", np.atleast_1d(x))
            m = x.shape[0]
            mean = np.empty((m, k), dtype=np.float64)
            std = np.empty((m, k), dtype=np.float64) if want_std else None
            check(lib.ik_linear_predict_x(self._handle, _pointer(x), m, _pointer(mean),
                                          _pointer(std)))
        return self._shape(mean, scalar), (None if std is None else self._shape(std, scalar))

    def _shape(self, values, scalar):
        """Drop the right-hand-side axis for 1-D y and the point axis for a scalar x."""
        if not self._multiple:
            values = values[:, 0]
        if scalar:
            values = values[0]
            if not self._multiple:
                values = float(values)
        return values

    # -- lifetime ------------------------------------------------------------------------

    def __del__(self, _free=lib.ik_linear_result_free):
        """Release the library's result (the default argument survives interpreter shutdown)."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        """A one-line summary: parameter count, right-hand sides, rank, chi2 and dof."""
        kind = "polyfit " + str(self.basis) if self.basis is not None else "lstsq"
        return (f"<LinearFit {kind}, method={self.method!r}, n={self.n_observations}, "
                f"p={self.n_params}, k={self.n_rhs}, rank={self.rank}, dof={self.dof}, "
                f"cond={self.cond:.3g}, flags={self.flags}>")
