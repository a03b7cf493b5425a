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
/* Regularisation and deconvolution (ik_tikhonov_*, ik_tsvd_*, ik_nnls_*, ik_convolution_*)   */
/* ------------------------------------------------------------------------------------------ */

/** Which outputs of a discrete convolution are the rows of its matrix (as numpy.convolve). */
enum ik_convolution_mode {
    IK_CONVOLUTION_FULL = 0,  /**< all n + n_kernel - 1 outputs: R[i][j] = kernel[i - j] */
    IK_CONVOLUTION_SAME = 1   /**< the n outputs centred on the signal: rows (n_kernel - 1) / 2 ..
                                   of the full matrix, as scipy.linalg.convolution_matrix "same" */
};

/** How the signal continues beyond its n samples in a convolution. */
enum ik_convolution_boundary {
    IK_BOUNDARY_ZERO = 0,     /**< zero outside (scipy.linalg.convolution_matrix) */
    IK_BOUNDARY_REFLECT = 1   /**< mirrored about its ends, f[-1-i] = f[i], f[n+i] = f[n-1-i]
                                   (scipy.ndimage mode "reflect") */
};

/**
 * Number of rows of the convolution matrix of a kernel of n_kernel values and a signal of n
 * values, written to *rows: n + n_kernel - 1 (IK_CONVOLUTION_FULL) or n (IK_CONVOLUTION_SAME).
 * Errors: IK_ERR_DIMENSION (n_kernel or n is 0, or n_kernel > n), IK_ERR_INVALID_ARGUMENT
 * (rows NULL, bad mode).
 */
ik_status_t ik_convolution_rows(size_t n_kernel, size_t n, int32_t mode, size_t* rows);

/**
 * The matrix R of the convolution of a sampled response kernel with a signal f of n values,
 * y = R f with y_i = sum_k kernel[k] f[i + offset - k] (offset 0 for IK_CONVOLUTION_FULL,
 * (n_kernel - 1) / 2 for IK_CONVOLUTION_SAME), f continued outside [0, n) by `boundary`.
 * With IK_BOUNDARY_ZERO it equals scipy.linalg.convolution_matrix(kernel, n, mode).
 *  kernel    n_kernel finite values, 1 <= n_kernel <= n (a kernel longer than the signal is
 *            IK_ERR_DIMENSION)
 *  n         the signal length: columns of R
 *  mode      IK_CONVOLUTION_FULL or IK_CONVOLUTION_SAME
 *  boundary  IK_BOUNDARY_ZERO or IK_BOUNDARY_REFLECT
 *  layout    storage order of out
 *  out       rows x n (rows from ik_convolution_rows()); out_len must be >= rows * n
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, bad mode, boundary or layout),
 * IK_ERR_DIMENSION (sizes as above, out_len too small), IK_ERR_NONFINITE (NaN/Inf in kernel).
 */
ik_status_t ik_convolution_matrix(const double* kernel, size_t n_kernel, size_t n, int32_t mode,
                                  int32_t boundary, int32_t layout, double* out, size_t out_len);

/** The penalty operator L of Tikhonov regularisation lam ||L f||^2 (n unknowns). */
enum ik_penalty {
    IK_PENALTY_IDENTITY = 0,           /**< L = I, n x n: ridge regression (standard form) */
    IK_PENALTY_FIRST_DIFFERENCE = 1,   /**< (n-1) x n, (L f)_i = f[i+1] - f[i]; null space: constants */
    IK_PENALTY_SECOND_DIFFERENCE = 2,  /**< (n-2) x n, (L f)_i = f[i] - 2 f[i+1] + f[i+2]; null space:
                                            straight lines */
    IK_PENALTY_MATRIX = 3              /**< the caller's l_rows x n matrix (any rank >= 1) */
};

/** How the regularisation parameter (lam of Tikhonov, k of the truncated SVD) is chosen. */
enum ik_reg_method {
    IK_REG_GCV = 0,           /**< generalised cross-validation: minimise
                                   GCV = m ||r||^2 / (m - tr H)^2 (H the influence matrix) */
    IK_REG_LCURVE = 1,        /**< corner of the L-curve (log ||r||, log ||L f||): its maximum
                                   curvature (Tikhonov only); of several corners, the one at the
                                   largest lam among the local maxima within a factor 2 of the
                                   largest curvature (smaller-lam corners lie in the noise) */
    IK_REG_DISCREPANCY = 2,   /**< discrepancy principle ||W^1/2 r||^2 = tau^2 m (needs sigma: the
                                   absolute errors of y); on a grid without refinement, the
                                   largest lam whose residual is within that */
    IK_REG_FIXED = 3          /**< the caller's lam (or k) */
};

/** Bits of the flags of regularised results: warnings that are not failures. */
enum ik_reg_flag {
    IK_REG_FLAG_AT_GRID_EDGE = 1,             /**< the choice is at an end of the grid: the optimum
                                                   may lie outside it */
    IK_REG_FLAG_DISCREPANCY_NOT_BRACKETED = 2,/**< ||r||^2 = tau^2 m has no root inside the grid: the
                                                   nearest grid end was taken */
    IK_REG_FLAG_NO_DOF = 4,                   /**< m - tr H <= 0 with relative sigma: covariance NaN */
    IK_REG_FLAG_LOW_RANK = 8,                 /**< the standard-form matrix was factorised as numerically
                                                   low-rank (singular values below 1e-14 of its
                                                   Frobenius norm taken as zero) */
    IK_REG_FLAG_AT_BOUND = 16                 /**< non-negative solution with values at 0: their
                                                   covariance rows and columns are NaN */
};

/** Options of ik_tikhonov() and ik_deconvolve(). Fill with ik_tikhonov_options_default(). */
typedef struct ik_tikhonov_options_t {
    size_t struct_size;          /**< sizeof(ik_tikhonov_options_t), set by ik_tikhonov_options_default */
    int32_t method;              /**< IK_REG_GCV (default), IK_REG_LCURVE, IK_REG_DISCREPANCY, IK_REG_FIXED */
    int32_t absolute_sigma;      /**< 0 (default): sigma are relative weights and the covariance is
                                      scaled by the noise variance ||W^1/2 r||^2 / (m - tr H);
                                      1: sigma are absolute 1-sigma errors (no scaling) */
    double lam;                  /**< IK_REG_FIXED: the lam to use, finite and >= 0 (default 0) */
    double discrepancy_factor;   /**< tau of the discrepancy principle ||W^1/2 r||^2 = tau^2 m, > 0
                                      (default 1: chi^2 equal to its expectation m) */
    size_t n_grid;               /**< points of the automatic lam grid (lam_grid NULL), default 100,
                                      1 .. 1000000: log-spaced from max(s_min, 16 eps s_1)^2 to s_1^2,
                                      s the singular values of the standard-form matrix */
    int32_t refine;              /**< -1 (default): refine the choice between grid points (Brent's
                                      method in log lam; bisection for the discrepancy root) on the
                                      automatic grid only; 0: the best grid point; 1: always refine */
    int32_t nonnegative;         /**< 1: the solution at the chosen lam is the non-negative least-squares
                                      solution of [W^1/2 A; sqrt(lam) L] f ~ [W^1/2 y; 0] (lam is chosen on
                                      the unconstrained problem); 0 (default): unconstrained */
    double rcond;                /**< relative cut-off for the rank of a caller's L and the check that A
                                      sees the null space of L; <= 0 (default) means eps * max(m, n) */
    int32_t n_threads;           /**< threads for large matrix products, 0 (default) = all cores;
                                      results are bit-identical for every thread count */
    int32_t stacked_qr;          /**< 0 (default): the solution at the chosen lam from the standard-form
                                      SVD (O(m n)); 1: from a Householder QR of the stacked matrix
                                      [W^1/2 A; sqrt(lam) L] (O(n^2 (m + p)); the covariance then comes
                                      from the same factor). Both agree to rounding. Ignored with
                                      nonnegative = 1 */
} ik_tikhonov_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_tikhonov_options_default(ik_tikhonov_options_t* options);

/** Opaque result of ik_tikhonov() or ik_deconvolve(). Free with ik_tikhonov_result_free(). */
typedef struct ik_tikhonov_result_t ik_tikhonov_result_t;

/**
 * General-form Tikhonov regularisation:
 *     minimise ||W^1/2 (y - A f)||^2 + lam ||L f||^2,   W = diag(1/sigma^2),
 * with lam chosen by options->method over a grid. Solved by Elden's standard-form transformation
 * (the null space of L split off by a QR factorisation of W^1/2 A N) and one SVD of the
 * standard-form matrix, so every lam of the grid costs O(min(m, n)); the solution costs O(m n)
 * (or, with options->stacked_qr, comes from a Householder QR of the stacked matrix). The
 * posterior covariance (A^T W A + lam L^T L)^-1 comes from a Householder QR of the stacked
 * matrix [W^1/2 A; sqrt(lam) L] (ik_tikhonov_result_cov). Never the normal equations.
 * A standard-form matrix of at least 256 x 256 is first factorised as numerically low-rank (a
 * seeded randomised range finder, checked to 1e-14 of its Frobenius norm; IK_REG_FLAG_LOW_RANK),
 * which is what makes large deconvolutions fast; otherwise, or when its rank exceeds a quarter of
 * its size, by LAPACK's dgesdd.
 *  a          rows x cols matrix A in `layout` (rows = m observations, cols = n unknowns); finite
 *  y          rows data; finite
 *  sigma      rows standard deviations > 0, or NULL (all 1; not allowed with IK_REG_DISCREPANCY)
 *  penalty    IK_PENALTY_*
 *  l          IK_PENALTY_MATRIX: the l_rows x cols matrix L in `layout`, finite, rank >= 1;
 *             ignored (may be NULL) for the other penalties
 *  lam_grid   n_lam values lam >= 0 (any order) at which the curve is evaluated and among which
 *             lam is chosen, or NULL (with n_lam 0) for the automatic grid
 *  options    NULL for defaults
 *  result     receives a new handle on success (NULL on failure)
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, bad layout, penalty, method or option, sigma <= 0,
 * lam < 0, sigma NULL with the discrepancy principle, L = 0), IK_ERR_DIMENSION (zero or mismatched
 * sizes, m <= the null-space dimension of L, too few unknowns for a difference penalty),
 * IK_ERR_NONFINITE (NaN/Inf in a, y, sigma, l or lam_grid), IK_ERR_SINGULAR (A maps a null vector
 * of L to zero, or A L^+ = 0 when lam must be chosen), IK_ERR_NOT_CONVERGED.
 */
ik_status_t ik_tikhonov(const double* a, size_t rows, size_t cols, int32_t layout, const double* y,
                        const double* sigma, int32_t penalty, const double* l, size_t l_rows,
                        const double* lam_grid, size_t n_lam, const ik_tikhonov_options_t* options,
                        ik_tikhonov_result_t** result);

/**
 * Deconvolution: recover the signal f from data y = R f + noise, R the convolution matrix of
 * the kernel (ik_convolution_matrix), by ik_tikhonov on R with the given penalty.
 *  y, n_y     the data: n_y finite values
 *  kernel     n_kernel finite values; the signal has n = n_y (IK_CONVOLUTION_SAME) or
 *             n_y - n_kernel + 1 (IK_CONVOLUTION_FULL) values, and n_kernel <= n
 *  mode, boundary   as ik_convolution_matrix
 *  sigma      n_y standard deviations > 0 or NULL
 *  penalty    IK_PENALTY_IDENTITY, _FIRST_DIFFERENCE or _SECOND_DIFFERENCE
 *  lam_grid, n_lam, options, result   as ik_tikhonov
 * Errors: as ik_convolution_matrix and ik_tikhonov; IK_ERR_INVALID_ARGUMENT for IK_PENALTY_MATRIX.
 */
ik_status_t ik_deconvolve(const double* y, size_t n_y, const double* kernel, size_t n_kernel,
                          int32_t mode, int32_t boundary, const double* sigma, int32_t penalty,
                          const double* lam_grid, size_t n_lam, const ik_tikhonov_options_t* options,
                          ik_tikhonov_result_t** result);

/** Sizes and scalars of a Tikhonov result. Set struct_size = sizeof(ik_tikhonov_info_t) first. */
typedef struct ik_tikhonov_info_t {
    size_t struct_size;      /**< set by the caller to sizeof(ik_tikhonov_info_t) */
    size_t rows;             /**< observations m */
    size_t cols;             /**< unknowns n */
    size_t penalty_rows;     /**< rows of L */
    size_t null_dim;         /**< dimension q of the null space of L (unpenalised directions) */
    size_t n_singular;       /**< singular values of the standard-form matrix that were computed */
    size_t n_grid;           /**< points of the curve */
    double lam;              /**< the lam used */
    double edf;              /**< effective degrees of freedom tr H = q + sum s_i^2 / (s_i^2 + lam) */
    double residual_norm;    /**< ||W^1/2 (y - A f)|| */
    double solution_norm;    /**< ||L f|| */
    double gcv;              /**< GCV(lam) = m ||W^1/2 r||^2 / (m - tr H)^2 (infinite when m = tr H) */
    double curvature;        /**< curvature of the L-curve at lam (NaN at lam = 0) */
    double noise_variance;   /**< the covariance factor: 1 with absolute_sigma, else ||W^1/2 r||^2 / (m - tr H) */
    int32_t flags;           /**< bits of ik_reg_flag */
    int32_t method;          /**< IK_REG_* used */
    int32_t nonnegative;     /**< 1 when f was constrained to be >= 0 (residual and solution norms are
                                  then those of that f; edf, gcv and curvature of the unconstrained one) */
    int32_t absolute_sigma;  /**< 1 when the covariance was not scaled */
} ik_tikhonov_info_t;

/** Read the sizes and scalars of a result into *info (info->struct_size must be set). */
ik_status_t ik_tikhonov_result_info(const ik_tikhonov_result_t* result, ik_tikhonov_info_t* info);

/** The solution f: cols values; len >= cols. */
ik_status_t ik_tikhonov_result_params(const ik_tikhonov_result_t* result, double* out, size_t len);

/**
 * The posterior covariance of f, cols x cols (row-major = column-major: it is symmetric):
 * (A^T W A + lam L^T L)^-1 times noise_variance, the covariance of the Gaussian posterior with
 * the prior lam ||L f||^2 / 2. Computed on the first call by a Householder QR of
 * [W^1/2 A; sqrt(lam) L] (O(cols^2 (rows + penalty_rows))), then kept. For non-negative results,
 * that of the values > 0, with NaN rows and columns for values at 0. len >= cols * cols.
 * Errors: IK_ERR_SINGULAR when the matrix is singular (lam = 0 with a rank-deficient A).
 */
ik_status_t ik_tikhonov_result_cov(ik_tikhonov_result_t* result, double* out, size_t len);

/**
 * The regularisation curve at the n_grid lam of the grid (in the grid's order): lam, residual
 * norm ||W^1/2 r||, solution seminorm ||L f||, GCV value and L-curve curvature. Any output may
 * be NULL; each non-NULL one needs len >= n_grid values.
 */
ik_status_t ik_tikhonov_result_curve(const ik_tikhonov_result_t* result, double* lam,
                                     double* residual_norm, double* solution_norm, double* gcv,
                                     double* curvature, size_t len);

/**
 * The standard-form spectrum (n_singular values each, descending singular values): singular
 * values s_i, Picard coefficients beta_i = u_i^T bbar of the data, and the filter factors
 * s_i^2 / (s_i^2 + lam) at the chosen lam. Any output may be NULL; len >= n_singular.
 */
ik_status_t ik_tikhonov_result_spectrum(const ik_tikhonov_result_t* result, double* singular_values,
                                        double* picard, double* filter_factors, size_t len);

/** Release a result. NULL is a no-op; a pointer that is not a live result is ignored. */
void ik_tikhonov_result_free(ik_tikhonov_result_t* result);

/** Options of ik_tsvd(). Fill with ik_tsvd_options_default(). */
typedef struct ik_tsvd_options_t {
    size_t struct_size;          /**< sizeof(ik_tsvd_options_t), set by ik_tsvd_options_default */
    int32_t method;              /**< IK_REG_GCV (default), IK_REG_DISCREPANCY or IK_REG_FIXED */
    int32_t absolute_sigma;      /**< as in ik_tikhonov_options_t; default 0 */
    size_t k;                    /**< IK_REG_FIXED: singular values kept, 1 <= k <= rank */
    double discrepancy_factor;   /**< tau > 0 (default 1): the smallest k with ||W^1/2 r_k||^2 <= tau^2 m */
    double rcond;                /**< singular values <= rcond * s_1 do not count (the rank); <= 0
                                      (default) means eps * max(m, n) */
    int32_t n_threads;           /**< as ik_tikhonov_options_t */
    int32_t reserved;            /**< must be 0 */
} ik_tsvd_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_tsvd_options_default(ik_tsvd_options_t* options);

/** Opaque result of ik_tsvd(). Free with ik_tsvd_result_free(). */
typedef struct ik_tsvd_result_t ik_tsvd_result_t;

/**
 * Truncated SVD: with W^1/2 A = U S V^T, f_k = sum_{i<=k} (u_i^T W^1/2 y / s_i) v_i (filter factors
 * 1 for the k largest singular values, 0 beyond), k chosen by GCV(k) = m ||W^1/2 r_k||^2 / (m - k)^2,
 * the discrepancy principle or given (options->method).
 *  a, rows, cols, layout, y, sigma, options   as ik_tikhonov
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, bad layout or option, IK_REG_LCURVE, k out of
 * range, sigma <= 0), IK_ERR_DIMENSION, IK_ERR_NONFINITE, IK_ERR_SINGULAR (A = 0).
 */
ik_status_t ik_tsvd(const double* a, size_t rows, size_t cols, int32_t layout, const double* y,
                    const double* sigma, const ik_tsvd_options_t* options, ik_tsvd_result_t** result);

/** Sizes and scalars of a truncated-SVD result. Set struct_size = sizeof(ik_tsvd_info_t) first. */
typedef struct ik_tsvd_info_t {
    size_t struct_size;      /**< set by the caller to sizeof(ik_tsvd_info_t) */
    size_t rows;             /**< observations m */
    size_t cols;             /**< unknowns n */
    size_t rank;             /**< numerical rank: singular values > rcond * s_1 (the largest k) */
    size_t k;                /**< singular values kept */
    size_t n_singular;       /**< singular values computed */
    double residual_norm;    /**< ||W^1/2 (y - A f_k)|| */
    double solution_norm;    /**< ||f_k|| */
    double gcv;              /**< GCV(k) */
    double noise_variance;   /**< the covariance factor: 1 with absolute_sigma, else ||W^1/2 r_k||^2 / (m - k) */
    int32_t flags;           /**< bits of ik_reg_flag */
    int32_t method;          /**< IK_REG_* used */
    int32_t absolute_sigma;  /**< 1 when the covariance was not scaled */
    int32_t reserved;        /**< 0 */
} ik_tsvd_info_t;

/** Read the sizes and scalars of a result into *info (info->struct_size must be set). */
ik_status_t ik_tsvd_result_info(const ik_tsvd_result_t* result, ik_tsvd_info_t* info);

/** The solution f_k: cols values; len >= cols. */
ik_status_t ik_tsvd_result_params(const ik_tsvd_result_t* result, double* out, size_t len);

/** Covariance of f_k, V_k S_k^-2 V_k^T times noise_variance: cols x cols; len >= cols * cols. */
ik_status_t ik_tsvd_result_cov(const ik_tsvd_result_t* result, double* out, size_t len);

/**
 * The curve for k = 1 .. rank (entry i is k = i + 1): residual norm, solution norm ||f_k|| and
 * GCV(k). Any output may be NULL; len >= rank.
 */
ik_status_t ik_tsvd_result_curve(const ik_tsvd_result_t* result, double* residual_norm,
                                 double* solution_norm, double* gcv, size_t len);

/**
 * Picard plot data (n_singular values each): singular values s_i of W^1/2 A (descending) and
 * the coefficients u_i^T W^1/2 y. Either output may be NULL; len >= n_singular.
 */
ik_status_t ik_tsvd_result_spectrum(const ik_tsvd_result_t* result, double* singular_values,
                                    double* picard, size_t len);

/** Release a result. NULL is a no-op; a pointer that is not a live result is ignored. */
void ik_tsvd_result_free(ik_tsvd_result_t* result);

/** Options of ik_nnls() and ik_bvls(). Fill with ik_nnls_options_default(). */
typedef struct ik_nnls_options_t {
    size_t struct_size;   /**< sizeof(ik_nnls_options_t), set by ik_nnls_options_default */
    int32_t max_iter;     /**< inner-loop passes allowed (a variable returning to a bound); 0 (default)
                               means 3 * cols, as scipy.optimize.nnls; >= 0 */
    int32_t reserved;     /**< must be 0 */
    double tol;           /**< a variable is freed only when its dual |(A^T (y - A x))_j| exceeds tol;
                               <= 0 (default) means eps * max(rows, cols) * ||A||_F * ||y|| */
} ik_nnls_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_nnls_options_default(ik_nnls_options_t* options);

/**
 * Non-negative least squares, minimise ||A x - y|| subject to x >= 0, by the active-set method
 * of Lawson and Hanson (1974) with Householder/Givens updating, as scipy.optimize.nnls.
 *  a        rows x cols in layout; finite
 *  y        rows values; finite
 *  options  NULL for defaults
 *  x        receives cols values; x_len >= cols
 *  rnorm    receives ||A x - y|| (may be NULL)
 * Errors: IK_ERR_INVALID_ARGUMENT, IK_ERR_DIMENSION, IK_ERR_NONFINITE, IK_ERR_NOT_CONVERGED (more
 * than max_iter passes).
 */
ik_status_t ik_nnls(const double* a, size_t rows, size_t cols, int32_t layout, const double* y,
                    const ik_nnls_options_t* options, double* x, size_t x_len, double* rnorm);

/**
 * Bounded-variable least squares, minimise ||A x - y|| subject to lower <= x <= upper, by the
 * same active-set method generalised to two bounds (Stark and Parker 1995), as
 * scipy.optimize.lsq_linear(method="bvls").
 *  lower    cols values (each finite or -INFINITY), or NULL for 0 (non-negativity)
 *  upper    cols values (each finite or +INFINITY), or NULL for +INFINITY; lower <= upper
 *  the other arguments as ik_nnls
 * Errors: as ik_nnls; IK_ERR_INVALID_ARGUMENT for NaN bounds, lower = +inf, upper = -inf or
 * lower > upper.
 */
ik_status_t ik_bvls(const double* a, size_t rows, size_t cols, int32_t layout, const double* y,
                    const double* lower, const double* upper, const ik_nnls_options_t* options,
                    double* x, size_t x_len, double* rnorm);

/**
 * Regularised bounded-variable least squares (and, with lower = upper = NULL, regularised
 * non-negative least squares): minimise ||A x - y||^2 + lam ||L x||^2 subject to
 * lower <= x <= upper, solved by ik_bvls's active-set method on the stacked system
 * [A; sqrt(lam) L] x ~ [y; 0] (no normal equations).
 *  penalty, l, l_rows  L as for ik_tikhonov (IK_PENALTY_*; l is l_rows x cols in layout for
 *                      IK_PENALTY_MATRIX, else NULL and 0)
 *  lam                 >= 0
 *  rnorm               receives the data residual ||A x - y|| (may be NULL)
 *  the other arguments as ik_bvls
 * Errors: as ik_bvls; IK_ERR_INVALID_ARGUMENT for lam < 0 or NaN and a bad penalty;
 * IK_ERR_DIMENSION for an L of the wrong size.
 */
ik_status_t ik_bvls_regularized(const double* a, size_t rows, size_t cols, int32_t layout,
                                const double* y, const double* lower, const double* upper,
                                int32_t penalty, const double* l, size_t l_rows, double lam,
                                const ik_nnls_options_t* options, double* x, size_t x_len,
                                double* rnorm);

/* ------------------------------------------------------------------------------------------ */
/* Differentiable models (ik_model_*)                                                         */
/* ------------------------------------------------------------------------------------------ */

/**
 * Opaque compiled formula over named inputs (independent variables) and parameters, evaluated
 * and differentiated exactly (automatic differentiation, no finite differences): what
 * jax.grad / jax.jacfwd / jax.hessian give a Python program. Free with ik_model_free().
 * One handle is not to be shared between threads without the caller's lock.
 *
 * The language: + - * / ^ (also **), unary minus (-x^2 is -(x^2)), parentheses, numbers, pi,
 * exp log log10 sqrt abs sin cos tan asin acos atan atan2(y, x) sinh cosh tanh erf erfc lgamma
 * pow(a, b) min(a, b) max(a, b), gaussian(x, mu, sigma), lorentzian(x, x0, gamma), sinc(x),
 * voigt(x, sigma, gamma), comparisons (1 or 0), where(cond, a, b), cond ? a : b, and local
 * definitions "s = (x - mu)/sig; A*exp(-s^2/2) + B" (the last item is the result).
 *
 * voigt(x, sigma, gamma) is the unit-area Voigt profile centred at 0 (a peak at x0 is
 * voigt(x - x0, sigma, gamma)): the convolution of a normal density of standard deviation
 * sigma with a Cauchy density of half width at half maximum gamma, Re w(z)/(sigma sqrt(2 pi))
 * with z = (x + i gamma)/(sigma sqrt 2) and w the Faddeeva function, as
 * scipy.special.voigt_profile. Values are accurate to about 1e-15 relative, derivatives
 * (exact, by the heat equation for those in sigma) to about 1e-14 of their size. sigma = 0
 * gives the Cauchy density (dV/dsigma = 0 there), gamma = 0 the normal density,
 * sigma = gamma = 0 gives 0 (+inf at x = 0); sigma < 0 or gamma < 0 gives NaN.
 */
typedef struct ik_model_t ik_model_t;

/**
 * Compiles `expression` (NUL-terminated UTF-8).
 *  inputs, n_inputs   names of the inputs in the order of the columns of x (n_inputs may be 0,
 *                     inputs then may be NULL)
 *  params, n_params   names of the parameters in the order of p; params NULL with n_params 0:
 *                     every other name, in order of first appearance
 *  model              receives the handle (NULL on failure)
 * Errors: IK_ERR_PARSE (syntax error, unknown function, wrong argument count; the message
 * gives the 0-based character offset), IK_ERR_INVALID_ARGUMENT (NULL pointers, duplicate or
 * reserved names, a name not in an explicit params list, a parameter not in the formula).
 */
ik_status_t ik_model_compile(const char* expression, const char* const* inputs, size_t n_inputs,
                             const char* const* params, size_t n_params, ik_model_t** model);

/** The numbers of inputs and parameters of a model. */
ik_status_t ik_model_info(const ik_model_t* model, size_t* n_inputs, size_t* n_params);

/**
 * Copies the name of parameter `index` (< n_params) with its NUL into out[0..len).
 * IK_ERR_DIMENSION when len is too short (the message gives the length needed).
 */
ik_status_t ik_model_param_name(const ik_model_t* model, size_t index, char* out, size_t len);

/**
 * The model's values at n_points points.
 *  x         n_points x n_inputs, row-major (x[i * n_inputs + k] is input k at point i), finite;
 *            may be NULL when the model has no inputs
 *  n_points  >= 1
 *  p         n_params finite values; n_params must equal the model's (p may be NULL when 0)
 *  out       n_points values
 */
ik_status_t ik_model_evaluate(const ik_model_t* model, const double* x, size_t n_points,
                              const double* p, size_t n_params, double* out);

/**
 * The values and the exact Jacobian d f(x_i) / d p_j at n_points points (forward mode).
 *  x, n_points, p, n_params   as for ik_model_evaluate
 *  values     n_points values, or NULL
 *  jacobian   n_points x n_params, row-major (jacobian[i * n_params + j])
 */
ik_status_t ik_model_jacobian(const ik_model_t* model, const double* x, size_t n_points,
                              const double* p, size_t n_params, double* values,
                              double* jacobian);

/**
 * The value of a model without inputs at p (n_params finite values) into *value.
 * IK_ERR_INVALID_ARGUMENT when the model has inputs.
 */
ik_status_t ik_model_value(const ik_model_t* model, const double* p, size_t n_params,
                           double* value);

/**
 * The value (into *value unless NULL) and the exact gradient (grad: n_params values) of a
 * model without inputs at p, by reverse mode. IK_ERR_INVALID_ARGUMENT when it has inputs.
 */
ik_status_t ik_model_gradient(const ik_model_t* model, const double* p, size_t n_params,
                              double* value, double* grad);

/**
 * The exact Hessian of a model without inputs at p: hessian is n_params x n_params,
 * row-major, symmetric. IK_ERR_INVALID_ARGUMENT when the model has inputs.
 */
ik_status_t ik_model_hessian(const ik_model_t* model, const double* p, size_t n_params,
                             double* hessian);

/** Releases a model; NULL is a no-op. */
void ik_model_free(ik_model_t* model);

/**
 * A caller's model, for what no formula can express: writes f(x_i; p) for the n_points points
 * into out and returns 0; any other return value aborts the computation, which then fails with
 * IK_ERR_CALLBACK.
 *  x          n_points x n_inputs, row-major, as the caller passed it to InferKit (NULL when
 *             n_inputs is 0: then out receives n_points values of a function of p alone, e.g.
 *             the residual vector of ik_nlls_fit without data)
 *  p          n_params parameters
 *  out        n_points values
 *  user_data  the pointer given to ik_model_create_callback()
 * It is called on the thread that called InferKit; batch fits (ik_nlls_fit_batch) with
 * n_threads != 1 call it from several worker threads at once, so it must then be thread-safe.
 */
typedef int32_t (*ik_model_fn)(const double* x, size_t n_points, size_t n_inputs, const double* p,
                               size_t n_params, double* out, void* user_data);

/**
 * The Jacobian of a caller's model: writes d f(x_i; p) / d p_j into jacobian[i * n_params + j]
 * (n_points x n_params, row-major) and returns 0 (non-zero aborts with IK_ERR_CALLBACK).
 * Arguments and threads as for ik_model_fn.
 */
typedef int32_t (*ik_model_jacobian_fn)(const double* x, size_t n_points, size_t n_inputs,
                                        const double* p, size_t n_params, double* jacobian,
                                        void* user_data);

/** Finite-difference schemes for callback models without a Jacobian. */
enum ik_finite_difference {
    IK_FD_FORWARD = 0,  /**< (f(p + h e_j) - f(p)) / h: n_params extra evaluations, error O(h) */
    IK_FD_CENTRAL = 1   /**< (f(p + h e_j) - f(p - h e_j)) / 2h: 2 n_params, error O(h^2) */
};

/**
 * A model computed by the caller's function `fn`, usable everywhere a compiled formula is
 * (ik_model_evaluate, ik_model_jacobian, ik_nlls_fit, ...).
 *  n_inputs   inputs per point (0: a function of the parameters alone)
 *  n_params   number of parameters, >= 1
 *  params     n_params names (NUL-terminated), or NULL for "p0", "p1", ...
 *  fn         the model (required)
 *  jacobian   its Jacobian, or NULL: then derivatives are by forward differences with the step
 *             h_j = sqrt(eps) max(1, |p_j|), kept inside bounds (change the scheme with
 *             ik_model_set_finite_differences)
 *  user_data  passed to fn and jacobian unchanged
 *  model      receives the handle (NULL on failure); free with ik_model_free()
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL fn or model, a NULL or duplicate name),
 * IK_ERR_DIMENSION (n_params 0).
 */
ik_status_t ik_model_create_callback(size_t n_inputs, size_t n_params, const char* const* params,
                                     ik_model_fn fn, ik_model_jacobian_fn jacobian,
                                     void* user_data, ik_model_t** model);

/**
 * Sets the finite differences of a callback model without a Jacobian: scheme IK_FD_FORWARD or
 * IK_FD_CENTRAL, and the relative step s (h_j = s max(1, |p_j|)); 0 takes the scheme's default,
 * sqrt(eps) ~ 1.5e-8 forward and eps^(1/3) ~ 6.1e-6 central (scipy's '2-point' and '3-point').
 * IK_ERR_INVALID_ARGUMENT for a formula model, a bad scheme or a step outside [0, 1).
 */
ik_status_t ik_model_set_finite_differences(ik_model_t* model, int32_t scheme, double relative_step);

/* ------------------------------------------------------------------------------------------ */
/* Nonlinear least squares (ik_nlls_*)                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Algorithms of ik_nlls_fit(). */
enum ik_nlls_method {
    IK_NLLS_LEVENBERG_MARQUARDT = 0,  /**< Moré's trust-region LM (MINPACK lmder), default */
    IK_NLLS_GAUSS_NEWTON = 1          /**< plain Gauss-Newton steps with step halving (teaching) */
};

/** Robust losses rho(z), z = (r / f_scale)^2 (scipy.optimize.least_squares' `loss`). */
enum ik_loss {
    IK_LOSS_LINEAR = 0,   /**< z: ordinary least squares (default) */
    IK_LOSS_SOFT_L1 = 1,  /**< 2 (sqrt(1 + z) - 1) */
    IK_LOSS_HUBER = 2,    /**< z for z <= 1, 2 sqrt(z) - 1 beyond */
    IK_LOSS_CAUCHY = 3,   /**< ln(1 + z) */
    IK_LOSS_ARCTAN = 4    /**< arctan(z) */
};

/** What sigma means; every fit that returns a covariance takes it explicitly. */
enum ik_sigma_kind {
    IK_SIGMA_RELATIVE = 0,  /**< relative weights: the covariance is scaled by chi2 / dof */
    IK_SIGMA_ABSOLUTE = 1   /**< absolute 1-sigma errors: the covariance is (J^T W J)^-1 itself */
};

/** Why a fit stopped (ik_nlls_info_t.status). 1-4 and 6 mean convergence. */
enum ik_nlls_status {
    IK_NLLS_FTOL = 1,               /**< actual and predicted relative cost reductions <= ftol */
    IK_NLLS_XTOL = 2,               /**< relative change of the scaled parameters <= xtol */
    IK_NLLS_FTOL_XTOL = 3,          /**< both */
    IK_NLLS_GTOL = 4,               /**< residuals orthogonal to the Jacobian columns within gtol */
    IK_NLLS_MAX_NFEV = 5,           /**< max_nfev model evaluations: not converged */
    IK_NLLS_MACHINE_PRECISION = 6,  /**< no further reduction possible in double precision */
    IK_NLLS_STOPPED = 7,            /**< the progress callback asked to stop: not converged */
    IK_NLLS_NONFINITE = 8           /**< the model was NaN/inf at every step tried (ik_nlls_fit
                                         then returns IK_ERR_NONFINITE) */
};

/** Bits of ik_nlls_info_t.flags: warnings that are not failures. */
enum ik_nlls_flag {
    IK_NLLS_FLAG_NO_COVARIANCE = 1,     /**< no covariance (singular Jacobian, no dof): see
                                             ik_nlls_result_covariance_issue() */
    IK_NLLS_FLAG_AT_BOUND = 2,          /**< a parameter is held at a bound: its row and column of
                                             the covariance are NaN */
    IK_NLLS_FLAG_ILL_CONDITIONED = 4,   /**< condition number of the Jacobian > 1/sqrt(eps) */
    IK_NLLS_FLAG_NO_LAPLACE = 8,        /**< laplace was asked for but the Hessian is not positive
                                             definite (see ik_nlls_result_laplace_issue()) */
    IK_NLLS_FLAG_NOT_CONVERGED = 16     /**< status is IK_NLLS_MAX_NFEV or IK_NLLS_STOPPED */
};

/**
 * Progress of a long run, called after every accepted step on the calling thread: iteration
 * (1, 2, ...), the current parameters p (n_params) and cost (the fit's cost; for ik_minimize the
 * objective, for the ik_root_* functions ||F||_inf). Return 0 to go on, non-zero to stop
 * cleanly: the run then returns IK_OK with its best result so far (status IK_NLLS_STOPPED,
 * IK_MINIMIZE_STOPPED or IK_ROOT_STOPPED).
 */
typedef int32_t (*ik_progress_fn)(int64_t iteration, const double* p, size_t n_params, double cost,
                                  void* user_data);

/** Options of ik_nlls_fit() and ik_nlls_fit_batch(). Fill with ik_nlls_options_default(). */
typedef struct ik_nlls_options_t {
    size_t struct_size;       /**< sizeof(ik_nlls_options_t), set by ik_nlls_options_default */
    int32_t method;           /**< IK_NLLS_LEVENBERG_MARQUARDT (default) or IK_NLLS_GAUSS_NEWTON */
    int32_t loss;             /**< IK_LOSS_* (default IK_LOSS_LINEAR) */
    double f_scale;           /**< soft threshold of the loss in units of the weighted residuals
                                   (default 1), > 0 */
    double ftol;              /**< relative cost reduction at convergence (default 1e-15), >= 0 */
    double xtol;              /**< relative change of the scaled parameters (default 1e-15), >= 0 */
    double gtol;              /**< cosine between residuals and Jacobian columns (default 1e-15) */
    int64_t max_nfev;         /**< most model evaluations, 0 (default) = 500 (n_params + 1) */
    double factor;            /**< initial trust radius as a multiple of |D p0| (default 10), > 0 */
    const double* x_scale;    /**< NULL (default): scale the parameters by the Jacobian's column
                                   norms (MINPACK); else n_params characteristic scales > 0 */
    int32_t geodesic;         /**< 1: geodesic acceleration (Transtrum-Sethna), default 0 */
    double geodesic_ratio;    /**< accept the acceleration a when 2|a| <= ratio |v| (default 0.75) */
    int32_t laplace;          /**< 1: also the full-Hessian (Laplace) covariance, default 0 */
    int32_t n_threads;        /**< threads, 0 (default) = all cores: ik_nlls_fit_batch's rows, and a
                                   formula model's evaluation in fits of >= 32768 points; results
                                   are identical for every count */
    ik_progress_fn progress;  /**< NULL (default), or called after every accepted step (not in
                                   batch fits) */
    void* progress_data;      /**< user_data of progress */
} ik_nlls_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_nlls_options_default(ik_nlls_options_t* options);

/** Opaque result of ik_nlls_fit(). Free with ik_nlls_result_free(). */
typedef struct ik_nlls_result_t ik_nlls_result_t;

/**
 * Nonlinear least squares: minimise  C(p) = 1/2 sum_i f_scale^2 rho(r_i^2 / f_scale^2),
 * r_i = (f(x_i; p) - y_i) / sigma_i  (1/2 chi2 for the linear loss), subject to
 * lower <= p <= upper, by Levenberg-Marquardt (or Gauss-Newton) with the model's exact Jacobian
 * (formulas), the caller's Jacobian or finite differences (callbacks), and report the
 * covariance (J^T W J)^-1 at the optimum, scaled by chi2/dof unless sigma_kind is
 * IK_SIGMA_ABSOLUTE (scipy's curve_fit).
 *  model       a compiled formula or a callback model with n_inputs inputs
 *  x           n_points x n_inputs, row-major, finite (NULL when the model has no inputs)
 *  n_points    >= n_params
 *  y           n_points finite observations, or NULL: the model's values are the residuals
 *  sigma       n_points uncertainties > 0, or NULL (all 1)
 *  sigma_kind  IK_SIGMA_RELATIVE or IK_SIGMA_ABSOLUTE (no default: the caller says which)
 *  p0          n_params finite starting values (inside the bounds); n_params must equal the
 *              model's
 *  lower, upper  n_params bounds each (may be -INFINITY / INFINITY), or NULL for none
 *  options     NULL for defaults
 *  result      receives the handle (NULL on failure)
 * Returns IK_OK whenever a result exists, also when the fit stopped without converging (read
 * info.status and info.converged). Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, bad
 * sigma_kind or option, sigma <= 0, lower > upper, lower == upper, p0 outside the bounds),
 * IK_ERR_DIMENSION (n_params differs from the model's, n_points < n_params or 0),
 * IK_ERR_NONFINITE (NaN/inf in x, y, sigma or p0; the model or its Jacobian NaN/inf at p0 or
 * at an accepted point; or NaN/inf at every step tried mid-fit, status IK_NLLS_NONFINITE),
 * IK_ERR_CALLBACK (a model callback returned non-zero).
 */
ik_status_t ik_nlls_fit(const ik_model_t* model, const double* x, size_t n_points, const double* y,
                        const double* sigma, int32_t sigma_kind, const double* p0, size_t n_params,
                        const double* lower, const double* upper, const ik_nlls_options_t* options,
                        ik_nlls_result_t** result);

/** Summary of a fit. Set info->struct_size = sizeof(ik_nlls_info_t) before the call. */
typedef struct ik_nlls_info_t {
    size_t struct_size;       /**< sizeof(ik_nlls_info_t), set by the caller */
    int32_t status;           /**< IK_NLLS_* */
    int32_t converged;        /**< 1 when status means convergence */
    int32_t flags;            /**< IK_NLLS_FLAG_* bits */
    int32_t rank;             /**< numerical rank of the Jacobian of the free parameters */
    int64_t iterations;       /**< accepted steps */
    int64_t nfev;             /**< model evaluations (finite-difference probes not included) */
    int64_t njev;             /**< Jacobian evaluations */
    int64_t dof;              /**< n_points - n_params */
    double cost;              /**< C(p) at the optimum */
    double chi2;              /**< sum of squared weighted residuals (no loss) */
    double reduced_chi2;      /**< chi2 / dof (NaN when dof = 0) */
    double aic;               /**< absolute sigma: chi2 + 2k; relative: n ln(chi2/n) + 2k */
    double bic;               /**< as aic with the penalty k ln n */
    double gradient_norm;     /**< max_j |dC/dp_j| over the free parameters */
    double condition_number;  /**< 2-norm condition number of the weighted Jacobian */
} ik_nlls_info_t;

/** The summary of a fit into *info (info->struct_size must be sizeof(ik_nlls_info_t)). */
ik_status_t ik_nlls_result_info(const ik_nlls_result_t* result, ik_nlls_info_t* info);

/** One sentence saying why the fit stopped (valid until the result is freed; NULL result: ""). */
const char* ik_nlls_result_message(const ik_nlls_result_t* result);

/**
 * Why the covariance is missing or partial, naming the parameter ("the model does not depend on
 * parameter 'b2' ...", "parameter 'A' is held at a bound ..."); "" when it is complete.
 */
const char* ik_nlls_result_covariance_issue(const ik_nlls_result_t* result);

/** Why the Laplace covariance is missing; "" when it was computed or not asked for. */
const char* ik_nlls_result_laplace_issue(const ik_nlls_result_t* result);

/** The best parameters: n_params values into out (len >= n_params). */
ik_status_t ik_nlls_result_params(const ik_nlls_result_t* result, double* out, size_t len);

/**
 * Standard errors sqrt(diag(covariance)), n_params values; NaN where unavailable. Returns
 * IK_ERR_SINGULAR (with the reason in ik_last_error()) when there is no covariance at all.
 */
ik_status_t ik_nlls_result_stderr(const ik_nlls_result_t* result, double* out, size_t len);

/** The covariance, n_params x n_params row-major (len >= n_params^2); as ik_nlls_result_stderr. */
ik_status_t ik_nlls_result_covariance(const ik_nlls_result_t* result, double* out, size_t len);

/** The correlation matrix cov_ij / (sigma_i sigma_j), as ik_nlls_result_covariance. */
ik_status_t ik_nlls_result_correlation(const ik_nlls_result_t* result, double* out, size_t len);

/**
 * The full-Hessian (Laplace) covariance (nabla^2 C)^-1, scaled as the covariance, with the
 * model's exact second derivatives (formulas) or differences (callbacks): n_params x n_params
 * row-major. IK_ERR_INVALID_ARGUMENT when options.laplace was 0, IK_ERR_SINGULAR when the
 * Hessian is not positive definite (ik_nlls_result_laplace_issue() says why).
 */
ik_status_t ik_nlls_result_laplace_covariance(const ik_nlls_result_t* result, double* out,
                                              size_t len);

/** Weighted residuals (f(x_i; p) - y_i) / sigma_i at the optimum, n_points values. */
ik_status_t ik_nlls_result_residuals(const ik_nlls_result_t* result, double* out, size_t len);

/** The weighted Jacobian d r_i / d p_j at the optimum, n_points x n_params row-major. */
ik_status_t ik_nlls_result_jacobian(const ik_nlls_result_t* result, double* out, size_t len);

/** Per parameter: -1 held at its lower bound, 1 at its upper bound, 0 free (scipy's active_mask). */
ik_status_t ik_nlls_result_active_bounds(const ik_nlls_result_t* result, int32_t* out, size_t len);

/** Releases a result; NULL is a no-op. */
void ik_nlls_result_free(ik_nlls_result_t* result);

/** Opaque result of ik_nlls_fit_batch(). Free with ik_nlls_batch_free(). */
typedef struct ik_nlls_batch_t ik_nlls_batch_t;

/**
 * One model fitted to each of n_rows spectra, the rows spread over options->n_threads threads
 * (results identical for every thread count). Row r is an independent ik_nlls_fit():
 *  x           x_per_row 0: n_points x n_inputs shared by all rows; 1: n_rows x n_points x n_inputs
 *  y           n_rows x n_points, row-major (row r at y + r n_points)
 *  sigma       NULL; n_points shared (sigma_per_row 0); or n_rows x n_points (1)
 *  p0          n_params shared (p0_per_row 0) or n_rows x n_params (1)
 *  lower, upper  n_params each, shared, or NULL
 * A row that fails (NaN in its data, p0 outside the bounds, a model NaN at its start) records
 * its status (ik_nlls_batch_status) and the other rows go on; a callback that returns non-zero
 * stops the whole batch with IK_ERR_CALLBACK. Other errors as ik_nlls_fit.
 */
ik_status_t ik_nlls_fit_batch(const ik_model_t* model, const double* x, size_t n_points,
                              int32_t x_per_row, const double* y, size_t n_rows,
                              const double* sigma, int32_t sigma_per_row, int32_t sigma_kind,
                              const double* p0, int32_t p0_per_row, size_t n_params,
                              const double* lower, const double* upper,
                              const ik_nlls_options_t* options, ik_nlls_batch_t** batch);

/** Best parameters, n_rows x n_params row-major (a failed row keeps its p0). */
ik_status_t ik_nlls_batch_params(const ik_nlls_batch_t* batch, double* out, size_t len);

/** Standard errors, n_rows x n_params (NaN where a row has none). */
ik_status_t ik_nlls_batch_stderr(const ik_nlls_batch_t* batch, double* out, size_t len);

/** Covariances, n_rows x n_params x n_params (NaN where a row has none). */
ik_status_t ik_nlls_batch_covariance(const ik_nlls_batch_t* batch, double* out, size_t len);

/** chi2 per row, n_rows values (NaN for failed rows). */
ik_status_t ik_nlls_batch_chi2(const ik_nlls_batch_t* batch, double* out, size_t len);

/** Per row: IK_OK, or the ik_status_t code with which that row's fit failed. */
ik_status_t ik_nlls_batch_status(const ik_nlls_batch_t* batch, int32_t* out, size_t len);

/** Per row: why its fit stopped (IK_NLLS_*), 0 for failed rows. */
ik_status_t ik_nlls_batch_termination(const ik_nlls_batch_t* batch, int32_t* out, size_t len);

/** Per row: model evaluations. */
ik_status_t ik_nlls_batch_nfev(const ik_nlls_batch_t* batch, int64_t* out, size_t len);

/**
 * Row `row`'s error message, or why its fit stopped (valid until the batch is freed; "" for a
 * NULL batch or a row out of range).
 */
const char* ik_nlls_batch_message(const ik_nlls_batch_t* batch, size_t row);

/** Releases a batch result; NULL is a no-op. */
void ik_nlls_batch_free(ik_nlls_batch_t* batch);

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

/* ------------------------------------------------------------------------------------------ */
/* Least-squares spectral analysis (ik_lomb_scargle_*)                                        */
/* ------------------------------------------------------------------------------------------ */

/*
 * Lomb-Scargle periodograms of unevenly sampled data with uncertainties, as astropy's
 * LombScargle. At each frequency f (cycles per unit of t) the model
 *     y(t) = [c] + sum_{k=1..nterms} a_k sin(2 pi k f t) + b_k cos(2 pi k f t)
 * (the offset c only with fit_mean) is fitted by weighted least squares, weights 1/dy^2, to the
 * data, which are first centred on their weighted mean when fit_mean or center_data is set.
 * The power measures how much the model lowers chi-square: with chi2_ref = sum ((y - ybar)/dy)^2
 * (ybar = 0 when the data are not centred) and chi2(f) the minimum at f, see
 * ik_lomb_scargle_normalization. nterms = 1 without fit_mean is the classical periodogram
 * (Lomb 1976, Scargle 1982), with fit_mean the generalised one (Zechmeister and Kuerster 2009).
 *
 * Common arguments: t holds n finite observation times (any order, in any unit; frequencies
 * are in cycles per that unit); y holds n finite values; dy holds n finite uncertainties > 0, or
 * is NULL (all 1). n must exceed the number of parameters (1 for the mean when fit_mean or
 * center_data, plus 2 nterms). Frequencies must be finite and > 0. A series whose chi2_ref is
 * 0 (constant data) has no defined power except with IK_LOMB_SCARGLE_PSD: IK_ERR_SINGULAR.
 * Every function is reentrant; the options' n_threads threads work on one call, with results
 * bit-identical for every thread count.
 */

/** Normalisation of the power (astropy's `normalization`). */
enum ik_lomb_scargle_normalization {
    IK_LOMB_SCARGLE_STANDARD = 0,  /**< 1 - chi2(f) / chi2_ref, in [0, 1] (default) */
    IK_LOMB_SCARGLE_MODEL = 1,     /**< chi2_ref / chi2(f) - 1, in [0, inf) */
    IK_LOMB_SCARGLE_LOG = 2,       /**< ln(chi2_ref / chi2(f)), in [0, inf) */
    IK_LOMB_SCARGLE_PSD = 3        /**< (chi2_ref - chi2(f)) / 2: the classical periodogram (units of
                                        y^2) without dy, dimensionless with dy */
};

/** How the periodogram is evaluated. */
enum ik_lomb_scargle_method {
    IK_LOMB_SCARGLE_EXACT = 0,  /**< exact (default): O(n n_freq). On a regular grid (every
                                     frequency[j] within 4 ulps of frequency[0] + j df) by
                                     trigonometric recurrences re-seeded every 64 frequencies
                                     (drift < 1e-14); other frequencies directly; ill-conditioned
                                     frequencies by QR. About 1e-12 relative to exact arithmetic */
    IK_LOMB_SCARGLE_FAST = 1    /**< approximate, O(n + n_freq log n_freq): non-uniform FFT with
                                     Gaussian gridding on a regular grid (IK_ERR_INVALID_ARGUMENT
                                     otherwise), trigonometric sums within ~1e-14 of sum w;
                                     frequencies with an ill-conditioned fit are computed exactly.
                                     Standard powers within ~1e-13 of the exact ones on typical
                                     data, 2e-10 at worst in stress tests (tests require < 1e-9) */
};

/** Estimate of the false-alarm probability of a peak (astropy's `method`). */
enum ik_lomb_scargle_fap_method {
    IK_LOMB_SCARGLE_FAP_BALUEV = 0,     /**< Baluev (2008) alias-free approximation (default) */
    IK_LOMB_SCARGLE_FAP_DAVIES = 1,     /**< Davies' upper bound, Baluev (2008) eq. 5 */
    IK_LOMB_SCARGLE_FAP_NAIVE = 2,      /**< 1 - (1 - P_single)^N_eff, N_eff = f_max (max t - min t) */
    IK_LOMB_SCARGLE_FAP_BOOTSTRAP = 3,  /**< maxima of the periodograms of n_bootstraps resamples of
                                             (y, dy) at fixed t, drawn with `seed` */
    IK_LOMB_SCARGLE_FAP_SINGLE = 4      /**< the single-frequency probability P_single(z) */
};

/** Options of the ik_lomb_scargle_* functions. Fill with ik_lomb_scargle_options_default(). */
typedef struct ik_lomb_scargle_options_t {
    size_t struct_size;        /**< sizeof(ik_lomb_scargle_options_t), set by ik_lomb_scargle_options_default */
    int32_t fit_mean;          /**< 1 (default): fit an offset at every frequency; 0: no offset */
    int32_t center_data;       /**< 1 (default): subtract the weighted mean of y first (always done
                                    when fit_mean is 1); 0: use y as given */
    int32_t nterms;            /**< harmonics of the model, 1 (default) .. 256 */
    int32_t normalization;     /**< IK_LOMB_SCARGLE_STANDARD (default), _MODEL, _LOG or _PSD */
    int32_t method;            /**< IK_LOMB_SCARGLE_EXACT (default) or IK_LOMB_SCARGLE_FAST */
    int32_t n_threads;         /**< threads, 0 (default) = all cores; results do not depend on it */
    double samples_per_peak;   /**< automatic grid: points per peak width 1/baseline (default 5), > 0 */
    double nyquist_factor;     /**< automatic grid: highest frequency as a multiple of the average
                                    Nyquist frequency n / (2 baseline) (default 5), > 0 */
    double minimum_frequency;  /**< automatic grid: lowest frequency, 0 (default) = step / 2 */
    double maximum_frequency;  /**< automatic grid: highest frequency, 0 (default) = from nyquist_factor */
    int32_t fap_method;        /**< IK_LOMB_SCARGLE_FAP_* (default BALUEV) */
    int32_t n_bootstraps;      /**< bootstrap resamples (default 1000), 1 .. 10^7 */
    uint64_t seed;             /**< bootstrap seed (default 0): equal seeds give equal results on every
                                    machine and thread count */
} ik_lomb_scargle_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_lomb_scargle_options_default(ik_lomb_scargle_options_t* options);

/**
 * The periodogram of one series at n_freq frequencies.
 *  t, y, dy   n values each (dy may be NULL), as described above
 *  frequency  n_freq > 0 finite frequencies > 0, any order (a regular grid is fastest)
 *  options    NULL for defaults
 *  power      n_freq outputs
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, option out of range, dy <= 0, frequency <= 0,
 * fast method off a regular grid, phases beyond 2^48 cycles), IK_ERR_DIMENSION (n_freq = 0,
 * n too small), IK_ERR_NONFINITE (NaN/Inf in t, y, dy or frequency), IK_ERR_SINGULAR (constant y).
 */
ik_status_t ik_lomb_scargle_power(const double* t, const double* y, const double* dy, size_t n,
                                  const double* frequency, size_t n_freq,
                                  const ik_lomb_scargle_options_t* options, double* power);

/**
 * Periodograms of n_series series observed at the same n times, in one call (the sines and
 * cosines are computed once for all).
 *  t              n times
 *  y              n_series x n values, row-major (series s is y[s * n .. s * n + n))
 *  dy             NULL (all 1); n values shared by every series (dy_per_series = 0); or
 *                 n_series x n values, row-major (dy_per_series = 1)
 *  frequency      n_freq frequencies, shared
 *  power          n_series x n_freq outputs, row-major
 * Errors as ik_lomb_scargle_power(); messages name elements as y[s,i] and dy[s,i].
 */
ik_status_t ik_lomb_scargle_power_batch(const double* t, size_t n, const double* y, size_t n_series,
                                        const double* dy, int32_t dy_per_series,
                                        const double* frequency, size_t n_freq,
                                        const ik_lomb_scargle_options_t* options, double* power);

/**
 * The automatic frequency grid of astropy's autofrequency(): with baseline = max t - min t,
 * *df = 1 / (baseline samples_per_peak), *f0 = minimum_frequency or *df / 2, and
 * *n_freq = 1 + round((f_max - *f0) / *df) where f_max is maximum_frequency or
 * nyquist_factor n / (2 baseline); the grid is f0 + j df, j < n_freq.
 * Errors: IK_ERR_INVALID_ARGUMENT (baseline 0, maximum below minimum, bad option),
 * IK_ERR_NONFINITE (NaN/Inf in t), IK_ERR_NO_MEMORY (more than 2^40 frequencies).
 */
ik_status_t ik_lomb_scargle_autofrequency(const double* t, size_t n,
                                          const ik_lomb_scargle_options_t* options, double* f0,
                                          double* df, size_t* n_freq);

/**
 * The periodogram on the automatic grid (astropy's autopower()): writes *n_freq, the grid
 * into frequency (may be NULL) and the power into power; both must hold len >= *n_freq values
 * (call ik_lomb_scargle_autofrequency() first to size them).
 */
ik_status_t ik_lomb_scargle_autopower(const double* t, const double* y, const double* dy, size_t n,
                                      const ik_lomb_scargle_options_t* options, double* frequency,
                                      double* power, size_t len, size_t* n_freq);

/**
 * The best-fit model at one frequency evaluated at t_fit[0..n_fit) into y_fit (astropy's
 * model()): offset + [c] + sum a_k sin(2 pi k f t) + b_k cos(2 pi k f t), where offset is the
 * weighted mean of y when center_data is 1 (else 0). Solved by a QR factorisation of the
 * weighted design; a degenerate frequency gives the minimum-norm fit. t_fit must be finite.
 */
ik_status_t ik_lomb_scargle_model(const double* t, const double* y, const double* dy, size_t n,
                                  double frequency, const double* t_fit, size_t n_fit,
                                  const ik_lomb_scargle_options_t* options, double* y_fit);

/**
 * The best-fit parameters at one frequency (astropy's model_parameters()): theta = [c (when
 * fit_mean)], then a_1, b_1, ..., a_nterms, b_nterms, with t measured from 0, for the data minus
 * the offset; len >= fit_mean + 2 nterms. *offset (may be NULL) receives the offset (the
 * weighted mean of y with center_data, else 0).
 */
ik_status_t ik_lomb_scargle_model_parameters(const double* t, const double* y, const double* dy,
                                             size_t n, double frequency,
                                             const ik_lomb_scargle_options_t* options, double* theta,
                                             size_t len, double* offset);

/**
 * False-alarm probability of periodogram peaks of heights power[0..n_power) (in the options'
 * normalization) into probability: the chance that noise alone (Gaussian, about a constant, at
 * these t and dy) gives a highest peak at least that high up to f_max, the last frequency of the
 * automatic grid of the options (samples_per_peak, nyquist_factor, minimum/maximum_frequency),
 * by options->fap_method. Needs nterms = 1 and centred data (fit_mean or center_data), as
 * astropy. Bootstrap: 1 - (number of bootstrap maxima below the power) / n_bootstraps, the
 * resamples evaluated with options->method on the automatic grid.
 * Errors: IK_ERR_INVALID_ARGUMENT (nterms != 1, uncentred data, a power < 0 or > 1 for the
 * standard normalization, bad option), IK_ERR_NONFINITE (NaN/Inf power), and those of
 * ik_lomb_scargle_power() and ik_lomb_scargle_autofrequency().
 */
ik_status_t ik_lomb_scargle_false_alarm_probability(const double* t, const double* y,
                                                    const double* dy, size_t n, const double* power,
                                                    size_t n_power,
                                                    const ik_lomb_scargle_options_t* options,
                                                    double* probability);

/**
 * The peak height whose false-alarm probability is probability[i], 0 < probability[i] < 1, into
 * level[i] (astropy's false_alarm_level()): closed form for NAIVE and SINGLE, the root nearest
 * the naive level (bisected to full precision) for BALUEV and DAVIES, and for BOOTSTRAP the
 * element floor((1 - p) n_bootstraps) of the sorted bootstrap maxima. Errors as
 * ik_lomb_scargle_false_alarm_probability().
 */
ik_status_t ik_lomb_scargle_false_alarm_level(const double* t, const double* y, const double* dy,
                                              size_t n, const double* probability, size_t n_prob,
                                              const ik_lomb_scargle_options_t* options,
                                              double* level);

/* ------------------------------------------------------------------------------------------ */
/* Minimisation and root finding (ik_minimize_*, ik_root_*)                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * Objectives and equations are ik_model_t handles WITHOUT inputs (n_inputs 0): a compiled
 * formula of its parameters (exact gradient and Hessian by automatic differentiation), or a
 * callback model (ik_model_create_callback with n_inputs 0) whose ik_model_fn writes the
 * value(s) and whose optional Jacobian callback writes the derivatives; without one, the
 * gradient is by central differences (step eps^(1/3) max(1, |x_j|)), the Hessian by central
 * differences of the gradient, and the Jacobian of a system by the model's finite differences
 * (ik_model_set_finite_differences). The unknowns are the model's parameters, in their order.
 * Callbacks (model, Hessian and progress) are called on the calling thread, never concurrently.
 * One model handle must not be used by two calls at once without the caller's lock.
 */

/** Algorithms of ik_minimize(). Values are fixed forever and never reused. */
enum ik_minimize_method {
    IK_MINIMIZE_NEWTON = 0,                /**< Newton with the exact Hessian, shifted by a multiple of
                                                the identity until it is positive definite, and a
                                                strong-Wolfe line search (Nocedal & Wright sec. 3.4);
                                                no bounds */
    IK_MINIMIZE_NEWTON_TRUST_REGION = 1,   /**< Newton in a trust region, the subproblem solved exactly
                                                (More & Sorensen 1983; scipy's trust-exact); no bounds */
    IK_MINIMIZE_GRADIENT_DESCENT = 2,      /**< steepest descent, Armijo backtracking; bounds by
                                                projection */
    IK_MINIMIZE_ADAM = 3,                  /**< Adam (Kingma & Ba 2014); bounds by projection */
    IK_MINIMIZE_LBFGS = 4,                 /**< limited-memory BFGS, two-loop recursion; no bounds */
    IK_MINIMIZE_LBFGSB = 5,                /**< L-BFGS-B 3.0 (Byrd, Lu, Nocedal & Zhu 1995; Morales &
                                                Nocedal 2011), scipy's L-BFGS-B; bounds */
    IK_MINIMIZE_NELDER_MEAD = 6,           /**< downhill simplex, no derivatives (scipy's Nelder-Mead,
                                                same iterates); bounds by clipping */
    IK_MINIMIZE_BFGS = 7                   /**< BFGS with a dense inverse-Hessian estimate (returned);
                                                no bounds */
};

/** Why a minimisation stopped (ik_minimize_info_t.status). 0-3 mean success. */
enum ik_minimize_status {
    IK_MINIMIZE_GTOL = 0,                  /**< infinity norm of the (projected) gradient <= gtol */
    IK_MINIMIZE_FTOL = 1,                  /**< relative reduction of f in one iteration <= ftol */
    IK_MINIMIZE_XTOL = 2,                  /**< relative step <= xtol */
    IK_MINIMIZE_SIMPLEX_TOL = 3,           /**< Nelder-Mead: the simplex within xatol and fatol */
    IK_MINIMIZE_MAX_ITER = 4,              /**< max_iter iterations: not converged */
    IK_MINIMIZE_MAX_FEV = 5,               /**< the next evaluation would exceed max_fev: not converged */
    IK_MINIMIZE_STOPPED = 6,               /**< the progress callback asked to stop */
    IK_MINIMIZE_LINE_SEARCH_FAILED = 7,    /**< no step lowered f enough, even along steepest descent
                                                (rounding near a minimum, an inaccurate gradient, a
                                                non-smooth objective) */
    IK_MINIMIZE_TRUST_REGION_COLLAPSED = 8, /**< the trust region shrank to rounding level */
    IK_MINIMIZE_NONFINITE = 9              /**< f, its gradient or Hessian is NaN/inf wherever the
                                                method could step */
};

/**
 * A caller's Hessian of a minimisation objective: writes the n x n matrix d^2 f / dx_i dx_j at x
 * into hessian (row-major, symmetric) and returns 0; non-zero aborts with IK_ERR_CALLBACK.
 * Called on the calling thread, never concurrently.
 */
typedef int32_t (*ik_hessian_fn)(const double* x, size_t n, double* hessian, void* user_data);

/**
 * Options of ik_minimize(). Fill with ik_minimize_options_default(). A run stops with success
 * at the first tolerance test that holds after an iteration: the (projected) gradient's
 * infinity norm <= gtol (also tested at x0), (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol,
 * or ||x_k+1 - x_k||_inf <= xtol max(1, ||x_k+1||_inf). Adam tests only gtol; Nelder-Mead only
 * its simplex (xatol and fatol).
 */
typedef struct ik_minimize_options_t {
    size_t struct_size;          /**< sizeof(ik_minimize_options_t), set by ik_minimize_options_default */
    double gtol;                 /**< gradient tolerance, absolute (default 1e-8), >= 0 */
    double ftol;                 /**< relative reduction of f (default 1e-12; scipy's L-BFGS-B uses
                                      2.2e-9), >= 0; 0 disables the test */
    double xtol;                 /**< relative step (default 0: disabled), >= 0 */
    int64_t max_iter;            /**< most iterations, 0 (default) = the method's default: 200 n for
                                      Newton, trust region, BFGS and Nelder-Mead, 15000 for L-BFGS(-B),
                                      10000 for gradient descent and Adam */
    int64_t max_fev;             /**< most objective evaluations, 0 (default) = 15000 for L-BFGS(-B),
                                      200 n for Nelder-Mead (only when max_iter is 0 too, as scipy),
                                      unlimited otherwise */
    double learning_rate;        /**< Adam's step (0 = default 0.001), or the first trial step of
                                      gradient descent (0 = default 1 / ||grad f(x0)||_inf); >= 0 */
    double beta1;                /**< Adam: decay of the first moment (default 0.9), in [0, 1) */
    double beta2;                /**< Adam: decay of the second moment (default 0.999), in [0, 1) */
    double epsilon;              /**< Adam: denominator guard (default 1e-8), > 0 */
    int32_t memory;              /**< L-BFGS(-B): correction pairs kept (default 10, scipy's maxcor), >= 1 */
    int32_t max_line_search;     /**< evaluations of one line search (default 20, scipy's maxls), >= 1 */
    double initial_trust_radius; /**< trust region: first radius (default 1), > 0 */
    double max_trust_radius;     /**< trust region: largest radius (default 1000), >= initial_trust_radius */
    double simplex_step;         /**< Nelder-Mead: initial simplex step relative to a nonzero x0[j]
                                      (default 0.05, scipy's nonzdelt), finite and nonzero */
    double simplex_zero_step;    /**< Nelder-Mead: absolute step along a zero x0[j] (default 0.00025,
                                      scipy's zdelt), finite and nonzero */
    const double* initial_simplex; /**< Nelder-Mead: NULL (default), or (n + 1) x n finite values,
                                      row-major, the vertices replacing the simplex built from x0
                                      (scipy's initial_simplex; read during the call only) */
    int32_t adaptive;            /**< Nelder-Mead: 1 for dimension-dependent coefficients (Gao & Han
                                      2012, scipy's adaptive), default 0 */
    double xatol;                /**< Nelder-Mead: every vertex within xatol of the best (infinity
                                      norm; default 1e-4, as scipy), >= 0 */
    double fatol;                /**< Nelder-Mead: every vertex value within fatol of the best
                                      (default 1e-4, as scipy), >= 0 */
    ik_hessian_fn hessian;       /**< NULL (default), or the Hessian that IK_MINIMIZE_NEWTON and
                                      IK_MINIMIZE_NEWTON_TRUST_REGION (and the inverse Hessian of
                                      their results) use instead of the objective's own (exact for
                                      formulas, central differences of the gradient otherwise);
                                      the other methods never call it */
    void* hessian_data;          /**< user_data of hessian */
    ik_progress_fn progress;     /**< NULL (default), or called after every iteration with the
                                      iteration, x (n values) and f(x) as `cost`; non-zero stops the
                                      run cleanly (IK_OK, status IK_MINIMIZE_STOPPED) */
    void* progress_data;         /**< user_data of progress */
} ik_minimize_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_minimize_options_default(ik_minimize_options_t* options);

/** Opaque result of ik_minimize(). Free with ik_minimize_result_free(). */
typedef struct ik_minimize_result_t ik_minimize_result_t;

/**
 * Minimise a smooth scalar function f(x) of n unknowns from x0 with `method`, within
 * lower <= x <= upper when bounds are given (scipy.optimize.minimize). f is never evaluated
 * outside the bounds; NaN or infinite values away from x0 count as outside the domain (line
 * searches and trust regions back off, Nelder-Mead ranks such vertices last).
 *  objective  a model without inputs of n parameters: a formula, or a callback model whose
 *             ik_model_fn writes 1 value (n_points = 1) and whose Jacobian callback, if any,
 *             writes the n partial derivatives (the 1 x n Jacobian)
 *  x0, n      n finite starting values (inside the bounds; never clipped); n must equal the
 *             model's number of parameters
 *  lower, upper  n bounds each (-INFINITY / INFINITY for none, lower[j] == upper[j] holds x[j]
 *             fixed), or NULL for none; finite bounds need IK_MINIMIZE_LBFGSB,
 *             IK_MINIMIZE_GRADIENT_DESCENT, IK_MINIMIZE_ADAM or IK_MINIMIZE_NELDER_MEAD
 *  method     IK_MINIMIZE_*
 *  options    NULL for defaults
 *  result     receives the handle (NULL on failure)
 * Returns IK_OK whenever a result exists, also when the run stopped without converging (read
 * info.status and info.success). Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, a model with
 * inputs, bad method or option, lower > upper, x0 outside the bounds, bounds with a method that
 * does not support them), IK_ERR_DIMENSION (n differs from the model's parameters),
 * IK_ERR_NONFINITE (NaN/inf in x0, a NaN bound; f or its gradient or Hessian NaN/inf at x0),
 * IK_ERR_CALLBACK (a model or Hessian callback returned non-zero), IK_ERR_NO_MEMORY (n too large
 * for the n x n matrices of Newton and BFGS).
 */
ik_status_t ik_minimize(const ik_model_t* objective, const double* x0, size_t n,
                        const double* lower, const double* upper, int32_t method,
                        const ik_minimize_options_t* options, ik_minimize_result_t** result);

/** Summary of a minimisation. Set info->struct_size = sizeof(ik_minimize_info_t) before the call. */
typedef struct ik_minimize_info_t {
    size_t struct_size;          /**< sizeof(ik_minimize_info_t), set by the caller */
    int32_t method;              /**< the IK_MINIMIZE_* method that ran */
    int32_t status;              /**< IK_MINIMIZE_GTOL .. IK_MINIMIZE_NONFINITE */
    int32_t success;             /**< 1 when a tolerance test stopped the run (status 0-3) */
    int32_t has_gradient;        /**< 1 when ik_minimize_result_gradient has a gradient (all methods
                                      but Nelder-Mead) */
    int32_t has_inverse_hessian; /**< 1 when ik_minimize_result_inverse_hessian has a matrix */
    size_t n_params;             /**< n */
    int64_t iterations;          /**< accepted steps (Nelder-Mead: simplex transformations; scipy's
                                      nit counts one more there) */
    int64_t nfev;                /**< evaluations of f, with or without derivatives (difference
                                      probes of callback models not included) */
    int64_t ngev;                /**< evaluations of the gradient */
    int64_t nhev;                /**< evaluations of the Hessian */
    double value;                /**< f(x) */
    double gradient_norm;        /**< infinity norm of the projected gradient x - P(x - grad f) (of
                                      grad f without bounds); NaN for Nelder-Mead */
} ik_minimize_info_t;

/** The summary of a run into *info (info->struct_size must be sizeof(ik_minimize_info_t)). */
ik_status_t ik_minimize_result_info(const ik_minimize_result_t* result, ik_minimize_info_t* info);

/** The solution x (the last accepted point; Nelder-Mead's best vertex): n values, len >= n. */
ik_status_t ik_minimize_result_x(const ik_minimize_result_t* result, double* out, size_t len);

/**
 * grad f(x), n values. IK_ERR_INVALID_ARGUMENT for a Nelder-Mead result (it uses no gradient).
 */
ik_status_t ik_minimize_result_gradient(const ik_minimize_result_t* result, double* out,
                                        size_t len);

/**
 * The inverse-Hessian estimate at x, n x n row-major (len >= n^2): the BFGS approximation
 * (IK_MINIMIZE_BFGS), or the inverse of the exact (formula) or differenced (callback) Hessian at
 * x (IK_MINIMIZE_NEWTON, IK_MINIMIZE_NEWTON_TRUST_REGION; Newton evaluates it once more at x).
 * IK_ERR_INVALID_ARGUMENT for the other methods (they keep no dense matrix); IK_ERR_SINGULAR,
 * with out filled with NaN and the reason in ik_last_error(), when the Hessian at x is not
 * positive definite or max_fev ran out before it could be evaluated.
 */
ik_status_t ik_minimize_result_inverse_hessian(const ik_minimize_result_t* result, double* out,
                                               size_t len);

/** One sentence saying why the run stopped (valid until the result is freed; NULL result: ""). */
const char* ik_minimize_result_message(const ik_minimize_result_t* result);

/** Releases a result; NULL is a no-op. */
void ik_minimize_result_free(ik_minimize_result_t* result);

/** Why a root finder stopped. 0 and 1 mean success. Values are fixed forever. */
enum ik_root_status {
    IK_ROOT_FATOL = 0,                 /**< ||F(x)||_inf <= fatol (or F(x) is exactly 0) */
    IK_ROOT_XTOL = 1,                  /**< the Newton step (scalar: or the bracket) <= xtol + rtol |x| */
    IK_ROOT_MAX_ITER = 2,              /**< max_iter iterations: not converged */
    IK_ROOT_MAX_FEV = 3,               /**< the next evaluation would exceed max_fev: not converged */
    IK_ROOT_STOPPED = 4,               /**< the progress callback asked to stop */
    IK_ROOT_LOCAL_MINIMUM = 5,         /**< a stationary point of ||F||^2 that is not a root (f' = 0
                                            in one dimension) */
    IK_ROOT_LINE_SEARCH_FAILED = 6,    /**< no Newton or damped step lowered ||F|| */
    IK_ROOT_NONFINITE = 7              /**< F is NaN/inf inside the bracket or wherever the
                                            iteration could step */
};

/** One sentence for an IK_ROOT_* status (static storage; "" for an unknown value). */
const char* ik_root_status_message(int32_t status);

/** Options of the ik_root_* functions. Fill with ik_root_options_default(). */
typedef struct ik_root_options_t {
    size_t struct_size;          /**< sizeof(ik_root_options_t), set by ik_root_options_default */
    double fatol;                /**< stop when ||F(x)||_inf <= fatol (default 0: only an exact
                                      zero), >= 0 */
    double xtol;                 /**< absolute step tolerance (default 2e-12, scipy brentq's xtol), >= 0 */
    double rtol;                 /**< relative step tolerance (default 4 eps = 8.9e-16, scipy
                                      brentq's rtol), >= 0 */
    int64_t max_iter;            /**< most iterations, 0 (default) = 100 */
    int64_t max_fev;             /**< most evaluations of F (with or without derivatives), 0
                                      (default) = unlimited. The evaluations at x0 and at the
                                      bracket ends always happen */
    ik_progress_fn progress;     /**< NULL (default), or called after every iteration with the
                                      iteration, x (n values) and ||F(x)||_inf as `cost`; non-zero
                                      stops cleanly (IK_OK, status IK_ROOT_STOPPED) */
    void* progress_data;         /**< user_data of progress */
} ik_root_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_root_options_default(ik_root_options_t* options);

/** The outcome of ik_root_scalar(). Set struct_size = sizeof(ik_root_scalar_info_t) before the call. */
typedef struct ik_root_scalar_info_t {
    size_t struct_size;          /**< sizeof(ik_root_scalar_info_t), set by the caller */
    double root;                 /**< the root estimate */
    double value;                /**< f(root) */
    double derivative;           /**< f'(root) */
    double bracket_lower;        /**< the final bracket with a sign change of f around the root, */
    double bracket_upper;        /**< lower <= upper; both NaN when no sign change was ever seen */
    int64_t iterations;          /**< Newton or bisection steps */
    int64_t evaluations;         /**< evaluations of f (each gives f and f') */
    int32_t status;              /**< IK_ROOT_* (ik_root_status_message() says it in words) */
    int32_t success;             /**< 1 for IK_ROOT_FATOL and IK_ROOT_XTOL */
} ik_root_scalar_info_t;

/**
 * A root of f(x) = 0 in one unknown by Newton's method safeguarded by bisection inside a bracket
 * (Numerical Recipes' rtsafe; scipy's root_scalar with a bracket's guarantee). With a bracket
 * (its ends in either order, f of opposite signs or zero there) the iteration always converges:
 * it starts at x0 (which must lie in the bracket) or the end with the smaller |f| and bisects
 * whenever Newton would leave the bracket or shrink it too slowly. Without one it runs Newton
 * from x0 with step halving until |f| decreases, and continues as bracketed at the first sign
 * change it sees.
 *  f        a model without inputs of ONE parameter (the unknown); f' is its gradient (exact for
 *           formulas; the Jacobian callback, or central differences, for callback models)
 *  x0       NULL, or one finite starting value (required without a bracket)
 *  bracket  NULL, or 2 finite values {a, b}
 *  options  NULL for defaults
 *  info     receives the outcome (info->struct_size must be sizeof(ik_root_scalar_info_t))
 * Returns IK_OK whenever a result exists, also when the iteration did not converge (read
 * info->status). Errors: IK_ERR_INVALID_ARGUMENT (NULL f or info, x0 and bracket both NULL, a
 * model with inputs, a bracket without sign change, x0 outside the bracket, a bad option),
 * IK_ERR_DIMENSION (f has more than one parameter), IK_ERR_NONFINITE (NaN/inf in x0 or bracket,
 * f NaN/inf there), IK_ERR_CALLBACK (a model callback returned non-zero).
 */
ik_status_t ik_root_scalar(const ik_model_t* f, const double* x0, const double* bracket,
                           const ik_root_options_t* options, ik_root_scalar_info_t* info);

/** Opaque result of ik_root() and ik_root_formulas(). Free with ik_root_result_free(). */
typedef struct ik_root_result_t ik_root_result_t;

/**
 * A root of the square system F(x) = 0 of n equations in n unknowns by Newton's method with a
 * backtracking line search on 1/2 ||F||^2, and Levenberg-Marquardt directions where the
 * Jacobian is singular or ill-conditioned (Dennis & Schnabel 1983, ch. 6; Nocedal & Wright
 * sec. 11.2).
 *  system   a model without inputs of n parameters whose n values at n_points = n are the
 *           equations F_i(x) and whose Jacobian (ik_model_jacobian at n points) is dF_i/dx_j: a
 *           callback model whose ik_model_fn writes the n equations (and whose Jacobian
 *           callback, if any, the n x n Jacobian). A compiled formula gives one equation (the same
 *           value at every point), so only n = 1 is accepted for one: use ik_root_formulas()
 *  x0, n    n finite starting values; n must equal the model's parameters
 *  options  NULL for defaults
 *  result   receives the handle (NULL on failure)
 * Returns IK_OK whenever a result exists, also when the iteration did not converge.
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, a model with inputs, a formula with n > 1,
 * a bad option), IK_ERR_DIMENSION (n differs from the model's parameters, n = 0),
 * IK_ERR_NONFINITE (NaN/inf in x0, F or its Jacobian NaN/inf at x0), IK_ERR_CALLBACK.
 */
ik_status_t ik_root(const ik_model_t* system, const double* x0, size_t n,
                    const ik_root_options_t* options, ik_root_result_t** result);

/**
 * A root of the square system F_i(x) = 0, i < n_equations, with one model per equation: F_i is
 * the value of equations[i] (a formula or a callback model without inputs writing 1 value) and
 * row i of the Jacobian is its gradient (exact for formulas). Solved as ik_root().
 *  equations    n_equations model handles; n_equations must equal n
 *  unknowns     NULL: every equation has the same n parameter names in the same order, which
 *               are the unknowns in the order of x0; or n distinct names of the unknowns in the
 *               order of x0, each equation's parameters being some of them (an equation need not
 *               involve every unknown: "x - 1" among the unknowns {"x", "y"})
 *  x0, n        n finite starting values
 *  options, result  as for ik_root()
 * Errors as ik_root(), plus IK_ERR_INVALID_ARGUMENT for a NULL or freed equation handle, a
 * parameter not among the unknowns, parameter names that differ between equations (unknowns
 * NULL) or a repeated unknown, and IK_ERR_DIMENSION for n_equations != n.
 */
ik_status_t ik_root_formulas(const ik_model_t* const* equations, size_t n_equations,
                             const char* const* unknowns, const double* x0, size_t n,
                             const ik_root_options_t* options, ik_root_result_t** result);

/** Summary of a root search. Set info->struct_size = sizeof(ik_root_info_t) before the call. */
typedef struct ik_root_info_t {
    size_t struct_size;          /**< sizeof(ik_root_info_t), set by the caller */
    int32_t status;              /**< IK_ROOT_* */
    int32_t success;             /**< 1 for IK_ROOT_FATOL and IK_ROOT_XTOL */
    size_t n;                    /**< number of unknowns and equations */
    int64_t iterations;          /**< accepted steps */
    int64_t nfev;                /**< evaluations of F (with or without the Jacobian; difference
                                      probes not included) */
    int64_t njev;                /**< evaluations of the Jacobian */
    double residual_norm;        /**< ||F(x)||_inf */
} ik_root_info_t;

/** The summary into *info (info->struct_size must be sizeof(ik_root_info_t)). */
ik_status_t ik_root_result_info(const ik_root_result_t* result, ik_root_info_t* info);

/** The root estimate x, n values (len >= n). */
ik_status_t ik_root_result_x(const ik_root_result_t* result, double* out, size_t len);

/** F(x) at the root estimate, n values (len >= n). */
ik_status_t ik_root_result_values(const ik_root_result_t* result, double* out, size_t len);

/** One sentence saying why the iteration stopped (valid until the result is freed; NULL: ""). */
const char* ik_root_result_message(const ik_root_result_t* result);

/** Releases a result; NULL is a no-op. */
void ik_root_result_free(ik_root_result_t* result);

/* ------------------------------------------------------------------------------------------ */
/* MCMC sampling: what every sampler shares                                                    */
/* ------------------------------------------------------------------------------------------ */

/** The phase of a sampler run, as passed to ik_sampling_progress_fn. */
enum ik_sampling_phase {
    IK_PHASE_WARMUP = 0,    /**< warm-up (adaptation): draws discarded, the jumping rule still changes */
    IK_PHASE_SAMPLING = 1   /**< sampling: the jumping rule is frozen, draws are kept */
};

/**
 * Progress of a sampler run, called between iterations on the thread that called the sampler:
 * phase (IK_PHASE_*), iterations completed so far (warm-up and sampling together; per chain,
 * or ensemble steps) and the run's total. Return 0 to go on, non-zero to stop cleanly: the run
 * then returns IK_OK with the draws made so far and its result says it was stopped.
 */
typedef int32_t (*ik_sampling_progress_fn)(int32_t phase, int64_t completed, int64_t total,
                                           void* user_data);

/**
 * Kept draws streamed out as they are made, on the thread that called the sampler, in draw
 * order: draw index (0, 1, ...), positions (n_chains x n_dim, row-major: chain or walker c's
 * parameters at positions[c * n_dim ...]) and their log-probabilities (n_chains). The arrays are
 * valid during the call only. Return 0 to go on; non-zero aborts the run with IK_ERR_CALLBACK.
 */
typedef int32_t (*ik_draws_fn)(int64_t draw, const double* positions, size_t n_chains,
                               size_t n_dim, const double* log_prob, void* user_data);

/* ------------------------------------------------------------------------------------------ */
/* MCMC diagnostics (ik_mcmc_*)                                                               */
/* ------------------------------------------------------------------------------------------ */

/*
 * Diagnostics of Markov chains: emcee's integrated autocorrelation time, ArviZ's bulk and tail
 * effective sample sizes and rank-normalised split-R-hat (Vehtari et al. 2021, "Rank-
 * normalization, folding, and localization: an improved R-hat", Bayesian Analysis 16:667),
 * summaries, acceptance fractions and thinning. Pure functions of caller arrays: reentrant,
 * no handles, nothing kept.
 *
 * Two row-major layouts, as the two reference libraries use them:
 *  chain  emcee's get_chain() array (n_steps, n_walkers, n_dim): element (t, w, d), step t of
 *         walker w, parameter d, is chain[(t * n_walkers + w) * n_dim + d]
 *  draws  ArviZ's array (n_chains, n_draws, n_dim): element (c, i, d), draw i of chain c, is
 *         draws[(c * n_draws + i) * n_dim + d]
 * (A chain is passed as draws, with walkers as chains, after swapping its first two axes.)
 * Every input value must be finite (IK_ERR_NONFINITE names the first element that is not, as
 * "chain[t,w,d]" or "draws[c,i,d]"); a zero length is IK_ERR_DIMENSION, as is a product of
 * lengths that overflows (IK_ERR_NO_MEMORY). Warnings are flags, never failures.
 */

/** The effective sample size that ik_mcmc_ess() computes (ArviZ's ess(method=...)). */
enum ik_ess_method {
    IK_ESS_BULK = 0,  /**< bulk ESS: of the rank-normalised split chains (ArviZ "bulk", default) */
    IK_ESS_TAIL = 1,  /**< tail ESS: the smaller ESS of the indicators x <= q05 and x <= q95 of the
                           split chains, q the 5% and 95% quantiles of all draws (ArviZ "tail") */
    IK_ESS_MEAN = 2   /**< ESS of the mean: of the split chains as they are (ArviZ "mean") */
};

/**
 * The normalised autocorrelation function of one series (emcee's autocorr.function_1d):
 * rho_k = S_k / S_0 with S_k = sum_t (x_t - mean)(x_{t+k} - mean), k = 0 .. n - 1, by FFT.
 *  x    n > 0 finite values, not all equal
 *  out  n outputs (out[0] = 1)
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL), IK_ERR_DIMENSION (n = 0), IK_ERR_NONFINITE,
 * IK_ERR_SINGULAR (constant x: no autocorrelation).
 */
ik_status_t ik_mcmc_autocorr_function(const double* x, size_t n, double* out);

/**
 * The integrated autocorrelation time of every parameter, as emcee's
 * autocorr.integrated_time(chain, c, tol): the autocorrelation functions of the walkers are
 * averaged (f), tau_M = 2 sum_{k<=M} f_k - 1, and tau = tau_M at Sokal's automatic window, the
 * first M with M >= c tau_M. Agrees with emcee 3.1 to about 1e-13 relative.
 *  chain          n_steps x n_walkers x n_dim (the chain layout above); n_steps >= 2; no walker
 *                 may keep one parameter constant over the whole chain (IK_ERR_SINGULAR)
 *  c              window factor, finite and > 0 (emcee's default 5)
 *  tol            a chain shorter than tol * tau steps is flagged (emcee's default 50), finite
 *                 and >= 0 (0: never flagged)
 *  tau_out        n_dim outputs, in steps
 *  too_short_out  n_dim flags (may be NULL): 1 where tol * tau > n_steps, i.e. where emcee raises
 *                 AutocorrError ("the chain is shorter than 50 times the integrated
 *                 autocorrelation time"); tau is written anyway. 0 elsewhere.
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL chain or tau_out, bad c or tol), IK_ERR_DIMENSION (a
 * zero length, n_steps < 2), IK_ERR_NONFINITE, IK_ERR_SINGULAR (a constant walker).
 */
ik_status_t ik_mcmc_autocorr_time(const double* chain, size_t n_steps, size_t n_walkers,
                                  size_t n_dim, double c, double tol, double* tau_out,
                                  int32_t* too_short_out);

/**
 * The effective sample size of every parameter, as ArviZ's ess(draws[:, :, d], method=...):
 * chains are split in halves (the middle draw of an odd n_draws is dropped), the
 * autocorrelations of all chains combined (Vehtari et al. 2021, eq. 10) and summed with
 * Geyer's initial monotone sequence; ESS = S / tau with S the number of split draws and tau at
 * least 1 / log10(S). Draws that are all equal have ESS = S. Agrees with ArviZ 0.23 to about
 * 1e-12 relative.
 *  draws   n_chains x n_draws x n_dim (the draws layout above); n_chains >= 1, n_draws >= 4
 *  method  IK_ESS_BULK, IK_ESS_TAIL or IK_ESS_MEAN
 *  out     n_dim outputs
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointer, bad method), IK_ERR_DIMENSION (a zero length,
 * n_draws < 4), IK_ERR_NONFINITE.
 */
ik_status_t ik_mcmc_ess(const double* draws, size_t n_chains, size_t n_draws, size_t n_dim,
                        int32_t method, double* out);

/**
 * The rank-normalised split-R-hat of every parameter, as ArviZ's rhat(draws[:, :, d],
 * method="rank"): the larger of the split-R-hat of the rank-normalised draws and of the
 * rank-normalised folded draws |x - median|, where for m split chains of n draws
 * R-hat = sqrt((B / W + n - 1) / n), B = n var(chain means), W = mean(chain variances).
 * A parameter whose draws are all equal gives NaN (R-hat is undefined); one whose chains are
 * each constant but differ gives +inf. Agrees with ArviZ 0.23 to about 1e-13 relative.
 *  draws  n_chains x n_draws x n_dim; n_chains >= 2, n_draws >= 4
 *  out    n_dim outputs
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL), IK_ERR_DIMENSION (a zero length, n_chains < 2,
 * n_draws < 4), IK_ERR_NONFINITE.
 */
ik_status_t ik_mcmc_rhat(const double* draws, size_t n_chains, size_t n_draws, size_t n_dim,
                         double* out);

/**
 * The highest-density interval of every parameter, as ArviZ's hdi(x, hdi_prob=prob) for a
 * unimodal sample: of the n sorted values, with k = floor(prob n), the narrowest interval
 * [x_(i), x_(i+k)] (the first on ties).
 *  samples  n_samples x n_dim, row-major (a chain or draws array flattened, either layout)
 *  prob     probability mass, 0 < prob < 1 (ArviZ's default 0.94)
 *  out      n_dim x 2 outputs, row-major: out[2 d] lower, out[2 d + 1] upper bound of parameter d
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL, prob out of range), IK_ERR_DIMENSION, IK_ERR_NONFINITE.
 */
ik_status_t ik_mcmc_hdi(const double* samples, size_t n_samples, size_t n_dim, double prob,
                        double* out);

/**
 * Summary statistics of every parameter over all draws of all chains (the columns of ArviZ's
 * summary()). Each output holds n_dim values (quantiles and hdi more, as said) and may be
 * NULL to skip it.
 *  draws           n_chains x n_draws x n_dim; n_chains >= 1, n_draws >= 4
 *  quantile_probs  n_q probabilities in [0, 1] (may be NULL when n_q = 0)
 *  hdi_prob        mass of the highest-density interval, 0 < hdi_prob < 1 (ArviZ: 0.94)
 *  mean            means
 *  sd              standard deviations (ddof = 1)
 *  quantiles       n_dim x n_q, row-major: numpy.quantile(x, quantile_probs) (linear
 *                  interpolation between order statistics, numpy's default)
 *  hdi             n_dim x 2, row-major (lower, upper), as ik_mcmc_hdi()
 *  mcse_mean       Monte Carlo standard error of the mean, sd / sqrt(ESS of the mean)
 *  ess_bulk        bulk ESS, ess_tail tail ESS (as ik_mcmc_ess())
 *  rhat            R-hat as ik_mcmc_rhat(); NaN when n_chains = 1
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL draws, NULL quantile_probs with n_q > 0, a probability
 * out of range), IK_ERR_DIMENSION (a zero length, n_draws < 4), IK_ERR_NONFINITE.
 */
ik_status_t ik_mcmc_summary(const double* draws, size_t n_chains, size_t n_draws, size_t n_dim,
                            const double* quantile_probs, size_t n_q, double hdi_prob,
                            double* mean, double* sd, double* quantiles, double* hdi,
                            double* mcse_mean, double* ess_bulk, double* ess_tail, double* rhat);

/**
 * The acceptance fraction of every walker, estimated from its stored chain: the fraction of
 * the n_steps - 1 transitions in which its position changed. For a continuous target (where
 * an accepted move always moves) this is the sampler's acceptance rate over those steps;
 * emcee's acceptance_fraction also counts the first step, from an initial state the chain
 * does not hold.
 *  chain  n_steps x n_walkers x n_dim (the chain layout), n_steps >= 2; NaN compares unequal
 *  out    n_walkers outputs in [0, 1]
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL), IK_ERR_DIMENSION (a zero length, n_steps < 2).
 */
ik_status_t ik_mcmc_acceptance_fraction(const double* chain, size_t n_steps, size_t n_walkers,
                                        size_t n_dim, double* out);

/**
 * Burn-in removal and thinning, as emcee's get_chain(discard=discard, thin=thin): keeps steps
 * discard + thin - 1, discard + 2 thin - 1, ... < n_steps, *n_kept of them.
 *  chain    n_steps x n_walkers x n_dim (the chain layout)
 *  discard  steps to drop at the start
 *  thin     keep every thin-th step, >= 1
 *  out      *n_kept x n_walkers x n_dim outputs in the chain layout (the same memory is emcee's
 *           flat=True array of *n_kept * n_walkers rows of n_dim); out_len >= that count. NULL
 *           only computes *n_kept (to size out)
 *  n_kept   the number of steps kept (> 0)
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL chain or n_kept, thin = 0), IK_ERR_DIMENSION (a zero
 * length, nothing left: discard + thin - 1 >= n_steps, out_len too small).
 */
ik_status_t ik_mcmc_discard_thin(const double* chain, size_t n_steps, size_t n_walkers,
                                 size_t n_dim, size_t discard, size_t thin, double* out,
                                 size_t out_len, size_t* n_kept);

/* ------------------------------------------------------------------------------------------ */
/* Posteriors, Laplace's method and log-probabilities (ik_posterior_*, ik_laplace*,           */
/* ik_logprob_*)                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * A posterior is built from a model of data (an ik_model_t: a formula or a callback model),
 * the data and a likelihood; priors are set per parameter by name:
 *
 *   log p(theta | y) = sum_i l(f(x_i; theta), y_i, sigma_i; eta) + sum_j log pi_j(theta_j)
 *                      (+ a caller's joint log-prior)
 *
 * Its parameters are the model's (in its order) followed by the likelihood's own (eta: a free
 * noise scale, a free Student-t nu, the extra names of a log-likelihood formula or callback).
 * A parameter without a prior has the flat improper prior on its natural support (the real
 * line, or (0, inf) for a scale or nu). Every built-in likelihood and prior is a normalised
 * density (-1/2 log 2 pi - log sigma_i, -log y_i! and the priors' constants included), so that
 * the Laplace evidence is the marginal likelihood when every prior is proper. Outside the
 * support log p is -INFINITY.
 *
 * A log-probability (ik_logprob_t) is what the samplers draw from: a posterior (in its own
 * parameters, or in an unconstrained space), a formula of the parameters with its exact
 * gradient, or a caller's callback.
 *
 * Threads: distinct handles are independent. A posterior or log-probability handle only reads
 * its state when it is evaluated, so ik_posterior_log_prob, ik_logprob_eval and
 * ik_logprob_grad may be called on one handle from several threads at once as long as its
 * callbacks (model, log-likelihood, log-prior, log-probability) allow it; functions that change
 * a handle (ik_posterior_set_*) and _free must not run concurrently with anything else on it.
 * Callbacks are called on the thread that called InferKit, or, when a sampler runs on several
 * threads, from InferKit's worker threads, possibly concurrently for different points: a
 * callback must then be thread-safe (or the sampler run with one thread). A callback that
 * returns non-zero aborts the call, which fails with IK_ERR_CALLBACK.
 */

/** Likelihoods of ik_posterior_create(). Values are fixed forever and never reused. */
enum ik_likelihood {
    IK_LIKELIHOOD_GAUSSIAN = 0,             /**< l = -1/2 ((y - f)/sigma)^2 - log sigma - 1/2 log 2 pi,
                                                 sigma the given absolute errors (required) */
    IK_LIKELIHOOD_GAUSSIAN_FREE_SIGMA = 1,  /**< as Gaussian with sigma_i = s sigma_i (sigma given:
                                                 relative errors) or sigma_i = s (sigma NULL), s > 0
                                                 a free parameter named options->scale_name */
    IK_LIKELIHOOD_POISSON = 2,              /**< counts y in {0, 1, ...} with rate f >= 0:
                                                 l = y log f - f - log y!; sigma must be NULL */
    IK_LIKELIHOOD_STUDENT_T = 3,            /**< Student's t with nu degrees of freedom (options->nu,
                                                 or free) and scale sigma (absolute, required):
                                                 robust to outliers */
    IK_LIKELIHOOD_STUDENT_T_FREE_SIGMA = 4, /**< Student's t with a free scale s as for
                                                 IK_LIKELIHOOD_GAUSSIAN_FREE_SIGMA (s comes before a
                                                 free nu among the parameters) */
    IK_LIKELIHOOD_FORMULA = 5,              /**< options->log_likelihood: a per-point formula of f (the
                                                 model value), y, s (sigma_i, 1 when sigma is NULL)
                                                 and further names, which become free parameters in
                                                 order of appearance; exact derivatives */
    IK_LIKELIHOOD_CALLBACK = 6              /**< options->log_likelihood_fn (ik_loglik_fn), with
                                                 options->n_log_likelihood_params free parameters;
                                                 derivatives by central differences */
};

/** Prior kinds of ik_posterior_set_prior(), with the meaning of its arguments a and b. */
enum ik_prior {
    IK_PRIOR_UNIFORM = 0,     /**< 1/(b - a) on [a, b], both finite, a < b */
    IK_PRIOR_NORMAL = 1,      /**< N(mean a, sigma b^2), b > 0 */
    IK_PRIOR_LOGNORMAL = 2,   /**< log theta ~ N(a, b^2) for theta > 0, b > 0 */
    IK_PRIOR_HALFNORMAL = 3,  /**< 2 N(0, a^2) on theta >= 0, a > 0 (b is ignored) */
    IK_PRIOR_LOGUNIFORM = 4,  /**< 1/(theta log(b/a)) on [a, b], 0 < a < b < inf (Jeffreys' prior
                                   for a scale, made proper) */
    IK_PRIOR_FLAT = 5         /**< density 1 on [a, b] (-INFINITY / INFINITY allowed): improper
                                   unless both are finite, and never normalised; restricts a
                                   support without shaping it */
};

/**
 * A caller's per-point log-likelihood (IK_LIKELIHOOD_CALLBACK): writes
 * out[i] = l(f_i, y_i, s_i; eta) for the n_points points and returns 0 (non-zero aborts with
 * IK_ERR_CALLBACK). -INFINITY for a point means "impossible".
 *  f      the model's values, n_points
 *  y, s   the observations and sigma_i (1 when sigma was NULL), n_points each
 *  eta    the likelihood's own n_eta parameters
 * Threads: see the section's introduction.
 */
typedef int32_t (*ik_loglik_fn)(const double* f, const double* y, const double* s, size_t n_points,
                                const double* eta, size_t n_eta, double* out, void* user_data);

/**
 * A caller's log-probability at many points in one call (so that an interpreted caller can
 * vectorise): points is n_points x n_dim, row-major; writes values[0..n_points) and returns 0
 * (non-zero aborts with IK_ERR_CALLBACK). -INFINITY means outside the support; NaN and
 * +INFINITY are errors that the samplers report. Threads: see the section's introduction.
 */
typedef int32_t (*ik_logprob_fn)(const double* points, size_t n_points, size_t n_dim,
                                 double* values, void* user_data);

/**
 * A caller's log-probability and its gradient at one point p (n_dim values): writes *value and
 * gradient[0..n_dim) and returns 0 (non-zero aborts with IK_ERR_CALLBACK).
 */
typedef int32_t (*ik_logprob_grad_fn)(const double* p, size_t n_dim, double* value,
                                      double* gradient, void* user_data);

/** Options of ik_posterior_create(). Fill with ik_posterior_options_default(). */
typedef struct ik_posterior_options_t {
    size_t struct_size;               /**< sizeof(ik_posterior_options_t), set by
                                           ik_posterior_options_default */
    double nu;                        /**< Student-t: the fixed degrees of freedom (default 4), > 0 */
    int32_t nu_free;                  /**< Student-t: 1 makes nu a free parameter named nu_name
                                           (then nu is ignored); default 0 */
    const char* scale_name;           /**< free-sigma likelihoods: the name of the scale parameter
                                           (NULL, the default: "sigma") */
    const char* nu_name;              /**< the name of a free nu (NULL, the default: "nu") */
    const char* log_likelihood;       /**< IK_LIKELIHOOD_FORMULA: the per-point formula, e.g.
                                           "-abs(f - y)/b - log(2*b)" (Laplace noise with free
                                           scale b); default NULL */
    ik_loglik_fn log_likelihood_fn;   /**< IK_LIKELIHOOD_CALLBACK: the function; default NULL */
    void* log_likelihood_data;        /**< its user_data */
    const char* const* log_likelihood_params; /**< its n_log_likelihood_params parameter names,
                                           or NULL for "eta0", "eta1", ... */
    size_t n_log_likelihood_params;   /**< number of the callback's own parameters (may be 0) */
} ik_posterior_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_posterior_options_default(ik_posterior_options_t* options);

/** Opaque posterior. Free with ik_posterior_free(). */
typedef struct ik_posterior_t ik_posterior_t;

/**
 * A posterior of `model`'s parameters given data.
 *  model       a compiled formula or callback model with n_inputs inputs. The posterior keeps
 *              its own copy of a formula (the model handle may be freed afterwards); a callback
 *              model's functions and user_data must stay valid while the posterior lives.
 *  x           n_points x n_inputs, row-major, finite (NULL when n_inputs is 0)
 *  n_points    >= 1
 *  n_inputs    must equal the model's number of inputs
 *  y           n_points finite observations (whole numbers >= 0 for Poisson)
 *  sigma       n_points values > 0, or NULL where the likelihood allows it (free-sigma
 *              likelihoods, Poisson (required NULL), formula and callback likelihoods)
 *  likelihood  IK_LIKELIHOOD_*
 *  options     NULL for defaults
 *  posterior   receives the handle (NULL on failure); every parameter starts with the flat
 *              prior on its natural support
 * The data are copied. Errors: IK_ERR_DIMENSION also for a posterior without parameters (a
 * model without parameters and a likelihood that adds none); IK_ERR_INVALID_ARGUMENT (NULL pointers, bad likelihood or
 * option, sigma <= 0, sigma missing for a known-sigma likelihood or given for Poisson, Poisson
 * counts negative or not whole, nu <= 0, a likelihood parameter named like a model parameter),
 * IK_ERR_DIMENSION (n_points 0, n_inputs differs from the model's), IK_ERR_NONFINITE (NaN/inf
 * in x, y or sigma, naming the element), IK_ERR_PARSE (a log-likelihood formula that does not
 * parse).
 */
ik_status_t ik_posterior_create(const ik_model_t* model, const double* x, size_t n_points,
                                size_t n_inputs, const double* y, const double* sigma,
                                int32_t likelihood, const ik_posterior_options_t* options,
                                ik_posterior_t** posterior);

/**
 * Sets the prior of parameter `param_name` to `kind` (IK_PRIOR_*) with arguments a and b (see
 * enum ik_prior), replacing its previous one. A prior also restricts the support (a log-normal
 * prior makes a parameter positive). On failure the posterior is unchanged. Errors:
 * IK_ERR_INVALID_ARGUMENT (NULL pointers, a name that is not a parameter (the message lists
 * them), a bad kind, invalid arguments such as a sigma <= 0 or lower >= upper, a prior whose
 * support misses the (0, inf) of a scale or nu), IK_ERR_NONFINITE (a NaN argument).
 */
ik_status_t ik_posterior_set_prior(ik_posterior_t* posterior, const char* param_name, int32_t kind,
                                   double a, double b);

/**
 * Adds a caller's joint log-prior over several parameters, a formula of (some of) the
 * posterior's parameter names, e.g. "-0.5*((A - 2*B)/0.1)^2" (exact derivatives), replacing a
 * previous custom log-prior. Laplace's evidence takes it to be a normalised density and says so.
 * Errors: IK_ERR_PARSE, IK_ERR_INVALID_ARGUMENT (a name that is not a parameter).
 */
ik_status_t ik_posterior_set_log_prior_formula(ik_posterior_t* posterior, const char* expression);

/**
 * Adds a caller's joint log-prior function, as ik_posterior_set_log_prior_formula: `fn` is
 * called with n_points = 1 and n_dim = the posterior's number of parameters; `grad` (or NULL:
 * central differences) returns the value and the gradient.
 */
ik_status_t ik_posterior_set_log_prior_callback(ik_posterior_t* posterior, ik_logprob_fn fn,
                                                ik_logprob_grad_fn grad, void* user_data);

/** The number of parameters (the model's, then the likelihood's own) into *n_params. */
ik_status_t ik_posterior_n_params(const ik_posterior_t* posterior, size_t* n_params);

/**
 * Copies the name of parameter `index` (< n_params) with its NUL into out[0..len).
 * IK_ERR_DIMENSION when len is too short (the message gives the length needed).
 */
ik_status_t ik_posterior_param_name(const ik_posterior_t* posterior, size_t index, char* out,
                                    size_t len);

/**
 * log p(theta | y) (up to the evidence) at p (n = n_params finite values) into *value, and its
 * gradient into gradient[0..n) unless gradient is NULL (exact for formula models with built-in
 * or formula likelihoods; by differences where a callback is involved). Outside the support
 * *value is -INFINITY and the gradient 0 (IK_OK). Errors: IK_ERR_DIMENSION (n differs from
 * n_params), IK_ERR_NONFINITE (NaN/inf in p), IK_ERR_CALLBACK.
 */
ik_status_t ik_posterior_log_prob(const ik_posterior_t* posterior, const double* p, size_t n,
                                  double* value, double* gradient);

/** Releases a posterior; NULL is a no-op. Log-probabilities made from it stay valid. */
void ik_posterior_free(ik_posterior_t* posterior);

/**
 * The Hessian of -log p at the MAP that ik_laplace() inverts (ik_laplace_options_t.hessian).
 * Values are fixed forever and never reused.
 */
enum ik_laplace_hessian {
    IK_LAPLACE_HESSIAN_OBSERVED = 0, /**< the full (observed) Hessian -nabla^2 log p(theta*), as
                                          the lecture's jax.hessian (default) */
    IK_LAPLACE_HESSIAN_FISHER = 1    /**< the likelihood's expected (Fisher) information at theta*
                                          plus the observed Hessian of -log prior: J^T W J for a
                                          Gaussian with known sigma (scipy's curve_fit covariance
                                          with absolute sigma); Gaussian, Poisson, Student-t only */
};

/** Options of ik_laplace(). Fill with ik_laplace_options_default(). */
typedef struct ik_laplace_options_t {
    size_t struct_size;                   /**< sizeof(ik_laplace_options_t), set by
                                               ik_laplace_options_default */
    int32_t method;                       /**< -1 (default): IK_MINIMIZE_NEWTON when the Hessian is
                                               exact (formula models), IK_MINIMIZE_LBFGSB within the
                                               supports otherwise, a Newton run that stops short or
                                               next to a support's edge being finished by L-BFGS-B;
                                               or an IK_MINIMIZE_* method */
    const ik_minimize_options_t* minimize; /**< the optimiser's options (tolerances on -log p and
                                               its gradient, budgets, progress), or NULL for defaults */
    int32_t hessian;                      /**< an IK_LAPLACE_HESSIAN_* value: the Hessian H of the
                                               covariance and the evidence; default
                                               IK_LAPLACE_HESSIAN_OBSERVED. The MAP does not
                                               depend on it. */
} ik_laplace_options_t;

/** Fill *options with the defaults (and struct_size). */
ik_status_t ik_laplace_options_default(ik_laplace_options_t* options);

/** Opaque result of ik_laplace(). Free with ik_laplace_result_free(). */
typedef struct ik_laplace_result_t ik_laplace_result_t;

/**
 * Laplace's method (MacKay 2003, ch. 27): maximises log p from p0 to the MAP theta*, then
 * approximates the posterior by N(theta*, H^-1) and the evidence by
 * log Z = log p(theta*) + (n/2) log 2 pi - 1/2 log det H, with H chosen by options.hessian:
 * IK_LAPLACE_HESSIAN_OBSERVED (default) H = -nabla^2 log p(theta*) (exact for formula models);
 * IK_LAPLACE_HESSIAN_FISHER H = I(theta*) - nabla^2 log prior(theta*), the likelihood's Fisher
 * information E_y[-nabla^2 log L] (the model block J^T diag(w) J with w_i = 1/sigma_i^2 for a
 * Gaussian, 1/f_i for Poisson, (nu+1)/((nu+3) sigma_i^2) for Student-t; closed forms for a free
 * scale or nu, Lange, Little & Taylor 1989) plus the priors' observed Hessian; the evidence then
 * uses that H's determinant.
 * For a Gaussian likelihood with known sigma and flat priors -log p is chi2/2 plus a constant:
 * the observed covariance is the full-Hessian covariance of ik_nlls_fit with IK_SIGMA_ABSOLUTE
 * (options.laplace = 1); the Fisher covariance is its Gauss-Newton covariance (J^T W J)^-1
 * (scipy's curve_fit with absolute_sigma). They differ by the term sum_i r_i/sigma_i d^2 f_i of
 * the residuals.
 *  posterior  the posterior
 *  p0, n      n = n_params finite starting values with log p(p0) finite
 *  options    NULL for defaults
 *  result     receives the handle (NULL on failure)
 * Returns IK_OK whenever a result exists, also when the optimiser did not converge or the
 * covariance cannot be computed (read info.converged, info.has_covariance and the issue).
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, bad method, hessian or option, the Fisher
 * Hessian with a formula or callback likelihood, p0 outside a prior's support or where log p is
 * -inf, naming the parameter and value), IK_ERR_DIMENSION (n differs from n_params),
 * IK_ERR_NONFINITE (NaN/inf in p0), IK_ERR_CALLBACK.
 */
ik_status_t ik_laplace(const ik_posterior_t* posterior, const double* p0, size_t n,
                       const ik_laplace_options_t* options, ik_laplace_result_t** result);

/** Summary of a Laplace result. Set info->struct_size = sizeof(ik_laplace_info_t) first. */
typedef struct ik_laplace_info_t {
    size_t struct_size;          /**< sizeof(ik_laplace_info_t), set by the caller */
    size_t n_params;             /**< number of parameters */
    int32_t status;              /**< the optimiser's IK_MINIMIZE_* status */
    int32_t converged;           /**< 1 when the optimiser converged */
    int32_t has_covariance;      /**< 1 when H is positive definite and the MAP not at an edge */
    int32_t evidence_is_proper;  /**< 1 when every prior is proper and there is no custom
                                      log-prior: log_evidence is then a marginal likelihood */
    int64_t issue_param;         /**< index of the parameter the covariance issue names, -1 if none */
    int64_t iterations;          /**< the optimiser's accepted steps */
    int64_t nfev;                /**< evaluations of log p */
    double log_posterior;        /**< log p(theta*) */
    double log_evidence;         /**< the Laplace log evidence, NaN without a covariance */
} ik_laplace_info_t;

/** The summary into *info (info->struct_size must be sizeof(ik_laplace_info_t)). */
ik_status_t ik_laplace_result_info(const ik_laplace_result_t* result, ik_laplace_info_t* info);

/** The MAP theta*, n_params values (len >= n_params). */
ik_status_t ik_laplace_result_map(const ik_laplace_result_t* result, double* out, size_t len);

/**
 * H at the MAP, n_params x n_params row-major (always available): -nabla^2 log p, or its Fisher
 * reading with IK_LAPLACE_HESSIAN_FISHER.
 */
ik_status_t ik_laplace_result_hessian(const ik_laplace_result_t* result, double* out, size_t len);

/**
 * The covariance H^-1, n_params x n_params row-major (len >= n_params^2). IK_ERR_SINGULAR, with
 * out filled with NaN and the reason in ik_last_error(), when there is none.
 */
ik_status_t ik_laplace_result_covariance(const ik_laplace_result_t* result, double* out,
                                         size_t len);

/** Standard errors sqrt(diag(H^-1)), n_params values; as ik_laplace_result_covariance. */
ik_status_t ik_laplace_result_stderr(const ik_laplace_result_t* result, double* out, size_t len);

/** Correlations H^-1_ij / (se_i se_j), n_params x n_params; as ik_laplace_result_covariance. */
ik_status_t ik_laplace_result_correlation(const ik_laplace_result_t* result, double* out,
                                          size_t len);

/** One sentence saying why the optimiser stopped (valid until the result is freed; NULL: ""). */
const char* ik_laplace_result_message(const ik_laplace_result_t* result);

/**
 * Why there is no covariance (H not positive definite, a flat direction, the MAP at the edge
 * of a support), naming the parameter; "" when there is one.
 */
const char* ik_laplace_result_covariance_issue(const ik_laplace_result_t* result);

/**
 * Everything a careful reader should know, one sentence per line ('\n'-separated): the
 * optimiser not converging, a MAP at or within 2 standard errors of a support's edge, flat
 * priors making the evidence improper, the covariance issue; "" when there is nothing.
 */
const char* ik_laplace_result_issues(const ik_laplace_result_t* result);

/** Releases a result; NULL is a no-op. */
void ik_laplace_result_free(ik_laplace_result_t* result);

/** Spaces of ik_logprob_create_posterior(). */
enum ik_space {
    IK_SPACE_CONSTRAINED = 0,   /**< the posterior's own parameters theta */
    IK_SPACE_UNCONSTRAINED = 1  /**< u in R^n with theta_j = T_j(u_j): identity on R, a + e^u
                                     for (a, inf), b - e^u for (-inf, b), a + (b - a)/(1 + e^-u)
                                     for (a, b); log q(u) = log p(T(u)) + sum_j log|T_j'(u_j)| */
};

/**
 * Opaque log-probability log p(theta) on R^n_dim, up to a constant: what the samplers draw
 * from. Free with ik_logprob_free().
 */
typedef struct ik_logprob_t ik_logprob_t;

/**
 * A log-probability formula of its parameters (no inputs), e.g.
 * "-0.5*(a^2 + (b - a^2)^2/0.01)", with its exact gradient (reverse mode); many points are
 * evaluated together, one tape instruction over all of them.
 *  expression  NUL-terminated UTF-8, the language of ik_model_compile
 *  params, n_params  the parameter order; params NULL with n_params 0: order of first appearance
 *  logprob     receives the handle (NULL on failure)
 * Errors: IK_ERR_PARSE, IK_ERR_INVALID_ARGUMENT (NULL pointers, a name not in the formula,
 * a formula without parameters).
 */
ik_status_t ik_logprob_create_formula(const char* expression, const char* const* params,
                                      size_t n_params, ik_logprob_t** logprob);

/**
 * A caller's log-probability of 1 <= n_dim <= 2^20 parameters (named "p0", "p1", ...).
 *  fn         evaluates many points per call (required)
 *  grad       value and gradient at one point, or NULL: central differences of fn (step
 *             eps^(1/3) max(1, |p_j|), 2 n_dim + 1 calls of fn with one point each)
 *  user_data  passed to both; must stay valid while the handle lives
 * Threads: see the section's introduction ("may be called from InferKit's worker threads").
 */
ik_status_t ik_logprob_create_callback(size_t n_dim, ik_logprob_fn fn, ik_logprob_grad_fn grad,
                                       void* user_data, ik_logprob_t** logprob);

/**
 * A posterior as a log-probability, in `space` (IK_SPACE_*), with a snapshot of its priors
 * (later ik_posterior_set_* calls do not change it; the posterior may be freed).
 * IK_SPACE_UNCONSTRAINED is for samplers that move on R^n (HMC/NUTS); its points are u, and
 * ik_logprob_constrain maps them back to theta.
 */
ik_status_t ik_logprob_create_posterior(const ik_posterior_t* posterior, int32_t space,
                                        ik_logprob_t** logprob);

/** The number of parameters into *n_dim. */
ik_status_t ik_logprob_n_dim(const ik_logprob_t* logprob, size_t* n_dim);

/** 1 into *exact when ik_logprob_grad is exact (formulas, posteriors of formulas, a caller's
 *  grad), 0 when it is by differences. */
ik_status_t ik_logprob_has_exact_gradient(const ik_logprob_t* logprob, int32_t* exact);

/** Copies the name of parameter `index` with its NUL into out[0..len), as ik_model_param_name. */
ik_status_t ik_logprob_param_name(const ik_logprob_t* logprob, size_t index, char* out, size_t len);

/**
 * log p at n_points >= 1 points (n_points x n_dim, row-major, finite) into values[0..n_points).
 * Values may be -INFINITY (outside the support), or NaN/+INFINITY from a caller's callback
 * (passed on as they are). Errors: IK_ERR_DIMENSION (n_dim differs from the handle's, n_points
 * 0), IK_ERR_NONFINITE (NaN/inf in points, naming the element), IK_ERR_CALLBACK.
 */
ik_status_t ik_logprob_eval(const ik_logprob_t* logprob, const double* points, size_t n_points,
                            size_t n_dim, double* values);

/**
 * log p at p (n_dim finite values) into *value (may be NULL) and its gradient into
 * gradient[0..n_dim). Errors as ik_logprob_eval.
 */
ik_status_t ik_logprob_grad(const ik_logprob_t* logprob, const double* p, size_t n_dim,
                            double* value, double* gradient);

/**
 * theta = T(u) for n_points points (n_points x n_dim, row-major, into theta, which may be u
 * itself): the identity unless the handle is a posterior in IK_SPACE_UNCONSTRAINED.
 */
ik_status_t ik_logprob_constrain(const ik_logprob_t* logprob, const double* u, size_t n_points,
                                 size_t n_dim, double* theta);

/**
 * u = T^-1(theta) for n_points points, as ik_logprob_constrain. IK_ERR_INVALID_ARGUMENT naming
 * the element and parameter when theta is not inside the open interval of its transform (a
 * starting point on or outside a prior's bound).
 */
ik_status_t ik_logprob_unconstrain(const ik_logprob_t* logprob, const double* theta,
                                   size_t n_points, size_t n_dim, double* u);

/** Releases a log-probability; NULL is a no-op. */
void ik_logprob_free(ik_logprob_t* logprob);

/* ------------------------------------------------------------------------------------------ */
/* Hamiltonian Monte Carlo with the No-U-Turn criterion (ik_nuts_*)                            */
/* ------------------------------------------------------------------------------------------ */

/*
 * Stan's NUTS (Hoffman & Gelman 2014; Betancourt 2017): multinomial sampling along a trajectory
 * that doubles until the generalised no-U-turn criterion fails, a divergence (energy error
 * > max_energy_error, or a NaN/infinite energy) or max_tree_depth; warm-up adapts the step
 * size by dual averaging (target_accept, gamma 0.05, t0 10, kappa 0.75) and the inverse metric
 * in Stan's windows (initial fast window 75, slow windows doubling from 25, terminal window 50;
 * 15%/75%/10% of warm-ups shorter than 150), regularised as (n/(n+5)) Sigma + 1e-3 (5/(n+5)) I.
 *
 * Chains are independent and run in parallel threads; chain c draws every random number from
 * Philox stream c of the seed, so the draws are bit-identical for any n_threads. A posterior
 * log-probability (ik_logprob_create_posterior, either space) is sampled in the unconstrained
 * space; initial positions and draws are the posterior's own parameters theta, and log_prob
 * is log p(theta) without the Jacobian. Without an exact gradient (a callback with grad NULL)
 * the sampler runs on central differences (2 n_dim + 1 evaluations per leapfrog step); info
 * says so (exact_gradient 0).
 *
 * Threads: one sampler handle is not to be shared between threads without the caller's lock;
 * the log-probability's callbacks are called from InferKit's worker threads (see the
 * log-probability section); progress and draws callbacks are called on the thread that called
 * ik_nuts_run. The sampler holds a reference to its log-probability, which may be freed after
 * ik_nuts_create.
 */

/** Inverse-metric forms of ik_nuts_options_t.metric. Values are fixed forever. */
enum ik_metric {
    IK_METRIC_UNIT = 0,      /**< M^-1 = I, never adapted */
    IK_METRIC_DIAGONAL = 1,  /**< diagonal, adapted to the posterior variances (the default) */
    IK_METRIC_DENSE = 2      /**< dense, adapted to the posterior covariance */
};

/**
 * How warm-up regularises each window's (co)variance estimate S of n draws before it becomes the
 * inverse metric. Values are fixed forever.
 */
enum ik_metric_regularization {
    IK_METRIC_REGULARIZATION_STAN = 0,       /**< Stan's n/(n+5) S + 1e-3 (5/(n+5)) I: for parameters of
                                                  order one; parameters with variances far below 1e-3
                                                  get too wide a metric (small steps, deep trees) */
    IK_METRIC_REGULARIZATION_SCALE_FREE = 1  /**< n/(n+5) S + 1e-3 (5/(n+5)) diag(S): the same shrinkage
                                                  relative to each variance, independent of units
                                                  (the default) */
};

/** Options of ik_nuts_create(). Fill with ik_nuts_options_default(). */
typedef struct ik_nuts_options_t {
    size_t struct_size;                /**< sizeof(ik_nuts_options_t), set by _default */
    int32_t n_threads;                 /**< threads running chains (0: all cores; default 0) */
    int32_t max_tree_depth;            /**< at most 2^max_tree_depth - 1 leapfrog steps per draw,
                                            1..30 (default 10) */
    double target_accept;              /**< warm-up's target mean acceptance statistic, in (0, 1)
                                            (default 0.8) */
    int32_t metric;                    /**< IK_METRIC_* (default IK_METRIC_DIAGONAL) */
    int32_t thin;                      /**< keep every thin-th sampling iteration, >= 1 (default 1) */
    double initial_step_size;          /**< > 0, or 0 (default) for Stan's heuristic */
    double max_energy_error;           /**< energy error counted as a divergence, > 0 (default 1000) */
    ik_sampling_progress_fn progress;  /**< NULL, or called about 100 times per run; non-zero stops */
    void* progress_data;               /**< passed to progress */
    ik_draws_fn draws;                 /**< NULL, or receives every kept draw in order (draw = its
                                            index among the sampler's kept draws since creation,
                                            continuing across runs and restores) */
    void* draws_data;                  /**< passed to draws */
    int32_t metric_regularization;     /**< IK_METRIC_REGULARIZATION_* (default SCALE_FREE) */
} ik_nuts_options_t;

/** Fills *options with the defaults. */
ik_status_t ik_nuts_options_default(ik_nuts_options_t* options);

/** Opaque NUTS sampler: chains, their state and the last run's draws. Free with ik_nuts_free(). */
typedef struct ik_nuts_t ik_nuts_t;

/**
 * A sampler of `logprob` with n_chains >= 1 chains and `seed`; options NULL: defaults.
 * Errors: IK_ERR_INVALID_ARGUMENT for a NULL or freed logprob, n_chains 0, a bad struct_size
 * or an option out of range (naming the field); IK_ERR_NO_MEMORY for more than 2^20 chains or
 * chains whose workspace would exceed 2^31 values.
 */
ik_status_t ik_nuts_create(const ik_logprob_t* logprob, size_t n_chains, uint64_t seed,
                           const ik_nuts_options_t* options, ik_nuts_t** sampler);

/**
 * Replaces the progress and draws callbacks of options (each NULL for none) for the following
 * runs, e.g. to show a progress bar for one run only.
 */
ik_status_t ik_nuts_set_callbacks(ik_nuts_t* sampler, ik_sampling_progress_fn progress,
                                  void* progress_data, ik_draws_fn draws, void* draws_data);

/**
 * Runs n_warmup warm-up iterations (adaptation; not kept) and n_samples sampling iterations of
 * every chain, keeping every thin-th; the draws replace the previous run's.
 *  initial   n_chains x n_dim starting positions (row-major, finite, inside the support), or
 *            NULL: continue from where the last run or ik_nuts_state_restore left the chains
 *            (the first time: uniform draws from (-2, 2) in the sampling space, as Stan)
 *  n_chains, n_dim  must equal the sampler's
 * A warm-up restarts the adaptation from the current step size and metric; n_warmup 0 keeps
 * them frozen, so a run of n_samples after a run, or after a restore, continues the chains
 * exactly where an uninterrupted run would be. A progress callback that returns non-zero stops
 * the run: IK_OK with the draws so far and info.stopped_early 1.
 * Errors: IK_ERR_DIMENSION for n_samples 0 or mismatched n_chains or n_dim; IK_ERR_NON_FINITE for
 * a NaN/infinite initial value, or a log-probability or gradient that is NaN or +INFINITY at a
 * chain's initial position (naming the chain and the parameters); IK_ERR_INVALID_ARGUMENT for
 * an initial position outside the support (log-probability -INFINITY); IK_ERR_NOT_CONVERGED
 * when the step-size search fails (an improper posterior); IK_ERR_CALLBACK for a failing
 * log-probability or draws callback; IK_ERR_NO_MEMORY when the kept draws do not fit in memory or
 * n_warmup + n_samples overflows. After an error the sampler is as before the call and holds
 * no draws. Divergent transitions are counted (ik_nuts_divergent), not errors.
 */
ik_status_t ik_nuts_run(ik_nuts_t* sampler, const double* initial, size_t n_chains, size_t n_dim,
                        size_t n_warmup, size_t n_samples);

/** Summary of the last run. Set info->struct_size = sizeof(ik_nuts_info_t) before the call. */
typedef struct ik_nuts_info_t {
    size_t struct_size;            /**< sizeof(ik_nuts_info_t), set by the caller */
    size_t n_chains;               /**< chains */
    size_t n_dim;                  /**< parameters */
    size_t n_draws;                /**< kept draws per chain of the last run */
    int32_t stopped_early;         /**< 1 when the progress callback stopped the run */
    int32_t exact_gradient;        /**< 0 when gradients came from finite differences */
    int32_t adaptation_finished;   /**< 1 once a warm-up ran to its end */
    int32_t metric;                /**< IK_METRIC_* of chain 0's inverse metric now */
    int64_t n_divergent;           /**< divergent sampling iterations, all chains */
    int64_t n_gradient_evals;      /**< gradient evaluations of the last run, all chains */
} ik_nuts_info_t;

/** The last run's summary into *info. */
ik_status_t ik_nuts_info(const ik_nuts_t* sampler, ik_nuts_info_t* info);

/** The kept draws, n_chains x n_draws x n_dim (ArviZ's layout; len >= that product). */
ik_status_t ik_nuts_draws(const ik_nuts_t* sampler, double* out, size_t len);

/** log p of every kept draw, n_chains x n_draws. */
ik_status_t ik_nuts_log_prob(const ik_nuts_t* sampler, double* out, size_t len);

/** Per kept draw, n_chains x n_draws: 1 where its transition diverged. */
ik_status_t ik_nuts_divergent(const ik_nuts_t* sampler, int32_t* out, size_t len);

/** Per kept draw, n_chains x n_draws: the tree depth. */
ik_status_t ik_nuts_tree_depth(const ik_nuts_t* sampler, int32_t* out, size_t len);

/** Per kept draw, n_chains x n_draws: leapfrog steps (gradient evaluations). */
ik_status_t ik_nuts_leapfrog_steps(const ik_nuts_t* sampler, int32_t* out, size_t len);

/** Per kept draw, n_chains x n_draws: the mean acceptance statistic of its trajectory. */
ik_status_t ik_nuts_accept_stat(const ik_nuts_t* sampler, double* out, size_t len);

/** Per kept draw, n_chains x n_draws: the Hamiltonian (for the E-BFMI diagnostic). */
ik_status_t ik_nuts_energy(const ik_nuts_t* sampler, double* out, size_t len);

/** Per chain (n_chains values): divergent sampling iterations of the last run (thinned ones
 * included). */
ik_status_t ik_nuts_divergences(const ik_nuts_t* sampler, int64_t* out, size_t len);

/** Per chain: gradient evaluations of the last run (warm-up, step-size searches included). */
ik_status_t ik_nuts_gradient_evals(const ik_nuts_t* sampler, int64_t* out, size_t len);

/** Per chain: the mean acceptance statistic over the last run's sampling iterations. */
ik_status_t ik_nuts_mean_accept_stat(const ik_nuts_t* sampler, double* out, size_t len);

/** Per chain: the step size now. */
ik_status_t ik_nuts_step_size(const ik_nuts_t* sampler, double* out, size_t len);

/**
 * Per chain, the inverse metric now (in the sampling space): dense 0 gives its diagonal,
 * n_chains x n_dim; dense 1 the whole matrix, n_chains x n_dim x n_dim (a diagonal one
 * expanded). Errors: IK_ERR_INVALID_ARGUMENT for dense not 0 or 1.
 */
ik_status_t ik_nuts_inverse_metric(const ik_nuts_t* sampler, int32_t dense, double* out, size_t len);

/** The size in bytes of the sampler's state into *size (it changes only with the metric kind). */
ik_status_t ik_nuts_state_size(const ik_nuts_t* sampler, size_t* size);

/**
 * Saves the sampler's state (positions, step sizes, inverse metrics, random streams, whether
 * warm-up finished, the thinning phase) into out[0..len), len >= ik_nuts_state_size. The bytes
 * are in the machine's byte order.
 */
ik_status_t ik_nuts_state_save(const ik_nuts_t* sampler, void* out, size_t len);

/**
 * Restores a state saved by ik_nuts_state_save (len bytes) into a sampler of the same chains
 * and parameters. Errors: IK_ERR_INVALID_ARGUMENT for bytes that are not such a state,
 * IK_ERR_DIMENSION for another shape.
 */
ik_status_t ik_nuts_state_restore(ik_nuts_t* sampler, const void* state, size_t len);

/** Releases a sampler; NULL is a no-op. */
void ik_nuts_free(ik_nuts_t* sampler);

/* ------------------------------------------------------------------------------------------ */
/* The affine-invariant ensemble sampler (ik_ensemble_*)                                      */
/* ------------------------------------------------------------------------------------------ */

/*
 * Goodman & Weare (2010) as emcee 3 implements it: n_walkers walkers move together; each step
 * picks one move from the weighted mixture (stretch, differential evolution, walk), splits the
 * walkers at random into two halves and updates each half against the other. Within a half, log p
 * of all its proposals is evaluated in one call (a formula runs vectorised over the walkers;
 * with n_threads > 1 the half is cut into contiguous chunks evaluated concurrently). Walker k
 * draws all its random numbers from stream k of the seed, so a seed gives bit-identical chains
 * for every thread count. Draws are stored draw-major as emcee stores them: (steps, walkers,
 * n_dim). A handle keeps the chain of every run since its creation or last reset; run again with
 * initial NULL to continue (emcee's run_mcmc(None, n)).
 * Threads: one ik_ensemble_t must not be used from two threads at once. With n_threads > 1 a
 * callback log-probability is called from worker threads, concurrently for different walkers.
 */

/** Options of ik_ensemble_create(). Fill with ik_ensemble_options_default(). A move with weight
 *  0 is not used; the weights need not sum to 1 (each step uses move m with probability
 *  weight_m / sum). */
typedef struct ik_ensemble_options_t {
    size_t struct_size;               /**< sizeof(ik_ensemble_options_t), set by ik_ensemble_options_default */
    int32_t n_threads;                /**< threads evaluating each half-ensemble (default 1); 0 = all cores
                                           when it pays: each run times its first half-ensembles on
                                           one thread and a cheap log p stays there */
    double stretch_weight;            /**< weight of the stretch move (default 1) */
    double stretch_a;                 /**< its scale a > 1 (default 2, emcee's StretchMove(a=2.0)) */
    double de_weight;                 /**< weight of the differential-evolution move (default 0) */
    double de_sigma;                  /**< its relative spread of gamma, >= 0 (default 1e-5, emcee's DEMove) */
    double de_gamma0;                 /**< its mean gamma, > 0, or 0 (default) for 2.38 / sqrt(2 n_dim) */
    double walk_weight;               /**< weight of the walk move (default 0) */
    int64_t walk_s;                   /**< its subset size s, 2 <= s <= n_walkers / 2, or 0 (default) for the
                                           whole complementary half (emcee's WalkMove(s=None)) */
    int64_t thin;                     /**< keep every thin-th step (emcee's thin_by): a run of n_steps makes
                                           n_steps x thin steps and stores n_steps (default 1) */
    ik_sampling_progress_fn progress; /**< NULL, or called after every stored step (IK_PHASE_SAMPLING, stored
                                           steps of this run, n_steps); non-zero stops the run cleanly */
    void* progress_data;              /**< passed to progress */
    ik_draws_fn draws;                /**< NULL, or called with every stored step (draw = its index in the
                                           handle's chain); non-zero aborts with IK_ERR_CALLBACK */
    void* draws_data;                 /**< passed to draws */
} ik_ensemble_options_t;

/** Fills *options with the defaults (the stretch move alone, a = 2, one thread, no thinning). */
ik_status_t ik_ensemble_options_default(ik_ensemble_options_t* options);

/** An ensemble sampler with its chain. Free with ik_ensemble_free(). */
typedef struct ik_ensemble_t ik_ensemble_t;

/**
 * An ensemble sampler of logprob with n_walkers walkers. The sampler keeps its own reference to
 * the log-probability (logprob may be freed afterwards; its callbacks' user_data must stay valid).
 *  options   NULL for defaults
 *  ensemble  receives the handle (NULL on failure)
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL or freed logprob, NULL ensemble, n_walkers < 2 n_dim,
 * an option out of range naming it, e.g. a walk subset larger than half the walkers, a move that
 * needs 4 walkers, every weight 0), IK_ERR_NO_MEMORY (n_walkers x (n_dim + 1) > 2^27).
 */
ik_status_t ik_ensemble_create(const ik_logprob_t* logprob, size_t n_walkers, uint64_t seed,
                               const ik_ensemble_options_t* options, ik_ensemble_t** ensemble);

/**
 * Makes n_steps stored steps and appends them to the chain.
 *  initial    n_walkers x n_dim starting positions (row-major), or NULL to continue from the
 *             last state (after a run or ik_ensemble_restore_state)
 *  n_walkers, n_dim  must equal the sampler's (also when initial is NULL)
 *  n_steps    >= 1
 * Returns IK_OK also when the progress callback stopped the run (ik_ensemble_info says so).
 * Errors: IK_ERR_INVALID_ARGUMENT (n_steps 0; initial NULL before any state; a walker whose
 * log p is -inf, "walker 4 starts outside the support"), IK_ERR_DIMENSION (n_walkers or n_dim
 * differ from the sampler's), IK_ERR_NONFINITE (NaN/inf in initial naming walker and parameter;
 * log p NaN or +inf at a start or a proposal, naming the walker and step), IK_ERR_SINGULAR (the
 * initial walkers are not linearly independent: emcee's condition-number test, > 1e8),
 * IK_ERR_CALLBACK (the log-probability or draws callback returned non-zero), IK_ERR_NO_MEMORY
 * (the chain would hold more than 2^31 values). After an error mid-run the steps stored so far
 * stay.
 */
ik_status_t ik_ensemble_run(ik_ensemble_t* ensemble, const double* initial, size_t n_walkers,
                            size_t n_dim, size_t n_steps);

/** Replaces the progress callback of the next runs (options->progress at creation); fn NULL
 *  removes it. */
ik_status_t ik_ensemble_set_progress(ik_ensemble_t* ensemble, ik_sampling_progress_fn fn,
                                     void* user_data);

/** Replaces the thinning of the next runs (options->thin at creation; emcee's per-run thin_by):
 *  each stored step is the last of `thin` steps. IK_ERR_INVALID_ARGUMENT for thin < 1. */
ik_status_t ik_ensemble_set_thin(ik_ensemble_t* ensemble, int64_t thin);

/** Summary of a sampler. Set info->struct_size = sizeof(ik_ensemble_info_t) before the call. */
typedef struct ik_ensemble_info_t {
    size_t struct_size;      /**< sizeof(ik_ensemble_info_t), set by the caller */
    size_t n_walkers;        /**< walkers */
    size_t n_dim;            /**< parameters */
    size_t n_steps;          /**< stored steps in the chain (emcee's iteration) */
    int64_t total_steps;     /**< steps made since creation or reset, thinned ones included */
    int32_t stopped;         /**< 1 when the last run was stopped by its progress callback */
    int32_t has_state;       /**< 1 when the walkers have positions (a run with initial NULL can go on) */
} ik_ensemble_info_t;

/** The summary into *info (info->struct_size must be sizeof(ik_ensemble_info_t)). */
ik_status_t ik_ensemble_info(const ik_ensemble_t* ensemble, ik_ensemble_info_t* info);

/** The number of stored steps (emcee's iteration) into *n_steps. */
ik_status_t ik_ensemble_n_steps(const ik_ensemble_t* ensemble, size_t* n_steps);

/**
 * The chain as emcee's get_chain(discard, thin): stored steps discard + thin - 1,
 * discard + 2 thin - 1, ... (n = (n_steps - discard) / thin of them, 0 when discard >= n_steps),
 * each n_walkers x n_dim, into out (len >= n x n_walkers x n_dim; out may be NULL when that is 0).
 * emcee's flat=True is the same memory read as (n x n_walkers) x n_dim.
 * Errors: IK_ERR_INVALID_ARGUMENT (thin 0), IK_ERR_DIMENSION (len too short).
 */
ik_status_t ik_ensemble_chain(const ik_ensemble_t* ensemble, size_t discard, size_t thin,
                              double* out, size_t len);

/** log p of the chain's draws as ik_ensemble_chain: n x n_walkers values. */
ik_status_t ik_ensemble_log_prob(const ik_ensemble_t* ensemble, size_t discard, size_t thin,
                                 double* out, size_t len);

/** The current positions (n_walkers x n_dim, len >= that) and, when log_prob is not NULL, their
 *  log p (n_walkers values, log_prob_len >= n_walkers). IK_ERR_INVALID_ARGUMENT before any state. */
ik_status_t ik_ensemble_current(const ik_ensemble_t* ensemble, double* positions, size_t len,
                                double* log_prob, size_t log_prob_len);

/** Each walker's fraction of accepted proposals over the stored steps (emcee's
 *  acceptance_fraction), n_walkers values (len >= n_walkers; 0 before any step). */
ik_status_t ik_ensemble_acceptance_fraction(const ik_ensemble_t* ensemble, double* out, size_t len);

/** Forgets the chain, the acceptance counts and the step count; the walkers keep their state, so
 *  a run with initial NULL continues (emcee's reset). */
ik_status_t ik_ensemble_reset(ik_ensemble_t* ensemble);

/** The number of 64-bit words of a saved state into *size:
 *  5 + n_walkers (n_dim + 1) + 5 (n_walkers + 1). */
ik_status_t ik_ensemble_state_size(const ik_ensemble_t* ensemble, size_t* size);

/**
 * The complete sampler state (positions and log p as IEEE bit patterns, every random stream, the
 * step count) into buf (len >= ik_ensemble_state_size). A sampler restored from it continues
 * bit for bit as this one would; the chain itself is not part of the state.
 */
ik_status_t ik_ensemble_save_state(const ik_ensemble_t* ensemble, uint64_t* buf, size_t len);

/**
 * Restores a state saved by ik_ensemble_save_state from a sampler with the same n_walkers and
 * n_dim (its options and seed may differ; the saved random streams are used) and clears the
 * chain. Errors: IK_ERR_DIMENSION (len differs from the state size, other walkers or n_dim),
 * IK_ERR_INVALID_ARGUMENT (not a saved ensemble state, or corrupt).
 */
ik_status_t ik_ensemble_restore_state(ik_ensemble_t* ensemble, const uint64_t* buf, size_t len);

/** Releases a sampler; NULL is a no-op. */
void ik_ensemble_free(ik_ensemble_t* ensemble);

/* ------------------------------------------------------------------------------------------ */
/* Random-walk Metropolis-Hastings (ik_metropolis_*)                                          */
/* ------------------------------------------------------------------------------------------ */

/*
 * n_chains independent chains with a Gaussian jumping distribution. During warm-up each chain
 * adapts it (Haario et al. 2001: from iteration max(100, 10 n_dim) on, the covariance
 * (2.38^2 / n_dim)(C + eps (tr C / n_dim) I) of the chain's running covariance C, refactored
 * every 10 iterations; and a Robbins-Monro scale lambda with log lambda += t^-0.6 (alpha_t -
 * target)); then the jumping distribution freezes, so the kept draws come from a valid Markov
 * chain. Chain c draws all its random numbers from stream c of the seed: bit-identical results
 * for every thread count. With n_threads > 1, groups of chains run concurrently and a callback
 * log-probability is called from worker threads, concurrently for different chains.
 */

/** Options of ik_metropolis_sample(). Fill with ik_metropolis_options_default(). */
typedef struct ik_metropolis_options_t {
    size_t struct_size;               /**< sizeof(ik_metropolis_options_t), set by ik_metropolis_options_default */
    int64_t n_warmup;                 /**< warm-up iterations per chain, >= 0 (default 1000), not kept */
    int64_t thin;                     /**< keep every thin-th sampling iteration, >= 1 (default 1) */
    int32_t adapt_covariance;         /**< 1 (default): adapt the covariance during warm-up; 0: keep it */
    int32_t adapt_scale;              /**< 1 (default): adapt the scale toward target_acceptance; 0: keep it */
    double target_acceptance;         /**< in (0, 1), default 0.234 */
    double regularization;            /**< eps >= 0 of the adapted covariance, default 1e-6 */
    const double* proposal_cov;       /**< NULL (default), or the initial jumping covariance, n_dim x n_dim
                                           row-major, symmetric positive definite (copied) */
    double proposal_scale;            /**< with proposal_cov NULL: the initial jumping covariance is
                                           proposal_scale^2 I, > 0 (default 0.1) */
    int32_t n_threads;                /**< threads, 0 (default) = all cores */
    ik_sampling_progress_fn progress; /**< NULL, or called every 50 iterations (warm-up and sampling, per chain)
                                           and at the end of warm-up; non-zero stops the run cleanly */
    void* progress_data;              /**< passed to progress */
    ik_draws_fn draws;                /**< NULL, or called with every kept draw of all chains (n_chains x n_dim);
                                           non-zero aborts with IK_ERR_CALLBACK */
    void* draws_data;                 /**< passed to draws */
} ik_metropolis_options_t;

/** Fills *options with the defaults. */
ik_status_t ik_metropolis_options_default(ik_metropolis_options_t* options);

/** The draws of a Metropolis run. Free with ik_metropolis_free(). */
typedef struct ik_metropolis_t ik_metropolis_t;

/**
 * Runs n_chains chains from the rows of initial (n_chains x n_dim, row-major, finite):
 * options->n_warmup adapting iterations, then n_draws kept draws (n_draws x thin iterations).
 *  result  receives the handle (NULL on failure)
 * Returns IK_OK also when the progress callback stopped the run (ik_metropolis_info says so).
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, n_draws 0, an option out of range naming it,
 * proposal_cov not symmetric positive definite, a chain whose log p is -inf at its start),
 * IK_ERR_DIMENSION (n_chains 0, n_dim differs from logprob's), IK_ERR_NONFINITE (NaN/inf in
 * initial or proposal_cov; log p NaN or +inf, naming the chain and iteration), IK_ERR_CALLBACK,
 * IK_ERR_NO_MEMORY (n_draws x n_chains x n_dim > 2^31, or n_chains x n_dim^2 > 2^27).
 */
ik_status_t ik_metropolis_sample(const ik_logprob_t* logprob, const double* initial,
                                 size_t n_chains, size_t n_dim, size_t n_draws, uint64_t seed,
                                 const ik_metropolis_options_t* options, ik_metropolis_t** result);

/** Summary of a run. Set info->struct_size = sizeof(ik_metropolis_info_t) before the call. */
typedef struct ik_metropolis_info_t {
    size_t struct_size;      /**< sizeof(ik_metropolis_info_t), set by the caller */
    size_t n_chains;         /**< chains */
    size_t n_dim;            /**< parameters */
    size_t n_draws;          /**< kept draws per chain (fewer than asked when stopped) */
    int32_t stopped;         /**< 1 when the progress callback stopped the run */
} ik_metropolis_info_t;

/** The summary into *info (info->struct_size must be sizeof(ik_metropolis_info_t)). */
ik_status_t ik_metropolis_info(const ik_metropolis_t* result, ik_metropolis_info_t* info);

/** The kept draws chain by chain, ArviZ's (chains, draws, n_dim) layout: draw d of chain c at
 *  out[(c * n_draws + d) * n_dim ...] (len >= n_chains x n_draws x n_dim). */
ik_status_t ik_metropolis_draws(const ik_metropolis_t* result, double* out, size_t len);

/** log p of the kept draws, n_chains x n_draws (len >= that). */
ik_status_t ik_metropolis_log_prob(const ik_metropolis_t* result, double* out, size_t len);

/** Each chain's acceptance fraction over the sampling phase, n_chains values. */
ik_status_t ik_metropolis_acceptance_fraction(const ik_metropolis_t* result, double* out, size_t len);

/** Each chain's frozen jumping covariance, n_chains x n_dim x n_dim (row-major per chain). */
ik_status_t ik_metropolis_proposal_cov(const ik_metropolis_t* result, double* out, size_t len);

/** The number of 64-bit words of the run's final state into *size:
 *  3 + n_chains (n_dim^2 + n_dim + 7). */
ik_status_t ik_metropolis_state_size(const ik_metropolis_t* result, size_t* size);

/** The chains' state at the end of the run (positions and log p as IEEE bit patterns, the frozen
 *  jumping distributions, every random stream) into buf (len >= ik_metropolis_state_size), for
 *  ik_metropolis_resume. */
ik_status_t ik_metropolis_save_state(const ik_metropolis_t* result, uint64_t* buf, size_t len);

/**
 * Continues the chains of a saved state for n_draws more kept draws with their frozen jumping
 * distributions: the draws equal those the uninterrupted run would have made next, bit for bit.
 * No warm-up: of the options only thin, n_threads, progress and draws apply (NULL: defaults).
 * Errors: IK_ERR_INVALID_ARGUMENT (NULL pointers, n_draws 0, not a saved Metropolis state or
 * corrupt), IK_ERR_DIMENSION (len is not the state's size, n_dim differs from logprob's), and
 * those of ik_metropolis_sample during the run.
 */
ik_status_t ik_metropolis_resume(const ik_logprob_t* logprob, const uint64_t* state, size_t len,
                                 size_t n_draws, const ik_metropolis_options_t* options,
                                 ik_metropolis_t** result);

/** Releases a result; NULL is a no-op. */
void ik_metropolis_free(ik_metropolis_t* result);

#ifdef __cplusplus
}
#endif

#endif /* INFERKIT_H */
