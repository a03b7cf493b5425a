/*
 * test_linear.c - linear least squares and design matrices through the C ABI.
 *
 * Every expected value is computed here by a direct formula (normal equations on small,
 * well-conditioned problems; explicit basis polynomials), independently of the library.
 * The second half feeds every bad input the header allows and asserts the exact status and
 * that ik_last_error() names the culprit.
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define PI 3.14159265358979323846

/* ---------------------------------------------------------------------------------------- */
/* Reference computations                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Inverse of the n x n matrix m (row-major) by Gauss-Jordan with partial pivoting. */
static int ref_inverse(const double* m, size_t n, double* inv) {
    double w[16 * 32];
    size_t i, j, k, w_cols = 2 * n;
    if (n > 16) return 0;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            w[i * w_cols + j] = m[i * n + j];
            w[i * w_cols + n + j] = (i == j) ? 1.0 : 0.0;
        }
    for (k = 0; k < n; k++) {
        size_t p = k;
        double pivot;
        for (i = k + 1; i < n; i++)
            if (fabs(w[i * w_cols + k]) > fabs(w[p * w_cols + k])) p = i;
        if (w[p * w_cols + k] == 0.0) return 0;
        for (j = 0; j < w_cols; j++) {
            double t = w[k * w_cols + j];
            w[k * w_cols + j] = w[p * w_cols + j];
            w[p * w_cols + j] = t;
        }
        pivot = w[k * w_cols + k];
        for (j = 0; j < w_cols; j++) w[k * w_cols + j] /= pivot;
        for (i = 0; i < n; i++) {
            double f = w[i * w_cols + k];
            if (i == k || f == 0.0) continue;
            for (j = 0; j < w_cols; j++) w[i * w_cols + j] -= f * w[k * w_cols + j];
        }
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) inv[i * n + j] = w[i * w_cols + n + j];
    return 1;
}

/*
 * Weighted least squares by the normal equations (fine for the small, well-conditioned
 * problems used here): theta = (A^T W A)^-1 A^T W y, cov_abs = (A^T W A)^-1, chi2.
 * a is rows x cols row-major, y has rows values, sigma may be NULL.
 */
static void ref_fit(const double* a, size_t rows, size_t cols, const double* y,
                    const double* sigma, double* theta, double* cov_abs, double* chi2) {
    double m[16 * 16], b[16];
    size_t i, j, k;
    for (j = 0; j < cols; j++) {
        b[j] = 0.0;
        for (k = 0; k < cols; k++) m[j * cols + k] = 0.0;
    }
    for (i = 0; i < rows; i++) {
        double w = sigma ? 1.0 / (sigma[i] * sigma[i]) : 1.0;
        for (j = 0; j < cols; j++) {
            b[j] += w * a[i * cols + j] * y[i];
            for (k = 0; k < cols; k++) m[j * cols + k] += w * a[i * cols + j] * a[i * cols + k];
        }
    }
    ref_inverse(m, cols, cov_abs);
    for (j = 0; j < cols; j++) {
        theta[j] = 0.0;
        for (k = 0; k < cols; k++) theta[j] += cov_abs[j * cols + k] * b[k];
    }
    *chi2 = 0.0;
    for (i = 0; i < rows; i++) {
        double f = 0.0, r;
        for (j = 0; j < cols; j++) f += a[i * cols + j] * theta[j];
        r = (y[i] - f) / (sigma ? sigma[i] : 1.0);
        *chi2 += r * r;
    }
}

/* Legendre polynomials P_0..P_4 written out. */
static double ref_legendre(size_t k, double u) {
    switch (k) {
    case 0: return 1.0;
    case 1: return u;
    case 2: return (3.0 * u * u - 1.0) / 2.0;
    case 3: return (5.0 * u * u * u - 3.0 * u) / 2.0;
    case 4: return (35.0 * u * u * u * u - 30.0 * u * u + 3.0) / 8.0;
    default: return NAN;
    }
}

/* Chebyshev T_k(u) = cos(k arccos u) on [-1, 1]. */
static double ref_chebyshev(size_t k, double u) {
    if (u > 1.0) u = 1.0;
    if (u < -1.0) u = -1.0;
    return cos((double)k * acos(u));
}

/* Design matrix by direct formulas, row-major n x cols; lo/hi only for Legendre/Chebyshev. */
static size_t ref_design(int32_t basis, const double* x, size_t n, size_t degree, double lo,
                         double hi, double period, double* out) {
    size_t cols = (basis == IK_BASIS_FOURIER) ? 2 * degree + 1 : degree + 1;
    size_t i, k;
    for (i = 0; i < n; i++) {
        double u = (2.0 * x[i] - lo - hi) / (hi - lo);
        double* row = out + i * cols;
        for (k = 0; k <= degree; k++) {
            double w = 2.0 * PI * (double)k * x[i] / period;
            switch (basis) {
            case IK_BASIS_MONOMIAL: row[k] = pow(x[i], (double)k); break;
            case IK_BASIS_LEGENDRE: row[k] = ref_legendre(k, u); break;
            case IK_BASIS_CHEBYSHEV: row[k] = ref_chebyshev(k, u); break;
            case IK_BASIS_COSINE: row[k] = cos(w); break;
            case IK_BASIS_FOURIER:
                if (k == 0) {
                    row[0] = 1.0;
                } else {
                    row[2 * k - 1] = cos(w);
                    row[2 * k] = sin(w);
                }
                break;
            default: break;
            }
        }
    }
    return cols;
}

static void to_col_major(const double* rm, size_t rows, size_t cols, double* cm) {
    size_t i, j;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) cm[i + j * rows] = rm[i * cols + j];
}

/* ---------------------------------------------------------------------------------------- */
/* Test data                                                                                */
/* ---------------------------------------------------------------------------------------- */

#define NR 20 /* rows of the main test problem */
#define NC 3  /* its columns: 1, x, x^2 */
#define NRHS 3

static double g_x[NR], g_a[NR * NC], g_sigma[NR];
static double g_y_exact[NR];       /* exactly 1.5 - 2 x + 0.25 x^2 */
static double g_y[NR];             /* the same plus a deterministic "noise" */
static double g_ymat[NR * NRHS];   /* three noisy right-hand sides, row-major rows x NRHS */
static const double g_theta_true[NC] = {1.5, -2.0, 0.25};

static void make_data(void) {
    size_t i, k;
    for (i = 0; i < NR; i++) {
        double x = 0.25 * (double)i - 2.0;
        g_x[i] = x;
        g_a[i * NC + 0] = 1.0;
        g_a[i * NC + 1] = x;
        g_a[i * NC + 2] = x * x;
        g_sigma[i] = 0.5 + 0.25 * (double)(i % 4);
        g_y_exact[i] = 1.5 - 2.0 * x + 0.25 * x * x;
        g_y[i] = g_y_exact[i] + 0.3 * sin(1.7 * (double)i + 0.4);
        for (k = 0; k < NRHS; k++)
            g_ymat[i * NRHS + k] =
                g_y_exact[i] * (1.0 + (double)k) + 0.2 * cos(0.9 * (double)(i * (k + 2)) + 0.1 * (double)k);
    }
}

/* Fit that must succeed; records one test case; NULL if the library failed. */
static ik_linear_result_t* fit_ok(int line, const double* a, size_t rows, size_t cols,
                                  int32_t layout, const double* y, size_t n_rhs,
                                  const double* sigma, const ik_linear_options_t* options) {
    ik_linear_result_t* r = NULL;
    ik_status_t s = ik_linear_fit(a, rows, cols, layout, y, n_rhs, sigma, options, &r);
    ik_test_status(s, IK_OK, __FILE__, line, "ik_linear_fit");
    if (s != IK_OK) return NULL;
    ik_test_record(r != NULL, __FILE__, line, "ik_linear_fit returned a result");
    return r;
}
#define FIT_OK(a, rows, cols, layout, y, n_rhs, sigma, options) \
    fit_ok(__LINE__, a, rows, cols, layout, y, n_rhs, sigma, options)

static ik_linear_options_t defaults(void) {
    ik_linear_options_t o;
    ik_linear_options_default(&o);
    return o;
}

static ik_linear_info_t info_of(const ik_linear_result_t* r) {
    ik_linear_info_t info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_linear_result_info(r, &info));
    return info;
}

/* ---------------------------------------------------------------------------------------- */
/* Fits with known answers                                                                  */
/* ---------------------------------------------------------------------------------------- */

static void test_exact_fit(void) {
    double p[NC], res[NR], chi2 = -1.0;
    size_t j, i;
    ik_linear_result_t* r = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y_exact, 1, g_sigma, NULL);
    if (!r) return;
    CHECK_OK(ik_linear_result_params(r, p, NC));
    for (j = 0; j < NC; j++) CHECK_CLOSE(p[j], g_theta_true[j], 1e-12, 1e-12);
    CHECK_OK(ik_linear_result_residuals(r, res, NR));
    for (i = 0; i < NR; i++) CHECK_CLOSE(res[i], 0.0, 0.0, 1e-12);
    CHECK_OK(ik_linear_result_chi2(r, &chi2, 1));
    CHECK(chi2 >= 0.0 && chi2 < 1e-20);
    ik_linear_result_free(r);
}

static void test_weighted_fit(void) {
    double theta[NC], cov_abs[NC * NC], chi2_ref, scale;
    double p[NC], se[NC], cov[NC * NC], corr[NC * NC], res[NR], chi2, r2, sv[NC];
    double ybar = 0.0, sw = 0.0, tss = 0.0;
    size_t i, j;
    ik_linear_info_t info;
    ik_linear_result_t* r = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, NULL);
    if (!r) return;
    ref_fit(g_a, NR, NC, g_y, g_sigma, theta, cov_abs, &chi2_ref);
    scale = chi2_ref / (double)(NR - NC);

    CHECK_OK(ik_linear_result_params(r, p, NC));
    CHECK_OK(ik_linear_result_stderr(r, se, NC));
    CHECK_OK(ik_linear_result_cov(r, 0, cov, NC * NC));
    CHECK_OK(ik_linear_result_corr(r, corr, NC * NC));
    CHECK_OK(ik_linear_result_residuals(r, res, NR));
    CHECK_OK(ik_linear_result_chi2(r, &chi2, 1));
    CHECK_OK(ik_linear_result_r2(r, &r2, 1));
    CHECK_OK(ik_linear_result_singular_values(r, sv, NC));

    for (j = 0; j < NC; j++) {
        CHECK_CLOSE(p[j], theta[j], 1e-10, 1e-12);
        CHECK_CLOSE(se[j], sqrt(cov_abs[j * NC + j] * scale), 1e-9, 0.0);
    }
    for (j = 0; j < NC * NC; j++) CHECK_CLOSE(cov[j], cov_abs[j] * scale, 1e-9, 1e-15);
    for (i = 0; i < NC; i++)
        for (j = 0; j < NC; j++)
            CHECK_CLOSE(corr[i * NC + j],
                        cov[i * NC + j] / sqrt(cov[i * NC + i] * cov[j * NC + j]), 1e-12, 1e-14);
    for (i = 0; i < NR; i++) {
        double f = 0.0;
        for (j = 0; j < NC; j++) f += g_a[i * NC + j] * p[j];
        CHECK_CLOSE(res[i], g_y[i] - f, 1e-12, 1e-13);
    }
    CHECK_CLOSE(chi2, chi2_ref, 1e-10, 0.0);
    /* weighted, centred R^2: the design holds a constant column */
    for (i = 0; i < NR; i++) {
        double w = 1.0 / (g_sigma[i] * g_sigma[i]);
        sw += w;
        ybar += w * g_y[i];
    }
    ybar /= sw;
    for (i = 0; i < NR; i++) tss += (g_y[i] - ybar) * (g_y[i] - ybar) / (g_sigma[i] * g_sigma[i]);
    CHECK_CLOSE(r2, 1.0 - chi2_ref / tss, 1e-10, 0.0);

    for (j = 0; j < NC; j++) CHECK(sv[j] > 0.0);
    CHECK(sv[0] >= sv[1] && sv[1] >= sv[2]);

    info = info_of(r);
    CHECK(info.rows == NR);
    CHECK(info.cols == NC);
    CHECK(info.n_rhs == 1);
    CHECK(info.rank == NC);
    CHECK(info.dof == NR - NC);
    CHECK(info.flags == 0 || info.flags == IK_LINEAR_FLAG_REFINED);
    CHECK(info.method == IK_LINEAR_QR);
    CHECK(info.basis == -1);
    CHECK(info.refinement_steps >= 0);
    CHECK(((info.flags & IK_LINEAR_FLAG_REFINED) != 0) == (info.refinement_steps > 0));
    CHECK_CLOSE(info.cond, sv[0] / sv[NC - 1], 1e-8, 0.0);
    ik_linear_result_free(r);
}

/* absolute_sigma = 1 gives (A^T W A)^-1; = 0 multiplies it by chi2/dof, exactly. */
static void test_absolute_sigma(void) {
    ik_linear_options_t o = defaults();
    double theta[NC], cov_ref[NC * NC], chi2_ref;
    double cov_rel[NC * NC], cov_abs[NC * NC], se_rel[NC], se_abs[NC], chi2;
    ik_linear_result_t *rr, *ra;
    ik_linear_info_t info;
    size_t j;
    o.absolute_sigma = 1;
    rr = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, NULL);
    ra = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
    if (!rr || !ra) {
        ik_linear_result_free(rr);
        ik_linear_result_free(ra);
        return;
    }
    ref_fit(g_a, NR, NC, g_y, g_sigma, theta, cov_ref, &chi2_ref);
    CHECK_OK(ik_linear_result_cov(rr, 0, cov_rel, NC * NC));
    CHECK_OK(ik_linear_result_cov(ra, 0, cov_abs, NC * NC));
    CHECK_OK(ik_linear_result_stderr(rr, se_rel, NC));
    CHECK_OK(ik_linear_result_stderr(ra, se_abs, NC));
    CHECK_OK(ik_linear_result_chi2(rr, &chi2, 1));
    info = info_of(rr);
    for (j = 0; j < NC * NC; j++) {
        CHECK_CLOSE(cov_abs[j], cov_ref[j], 1e-10, 1e-15);
        CHECK_CLOSE(cov_rel[j], cov_abs[j] * chi2 / (double)info.dof, 1e-13, 0.0);
    }
    for (j = 0; j < NC; j++) CHECK_CLOSE(se_rel[j], se_abs[j] * sqrt(chi2 / (double)info.dof), 1e-13, 0.0);
    {
        /* The unscaled covariance times the scale is the covariance, for both readings of sigma. */
        double unscaled[NC * NC], scale_rel, scale_abs;
        CHECK_OK(ik_linear_result_cov_unscaled(rr, unscaled, NC * NC));
        CHECK_OK(ik_linear_result_cov_scale(rr, &scale_rel, 1));
        CHECK_OK(ik_linear_result_cov_scale(ra, &scale_abs, 1));
        CHECK_CLOSE(scale_rel, chi2 / (double)info.dof, 1e-15, 0.0);
        CHECK(scale_abs == 1.0);
        for (j = 0; j < NC * NC; j++) {
            CHECK_CLOSE(unscaled[j], cov_abs[j], 1e-15, 0.0);
            CHECK_CLOSE(unscaled[j] * scale_rel, cov_rel[j], 1e-15, 0.0);
        }
        CHECK_STATUS(ik_linear_result_cov_unscaled(rr, unscaled, NC * NC - 1), IK_ERR_DIMENSION);
        CHECK_STATUS(ik_linear_result_cov_scale(rr, NULL, 1), IK_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(ik_linear_result_cov_scale(NULL, &scale_rel, 1), IK_ERR_INVALID_ARGUMENT);
    }
    ik_linear_result_free(rr);
    ik_linear_result_free(ra);
}

/* The same data in column-major storage gives bit-identical results. */
static void test_layouts(void) {
    double a_cm[NR * NC], y_cm[NR * NRHS];
    double p1[NC * NRHS], p2[NC * NRHS], s1[NC * NRHS], s2[NC * NRHS];
    double c1[NC * NC], c2[NC * NC], r1[NR * NRHS], r2[NR * NRHS], x1[NRHS], x2[NRHS];
    ik_linear_result_t *ra, *rb;
    size_t k;
    to_col_major(g_a, NR, NC, a_cm);
    to_col_major(g_ymat, NR, NRHS, y_cm);
    ra = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_ymat, NRHS, g_sigma, NULL);
    rb = FIT_OK(a_cm, NR, NC, IK_COL_MAJOR, y_cm, NRHS, g_sigma, NULL);
    if (ra && rb) {
        CHECK_OK(ik_linear_result_params(ra, p1, NC * NRHS));
        CHECK_OK(ik_linear_result_params(rb, p2, NC * NRHS));
        CHECK_OK(ik_linear_result_stderr(ra, s1, NC * NRHS));
        CHECK_OK(ik_linear_result_stderr(rb, s2, NC * NRHS));
        CHECK_OK(ik_linear_result_residuals(ra, r1, NR * NRHS));
        CHECK_OK(ik_linear_result_residuals(rb, r2, NR * NRHS));
        CHECK_OK(ik_linear_result_chi2(ra, x1, NRHS));
        CHECK_OK(ik_linear_result_chi2(rb, x2, NRHS));
        CHECK(memcmp(p1, p2, sizeof p1) == 0);
        CHECK(memcmp(s1, s2, sizeof s1) == 0);
        CHECK(memcmp(r1, r2, sizeof r1) == 0); /* residuals are row-major in both cases */
        CHECK(memcmp(x1, x2, sizeof x1) == 0);
        for (k = 0; k < NRHS; k++) {
            CHECK_OK(ik_linear_result_cov(ra, k, c1, NC * NC));
            CHECK_OK(ik_linear_result_cov(rb, k, c2, NC * NC));
            CHECK(memcmp(c1, c2, sizeof c1) == 0);
        }
    }
    ik_linear_result_free(ra);
    ik_linear_result_free(rb);
}

/* Several right-hand sides equal separate fits. */
static void test_multiple_rhs(void) {
    double p[NC * NRHS], se[NC * NRHS], res[NR * NRHS], chi2[NRHS], r2[NRHS], cov[NC * NC];
    double yk[NR], pk[NC], sek[NC], resk[NR], chi2k, r2k, covk[NC * NC];
    size_t i, j, k;
    ik_linear_info_t info;
    ik_linear_result_t* r = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_ymat, NRHS, g_sigma, NULL);
    if (!r) return;
    info = info_of(r);
    CHECK(info.n_rhs == NRHS);
    CHECK_OK(ik_linear_result_params(r, p, NC * NRHS));
    CHECK_OK(ik_linear_result_stderr(r, se, NC * NRHS));
    CHECK_OK(ik_linear_result_residuals(r, res, NR * NRHS));
    CHECK_OK(ik_linear_result_chi2(r, chi2, NRHS));
    CHECK_OK(ik_linear_result_r2(r, r2, NRHS));
    for (k = 0; k < NRHS; k++) {
        ik_linear_result_t* rk;
        for (i = 0; i < NR; i++) yk[i] = g_ymat[i * NRHS + k];
        rk = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, yk, 1, g_sigma, NULL);
        if (!rk) continue;
        CHECK_OK(ik_linear_result_params(rk, pk, NC));
        CHECK_OK(ik_linear_result_stderr(rk, sek, NC));
        CHECK_OK(ik_linear_result_residuals(rk, resk, NR));
        CHECK_OK(ik_linear_result_chi2(rk, &chi2k, 1));
        CHECK_OK(ik_linear_result_r2(rk, &r2k, 1));
        CHECK_OK(ik_linear_result_cov(rk, 0, covk, NC * NC));
        CHECK_OK(ik_linear_result_cov(r, k, cov, NC * NC));
        for (j = 0; j < NC; j++) {
            CHECK_CLOSE(p[j * NRHS + k], pk[j], 1e-12, 1e-14);
            CHECK_CLOSE(se[j * NRHS + k], sek[j], 1e-12, 1e-14);
        }
        for (j = 0; j < NC * NC; j++) CHECK_CLOSE(cov[j], covk[j], 1e-12, 1e-16);
        for (i = 0; i < NR; i++) CHECK_CLOSE(res[i * NRHS + k], resk[i], 1e-10, 1e-13);
        CHECK_CLOSE(chi2[k], chi2k, 1e-12, 0.0);
        CHECK_CLOSE(r2[k], r2k, 1e-12, 0.0);
        ik_linear_result_free(rk);
    }
    ik_linear_result_free(r);
}

/* dof = 0 with relative sigma: NO_DOF flag and NaN covariance; with absolute sigma: finite. */
static void test_no_dof(void) {
    const double a[9] = {1, 0, 0, 1, 1, 1, 1, 2, 4};
    const double y[3] = {1, 2, 5};
    double p[3], se[3];
    ik_linear_options_t o = defaults();
    ik_linear_info_t info;
    ik_linear_result_t* r = FIT_OK(a, 3, 3, IK_ROW_MAJOR, y, 1, NULL, NULL);
    if (r) {
        info = info_of(r);
        CHECK(info.dof == 0);
        CHECK((info.flags & IK_LINEAR_FLAG_NO_DOF) != 0);
        CHECK_OK(ik_linear_result_params(r, p, 3));
        CHECK_CLOSE(p[0], 1.0, 1e-12, 1e-12);
        CHECK_CLOSE(p[1], 0.0, 0.0, 1e-12);
        CHECK_CLOSE(p[2], 1.0, 1e-12, 1e-12);
        CHECK_OK(ik_linear_result_stderr(r, se, 3));
        CHECK(isnan(se[0]) && isnan(se[1]) && isnan(se[2]));
        ik_linear_result_free(r);
    }
    o.absolute_sigma = 1;
    r = FIT_OK(a, 3, 3, IK_ROW_MAJOR, y, 1, NULL, &o);
    if (r) {
        info = info_of(r);
        CHECK((info.flags & IK_LINEAR_FLAG_NO_DOF) == 0);
        CHECK_OK(ik_linear_result_stderr(r, se, 3));
        CHECK(isfinite(se[0]) && isfinite(se[1]) && isfinite(se[2]) && se[0] > 0.0);
        ik_linear_result_free(r);
    }
}

/* Rank deficiency: an error by default, a minimum-norm solution when allowed or with SVD. */
static void test_rank_deficient(void) {
    double a[NR * 3], y[NR], p[3], wide[3 * 5], yw[3] = {1.0, 2.0, 3.0};
    ik_linear_options_t o = defaults();
    ik_linear_info_t info;
    ik_linear_result_t* r;
    size_t i, j;
    for (i = 0; i < NR; i++) { /* columns 1, x, x (duplicate); y = 1 + 2 x */
        a[i * 3 + 0] = 1.0;
        a[i * 3 + 1] = a[i * 3 + 2] = g_x[i];
        y[i] = 1.0 + 2.0 * g_x[i];
    }
    for (i = 0; i < 3; i++)
        for (j = 0; j < 5; j++) wide[i * 5 + j] = pow(0.5 + (double)i, (double)j);

    r = (ik_linear_result_t*)(void*)&o; /* any non-NULL value: must become NULL */
    CHECK_STATUS(ik_linear_fit(a, NR, 3, IK_ROW_MAJOR, y, 1, NULL, NULL, &r), IK_ERR_SINGULAR);
    CHECK(r == NULL);
    CHECK_ERR(ik_linear_fit(wide, 3, 5, IK_ROW_MAJOR, yw, 1, NULL, NULL, &r), IK_ERR_SINGULAR,
              "column");

    o.allow_rank_deficient = 1;
    r = FIT_OK(a, NR, 3, IK_ROW_MAJOR, y, 1, NULL, &o);
    if (r) {
        info = info_of(r);
        CHECK(info.rank == 2);
        CHECK((info.flags & IK_LINEAR_FLAG_RANK_DEFICIENT) != 0);
        CHECK_OK(ik_linear_result_params(r, p, 3));
        /* minimum norm: theta_1 = theta_2 = 1 */
        CHECK_CLOSE(p[0], 1.0, 1e-10, 1e-10);
        CHECK_CLOSE(p[1], 1.0, 1e-10, 1e-10);
        CHECK_CLOSE(p[2], 1.0, 1e-10, 1e-10);
        ik_linear_result_free(r);
    }
    r = FIT_OK(wide, 3, 5, IK_ROW_MAJOR, yw, 1, NULL, &o);
    if (r) {
        info = info_of(r);
        CHECK(info.rank == 3 && info.rank < info.cols);
        CHECK((info.flags & IK_LINEAR_FLAG_RANK_DEFICIENT) != 0);
        ik_linear_result_free(r);
    }
    /* SVD always allows rank deficiency */
    o = defaults();
    o.method = IK_LINEAR_SVD;
    r = FIT_OK(a, NR, 3, IK_ROW_MAJOR, y, 1, NULL, &o);
    if (r) {
        info = info_of(r);
        CHECK(info.method == IK_LINEAR_SVD);
        CHECK(info.rank == 2);
        CHECK((info.flags & IK_LINEAR_FLAG_RANK_DEFICIENT) != 0);
        CHECK_OK(ik_linear_result_params(r, p, 3));
        CHECK_CLOSE(p[1], 1.0, 1e-10, 1e-10);
        CHECK_CLOSE(p[2], 1.0, 1e-10, 1e-10);
        ik_linear_result_free(r);
    }
}

/* Options that must not change the answer (beyond rounding) and their diagnostics. */
static void test_options(void) {
    double p0[NC], p1[NC];
    ik_linear_options_t o = defaults();
    ik_linear_info_t info;
    ik_linear_result_t *r0, *r1;
    size_t j;
    int32_t threads[3] = {1, 2, 0};

    r0 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, NULL);
    if (!r0) return;
    CHECK_OK(ik_linear_result_params(r0, p0, NC));

    o.method = IK_LINEAR_SVD;
    r1 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
    if (r1) {
        info = info_of(r1);
        CHECK(info.method == IK_LINEAR_SVD);
        CHECK(info.rank == NC);
        CHECK_OK(ik_linear_result_params(r1, p1, NC));
        for (j = 0; j < NC; j++) CHECK_CLOSE(p1[j], p0[j], 1e-10, 1e-12);
        ik_linear_result_free(r1);
    }
    o = defaults();
    o.refine = 0;
    r1 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
    if (r1) {
        info = info_of(r1);
        CHECK(info.refinement_steps == 0);
        CHECK((info.flags & IK_LINEAR_FLAG_REFINED) == 0);
        CHECK_OK(ik_linear_result_params(r1, p1, NC));
        for (j = 0; j < NC; j++) CHECK_CLOSE(p1[j], p0[j], 1e-12, 1e-14);
        ik_linear_result_free(r1);
    }
    o.refine = 3;
    r1 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
    if (r1) {
        info = info_of(r1);
        CHECK(info.refinement_steps >= 1 && info.refinement_steps <= 3);
        CHECK((info.flags & IK_LINEAR_FLAG_REFINED) != 0);
        CHECK_OK(ik_linear_result_params(r1, p1, NC));
        for (j = 0; j < NC; j++) CHECK_CLOSE(p1[j], p0[j], 1e-12, 1e-14);
        ik_linear_result_free(r1);
    }
    o = defaults();
    o.rcond = -1.0; /* <= 0 means the default cut-off */
    r1 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
    if (r1) {
        CHECK_OK(ik_linear_result_params(r1, p1, NC));
        CHECK(memcmp(p0, p1, sizeof p0) == 0);
        ik_linear_result_free(r1);
    }
    /* bit-identical for every thread count */
    for (j = 0; j < 3; j++) {
        o = defaults();
        o.n_threads = threads[j];
        r1 = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, &o);
        if (!r1) continue;
        CHECK_OK(ik_linear_result_params(r1, p1, NC));
        CHECK_MSG(memcmp(p0, p1, sizeof p0) == 0, "n_threads gives bit-identical parameters");
        ik_linear_result_free(r1);
    }
    ik_linear_result_free(r0);
}

/* ---------------------------------------------------------------------------------------- */
/* Design matrices                                                                          */
/* ---------------------------------------------------------------------------------------- */

static void check_design(int line, int32_t basis, const double* x, size_t n, size_t degree,
                         const double* domain, double lo, double hi, double period) {
    double got[16 * 16], got_cm[16 * 16], want[16 * 16];
    size_t cols = 0, want_cols, i, j;
    int ok = 1;
    char what[96];
    ik_test_status(ik_design_columns(basis, degree, &cols), IK_OK, __FILE__, line,
                   "ik_design_columns");
    want_cols = ref_design(basis, x, n, degree, lo, hi, period, want);
    ik_test_record(cols == want_cols, __FILE__, line, "ik_design_columns count");
    if (cols != want_cols || n * cols > 256) return;
    ik_test_status(ik_design_matrix(basis, x, n, degree, domain, period, IK_ROW_MAJOR, got, n * cols),
                   IK_OK, __FILE__, line, "ik_design_matrix (row-major)");
    ik_test_status(ik_design_matrix(basis, x, n, degree, domain, period, IK_COL_MAJOR, got_cm,
                                    n * cols),
                   IK_OK, __FILE__, line, "ik_design_matrix (column-major)");
    for (i = 0; i < n; i++)
        for (j = 0; j < cols; j++) {
            double w = want[i * cols + j];
            if (!(fabs(got[i * cols + j] - w) <= 1e-12 * (1.0 + fabs(w)))) {
                fprintf(stderr, "     basis %d: out[%lu,%lu] = %.17g, want %.17g\n", (int)basis,
                        (unsigned long)i, (unsigned long)j, got[i * cols + j], w);
                ok = 0;
            }
            if (got_cm[i + j * n] != got[i * cols + j]) {
                fprintf(stderr, "     basis %d: column-major [%lu,%lu] differs\n", (int)basis,
                        (unsigned long)i, (unsigned long)j);
                ok = 0;
            }
        }
    snprintf(what, sizeof what, "design matrix of basis %d equals the direct formulas", (int)basis);
    ik_test_record(ok, __FILE__, line, what);
}

static void test_design_matrices(void) {
    const double x[7] = {0.3, -1.2, 2.5, 0.0, 1.7, -0.4, 3.1};
    const double dom[2] = {-2.0, 4.0};
    size_t cols = 0;
    CHECK_OK(ik_design_columns(IK_BASIS_MONOMIAL, 3, &cols));
    CHECK(cols == 4);
    CHECK_OK(ik_design_columns(IK_BASIS_LEGENDRE, 4, &cols));
    CHECK(cols == 5);
    CHECK_OK(ik_design_columns(IK_BASIS_CHEBYSHEV, 0, &cols));
    CHECK(cols == 1);
    CHECK_OK(ik_design_columns(IK_BASIS_FOURIER, 3, &cols));
    CHECK(cols == 7);
    CHECK_OK(ik_design_columns(IK_BASIS_COSINE, 3, &cols));
    CHECK(cols == 4);

    check_design(__LINE__, IK_BASIS_MONOMIAL, x, 7, 3, NULL, 0, 0, 0);
    check_design(__LINE__, IK_BASIS_LEGENDRE, x, 7, 4, dom, dom[0], dom[1], 0);
    check_design(__LINE__, IK_BASIS_LEGENDRE, x, 7, 4, NULL, -1.2, 3.1, 0);
    check_design(__LINE__, IK_BASIS_CHEBYSHEV, x, 7, 5, NULL, -1.2, 3.1, 0); /* [min x, max x] */
    check_design(__LINE__, IK_BASIS_CHEBYSHEV, x, 7, 5, dom, dom[0], dom[1], 0);
    check_design(__LINE__, IK_BASIS_FOURIER, x, 7, 3, NULL, 0, 0, 2.5);
    check_design(__LINE__, IK_BASIS_COSINE, x, 7, 4, NULL, 0, 0, 3.0);
}

/* ---------------------------------------------------------------------------------------- */
/* Prediction                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_predict(void) {
    enum { M = 4 };
    const double a_new[M * NC] = {1, -3.0, 9.0, 1, 0.0, 0.0, 1, 0.7, 0.49, 1, 5.0, 25.0};
    double a_new_cm[M * NC], p[NC * 2], cov[2][NC * NC], mean[M * 2], sd[M * 2], mean2[M * 2],
        sd2[M * 2], y2[NR * 2];
    size_t i, j, l, k;
    ik_linear_result_t* r;
    for (i = 0; i < NR; i++) {
        y2[i * 2] = g_ymat[i * NRHS];
        y2[i * 2 + 1] = g_ymat[i * NRHS + 2];
    }
    to_col_major(a_new, M, NC, a_new_cm);
    r = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, y2, 2, g_sigma, NULL);
    if (!r) return;
    CHECK_OK(ik_linear_result_params(r, p, NC * 2));
    CHECK_OK(ik_linear_result_cov(r, 0, cov[0], NC * NC));
    CHECK_OK(ik_linear_result_cov(r, 1, cov[1], NC * NC));
    CHECK_OK(ik_linear_predict(r, a_new, M, NC, IK_ROW_MAJOR, mean, sd));
    for (i = 0; i < M; i++)
        for (k = 0; k < 2; k++) {
            double m = 0.0, v = 0.0;
            for (j = 0; j < NC; j++) {
                m += a_new[i * NC + j] * p[j * 2 + k];
                for (l = 0; l < NC; l++) v += a_new[i * NC + j] * cov[k][j * NC + l] * a_new[i * NC + l];
            }
            CHECK_CLOSE(mean[i * 2 + k], m, 1e-12, 1e-13);
            CHECK_CLOSE(sd[i * 2 + k], sqrt(v), 1e-10, 1e-15);
        }
    CHECK_OK(ik_linear_predict(r, a_new_cm, M, NC, IK_COL_MAJOR, mean2, sd2));
    CHECK(memcmp(mean, mean2, sizeof mean) == 0);
    CHECK(memcmp(sd, sd2, sizeof sd) == 0);
    memset(mean2, 0, sizeof mean2);
    CHECK_OK(ik_linear_predict(r, a_new, M, NC, IK_ROW_MAJOR, mean2, NULL)); /* std optional */
    CHECK(memcmp(mean, mean2, sizeof mean) == 0);
    ik_linear_result_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* Basis fits                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_polyfit(void) {
    enum { M = 5 };
    const double xn[M] = {-2.5, -1.0, 0.1, 1.9, 3.0};
    double y3[NR], p[4], se[4], pl[NC], sel[NC], cov[NC * NC], mean[M], sd[M];
    double dm[M * 5], cm[5 * 5], ymat_cm[NR * 2], ymat[NR * 2], q1[NC * 2], q2[NC * 2];
    const double dom[2] = {-3.0, 3.5};
    size_t i, j, l;
    ik_linear_info_t info;
    ik_linear_result_t *r, *rl;

    /* exact cubic recovered in the caller's monomials */
    for (i = 0; i < NR; i++) y3[i] = 1.0 - 2.0 * g_x[i] + 0.5 * g_x[i] * g_x[i] * g_x[i];
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, y3, 1, IK_ROW_MAJOR, NULL, 3, IK_BASIS_MONOMIAL, NULL, 0.0,
                               NULL, &r));
    if (r) {
        CHECK_OK(ik_linear_result_params(r, p, 4));
        CHECK_CLOSE(p[0], 1.0, 1e-12, 1e-12);
        CHECK_CLOSE(p[1], -2.0, 1e-12, 1e-12);
        CHECK_CLOSE(p[2], 0.0, 0.0, 1e-12);
        CHECK_CLOSE(p[3], 0.5, 1e-12, 1e-12);
        info = info_of(r);
        CHECK(info.basis == IK_BASIS_MONOMIAL);
        CHECK(info.cols == 4 && info.rows == NR && info.n_rhs == 1);
        ik_linear_result_free(r);
    }

    /* noisy quadratic: polyfit equals ik_linear_fit on the monomial design */
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, g_y, 1, IK_ROW_MAJOR, g_sigma, 2, IK_BASIS_MONOMIAL, NULL,
                               0.0, NULL, &r));
    rl = FIT_OK(g_a, NR, NC, IK_ROW_MAJOR, g_y, 1, g_sigma, NULL);
    if (r && rl) {
        CHECK_OK(ik_linear_result_params(r, p, NC));
        CHECK_OK(ik_linear_result_stderr(r, se, NC));
        CHECK_OK(ik_linear_result_params(rl, pl, NC));
        CHECK_OK(ik_linear_result_stderr(rl, sel, NC));
        for (j = 0; j < NC; j++) {
            CHECK_CLOSE(p[j], pl[j], 1e-10, 1e-12);
            CHECK_CLOSE(se[j], sel[j], 1e-9, 1e-14);
        }
        /* predict_x: mean = sum theta_j x^j, std from the covariance */
        CHECK_OK(ik_linear_result_cov(r, 0, cov, NC * NC));
        CHECK_OK(ik_linear_predict_x(r, xn, M, mean, sd));
        for (i = 0; i < M; i++) {
            double phi[NC] = {1.0, xn[i], xn[i] * xn[i]}, m = 0.0, v = 0.0;
            for (j = 0; j < NC; j++) {
                m += phi[j] * p[j];
                for (l = 0; l < NC; l++) v += phi[j] * cov[j * NC + l] * phi[l];
            }
            CHECK_CLOSE(mean[i], m, 1e-12, 1e-12);
            CHECK_CLOSE(sd[i], sqrt(v), 1e-9, 1e-14);
        }
        CHECK_OK(ik_linear_predict_x(r, xn, M, mean, NULL));
    }
    ik_linear_result_free(r);
    ik_linear_result_free(rl);

    /* Legendre with a domain, Chebyshev with domain NULL: predict_x uses the fit's domain */
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, g_y, 1, IK_ROW_MAJOR, g_sigma, 4, IK_BASIS_LEGENDRE, dom,
                               0.0, NULL, &r));
    if (r) {
        info = info_of(r);
        CHECK(info.basis == IK_BASIS_LEGENDRE && info.cols == 5);
        CHECK_STATUS(ik_linear_result_params(r, p, 4), IK_ERR_DIMENSION); /* 5 needed */
        {
            double pp[5];
            CHECK_OK(ik_linear_result_params(r, pp, 5));
            ref_design(IK_BASIS_LEGENDRE, xn, M, 4, dom[0], dom[1], 0.0, dm);
            CHECK_OK(ik_linear_predict_x(r, xn, M, mean, NULL));
            for (i = 0; i < M; i++) {
                double m = 0.0;
                for (j = 0; j < 5; j++) m += dm[i * 5 + j] * pp[j];
                CHECK_CLOSE(mean[i], m, 1e-12, 1e-12);
            }
        }
        ik_linear_result_free(r);
    }
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, g_y, 1, IK_ROW_MAJOR, g_sigma, 4, IK_BASIS_CHEBYSHEV,
                               NULL, 0.0, NULL, &r));
    if (r) {
        double pp[5];
        CHECK_OK(ik_linear_result_params(r, pp, 5));
        /* the fit's domain is [min x, max x] of the fitted points, not of the new points */
        ref_design(IK_BASIS_CHEBYSHEV, xn + 1, 3, 4, g_x[0], g_x[NR - 1], 0.0, cm);
        CHECK_OK(ik_linear_predict_x(r, xn + 1, 3, mean, NULL));
        for (i = 0; i < 3; i++) {
            double m = 0.0;
            for (j = 0; j < 5; j++) m += cm[i * 5 + j] * pp[j];
            CHECK_CLOSE(mean[i], m, 1e-12, 1e-12);
        }
        ik_linear_result_free(r);
    }

    /* two right-hand sides, y in either layout */
    for (i = 0; i < NR; i++) {
        ymat[i * 2] = g_ymat[i * NRHS];
        ymat[i * 2 + 1] = g_ymat[i * NRHS + 1];
    }
    to_col_major(ymat, NR, 2, ymat_cm);
    r = NULL;
    rl = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, ymat, 2, IK_ROW_MAJOR, g_sigma, 2, IK_BASIS_MONOMIAL, NULL,
                               0.0, NULL, &r));
    CHECK_OK(ik_linear_polyfit(g_x, NR, ymat_cm, 2, IK_COL_MAJOR, g_sigma, 2, IK_BASIS_MONOMIAL,
                               NULL, 0.0, NULL, &rl));
    if (r && rl) {
        CHECK_OK(ik_linear_result_params(r, q1, NC * 2));
        CHECK_OK(ik_linear_result_params(rl, q2, NC * 2));
        CHECK(memcmp(q1, q2, sizeof q1) == 0);
    }
    ik_linear_result_free(r);
    ik_linear_result_free(rl);

    /* Fourier and cosine fits of a periodic signal recover their coefficients */
    for (i = 0; i < NR; i++)
        y3[i] = 0.5 + 2.0 * cos(2.0 * PI * g_x[i] / 3.0) - 1.5 * sin(2.0 * PI * 2.0 * g_x[i] / 3.0);
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, y3, 1, IK_ROW_MAJOR, NULL, 2, IK_BASIS_FOURIER, NULL, 3.0,
                               NULL, &r));
    if (r) {
        double pf[5], want[5] = {0.5, 2.0, 0.0, 0.0, -1.5};
        info = info_of(r);
        CHECK(info.basis == IK_BASIS_FOURIER && info.cols == 5);
        CHECK_OK(ik_linear_result_params(r, pf, 5));
        for (j = 0; j < 5; j++) CHECK_CLOSE(pf[j], want[j], 1e-12, 1e-12);
        ik_linear_result_free(r);
    }
    for (i = 0; i < NR; i++) y3[i] = 0.5 + 2.0 * cos(2.0 * PI * 3.0 * g_x[i] / 7.0);
    r = NULL;
    CHECK_OK(ik_linear_polyfit(g_x, NR, y3, 1, IK_ROW_MAJOR, NULL, 3, IK_BASIS_COSINE, NULL, 7.0,
                               NULL, &r));
    if (r) {
        double pc[4], want[4] = {0.5, 0.0, 0.0, 2.0};
        CHECK(info_of(r).basis == IK_BASIS_COSINE);
        CHECK_OK(ik_linear_result_params(r, pc, 4));
        for (j = 0; j < 4; j++) CHECK_CLOSE(pc[j], want[j], 1e-11, 1e-11);
        ik_linear_result_free(r);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

#define BR 20 /* rows of the bad-input problem */
#define BC 6  /* its columns */

static double b_a[BR * BC], b_y[BR], b_y2[BR * 2], b_sigma[BR];

static void make_bad_data(void) {
    size_t i, j;
    for (i = 0; i < BR; i++) {
        double t = -1.0 + 2.0 * (double)i / (BR - 1);
        for (j = 0; j < BC; j++) b_a[i * BC + j] = pow(t, (double)j);
        b_y[i] = 1.0 + t + 0.1 * sin(3.0 * (double)i);
        b_y2[i * 2] = b_y[i];
        b_y2[i * 2 + 1] = 2.0 - t;
        b_sigma[i] = 1.0 + 0.1 * (double)i;
    }
}

/*
 * ik_linear_fit must return `expected`, its message must contain `needle`, and *result must be
 * NULL afterwards. Counts up to three test cases.
 */
static void fit_expect(int line, ik_status_t expected, const char* needle, const double* a,
                       size_t rows, size_t cols, int32_t layout, const double* y, size_t n_rhs,
                       const double* sigma, const ik_linear_options_t* options) {
    static char sentinel;
    ik_linear_result_t* marker = (ik_linear_result_t*)(void*)&sentinel;
    ik_linear_result_t* r = marker;
    ik_status_t s = ik_linear_fit(a, rows, cols, layout, y, n_rhs, sigma, options, &r);
    ik_test_status(s, expected, __FILE__, line, "ik_linear_fit");
    if (needle != NULL && s != IK_OK) ik_test_message_has(needle, __FILE__, line);
    if (s != IK_OK) ik_test_record(r == NULL, __FILE__, line, "*result is NULL after a failure");
    if (s == IK_OK && r != marker) ik_linear_result_free(r);
}
#define FIT_EXPECT(expected, needle, a, rows, cols, layout, y, n_rhs, sigma, options) \
    fit_expect(__LINE__, expected, needle, a, rows, cols, layout, y, n_rhs, sigma, options)

static void test_fit_bad_inputs(void) {
    double a[BR * BC], a_cm[BR * BC], y[BR], y2[BR * 2], y2_cm[BR * 2], s[BR];
    ik_linear_options_t o;
    ik_linear_result_t* r = NULL;

    /* NULL pointers; NULL options is fine; NULL sigma is fine */
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "a", NULL, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "y", b_a, BR, BC, IK_ROW_MAJOR, NULL, 1, b_sigma, NULL);
    CHECK_ERR(ik_linear_fit(b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL, NULL),
              IK_ERR_INVALID_ARGUMENT, "result");
    FIT_EXPECT(IK_OK, NULL, b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_OK, NULL, b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, NULL, NULL);

    /* zero sizes */
    FIT_EXPECT(IK_ERR_DIMENSION, "rows", b_a, 0, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_DIMENSION, "cols", b_a, BR, 0, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_DIMENSION, "n_rhs", b_a, BR, BC, IK_ROW_MAJOR, b_y, 0, b_sigma, NULL);

    /* layout */
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "layout", b_a, BR, BC, 7, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "layout", b_a, BR, BC, 0, b_y, 1, b_sigma, NULL);

    /* non-finite values, named by (row, column) whatever the layout */
    memcpy(a, b_a, sizeof a);
    a[2 * BC + 5] = NAN;
    FIT_EXPECT(IK_ERR_NONFINITE, "a[2,5]", a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    to_col_major(b_a, BR, BC, a_cm);
    a_cm[2 + 5 * BR] = NAN;
    FIT_EXPECT(IK_ERR_NONFINITE, "a[2,5]", a_cm, BR, BC, IK_COL_MAJOR, b_y, 1, b_sigma, NULL);
    memcpy(a, b_a, sizeof a);
    a[7 * BC + 0] = -INFINITY;
    FIT_EXPECT(IK_ERR_NONFINITE, "a[7,0]", a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);

    memcpy(y, b_y, sizeof y);
    y[17] = INFINITY;
    FIT_EXPECT(IK_ERR_NONFINITE, "y[17]", b_a, BR, BC, IK_ROW_MAJOR, y, 1, b_sigma, NULL);
    memcpy(y2, b_y2, sizeof y2);
    y2[3 * 2 + 1] = INFINITY;
    FIT_EXPECT(IK_ERR_NONFINITE, "y[3,1]", b_a, BR, BC, IK_ROW_MAJOR, y2, 2, b_sigma, NULL);
    to_col_major(b_y2, BR, 2, y2_cm);
    y2_cm[3 + 1 * BR] = INFINITY;
    to_col_major(b_a, BR, BC, a_cm);
    FIT_EXPECT(IK_ERR_NONFINITE, "y[3,1]", a_cm, BR, BC, IK_COL_MAJOR, y2_cm, 2, b_sigma, NULL);

    memcpy(s, b_sigma, sizeof s);
    s[4] = NAN;
    FIT_EXPECT(IK_ERR_NONFINITE, "sigma[4]", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, s, NULL);
    s[4] = INFINITY;
    FIT_EXPECT(IK_ERR_NONFINITE, "sigma[4]", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, s, NULL);
    memcpy(s, b_sigma, sizeof s);
    s[3] = 0.0;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "sigma[3]", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, s, NULL);
    s[3] = -2.0;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "sigma[3]", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1, s, NULL);

    /* singular designs */
    memcpy(a, b_a, sizeof a);
    {
        size_t i;
        for (i = 0; i < BR; i++) a[i * BC + 4] = 0.0;
    }
    FIT_EXPECT(IK_ERR_SINGULAR, "column", a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_SINGULAR, "4", a, BR, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    FIT_EXPECT(IK_ERR_SINGULAR, NULL, b_a, 4, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL);
    o = defaults();
    o.allow_rank_deficient = 1;
    r = NULL;
    CHECK_OK(ik_linear_fit(b_a, 4, BC, IK_ROW_MAJOR, b_y, 1, b_sigma, &o, &r));
    if (r) {
        ik_linear_info_t info = info_of(r);
        CHECK((info.flags & IK_LINEAR_FLAG_RANK_DEFICIENT) != 0);
        CHECK(info.rank < info.cols);
        CHECK(info.rank == 4);
        ik_linear_result_free(r);
    }

    /* options out of range, each named */
    o = defaults();
    o.struct_size = 0;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->struct_size", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o.struct_size = (size_t)1 << 30;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->struct_size", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.method = 9;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->method", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.refine = -5;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->refine", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.rcond = NAN;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->rcond", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.n_threads = -1;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->n_threads", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.reserved = 1;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->reserved", b_a, BR, BC, IK_ROW_MAJOR, b_y, 1,
               b_sigma, &o);
    o = defaults();
    o.absolute_sigma = 2;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->absolute_sigma", b_a, BR, BC, IK_ROW_MAJOR, b_y,
               1, b_sigma, &o);
    o = defaults();
    o.allow_rank_deficient = -1;
    FIT_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->allow_rank_deficient", b_a, BR, BC,
               IK_ROW_MAJOR, b_y, 1, b_sigma, &o);
}

typedef ik_status_t (*getter_fn)(const ik_linear_result_t*, double*, size_t);

static void test_getter_bad_inputs(void) {
    static const struct {
        const char* name;
        getter_fn fn;
        size_t len; /* the exact length needed for the BR x 3 fit with 2 right-hand sides */
    } getters[] = {
        {"ik_linear_result_params", ik_linear_result_params, 3 * 2},
        {"ik_linear_result_stderr", ik_linear_result_stderr, 3 * 2},
        {"ik_linear_result_corr", ik_linear_result_corr, 3 * 3},
        {"ik_linear_result_residuals", ik_linear_result_residuals, BR * 2},
        {"ik_linear_result_chi2", ik_linear_result_chi2, 2},
        {"ik_linear_result_r2", ik_linear_result_r2, 2},
        {"ik_linear_result_singular_values", ik_linear_result_singular_values, 3},
    };
    double buf[BR * 2 + 8];
    size_t g;
    ik_linear_info_t info;
    ik_linear_result_t* r = FIT_OK(b_a, BR, 3, IK_ROW_MAJOR, b_y2, 2, b_sigma, NULL);
    if (!r) return;
    for (g = 0; g < sizeof getters / sizeof getters[0]; g++) {
        char what[128];
        ik_status_t s;
        snprintf(what, sizeof what, "%s(len = %lu) succeeds", getters[g].name,
                 (unsigned long)getters[g].len);
        s = getters[g].fn(r, buf, getters[g].len);
        ik_test_status(s, IK_OK, __FILE__, __LINE__, what);
        s = getters[g].fn(r, buf, getters[g].len + 5); /* longer is fine */
        ik_test_status(s, IK_OK, __FILE__, __LINE__, what);
        snprintf(what, sizeof what, "%s(len = %lu) too short", getters[g].name,
                 (unsigned long)(getters[g].len - 1));
        s = getters[g].fn(r, buf, getters[g].len - 1);
        ik_test_status(s, IK_ERR_DIMENSION, __FILE__, __LINE__, what);
        CHECK_ERRMSG("out"); /* names the buffer ... */
        snprintf(what, sizeof what, "%lu", (unsigned long)(getters[g].len - 1));
        CHECK_ERRMSG(what); /* ... and the length given */
        snprintf(what, sizeof what, "%s(out = NULL)", getters[g].name);
        s = getters[g].fn(r, NULL, getters[g].len);
        ik_test_status(s, IK_ERR_INVALID_ARGUMENT, __FILE__, __LINE__, what);
        CHECK_ERRMSG("out");
        snprintf(what, sizeof what, "%s(result = NULL)", getters[g].name);
        s = getters[g].fn(NULL, buf, getters[g].len);
        ik_test_status(s, IK_ERR_INVALID_ARGUMENT, __FILE__, __LINE__, what);
        CHECK_ERRMSG("result");
    }
    CHECK_OK(ik_linear_result_cov(r, 1, buf, 9));
    CHECK_ERR(ik_linear_result_cov(r, 2, buf, 9), IK_ERR_INVALID_ARGUMENT, "rhs");
    CHECK_ERR(ik_linear_result_cov(r, SIZE_MAX, buf, 9), IK_ERR_INVALID_ARGUMENT, "rhs");
    CHECK_ERR(ik_linear_result_cov(r, 0, buf, 8), IK_ERR_DIMENSION, "out");
    CHECK_ERRMSG("8");
    CHECK_ERR(ik_linear_result_cov(r, 0, NULL, 9), IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_ERR(ik_linear_result_cov(NULL, 0, buf, 9), IK_ERR_INVALID_ARGUMENT, "result");

    memset(&info, 0, sizeof info);
    CHECK_ERR(ik_linear_result_info(r, &info), IK_ERR_INVALID_ARGUMENT, "struct_size");
    info.struct_size = sizeof info;
    CHECK_ERR(ik_linear_result_info(r, NULL), IK_ERR_INVALID_ARGUMENT, "info");
    CHECK_ERR(ik_linear_result_info(NULL, &info), IK_ERR_INVALID_ARGUMENT, "result");
    ik_linear_result_free(r);
}

static void test_predict_bad_inputs(void) {
    double a_new[2 * 3] = {1, 0.5, 0.25, 1, -0.5, 0.25}, mean[4], sd[4], xn[2] = {0.1, 0.2};
    ik_linear_result_t *r = FIT_OK(b_a, BR, 3, IK_ROW_MAJOR, b_y, 1, b_sigma, NULL), *rp = NULL;
    if (!r) return;
    CHECK_OK(ik_linear_predict(r, a_new, 2, 3, IK_ROW_MAJOR, mean, sd));
    CHECK_ERR(ik_linear_predict(r, a_new, 3, 2, IK_ROW_MAJOR, mean, sd), IK_ERR_DIMENSION, "cols");
    CHECK_ERR(ik_linear_predict(r, a_new, 1, 4, IK_ROW_MAJOR, mean, sd), IK_ERR_DIMENSION, "cols");
    CHECK_ERR(ik_linear_predict(r, a_new, 0, 3, IK_ROW_MAJOR, mean, sd), IK_ERR_DIMENSION, "rows");
    CHECK_ERR(ik_linear_predict(r, NULL, 2, 3, IK_ROW_MAJOR, mean, sd), IK_ERR_INVALID_ARGUMENT,
              "a_new");
    CHECK_ERR(ik_linear_predict(r, a_new, 2, 3, IK_ROW_MAJOR, NULL, sd), IK_ERR_INVALID_ARGUMENT,
              "mean");
    CHECK_ERR(ik_linear_predict(r, a_new, 2, 3, 7, mean, sd), IK_ERR_INVALID_ARGUMENT, "layout");
    CHECK_ERR(ik_linear_predict(NULL, a_new, 2, 3, IK_ROW_MAJOR, mean, sd),
              IK_ERR_INVALID_ARGUMENT, "result");
    a_new[1 * 3 + 2] = NAN;
    CHECK_ERR(ik_linear_predict(r, a_new, 2, 3, IK_ROW_MAJOR, mean, sd), IK_ERR_NONFINITE,
              "a_new[1,2]");

    /* predict_x needs a result of ik_linear_polyfit */
    CHECK_ERR(ik_linear_predict_x(r, xn, 2, mean, sd), IK_ERR_INVALID_ARGUMENT, "result");
    CHECK_ERR(ik_linear_predict_x(NULL, xn, 2, mean, sd), IK_ERR_INVALID_ARGUMENT, "result");
    ik_linear_result_free(r);

    CHECK_OK(ik_linear_polyfit(g_x, NR, g_y, 1, IK_ROW_MAJOR, NULL, 2, IK_BASIS_MONOMIAL, NULL, 0.0,
                               NULL, &rp));
    if (!rp) return;
    CHECK_OK(ik_linear_predict_x(rp, xn, 2, mean, sd));
    CHECK_ERR(ik_linear_predict_x(rp, NULL, 2, mean, sd), IK_ERR_INVALID_ARGUMENT, "x");
    CHECK_ERR(ik_linear_predict_x(rp, xn, 0, mean, sd), IK_ERR_DIMENSION, "n");
    CHECK_ERR(ik_linear_predict_x(rp, xn, 2, NULL, sd), IK_ERR_INVALID_ARGUMENT, "mean");
    xn[1] = NAN;
    CHECK_ERR(ik_linear_predict_x(rp, xn, 2, mean, sd), IK_ERR_NONFINITE, "x[1]");
    ik_linear_result_free(rp);
}

static void test_design_bad_inputs(void) {
    double x[4] = {0.0, 1.0, 2.0, 3.0}, same[3] = {1.5, 1.5, 1.5}, out[4 * 8];
    const double flat[2] = {1.0, 1.0}, dom[2] = {0.0, 3.0};
    size_t cols = 0;

    CHECK_ERR(ik_design_columns(99, 3, &cols), IK_ERR_INVALID_ARGUMENT, "basis");
    CHECK_ERR(ik_design_columns(-1, 3, &cols), IK_ERR_INVALID_ARGUMENT, "basis");
    CHECK_ERR(ik_design_columns(IK_BASIS_MONOMIAL, 3, NULL), IK_ERR_INVALID_ARGUMENT, "cols");
    /* a degree whose column count would overflow is out of range */
    CHECK_ERR(ik_design_columns(IK_BASIS_FOURIER, SIZE_MAX / 2, &cols), IK_ERR_INVALID_ARGUMENT,
              "degree");
    CHECK_ERR(ik_design_columns(IK_BASIS_MONOMIAL, SIZE_MAX, &cols), IK_ERR_INVALID_ARGUMENT,
              "degree");

    CHECK_OK(ik_design_matrix(IK_BASIS_MONOMIAL, x, 4, 3, NULL, 0.0, IK_ROW_MAJOR, out, 16));
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, x, 4, 3, NULL, 0.0, IK_ROW_MAJOR, out, 15),
              IK_ERR_DIMENSION, "out");
    CHECK_ERRMSG("15");
    CHECK_ERR(ik_design_matrix(IK_BASIS_FOURIER, x, 4, 2, NULL, 1.0, IK_ROW_MAJOR, out, 19),
              IK_ERR_DIMENSION, "out");
    CHECK_ERRMSG("19");
    CHECK_ERR(ik_design_matrix(42, x, 4, 3, NULL, 1.0, IK_ROW_MAJOR, out, 32),
              IK_ERR_INVALID_ARGUMENT, "basis");
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, NULL, 4, 3, NULL, 0.0, IK_ROW_MAJOR, out, 16),
              IK_ERR_INVALID_ARGUMENT, "x");
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, x, 0, 3, NULL, 0.0, IK_ROW_MAJOR, out, 16),
              IK_ERR_DIMENSION, "n");
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, x, 4, 3, NULL, 0.0, IK_ROW_MAJOR, NULL, 16),
              IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, x, 4, 3, NULL, 0.0, 7, out, 16),
              IK_ERR_INVALID_ARGUMENT, "layout");
    CHECK_ERR(ik_design_matrix(IK_BASIS_FOURIER, x, 4, 2, NULL, 0.0, IK_ROW_MAJOR, out, 20),
              IK_ERR_INVALID_ARGUMENT, "period");
    CHECK_ERR(ik_design_matrix(IK_BASIS_FOURIER, x, 4, 2, NULL, -1.0, IK_ROW_MAJOR, out, 20),
              IK_ERR_INVALID_ARGUMENT, "period");
    CHECK_ERR(ik_design_matrix(IK_BASIS_FOURIER, x, 4, 2, NULL, NAN, IK_ROW_MAJOR, out, 20),
              IK_ERR_INVALID_ARGUMENT, "period");
    CHECK_ERR(ik_design_matrix(IK_BASIS_COSINE, x, 4, 2, NULL, 0.0, IK_ROW_MAJOR, out, 12),
              IK_ERR_INVALID_ARGUMENT, "period");
    CHECK_ERR(ik_design_matrix(IK_BASIS_LEGENDRE, x, 4, 2, flat, 0.0, IK_ROW_MAJOR, out, 12),
              IK_ERR_INVALID_ARGUMENT, "domain");
    CHECK_ERR(ik_design_matrix(IK_BASIS_CHEBYSHEV, x, 4, 2, flat, 0.0, IK_ROW_MAJOR, out, 12),
              IK_ERR_INVALID_ARGUMENT, "domain");
    /* ignored arguments are ignored */
    CHECK_OK(ik_design_matrix(IK_BASIS_FOURIER, x, 4, 2, flat, 1.0, IK_ROW_MAJOR, out, 20));
    CHECK_OK(ik_design_matrix(IK_BASIS_LEGENDRE, x, 4, 2, dom, -1.0, IK_ROW_MAJOR, out, 12));
    /* domain NULL with all x equal: [min x, max x] is empty */
    CHECK(ik_design_matrix(IK_BASIS_LEGENDRE, same, 3, 2, NULL, 0.0, IK_ROW_MAJOR, out, 9) != IK_OK);
    x[2] = NAN;
    CHECK_ERR(ik_design_matrix(IK_BASIS_MONOMIAL, x, 4, 3, NULL, 0.0, IK_ROW_MAJOR, out, 16),
              IK_ERR_NONFINITE, "x[2]");
    x[2] = INFINITY;
    CHECK_ERR(ik_design_matrix(IK_BASIS_CHEBYSHEV, x, 4, 3, NULL, 0.0, IK_ROW_MAJOR, out, 16),
              IK_ERR_NONFINITE, "x[2]");
}

static void polyfit_expect(int line, ik_status_t expected, const char* needle, const double* x,
                           size_t n, const double* y, size_t n_rhs, int32_t y_layout,
                           const double* sigma, size_t degree, int32_t basis,
                           const double* domain, double period, const ik_linear_options_t* o) {
    static char sentinel;
    ik_linear_result_t* marker = (ik_linear_result_t*)(void*)&sentinel;
    ik_linear_result_t* r = marker;
    ik_status_t s = ik_linear_polyfit(x, n, y, n_rhs, y_layout, sigma, degree, basis, domain,
                                      period, o, &r);
    ik_test_status(s, expected, __FILE__, line, "ik_linear_polyfit");
    if (needle != NULL && s != IK_OK) ik_test_message_has(needle, __FILE__, line);
    if (s != IK_OK) ik_test_record(r == NULL, __FILE__, line, "*result is NULL after a failure");
    if (s == IK_OK && r != marker) ik_linear_result_free(r);
}
#define POLY_EXPECT(expected, needle, x, n, y, n_rhs, lay, sigma, deg, basis, dom, period, o) \
    polyfit_expect(__LINE__, expected, needle, x, n, y, n_rhs, lay, sigma, deg, basis, dom, period, o)

static void test_polyfit_bad_inputs(void) {
    double x[NR], y[NR], s[NR];
    const double flat[2] = {0.5, 0.5};
    ik_linear_options_t o = defaults();
    memcpy(x, g_x, sizeof x);
    memcpy(y, g_y, sizeof y);
    memcpy(s, g_sigma, sizeof s);

    POLY_EXPECT(IK_OK, NULL, x, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL, 0.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "x", NULL, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL,
                NULL, 0.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "y", x, NR, NULL, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL,
                NULL, 0.0, NULL);
    POLY_EXPECT(IK_ERR_DIMENSION, "n", x, 0, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL, 0.0,
                NULL);
    POLY_EXPECT(IK_ERR_DIMENSION, "n_rhs", x, NR, y, 0, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL,
                0.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "y_layout", x, NR, y, 1, 7, s, 2, IK_BASIS_MONOMIAL, NULL,
                0.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "basis", x, NR, y, 1, IK_ROW_MAJOR, s, 2, 99, NULL, 0.0,
                NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "period", x, NR, y, 1, IK_ROW_MAJOR, s, 2,
                IK_BASIS_FOURIER, NULL, 0.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "period", x, NR, y, 1, IK_ROW_MAJOR, s, 2,
                IK_BASIS_COSINE, NULL, -3.0, NULL);
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "domain", x, NR, y, 1, IK_ROW_MAJOR, s, 2,
                IK_BASIS_LEGENDRE, flat, 0.0, NULL);
    POLY_EXPECT(IK_ERR_SINGULAR, NULL, x, 4, y, 1, IK_ROW_MAJOR, s, 5, IK_BASIS_MONOMIAL, NULL, 0.0,
                NULL);
    CHECK_ERR(ik_linear_polyfit(x, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL, 0.0, NULL,
                                NULL),
              IK_ERR_INVALID_ARGUMENT, "result");
    o.method = 9;
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "options->method", x, NR, y, 1, IK_ROW_MAJOR, s, 2,
                IK_BASIS_MONOMIAL, NULL, 0.0, &o);

    x[4] = NAN;
    POLY_EXPECT(IK_ERR_NONFINITE, "x[4]", x, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL,
                0.0, NULL);
    POLY_EXPECT(IK_ERR_NONFINITE, "x[4]", x, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_CHEBYSHEV, NULL,
                0.0, NULL);
    memcpy(x, g_x, sizeof x);
    y[5] = INFINITY;
    POLY_EXPECT(IK_ERR_NONFINITE, "y[5]", x, NR, y, 1, IK_ROW_MAJOR, s, 2, IK_BASIS_MONOMIAL, NULL,
                0.0, NULL);
    memcpy(y, g_y, sizeof y);
    s[3] = 0.0;
    POLY_EXPECT(IK_ERR_INVALID_ARGUMENT, "sigma[3]", x, NR, y, 1, IK_ROW_MAJOR, s, 2,
                IK_BASIS_MONOMIAL, NULL, 0.0, NULL);
}

int main(void) {
    make_data();
    make_bad_data();
    test_exact_fit();
    test_weighted_fit();
    test_absolute_sigma();
    test_layouts();
    test_multiple_rhs();
    test_no_dof();
    test_rank_deficient();
    test_options();
    test_design_matrices();
    test_predict();
    test_polyfit();
    test_fit_bad_inputs();
    test_getter_bad_inputs();
    test_predict_bad_inputs();
    test_design_bad_inputs();
    test_polyfit_bad_inputs();
    return ik_test_summary("test_linear");
}
