/*
 * inferkit.h - the C contract of libinferkit.so.
 *
 * InferKit is a regression and inference library for physical scientists: linear and
 * weighted least squares today; regularisation, spectral analysis, splines, nonlinear fits,
 * Bayesian inference, Gaussian processes and neural networks as the library grows.
 *
 * Conventions (see README.md):
 *  - Every fallible function returns ik_status_t; IK_OK (0) is success. After a failure,
 *    ik_last_error() returns one sentence (thread-local) that names the argument and value.
 *  - Arrays are caller-owned, contiguous double arrays with explicit lengths. A matrix is
 *    (const double* a, size_t rows, size_t cols, int32_t layout) where layout is
 *    IK_ROW_MAJOR (C order) or IK_COL_MAJOR (Fortran order). Results are read from a result
 *    handle into caller buffers whose length is passed and checked.
 *  - Options are plain structs whose first field is struct_size, filled by
 *    ik_<method>_options_default(); passing NULL for the options means defaults.
 *  - Handles: distinct handles may be used from different threads at once; one handle must not
 *    be used from two threads at once without the caller's lock. ik_*_free(NULL) is a no-op.
 *  - The library never aborts the host process on bad input: it returns a status instead.
 */
#ifndef INFERKIT_H
#define INFERKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Version                                                                                    */
/* ------------------------------------------------------------------------------------------ */

#define IK_VERSION_MAJOR 0
#define IK_VERSION_MINOR 1
#define IK_VERSION_PATCH 0

/** The library's version as "MAJOR.MINOR.PATCH" (static storage, never NULL). */
const char* ik_version(void);

/** The library's version as MAJOR * 10000 + MINOR * 100 + PATCH, to compare with the macros. */
int32_t ik_version_number(void);

/* ------------------------------------------------------------------------------------------ */
/* Status codes and errors                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** Return type of every fallible function: one of the IK_OK / IK_ERR_* values below. */
typedef int32_t ik_status_t;

/** Status codes. Values are fixed forever and never reused. */
enum ik_status_code {
    IK_OK = 0,                    /**< success */
    IK_ERR_INVALID_ARGUMENT = 1,  /**< NULL pointer, option out of range, bad enum value */
    IK_ERR_DIMENSION = 2,         /**< zero or mismatched lengths, output buffer too short */
    IK_ERR_NONFINITE = 3,         /**< NaN or Inf in an input array */
    IK_ERR_SINGULAR = 4,          /**< singular or rank-deficient problem */
    IK_ERR_NOT_CONVERGED = 5,     /**< an iteration did not converge */
    IK_ERR_CALLBACK = 6,          /**< a caller's callback returned non-zero */
    IK_ERR_PARSE = 7,             /**< a formula could not be parsed */
    IK_ERR_NO_MEMORY = 8,         /**< an allocation failed or a size overflowed */
    IK_ERR_INTERNAL = 9           /**< a bug in InferKit: please report it */
};

/** A short constant name for a status code, e.g. "IK_ERR_DIMENSION" ("IK_UNKNOWN" if none). */
const char* ik_status_string(ik_status_t status);

/**
 * The message of the last failure on the calling thread, one sentence that names the argument
 * and the value ("sigma[3] is 0: every sigma must be > 0"). "" when no call has failed yet.
 * The pointer stays valid until the next InferKit call on the same thread.
 */
const char* ik_last_error(void);

/* ------------------------------------------------------------------------------------------ */
/* Common enumerations                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Storage order of a matrix argument (values as in CBLAS). */
enum ik_layout {
    IK_ROW_MAJOR = 101,  /**< C order: element (i, j) at a[i * cols + j] */
    IK_COL_MAJOR = 102   /**< Fortran order: element (i, j) at a[i + j * rows] */
};

/* ------------------------------------------------------------------------------------------ */
/* Design matrices (ik_design_*)                                                              */
/* ------------------------------------------------------------------------------------------ */

/** Bases for design matrices and basis fits. */
enum ik_basis {
    IK_BASIS_MONOMIAL = 0,   /**< x^0 .. x^deg in the caller's x: deg + 1 columns */
    IK_BASIS_LEGENDRE = 1,   /**< P_0(u) .. P_deg(u), u = x mapped from the domain onto [-1, 1] */
    IK_BASIS_CHEBYSHEV = 2,  /**< T_0(u) .. T_deg(u), u as for Legendre */
    IK_BASIS_FOURIER = 3,    /**< 1, cos(2 pi k x / P), sin(2 pi k x / P) for k = 1..deg: 2 deg + 1 columns */
    IK_BASIS_COSINE = 4      /**< cos(2 pi k x / P) for k = 0..deg (the lecture's LSSA basis): deg + 1 columns */
};

/**
 * Number of columns of the design matrix of `basis` with `degree` (modes for the Fourier and
 * cosine bases), written to *cols.
 */
ik_status_t ik_design_columns(int32_t basis, size_t degree, size_t* cols);

/**
 * Fill the design matrix of a basis at the points x[0..n).
 *  basis   one of IK_BASIS_*
 *  x       n points (any order, repeats allowed); must be finite
 *  degree  polynomial degree, or number of modes for IK_BASIS_FOURIER / IK_BASIS_COSINE
 *  domain  Legendre/Chebyshev only: 2 finite elements {lo, hi}, lo < hi, mapped onto [-1, 1];
 *          NULL maps [min x, max x] (then x must not be constant). Ignored (may be NULL) for
 *          the other bases.
 *  period  Fourier/cosine only: the period P > 0 in the units of x. Ignored otherwise.
 *  layout  storage order of out
 *  out     n x cols matrix, cols from ik_design_columns(); out_len must be >= n * cols
 */
ik_status_t ik_design_matrix(int32_t basis, const double* x, size_t n, size_t degree,
                             const double* domain, double period, int32_t layout,
                             double* out, size_t out_len);

/* ------------------------------------------------------------------------------------------ */
/* Linear least squares (ik_linear_*)                                                         */
/* ------------------------------------------------------------------------------------------ */

/** Solution method of a linear least-squares fit. */
enum ik_linear_method {
    IK_LINEAR_QR = 0,   /**< Householder QR of the weighted, column-equilibrated design (default) */
    IK_LINEAR_SVD = 1   /**< truncated SVD: singular values below rcond * s_max are dropped */
};

/** Bits of ik_linear_info_t.flags: warnings that are not failures. */
enum ik_linear_flag {
    IK_LINEAR_FLAG_RANK_DEFICIENT = 1,     /**< rank < cols: minimum-norm solution, pseudo-inverse covariance */
    IK_LINEAR_FLAG_ILL_CONDITIONED = 2,    /**< condition number > 1/sqrt(eps) ~ 6.7e7: half the digits are at risk */
    IK_LINEAR_FLAG_NO_DOF = 4,             /**< dof = 0 with relative sigma: the covariance is undefined (NaN) */
    IK_LINEAR_FLAG_REFINED = 8             /**< the solution was refined in extended precision */
};

/** Options of ik_linear_fit() and ik_linear_polyfit(). Fill with ik_linear_options_default(). */
typedef struct ik_linear_options_t {
    size_t struct_size;            /**< sizeof(ik_linear_options_t), set by ik_linear_options_default */
    int32_t method;                /**< IK_LINEAR_QR (default) or IK_LINEAR_SVD */
    int32_t absolute_sigma;        /**< 0 (default): covariance scaled by chi2/dof (sigma relative);
                                        1: sigma are absolute 1-sigma errors (scipy's absolute_sigma) */
    int32_t allow_rank_deficient;  /**< 0 (default): a rank-deficient design (numerical rank < cols, an
                                        all-zero column, or fewer rows than columns) is IK_ERR_SINGULAR;
                                        1: return the minimum-norm solution (in the column-equilibrated
                                        parametrisation, so independent of the parameters' units), its
                                        pseudo-inverse covariance, and set IK_LINEAR_FLAG_RANK_DEFICIENT.
                                        IK_LINEAR_SVD always allows it. */
    int32_t refine;                /**< iterative refinement with double-double residuals against the
                                        caller's own design: -1 (default) when the forward error bound
                                        eps (cond + cond^2 |r| / (|A| |theta|)) exceeds 1e-13, and always
                                        for IK_BASIS_MONOMIAL fits; 0 never; k > 0 always, up to k steps */
    double rcond;                  /**< relative cut-off for rank decisions; <= 0 (default) means
                                        eps * max(rows, cols), as numpy.linalg.lstsq */
    int32_t n_threads;             /**< threads for large problems; 0 (default) = all cores. Results are
                                        bit-identical for every thread count. */
    int32_t reserved;              /**< must be 0 */
} ik_linear_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_linear_options_default(ik_linear_options_t* options);

/** Opaque result of a linear fit. Free with ik_linear_result_free(). */
typedef struct ik_linear_result_t ik_linear_result_t;

/**
 * Weighted linear least squares: for each right-hand side y_k, minimise
 *     chi2_k = sum_i ((y_ik - (A theta_k)_i) / sigma_i)^2
 * by an orthogonal factorisation of diag(1/sigma) A (never the normal equations). Many
 * right-hand sides share one factorisation (e.g. one basis fitted to every pixel).
 *  a        rows x cols design matrix in `layout`; finite
 *  y        rows x n_rhs data in the same layout (for n_rhs == 1 simply rows values); finite.
 *           Its length is implied: it must hold rows * n_rhs values (as in BLAS/LAPACK).
 *  sigma    rows standard deviations > 0, shared by all right-hand sides, or NULL (all 1)
 *  options  NULL for defaults
 *  result   receives a new handle on success (NULL on failure)
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, bad layout or option), IK_ERR_DIMENSION (zero
 * sizes), IK_ERR_NONFINITE (NaN/Inf in a, y or sigma), IK_ERR_INVALID_ARGUMENT (sigma <= 0),
 * IK_ERR_SINGULAR (all-zero column, more columns than rows, or numerical rank < cols, unless
 * allow_rank_deficient is set or the method is SVD).
 */
ik_status_t ik_linear_fit(const double* a, size_t rows, size_t cols, int32_t layout,
                          const double* y, size_t n_rhs, const double* sigma,
                          const ik_linear_options_t* options, ik_linear_result_t** result);

/**
 * Fit y(x) in a basis (see ik_design_matrix) with the same estimator as ik_linear_fit. The fit
 * is computed in a well-conditioned basis on [-1, 1] and, for IK_BASIS_MONOMIAL, converted to
 * coefficients of x^0..x^deg in the caller's own x and refined there in extended precision, so
 * that ill-conditioned polynomial fits (NIST Filip, Wampler) keep their digits.
 *  x, n      n abscissae; finite
 *  y         n x n_rhs data in y_layout
 *  sigma     n standard deviations > 0, or NULL
 *  degree    polynomial degree (number of modes for Fourier/cosine)
 *  basis     IK_BASIS_*
 *  domain    Legendre/Chebyshev: {lo, hi} with lo < hi, or NULL for [min x, max x]; otherwise
 *            ignored
 *  period    Fourier/cosine: period > 0; otherwise ignored
 * The result remembers the basis, so ik_linear_predict_x() evaluates it at new x.
 */
ik_status_t ik_linear_polyfit(const double* x, size_t n, const double* y, size_t n_rhs,
                              int32_t y_layout, const double* sigma, size_t degree,
                              int32_t basis, const double* domain, double period,
                              const ik_linear_options_t* options, ik_linear_result_t** result);

/** Sizes and diagnostics of a linear fit. Set struct_size = sizeof(ik_linear_info_t) first. */
typedef struct ik_linear_info_t {
    size_t struct_size;      /**< set by the caller to sizeof(ik_linear_info_t) */
    size_t rows;             /**< observations */
    size_t cols;             /**< parameters */
    size_t n_rhs;            /**< right-hand sides */
    size_t rank;             /**< numerical rank of the weighted design */
    size_t dof;              /**< degrees of freedom, rows - rank */
    double cond;             /**< 2-norm condition number of the weighted, column-equilibrated design */
    int32_t flags;           /**< bits of ik_linear_flag */
    int32_t method;          /**< method used */
    int32_t refinement_steps;/**< extended-precision refinement steps taken (0 if none) */
    int32_t basis;           /**< IK_BASIS_* of ik_linear_polyfit results, -1 for ik_linear_fit */
    int32_t absolute_sigma;  /**< 1 when the covariance was not scaled by chi2/dof */
    int32_t r2_centered;     /**< 1 when R^2 is centred (the design has a constant column), 0 if uncentred */
} ik_linear_info_t;

/** Read the sizes and diagnostics of a result into *info (info->struct_size must be set). */
ik_status_t ik_linear_result_info(const ik_linear_result_t* result, ik_linear_info_t* info);

/** Parameters theta, cols x n_rhs row-major (for n_rhs == 1: cols values). len >= cols * n_rhs. */
ik_status_t ik_linear_result_params(const ik_linear_result_t* result, double* out, size_t len);

/** Standard errors sqrt(diag(cov)), cols x n_rhs row-major. len >= cols * n_rhs. */
ik_status_t ik_linear_result_stderr(const ik_linear_result_t* result, double* out, size_t len);

/**
 * Covariance of theta for right-hand side `rhs` (0-based), cols x cols:
 * (A^T W A)^-1, times chi2/dof unless absolute_sigma. len >= cols * cols.
 */
ik_status_t ik_linear_result_cov(const ik_linear_result_t* result, size_t rhs, double* out,
                                 size_t len);

/**
 * The covariance before scaling, (A^T W A)^-1 (the pseudo-inverse when rank-deficient),
 * cols x cols; the covariance of rhs k is this times ik_linear_result_cov_scale()[k]. Reading
 * these two avoids n_rhs calls of ik_linear_result_cov() when there are many right-hand sides.
 */
ik_status_t ik_linear_result_cov_unscaled(const ik_linear_result_t* result, double* out,
                                          size_t len);

/**
 * Per right-hand side (n_rhs values): the factor applied to the unscaled covariance: 1 with
 * absolute_sigma, chi2/dof otherwise (NaN when dof = 0, with IK_LINEAR_FLAG_NO_DOF).
 */
ik_status_t ik_linear_result_cov_scale(const ik_linear_result_t* result, double* out, size_t len);

/** Correlation matrix cov_ij / sqrt(cov_ii cov_jj), cols x cols (the same for every rhs). */
ik_status_t ik_linear_result_corr(const ik_linear_result_t* result, double* out, size_t len);

/** Residuals y - A theta (not divided by sigma), rows x n_rhs row-major. */
ik_status_t ik_linear_result_residuals(const ik_linear_result_t* result, double* out, size_t len);

/** chi2 = sum ((y - A theta) / sigma)^2 per right-hand side: n_rhs values. */
ik_status_t ik_linear_result_chi2(const ik_linear_result_t* result, double* out, size_t len);

/**
 * Coefficient of determination per right-hand side (n_rhs values), weighted by 1/sigma^2:
 * centred (1 - chi2 / sum w (y - ybar_w)^2) when the design holds a constant column,
 * uncentred (1 - chi2 / sum w y^2) otherwise.
 */
ik_status_t ik_linear_result_r2(const ik_linear_result_t* result, double* out, size_t len);

/** Singular values of the weighted, column-equilibrated design, descending: min(rows, cols) values. */
ik_status_t ik_linear_result_singular_values(const ik_linear_result_t* result, double* out,
                                             size_t len);

/**
 * Prediction at new design rows: mean = A_new theta and its standard error
 * std = sqrt(diag(A_new cov A_new^T)) (the uncertainty of the fitted curve, without noise).
 *  a_new   rows x cols in layout; cols must equal the fit's parameter count
 *  mean    rows x n_rhs row-major output
 *  std     rows x n_rhs row-major output, or NULL
 */
ik_status_t ik_linear_predict(const ik_linear_result_t* result, const double* a_new, size_t rows,
                              size_t cols, int32_t layout, double* mean, double* std);

/**
 * Prediction of an ik_linear_polyfit() result at new points x[0..n): the design is built in
 * the fit's basis, domain and period. mean and std (may be NULL) are n x n_rhs row-major.
 */
ik_status_t ik_linear_predict_x(const ik_linear_result_t* result, const double* x, size_t n,
                                double* mean, double* std);

/** Release a result. NULL is a no-op; a pointer that is not a live result is ignored. */
void ik_linear_result_free(ik_linear_result_t* result);

/* ------------------------------------------------------------------------------------------ */
/* Splines and simple non-parametric regressors (ik_spline_*, ik_interp_*)                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * Opaque B-spline of degree k: knots t[0..n_t), coefficients c[0..n_c), n_c = n_t - k - 1,
 * s(x) = sum_j c_j B_{j,k;t}(x) (de Boor's normalised B-splines, as scipy.interpolate.BSpline).
 * The base interval is [t[k], t[n_t - k - 1]]. Free with ik_spline_free().
 */
typedef struct ik_spline_t ik_spline_t;

/** Boundary conditions of ik_spline_interp(). */
enum ik_spline_bc {
    IK_SPLINE_NOT_A_KNOT = 0,  /**< scipy's default: interior knots from the data, no end conditions */
    IK_SPLINE_NATURAL = 1,     /**< k = 3 only: s'' = 0 at both ends (scipy's bc_type="natural") */
    IK_SPLINE_CLAMPED = 2      /**< k = 3 only: s' = 0 at both ends (scipy's bc_type="clamped") */
};

/** Out-of-interval behaviour of ik_spline_evaluate(). */
enum ik_spline_extrapolate {
    IK_SPLINE_NAN_OUTSIDE = 0,  /**< NaN outside the base interval (scipy's extrapolate=False) */
    IK_SPLINE_EXTRAPOLATE = 1   /**< continue the first and last polynomial pieces (scipy's default) */
};

/**
 * A spline from its knots and coefficients. t: n_t finite, non-decreasing knots with
 * t[k] < t[n_t - k - 1] and no knot strictly inside that base interval repeated more than
 * k + 1 times; c: n_c = n_t - k - 1 finite values; 0 <= k <= 20.
 */
ik_status_t ik_spline_create(const double* t, size_t n_t, const double* c, size_t n_c, int32_t k,
                             ik_spline_t** spline);

/**
 * Weighted least-squares spline with given knots (scipy.interpolate.make_lsq_spline):
 * minimise sum_i (w_i (y_i - s(x_i)))^2, solved by a banded QR (Givens rotations) of the
 * B-spline design, never the normal equations.
 *  x       n finite abscissae, non-decreasing, inside [t[k], t[n_t - k - 1]]
 *  y       n finite values
 *  w       n finite weights > 0 (1/sigma), or NULL (all 1)
 *  t, n_t  knots as for ik_spline_create; the data must satisfy the Schoenberg-Whitney
 *          conditions (every coefficient needs data under its B-spline), else IK_ERR_SINGULAR
 * The result also holds the coefficient covariance (R^T R)^-1 (see ik_spline_covariance).
 */
ik_status_t ik_spline_lsq(const double* x, size_t n, const double* y, const double* w,
                          const double* t, size_t n_t, int32_t k, ik_spline_t** spline);

/**
 * Interpolating spline of degree k through (x_i, y_i) (scipy.interpolate.make_interp_spline):
 * x strictly increasing, n >= k + 1; knots chosen as scipy does: k = 0: the data and x[n-1]
 * again (c = y); k = 1: the data with both ends doubled (c = y); otherwise not-a-knot: k + 1
 * copies of each end around the data without (k+1)/2 points next to each end (odd k), or the
 * midpoints of the data without k/2 at each end (even k). bc one of IK_SPLINE_* (NATURAL and
 * CLAMPED need k = 3; their knots are the data with 3 extra copies of each end).
 * Errors: IK_ERR_DIMENSION (n < k + 1), IK_ERR_INVALID_ARGUMENT (x not strictly increasing,
 * bad k or bc), IK_ERR_NONFINITE, IK_ERR_SINGULAR.
 */
ik_status_t ik_spline_interp(const double* x, size_t n, const double* y, int32_t k, int32_t bc,
                             ik_spline_t** spline);

/**
 * Cubic smoothing spline (scipy.interpolate.make_smoothing_spline): minimises
 *     sum_i w_i (y_i - s(x_i))^2 + lam * integral s''(u)^2 du
 * over cubic splines with knots at the data (the minimiser is the natural cubic spline; knots
 * [x0, x0, x0, x..., x_{n-1}, x_{n-1}, x_{n-1}], n + 2 coefficients), solved in O(n) with a
 * banded Cholesky factorisation.
 *  x         n >= 5 finite, strictly increasing abscissae
 *  y         n finite values
 *  w         n finite weights > 0, or NULL (all 1)
 *  lam       >= 0, or negative to choose it by generalised cross-validation:
 *            GCV(lam) = n^-1 sum (y_i - s(x_i))^2 / (1 - tr(A)/n)^2 (A the influence matrix,
 *            its trace from the band of the inverse, Hutchinson and de Hoog 1985), minimised
 *            over [0, n] by Brent's bounded method, as scipy does
 *  lam_used  receives the lambda used (may be NULL)
 */
ik_status_t ik_spline_smoothing(const double* x, size_t n, const double* y, const double* w,
                                double lam, ik_spline_t** spline, double* lam_used);

/** Sizes of a spline: number of knots, of coefficients, and the degree. */
ik_status_t ik_spline_info(const ik_spline_t* spline, size_t* n_t, size_t* n_c, int32_t* k);

/** The knots (n_t values). */
ik_status_t ik_spline_knots(const ik_spline_t* spline, double* out, size_t len);

/** The coefficients (n_c values). */
ik_status_t ik_spline_coefficients(const ik_spline_t* spline, double* out, size_t len);

/**
 * The nu-th derivative (nu >= 0; nu > k gives 0) at x[0..n) into out[0..n), with
 * extrapolate one of IK_SPLINE_NAN_OUTSIDE or IK_SPLINE_EXTRAPOLATE. NaN in x gives NaN.
 */
ik_status_t ik_spline_evaluate(const ik_spline_t* spline, const double* x, size_t n, int32_t nu,
                               int32_t extrapolate, double* out);

/**
 * The definite integral of the spline from a to b (a > b gives the negative), with the same
 * extrapolate choices as evaluation (NaN outside: the integral over the part inside).
 */
ik_status_t ik_spline_integrate(const ik_spline_t* spline, double a, double b,
                                int32_t extrapolate, double* out);

/**
 * Covariance of the coefficients of an ik_spline_lsq() result, n_c x n_c row-major:
 * (B^T W^2 B)^-1, scaled by chi2 / (n - n_c) unless absolute_sigma is 1 (the weights are then
 * 1/sigma of absolute errors). IK_ERR_INVALID_ARGUMENT for splines not made by ik_spline_lsq.
 */
ik_status_t ik_spline_covariance(const ik_spline_t* spline, int32_t absolute_sigma, double* out,
                                 size_t len);

/**
 * Standard error of an ik_spline_lsq() fit at x[0..n): sqrt(b(x)^T cov b(x)) with b(x) the
 * B-spline values (the prediction band, without the noise); covariance as above.
 */
ik_status_t ik_spline_predict_std(const ik_spline_t* spline, const double* x, size_t n,
                                  int32_t absolute_sigma, double* out);

/**
 * The B-spline design matrix of knots t and degree k at x[0..n): element (i, j) is the nu-th
 * derivative of B_j at x_i (x inside the base interval), n x (n_t - k - 1) in layout.
 */
ik_status_t ik_spline_design_matrix(const double* t, size_t n_t, int32_t k, const double* x,
                                    size_t n, int32_t nu, int32_t layout, double* out,
                                    size_t out_len);

/** Release a spline. NULL is a no-op; a pointer that is not a live spline is ignored. */
void ik_spline_free(ik_spline_t* spline);

/**
 * Piecewise-linear interpolation of (xp, fp) at x[0..n) (numpy.interp): xp strictly
 * increasing, n_p >= 1; outside [xp[0], xp[n_p - 1]] the end values.
 */
ik_status_t ik_interp_linear(const double* xp, const double* fp, size_t n_p, const double* x,
                             size_t n, double* out);

/**
 * Nearest-neighbour interpolation of (xp, fp) at x[0..n) (scipy interp1d kind="nearest"
 * inside, end values outside): xp strictly increasing; a tie takes the left neighbour.
 */
ik_status_t ik_interp_nearest(const double* xp, const double* fp, size_t n_p, const double* x,
                              size_t n, double* out);

#ifdef __cplusplus
}
#endif

#endif /* INFERKIT_H */
