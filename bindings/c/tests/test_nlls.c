/*
 * test_nlls.c - nonlinear least squares (ik_nlls_*) and callback models through the C ABI.
 *
 * Usage: test_nlls DIR   (DIR holds nonlinear/<Name>.txt and nonlinear/index.txt written by
 *                         nist_to_text.py)
 *
 * References: the NIST StRD certified values (all 27 problems from both starting points, as
 * compiled formulas and as callback models with the formulas' exact Jacobians), analytic
 * derivatives of a Gaussian peak, the exact Hessian of 1/2 chi2 written out as a formula of the
 * parameters (for the Laplace covariance), and the identities between the fits' own outputs
 * (relative and absolute covariance, single and batch fits, thread counts). The second half
 * feeds every bad input the header describes and asserts the status and the message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define MAX_K 9
#define MAX_NAME 64

/* ---------------------------------------------------------------------------------------- */
/* NIST StRD nonlinear                                                                      */
/* ---------------------------------------------------------------------------------------- */

typedef struct {
    char name[MAX_NAME];
    char model[512];
    size_t n, k, inputs;
    char input_names[2][16];
    char param_names[MAX_K][16];
    double *x, *y;
    double start1[MAX_K], start2[MAX_K], cert[MAX_K], cert_se[MAX_K];
} nist_t;

static double lre(double est, double cert) {
    double v;
    if (!isfinite(est)) return 0.0;
    v = (est == cert) ? 11.0 : -log10(fabs(est - cert) / fabs(cert));
    return v < 0.0 ? 0.0 : (v > 11.0 ? 11.0 : v);
}

static int key(FILE* f, const char* k) {
    char word[64];
    return fscanf(f, "%63s", word) == 1 && strcmp(word, k) == 0;
}

static int doubles(FILE* f, double* v, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (fscanf(f, "%lf", &v[i]) != 1) return 0;
    return 1;
}

static int load(const char* dir, const char* name, nist_t* d) {
    char path[600];
    unsigned long n, k, inputs;
    size_t i;
    FILE* f;
    int ok;
    memset(d, 0, sizeof *d);
    snprintf(path, sizeof path, "%s/nonlinear/%s.txt", dir, name);
    f = fopen(path, "r");
    if (!f) return 0;
    ok = key(f, "name") && fscanf(f, "%63s", d->name) == 1 && key(f, "model") &&
         fscanf(f, " %511[^\n]", d->model) == 1 && key(f, "n") && fscanf(f, "%lu", &n) == 1 &&
         key(f, "k") && fscanf(f, "%lu", &k) == 1 && key(f, "inputs") &&
         fscanf(f, "%lu", &inputs) == 1 && k <= MAX_K && inputs >= 1 && inputs <= 2;
    if (ok) {
        d->n = n;
        d->k = k;
        d->inputs = inputs;
        ok = key(f, "input_names");
        for (i = 0; ok && i < inputs; i++) ok = fscanf(f, "%15s", d->input_names[i]) == 1;
        ok = ok && key(f, "param_names");
        for (i = 0; ok && i < k; i++) ok = fscanf(f, "%15s", d->param_names[i]) == 1;
    }
    if (ok) {
        d->x = malloc(n * inputs * sizeof(double));
        d->y = malloc(n * sizeof(double));
        ok = d->x && d->y && key(f, "x") && doubles(f, d->x, n * inputs) && key(f, "y") &&
             doubles(f, d->y, n) && key(f, "start1") && doubles(f, d->start1, k) &&
             key(f, "start2") && doubles(f, d->start2, k) && key(f, "certified_values") &&
             doubles(f, d->cert, k) && key(f, "certified_std_errors") && doubles(f, d->cert_se, k);
    }
    fclose(f);
    return ok;
}

static ik_model_t* compile(const nist_t* d) {
    const char* inputs[2] = {d->input_names[0], d->input_names[1]};
    const char* params[MAX_K];
    ik_model_t* m = NULL;
    size_t j;
    for (j = 0; j < d->k; j++) params[j] = d->param_names[j];
    CHECK_OK(ik_model_compile(d->model, inputs, d->inputs, params, d->k, &m));
    return m;
}

/* A callback model that forwards to a compiled formula: exercises the callback path (row-major
 * x and Jacobian, user_data) with exact derivatives. */
static int32_t forward_fn(const double* x, size_t n, size_t ni, const double* p, size_t np,
                          double* out, void* user) {
    (void)ni;
    return ik_model_evaluate((const ik_model_t*)user, x, n, p, np, out) == IK_OK ? 0 : 1;
}

static int32_t forward_jac(const double* x, size_t n, size_t ni, const double* p, size_t np,
                           double* jac, void* user) {
    (void)ni;
    return ik_model_jacobian((const ik_model_t*)user, x, n, p, np, NULL, jac) == IK_OK ? 0 : 1;
}

static void nist_run(const nist_t* d, const ik_model_t* m, const double* start, const char* how,
                     const char* label, double* worst_p, double* worst_e) {
    ik_nlls_result_t* r = NULL;
    ik_nlls_info_t info;
    double p[MAX_K], se[MAX_K], dp = 11, de = 11, need_e = strcmp(d->name, "Lanczos1") == 0 ? 2 : 4;
    size_t j;
    char what[160];
    if (!CHECK_OK(ik_nlls_fit(m, d->x, d->n, d->y, NULL, IK_SIGMA_RELATIVE, start, d->k, NULL, NULL,
                              NULL, &r)))
        return;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_nlls_result_info(r, &info));
    CHECK_OK(ik_nlls_result_params(r, p, MAX_K));
    CHECK_OK(ik_nlls_result_stderr(r, se, MAX_K));
    for (j = 0; j < d->k; j++) {
        double a = lre(p[j], d->cert[j]), b = lre(se[j], d->cert_se[j]);
        dp = a < dp ? a : dp;
        de = b < de ? b : de;
    }
    snprintf(what, sizeof what, "%s %s (%s): %.1f digits in the parameters, %.1f in the errors",
             d->name, label, how, dp, de);
    CHECK_MSG(info.converged == 1, what);
    CHECK_MSG(dp >= 6.0, what);
    CHECK_MSG(de >= need_e, what);
    if (dp < *worst_p) *worst_p = dp;
    if (de < *worst_e && strcmp(d->name, "Lanczos1") != 0) *worst_e = de;
    ik_nlls_result_free(r);
}

static void test_nist(const char* dir) {
    char path[600], name[MAX_NAME];
    FILE* index;
    int count = 0;
    double worst_p = 11, worst_e = 11;
    snprintf(path, sizeof path, "%s/nonlinear/index.txt", dir);
    index = fopen(path, "r");
    if (!CHECK_MSG(index != NULL, "nonlinear/index.txt exists")) return;
    while (fscanf(index, "%63s", name) == 1) {
        nist_t d;
        ik_model_t *m, *cb = NULL;
        const char* params[MAX_K];
        size_t j;
        if (!CHECK_MSG(load(dir, name, &d), name)) continue;
        count++;
        m = compile(&d);
        for (j = 0; j < d.k; j++) params[j] = d.param_names[j];
        CHECK_OK(ik_model_create_callback(d.inputs, d.k, params, forward_fn, forward_jac, m, &cb));
        if (m && cb) {
            nist_run(&d, m, d.start1, "formula", "start1", &worst_p, &worst_e);
            nist_run(&d, m, d.start2, "formula", "start2", &worst_p, &worst_e);
            nist_run(&d, cb, d.start1, "callback", "start1", &worst_p, &worst_e);
            nist_run(&d, cb, d.start2, "callback", "start2", &worst_p, &worst_e);
        }
        ik_model_free(cb);
        ik_model_free(m);
        free(d.x);
        free(d.y);
    }
    fclose(index);
    CHECK(count == 27);
    printf("NIST nonlinear: worst %.1f digits in a parameter, %.1f in a standard error "
           "(Lanczos1 apart) over 108 fits\n", worst_p, worst_e);
}

/* ---------------------------------------------------------------------------------------- */
/* A Gaussian peak on a background                                                          */
/* ---------------------------------------------------------------------------------------- */

#define NG 200
static const char* PEAK = "A*exp(-0.5*((x-mu)/sig)^2) + B";
static const double TRUTH[4] = {2.0, 0.3, 0.1, 0.5}; /* A, mu, sig, B (order of appearance) */
static const double START[4] = {1.0, 0.2, 0.2, 0.0};

static double noise(unsigned* state) { /* deterministic, roughly N(0, 1) */
    double s = 0;
    int i;
    for (i = 0; i < 12; i++) {
        *state = *state * 1103515245u + 12345u;
        s += (double)((*state >> 8) & 0xFFFF) / 65536.0;
    }
    return s - 6.0;
}

static void peak_data(double* x, double* y, double* sigma, unsigned seed) {
    size_t i;
    unsigned state = seed;
    for (i = 0; i < NG; i++) {
        double z;
        x[i] = -1.0 + 2.0 * (double)i / (NG - 1);
        z = (x[i] - TRUTH[1]) / TRUTH[2];
        sigma[i] = 0.05;
        y[i] = TRUTH[0] * exp(-0.5 * z * z) + TRUTH[3] + 0.05 * noise(&state);
    }
}

static int32_t peak_fn(const double* x, size_t n, size_t ni, const double* p, size_t np,
                       double* out, void* user) {
    size_t i;
    (void)ni;
    (void)np;
    if (user != NULL) (*(int*)user)++;
    for (i = 0; i < n; i++) {
        double z = (x[i] - p[1]) / p[2];
        out[i] = p[0] * exp(-0.5 * z * z) + p[3];
    }
    return 0;
}

static int32_t peak_jac(const double* x, size_t n, size_t ni, const double* p, size_t np,
                        double* jac, void* user) {
    size_t i;
    (void)ni;
    (void)user;
    for (i = 0; i < n; i++) {
        double z = (x[i] - p[1]) / p[2], e = exp(-0.5 * z * z);
        jac[i * np + 0] = e;
        jac[i * np + 1] = p[0] * e * z / p[2];
        jac[i * np + 2] = p[0] * e * z * z / p[2];
        jac[i * np + 3] = 1.0;
    }
    return 0;
}

static ik_model_t* peak_model(void) {
    static const char* const inputs[] = {"x"};
    ik_model_t* m = NULL;
    CHECK_OK(ik_model_compile(PEAK, inputs, 1, NULL, 0, &m));
    return m;
}

static ik_nlls_result_t* fit_peak(const ik_model_t* m, const double* x, const double* y,
                                  const double* sigma, int32_t kind,
                                  const ik_nlls_options_t* opts) {
    ik_nlls_result_t* r = NULL;
    CHECK_OK(ik_nlls_fit(m, x, NG, y, sigma, kind, START, 4, NULL, NULL, opts, &r));
    return r;
}

static void info_of(const ik_nlls_result_t* r, ik_nlls_info_t* info) {
    memset(info, 0, sizeof *info);
    info->struct_size = sizeof *info;
    CHECK_OK(ik_nlls_result_info(r, info));
}

static void test_peak_models_agree(void) {
    double x[NG], y[NG], s[NG], pf[4], pc[4], pd[4], ef[4], ec[4], ed[4];
    int calls = 0;
    ik_model_t *m = peak_model(), *exact = NULL, *fd = NULL;
    ik_nlls_result_t *rf, *rc, *rd;
    ik_nlls_info_t info;
    size_t j;
    peak_data(x, y, s, 7u);
    CHECK_OK(ik_model_create_callback(1, 4, NULL, peak_fn, peak_jac, NULL, &exact));
    CHECK_OK(ik_model_create_callback(1, 4, NULL, peak_fn, NULL, &calls, &fd));
    rf = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    rc = fit_peak(exact, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    rd = fit_peak(fd, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    if (!rf || !rc || !rd) return;
    CHECK_OK(ik_nlls_result_params(rf, pf, 4));
    CHECK_OK(ik_nlls_result_params(rc, pc, 4));
    CHECK_OK(ik_nlls_result_params(rd, pd, 4));
    CHECK_OK(ik_nlls_result_stderr(rf, ef, 4));
    CHECK_OK(ik_nlls_result_stderr(rc, ec, 4));
    CHECK_OK(ik_nlls_result_stderr(rd, ed, 4));
    for (j = 0; j < 4; j++) {
        CHECK_CLOSE(pc[j], pf[j], 1e-10, 1e-12);  /* exact derivatives both */
        CHECK_CLOSE(pd[j], pf[j], 1e-6, 1e-8);    /* forward differences */
        CHECK_CLOSE(ec[j], ef[j], 1e-8, 0);
        CHECK_CLOSE(ed[j], ef[j], 1e-4, 0);
        CHECK_CLOSE(pf[j], TRUTH[j], 0, 6 * ef[j]); /* the truth within 6 sigma */
    }
    info_of(rf, &info);
    CHECK(info.converged == 1);
    CHECK(info.dof == NG - 4);
    CHECK(info.chi2 > 0.5 * NG && info.chi2 < 1.5 * NG);
    CHECK_CLOSE(info.cost, 0.5 * info.chi2, 1e-12, 0);
    CHECK_CLOSE(info.reduced_chi2, info.chi2 / (NG - 4), 1e-14, 0);
    CHECK_CLOSE(info.aic, info.chi2 + 8, 1e-14, 0);
    CHECK_CLOSE(info.bic, info.chi2 + 4 * log((double)NG), 1e-14, 0);
    CHECK(info.rank == 4);
    CHECK(info.condition_number > 1 && info.condition_number < 1e4);
    CHECK(info.gradient_norm < 1e-3); /* |J^T r| with |J_j| ~ 300 and |r| ~ 14 */
    CHECK(calls > 0);
    CHECK(strstr(ik_nlls_result_message(rf), "converged") != NULL);
    CHECK(strcmp(ik_nlls_result_covariance_issue(rf), "") == 0);
    ik_nlls_result_free(rf);
    ik_nlls_result_free(rc);
    ik_nlls_result_free(rd);
    ik_model_free(m);
    ik_model_free(exact);
    ik_model_free(fd);
}

static void test_covariance_scaling(void) {
    double x[NG], y[NG], s[NG], ca[16], cr[16], corr[16], res[NG], jac[NG * 4], se[4];
    ik_model_t* m = peak_model();
    ik_nlls_result_t *ra, *rr;
    ik_nlls_info_t info;
    int32_t active[4];
    size_t i, j;
    peak_data(x, y, s, 11u);
    ra = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    rr = fit_peak(m, x, y, s, IK_SIGMA_RELATIVE, NULL);
    if (!ra || !rr) return;
    info_of(ra, &info);
    CHECK_OK(ik_nlls_result_covariance(ra, ca, 16));
    CHECK_OK(ik_nlls_result_covariance(rr, cr, 16));
    CHECK_OK(ik_nlls_result_correlation(ra, corr, 16));
    CHECK_OK(ik_nlls_result_stderr(ra, se, 4));
    for (i = 0; i < 16; i++) CHECK_CLOSE(cr[i], ca[i] * info.reduced_chi2, 1e-12, 1e-300);
    for (i = 0; i < 4; i++) {
        CHECK_CLOSE(se[i], sqrt(ca[i * 5]), 1e-15, 0);
        CHECK_CLOSE(corr[i * 5], 1.0, 1e-14, 0);
        for (j = 0; j < 4; j++) CHECK_CLOSE(ca[i * 4 + j], ca[j * 4 + i], 1e-14, 1e-300);
    }
    /* residuals and Jacobian: the weighted ones at the optimum; J^T r = 0 there. */
    CHECK_OK(ik_nlls_result_residuals(ra, res, NG));
    CHECK_OK(ik_nlls_result_jacobian(ra, jac, NG * 4));
    {
        double chi2 = 0, g[4] = {0, 0, 0, 0};
        for (i = 0; i < NG; i++) {
            chi2 += res[i] * res[i];
            for (j = 0; j < 4; j++) g[j] += jac[i * 4 + j] * res[i];
        }
        CHECK_CLOSE(chi2, info.chi2, 1e-13, 0);
        for (j = 0; j < 4; j++) {
            double norm = 0;
            for (i = 0; i < NG; i++) norm += jac[i * 4 + j] * jac[i * 4 + j];
            /* converged: the cosine between r and each column is within sqrt(ftol) = 3.2e-8 */
            CHECK(fabs(g[j]) <= 3.2e-8 * sqrt(norm * chi2));
        }
        CHECK_CLOSE(jac[3], 1.0 / 0.05, 1e-14, 0); /* d r / d B = 1/sigma */
    }
    CHECK_OK(ik_nlls_result_active_bounds(ra, active, 4));
    for (j = 0; j < 4; j++) CHECK(active[j] == 0);
    ik_nlls_result_free(ra);
    ik_nlls_result_free(rr);
    ik_model_free(m);
}

/* The Laplace covariance equals the inverse of the exact Hessian of 1/2 chi2, written out as a
 * formula of the parameters for 8 data points, differentiated by ik_model_hessian. */
static int invert4(const double* a, double* inv) {
    double m[4][8];
    int i, j, k;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 8; j++) m[i][j] = j < 4 ? a[i * 4 + j] : (j - 4 == i);
    for (k = 0; k < 4; k++) {
        int piv = k;
        for (i = k + 1; i < 4; i++)
            if (fabs(m[i][k]) > fabs(m[piv][k])) piv = i;
        if (m[piv][k] == 0) return 0;
        for (j = 0; j < 8; j++) {
            double t = m[k][j];
            m[k][j] = m[piv][j];
            m[piv][j] = t;
        }
        for (i = 0; i < 4; i++) {
            double f;
            if (i == k) continue;
            f = m[i][k] / m[k][k];
            for (j = 0; j < 8; j++) m[i][j] -= f * m[k][j];
        }
    }
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++) inv[i * 4 + j] = m[i][j + 4] / m[i][i];
    return 1;
}

static void test_laplace(void) {
    enum { N = 8 };
    double x[N], y[N], s[N], p[4], lap[16], cov[16], h[16], hinv[16];
    char formula[4096];
    size_t i, used = 0;
    ik_model_t *m = peak_model(), *chi = NULL;
    ik_nlls_result_t* r = NULL;
    ik_nlls_options_t opts;
    static const char* const params[] = {"A", "mu", "sig", "B"};
    for (i = 0; i < N; i++) {
        double z;
        x[i] = -0.6 + 0.17 * (double)i;
        z = (x[i] - 0.3) / 0.25;
        s[i] = 0.1 + 0.02 * (double)i;
        y[i] = 2.0 * exp(-0.5 * z * z) + 0.5 + ((i % 3) - 1.0) * 0.15; /* visible residuals */
    }
    ik_nlls_options_default(&opts);
    opts.laplace = 1;
    CHECK_OK(ik_nlls_fit(m, x, N, y, s, IK_SIGMA_ABSOLUTE, START, 4, NULL, NULL, &opts, &r));
    if (!r) return;
    CHECK_OK(ik_nlls_result_params(r, p, 4));
    CHECK_OK(ik_nlls_result_laplace_covariance(r, lap, 16));
    CHECK_OK(ik_nlls_result_covariance(r, cov, 16));
    CHECK(strcmp(ik_nlls_result_laplace_issue(r), "") == 0);
    used += (size_t)snprintf(formula + used, sizeof formula - used, "0.5*(0");
    for (i = 0; i < N; i++)
        used += (size_t)snprintf(formula + used, sizeof formula - used,
                                 " + ((A*exp(-0.5*((%.17g-mu)/sig)^2) + B - %.17g)/%.17g)^2", x[i],
                                 y[i], s[i]);
    snprintf(formula + used, sizeof formula - used, ")");
    CHECK_OK(ik_model_compile(formula, NULL, 0, params, 4, &chi));
    if (chi) {
        CHECK_OK(ik_model_hessian(chi, p, 4, h));
        CHECK(invert4(h, hinv));
        for (i = 0; i < 16; i++) CHECK_CLOSE(lap[i], hinv[i], 1e-8, 1e-14);
        /* with visible residuals the full Hessian differs from J^T W J */
        CHECK(fabs(lap[5] - cov[5]) > 1e-4 * fabs(cov[5]));
    }
    ik_model_free(chi);
    ik_nlls_result_free(r);
    ik_model_free(m);
}

static int32_t stop_after_two(int64_t iteration, const double* p, size_t n, double cost, void* user) {
    (void)p;
    (void)n;
    (void)cost;
    (*(int*)user)++;
    return iteration >= 2;
}

static void test_methods_and_options(void) {
    double x[NG], y[NG], s[NG], ref[4], se[4], p[4], scale[4] = {1, 0.1, 0.1, 1};
    ik_model_t* m = peak_model();
    ik_nlls_result_t* r;
    ik_nlls_options_t opts;
    ik_nlls_info_t info;
    int seen = 0;
    size_t j;
    peak_data(x, y, s, 3u);
    r = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    if (!r) return;
    CHECK_OK(ik_nlls_result_params(r, ref, 4));
    CHECK_OK(ik_nlls_result_stderr(r, se, 4));
    ik_nlls_result_free(r);

    ik_nlls_options_default(&opts);
    CHECK(opts.struct_size == sizeof opts);
    CHECK(opts.ftol == 1e-15 && opts.method == IK_NLLS_LEVENBERG_MARQUARDT && opts.factor == 10);
    opts.method = IK_NLLS_GAUSS_NEWTON; /* from a good start Gauss-Newton gets there too */
    {
        double near[4] = {1.9, 0.29, 0.11, 0.45};
        CHECK_OK(ik_nlls_fit(m, x, NG, y, s, IK_SIGMA_ABSOLUTE, near, 4, NULL, NULL, &opts, &r));
    }
    if (r) {
        CHECK_OK(ik_nlls_result_params(r, p, 4));
        for (j = 0; j < 4; j++) CHECK_CLOSE(p[j], ref[j], 0, 1e-6 * se[j]);
        ik_nlls_result_free(r);
    }
    ik_nlls_options_default(&opts);
    opts.geodesic = 1;
    r = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, &opts);
    if (r) {
        CHECK_OK(ik_nlls_result_params(r, p, 4));
        for (j = 0; j < 4; j++) CHECK_CLOSE(p[j], ref[j], 0, 1e-6 * se[j]);
        ik_nlls_result_free(r);
    }
    ik_nlls_options_default(&opts);
    opts.x_scale = scale;
    r = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, &opts);
    if (r) {
        CHECK_OK(ik_nlls_result_params(r, p, 4));
        for (j = 0; j < 4; j++) CHECK_CLOSE(p[j], ref[j], 0, 1e-6 * se[j]);
        ik_nlls_result_free(r);
    }
    /* a small evaluation budget: a result, not converged */
    ik_nlls_options_default(&opts);
    opts.max_nfev = 3;
    r = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, &opts);
    if (r) {
        info_of(r, &info);
        CHECK(info.status == IK_NLLS_MAX_NFEV);
        CHECK(info.converged == 0);
        CHECK((info.flags & IK_NLLS_FLAG_NOT_CONVERGED) != 0);
        CHECK(info.nfev == 3);
        CHECK(strstr(ik_nlls_result_message(r), "max_nfev") != NULL);
        ik_nlls_result_free(r);
    }
    /* the progress callback stops the fit cleanly */
    ik_nlls_options_default(&opts);
    opts.progress = stop_after_two;
    opts.progress_data = &seen;
    r = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, &opts);
    if (r) {
        info_of(r, &info);
        CHECK(info.status == IK_NLLS_STOPPED);
        CHECK(info.iterations == 2);
        CHECK(seen == 2);
        ik_nlls_result_free(r);
    }
    ik_model_free(m);
}

static void test_robust_loss(void) {
    double x[NG], y[NG], s[NG], pl[4], pr[4];
    ik_model_t* m = peak_model();
    ik_nlls_options_t opts;
    ik_nlls_result_t *rl, *rr;
    size_t i;
    peak_data(x, y, s, 5u);
    for (i = 0; i < NG; i += 10) y[i] += 3.0; /* outliers */
    rl = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    ik_nlls_options_default(&opts);
    opts.loss = IK_LOSS_SOFT_L1;
    opts.f_scale = 2.0;
    rr = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, &opts);
    if (!rl || !rr) return;
    CHECK_OK(ik_nlls_result_params(rl, pl, 4));
    CHECK_OK(ik_nlls_result_params(rr, pr, 4));
    CHECK(fabs(pr[3] - TRUTH[3]) < 0.3 * fabs(pl[3] - TRUTH[3])); /* the background B */
    CHECK(fabs(pr[0] - TRUTH[0]) < 0.1);
    ik_nlls_result_free(rl);
    ik_nlls_result_free(rr);
    ik_model_free(m);
}

static void test_bounds(void) {
    double x[NG], y[NG], s[NG], p[4], se[4], cov[16];
    double lower[4] = {-INFINITY, -INFINITY, 0.01, -INFINITY};
    double upper[4] = {1.5, INFINITY, INFINITY, INFINITY}; /* A <= 1.5 binds (truth 2) */
    int32_t active[4];
    ik_model_t* m = peak_model();
    ik_nlls_result_t* r = NULL;
    ik_nlls_info_t info;
    peak_data(x, y, s, 9u);
    CHECK_OK(ik_nlls_fit(m, x, NG, y, s, IK_SIGMA_ABSOLUTE, START, 4, lower, upper, NULL, &r));
    if (!r) return;
    info_of(r, &info);
    CHECK(info.converged == 1);
    CHECK((info.flags & IK_NLLS_FLAG_AT_BOUND) != 0);
    CHECK_OK(ik_nlls_result_params(r, p, 4));
    CHECK(p[0] == 1.5);
    CHECK_OK(ik_nlls_result_active_bounds(r, active, 4));
    CHECK(active[0] == 1 && active[1] == 0 && active[2] == 0 && active[3] == 0);
    CHECK_OK(ik_nlls_result_stderr(r, se, 4));
    CHECK(isnan(se[0]) && se[1] > 0 && se[2] > 0 && se[3] > 0);
    CHECK_OK(ik_nlls_result_covariance(r, cov, 16));
    CHECK(isnan(cov[1]) && isfinite(cov[5]));
    CHECK(strstr(ik_nlls_result_covariance_issue(r), "'A' is held at a bound") != NULL);
    ik_nlls_result_free(r);
    ik_model_free(m);
}

/* Batches: each row equals its single fit bit for bit, for 1 and 2 threads; a bad row fails alone. */
static void test_batch(void) {
    enum { ROWS = 40 };
    static double y[ROWS * NG], xr[ROWS * NG], p0r[ROWS * 4];
    double x[NG], s[NG], one[4], bp1[ROWS * 4], bp2[ROWS * 4], bc[ROWS * 16], chi2[ROWS], se[ROWS * 4];
    double single_chi2, c[16];
    int32_t status[ROWS], term[ROWS];
    int64_t nfev[ROWS];
    ik_model_t* m = peak_model();
    ik_nlls_batch_t *b1 = NULL, *b2 = NULL, *b3 = NULL;
    ik_nlls_options_t opts;
    ik_nlls_info_t info;
    size_t r;
    for (r = 0; r < ROWS; r++) peak_data(x, y + r * NG, s, 100u + (unsigned)r);
    y[7 * NG + 3] = NAN; /* row 7 fails */
    ik_nlls_options_default(&opts);
    opts.n_threads = 1;
    CHECK_OK(ik_nlls_fit_batch(m, x, NG, 0, y, ROWS, s, 0, IK_SIGMA_ABSOLUTE, START, 0, 4, NULL, NULL,
                               &opts, &b1));
    opts.n_threads = 2;
    CHECK_OK(ik_nlls_fit_batch(m, x, NG, 0, y, ROWS, s, 0, IK_SIGMA_ABSOLUTE, START, 0, 4, NULL, NULL,
                               &opts, &b2));
    if (!b1 || !b2) return;
    CHECK_OK(ik_nlls_batch_params(b1, bp1, ROWS * 4));
    CHECK_OK(ik_nlls_batch_params(b2, bp2, ROWS * 4));
    CHECK(memcmp(bp1, bp2, sizeof bp1) == 0);
    CHECK_OK(ik_nlls_batch_covariance(b1, bc, ROWS * 16));
    CHECK_OK(ik_nlls_batch_stderr(b1, se, ROWS * 4));
    CHECK_OK(ik_nlls_batch_chi2(b1, chi2, ROWS));
    CHECK_OK(ik_nlls_batch_status(b1, status, ROWS));
    CHECK_OK(ik_nlls_batch_termination(b1, term, ROWS));
    CHECK_OK(ik_nlls_batch_nfev(b1, nfev, ROWS));
    CHECK(status[7] == IK_ERR_NONFINITE && term[7] == 0 && isnan(chi2[7]));
    CHECK(strstr(ik_nlls_batch_message(b1, 7), "Y[7][3] is NaN") != NULL);
    CHECK(strcmp(ik_nlls_batch_message(b1, ROWS), "") == 0);
    CHECK(strcmp(ik_nlls_batch_message(NULL, 0), "") == 0);
    for (r = 0; r < ROWS; r++) {
        ik_nlls_result_t* single = NULL;
        if (r == 7) continue;
        CHECK(status[r] == IK_OK && term[r] >= 1 && term[r] <= 6 && nfev[r] > 0);
        CHECK_OK(ik_nlls_fit(m, x, NG, y + r * NG, s, IK_SIGMA_ABSOLUTE, START, 4, NULL, NULL, NULL,
                             &single));
        if (!single) continue;
        CHECK_OK(ik_nlls_result_params(single, one, 4));
        CHECK_OK(ik_nlls_result_covariance(single, c, 16));
        info_of(single, &info);
        single_chi2 = info.chi2;
        CHECK(memcmp(one, bp1 + r * 4, sizeof one) == 0);
        CHECK(memcmp(c, bc + r * 16, sizeof c) == 0);
        CHECK(chi2[r] == single_chi2);
        CHECK(se[r * 4 + 2] == sqrt(c[10]));
        ik_nlls_result_free(single);
    }
    /* per-row x and p0 (the same values): the same results */
    for (r = 0; r < ROWS; r++) {
        memcpy(xr + r * NG, x, sizeof x);
        memcpy(p0r + r * 4, START, sizeof START);
    }
    opts.n_threads = 0;
    CHECK_OK(ik_nlls_fit_batch(m, xr, NG, 1, y, ROWS, s, 0, IK_SIGMA_ABSOLUTE, p0r, 1, 4, NULL,
                               NULL, &opts, &b3));
    if (b3) {
        CHECK_OK(ik_nlls_batch_params(b3, bp2, ROWS * 4));
        CHECK(memcmp(bp1, bp2, sizeof bp1) == 0);
    }
    ik_nlls_batch_free(b1);
    ik_nlls_batch_free(b2);
    ik_nlls_batch_free(b3);
    ik_nlls_batch_free(NULL);
    ik_model_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Callback models                                                                          */
/* ---------------------------------------------------------------------------------------- */

static void test_callback_models(void) {
    double x[5] = {-0.4, -0.1, 0.2, 0.35, 0.8}, p[4] = {2.0, 0.3, 0.15, 0.5};
    double out[5], exact[20], fd[20], central[20], g[4], h[16], v, err_fd = 0, err_central = 0;
    static const char* const names[] = {"A", "mu", "sig", "B"};
    static const char* const dup[] = {"A", "mu", "A", "B"};
    char name[8];
    ik_model_t *cb = NULL, *cbfd = NULL, *m = peak_model(), *bad = NULL;
    size_t i, ni = 9, np = 9;
    CHECK_OK(ik_model_create_callback(1, 4, names, peak_fn, peak_jac, NULL, &cb));
    CHECK_OK(ik_model_create_callback(1, 4, NULL, peak_fn, NULL, NULL, &cbfd));
    if (!cb || !cbfd || !m) return;
    CHECK_OK(ik_model_info(cb, &ni, &np));
    CHECK(ni == 1 && np == 4);
    CHECK_OK(ik_model_param_name(cb, 2, name, sizeof name));
    CHECK(strcmp(name, "sig") == 0);
    CHECK_OK(ik_model_param_name(cbfd, 3, name, sizeof name));
    CHECK(strcmp(name, "p3") == 0);
    CHECK_OK(ik_model_evaluate(cb, x, 5, p, 4, out));
    CHECK_OK(ik_model_jacobian(cb, x, 5, p, 4, NULL, exact));
    CHECK_OK(ik_model_jacobian(cbfd, x, 5, p, 4, NULL, fd));
    CHECK_OK(ik_model_set_finite_differences(cbfd, IK_FD_CENTRAL, 0));
    CHECK_OK(ik_model_jacobian(cbfd, x, 5, p, 4, NULL, central));
    for (i = 0; i < 20; i++) {
        CHECK_CLOSE(fd[i], exact[i], 1e-6, 1e-7);
        CHECK_CLOSE(central[i], exact[i], 1e-8, 1e-9);
        err_fd += fabs(fd[i] - exact[i]);
        err_central += fabs(central[i] - exact[i]);
    }
    CHECK(err_central < 0.1 * err_fd);
    CHECK_ERR(ik_model_set_finite_differences(m, IK_FD_CENTRAL, 0), IK_ERR_INVALID_ARGUMENT, "formula");
    CHECK_ERR(ik_model_set_finite_differences(cbfd, 2, 0), IK_ERR_INVALID_ARGUMENT, "scheme is 2");
    CHECK_ERR(ik_model_set_finite_differences(cbfd, 0, 1.5), IK_ERR_INVALID_ARGUMENT, "relative_step");
    CHECK_ERR(ik_model_create_callback(1, 4, NULL, NULL, NULL, NULL, &bad), IK_ERR_INVALID_ARGUMENT, "fn is NULL");
    CHECK(bad == NULL);
    CHECK_ERR(ik_model_create_callback(1, 0, NULL, peak_fn, NULL, NULL, &bad), IK_ERR_DIMENSION, "n_params is 0");
    CHECK_ERR(ik_model_create_callback(1, 4, dup, peak_fn, NULL, NULL, &bad), IK_ERR_INVALID_ARGUMENT, "'A'");
    CHECK_ERR(ik_model_create_callback(1, 4, NULL, peak_fn, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "model is NULL");
    /* scalar use of a callback model without inputs: f(a, b) = a^2 b via the peak-free path */
    CHECK_ERR(ik_model_gradient(cb, p, 4, &v, g), IK_ERR_INVALID_ARGUMENT, "without inputs");
    (void)h;
    ik_model_free(cb);
    ik_model_free(cbfd);
    ik_model_free(m);
}

static int32_t quadratic(const double* x, size_t n, size_t ni, const double* p, size_t np,
                         double* out, void* user) {
    size_t i;
    (void)x;
    (void)ni;
    (void)np;
    (void)user;
    for (i = 0; i < n; i++) out[i] = p[0] * p[0] * p[1] + sin(p[0] * p[1]); /* one scalar */
    return 0;
}

static void test_callback_objective(void) {
    double p[2] = {0.7, -1.3}, v, g[2], h[4];
    double a = p[0], b = p[1], c = cos(a * b), s = sin(a * b);
    ik_model_t* f = NULL;
    CHECK_OK(ik_model_create_callback(0, 2, NULL, quadratic, NULL, NULL, &f));
    if (!f) return;
    CHECK_OK(ik_model_value(f, p, 2, &v));
    CHECK_CLOSE(v, a * a * b + s, 1e-15, 0);
    CHECK_OK(ik_model_gradient(f, p, 2, &v, g));
    CHECK_CLOSE(g[0], 2 * a * b + b * c, 1e-8, 1e-10);
    CHECK_CLOSE(g[1], a * a + a * c, 1e-8, 1e-10);
    CHECK_OK(ik_model_hessian(f, p, 2, h));
    CHECK_CLOSE(h[0], 2 * b - b * b * s, 1e-4, 1e-6);
    CHECK_CLOSE(h[1], 2 * a + c - a * b * s, 1e-4, 1e-6);
    CHECK_CLOSE(h[3], -a * a * s, 1e-4, 1e-6);
    CHECK(h[1] == h[2]);
    ik_model_free(f);
}

/* A residual function without data: r(p) = (p0 - 1, 10 (p1 - p0^2)) (Rosenbrock). */
static int32_t rosenbrock(const double* x, size_t n, size_t ni, const double* p, size_t np,
                          double* out, void* user) {
    (void)x;
    (void)ni;
    (void)np;
    (void)user;
    if (n != 2) return 1;
    out[0] = p[0] - 1.0;
    out[1] = 10.0 * (p[1] - p[0] * p[0]);
    return 0;
}

static void test_residual_function(void) {
    double p0[2] = {-1.2, 1.0}, p[2];
    ik_model_t* f = NULL;
    ik_nlls_result_t* r = NULL;
    CHECK_OK(ik_model_create_callback(0, 2, NULL, rosenbrock, NULL, NULL, &f));
    CHECK_OK(ik_nlls_fit(f, NULL, 2, NULL, NULL, IK_SIGMA_RELATIVE, p0, 2, NULL, NULL, NULL, &r));
    if (r) {
        CHECK_OK(ik_nlls_result_params(r, p, 2));
        CHECK_CLOSE(p[0], 1.0, 1e-10, 1e-10);
        CHECK_CLOSE(p[1], 1.0, 1e-10, 1e-10);
        /* dof = 0 with relative sigma: no covariance, and the reason */
        CHECK_ERR(ik_nlls_result_stderr(r, p, 2), IK_ERR_SINGULAR, "no degrees of freedom");
        CHECK(isnan(p[0]) && isnan(p[1]));
    }
    ik_nlls_result_free(r);
    ik_model_free(f);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int32_t failing(const double* x, size_t n, size_t ni, const double* p, size_t np,
                       double* out, void* user) {
    int* calls = (int*)user;
    (*calls)++;
    if (*calls > 3) return 42;
    return peak_fn(x, n, ni, p, np, out, NULL);
}

static int32_t failing_jac(const double* x, size_t n, size_t ni, const double* p, size_t np,
                           double* jac, void* user) {
    (void)x;
    (void)n;
    (void)ni;
    (void)p;
    (void)np;
    (void)jac;
    (void)user;
    return -1;
}

/* NaN once p[0] (A) exceeds 1.5: the optimum (about 2) lies beyond the model's domain. */
static int32_t nan_beyond(const double* x, size_t n, size_t ni, const double* p, size_t np,
                          double* out, void* user) {
    size_t i;
    peak_fn(x, n, ni, p, np, out, user);
    if (p[0] > 1.5)
        for (i = 0; i < n; i++) out[i] = NAN;
    return 0;
}

static void test_bad_inputs(void) {
    double x[NG], y[NG], s[NG], p[4], tmp[16];
    double lo[4] = {0, 0, 0, 0}, hi[4] = {5, 5, 5, 5}, lo_bad[4] = {0, 0, 0, 0};
    double hi_bad[4] = {5, -1, 5, 5}, nanp[4] = {1, NAN, 0.2, 0}, scale_bad[4] = {1, 0, 1, 1};
    int calls = 0;
    ik_model_t *m = peak_model(), *fails = NULL, *jfails = NULL, *nanm = NULL, *zero = NULL;
    ik_nlls_result_t *r = NULL, *good = NULL;
    ik_nlls_options_t opts;
    ik_nlls_info_t info;
    ik_nlls_batch_t* b = NULL;
    static const char* const in[] = {"x"};
    int32_t active[4];
    peak_data(x, y, s, 13u);
#define FIT(model, xx, n, yy, ss, kind, pp, np, l, u, o) \
    ik_nlls_fit(model, xx, n, yy, ss, kind, pp, np, l, u, o, &r)
    CHECK_ERR(FIT(NULL, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "model is NULL");
    CHECK(r == NULL);
    CHECK_ERR(ik_nlls_fit(m, x, NG, y, s, 0, START, 4, NULL, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(FIT(m, NULL, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "x is NULL");
    CHECK_ERR(FIT(m, x, NG, y, s, 0, NULL, 4, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "p0 is NULL");
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 3, NULL, NULL, NULL), IK_ERR_DIMENSION, "n_params is 3");
    CHECK_ERR(FIT(m, x, 0, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_DIMENSION, "n_points is 0");
    CHECK_ERR(FIT(m, x, 3, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_DIMENSION, "3 residuals but 4 parameters");
    CHECK_ERR(FIT(m, x, NG, y, s, 2, START, 4, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "sigma_kind is 2");
    CHECK_ERR(FIT(m, x, NG, y, s, 0, nanp, 4, NULL, NULL, NULL), IK_ERR_NONFINITE, "p0[1] (parameter 'mu') is nan");
    x[5] = NAN;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_NONFINITE, "x[5,0] (input 'x') is nan");
    x[5] = 0;
    y[9] = INFINITY;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_NONFINITE, "y[9] is inf");
    y[9] = 0.5;
    s[4] = 0;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "sigma[4] is 0.0");
    s[4] = NAN;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_NONFINITE, "sigma[4] is nan");
    s[4] = 0.05;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, lo_bad, hi_bad, NULL), IK_ERR_INVALID_ARGUMENT,
              "lower[1] = 0.0 is above upper[1] = -1.0");
    {   /* lower == upper fixes a parameter: it is held, and has no uncertainty */
        double fix_lo[4] = {-INFINITY, 0.2, -INFINITY, -INFINITY}, fix_hi[4] = {INFINITY, 0.2, INFINITY, INFINITY};
        int32_t held[4];
        CHECK_OK(FIT(m, x, NG, y, s, 1, START, 4, fix_lo, fix_hi, NULL));
        if (r) {
            CHECK_OK(ik_nlls_result_params(r, p, 4));
            CHECK(p[1] == 0.2);
            CHECK_OK(ik_nlls_result_active_bounds(r, held, 4));
            CHECK(held[1] != 0 && held[0] == 0);
            ik_nlls_result_free(r);
            r = NULL;
        }
    }
    {
        double out_of_box[4] = {1, 6, 0.2, 0};
        CHECK_ERR(FIT(m, x, NG, y, s, 0, out_of_box, 4, lo, hi, NULL), IK_ERR_INVALID_ARGUMENT,
                  "p0[1] (parameter 'mu') = 6.0 is outside its bounds [0.0, 5.0]");
    }
    /* options */
    ik_nlls_options_default(&opts);
    opts.struct_size = 8;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "struct_size is 8");
    ik_nlls_options_default(&opts);
    opts.method = 5;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "options->method is 5");
    ik_nlls_options_default(&opts);
    opts.loss = 9;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "options->loss is 9");
    ik_nlls_options_default(&opts);
    opts.f_scale = 0;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "f_scale is 0");
    ik_nlls_options_default(&opts);
    opts.ftol = -1;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "ftol is -1");
    ik_nlls_options_default(&opts);
    opts.max_nfev = -3;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "max_nfev is -3");
    ik_nlls_options_default(&opts);
    opts.x_scale = scale_bad;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "x_scale[1] is 0");
    ik_nlls_options_default(&opts);
    opts.geodesic = 3;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "options->geodesic is 3");
    ik_nlls_options_default(&opts);
    opts.method = IK_NLLS_GAUSS_NEWTON;
    opts.geodesic = 1;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "geodesic");
    ik_nlls_options_default(&opts);
    opts.n_threads = -1;
    CHECK_ERR(FIT(m, x, NG, y, s, 0, START, 4, NULL, NULL, &opts), IK_ERR_INVALID_ARGUMENT, "n_threads is -1");
    CHECK_ERR(ik_nlls_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    /* models that fail */
    CHECK_OK(ik_model_create_callback(1, 4, NULL, failing, NULL, &calls, &fails));
    CHECK_ERR(FIT(fails, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_CALLBACK, "returned 42");
    CHECK(r == NULL);
    CHECK_OK(ik_model_create_callback(1, 4, NULL, peak_fn, failing_jac, NULL, &jfails));
    CHECK_ERR(FIT(jfails, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_CALLBACK, "Jacobian callback returned -1");
    CHECK_OK(ik_model_create_callback(1, 4, NULL, nan_beyond, NULL, NULL, &nanm));
    {
        double bad_start[4] = {1.6, 0.2, 0.2, 0};
        CHECK_ERR(FIT(nanm, x, NG, y, s, 0, bad_start, 4, NULL, NULL, NULL), IK_ERR_NONFINITE,
                  "the model is NaN at point 0 for the starting parameters");
    }
    CHECK_ERR(FIT(nanm, x, NG, y, s, 0, START, 4, NULL, NULL, NULL), IK_ERR_NONFINITE,
              "NaN or infinite at every step tried");
    CHECK(r == NULL);
    /* a parameter the model does not depend on: no covariance, and which one */
    CHECK_OK(ik_model_compile("a*exp(-x^2) + 0*c + b", in, 1, NULL, 0, &zero));
    {
        double p3[3] = {1, 0.5, 0.5};
        CHECK_OK(FIT(zero, x, NG, y, s, 1, p3, 3, NULL, NULL, NULL));
        if (r) {
            info_of(r, &info);
            CHECK((info.flags & IK_NLLS_FLAG_NO_COVARIANCE) != 0);
            CHECK(strstr(ik_nlls_result_covariance_issue(r), "parameter 'c'") != NULL);
            CHECK_ERR(ik_nlls_result_covariance(r, tmp, 16), IK_ERR_SINGULAR, "parameter 'c'");
            CHECK(isnan(tmp[0]));
            CHECK_ERR(ik_nlls_result_correlation(r, tmp, 16), IK_ERR_SINGULAR, "parameter 'c'");
            ik_nlls_result_free(r);
            r = NULL;
        }
    }
    /* result getters */
    good = fit_peak(m, x, y, s, IK_SIGMA_ABSOLUTE, NULL);
    if (good) {
        CHECK_ERR(ik_nlls_result_params(good, NULL, 4), IK_ERR_INVALID_ARGUMENT, "out is NULL");
        CHECK_ERR(ik_nlls_result_params(good, p, 3), IK_ERR_DIMENSION, "room for 3 values");
        CHECK_ERR(ik_nlls_result_covariance(good, tmp, 15), IK_ERR_DIMENSION, "room for 15");
        CHECK_ERR(ik_nlls_result_residuals(good, tmp, 16), IK_ERR_DIMENSION, "needs 200");
        CHECK_ERR(ik_nlls_result_active_bounds(good, active, 2), IK_ERR_DIMENSION, "room for 2");
        CHECK_ERR(ik_nlls_result_laplace_covariance(good, tmp, 16), IK_ERR_INVALID_ARGUMENT, "options.laplace = 0");
        memset(&info, 0, sizeof info);
        CHECK_ERR(ik_nlls_result_info(good, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is 0");
        CHECK_ERR(ik_nlls_result_info(good, NULL), IK_ERR_INVALID_ARGUMENT, "info is NULL");
    }
    CHECK_ERR(ik_nlls_result_params(NULL, p, 4), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK(strcmp(ik_nlls_result_message(NULL), "") == 0);
    CHECK(strcmp(ik_nlls_result_covariance_issue(NULL), "") == 0);
    ik_nlls_result_free(good);
    CHECK_ERR(ik_nlls_result_params(good, p, 4), IK_ERR_INVALID_ARGUMENT, "not a live ik_nlls_result_t");
    ik_nlls_result_free(good); /* a freed handle is ignored */
    ik_nlls_result_free(NULL);
    /* batch */
    CHECK_ERR(ik_nlls_fit_batch(m, x, NG, 0, y, 0, s, 0, 1, START, 0, 4, NULL, NULL, NULL, &b),
              IK_ERR_DIMENSION, "n_rows is 0");
    CHECK_ERR(ik_nlls_fit_batch(m, x, NG, 2, y, 1, s, 0, 1, START, 0, 4, NULL, NULL, NULL, &b),
              IK_ERR_INVALID_ARGUMENT, "x_per_row is 2");
    CHECK_ERR(ik_nlls_fit_batch(m, x, NG, 0, y, 1, s, 0, 1, START, 0, 5, NULL, NULL, NULL, &b),
              IK_ERR_DIMENSION, "n_params is 5");
    CHECK_ERR(ik_nlls_fit_batch(m, x, NG, 0, NULL, 1, s, 0, 1, START, 0, 4, NULL, NULL, NULL, &b),
              IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_nlls_fit_batch(m, x, NG, 0, y, 1, s, 0, 7, START, 0, 4, NULL, NULL, NULL, &b),
              IK_ERR_INVALID_ARGUMENT, "sigma_kind is 7");
    calls = 0;
    CHECK_ERR(ik_nlls_fit_batch(fails, x, NG, 0, y, 1, s, 0, 1, START, 0, 4, NULL, NULL, NULL, &b),
              IK_ERR_CALLBACK, "returned 42");
    CHECK(b == NULL);
    CHECK_ERR(ik_nlls_batch_params(NULL, p, 4), IK_ERR_INVALID_ARGUMENT, "batch is NULL");
#undef FIT
    ik_model_free(m);
    ik_model_free(fails);
    ik_model_free(jfails);
    ik_model_free(nanm);
    ik_model_free(zero);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_nlls DIR\n");
        return 2;
    }
    test_nist(argv[1]);
    test_peak_models_agree();
    test_covariance_scaling();
    test_laplace();
    test_methods_and_options();
    test_robust_loss();
    test_bounds();
    test_batch();
    test_callback_models();
    test_callback_objective();
    test_residual_function();
    test_bad_inputs();
    return ik_test_summary("test_nlls");
}
