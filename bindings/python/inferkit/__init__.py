"""InferKit: regression and inference for physical scientists, on top of libinferkit.so.

The library is found without configuration after ``make lib`` in the repository root; set
the environment variable ``INFERKIT_LIBRARY`` to the path of ``libinferkit.so`` to override.

Linear least squares::

    import inferkit
    fit = inferkit.polyfit(x, y, 3, sigma=dy)      # coefficients in increasing degree
    fit.params, fit.stderr, fit.cov, fit.chi2, fit.dof
    fit.predict(x_new), fit.predict_std(x_new)

    A = inferkit.design_matrix("legendre", x, 5)
    fit = inferkit.lstsq(A, y, sigma=dy, absolute_sigma=True)

Splines (as scipy.interpolate) and simple interpolators::

    spl = inferkit.make_lsq_spline(x, y, t, k=3, w=1 / dy)
    spl(x_new), spl(x_new, nu=1), spl.integrate(a, b), spl.cov, spl.predict_std(x_new)
    spl = inferkit.make_interp_spline(x, y, k=3, bc_type="natural")
    inferkit.interp_linear(x_new, x, y), inferkit.interp_nearest(x_new, x, y)

Regularised inversion and deconvolution::

    res = inferkit.tikhonov(A, y, L="d1", method="gcv", sigma=dy)   # res.params, res.lam, res.cov
    f = inferkit.deconvolve(y, kernel, nonnegative=True).params
    x, rnorm = inferkit.nnls(A, y)

Least-squares spectral analysis (as astropy's LombScargle)::

    ls = inferkit.LombScargle(t, y, dy)
    frequency, power = ls.autopower()
    ls.false_alarm_probability(power.max())

Nonlinear fits (scipy's call shapes; formulas get exact Jacobians)::

    popt, pcov = inferkit.curve_fit("A*exp(-0.5*((x-mu)/sig)^2) + B", x, y, p0, sigma=dy)
    res = inferkit.least_squares(residuals, p0)        # res.x, res.cov, res.stderr, res.chi2
    many = inferkit.fit_many(model, x, Y, p0)          # many.params, many.cov, many.status

Minimisation and root finding (scipy's call shapes; formulas get exact gradients and Hessians)::

    res = inferkit.minimize("(1 - x)^2 + 100*(y - x^2)^2", [-1.2, 1.0])   # BFGS by default
    res = inferkit.minimize(f, x0, jac=grad, method="L-BFGS-B", bounds=[(0, None), (-1, 1)])
    res.x, res.fun, res.jac, res.hess_inv, res.nit, res.nfev, res.success, res.message
    sol = inferkit.root(["x^2 + y^2 - 4", "x - y"], [1.0, 0.5])           # sol.x, sol.fun
    r = inferkit.root_scalar("cos(x) - x", x0=1.0)                         # r.root, r.converged

Failures raise :class:`InferKitError` (with ``.code``, the C status code) or one of its
subclasses; the message is the library's and names the culprit argument and value.
"""

from . import _capi
from ._errors import (
    CallbackError,
    DimensionError,
    InferKitError,
    InternalError,
    InvalidArgumentError,
    NonFiniteError,
    NotConvergedError,
    OutOfMemoryError,
    ParseError,
    SingularError,
    check,
    last_error,
    status_name,
)
from ._library import lib as _lib
from .linear import LinearFit, design_matrix, lstsq, polyfit
from .splines import (
    BSpline,
    interp_linear,
    interp_nearest,
    make_interp_spline,
    make_lsq_spline,
    make_smoothing_spline,
)
from .spectral import LombScargle, lomb_scargle_batch

#: The header's version, (major, minor, patch), from the IK_VERSION_* macros.
HEADER_VERSION = (_capi.IK_VERSION_MAJOR, _capi.IK_VERSION_MINOR, _capi.IK_VERSION_PATCH)


def _library_version():
    """The loaded library's version string; ImportError when it differs from the header's."""
    version = _lib.ik_version().decode("ascii")
    expected = "%d.%d.%d" % HEADER_VERSION
    number = _lib.ik_version_number()
    expected_number = HEADER_VERSION[0] * 10000 + HEADER_VERSION[1] * 100 + HEADER_VERSION[2]
    if version != expected or number != expected_number:
        raise ImportError(
            f"libinferkit reports version {version} ({number}) but the bindings were generated "
            f"from header version {expected}; rebuild the library with `make lib` "
            "(or regenerate the bindings with `make capi`)"
        )
    return version


#: The library's version, "MAJOR.MINOR.PATCH" (``ik_version()``).
__version__ = _library_version()

__all__ = [
    "__version__",
    "HEADER_VERSION",
    "design_matrix",
    "lstsq",
    "polyfit",
    "LinearFit",
    "BSpline",
    "make_lsq_spline",
    "make_smoothing_spline",
    "make_interp_spline",
    "interp_linear",
    "interp_nearest",
    "LombScargle",
    "lomb_scargle_batch",
    "InferKitError",
    "InvalidArgumentError",
    "DimensionError",
    "NonFiniteError",
    "SingularError",
    "NotConvergedError",
    "CallbackError",
    "ParseError",
    "OutOfMemoryError",
    "InternalError",
    "check",
    "last_error",
    "status_name",
]

# Regularised inversion and deconvolution (Tikhonov, truncated SVD, NNLS/BVLS, convolution).
from .regularization import (  # noqa: E402
    RegularizationCurve,
    TikhonovResult,
    TruncationCurve,
    TSVDResult,
    bvls,
    convolution_matrix,
    deconvolve,
    nnls,
    tikhonov,
    tsvd,
)

__all__ += [
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
]

# Compiled formulas with exact derivatives (automatic differentiation).
from .model import Model, grad, hessian  # noqa: E402

__all__ += ["Model", "grad", "hessian"]

# Nonlinear least squares with honest uncertainties (scipy's curve_fit / least_squares shapes).
from .nonlinear import (  # noqa: E402
    BatchFitResult,
    CallbackModel,
    LeastSquaresResult,
    OptimizeWarning,
    curve_fit,
    fit_many,
    least_squares,
)

__all__ += ["curve_fit", "least_squares", "fit_many", "CallbackModel", "LeastSquaresResult",
            "BatchFitResult", "OptimizeWarning"]

# Minimisation and root finding (scipy's minimize / root / root_scalar shapes).
from .optimize import RootResults, minimize, root, root_scalar  # noqa: E402
from .nonlinear import OptimizeResult  # noqa: E402

__all__ += ["minimize", "root", "root_scalar", "OptimizeResult", "RootResults"]

# MCMC diagnostics (emcee's autocorrelation time; ArviZ's ESS, R-hat, HDI and summary).
from .diagnostics import (  # noqa: E402
    AutocorrError,
    acceptance_fraction,
    autocorr_function,
    autocorr_time,
    discard_thin,
    ess,
    hdi,
    rhat,
    summary,
)

__all__ += ["autocorr_time", "autocorr_function", "AutocorrError", "ess", "rhat", "hdi",
            "summary", "acceptance_fraction", "discard_thin"]

# Bayesian posteriors and Laplace's method (log-probabilities for the samplers: inference._as_logprob).
from .inference import LaplaceResult, Posterior, laplace  # noqa: E402

__all__ += ["Posterior", "laplace", "LaplaceResult"]

# Hamiltonian Monte Carlo with the No-U-Turn criterion (Stan's NUTS).
from .nuts import NUTSSampler  # noqa: E402

__all__ += ["NUTSSampler"]

# MCMC samplers with emcee's call shapes: the affine-invariant ensemble sampler and random-walk
# Metropolis (inferkit.moves holds StretchMove, DEMove and WalkMove).
from . import moves  # noqa: E402
from .sampling import EnsembleSampler, MetropolisSampler, State  # noqa: E402

__all__ += ["EnsembleSampler", "MetropolisSampler", "State", "moves"]
