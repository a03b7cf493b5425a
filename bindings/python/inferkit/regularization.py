"""Regularised inversion and deconvolution: Tikhonov, truncated SVD, NNLS/BVLS, convolution.

The conventions follow scipy and Hansen's Regularization Tools:

* :func:`convolution_matrix` builds the matrix R with ``R @ f == numpy.convolve(kernel, f,
  mode)`` (as ``scipy.linalg.convolution_matrix``), optionally with reflecting boundaries.
* :func:`tikhonov` minimises ``||(y - A f) / sigma||**2 + lam * ||L f||**2`` (lam multiplies the
  squared seminorm, as scikit-learn's ``alpha``) with L the identity, the first or second
  difference or any matrix, and chooses lam by generalised cross-validation, the L-curve corner
  or the discrepancy principle; :func:`deconvolve` does it for a convolution.
* :func:`tsvd` is the truncated SVD with the truncation chosen the same ways.
* :func:`nnls` returns ``(x, rnorm)`` as ``scipy.optimize.nnls``; :func:`bvls` takes
  ``bounds=(lower, upper)`` as ``scipy.optimize.lsq_linear``.

The numerical work is done by libinferkit (Elden's standard-form transformation and one SVD for
the whole lam curve, Householder QR of the stacked matrix for the covariance, never the normal
equations); its errors arrive as :class:`inferkit.InferKitError` subclasses whose message names
the argument and the value.
"""

import ctypes
import numbers
import operator

import numpy as np

from . import _capi
from ._arrays import pointer as _pointer, vector as _vector
from ._errors import DimensionError, InvalidArgumentError, check
from ._library import lib

__all__ = [
    "convolution_matrix",
    "tikhonov",
    "deconvolve",
    "tsvd",
    "nnls",
    "bvls",
    "TikhonovResult",
    "TSVDResult",
    "RegularizationCurve",
    "TruncationCurve",
    "PENALTIES",
    "METHODS",
]

#: Names of the penalty operator ``L`` -> ``IK_PENALTY_*`` (a 2-D array is a caller's matrix).
PENALTIES = {
    "identity": _capi.IK_PENALTY_IDENTITY,
    "d1": _capi.IK_PENALTY_FIRST_DIFFERENCE,
    "d2": _capi.IK_PENALTY_SECOND_DIFFERENCE,
}

#: Names of the parameter choices -> ``IK_REG_*``.
METHODS = {
    "gcv": _capi.IK_REG_GCV,
    "lcurve": _capi.IK_REG_LCURVE,
    "discrepancy": _capi.IK_REG_DISCREPANCY,
    "fixed": _capi.IK_REG_FIXED,
}

#: Convolution modes -> ``IK_CONVOLUTION_*``.
MODES = {"full": _capi.IK_CONVOLUTION_FULL, "same": _capi.IK_CONVOLUTION_SAME}

#: Convolution boundaries -> ``IK_BOUNDARY_*``.
BOUNDARIES = {"zero": _capi.IK_BOUNDARY_ZERO, "reflect": _capi.IK_BOUNDARY_REFLECT}

_TIKHONOV_P = ctypes.POINTER(_capi.ik_tikhonov_result_t)
_TSVD_P = ctypes.POINTER(_capi.ik_tsvd_result_t)


# ------------------------------------------------------------------------------------------
# Argument conversion
# ------------------------------------------------------------------------------------------


def _choice(name, value, choices):
    """The C constant for a string option, or InvalidArgumentError naming the choices."""
    try:
        return choices[value.lower() if isinstance(value, str) else value]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(key) for key in choices)
        raise InvalidArgumentError(f"{name} is {value!r}: expected one of {allowed}") from None


def _matrix(name, values):
    """``values`` as a 2-D float64 array and its layout flag, copying only when needed
    (a Fortran-ordered array passes as ``IK_COL_MAJOR`` without a copy)."""
    array = np.asarray(values)
    if array.ndim != 2:
        raise DimensionError(f"{name} must be 2-D, but it has shape {array.shape}")
    if array.flags.f_contiguous and not array.flags.c_contiguous:
        return np.asfortranarray(array, dtype=np.float64), _capi.IK_COL_MAJOR
    return np.ascontiguousarray(array, dtype=np.float64), _capi.IK_ROW_MAJOR


def _data(y, rows, rows_name):
    """``y`` as a float64 vector of ``rows`` values."""
    y = _vector("y", y)
    if y.shape[0] != rows:
        raise DimensionError(f"{rows_name} has {rows} rows but y has {y.shape[0]} elements")
    return y


def _sigma(sigma, rows):
    """``sigma`` (None, a scalar or ``rows`` values) as a float64 vector or None."""
    if sigma is None:
        return None
    array = np.asarray(sigma, dtype=np.float64)
    if array.ndim == 0:
        return np.full(rows, float(array))
    array = _vector("sigma", array)
    if array.shape[0] != rows:
        raise DimensionError(f"y has {rows} elements but sigma has {array.shape[0]}")
    return array


def _penalty(L, cols, layout):
    """(penalty code, L array or None, rows of L) for the ``L`` argument."""
    if L is None:
        return _capi.IK_PENALTY_IDENTITY, None, 0
    if isinstance(L, str):
        return _choice("L", L, PENALTIES), None, 0
    array = np.asarray(L)
    if array.ndim != 2:
        raise DimensionError(f"L must be 'identity', 'd1', 'd2' or a 2-D array, but it has shape {array.shape}")
    if array.shape[1] != cols:
        raise DimensionError(f"A has {cols} columns but L has {array.shape[1]}")
    if layout == _capi.IK_COL_MAJOR:
        array = np.asfortranarray(array, dtype=np.float64)
    else:
        array = np.ascontiguousarray(array, dtype=np.float64)
    return _capi.IK_PENALTY_MATRIX, array, array.shape[0]


def _lam(lam, method):
    """(grid array or None, fixed lam, method code) for the ``lam`` and ``method`` arguments."""
    if lam is None:
        code = _choice("method", method, METHODS)
        if code == _capi.IK_REG_FIXED:
            raise InvalidArgumentError("method is 'fixed' but lam is None: give the lam to use")
        return None, 0.0, code
    array = np.asarray(lam, dtype=np.float64)
    if array.ndim == 0:
        return None, float(array), _capi.IK_REG_FIXED
    grid = _vector("lam", array)
    code = _choice("method", method, METHODS)
    if code == _capi.IK_REG_FIXED:
        raise InvalidArgumentError("method is 'fixed' but lam is a grid: give one lam")
    return grid, 0.0, code


def _refine(refine):
    """The C ``refine`` option: None -> -1 (automatic grid only), False -> 0, True -> 1."""
    if refine is None:
        return -1
    return 1 if refine else 0


def _tikhonov_options(method, lam, absolute_sigma, nonnegative, discrepancy_factor, n_grid,
                      refine, rcond, n_threads, stacked_qr=False):
    """An ``ik_tikhonov_options_t`` filled by the library's defaults, then by the arguments."""
    options = _capi.ik_tikhonov_options_t()
    check(lib.ik_tikhonov_options_default(ctypes.byref(options)))
    options.method = method
    options.lam = lam
    options.absolute_sigma = 1 if absolute_sigma else 0
    options.nonnegative = 1 if nonnegative else 0
    options.discrepancy_factor = float(discrepancy_factor)
    n_grid = operator.index(n_grid)
    if n_grid < 1:
        raise InvalidArgumentError(f"n_grid is {n_grid}: it must be >= 1")
    options.n_grid = n_grid
    options.refine = _refine(refine)
    options.rcond = 0.0 if rcond is None else float(rcond)
    options.n_threads = operator.index(n_threads)
    options.stacked_qr = 1 if stacked_qr else 0
    return options


# ------------------------------------------------------------------------------------------
# Convolution
# ------------------------------------------------------------------------------------------


def convolution_matrix(kernel, n, mode="same", boundary="zero"):
    """The matrix R of the convolution of ``kernel`` with a signal of ``n`` values.

    ``R @ f`` equals ``numpy.convolve(kernel, f, mode)`` for ``boundary="zero"`` (the same
    matrix as ``scipy.linalg.convolution_matrix(kernel, n, mode)``); ``boundary="reflect"``
    continues f by mirroring it about its ends (scipy.ndimage's "reflect").

    Parameters:
        kernel: 1-D sampled response, at most n values (a longer kernel raises
            :class:`DimensionError`).
        n: signal length (columns of R).
        mode: ``"same"`` (n rows, centred; default) or ``"full"`` (n + len(kernel) - 1 rows).
        boundary: ``"zero"`` (default) or ``"reflect"``.

    Returns a C-ordered float64 array.
    """
    kernel = _vector("kernel", kernel)
    try:
        n = operator.index(n)
    except TypeError:
        raise InvalidArgumentError(f"n is {n!r}: it must be an integer") from None
    if n < 0:
        raise InvalidArgumentError(f"n is {n}: it must be >= 0")
    mode_code = _choice("mode", mode, MODES)
    boundary_code = _choice("boundary", boundary, BOUNDARIES)
    rows = ctypes.c_size_t()
    check(lib.ik_convolution_rows(kernel.shape[0], n, mode_code, ctypes.byref(rows)))
    out = np.empty((rows.value, n), dtype=np.float64)
    check(lib.ik_convolution_matrix(_pointer(kernel), kernel.shape[0], n, mode_code, boundary_code,
                                    _capi.IK_ROW_MAJOR, _pointer(out), out.size))
    return out


# ------------------------------------------------------------------------------------------
# Tikhonov
# ------------------------------------------------------------------------------------------


class RegularizationCurve:
    """The Tikhonov curve over the lam grid (arrays in the grid's order).

    Attributes:
        lam: the grid.
        residual_norm: ||(y - A f_lam) / sigma||.
        solution_norm: ||L f_lam||.
        gcv: GCV(lam) = m ||r||^2 / (m - tr H)^2.
        curvature: curvature of the L-curve (log residual_norm, log solution_norm); its maximum
            is the corner.
    """

    def __init__(self, lam, residual_norm, solution_norm, gcv, curvature):
        """Hold the five arrays."""
        self.lam = lam
        self.residual_norm = residual_norm
        self.solution_norm = solution_norm
        self.gcv = gcv
        self.curvature = curvature

    def __len__(self):
        """Number of grid points."""
        return self.lam.shape[0]

    def __repr__(self):
        """A one-line summary."""
        if len(self) == 0:
            return "<RegularizationCurve, empty>"
        return f"<RegularizationCurve, {len(self)} points, lam {self.lam.min():.3g} .. {self.lam.max():.3g}>"


class _Flags:
    """Boolean views of the ``IK_REG_FLAG_*`` bits in ``self.flags``."""

    @property
    def at_grid_edge(self):
        """The choice is at an end of the grid: the optimum may lie outside it."""
        return bool(self.flags & _capi.IK_REG_FLAG_AT_GRID_EDGE)

    @property
    def discrepancy_not_bracketed(self):
        """The discrepancy equation has no root inside the grid."""
        return bool(self.flags & _capi.IK_REG_FLAG_DISCREPANCY_NOT_BRACKETED)

    @property
    def no_dof(self):
        """No residual degrees of freedom with relative sigma: the covariance is NaN."""
        return bool(self.flags & _capi.IK_REG_FLAG_NO_DOF)

    @property
    def low_rank(self):
        """The standard-form matrix was factorised as numerically low-rank (to 1e-14)."""
        return bool(self.flags & _capi.IK_REG_FLAG_LOW_RANK)

    @property
    def at_bound(self):
        """Non-negative solution with values at 0 (their covariance rows are NaN)."""
        return bool(self.flags & _capi.IK_REG_FLAG_AT_BOUND)


class TikhonovResult(_Flags):
    """The result of :func:`tikhonov` or :func:`deconvolve`.

    Attributes:
        params: the solution f, ``(n,)``.
        lam: the lam used.
        method: ``"gcv"``, ``"lcurve"``, ``"discrepancy"`` or ``"fixed"``.
        edf: effective degrees of freedom, the trace of the influence matrix
            H = A (A^T W A + lam L^T L)^-1 A^T W.
        residual_norm: ||(y - A f) / sigma||; solution_norm: ||L f||.
        gcv: GCV(lam); curvature: L-curve curvature at lam.
        noise_variance: the covariance factor (1 with ``absolute_sigma``, otherwise
            ||r||^2 / (m - edf)).
        curve: :class:`RegularizationCurve` over the grid.
        singular_values, picard, picard_coefficients, filter_factors: the standard-form
            spectrum s_i, |u_i^T b|, u_i^T b and s_i^2 / (s_i^2 + lam) (for a Picard plot).
        null_dim: dimension of the null space of L (unpenalised directions).
        flags: bits of ``IK_REG_FLAG_*`` (see the boolean properties).
        cov: the posterior covariance (computed on first access), ``(n, n)``.
        stderr: sqrt(diag(cov)).
    """

    def __init__(self, handle):
        """Read the results from the library handle ``handle`` (which this object owns)."""
        self._handle = handle
        info = _capi.ik_tikhonov_info_t()
        info.struct_size = ctypes.sizeof(_capi.ik_tikhonov_info_t)
        check(lib.ik_tikhonov_result_info(handle, ctypes.byref(info)))
        self.n_observations, self.n_params = int(info.rows), int(info.cols)
        self.penalty_rows, self.null_dim = int(info.penalty_rows), int(info.null_dim)
        self.lam, self.edf = float(info.lam), float(info.edf)
        self.residual_norm, self.solution_norm = float(info.residual_norm), float(info.solution_norm)
        self.gcv, self.curvature = float(info.gcv), float(info.curvature)
        self.noise_variance = float(info.noise_variance)
        self.flags = int(info.flags)
        self.method = {code: name for name, code in METHODS.items()}.get(info.method, info.method)
        self.nonnegative = bool(info.nonnegative)
        self.absolute_sigma = bool(info.absolute_sigma)
        self.params = np.empty(self.n_params, dtype=np.float64)
        check(lib.ik_tikhonov_result_params(handle, _pointer(self.params), self.params.size))
        g = int(info.n_grid)
        arrays = [np.empty(g, dtype=np.float64) for _ in range(5)]
        check(lib.ik_tikhonov_result_curve(handle, *[_pointer(a) for a in arrays], g))
        self.curve = RegularizationCurve(*arrays)
        k = int(info.n_singular)
        s, beta, factors = (np.empty(k, dtype=np.float64) for _ in range(3))
        check(lib.ik_tikhonov_result_spectrum(handle, _pointer(s), _pointer(beta), _pointer(factors), k))
        self.singular_values, self.picard_coefficients, self.filter_factors = s, beta, factors
        self.picard = np.abs(beta)
        self._cov = None

    @property
    def cov(self):
        """The posterior covariance (A^T W A + lam L^T L)^-1 times ``noise_variance``,
        ``(n, n)``, from a QR of the stacked matrix [A / sigma; sqrt(lam) L]; computed on first
        access. Raises :class:`SingularError` when it does not exist."""
        if self._cov is None:
            out = np.empty((self.n_params, self.n_params), dtype=np.float64)
            check(lib.ik_tikhonov_result_cov(self._handle, _pointer(out), out.size))
            self._cov = out
        return self._cov

    @property
    def stderr(self):
        """Posterior standard deviations sqrt(diag(cov))."""
        return np.sqrt(np.diag(self.cov))

    def __del__(self, _free=lib.ik_tikhonov_result_free):
        """Release the library's result (the default argument survives interpreter shutdown)."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        """A one-line summary."""
        return (f"<TikhonovResult n={self.n_params}, m={self.n_observations}, method={self.method!r},"
                f" lam={self.lam:.4g}, edf={self.edf:.3g}, residual_norm={self.residual_norm:.4g},"
                f" flags={self.flags}>")


def tikhonov(A, y, L="d1", lam=None, method="gcv", sigma=None, absolute_sigma=False,
             nonnegative=False, discrepancy_factor=1.0, n_grid=100, refine=None, rcond=None,
             n_threads=0, stacked_qr=False):
    """General-form Tikhonov regularisation:
    minimise ``sum(((y - A @ f) / sigma)**2) + lam * sum((L @ f)**2)``.

    Parameters:
        A: ``(m, n)`` matrix (a Fortran-ordered float64 array is used without a copy).
        y: ``(m,)`` data.
        L: ``"d1"`` (first difference, default: penalises gradients), ``"d2"`` (second
            difference), ``"identity"`` (or None: ridge regression) or a ``(p, n)`` array.
        lam: None (choose lam on an automatic log grid spanning the singular values), a number
            (use it: ``method`` becomes ``"fixed"``) or a 1-D grid of lam >= 0 to choose from.
        method: ``"gcv"`` (generalised cross-validation, default), ``"lcurve"`` (maximum
            curvature of the L-curve), ``"discrepancy"`` (||(y - A f)/sigma||**2 =
            discrepancy_factor**2 * m; needs ``sigma``, the absolute noise level of y).
        sigma: noise standard deviation(s) of y: a scalar or ``(m,)`` values > 0, or None (1).
        absolute_sigma: as ``scipy.optimize.curve_fit``: False scales the covariance by the
            noise variance estimated from the residual, ||r||^2 / (m - edf).
        nonnegative: solve for f >= 0 at the chosen lam (lam chosen without the constraint).
        discrepancy_factor: tau of the discrepancy principle (default 1).
        n_grid: points of the automatic grid.
        refine: refine lam between grid points (Brent in log lam); None = only on the automatic
            grid, so that a caller's grid gives one of its own values.
        rcond: rank cut-off for a matrix L and the null-space check (None: eps max(m, n)).
        n_threads: threads for large products (0 = all cores; results do not depend on it).
        stacked_qr: compute the solution at the chosen lam from a Householder QR of
            [A / sigma; sqrt(lam) L] (the covariance then comes from the same factor) instead of
            the standard-form SVD; slower, the same to rounding.

    Returns a :class:`TikhonovResult` with ``.params``, ``.lam``, ``.cov``, ``.edf``, ``.curve``.
    """
    a, layout = _matrix("A", A)
    rows, cols = a.shape
    y = _data(y, rows, "A")
    sigma = _sigma(sigma, rows)
    penalty, l_array, l_rows = _penalty(L, cols, layout)
    grid, fixed, method_code = _lam(lam, method)
    options = _tikhonov_options(method_code, fixed, absolute_sigma, nonnegative, discrepancy_factor,
                                n_grid, refine, rcond, n_threads, stacked_qr)
    handle = _TIKHONOV_P()
    check(lib.ik_tikhonov(_pointer(a), rows, cols, layout, _pointer(y), _pointer(sigma), penalty,
                          _pointer(l_array), l_rows, _pointer(grid), 0 if grid is None else grid.size,
                          ctypes.byref(options), ctypes.byref(handle)))
    return TikhonovResult(handle)


def deconvolve(y, kernel, mode="same", boundary="zero", L="d1", lam=None, method="gcv", sigma=None,
               absolute_sigma=False, nonnegative=False, discrepancy_factor=1.0, n_grid=100,
               refine=None, n_threads=0):
    """Recover f from ``y = convolution_matrix(kernel, n, mode, boundary) @ f + noise`` by
    Tikhonov regularisation (the lecture's "Deconvolution and Regularisation": by default a
    first-difference penalty with lam chosen by GCV).

    Parameters:
        y: ``(m,)`` data; the signal has n = m values (``mode="same"``) or m - len(kernel) + 1
            (``mode="full"``).
        kernel: sampled response, at most n values.
        mode, boundary: as :func:`convolution_matrix`.
        L: ``"d1"`` (default), ``"d2"`` or ``"identity"``.
        nonnegative: constrain f >= 0 (spectra and densities), by NNLS at the chosen lam.
        lam, method, sigma, absolute_sigma, discrepancy_factor, n_grid, refine, n_threads: as
            :func:`tikhonov`.

    Returns a :class:`TikhonovResult`.
    """
    y = _vector("y", y)
    kernel = _vector("kernel", kernel)
    sigma = _sigma(sigma, y.shape[0])
    mode_code = _choice("mode", mode, MODES)
    boundary_code = _choice("boundary", boundary, BOUNDARIES)
    if not isinstance(L, str) and L is not None:
        raise InvalidArgumentError("L must be 'd1', 'd2' or 'identity' for deconvolve; use tikhonov "
                                   "with convolution_matrix for a matrix L")
    penalty = _capi.IK_PENALTY_IDENTITY if L is None else _choice("L", L, PENALTIES)
    grid, fixed, method_code = _lam(lam, method)
    options = _tikhonov_options(method_code, fixed, absolute_sigma, nonnegative, discrepancy_factor,
                                n_grid, refine, None, n_threads)
    handle = _TIKHONOV_P()
    check(lib.ik_deconvolve(_pointer(y), y.shape[0], _pointer(kernel), kernel.shape[0], mode_code,
                            boundary_code, _pointer(sigma), penalty, _pointer(grid),
                            0 if grid is None else grid.size, ctypes.byref(options),
                            ctypes.byref(handle)))
    return TikhonovResult(handle)


# ------------------------------------------------------------------------------------------
# Truncated SVD
# ------------------------------------------------------------------------------------------


class TruncationCurve:
    """The truncated-SVD curve for k = 1 .. rank.

    Attributes:
        k: the truncations 1 .. rank.
        residual_norm: ||(y - A f_k) / sigma||.
        solution_norm: ||f_k||.
        gcv: GCV(k) = m ||r_k||^2 / (m - k)^2.
    """

    def __init__(self, residual_norm, solution_norm, gcv):
        """Hold the arrays."""
        self.k = np.arange(1, residual_norm.shape[0] + 1)
        self.residual_norm = residual_norm
        self.solution_norm = solution_norm
        self.gcv = gcv

    def __len__(self):
        """Number of truncations."""
        return self.k.shape[0]

    def __repr__(self):
        """A one-line summary."""
        return f"<TruncationCurve, k = 1 .. {len(self)}>"


class TSVDResult(_Flags):
    """The result of :func:`tsvd`.

    Attributes:
        params: the solution f_k, ``(n,)``.
        k: singular values kept; rank: the numerical rank (largest k allowed).
        method: how k was chosen.
        residual_norm, solution_norm, gcv: at k.
        noise_variance: 1 with ``absolute_sigma``, else ||r_k||^2 / (m - k).
        curve: :class:`TruncationCurve` for k = 1 .. rank.
        singular_values, picard, picard_coefficients: s_i, |u_i^T y / sigma| and u_i^T y / sigma
            (the Picard plot).
        filter_factors: 1 for the k kept singular values, 0 beyond.
        flags: bits of ``IK_REG_FLAG_*``.
        cov: covariance V_k S_k^-2 V_k^T times ``noise_variance``, ``(n, n)``; stderr: its
            diagonal's square root.
    """

    def __init__(self, handle):
        """Read every result from the library handle ``handle`` (which this object owns)."""
        self._handle = handle
        info = _capi.ik_tsvd_info_t()
        info.struct_size = ctypes.sizeof(_capi.ik_tsvd_info_t)
        check(lib.ik_tsvd_result_info(handle, ctypes.byref(info)))
        self.n_observations, self.n_params = int(info.rows), int(info.cols)
        self.rank, self.k = int(info.rank), int(info.k)
        self.residual_norm, self.solution_norm = float(info.residual_norm), float(info.solution_norm)
        self.gcv, self.noise_variance = float(info.gcv), float(info.noise_variance)
        self.flags = int(info.flags)
        self.method = {code: name for name, code in METHODS.items()}.get(info.method, info.method)
        self.absolute_sigma = bool(info.absolute_sigma)
        self.params = np.empty(self.n_params, dtype=np.float64)
        check(lib.ik_tsvd_result_params(handle, _pointer(self.params), self.params.size))
        arrays = [np.empty(self.rank, dtype=np.float64) for _ in range(3)]
        check(lib.ik_tsvd_result_curve(handle, *[_pointer(a) for a in arrays], self.rank))
        self.curve = TruncationCurve(*arrays)
        n_s = int(info.n_singular)
        s, beta = np.empty(n_s, dtype=np.float64), np.empty(n_s, dtype=np.float64)
        check(lib.ik_tsvd_result_spectrum(handle, _pointer(s), _pointer(beta), n_s))
        self.singular_values, self.picard_coefficients = s, beta
        self.picard = np.abs(beta)
        self.filter_factors = (np.arange(n_s) < self.k).astype(np.float64)
        self.cov = np.empty((self.n_params, self.n_params), dtype=np.float64)
        check(lib.ik_tsvd_result_cov(handle, _pointer(self.cov), self.cov.size))

    @property
    def stderr(self):
        """Standard deviations sqrt(diag(cov))."""
        return np.sqrt(np.diag(self.cov))

    def __del__(self, _free=lib.ik_tsvd_result_free):
        """Release the library's result (the default argument survives interpreter shutdown)."""
        handle = getattr(self, "_handle", None)
        if handle:
            self._handle = None
            _free(handle)

    def __repr__(self):
        """A one-line summary."""
        return (f"<TSVDResult n={self.n_params}, m={self.n_observations}, method={self.method!r},"
                f" k={self.k} of rank {self.rank}, residual_norm={self.residual_norm:.4g}>")


def tsvd(A, y, k=None, method="gcv", sigma=None, absolute_sigma=False, discrepancy_factor=1.0,
         rcond=None, n_threads=0):
    """Truncated SVD regularisation: keep the k largest singular values of A / sigma.

    Parameters:
        A: ``(m, n)`` matrix; y: ``(m,)`` data.
        k: the truncation (1 <= k <= rank), or None to choose it by ``method``: ``"gcv"``
            (minimise m ||r_k||^2 / (m - k)^2, default) or ``"discrepancy"`` (the smallest k
            with ||r_k / sigma||^2 <= discrepancy_factor**2 * m; needs ``sigma``).
        sigma, absolute_sigma: as :func:`tikhonov`.
        rcond: singular values <= rcond * s_1 do not count (None: eps max(m, n)).

    Returns a :class:`TSVDResult` (with the Picard plot data ``singular_values``, ``picard``).
    """
    a, layout = _matrix("A", A)
    rows, cols = a.shape
    y = _data(y, rows, "A")
    sigma = _sigma(sigma, rows)
    options = _capi.ik_tsvd_options_t()
    check(lib.ik_tsvd_options_default(ctypes.byref(options)))
    if k is None:
        options.method = _choice("method", method, METHODS)
        if options.method == _capi.IK_REG_FIXED:
            raise InvalidArgumentError("method is 'fixed' but k is None: give the truncation k")
    else:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise InvalidArgumentError(f"k is {k!r}: the truncation must be an integer")
        if k < 1:
            raise InvalidArgumentError(f"k is {k}: the truncation must be >= 1")
        options.method = _capi.IK_REG_FIXED
        options.k = int(k)
    options.absolute_sigma = 1 if absolute_sigma else 0
    options.discrepancy_factor = float(discrepancy_factor)
    options.rcond = 0.0 if rcond is None else float(rcond)
    options.n_threads = operator.index(n_threads)
    handle = _TSVD_P()
    check(lib.ik_tsvd(_pointer(a), rows, cols, layout, _pointer(y), _pointer(sigma),
                      ctypes.byref(options), ctypes.byref(handle)))
    return TSVDResult(handle)


# ------------------------------------------------------------------------------------------
# Non-negative and bounded least squares
# ------------------------------------------------------------------------------------------


def _active_set_options(maxiter, tol):
    """An ``ik_nnls_options_t`` with the defaults, then ``maxiter`` and ``tol``."""
    options = _capi.ik_nnls_options_t()
    check(lib.ik_nnls_options_default(ctypes.byref(options)))
    if maxiter is not None:
        maxiter = operator.index(maxiter)
        if not 0 <= maxiter < 2**31:
            raise InvalidArgumentError(f"maxiter is {maxiter}: it must be between 0 and 2**31 - 1")
        options.max_iter = maxiter
    options.tol = 0.0 if tol is None else float(tol)
    return options


def _regularized_active_set(a, layout, b, lower, upper, options, L, lam):
    """x and rnorm of min ||A x - b||^2 + lam ||L x||^2 within the bounds (ik_bvls_regularized)."""
    rows, cols = a.shape
    lam = float(lam)
    if not lam >= 0:
        raise InvalidArgumentError(f"lam is {lam!r}: it must be >= 0")
    code, l, l_rows = _penalty(L, cols, layout)
    x = np.empty(cols, dtype=np.float64)
    rnorm = ctypes.c_double()
    check(lib.ik_bvls_regularized(_pointer(a), rows, cols, layout, _pointer(b), _pointer(lower),
                                  _pointer(upper), code, _pointer(l), l_rows, lam,
                                  ctypes.byref(options), _pointer(x), cols, ctypes.byref(rnorm)))
    return x, float(rnorm.value)


def nnls(A, b, maxiter=None, tol=None, L=None, lam=0.0):
    """Non-negative least squares, ``argmin ||A x - b||`` subject to ``x >= 0``, by the
    Lawson-Hanson active-set method, as ``scipy.optimize.nnls``.

    Parameters:
        A: ``(m, n)`` matrix; b: ``(m,)`` data.
        maxiter: inner-loop passes allowed (default 3 n, as scipy);
            :class:`NotConvergedError` beyond.
        tol: a variable is freed only when its dual exceeds tol (default
            eps max(m, n) ||A||_F ||b||).
        L, lam: with ``lam > 0`` (or an ``L``), the regularised problem
            ``argmin ||A x - b||^2 + lam ||L x||^2``, x >= 0, solved on the stacked system
            ``[A; sqrt(lam) L]``; ``L`` is "identity" (the default), "d1", "d2" or a matrix.

    Returns ``(x, rnorm)`` with rnorm = ||A x - b||, as scipy.
    """
    a, layout = _matrix("A", A)
    rows, cols = a.shape
    b = _data(b, rows, "A")
    options = _active_set_options(maxiter, tol)
    if L is not None or lam != 0:
        return _regularized_active_set(a, layout, b, None, None, options, L, lam)
    x = np.empty(cols, dtype=np.float64)
    rnorm = ctypes.c_double()
    check(lib.ik_nnls(_pointer(a), rows, cols, layout, _pointer(b), ctypes.byref(options),
                      _pointer(x), cols, ctypes.byref(rnorm)))
    return x, float(rnorm.value)


def bvls(A, b, bounds=(0.0, np.inf), maxiter=None, tol=None, L=None, lam=0.0):
    """Bounded-variable least squares, ``argmin ||A x - b||`` subject to
    ``bounds[0] <= x <= bounds[1]`` (scalars or ``(n,)`` arrays, +-inf allowed), by the active-set
    method of Stark and Parker, as ``scipy.optimize.lsq_linear(A, b, bounds, method="bvls")``.

    Returns ``(x, rnorm)``. ``maxiter``, ``tol``, ``L`` and ``lam`` (the regularised problem,
    rnorm then being the data residual) are as :func:`nnls`.
    """
    a, layout = _matrix("A", A)
    rows, cols = a.shape
    b = _data(b, rows, "A")
    try:
        lower, upper = bounds
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"bounds is {bounds!r}: expected (lower, upper)") from None
    arrays = []
    for name, value in (("lower", lower), ("upper", upper)):
        array = np.asarray(value, dtype=np.float64)
        if array.ndim == 0:
            array = np.full(cols, float(array))
        array = _vector(name, array)
        if array.shape[0] != cols:
            raise DimensionError(f"A has {cols} columns but {name} has {array.shape[0]} values")
        arrays.append(array)
    options = _active_set_options(maxiter, tol)
    if L is not None or lam != 0:
        return _regularized_active_set(a, layout, b, arrays[0], arrays[1], options, L, lam)
    x = np.empty(cols, dtype=np.float64)
    rnorm = ctypes.c_double()
    check(lib.ik_bvls(_pointer(a), rows, cols, layout, _pointer(b), _pointer(arrays[0]),
                      _pointer(arrays[1]), ctypes.byref(options), _pointer(x), cols,
                      ctypes.byref(rnorm)))
    return x, float(rnorm.value)
