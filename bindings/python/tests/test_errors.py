"""Status codes, messages and every bad input of the linear API, through Python.

Each test asserts the exception class, its ``.code`` and that the message names the culprit
(argument name and index); exact wording is not checked.
"""

import ctypes

import numpy as np
import pytest

import inferkit
from inferkit import _capi
from inferkit._library import lib
from conftest import assert_error, squash




@pytest.fixture
def problem():
    """A small well-posed problem: A (20, 6) C-ordered, y (20,), sigma (20,)."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((20, 6))
    y = a @ rng.standard_normal(6) + 0.1 * rng.standard_normal(20)
    sigma = rng.uniform(0.5, 2.0, 20)
    return a, y, sigma


# ------------------------------------------------------------------------------------------
# Version, status strings, exception classes
# ------------------------------------------------------------------------------------------


def test_version_matches_header_macros():
    """__version__ and ik_version_number() agree with IK_VERSION_MAJOR/MINOR/PATCH."""
    major, minor, patch = _capi.IK_VERSION_MAJOR, _capi.IK_VERSION_MINOR, _capi.IK_VERSION_PATCH
    assert inferkit.__version__ == f"{major}.{minor}.{patch}"
    assert lib.ik_version().decode() == inferkit.__version__
    assert lib.ik_version_number() == major * 10000 + minor * 100 + patch
    assert inferkit.HEADER_VERSION == (major, minor, patch)


STATUS_NAMES = [
    "IK_OK",
    "IK_ERR_INVALID_ARGUMENT",
    "IK_ERR_DIMENSION",
    "IK_ERR_NONFINITE",
    "IK_ERR_SINGULAR",
    "IK_ERR_NOT_CONVERGED",
    "IK_ERR_CALLBACK",
    "IK_ERR_PARSE",
    "IK_ERR_NO_MEMORY",
    "IK_ERR_INTERNAL",
]


@pytest.mark.parametrize("name", STATUS_NAMES)
def test_status_string(name):
    """ik_status_string(code) is the constant's own name."""
    code = getattr(_capi, name)
    assert lib.ik_status_string(code).decode() == name
    assert inferkit.status_name(code) == name


@pytest.mark.parametrize("code", [-1, 10, 999, 2**31 - 1])
def test_status_string_unknown(code):
    """Codes that are not defined are "IK_UNKNOWN"."""
    assert lib.ik_status_string(code).decode() == "IK_UNKNOWN"


CLASSES = [
    ("IK_ERR_INVALID_ARGUMENT", inferkit.InvalidArgumentError, ValueError),
    ("IK_ERR_DIMENSION", inferkit.DimensionError, ValueError),
    ("IK_ERR_NONFINITE", inferkit.NonFiniteError, ValueError),
    ("IK_ERR_SINGULAR", inferkit.SingularError, np.linalg.LinAlgError),
    ("IK_ERR_NOT_CONVERGED", inferkit.NotConvergedError, inferkit.InferKitError),
    ("IK_ERR_CALLBACK", inferkit.CallbackError, inferkit.InferKitError),
    ("IK_ERR_PARSE", inferkit.ParseError, ValueError),
    ("IK_ERR_NO_MEMORY", inferkit.OutOfMemoryError, MemoryError),
    ("IK_ERR_INTERNAL", inferkit.InternalError, inferkit.InferKitError),
]


@pytest.mark.parametrize("name, cls, base", CLASSES)
def test_check_raises_the_subclass_of_each_code(name, cls, base):
    """check(code) raises the subclass for the code, which is also the matching builtin."""
    code = getattr(_capi, name)
    with pytest.raises(cls) as excinfo:
        inferkit.check(code)
    assert excinfo.value.code == code
    assert isinstance(excinfo.value, base)
    assert isinstance(excinfo.value, inferkit.InferKitError)


def test_check_ok_and_unknown():
    """check(IK_OK) returns; an unknown code raises the base class with that code."""
    assert inferkit.check(_capi.IK_OK) is None
    with pytest.raises(inferkit.InferKitError) as excinfo:
        inferkit.check(77)
    assert type(excinfo.value) is inferkit.InferKitError
    assert excinfo.value.code == 77
    assert "77" in str(excinfo.value)


def test_error_message_is_last_error(problem):
    """The exception's message is ik_last_error() of the failing call, and .code its status."""
    a, y, _ = problem
    y = y.copy()
    y[17] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.lstsq(a, y)
    error = excinfo.value
    assert error.code == _capi.IK_ERR_NONFINITE
    assert str(error) == error.message == inferkit.last_error()
    assert str(error) and "y[17]" in squash(error)


def test_free_null_is_a_noop():
    """ik_linear_result_free(NULL) does nothing."""
    lib.ik_linear_result_free(None)


# ------------------------------------------------------------------------------------------
# lstsq: sizes
# ------------------------------------------------------------------------------------------


def test_zero_rows():
    """A with 0 rows is a dimension error that names the rows."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(np.empty((0, 3)), np.empty(0))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "row")


def test_zero_columns():
    """A with 0 columns is a dimension error that names the columns."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(np.empty((5, 0)), np.ones(5))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "col")


def test_zero_right_hand_sides(problem):
    """y of shape (n, 0) is a dimension error."""
    a, _, _ = problem
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(a, np.empty((a.shape[0], 0)))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)
    assert "rhs" in squash(excinfo.value) or "y" in squash(excinfo.value)


def test_y_with_one_row_too_many(problem):
    """y with n + 1 rows: the message names y and both lengths."""
    a, y, _ = problem
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(a, np.append(y, 1.0))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "21", "20")
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(a, np.ones((21, 2)))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "21")


def test_sigma_wrong_length(problem):
    """sigma with n - 1 elements names sigma."""
    a, y, sigma = problem
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(a, y, sigma=sigma[:-1])
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "sigma", "19")


@pytest.mark.parametrize("shape", [(20,), (2, 10, 6), ()])
def test_a_not_two_dimensional(shape):
    """A that is not 2-D is a clear Python error naming A and its shape."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(np.ones(shape), np.ones(20))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "A", "2-D")


def test_y_three_dimensional(problem):
    """y with 3 dimensions is rejected with its name."""
    a, _, _ = problem
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.lstsq(a, np.ones((20, 2, 2)))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y")


# ------------------------------------------------------------------------------------------
# lstsq: non-finite values and sigma
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("order", ["C", "F"])
def test_nonfinite_in_a(problem, bad, order):
    """NaN/Inf in A is named as a[row,column], whatever the memory order."""
    a, y, _ = problem
    a = np.array(a, order=order)
    a[2, 5] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.lstsq(a, y)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "a[2,5]")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_in_y(problem, bad):
    """NaN/Inf in a vector y is named as y[i]."""
    a, y, _ = problem
    y = y.copy()
    y[17] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.lstsq(a, y)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[17]")


@pytest.mark.parametrize("order", ["C", "F"])
def test_nonfinite_in_y_matrix(problem, order):
    """NaN in a matrix y (several right-hand sides) is named as y[row,column]."""
    a, y, _ = problem
    ys = np.array(np.column_stack([y, 2 * y, 3 * y]), order=order)
    ys[4, 1] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.lstsq(np.array(a, order=order), ys)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[4,1]")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_in_sigma(problem, bad):
    """NaN/Inf in sigma is named as sigma[i]."""
    a, y, sigma = problem
    sigma = sigma.copy()
    sigma[3] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.lstsq(a, y, sigma=sigma)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "sigma[3]")


@pytest.mark.parametrize("bad", [0.0, -1.0, -0.0])
def test_sigma_not_positive(problem, bad):
    """sigma <= 0 is an invalid argument named as sigma[i]."""
    a, y, sigma = problem
    sigma = sigma.copy()
    sigma[3] = bad
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.lstsq(a, y, sigma=sigma)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "sigma[3]")


# ------------------------------------------------------------------------------------------
# lstsq: singular problems
# ------------------------------------------------------------------------------------------


def test_all_zero_column(problem):
    """An all-zero column is singular for QR and the message names the column."""
    a, y, _ = problem
    a = a.copy()
    a[:, 2] = 0.0
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.lstsq(a, y)
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "column", "2")


@pytest.mark.parametrize("method, allow", [("qr", True), ("svd", False), ("svd", True)])
def test_all_zero_column_allowed(problem, method, allow):
    """With allow_rank_deficient or SVD, an all-zero column gives a rank-deficient fit."""
    a, y, _ = problem
    a = a.copy()
    a[:, 2] = 0.0
    fit = inferkit.lstsq(a, y, method=method, allow_rank_deficient=allow)
    assert fit.rank == 5 and fit.rank_deficient
    assert abs(fit.params[2]) < 1e-12
    expected, *_ = np.linalg.lstsq(a, y, rcond=None)
    np.testing.assert_allclose(fit.params, expected, rtol=1e-10, atol=1e-12)


def test_more_parameters_than_points(problem):
    """5 points and 6 parameters: SingularError unless allow_rank_deficient."""
    a, y, _ = problem
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.lstsq(a[:5], y[:5])
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR)
    assert "6" in squash(excinfo.value) and "5" in squash(excinfo.value)
    fit = inferkit.lstsq(a[:5], y[:5], allow_rank_deficient=True)
    assert fit.rank <= 5
    assert fit.rank_deficient
    np.testing.assert_allclose(fit.residuals, 0.0, atol=1e-10)


def test_rank_deficient_is_singular_by_default(problem):
    """Two equal columns: SingularError with QR unless allowed."""
    a, y, _ = problem
    a = a.copy()
    a[:, 4] = a[:, 1]
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.lstsq(a, y)
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR, "rank")


# ------------------------------------------------------------------------------------------
# Options
# ------------------------------------------------------------------------------------------


def test_bad_method_string(problem):
    """An unknown method names the argument and the value."""
    a, y, _ = problem
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.lstsq(a, y, method="cholesky")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "method", "cholesky")


@pytest.mark.parametrize("rcond", [np.nan, np.inf])
def test_rcond_not_finite(problem, rcond):
    """rcond NaN/Inf is an invalid option named rcond."""
    a, y, _ = problem
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.lstsq(a, y, rcond=rcond)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "rcond")


def test_refine_out_of_range(problem):
    """refine < -1 is an invalid option named refine."""
    a, y, _ = problem
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.lstsq(a, y, refine=-2)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "refine")


def _fit_raw(a, y, options):
    """Call ik_linear_fit directly with a C-ordered a, returning (status, handle)."""
    a = np.ascontiguousarray(a, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    handle = ctypes.POINTER(_capi.ik_linear_result_t)()
    dp = ctypes.POINTER(ctypes.c_double)
    status = lib.ik_linear_fit(a.ctypes.data_as(dp), a.shape[0], a.shape[1], _capi.IK_ROW_MAJOR,
                               y.ctypes.data_as(dp), 1, None,
                               None if options is None else ctypes.byref(options),
                               ctypes.byref(handle))
    return status, handle


def _default_options():
    options = _capi.ik_linear_options_t()
    assert lib.ik_linear_options_default(ctypes.byref(options)) == _capi.IK_OK
    return options


def test_options_default_values():
    """ik_linear_options_default gives the documented defaults."""
    options = _default_options()
    assert options.struct_size == ctypes.sizeof(_capi.ik_linear_options_t)
    assert options.method == _capi.IK_LINEAR_QR
    assert options.absolute_sigma == 0
    assert options.allow_rank_deficient == 0
    assert options.refine == -1
    assert options.rcond <= 0
    assert options.n_threads == 0
    assert options.reserved == 0


@pytest.mark.parametrize(
    "field, value, culprit",
    [
        ("method", 7, "method"),
        ("reserved", 1, "reserved"),
        ("struct_size", 3, "struct_size"),
        ("absolute_sigma", 2, "absolute_sigma"),
        ("allow_rank_deficient", -1, "allow_rank_deficient"),
    ],
)
def test_option_out_of_range_in_c(problem, field, value, culprit):
    """Options set out of range directly in the struct are rejected by name."""
    a, y, _ = problem
    options = _default_options()
    setattr(options, field, value)
    status, handle = _fit_raw(a, y, options)
    assert status == _capi.IK_ERR_INVALID_ARGUMENT, inferkit.last_error()
    assert squash(culprit) in squash(inferkit.last_error())
    assert not handle


def test_null_options_mean_defaults(problem):
    """options = NULL fits with the defaults."""
    a, y, _ = problem
    status, handle = _fit_raw(a, y, None)
    assert status == _capi.IK_OK, inferkit.last_error()
    lib.ik_linear_result_free(handle)


def test_bad_layout_in_c(problem):
    """A layout that is neither IK_ROW_MAJOR nor IK_COL_MAJOR is named."""
    a, y, _ = problem
    a = np.ascontiguousarray(a)
    handle = ctypes.POINTER(_capi.ik_linear_result_t)()
    dp = ctypes.POINTER(ctypes.c_double)
    status = lib.ik_linear_fit(a.ctypes.data_as(dp), 20, 6, 7, y.ctypes.data_as(dp), 1, None,
                               None, ctypes.byref(handle))
    assert status == _capi.IK_ERR_INVALID_ARGUMENT
    assert "layout" in squash(inferkit.last_error())


def test_getter_buffer_too_short(problem):
    """Result getters check the buffer length; cov checks the right-hand-side index."""
    a, y, _ = problem
    fit = inferkit.lstsq(a, y)
    dp = ctypes.POINTER(ctypes.c_double)
    out = np.empty(36)
    status = lib.ik_linear_result_params(fit._handle, out.ctypes.data_as(dp), 5)
    assert status == _capi.IK_ERR_DIMENSION
    assert "out" in squash(inferkit.last_error()) and "5" in inferkit.last_error()
    status = lib.ik_linear_result_cov(fit._handle, 1, out.ctypes.data_as(dp), 36)
    assert status in (_capi.IK_ERR_DIMENSION, _capi.IK_ERR_INVALID_ARGUMENT)
    assert "rhs" in squash(inferkit.last_error())
    info = _capi.ik_linear_info_t()
    info.struct_size = 0
    status = lib.ik_linear_result_info(fit._handle, ctypes.byref(info))
    assert status == _capi.IK_ERR_INVALID_ARGUMENT
    assert "struct_size" in squash(inferkit.last_error())


# ------------------------------------------------------------------------------------------
# Prediction
# ------------------------------------------------------------------------------------------


def test_predict_wrong_column_count(problem):
    """predict with p + 1 columns is a dimension error naming the columns."""
    a, y, _ = problem
    fit = inferkit.lstsq(a, y)
    with pytest.raises(inferkit.DimensionError) as excinfo:
        fit.predict(np.ones((3, 7)))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "col", "7", "6")


def test_predict_x_on_lstsq_result(problem):
    """ik_linear_predict_x on an ik_linear_fit result (no basis) is refused."""
    a, y, _ = problem
    fit = inferkit.lstsq(a, y)
    x = np.ones(3)
    out = np.empty(3)
    dp = ctypes.POINTER(ctypes.c_double)
    status = lib.ik_linear_predict_x(fit._handle, x.ctypes.data_as(dp), 3,
                                     out.ctypes.data_as(dp), None)
    assert status == _capi.IK_ERR_INVALID_ARGUMENT
    assert inferkit.last_error()


def test_polyfit_predict_nonfinite_x():
    """NaN in the x of predict is named x[i]."""
    x = np.linspace(0, 1, 10)
    fit = inferkit.polyfit(x, x**2, 2)
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        fit.predict(np.array([0.5, np.nan]))
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "x[1]")


# ------------------------------------------------------------------------------------------
# Design matrices and polyfit
# ------------------------------------------------------------------------------------------


def test_negative_degree():
    """A negative degree is rejected by name (the C argument is a size_t)."""
    x = np.linspace(0, 1, 10)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.design_matrix("monomial", x, -1)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "deg", "-1")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.polyfit(x, x, -2)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "deg", "-2")


@pytest.mark.parametrize("kind", ["fourier", "cosine"])
@pytest.mark.parametrize("period", [0.0, -2.0, np.nan, np.inf])
def test_period_not_positive(kind, period):
    """The periodic bases need a finite period > 0, named in the message."""
    x = np.linspace(0, 1, 10)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.design_matrix(kind, x, 2, period=period)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "period")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.polyfit(x, np.sin(x), 2, basis=kind, period=period)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "period")


def test_period_missing():
    """A periodic basis without a period is a clear error."""
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.design_matrix("fourier", np.linspace(0, 1, 5), 2)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "period")


@pytest.mark.parametrize("kind", ["legendre", "chebyshev"])
@pytest.mark.parametrize("domain", [(1.0, 1.0), (0.0, np.nan), (-np.inf, 1.0)])
def test_bad_domain(kind, domain):
    """A domain with lo == hi or a non-finite end is named."""
    x = np.linspace(0, 1, 10)
    with pytest.raises(inferkit.InferKitError) as excinfo:
        inferkit.design_matrix(kind, x, 3, domain=domain)
    assert excinfo.value.code in (_capi.IK_ERR_INVALID_ARGUMENT, _capi.IK_ERR_NONFINITE)
    assert "domain" in squash(excinfo.value)
    with pytest.raises(inferkit.InferKitError) as excinfo:
        inferkit.polyfit(x, x, 3, basis=kind, domain=domain)
    assert excinfo.value.code in (_capi.IK_ERR_INVALID_ARGUMENT, _capi.IK_ERR_NONFINITE)
    assert "domain" in squash(excinfo.value)


def test_domain_lo_equals_hi_is_invalid_argument():
    """lo == hi specifically is IK_ERR_INVALID_ARGUMENT."""
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.design_matrix("legendre", np.linspace(0, 1, 10), 3, domain=(1.0, 1.0))
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT, "domain")


def test_domain_wrong_length():
    """domain must hold two values."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.design_matrix("legendre", np.linspace(0, 1, 10), 3, domain=(0.0, 1.0, 2.0))
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "domain")


@pytest.mark.parametrize("kind", ["legendre", "chebyshev"])
def test_all_x_equal_without_domain(kind):
    """[min x, max x] is empty when every x is equal: an error, not NaN columns."""
    with pytest.raises(inferkit.InferKitError) as excinfo:
        inferkit.design_matrix(kind, np.full(5, 2.0), 2)
    assert excinfo.value.code in (_capi.IK_ERR_INVALID_ARGUMENT, _capi.IK_ERR_SINGULAR)
    assert "x" in squash(excinfo.value) or "domain" in squash(excinfo.value)


def test_bad_kind_and_basis():
    """An unknown basis name is rejected by name, in design_matrix and polyfit."""
    x = np.linspace(0, 1, 10)
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.design_matrix("hermite", x, 2)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "kind", "hermite")
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.polyfit(x, x, 2, basis="hermite")
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "basis", "hermite")


def test_bad_basis_code_in_c():
    """ik_design_columns with a basis code that does not exist names the basis."""
    cols = ctypes.c_size_t()
    assert lib.ik_design_columns(99, 2, ctypes.byref(cols)) == _capi.IK_ERR_INVALID_ARGUMENT
    assert "basis" in squash(inferkit.last_error())


def test_design_out_len_too_short():
    """ik_design_matrix checks out_len against n * cols."""
    x = np.linspace(0, 1, 10)
    out = np.empty(30)
    dp = ctypes.POINTER(ctypes.c_double)
    status = lib.ik_design_matrix(_capi.IK_BASIS_MONOMIAL, x.ctypes.data_as(dp), 10, 3, None,
                                  0.0, _capi.IK_ROW_MAJOR, out.ctypes.data_as(dp), 39)
    assert status == _capi.IK_ERR_DIMENSION
    assert "out" in squash(inferkit.last_error()) and "39" in inferkit.last_error()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_x(bad):
    """NaN/Inf in x is named x[i] by design_matrix and polyfit."""
    x = np.linspace(0, 1, 10)
    x[4] = bad
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.design_matrix("monomial", x, 2)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "x[4]")
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.polyfit(x, np.ones(10), 2)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "x[4]")


def test_design_zero_points():
    """design_matrix at no points is a dimension error."""
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.design_matrix("monomial", np.empty(0), 2)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION)


def test_polyfit_errors():
    """polyfit: mismatched y, NaN in y and sigma, sigma <= 0, too high a degree."""
    x = np.linspace(0, 1, 12)
    y = 1 + x
    with pytest.raises(inferkit.DimensionError) as excinfo:
        inferkit.polyfit(x, np.append(y, 0.0), 1)
    assert_error(excinfo, inferkit.DimensionError, _capi.IK_ERR_DIMENSION, "y", "13")
    bad = y.copy()
    bad[7] = np.nan
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.polyfit(x, bad, 1)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "y[7]")
    sigma = np.ones(12)
    sigma[3] = -1.0
    with pytest.raises(inferkit.InvalidArgumentError) as excinfo:
        inferkit.polyfit(x, y, 1, sigma=sigma)
    assert_error(excinfo, inferkit.InvalidArgumentError, _capi.IK_ERR_INVALID_ARGUMENT,
                 "sigma[3]")
    sigma[3] = np.inf
    with pytest.raises(inferkit.NonFiniteError) as excinfo:
        inferkit.polyfit(x, y, 1, sigma=sigma)
    assert_error(excinfo, inferkit.NonFiniteError, _capi.IK_ERR_NONFINITE, "sigma[3]")
    with pytest.raises(inferkit.SingularError) as excinfo:
        inferkit.polyfit(x[:4], y[:4], 5)
    assert_error(excinfo, inferkit.SingularError, _capi.IK_ERR_SINGULAR)
    fit = inferkit.polyfit(x[:4], y[:4], 5, allow_rank_deficient=True)
    assert fit.rank_deficient and fit.rank <= 4
