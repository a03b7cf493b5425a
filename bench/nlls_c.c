/*
 * nlls_c.c - the C side of workloads nlls_single and nlls_batch (shared/bench/WORKLOADS.md):
 * InferKit's ik_nlls_fit / ik_nlls_fit_batch and GSL's gsl_multifit_nlinear (trust-region
 * Levenberg-Marquardt, analytic Jacobian, QR and Cholesky solvers) on the same arrays, in one
 * process. bench_nlls.py writes the data (numpy's generators, as the workload says), builds and
 * runs this program and prints the table.
 *
 * Usage: nlls_c single FILE | nlls_c batch FILE
 *   FILE (doubles, native endianness): n, then x[n], then rows, then Y[rows * n]
 *   (single: rows = 1). sigma = 0.05, start (mu, sig, A, B) = (0.2, 0.2, 1, 0), absolute sigma.
 * Prints one line per method: "name seconds_per_fit  mu sig A B  se_mu se_sig se_A se_B";
 * single: then the 16 elements of the 4 x 4 covariance, row-major; batch: the means over the rows
 * of the parameters (|sig| for sig, whose sign the model does not see) and of the standard errors,
 * then the fraction of rows that converged and the fraction with chi2 / dof <= 2 (a fit that
 * ended in a wrong local minimum has a far larger chi2). Single fits: median over 21 timings of 50 fits
 * each after a warm-up. Batch: each method runs over all rows twice and the second run is timed
 * (the first pays for first-touch memory and thread start-up).
 */
#define _POSIX_C_SOURCE 199309L
#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inferkit.h"

static const double START[4] = {0.2, 0.2, 1.0, 0.0};
static const double SIGMA = 0.05;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---------------------------------------------------------------- GSL */

typedef struct {
    const double *x, *y;
    size_t n;
} gsl_data_t;

static int gsl_f(const gsl_vector* p, void* data, gsl_vector* f) {
    const gsl_data_t* d = data;
    double mu = gsl_vector_get(p, 0), sig = gsl_vector_get(p, 1), A = gsl_vector_get(p, 2),
           B = gsl_vector_get(p, 3);
    size_t i;
    for (i = 0; i < d->n; i++) {
        double z = (d->x[i] - mu) / sig;
        gsl_vector_set(f, i, (A * exp(-0.5 * z * z) + B - d->y[i]) / SIGMA);
    }
    return GSL_SUCCESS;
}

static int gsl_df(const gsl_vector* p, void* data, gsl_matrix* J) {
    const gsl_data_t* d = data;
    double mu = gsl_vector_get(p, 0), sig = gsl_vector_get(p, 1), A = gsl_vector_get(p, 2);
    size_t i;
    for (i = 0; i < d->n; i++) {
        double z = (d->x[i] - mu) / sig, e = exp(-0.5 * z * z);
        gsl_matrix_set(J, i, 0, A * e * z / sig / SIGMA);
        gsl_matrix_set(J, i, 1, A * e * z * z / sig / SIGMA);
        gsl_matrix_set(J, i, 2, e / SIGMA);
        gsl_matrix_set(J, i, 3, 1.0 / SIGMA);
    }
    return GSL_SUCCESS;
}

/* One GSL fit incl. the covariance; params, errors, covariance (row-major) and chi2 into
 * out[25]. */
static int gsl_fit(gsl_multifit_nlinear_workspace* w, gsl_multifit_nlinear_fdf* fdf,
                   gsl_matrix* covar, double* out) {
    gsl_vector_const_view x0 = gsl_vector_const_view_array(START, 4);
    int info, status;
    size_t j;
    gsl_multifit_nlinear_init(&x0.vector, fdf, w);
    status = gsl_multifit_nlinear_driver(200, 1e-8, 1e-8, 1e-8, NULL, NULL, &info, w);
    gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, covar);
    for (j = 0; j < 4; j++) {
        out[j] = gsl_vector_get(gsl_multifit_nlinear_position(w), j);
        out[4 + j] = sqrt(gsl_matrix_get(covar, j, j));
    }
    for (j = 0; j < 16; j++) out[8 + j] = gsl_matrix_get(covar, j / 4, j % 4);
    gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w), &out[24]);
    return status;
}

/* The problem for gsl_multifit_nlinear: residuals and Jacobian of the data *d. */
static gsl_multifit_nlinear_fdf gsl_problem(gsl_data_t* d) {
    gsl_multifit_nlinear_fdf fdf;
    fdf.f = gsl_f;
    fdf.df = gsl_df;
    fdf.fvv = NULL;
    fdf.n = d->n;
    fdf.p = 4;
    fdf.params = d;
    return fdf;
}

static gsl_multifit_nlinear_workspace* gsl_workspace(int cholesky, size_t n) {
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    if (cholesky) params.solver = gsl_multifit_nlinear_solver_cholesky;
    return gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n, 4);
}

/* ---------------------------------------------------------------- InferKit */

static ik_model_t* peak(void) {
    static const char* const inputs[] = {"x"};
    static const char* const params[] = {"mu", "sig", "A", "B"};
    ik_model_t* m = NULL;
    if (ik_model_compile("A*exp(-0.5*((x-mu)/sig)^2) + B", inputs, 1, params, 4, &m) != IK_OK) {
        fprintf(stderr, "compile: %s\n", ik_last_error());
        exit(1);
    }
    return m;
}

static void ik_fit(const ik_model_t* m, const double* x, const double* y, const double* sigma,
                   size_t n, double* out) {
    ik_nlls_result_t* r = NULL;
    if (ik_nlls_fit(m, x, n, y, sigma, IK_SIGMA_ABSOLUTE, START, 4, NULL, NULL, NULL, &r) != IK_OK) {
        fprintf(stderr, "ik_nlls_fit: %s\n", ik_last_error());
        exit(1);
    }
    ik_nlls_result_params(r, out, 4);
    ik_nlls_result_stderr(r, out + 4, 4);
    ik_nlls_result_covariance(r, out + 8, 16);
    ik_nlls_result_free(r);
}

/* One output line: name, seconds, then `count` numbers of out. */
static void print(const char* name, double seconds, const double* out, int count) {
    int j;
    printf("%s %.6e", name, seconds);
    for (j = 0; j < count; j++) printf(" %.17g", out[j]);
    printf("\n");
}

/* Median over `repeat` timings of `count` calls each, after a 0.3 s warm-up. */
#define TIME_MEDIAN(result, count, repeat, body)                       \
    do {                                                                 \
        double t_end = now() + 0.3, times[64], t0;                      \
        int rep_, c_, a_, b_;                                            \
        while (now() < t_end) {                                          \
            body;                                                        \
        }                                                                \
        for (rep_ = 0; rep_ < (repeat); rep_++) {                        \
            t0 = now();                                                  \
            for (c_ = 0; c_ < (count); c_++) {                           \
                body;                                                    \
            }                                                            \
            times[rep_] = (now() - t0) / (count);                        \
        }                                                                \
        for (a_ = 1; a_ < (repeat); a_++)                                \
            for (b_ = a_; b_ > 0 && times[b_ - 1] > times[b_]; b_--) {   \
                double t_ = times[b_];                                   \
                times[b_] = times[b_ - 1];                               \
                times[b_ - 1] = t_;                                      \
            }                                                            \
        (result) = times[(repeat) / 2];                                  \
    } while (0)

int main(int argc, char** argv) {
    FILE* f;
    double header, *x, *y, *sigma, out[25], t;
    size_t n, rows, i, r;
    if (argc != 3) {
        fprintf(stderr, "usage: nlls_c single|batch FILE\n");
        return 2;
    }
    f = fopen(argv[2], "rb");
    if (!f || fread(&header, sizeof header, 1, f) != 1) return 1;
    n = (size_t)header;
    x = malloc(n * sizeof *x);
    if (fread(x, sizeof *x, n, f) != n || fread(&header, sizeof header, 1, f) != 1) return 1;
    rows = (size_t)header;
    y = malloc(rows * n * sizeof *y);
    sigma = malloc(n * sizeof *sigma);
    if (fread(y, sizeof *y, rows * n, f) != rows * n) return 1;
    fclose(f);
    for (i = 0; i < n; i++) sigma[i] = SIGMA;
    gsl_set_error_handler_off();

    if (strcmp(argv[1], "single") == 0) {
        ik_model_t* m = peak();
        int cholesky;
        TIME_MEDIAN(t, 50, 21, ik_fit(m, x, y, sigma, n, out));
        print("inferkit_c", t, out, 24);
        for (cholesky = 0; cholesky <= 1; cholesky++) {
            gsl_multifit_nlinear_workspace* w = gsl_workspace(cholesky, n);
            gsl_matrix* covar = gsl_matrix_alloc(4, 4);
            gsl_data_t d = {x, y, n};
            gsl_multifit_nlinear_fdf fdf = gsl_problem(&d);
            TIME_MEDIAN(t, 50, 21, gsl_fit(w, &fdf, covar, out));
            print(cholesky ? "gsl_cholesky" : "gsl_qr", t, out, 24);
            gsl_matrix_free(covar);
            gsl_multifit_nlinear_free(w);
        }
        ik_model_free(m);
    } else {
        ik_model_t* m = peak();
        double* params = malloc(rows * 9 * sizeof *params);
        int32_t* status = malloc(rows * 2 * sizeof *status);
        ik_nlls_options_t opts;
        int threads, cholesky, pass;
        ik_nlls_options_default(&opts);
        for (threads = 1; threads >= 0; threads--) {
            double t0 = 0, mean[10] = {0};
            ik_nlls_batch_t* b = NULL;
            opts.n_threads = threads;
            for (pass = 0; pass < 2; pass++) {
                ik_nlls_batch_free(b);
                b = NULL;
                t0 = now();
                if (ik_nlls_fit_batch(m, x, n, 0, y, rows, sigma, 0, IK_SIGMA_ABSOLUTE, START, 0, 4,
                                      NULL, NULL, &opts, &b) != IK_OK) {
                    fprintf(stderr, "batch: %s\n", ik_last_error());
                    return 1;
                }
                ik_nlls_batch_params(b, params, rows * 4);
                ik_nlls_batch_stderr(b, params + rows * 4, rows * 4);
                t = now() - t0;
            }
            ik_nlls_batch_chi2(b, params + rows * 8, rows);
            ik_nlls_batch_status(b, status, rows);
            ik_nlls_batch_termination(b, status + rows, rows);
            for (r = 0; r < rows; r++) {
                int32_t why = status[rows + r];
                for (i = 0; i < 4; i++) {
                    mean[i] += (i == 1 ? fabs(params[r * 4 + i]) : params[r * 4 + i]) / (double)rows;
                    mean[4 + i] += params[rows * 4 + r * 4 + i] / (double)rows;
                }
                if (status[r] == IK_OK && ((why >= 1 && why <= 4) || why == 6)) mean[8] += 1.0 / (double)rows;
                if (params[rows * 8 + r] <= 2.0 * (double)(n - 4)) mean[9] += 1.0 / (double)rows;
            }
            print(threads == 1 ? "inferkit_batch_1thread" : "inferkit_batch", t / (double)rows, mean, 10);
            ik_nlls_batch_free(b);
        }
        for (cholesky = 0; cholesky <= 1; cholesky++) {
            gsl_multifit_nlinear_workspace* w = gsl_workspace(cholesky, n);
            gsl_matrix* covar = gsl_matrix_alloc(4, 4);
            double mean[10] = {0};
            for (pass = 0; pass < 2; pass++) {
                double t0 = now();
                memset(mean, 0, sizeof mean);
                for (r = 0; r < rows; r++) {
                    gsl_data_t d = {x, y + r * n, n};
                    gsl_multifit_nlinear_fdf fdf = gsl_problem(&d);
                    if (gsl_fit(w, &fdf, covar, out) == GSL_SUCCESS) mean[8] += 1.0 / (double)rows;
                    if (out[24] <= 2.0 * (double)(n - 4)) mean[9] += 1.0 / (double)rows;
                    out[1] = fabs(out[1]);
                    for (i = 0; i < 8; i++) mean[i] += out[i] / (double)rows;
                }
                t = now() - t0;
            }
            print(cholesky ? "gsl_batch_cholesky" : "gsl_batch_qr", t / (double)rows, mean, 10);
            gsl_matrix_free(covar);
            gsl_multifit_nlinear_free(w);
        }
        free(status);
        free(params);
        ik_model_free(m);
    }
    free(x);
    free(y);
    free(sigma);
    return 0;
}
