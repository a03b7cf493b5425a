/*
 * test_regularization.c - convolution matrices, Tikhonov regularisation, deconvolution, the
 * truncated SVD, non-negative and bounded least squares (ik_convolution_*, ik_tikhonov*,
 * ik_deconvolve, ik_tsvd*, ik_nnls, ik_bvls) through the C ABI.
 *
 * Every expected value is computed here, independently of the library: the convolution sum
 * written out, the regularised normal equations (A^T W A + lam L^T L) f = A^T W y of small,
 * well-conditioned problems solved by Gauss-Jordan elimination, the trace of the influence
 * matrix, GCV from its definition, and hand-checked NNLS/BVLS solutions. The second half feeds
 * every bad input the header allows and asserts the exact status and that ik_last_error()
 * names the culprit.
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define M 12  /* observations of the test problem */
#define N 6   /* unknowns */
#define MAXN 16

/* ---------------------------------------------------------------------------------------- */
/* Reference computations                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Inverse of the n x n row-major matrix by Gauss-Jordan with partial pivoting; 0 if singular. */
static int ref_inverse(const double* a, size_t n, double* inv) {
    double w[MAXN][2 * MAXN];
    size_t i, j, k;
    if (n > MAXN) return 0;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            w[i][j] = a[i * n + j];
            w[i][n + j] = (i == j) ? 1.0 : 0.0;
        }
    for (k = 0; k < n; k++) {
        size_t p = k;
        double pivot;
        for (i = k + 1; i < n; i++)
            if (fabs(w[i][k]) > fabs(w[p][k])) p = i;
        if (w[p][k] == 0.0) return 0;
        for (j = 0; j < 2 * n; j++) {
            double t = w[k][j];
            w[k][j] = w[p][j];
            w[p][j] = t;
        }
        pivot = w[k][k];
        for (j = 0; j < 2 * n; j++) w[k][j] /= pivot;
        for (i = 0; i < n; i++) {
            double f = w[i][k];
            if (i == k || f == 0.0) continue;
            for (j = 0; j < 2 * n; j++) w[i][j] -= f * w[k][j];
        }
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) inv[i * n + j] = w[i][n + j];
    return 1;
}

/* The dense penalty of the given order (0 identity, 1 first, 2 second difference), p x n. */
static size_t ref_penalty(int order, size_t n, double* l) {
    size_t p = n - (size_t)order, i;
    memset(l, 0, p * n * sizeof(double));
    for (i = 0; i < p; i++) {
        if (order == 0) l[i * n + i] = 1.0;
        if (order == 1) {
            l[i * n + i] = -1.0;
            l[i * n + i + 1] = 1.0;
        }
        if (order == 2) {
            l[i * n + i] = 1.0;
            l[i * n + i + 1] = -2.0;
            l[i * n + i + 2] = 1.0;
        }
    }
    return p;
}

/*
 * Tikhonov by the normal equations (fine for these small well-conditioned problems):
 * f = (A^T W A + lam L^T L)^-1 A^T W y, the inverse, the trace of the influence matrix
 * H = A Minv A^T W, the weighted residual norm and ||L f||.
 */
static void ref_tikhonov(const double* a, size_t m, size_t n, const double* y, const double* sigma,
                         const double* l, size_t p, double lam, double* f, double* inverse,
                         double* trace, double* rnorm, double* lnorm) {
    double mat[MAXN * MAXN], rhs[MAXN];
    size_t i, j, k;
    for (j = 0; j < n; j++) {
        rhs[j] = 0.0;
        for (k = 0; k < n; k++) {
            double s = 0.0;
            for (i = 0; i < m; i++) s += a[i * n + j] * a[i * n + k] / (sigma[i] * sigma[i]);
            for (i = 0; i < p; i++) s += lam * l[i * n + j] * l[i * n + k];
            mat[j * n + k] = s;
        }
        for (i = 0; i < m; i++) rhs[j] += a[i * n + j] * y[i] / (sigma[i] * sigma[i]);
    }
    ref_inverse(mat, n, inverse);
    for (j = 0; j < n; j++) {
        f[j] = 0.0;
        for (k = 0; k < n; k++) f[j] += inverse[j * n + k] * rhs[k];
    }
    *trace = 0.0;
    for (i = 0; i < m; i++) {
        double h = 0.0; /* H_ii = a_i^T Minv a_i / sigma_i^2 */
        for (j = 0; j < n; j++)
            for (k = 0; k < n; k++) h += a[i * n + j] * inverse[j * n + k] * a[i * n + k];
        *trace += h / (sigma[i] * sigma[i]);
    }
    *rnorm = 0.0;
    for (i = 0; i < m; i++) {
        double r = y[i];
        for (j = 0; j < n; j++) r -= a[i * n + j] * f[j];
        *rnorm += (r / sigma[i]) * (r / sigma[i]);
    }
    *rnorm = sqrt(*rnorm);
    *lnorm = 0.0;
    for (i = 0; i < p; i++) {
        double s = 0.0;
        for (j = 0; j < n; j++) s += l[i * n + j] * f[j];
        *lnorm += s * s;
    }
    *lnorm = sqrt(*lnorm);
}

static double max_abs(const double* v, size_t n) {
    double m = 0.0;
    size_t i;
    for (i = 0; i < n; i++)
        if (fabs(v[i]) > m) m = fabs(v[i]);
    return m;
}

/* ---------------------------------------------------------------------------------------- */
/* Test data                                                                                */
/* ---------------------------------------------------------------------------------------- */

static double g_a[M * N], g_y[M], g_sigma[M];

static void make_data(void) {
    size_t i, j;
    for (i = 0; i < M; i++) {
        for (j = 0; j < N; j++) g_a[i * N + j] = sin(1.3 * (double)(i + 1) * (double)(j + 1)) + (i == j ? 2.0 : 0.0);
        g_y[i] = cos(0.7 * (double)i) + 0.1 * (double)i;
        g_sigma[i] = 0.5 + 0.1 * (double)(i % 3);
    }
}

static ik_tikhonov_options_t tik_defaults(void) {
    ik_tikhonov_options_t o;
    ik_tikhonov_options_default(&o);
    return o;
}

static ik_tikhonov_info_t tik_info(const ik_tikhonov_result_t* r) {
    ik_tikhonov_info_t info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_tikhonov_result_info(r, &info));
    return info;
}

/* ---------------------------------------------------------------------------------------- */
/* Convolution matrices                                                                     */
/* ---------------------------------------------------------------------------------------- */

static void test_convolution(void) {
    const double kernel[4] = {1.0, -2.0, 0.5, 3.0};
    double out[13 * 10], col[13 * 10];
    size_t rows = 0, i, j, n = 10, m;
    int bad = 0;
    for (m = 1; m <= 4; m++) {
        /* full: R[i][j] = kernel[i - j] */
        CHECK_OK(ik_convolution_rows(m, n, IK_CONVOLUTION_FULL, &rows));
        CHECK(rows == n + m - 1);
        CHECK_OK(ik_convolution_matrix(kernel, m, n, IK_CONVOLUTION_FULL, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, rows * n));
        CHECK_OK(ik_convolution_matrix(kernel, m, n, IK_CONVOLUTION_FULL, IK_BOUNDARY_ZERO, IK_COL_MAJOR, col, rows * n));
        bad = 0;
        for (i = 0; i < rows; i++)
            for (j = 0; j < n; j++) {
                double want = (i >= j && i - j < m) ? kernel[i - j] : 0.0;
                if (out[i * n + j] != want || col[i + j * rows] != want) bad++;
            }
        CHECK_MSG(bad == 0, "full convolution matrix = kernel[i - j]");
        /* same: rows (m - 1) / 2 .. of the full matrix */
        CHECK_OK(ik_convolution_rows(m, n, IK_CONVOLUTION_SAME, &rows));
        CHECK(rows == n);
        CHECK_OK(ik_convolution_matrix(kernel, m, n, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, n * n));
        bad = 0;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++) {
                size_t r = i + (m - 1) / 2;
                double want = (r >= j && r - j < m) ? kernel[r - j] : 0.0;
                if (out[i * n + j] != want) bad++;
            }
        CHECK_MSG(bad == 0, "same convolution matrix = rows (m-1)/2.. of the full one");
        /* reflect: every row sums to the kernel's sum, and R f for f = arange is the
           convolution of the mirrored signal */
        CHECK_OK(ik_convolution_matrix(kernel, m, n, IK_CONVOLUTION_SAME, IK_BOUNDARY_REFLECT, IK_ROW_MAJOR, out, n * n));
        bad = 0;
        for (i = 0; i < n; i++) {
            double s = 0.0, want = 0.0, sum = 0.0, k;
            size_t q;
            for (j = 0; j < n; j++) {
                s += out[i * n + j];
                sum += out[i * n + j] * (double)j;
            }
            for (q = 0; q < m; q++) {
                long idx = (long)i + (long)((m - 1) / 2) - (long)q;
                if (idx < 0) idx = -idx - 1;
                if (idx >= (long)n) idx = 2 * (long)n - 1 - idx;
                want += kernel[q] * (double)idx;
            }
            k = 0.0;
            for (q = 0; q < m; q++) k += kernel[q];
            if (fabs(s - k) > 1e-14 || fabs(sum - want) > 1e-12) bad++;
        }
        CHECK_MSG(bad == 0, "reflecting convolution matrix");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Tikhonov                                                                                 */
/* ---------------------------------------------------------------------------------------- */

static void test_tikhonov_fixed(void) {
    const int32_t penalties[4] = {IK_PENALTY_IDENTITY, IK_PENALTY_FIRST_DIFFERENCE,
                                  IK_PENALTY_SECOND_DIFFERENCE, IK_PENALTY_MATRIX};
    const double lams[3] = {1e-3, 0.5, 20.0};
    double l[MAXN * MAXN], lcol[MAXN * MAXN], acol[M * N];
    double f[N], inverse[N * N], trace, rnorm, lnorm, got[N], cov[N * N];
    size_t p = 0, i, j, t, q;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) acol[i + j * M] = g_a[i * N + j];
    for (t = 0; t < 4; t++) {
        for (q = 0; q < 3; q++) {
            ik_tikhonov_options_t o = tik_defaults();
            ik_tikhonov_result_t* r = NULL;
            ik_tikhonov_info_t info;
            int layout;
            if (penalties[t] == IK_PENALTY_MATRIX) {
                p = 4; /* a random-ish full-rank 4 x N penalty */
                for (i = 0; i < p; i++)
                    for (j = 0; j < N; j++) l[i * N + j] = cos(0.9 * (double)(i * N + j)) + (i == j ? 1.0 : 0.0);
            } else {
                p = ref_penalty((int)t, N, l);
            }
            for (i = 0; i < p; i++)
                for (j = 0; j < N; j++) lcol[i + j * p] = l[i * N + j];
            ref_tikhonov(g_a, M, N, g_y, g_sigma, l, p, lams[q], f, inverse, &trace, &rnorm, &lnorm);
            o.method = IK_REG_FIXED;
            o.lam = lams[q];
            o.absolute_sigma = 1;
            for (layout = 0; layout < 2; layout++) {
                ik_status_t s;
                o.stacked_qr = layout; /* the solution from the SVD, then from the stacked QR */
                s = layout == 0
                    ? ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, penalties[t], l, p, NULL, 0, &o, &r)
                    : ik_tikhonov(acol, M, N, IK_COL_MAJOR, g_y, g_sigma, penalties[t], lcol, p, NULL, 0, &o, &r);
                if (!CHECK_STATUS(s, IK_OK)) continue;
                CHECK_OK(ik_tikhonov_result_params(r, got, N));
                for (j = 0; j < N; j++) CHECK_CLOSE(got[j], f[j], 1e-10, 1e-12 * max_abs(f, N));
                CHECK_OK(ik_tikhonov_result_cov(r, cov, N * N));
                for (j = 0; j < N * N; j++) CHECK_CLOSE(cov[j], inverse[j], 1e-9, 1e-12 * max_abs(inverse, N * N));
                info = tik_info(r);
                CHECK(info.rows == M && info.cols == N && info.penalty_rows == p);
                CHECK(info.null_dim == (size_t)(penalties[t] == IK_PENALTY_MATRIX ? N - p : (size_t)t % 3));
                CHECK(info.method == IK_REG_FIXED && info.lam == lams[q] && info.absolute_sigma == 1);
                CHECK(info.noise_variance == 1.0 && info.nonnegative == 0);
                CHECK_CLOSE(info.edf, trace, 1e-10, 0.0);
                CHECK_CLOSE(info.residual_norm, rnorm, 1e-10, 0.0);
                CHECK_CLOSE(info.solution_norm, lnorm, 1e-10, 0.0);
                CHECK_CLOSE(info.gcv, (double)M * rnorm * rnorm / (((double)M - trace) * ((double)M - trace)), 1e-10, 0.0);
                ik_tikhonov_result_free(r);
                r = NULL;
            }
        }
    }
}

static void test_tikhonov_relative_sigma(void) {
    double l[MAXN * MAXN], f[N], inverse[N * N], trace, rnorm, lnorm, cov[N * N];
    size_t p = ref_penalty(1, N, l), j;
    ik_tikhonov_options_t o = tik_defaults();
    ik_tikhonov_result_t* r = NULL;
    ik_tikhonov_info_t info;
    double s2;
    o.method = IK_REG_FIXED;
    o.lam = 0.3;
    ref_tikhonov(g_a, M, N, g_y, g_sigma, l, p, 0.3, f, inverse, &trace, &rnorm, &lnorm);
    s2 = rnorm * rnorm / ((double)M - trace);
    if (!CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, NULL, 0, &o, &r))) return;
    info = tik_info(r);
    CHECK_CLOSE(info.noise_variance, s2, 1e-10, 0.0);
    CHECK(info.absolute_sigma == 0);
    CHECK_OK(ik_tikhonov_result_cov(r, cov, N * N));
    for (j = 0; j < N * N; j++) CHECK_CLOSE(cov[j], s2 * inverse[j], 1e-9, 1e-12 * s2 * max_abs(inverse, N * N));
    ik_tikhonov_result_free(r);
}

static void test_tikhonov_choices(void) {
    double grid[9], lam[9], res[9], sol[9], gcv[9], curv[9], sv[N], picard[N], ff[N];
    double l[MAXN * MAXN], f[N], inverse[N * N], trace, rnorm, lnorm;
    size_t i, best = 0, p = ref_penalty(2, N, l);
    ik_tikhonov_options_t o = tik_defaults();
    ik_tikhonov_result_t* r = NULL;
    ik_tikhonov_info_t info;
    for (i = 0; i < 9; i++) grid[i] = pow(10.0, -4.0 + 0.5 * (double)i);
    /* GCV over a caller grid: the grid point of least GCV, with the curve as the references */
    if (CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, IK_PENALTY_SECOND_DIFFERENCE, NULL, 0, grid, 9, &o, &r))) {
        info = tik_info(r);
        CHECK(info.n_grid == 9 && info.method == IK_REG_GCV);
        CHECK_OK(ik_tikhonov_result_curve(r, lam, res, sol, gcv, curv, 9));
        CHECK_OK(ik_tikhonov_result_curve(r, NULL, NULL, NULL, NULL, NULL, 0));
        for (i = 0; i < 9; i++) {
            CHECK(lam[i] == grid[i]);
            ref_tikhonov(g_a, M, N, g_y, g_sigma, l, p, grid[i], f, inverse, &trace, &rnorm, &lnorm);
            CHECK_CLOSE(res[i], rnorm, 1e-9, 0.0);
            CHECK_CLOSE(sol[i], lnorm, 1e-9, 0.0);
            CHECK_CLOSE(gcv[i], (double)M * rnorm * rnorm / (((double)M - trace) * ((double)M - trace)), 1e-9, 0.0);
            CHECK(isfinite(curv[i]));
            if (gcv[i] < gcv[best]) best = i;
        }
        CHECK(info.lam == grid[best]);
        CHECK(info.n_singular == N - 2);
        CHECK_OK(ik_tikhonov_result_spectrum(r, sv, picard, ff, N));
        for (i = 0; i < info.n_singular; i++) {
            CHECK(sv[i] > 0.0 && (i == 0 || sv[i] <= sv[i - 1]));
            CHECK_CLOSE(ff[i], sv[i] * sv[i] / (sv[i] * sv[i] + info.lam), 1e-14, 0.0);
        }
        ik_tikhonov_result_free(r);
        r = NULL;
    }
    /* L-curve on the grid: the point of largest curvature */
    o.method = IK_REG_LCURVE;
    if (CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, IK_PENALTY_SECOND_DIFFERENCE, NULL, 0, grid, 9, &o, &r))) {
        best = 0;
        CHECK_OK(ik_tikhonov_result_curve(r, NULL, NULL, NULL, NULL, curv, 9));
        for (i = 1; i < 9; i++)
            if (curv[i] > curv[best]) best = i;
        CHECK(tik_info(r).lam == grid[best]);
        ik_tikhonov_result_free(r);
        r = NULL;
    }
    /* discrepancy on the automatic grid: refined to ||r||^2 = tau^2 m */
    o.method = IK_REG_DISCREPANCY;
    o.discrepancy_factor = 0.5;
    if (CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, IK_PENALTY_IDENTITY, NULL, 0, NULL, 0, &o, &r))) {
        info = tik_info(r);
        CHECK(info.n_grid == 100);
        if (!(info.flags & IK_REG_FLAG_DISCREPANCY_NOT_BRACKETED))
            CHECK_CLOSE(info.residual_norm * info.residual_norm, 0.25 * M, 1e-8, 0.0);
        ik_tikhonov_result_free(r);
        r = NULL;
    }
    /* the automatic grid of GCV with n_grid = 7 */
    o = tik_defaults();
    o.n_grid = 7;
    if (CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, NULL, 0, &o, &r))) {
        CHECK(tik_info(r).n_grid == 7);
        ik_tikhonov_result_free(r);
    }
}

static void test_nonnegative_and_deconvolution(void) {
    const double kernel[5] = {0.1, 0.2, 0.4, 0.2, 0.1};
    double truth[40], y[40], r[40 * 40], f[40], g[40];
    size_t i, j;
    int negative = 0, same = 1;
    ik_tikhonov_options_t o = tik_defaults();
    ik_tikhonov_result_t *a = NULL, *b = NULL;
    for (i = 0; i < 40; i++) truth[i] = exp(-0.5 * pow(((double)i - 18.0) / 3.0, 2.0));
    CHECK_OK(ik_convolution_matrix(kernel, 5, 40, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, r, 40 * 40));
    for (i = 0; i < 40; i++) {
        y[i] = 0.01 * sin(3.1 * (double)i);
        for (j = 0; j < 40; j++) y[i] += r[i * 40 + j] * truth[j];
    }
    if (CHECK_OK(ik_deconvolve(y, 40, kernel, 5, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL,
                               IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, &o, &a)) &&
        CHECK_OK(ik_tikhonov(r, 40, 40, IK_ROW_MAJOR, y, NULL, IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, NULL, 0, &o, &b))) {
        CHECK_OK(ik_tikhonov_result_params(a, f, 40));
        CHECK_OK(ik_tikhonov_result_params(b, g, 40));
        for (i = 0; i < 40; i++)
            if (f[i] != g[i]) same = 0;
        CHECK_MSG(same, "ik_deconvolve equals ik_tikhonov on the convolution matrix");
    }
    ik_tikhonov_result_free(a);
    ik_tikhonov_result_free(b);
    a = NULL;
    o.nonnegative = 1;
    if (CHECK_OK(ik_deconvolve(y, 40, kernel, 5, IK_CONVOLUTION_SAME, IK_BOUNDARY_REFLECT, NULL,
                               IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, &o, &a))) {
        double cov[40 * 40];
        ik_tikhonov_info_t info = tik_info(a);
        CHECK_OK(ik_tikhonov_result_params(a, f, 40));
        for (i = 0; i < 40; i++)
            if (f[i] < 0.0) negative++;
        CHECK_MSG(negative == 0, "non-negative deconvolution");
        CHECK(info.nonnegative == 1);
        CHECK_OK(ik_tikhonov_result_cov(a, cov, 40 * 40));
        for (i = 0; i < 40; i++)
            if (f[i] == 0.0) CHECK(isnan(cov[i * 40 + i]));
            else CHECK(cov[i * 40 + i] > 0.0);
    }
    ik_tikhonov_result_free(a);
}

/* ---------------------------------------------------------------------------------------- */
/* Truncated SVD, NNLS, BVLS                                                                */
/* ---------------------------------------------------------------------------------------- */

static void test_tsvd(void) {
    double l[MAXN * MAXN], f[N], inverse[N * N], trace, rnorm, lnorm, got[N], sv[N], picard[N];
    double res[N], sol[N], gcv[N], cov[N * N];
    size_t j, best = 0;
    ik_tsvd_options_t o;
    ik_tsvd_result_t* r = NULL;
    ik_tsvd_info_t info;
    ik_tsvd_options_default(&o);
    /* k = n keeps everything: weighted least squares (lam = 0 in the reference) */
    o.method = IK_REG_FIXED;
    o.k = N;
    o.absolute_sigma = 1;
    ref_penalty(0, N, l);
    ref_tikhonov(g_a, M, N, g_y, g_sigma, l, N, 0.0, f, inverse, &trace, &rnorm, &lnorm);
    if (CHECK_OK(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, &o, &r))) {
        memset(&info, 0, sizeof info);
        info.struct_size = sizeof info;
        CHECK_OK(ik_tsvd_result_info(r, &info));
        CHECK(info.rank == N && info.k == N && info.n_singular == N && info.method == IK_REG_FIXED);
        CHECK_OK(ik_tsvd_result_params(r, got, N));
        for (j = 0; j < N; j++) CHECK_CLOSE(got[j], f[j], 1e-10, 1e-12);
        CHECK_OK(ik_tsvd_result_cov(r, cov, N * N));
        for (j = 0; j < N * N; j++) CHECK_CLOSE(cov[j], inverse[j], 1e-9, 1e-12 * max_abs(inverse, N * N));
        CHECK_CLOSE(info.residual_norm, rnorm, 1e-10, 0.0);
        CHECK_OK(ik_tsvd_result_spectrum(r, sv, picard, N));
        for (j = 1; j < N; j++) CHECK(sv[j] <= sv[j - 1]);
        ik_tsvd_result_free(r);
        r = NULL;
    }
    /* GCV: the k of least GCV(k) = m ||r_k||^2 / (m - k)^2 */
    ik_tsvd_options_default(&o);
    if (CHECK_OK(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, &o, &r))) {
        memset(&info, 0, sizeof info);
        info.struct_size = sizeof info;
        CHECK_OK(ik_tsvd_result_info(r, &info));
        CHECK_OK(ik_tsvd_result_curve(r, res, sol, gcv, N));
        for (j = 0; j < info.rank; j++) {
            double k = (double)(j + 1);
            CHECK_CLOSE(gcv[j], (double)M * res[j] * res[j] / (((double)M - k) * ((double)M - k)), 1e-12, 0.0);
            if (gcv[j] < gcv[best]) best = j;
            if (j > 0) CHECK(res[j] <= res[j - 1] * (1 + 1e-12) && sol[j] >= sol[j - 1] * (1 - 1e-12));
        }
        CHECK(info.k == best + 1);
        ik_tsvd_result_free(r);
    }
}

static void test_nnls_bvls(void) {
    const double a[6] = {1, 0, 1, 0, 0, 1}; /* 3 x 2 row-major: scipy.optimize.nnls's example */
    const double b1[3] = {2, 1, 1}, b2[3] = {-1, -1, -1};
    double x[2], rnorm;
    const double lower[2] = {-INFINITY, 0.0}, upper[2] = {1.2, 0.5};
    CHECK_OK(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b1, NULL, x, 2, &rnorm));
    CHECK_CLOSE(x[0], 1.5, 1e-15, 0.0);
    CHECK_CLOSE(x[1], 1.0, 1e-15, 0.0);
    CHECK_CLOSE(rnorm, sqrt(0.5), 1e-15, 0.0);
    CHECK_OK(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b2, NULL, x, 2, NULL));
    CHECK(x[0] == 0.0 && x[1] == 0.0);
    /* bounds: x0 <= 1.2 binds (free optimum 1.5), 0 <= x1 <= 0.5 binds at 0.5 */
    CHECK_OK(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b1, lower, upper, NULL, x, 2, &rnorm));
    CHECK_CLOSE(x[0], 1.2, 1e-15, 0.0);
    CHECK_CLOSE(x[1], 0.5, 1e-15, 0.0);
    CHECK_CLOSE(rnorm, sqrt(0.8 * 0.8 + 0.2 * 0.2 + 0.5 * 0.5), 1e-14, 0.0);
    /* NULL bounds: lower 0, upper +inf = nnls */
    CHECK_OK(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b2, NULL, NULL, NULL, x, 2, &rnorm));
    CHECK(x[0] == 0.0 && x[1] == 0.0);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_convolution_bad_inputs(void) {
    const double k[3] = {1, 2, 1}, knan[3] = {1, NAN, 1};
    double out[100];
    size_t rows;
    CHECK_ERR(ik_convolution_rows(3, 10, IK_CONVOLUTION_SAME, NULL), IK_ERR_INVALID_ARGUMENT, "rows");
    CHECK_ERR(ik_convolution_rows(0, 10, IK_CONVOLUTION_SAME, &rows), IK_ERR_DIMENSION, "n_kernel");
    CHECK_ERR(ik_convolution_rows(3, 0, IK_CONVOLUTION_SAME, &rows), IK_ERR_DIMENSION, "n is 0");
    CHECK_ERR(ik_convolution_rows(11, 10, IK_CONVOLUTION_FULL, &rows), IK_ERR_DIMENSION, "longer than the signal");
    CHECK_ERR(ik_convolution_rows(3, 10, 7, &rows), IK_ERR_INVALID_ARGUMENT, "mode is 7");
    CHECK_ERR(ik_convolution_matrix(NULL, 3, 10, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_INVALID_ARGUMENT, "kernel is NULL");
    CHECK_ERR(ik_convolution_matrix(k, 3, 10, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, NULL, 100),
              IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_convolution_matrix(k, 0, 10, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_DIMENSION, "n_kernel is 0");
    CHECK_ERR(ik_convolution_matrix(k, 3, 2, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_DIMENSION, "kernel has 3 values");
    CHECK_ERR(ik_convolution_matrix(k, 3, 10, -1, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_INVALID_ARGUMENT, "mode is -1");
    CHECK_ERR(ik_convolution_matrix(k, 3, 10, IK_CONVOLUTION_SAME, 2, IK_ROW_MAJOR, out, 100),
              IK_ERR_INVALID_ARGUMENT, "boundary is 2");
    CHECK_ERR(ik_convolution_matrix(k, 3, 10, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, 0, out, 100),
              IK_ERR_INVALID_ARGUMENT, "layout is 0");
    CHECK_ERR(ik_convolution_matrix(k, 3, 10, IK_CONVOLUTION_FULL, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_DIMENSION, "out has room for 100");
    CHECK_ERR(ik_convolution_matrix(knan, 3, 10, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, IK_ROW_MAJOR, out, 100),
              IK_ERR_NONFINITE, "kernel[1] is NaN");
}

static void test_tikhonov_bad_inputs(void) {
    double a[M * N], y[M], sigma[M], l[4 * N], grid[3] = {0.1, 1.0, 10.0};
    ik_tikhonov_options_t o = tik_defaults(), bad;
    ik_tikhonov_result_t* r = NULL;
    const double kernel[3] = {1, 2, 1};
    size_t i;
    memcpy(a, g_a, sizeof a);
    memcpy(y, g_y, sizeof y);
    memcpy(sigma, g_sigma, sizeof sigma);
    for (i = 0; i < 4 * N; i++) l[i] = cos((double)i);
#define TIK(a_, rows_, cols_, layout_, y_, sigma_, pen_, l_, lrows_, grid_, nlam_, o_) \
    ik_tikhonov(a_, rows_, cols_, layout_, y_, sigma_, pen_, l_, lrows_, grid_, nlam_, o_, &r)
    CHECK_ERR(ik_tikhonov(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(TIK(NULL, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "a is NULL");
    CHECK(r == NULL);
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, NULL, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(TIK(a, 0, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_DIMENSION, "rows is 0");
    CHECK_ERR(TIK(a, M, 0, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_DIMENSION, "cols is 0");
    CHECK_ERR(TIK(a, M, N, 7, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "layout is 7");
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 9, NULL, 0, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "penalty is 9");
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, IK_PENALTY_MATRIX, NULL, 4, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "l is NULL");
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, IK_PENALTY_MATRIX, l, 0, NULL, 0, &o), IK_ERR_DIMENSION, "l_rows is 0");
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 3, &o), IK_ERR_INVALID_ARGUMENT, "lam_grid is NULL");
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, grid, 0, &o), IK_ERR_DIMENSION, "n_lam is 0");
    CHECK_ERR(TIK(a, 2, N, IK_ROW_MAJOR, y, sigma, IK_PENALTY_SECOND_DIFFERENCE, NULL, 0, NULL, 0, &o), IK_ERR_DIMENSION, "null space");
    CHECK_ERR(TIK(a, M, 2, IK_ROW_MAJOR, y, sigma, IK_PENALTY_SECOND_DIFFERENCE, NULL, 0, NULL, 0, &o), IK_ERR_DIMENSION, "second difference");
    /* NaN / Inf anywhere */
    a[3 * N + 2] = NAN;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_NONFINITE, "a[3,2] is NaN");
    a[3 * N + 2] = g_a[3 * N + 2];
    y[5] = INFINITY;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_NONFINITE, "y[5] is inf");
    y[5] = g_y[5];
    sigma[4] = -INFINITY;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_NONFINITE, "sigma[4] is -inf");
    sigma[4] = 0.0;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "sigma[4] is 0");
    sigma[4] = g_sigma[4];
    l[2 * N + 1] = NAN;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, IK_PENALTY_MATRIX, l, 4, NULL, 0, &o), IK_ERR_NONFINITE, "l[2,1] is NaN");
    for (i = 0; i < 4 * N; i++) l[i] = 0.0;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, IK_PENALTY_MATRIX, l, 4, NULL, 0, &o), IK_ERR_INVALID_ARGUMENT, "L is zero");
    grid[1] = NAN;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, grid, 3, &o), IK_ERR_NONFINITE, "lam_grid[1] is NaN");
    grid[1] = -1.0;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, grid, 3, &o), IK_ERR_INVALID_ARGUMENT, "lam_grid[1] is -1");
    /* options */
    bad = o;
    bad.struct_size = 8;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "struct_size");
    bad = o;
    bad.method = 4;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "options->method is 4");
    bad = o;
    bad.method = IK_REG_FIXED;
    bad.lam = -0.5;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "options->lam is -0.5");
    bad.lam = NAN;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "options->lam is NaN");
    bad = o;
    bad.absolute_sigma = 2;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "absolute_sigma is 2");
    bad = o;
    bad.nonnegative = -1;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "nonnegative is -1");
    bad = o;
    bad.refine = 2;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "refine is 2");
    bad = o;
    bad.n_grid = 0;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "n_grid is 0");
    bad = o;
    bad.discrepancy_factor = 0.0;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "discrepancy_factor is 0");
    bad = o;
    bad.rcond = NAN;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "rcond is NaN");
    bad = o;
    bad.n_threads = -2;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "n_threads is -2");
    bad = o;
    bad.stacked_qr = 3;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, sigma, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "stacked_qr is 3");
    bad = o;
    bad.method = IK_REG_DISCREPANCY;
    CHECK_ERR(TIK(a, M, N, IK_ROW_MAJOR, y, NULL, 1, NULL, 0, NULL, 0, &bad), IK_ERR_INVALID_ARGUMENT, "sigma is NULL");
    CHECK_ERR(ik_tikhonov_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    /* singular: A annihilates the constants, the null space of the first difference */
    {
        double d[5 * 6];
        size_t j;
        for (i = 0; i < 5; i++)
            for (j = 0; j < 6; j++) d[i * 6 + j] = (j == i) ? -1.0 : (j == i + 1 ? 1.0 : 0.0);
        CHECK_ERR(TIK(d, 5, 6, IK_ROW_MAJOR, y, NULL, IK_PENALTY_FIRST_DIFFERENCE, NULL, 0, NULL, 0, &o), IK_ERR_SINGULAR, "constant");
    }
    /* deconvolution */
    CHECK_ERR(ik_deconvolve(y, M, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, NULL),
              IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_deconvolve(NULL, M, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_deconvolve(y, 0, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_DIMENSION, "n_y is 0");
    CHECK_ERR(ik_deconvolve(y, M, NULL, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_INVALID_ARGUMENT, "kernel is NULL");
    CHECK_ERR(ik_deconvolve(y, 4, kernel, 3, IK_CONVOLUTION_FULL, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_DIMENSION, "longer than the signal");
    CHECK_ERR(ik_deconvolve(y, 2, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_DIMENSION, "longer than the signal");
    CHECK_ERR(ik_deconvolve(y, M, kernel, 3, 5, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_INVALID_ARGUMENT, "mode is 5");
    CHECK_ERR(ik_deconvolve(y, M, kernel, 3, IK_CONVOLUTION_SAME, -3, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_INVALID_ARGUMENT, "boundary is -3");
    CHECK_ERR(ik_deconvolve(y, M, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, IK_PENALTY_MATRIX, NULL, 0, &o, &r),
              IK_ERR_INVALID_ARGUMENT, "IK_PENALTY_MATRIX");
    y[0] = NAN;
    CHECK_ERR(ik_deconvolve(y, M, kernel, 3, IK_CONVOLUTION_SAME, IK_BOUNDARY_ZERO, NULL, 1, NULL, 0, &o, &r),
              IK_ERR_NONFINITE, "y[0] is NaN");
    y[0] = g_y[0];
#undef TIK
}

static void test_result_bad_inputs(void) {
    ik_tikhonov_result_t* r = NULL;
    ik_tikhonov_info_t info;
    ik_tsvd_result_t* t = NULL;
    ik_tsvd_info_t tinfo;
    double out[N * N], small[2];
    int garbage = 0;
    if (!CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, g_sigma, 1, NULL, 0, NULL, 0, NULL, &r))) return;
    memset(&info, 0, sizeof info);
    CHECK_ERR(ik_tikhonov_result_info(r, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is 0");
    CHECK_ERR(ik_tikhonov_result_info(r, NULL), IK_ERR_INVALID_ARGUMENT, "info is NULL");
    CHECK_ERR(ik_tikhonov_result_info(NULL, &info), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_tikhonov_result_info((const ik_tikhonov_result_t*)&garbage, &info), IK_ERR_INVALID_ARGUMENT, "not a live");
    CHECK_ERR(ik_tikhonov_result_params(r, NULL, N), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_tikhonov_result_params(r, small, 2), IK_ERR_DIMENSION, "out has room for 2");
    CHECK_ERR(ik_tikhonov_result_cov(r, out, N), IK_ERR_DIMENSION, "out has room for 6");
    CHECK_ERR(ik_tikhonov_result_cov(NULL, out, N * N), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_tikhonov_result_curve(r, small, NULL, NULL, NULL, NULL, 2), IK_ERR_DIMENSION, "lam has room for 2");
    CHECK_ERR(ik_tikhonov_result_curve(r, NULL, NULL, NULL, small, NULL, 2), IK_ERR_DIMENSION, "gcv has room for 2");
    CHECK_ERR(ik_tikhonov_result_spectrum(r, NULL, small, NULL, 2), IK_ERR_DIMENSION, "picard has room for 2");
    ik_tikhonov_result_free(r);
    CHECK_ERR(ik_tikhonov_result_params(r, out, N), IK_ERR_INVALID_ARGUMENT, "not a live");
    ik_tikhonov_result_free(r); /* freed twice: ignored */
    ik_tikhonov_result_free(NULL);
    ik_tikhonov_result_free((ik_tikhonov_result_t*)&garbage);
    /* a singular covariance: lam = 0 with a rank-deficient A */
    {
        double ones[6 * 3], yy[6] = {0, 1, 2, 3, 4, 5};
        ik_tikhonov_options_t o = tik_defaults();
        size_t i;
        for (i = 0; i < 18; i++) ones[i] = 1.0;
        o.method = IK_REG_FIXED;
        o.lam = 0.0;
        r = NULL;
        if (CHECK_OK(ik_tikhonov(ones, 6, 3, IK_ROW_MAJOR, yy, NULL, IK_PENALTY_IDENTITY, NULL, 0, NULL, 0, &o, &r))) {
            CHECK_ERR(ik_tikhonov_result_cov(r, out, 9), IK_ERR_SINGULAR, "singular");
            ik_tikhonov_result_free(r);
        }
        /* with lam > 0 (GCV) the same rank-deficient problem has a covariance */
        r = NULL;
        if (CHECK_OK(ik_tikhonov(ones, 6, 3, IK_ROW_MAJOR, yy, NULL, IK_PENALTY_IDENTITY, NULL, 0, NULL, 0, NULL, &r)))
            CHECK_OK(ik_tikhonov_result_cov(r, out, 9));
        ik_tikhonov_result_free(r);
    }
    /* truncated SVD */
    {
        ik_tsvd_options_t o, bad;
        ik_tsvd_options_default(&o);
        CHECK_ERR(ik_tsvd_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
        CHECK_ERR(ik_tsvd(NULL, M, N, IK_ROW_MAJOR, g_y, NULL, &o, &t), IK_ERR_INVALID_ARGUMENT, "a is NULL");
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, NULL, NULL, &o, &t), IK_ERR_INVALID_ARGUMENT, "y is NULL");
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &o, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
        CHECK_ERR(ik_tsvd(g_a, 0, N, IK_ROW_MAJOR, g_y, NULL, &o, &t), IK_ERR_DIMENSION, "rows is 0");
        CHECK_ERR(ik_tsvd(g_a, M, N, 3, g_y, NULL, &o, &t), IK_ERR_INVALID_ARGUMENT, "layout is 3");
        bad = o;
        bad.method = IK_REG_LCURVE;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "IK_REG_LCURVE");
        bad = o;
        bad.method = IK_REG_FIXED;
        bad.k = 0;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "options->k is 0");
        bad.k = N + 1;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "options->k is 7");
        bad = o;
        bad.method = IK_REG_DISCREPANCY;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "sigma is NULL");
        bad = o;
        bad.struct_size = 0;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "struct_size");
        bad = o;
        bad.discrepancy_factor = -1.0;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "discrepancy_factor");
        bad = o;
        bad.reserved = 3;
        CHECK_ERR(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, &bad, &t), IK_ERR_INVALID_ARGUMENT, "reserved is 3");
        {
            double zero[M * N];
            memset(zero, 0, sizeof zero);
            CHECK_ERR(ik_tsvd(zero, M, N, IK_ROW_MAJOR, g_y, NULL, &o, &t), IK_ERR_SINGULAR, "A is zero");
        }
        CHECK(t == NULL);
        if (CHECK_OK(ik_tsvd(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, NULL, &t))) {
            memset(&tinfo, 0, sizeof tinfo);
            CHECK_ERR(ik_tsvd_result_info(t, &tinfo), IK_ERR_INVALID_ARGUMENT, "struct_size");
            CHECK_ERR(ik_tsvd_result_params(t, small, 2), IK_ERR_DIMENSION, "out has room for 2");
            CHECK_ERR(ik_tsvd_result_cov(t, NULL, N * N), IK_ERR_INVALID_ARGUMENT, "out is NULL");
            CHECK_ERR(ik_tsvd_result_curve(t, small, NULL, NULL, 1), IK_ERR_DIMENSION, "residual_norm has room for 1");
            CHECK_ERR(ik_tsvd_result_spectrum(t, small, NULL, 1), IK_ERR_DIMENSION, "singular_values has room for 1");
            ik_tsvd_result_free(t);
            CHECK_ERR(ik_tsvd_result_params(t, out, N), IK_ERR_INVALID_ARGUMENT, "not a live");
        }
        ik_tsvd_result_free(NULL);
        /* a Tikhonov handle is not a tsvd handle */
        r = NULL;
        if (CHECK_OK(ik_tikhonov(g_a, M, N, IK_ROW_MAJOR, g_y, NULL, 0, NULL, 0, NULL, 0, NULL, &r))) {
            CHECK_ERR(ik_tsvd_result_params((ik_tsvd_result_t*)(void*)r, out, N), IK_ERR_INVALID_ARGUMENT, "not a live");
            ik_tsvd_result_free((ik_tsvd_result_t*)(void*)r); /* wrong type: ignored */
            CHECK_OK(ik_tikhonov_result_params(r, out, N));
            ik_tikhonov_result_free(r);
        }
    }
}

static void test_nnls_bad_inputs(void) {
    double a[6] = {1, 0, 1, 0, 0, 1}, b[3] = {2, 1, 1}, x[2], rnorm;
    double lower[2] = {0, 0}, upper[2] = {1, 1};
    ik_nnls_options_t o, bad;
    CHECK_OK(ik_nnls_options_default(&o));
    CHECK_ERR(ik_nnls_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    CHECK_ERR(ik_nnls(NULL, 3, 2, IK_ROW_MAJOR, b, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "a is NULL");
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, NULL, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &o, NULL, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "x is NULL");
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &o, x, 1, &rnorm), IK_ERR_DIMENSION, "x has room for 1");
    CHECK_ERR(ik_nnls(a, 0, 2, IK_ROW_MAJOR, b, &o, x, 2, &rnorm), IK_ERR_DIMENSION, "rows is 0");
    CHECK_ERR(ik_nnls(a, 3, 0, IK_ROW_MAJOR, b, &o, x, 2, &rnorm), IK_ERR_DIMENSION, "cols is 0");
    CHECK_ERR(ik_nnls(a, 3, 2, 1, b, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "layout is 1");
    a[4] = NAN;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &o, x, 2, &rnorm), IK_ERR_NONFINITE, "a[2,0] is NaN");
    a[4] = 0.0;
    b[2] = -INFINITY;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &o, x, 2, &rnorm), IK_ERR_NONFINITE, "y[2] is -inf");
    b[2] = 1.0;
    bad = o;
    bad.struct_size = 1;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &bad, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "struct_size");
    bad = o;
    bad.max_iter = -1;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &bad, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "max_iter is -1");
    bad = o;
    bad.reserved = 5;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &bad, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "reserved is 5");
    bad = o;
    bad.tol = NAN;
    CHECK_ERR(ik_nnls(a, 3, 2, IK_ROW_MAJOR, b, &bad, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "tol is NaN");
    lower[1] = 2.0;
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "lower[1] = 2.0 > upper[1]");
    lower[1] = NAN;
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "lower[1] is NaN");
    lower[1] = INFINITY;
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "lower[1] is inf");
    lower[1] = 0.0;
    upper[0] = -INFINITY;
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "upper[0] is -inf");
    upper[0] = NAN;
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, x, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "upper[0] is NaN");
    CHECK_ERR(ik_bvls(a, 3, 2, IK_ROW_MAJOR, b, lower, upper, &o, NULL, 2, &rnorm), IK_ERR_INVALID_ARGUMENT, "x is NULL");
}

/* Regularised BVLS equals plain BVLS on the explicitly stacked system [A; sqrt(lam) L]. */
static void test_bvls_regularized(void) {
    enum { RM = 8, RN = 5, LR = RN - 1 };
    double a[RM * RN], y[RM], s[(RM + LR) * RN], c[RM + LR], x1[RN], x2[RN], r1, r2, lower[RN], upper[RN];
    const double lam = 0.5;
    double nan_value = 0.0;
    size_t i, j;
    for (i = 0; i < RM; i++) {
        for (j = 0; j < RN; j++) a[i * RN + j] = sin((double)(3 * i + 7 * j + 1));
        y[i] = cos((double)i);
    }
    for (j = 0; j < RN; j++) { lower[j] = -0.25; upper[j] = 0.3; }
    /* stacked, row-major: A, then sqrt(lam) times the first difference */
    for (i = 0; i < (RM + LR) * RN; i++) s[i] = 0.0;
    for (i = 0; i < RM; i++) { for (j = 0; j < RN; j++) s[i * RN + j] = a[i * RN + j]; c[i] = y[i]; }
    for (i = 0; i < LR; i++) {
        s[(RM + i) * RN + i] = -sqrt(lam);
        s[(RM + i) * RN + i + 1] = sqrt(lam);
        c[RM + i] = 0.0;
    }
    CHECK_OK(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, lower, upper, IK_PENALTY_FIRST_DIFFERENCE,
                                 NULL, 0, lam, NULL, x1, RN, &r1));
    CHECK_OK(ik_bvls(s, RM + LR, RN, IK_ROW_MAJOR, c, lower, upper, NULL, x2, RN, NULL));
    for (j = 0; j < RN; j++) CHECK_CLOSE(x1[j], x2[j], 1e-10, 1e-12);
    r2 = 0.0;
    for (i = 0; i < RM; i++) {
        double e = -y[i];
        for (j = 0; j < RN; j++) e += a[i * RN + j] * x1[j];
        r2 += e * e;
    }
    CHECK_CLOSE(r1, sqrt(r2), 1e-12, 0.0);
    /* NULL bounds: non-negativity */
    CHECK_OK(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_IDENTITY, NULL, 0, lam,
                                 NULL, x1, RN, NULL));
    for (j = 0; j < RN; j++) CHECK(x1[j] >= 0.0);

    nan_value = nan_value / nan_value;
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_IDENTITY, NULL, 0, -1.0,
                                  NULL, x1, RN, NULL), IK_ERR_INVALID_ARGUMENT, "lam");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_IDENTITY, NULL, 0, nan_value,
                                  NULL, x1, RN, NULL), IK_ERR_INVALID_ARGUMENT, "lam");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, 9, NULL, 0, lam,
                                  NULL, x1, RN, NULL), IK_ERR_INVALID_ARGUMENT, "penalty");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_MATRIX, NULL, 2, lam,
                                  NULL, x1, RN, NULL), IK_ERR_INVALID_ARGUMENT, "l is NULL");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_MATRIX, a, 0, lam,
                                  NULL, x1, RN, NULL), IK_ERR_DIMENSION, "l_rows");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, NULL, NULL, NULL, IK_PENALTY_IDENTITY, NULL, 0, lam,
                                  NULL, x1, RN, NULL), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_bvls_regularized(a, RM, RN, IK_ROW_MAJOR, y, NULL, NULL, IK_PENALTY_IDENTITY, NULL, 0, lam,
                                  NULL, x1, RN - 1, NULL), IK_ERR_DIMENSION, "x");
}

int main(void) {
    make_data();
    test_convolution();
    test_tikhonov_fixed();
    test_tikhonov_relative_sigma();
    test_tikhonov_choices();
    test_nonnegative_and_deconvolution();
    test_tsvd();
    test_nnls_bvls();
    test_convolution_bad_inputs();
    test_tikhonov_bad_inputs();
    test_result_bad_inputs();
    test_nnls_bad_inputs();
    test_bvls_regularized();
    return ik_test_summary("test_regularization");
}
