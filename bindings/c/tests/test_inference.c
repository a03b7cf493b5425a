/*
 * test_inference.c - posteriors (ik_posterior_*), Laplace's method (ik_laplace*) and
 * log-probabilities (ik_logprob_*) through the C ABI.
 *
 * References: the log posterior written out directly in C (Gaussian, free-sigma, Poisson,
 * Student-t, formula and callback likelihoods; every prior kind), central differences of it for
 * the gradients, and ik_nlls_fit on the same data: with a Gaussian likelihood, known sigma and
 * flat priors, Laplace's covariance is ik_nlls_fit's full-Hessian covariance with absolute
 * sigma, and its Gauss-Newton covariance when the residuals vanish (noise-free data). The last
 * part feeds every bad input the header describes and asserts the status and the message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define NG 200
#define HALF_LOG_2PI 0.91893853320467274178
#define PI 3.14159265358979323846
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

static double peak(double x, const double* p) {
    double z = (x - p[1]) / p[2];
    return p[0] * exp(-0.5 * z * z) + p[3];
}

/* The lecture's Gaussian peak on a background; noise_level 0 gives exact data. */
static void peak_data(double* x, double* y, double* sigma, unsigned seed, double noise_level) {
    size_t i;
    unsigned state = seed;
    for (i = 0; i < NG; i++) {
        x[i] = -1.0 + 2.0 * (double)i / (NG - 1);
        sigma[i] = 0.05;
        y[i] = peak(x[i], TRUTH) + noise_level * noise(&state);
    }
}

static ik_model_t* peak_model(void) {
    static const char* const inputs[] = {"x"};
    ik_model_t* m = NULL;
    CHECK_OK(ik_model_compile(PEAK, inputs, 1, NULL, 0, &m));
    return m;
}

static double max_rel(const double* a, const double* b, size_t n) {
    double worst = 0, scale = 0;
    size_t i;
    for (i = 0; i < n; i++) scale = fabs(b[i]) > scale ? fabs(b[i]) : scale;
    for (i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]) / (fabs(b[i]) > 1e-3 * scale ? fabs(b[i]) : scale);
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* log p of a posterior at p, IK_OK checked. */
static double log_prob(const ik_posterior_t* post, const double* p, size_t n) {
    double v = NAN;
    CHECK_OK(ik_posterior_log_prob(post, p, n, &v, NULL));
    return v;
}

/* The gradient of log p against central differences of its values. */
static void check_gradient(const ik_posterior_t* post, const double* p, size_t n, double rtol) {
    double g[8], q[8], v = NAN, up, down, h;
    size_t j;
    char what[64];
    CHECK_OK(ik_posterior_log_prob(post, p, n, &v, g));
    CHECK_CLOSE(v, log_prob(post, p, n), 1e-14, 0);
    for (j = 0; j < n; j++) {
        memcpy(q, p, n * sizeof *p);
        h = 1e-6 * (fabs(p[j]) > 1 ? fabs(p[j]) : 1);
        q[j] = p[j] + h;
        up = log_prob(post, q, n);
        q[j] = p[j] - h;
        down = log_prob(post, q, n);
        snprintf(what, sizeof what, "gradient[%u] vs central differences", (unsigned)j);
        CHECK_MSG(fabs(g[j] - (up - down) / (2 * h)) <= rtol * (fabs(g[j]) + 1), what);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Log-probabilities: formula and callbacks                                                 */
/* ---------------------------------------------------------------------------------------- */

static double banana(const double* p) { return -0.5 * (p[0] * p[0] + (p[1] - p[0] * p[0]) * (p[1] - p[0] * p[0]) / 0.01); }

/* A 3-D Gaussian with precisions 1, 4, 9, many points per call; user_data counts the calls. */
static int32_t gauss_fn(const double* points, size_t n_points, size_t n_dim, double* values, void* user) {
    size_t i, j;
    if (user != NULL) (*(int*)user)++;
    for (i = 0; i < n_points; i++) {
        double s = 0;
        for (j = 0; j < n_dim; j++) s += (double)((j + 1) * (j + 1)) * points[i * n_dim + j] * points[i * n_dim + j];
        values[i] = -0.5 * s;
    }
    return 0;
}

static int32_t gauss_grad(const double* p, size_t n_dim, double* value, double* gradient, void* user) {
    size_t j;
    (void)user;
    gauss_fn(p, 1, n_dim, value, NULL);
    for (j = 0; j < n_dim; j++) gradient[j] = -(double)((j + 1) * (j + 1)) * p[j];
    return 0;
}

static int32_t failing_fn(const double* points, size_t n_points, size_t n_dim, double* values, void* user) {
    (void)points, (void)n_points, (void)n_dim, (void)values, (void)user;
    return 7;
}

static int32_t failing_grad(const double* p, size_t n_dim, double* value, double* gradient, void* user) {
    (void)p, (void)n_dim, (void)value, (void)gradient, (void)user;
    return 3;
}

static void test_logprob_formula(void) {
    static const char* const order[] = {"b", "a"};
    ik_logprob_t *lp = NULL, *swapped = NULL;
    double pts[6] = {0.3, -0.2, 1.1, 1.0, -0.7, 0.4}, vals[3], g[2], v = NAN, q[2];
    size_t n = 0, i;
    int32_t exact = -1;
    char name[8];
    CHECK_OK(ik_logprob_create_formula("-0.5*(a^2 + (b - a^2)^2/0.01)", NULL, 0, &lp));
    CHECK_OK(ik_logprob_n_dim(lp, &n));
    CHECK(n == 2);
    CHECK_OK(ik_logprob_has_exact_gradient(lp, &exact));
    CHECK(exact == 1);
    CHECK_OK(ik_logprob_param_name(lp, 0, name, sizeof name));
    CHECK(strcmp(name, "a") == 0);
    CHECK_OK(ik_logprob_param_name(lp, 1, name, sizeof name));
    CHECK(strcmp(name, "b") == 0);
    CHECK_OK(ik_logprob_eval(lp, pts, 3, 2, vals));
    for (i = 0; i < 3; i++) CHECK_CLOSE(vals[i], banana(pts + 2 * i), 1e-14, 1e-14);
    CHECK_OK(ik_logprob_grad(lp, pts + 2, 2, &v, g));
    CHECK_CLOSE(v, banana(pts + 2), 1e-14, 0);
    CHECK_CLOSE(g[0], -1.1 + (1.0 - 1.1 * 1.1) * 2 * 1.1 / 0.01, 1e-13, 1e-13);
    CHECK_CLOSE(g[1], -(1.0 - 1.1 * 1.1) / 0.01, 1e-13, 1e-13);
    /* Constrain and unconstrain are the identity for a formula. */
    CHECK_OK(ik_logprob_constrain(lp, pts, 1, 2, q));
    CHECK(q[0] == pts[0] && q[1] == pts[1]);
    CHECK_OK(ik_logprob_unconstrain(lp, pts, 1, 2, q));
    CHECK(q[0] == pts[0] && q[1] == pts[1]);
    /* An explicit order. */
    CHECK_OK(ik_logprob_create_formula("-0.5*(a^2 + (b - a^2)^2/0.01)", order, 2, &swapped));
    q[0] = pts[1];
    q[1] = pts[0];
    CHECK_OK(ik_logprob_eval(swapped, q, 1, 2, vals));
    CHECK_CLOSE(vals[0], banana(pts), 1e-14, 1e-14);
    ik_logprob_free(lp);
    ik_logprob_free(swapped);
    ik_logprob_free(NULL);
}

static void test_logprob_callback(void) {
    ik_logprob_t *fd = NULL, *exact = NULL, *bad = NULL, *badgrad = NULL;
    double p[3] = {0.4, -0.3, 0.25}, pts[6] = {0.1, 0.2, 0.3, -1, 0.5, 2}, vals[2], g[3], ge[3], v = NAN;
    int calls = 0;
    int32_t flag = -1;
    size_t j;
    char name[8];
    CHECK_OK(ik_logprob_create_callback(3, gauss_fn, NULL, &calls, &fd));
    CHECK_OK(ik_logprob_create_callback(3, gauss_fn, gauss_grad, NULL, &exact));
    CHECK_OK(ik_logprob_has_exact_gradient(fd, &flag));
    CHECK(flag == 0);
    CHECK_OK(ik_logprob_has_exact_gradient(exact, &flag));
    CHECK(flag == 1);
    CHECK_OK(ik_logprob_param_name(fd, 2, name, sizeof name));
    CHECK(strcmp(name, "p2") == 0);
    CHECK_OK(ik_logprob_eval(fd, pts, 2, 3, vals)); /* both points in one call */
    CHECK(calls == 1);
    CHECK_CLOSE(vals[0], -0.5 * (0.01 + 4 * 0.04 + 9 * 0.09), 1e-15, 0);
    CHECK_CLOSE(vals[1], -0.5 * (1 + 4 * 0.25 + 9 * 4), 1e-15, 0);
    CHECK_OK(ik_logprob_grad(fd, p, 3, &v, g));
    CHECK_OK(ik_logprob_grad(exact, p, 3, NULL, ge));
    for (j = 0; j < 3; j++) {
        CHECK_CLOSE(ge[j], -(double)((j + 1) * (j + 1)) * p[j], 1e-15, 0);
        CHECK_CLOSE(g[j], ge[j], 1e-8, 1e-10); /* central differences */
    }
    /* A failing callback: IK_ERR_CALLBACK naming it. */
    CHECK_OK(ik_logprob_create_callback(3, failing_fn, failing_grad, NULL, &bad));
    CHECK_ERR(ik_logprob_eval(bad, pts, 2, 3, vals), IK_ERR_CALLBACK, "log-probability callback returned 7");
    CHECK_ERR(ik_logprob_grad(bad, p, 3, &v, g), IK_ERR_CALLBACK, "gradient callback returned 3");
    CHECK_OK(ik_logprob_create_callback(3, failing_fn, NULL, NULL, &badgrad));
    CHECK_ERR(ik_logprob_grad(badgrad, p, 3, &v, g), IK_ERR_CALLBACK, "returned 7");
    ik_logprob_free(fd);
    ik_logprob_free(exact);
    ik_logprob_free(bad);
    ik_logprob_free(badgrad);
}

static void test_logprob_bad_inputs(void) {
    ik_logprob_t *lp = NULL, *out = (ik_logprob_t*)1;
    ik_model_t* m = peak_model();
    double p[2] = {0.1, 0.2}, v[2], nanp[2] = {0.1, NAN};
    size_t n;
    char small[1];
    CHECK_OK(ik_logprob_create_formula("-0.5*(a^2 + b^2)", NULL, 0, &lp));
    CHECK_ERR(ik_logprob_create_formula(NULL, NULL, 0, &out), IK_ERR_INVALID_ARGUMENT, "expression is NULL");
    CHECK(out == NULL);
    CHECK_ERR(ik_logprob_create_formula("-0.5*a^2", NULL, 0, NULL), IK_ERR_INVALID_ARGUMENT, "logprob is NULL");
    CHECK_ERR(ik_logprob_create_formula("-0.5*(a^2 +", NULL, 0, &out), IK_ERR_PARSE, "");
    CHECK_ERR(ik_logprob_create_formula("1 + 2", NULL, 0, &out), IK_ERR_INVALID_ARGUMENT, "no parameters");
    CHECK_ERR(ik_logprob_create_callback(0, gauss_fn, NULL, NULL, &out), IK_ERR_DIMENSION, "n_dim is 0");
    CHECK_ERR(ik_logprob_create_callback(2, NULL, NULL, NULL, &out), IK_ERR_INVALID_ARGUMENT, "fn is NULL");
    CHECK_ERR(ik_logprob_create_callback((size_t)1 << 40, gauss_fn, NULL, NULL, &out), IK_ERR_DIMENSION,
              "at most 1048576 parameters");
    CHECK_ERR(ik_logprob_eval(lp, p, 1, 3, v), IK_ERR_DIMENSION, "n_dim is 3 but the log-probability has 2");
    CHECK_ERR(ik_logprob_eval(lp, p, 0, 2, v), IK_ERR_DIMENSION, "n_points is 0");
    CHECK_ERR(ik_logprob_eval(lp, NULL, 1, 2, v), IK_ERR_INVALID_ARGUMENT, "points is NULL");
    CHECK_ERR(ik_logprob_eval(lp, p, 1, 2, NULL), IK_ERR_INVALID_ARGUMENT, "values is NULL");
    CHECK_ERR(ik_logprob_eval(lp, nanp, 1, 2, v), IK_ERR_NONFINITE, "points[1] is nan");
    CHECK_ERR(ik_logprob_grad(lp, p, 2, v, NULL), IK_ERR_INVALID_ARGUMENT, "gradient is NULL");
    CHECK_ERR(ik_logprob_grad(lp, p, 1, v, v), IK_ERR_DIMENSION, "n_dim is 1");
    CHECK_ERR(ik_logprob_eval(NULL, p, 1, 2, v), IK_ERR_INVALID_ARGUMENT, "logprob is NULL");
    CHECK_ERR(ik_logprob_eval((const ik_logprob_t*)m, p, 1, 2, v), IK_ERR_INVALID_ARGUMENT, "not a live ik_logprob_t");
    CHECK_ERR(ik_logprob_n_dim(lp, NULL), IK_ERR_INVALID_ARGUMENT, "n_dim is NULL");
    CHECK_ERR(ik_logprob_param_name(lp, 2, small, 1), IK_ERR_INVALID_ARGUMENT, "index is 2");
    CHECK_ERR(ik_logprob_param_name(lp, 0, small, 1), IK_ERR_DIMENSION, "needs 2 bytes");
    CHECK_ERR(ik_logprob_create_posterior(NULL, 0, &out), IK_ERR_INVALID_ARGUMENT, "posterior is NULL");
    CHECK_OK(ik_logprob_n_dim(lp, &n));
    ik_logprob_free(lp);
    CHECK_ERR(ik_logprob_n_dim(lp, &n), IK_ERR_INVALID_ARGUMENT, "not a live ik_logprob_t"); /* freed */
    ik_model_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Posteriors: log p against direct computations                                            */
/* ---------------------------------------------------------------------------------------- */

static double gauss_loglik(const double* x, const double* y, const double* s, const double* p) {
    double total = 0;
    size_t i;
    for (i = 0; i < NG; i++) {
        double r = (y[i] - peak(x[i], p)) / s[i];
        total += -0.5 * r * r - log(s[i]) - HALF_LOG_2PI;
    }
    return total;
}

static void test_posterior_gaussian(void) {
    double x[NG], y[NG], s[NG], p[4] = {1.8, 0.32, 0.12, 0.45}, q[4];
    ik_model_t* m = peak_model();
    ik_posterior_t* post = NULL;
    size_t n = 0;
    char name[8];
    double lp, expected;
    peak_data(x, y, s, 7u, 0.05);
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    ik_model_free(m); /* the posterior keeps its own copy of a formula */
    CHECK_OK(ik_posterior_n_params(post, &n));
    CHECK(n == 4);
    CHECK_OK(ik_posterior_param_name(post, 2, name, sizeof name));
    CHECK(strcmp(name, "sig") == 0);
    /* Flat priors: log p is the log-likelihood. */
    CHECK_CLOSE(log_prob(post, p, 4), gauss_loglik(x, y, s, p), 1e-13, 0);
    check_gradient(post, p, 4, 1e-6);
    /* Every prior kind, against the log densities written out. */
    CHECK_OK(ik_posterior_set_prior(post, "A", IK_PRIOR_HALFNORMAL, 5.0, 0.0));
    CHECK_OK(ik_posterior_set_prior(post, "mu", IK_PRIOR_NORMAL, 0.3, 0.1));
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_LOGNORMAL, log(0.1), 1.0));
    CHECK_OK(ik_posterior_set_prior(post, "B", IK_PRIOR_UNIFORM, -1.0, 2.0));
    expected = gauss_loglik(x, y, s, p) + (0.5 * log(2 / PI) - log(5.0) - 0.5 * (1.8 / 5) * (1.8 / 5)) +
               (-0.5 * 0.2 * 0.2 - log(0.1) - HALF_LOG_2PI) +
               (-log(0.12) - HALF_LOG_2PI - 0.5 * (log(0.12) - log(0.1)) * (log(0.12) - log(0.1))) - log(3.0);
    lp = log_prob(post, p, 4);
    CHECK_CLOSE(lp, expected, 1e-13, 0);
    check_gradient(post, p, 4, 1e-6);
    CHECK_OK(ik_posterior_set_prior(post, "B", IK_PRIOR_LOGUNIFORM, 0.1, 10.0));
    CHECK_CLOSE(log_prob(post, p, 4), lp + log(3.0) - log(0.45) - log(log(100.0)), 1e-13, 0);
    CHECK_OK(ik_posterior_set_prior(post, "B", IK_PRIOR_FLAT, 0.0, INFINITY));
    CHECK_CLOSE(log_prob(post, p, 4), lp + log(3.0), 1e-13, 0);
    /* Outside a support: -inf, gradient 0. */
    memcpy(q, p, sizeof q);
    q[3] = -0.1;
    CHECK(log_prob(post, q, 4) == -INFINITY);
    /* A custom log-prior formula adds its value. */
    CHECK_OK(ik_posterior_set_log_prior_formula(post, "-0.5*((A - 2*B)/0.1)^2"));
    CHECK_CLOSE(log_prob(post, p, 4), lp + log(3.0) - 0.5 * pow((1.8 - 0.9) / 0.1, 2), 1e-13, 0);
    check_gradient(post, p, 4, 1e-6);
    ik_posterior_free(post);
    ik_posterior_free(NULL);
}

/* The joint log-prior -0.5 ((A - 2 B)/0.1)^2 as a callback. */
static int32_t joint_prior(const double* points, size_t n_points, size_t n_dim, double* values, void* user) {
    (void)n_dim, (void)user;
    if (n_points != 1) return 1;
    values[0] = -0.5 * pow((points[0] - 2 * points[3]) / 0.1, 2);
    return 0;
}

static void test_log_prior_callback(void) {
    double x[NG], y[NG], s[NG], p[4] = {1.8, 0.32, 0.12, 0.45};
    ik_model_t* m = peak_model();
    ik_posterior_t* post = NULL;
    peak_data(x, y, s, 7u, 0.05);
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_OK(ik_posterior_set_log_prior_callback(post, joint_prior, NULL, NULL));
    CHECK_CLOSE(log_prob(post, p, 4), gauss_loglik(x, y, s, p) - 0.5 * pow((1.8 - 0.9) / 0.1, 2), 1e-13, 0);
    check_gradient(post, p, 4, 1e-5);
    CHECK_OK(ik_posterior_set_log_prior_callback(post, failing_fn, NULL, NULL));
    CHECK_ERR(ik_posterior_log_prob(post, p, 4, &s[0], NULL), IK_ERR_CALLBACK, "log-prior callback returned 7");
    ik_posterior_free(post);
    ik_model_free(m);
}

/* Free sigma, Poisson, Student-t, formula and callback likelihoods. */
static int32_t gauss_terms(const double* f, const double* y, const double* s, size_t n, const double* eta,
                           size_t n_eta, double* out, void* user) {
    size_t i;
    (void)user;
    if (n_eta != 1) return 1;
    for (i = 0; i < n; i++) {
        double r = (y[i] - f[i]) / (eta[0] * s[i]);
        out[i] = -0.5 * r * r - log(eta[0] * s[i]) - HALF_LOG_2PI;
    }
    return 0;
}

static void test_likelihoods(void) {
    static const char* const inputs[] = {"x"};
    static const char* const eta_names[] = {"scale"};
    double x[NG], y[NG], s[NG], counts[30], cx[30], p5[5] = {1.8, 0.32, 0.12, 0.45, 1.3}, v;
    double pp[2] = {20.0, 0.4}, total;
    ik_model_t *m = peak_model(), *decay = NULL;
    ik_posterior_t* post = NULL;
    ik_posterior_options_t opts;
    size_t i, n = 0;
    char name[8];
    unsigned state = 3u;
    peak_data(x, y, s, 7u, 0.05);

    /* Gaussian with a free scale on relative sigma. */
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN_FREE_SIGMA, NULL, &post));
    CHECK_OK(ik_posterior_n_params(post, &n));
    CHECK(n == 5);
    CHECK_OK(ik_posterior_param_name(post, 4, name, sizeof name));
    CHECK(strcmp(name, "sigma") == 0);
    for (i = 0, total = 0; i < NG; i++) {
        double r = (y[i] - peak(x[i], p5)) / (1.3 * s[i]);
        total += -0.5 * r * r - log(1.3 * s[i]) - HALF_LOG_2PI;
    }
    CHECK_CLOSE(log_prob(post, p5, 5), total, 1e-13, 1e-11); /* 200 terms that nearly cancel */
    check_gradient(post, p5, 5, 1e-6);
    ik_posterior_free(post);

    /* The same as a callback likelihood with its own parameter name. */
    CHECK_OK(ik_posterior_options_default(&opts));
    opts.log_likelihood_fn = gauss_terms;
    opts.log_likelihood_params = eta_names;
    opts.n_log_likelihood_params = 1;
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_CALLBACK, &opts, &post));
    CHECK_OK(ik_posterior_param_name(post, 4, name, sizeof name));
    CHECK(strcmp(name, "scale") == 0);
    CHECK_CLOSE(log_prob(post, p5, 5), total, 1e-13, 1e-11); /* 200 terms that nearly cancel */
    check_gradient(post, p5, 5, 1e-5);
    ik_posterior_free(post);

    /* A formula likelihood: Laplace noise with free scale b. */
    CHECK_OK(ik_posterior_options_default(&opts));
    opts.log_likelihood = "-abs(f - y)/b - log(2*b)";
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, NULL, IK_LIKELIHOOD_FORMULA, &opts, &post));
    CHECK_OK(ik_posterior_param_name(post, 4, name, sizeof name));
    CHECK(strcmp(name, "b") == 0);
    for (i = 0, total = 0; i < NG; i++) total += -fabs(peak(x[i], p5) - y[i]) / 1.3 - log(2 * 1.3);
    CHECK_CLOSE(log_prob(post, p5, 5), total, 1e-13, 1e-11); /* a sum of 200 terms that nearly cancel */
    ik_posterior_free(post);

    /* Student-t, fixed nu = 3, known sigma. */
    CHECK_OK(ik_posterior_options_default(&opts));
    opts.nu = 3.0;
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_STUDENT_T, &opts, &post));
    for (i = 0, total = 0; i < NG; i++) {
        double r = (y[i] - peak(x[i], p5)) / s[i];
        total += lgamma(2.0) - lgamma(1.5) - 0.5 * log(3 * PI) - log(s[i]) - 2.0 * log1p(r * r / 3);
    }
    CHECK_CLOSE(log_prob(post, p5, 4), total, 1e-12, 0);
    check_gradient(post, p5, 4, 1e-6);
    ik_posterior_free(post);
    /* ... and with nu free (named "dof"), after the free scale. */
    opts.nu_free = 1;
    opts.nu_name = "dof";
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_STUDENT_T_FREE_SIGMA, &opts, &post));
    CHECK_OK(ik_posterior_n_params(post, &n));
    CHECK(n == 6);
    CHECK_OK(ik_posterior_param_name(post, 5, name, sizeof name));
    CHECK(strcmp(name, "dof") == 0);
    ik_posterior_free(post);

    /* Poisson counts of a decay a exp(-x / tau). */
    CHECK_OK(ik_model_compile("a*exp(-x/tau)", inputs, 1, NULL, 0, &decay));
    for (i = 0; i < 30; i++) {
        double rate;
        cx[i] = 0.1 * (double)i;
        rate = 20 * exp(-cx[i] / 0.5);
        counts[i] = floor(rate + sqrt(rate) * noise(&state) + 0.5);
        if (counts[i] < 0) counts[i] = 0;
    }
    CHECK_OK(ik_posterior_create(decay, cx, 30, 1, counts, NULL, IK_LIKELIHOOD_POISSON, NULL, &post));
    for (i = 0, total = 0; i < 30; i++) {
        double rate = pp[0] * exp(-cx[i] / pp[1]);
        total += counts[i] * log(rate) - rate - lgamma(counts[i] + 1);
    }
    CHECK_CLOSE(log_prob(post, pp, 2), total, 1e-13, 0);
    check_gradient(post, pp, 2, 1e-6);
    pp[0] = -1; /* a negative rate is impossible */
    CHECK_OK(ik_posterior_log_prob(post, pp, 2, &v, NULL));
    CHECK(v == -INFINITY);
    ik_posterior_free(post);
    ik_model_free(decay);
    ik_model_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Laplace's method against ik_nlls_fit                                                     */
/* ---------------------------------------------------------------------------------------- */

static void laplace_vs_nlls(double noise_level, int compare_gauss_newton) {
    double x[NG], y[NG], s[NG], map[4], cov[16], se[4], corr[16], hess[16], lsq[16], gn[16], pf[4], lp;
    ik_model_t* m = peak_model();
    ik_posterior_t* post = NULL;
    ik_laplace_result_t* r = NULL;
    ik_laplace_info_t info;
    ik_nlls_result_t* fit = NULL;
    ik_nlls_options_t nopts;
    size_t i;
    char what[160];
    peak_data(x, y, s, 11u, noise_level);
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    /* The width is positive (the model is symmetric in sig): a flat prior on (0, inf). */
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_FLAT, 0.0, INFINITY));
    if (!CHECK_OK(ik_laplace(post, START, 4, NULL, &r))) return;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_laplace_result_info(r, &info));
    CHECK(info.n_params == 4 && info.converged == 1 && info.has_covariance == 1);
    CHECK(info.evidence_is_proper == 0 && info.issue_param == -1 && info.iterations > 0 && info.nfev > 0);
    CHECK(isfinite(info.log_evidence));
    CHECK_OK(ik_laplace_result_map(r, map, 4));
    CHECK_OK(ik_laplace_result_covariance(r, cov, 16));
    CHECK_OK(ik_laplace_result_stderr(r, se, 4));
    CHECK_OK(ik_laplace_result_correlation(r, corr, 16));
    CHECK_OK(ik_laplace_result_hessian(r, hess, 16));
    lp = log_prob(post, map, 4);
    CHECK_CLOSE(info.log_posterior, lp, 1e-12, 0);
    CHECK(strcmp(ik_laplace_result_covariance_issue(r), "") == 0);
    CHECK(strstr(ik_laplace_result_issues(r), "flat") != NULL); /* the evidence is improper */
    CHECK(strlen(ik_laplace_result_message(r)) > 0);
    for (i = 0; i < 4; i++) {
        CHECK_CLOSE(se[i], sqrt(cov[i * 5]), 1e-15, 0);
        CHECK_CLOSE(corr[i * 5], 1.0, 1e-14, 0);
    }
    /* H cov = I */
    {
        size_t a, b, k;
        double worst = 0;
        for (a = 0; a < 4; a++)
            for (b = 0; b < 4; b++) {
                double sum = 0;
                for (k = 0; k < 4; k++) sum += hess[a * 4 + k] * cov[k * 4 + b];
                worst = fabs(sum - (a == b)) > worst ? fabs(sum - (a == b)) : worst;
            }
        CHECK(worst < 1e-9);
    }
    /* ik_nlls_fit with absolute sigma and the full-Hessian covariance. */
    CHECK_OK(ik_nlls_options_default(&nopts));
    nopts.laplace = 1;
    CHECK_OK(ik_nlls_fit(m, x, NG, y, s, IK_SIGMA_ABSOLUTE, START, 4, NULL, NULL, &nopts, &fit));
    CHECK_OK(ik_nlls_result_params(fit, pf, 4));
    CHECK_OK(ik_nlls_result_laplace_covariance(fit, lsq, 16));
    CHECK_OK(ik_nlls_result_covariance(fit, gn, 16));
    snprintf(what, sizeof what, "noise %g: MAP vs ik_nlls_fit: %.2g", noise_level, max_rel(map, pf, 4));
    CHECK_MSG(max_rel(map, pf, 4) < 1e-7, what);
    snprintf(what, sizeof what, "noise %g: Laplace vs ik_nlls_fit's Laplace covariance: %.2g", noise_level,
             max_rel(cov, lsq, 16));
    CHECK_MSG(max_rel(cov, lsq, 16) < 1e-6, what);
    printf("Laplace, noise %g: MAP vs ik_nlls_fit %.2g, covariance vs its Laplace covariance %.2g, vs its "
           "Gauss-Newton covariance %.2g (max relative)\n", noise_level, max_rel(map, pf, 4), max_rel(cov, lsq, 16),
           max_rel(cov, gn, 16));
    if (compare_gauss_newton) {
        snprintf(what, sizeof what, "noise %g: Laplace vs ik_nlls_fit's (Gauss-Newton) covariance: %.2g",
                 noise_level, max_rel(cov, gn, 16));
        CHECK_MSG(max_rel(cov, gn, 16) < 1e-6, what);
    } else {
        /* With noise the residual term makes them differ (but not by much). */
        CHECK(max_rel(cov, gn, 16) > 1e-6 && max_rel(cov, gn, 16) < 0.3);
    }
    ik_nlls_result_free(fit);
    ik_laplace_result_free(r);
    ik_laplace_result_free(NULL);
    ik_posterior_free(post);
    ik_model_free(m);
}

static void test_laplace(void) {
    laplace_vs_nlls(0.05, 0); /* the lecture's noisy data */
    laplace_vs_nlls(0.0, 1);  /* exact data: the residuals vanish at the MAP */
}

/* max_ij |a_ij - b_ij| / sqrt(b_ii b_jj), 4 x 4: the difference in units of the standard errors. */
static double cov_gap(const double* a, const double* b) {
    size_t i, j;
    double worst = 0;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++) {
            double g = fabs(a[i * 4 + j] - b[i * 4 + j]) / sqrt(b[i * 5] * b[j * 5]);
            worst = g > worst ? g : worst;
        }
    return worst;
}

/* The Fisher Hessian: on the lecture's noisy data the covariance is ik_nlls_fit's Gauss-Newton
 * (J^T W J)^-1 with absolute sigma (scipy's curve_fit covariance); bad values of the option. */
static void test_laplace_fisher(void) {
    double x[NG], y[NG], s[NG], map[4], omap[4], cov[16], ocov[16], hess[16], gn[16], gn0[16], pf[4];
    ik_model_t* m = peak_model();
    ik_posterior_t *post = NULL, *formula = NULL;
    ik_posterior_options_t popts;
    ik_laplace_result_t *r = NULL, *observed = NULL;
    ik_laplace_options_t opts;
    ik_laplace_info_t info, oinfo;
    ik_nlls_result_t* fit = NULL;
    double gap, gap0;
    char what[200];
    peak_data(x, y, s, 11u, 0.05);
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_FLAT, 0.0, INFINITY));
    CHECK_OK(ik_laplace_options_default(&opts));
    CHECK(opts.hessian == IK_LAPLACE_HESSIAN_OBSERVED && opts.struct_size == sizeof opts);
    opts.hessian = IK_LAPLACE_HESSIAN_FISHER;
    if (!CHECK_OK(ik_laplace(post, START, 4, &opts, &r))) return;
    CHECK_OK(ik_laplace(post, START, 4, NULL, &observed));
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    oinfo = info;
    CHECK_OK(ik_laplace_result_info(r, &info));
    CHECK_OK(ik_laplace_result_info(observed, &oinfo));
    CHECK(info.converged == 1 && info.has_covariance == 1 && isfinite(info.log_evidence));
    CHECK_OK(ik_laplace_result_map(r, map, 4));
    CHECK_OK(ik_laplace_result_map(observed, omap, 4));
    CHECK(memcmp(map, omap, sizeof map) == 0); /* the MAP does not depend on the Hessian */
    CHECK_OK(ik_laplace_result_covariance(r, cov, 16));
    CHECK_OK(ik_laplace_result_covariance(observed, ocov, 16));
    CHECK_OK(ik_laplace_result_hessian(r, hess, 16));
    /* ik_nlls_fit with absolute sigma from the MAP (Levenberg-Marquardt from START stops a few
     * 1e-9 away, where J^T W J differs by about as much), and from START for the record. */
    CHECK_OK(ik_nlls_fit(m, x, NG, y, s, IK_SIGMA_ABSOLUTE, map, 4, NULL, NULL, NULL, &fit));
    CHECK_OK(ik_nlls_result_params(fit, pf, 4));
    CHECK_OK(ik_nlls_result_covariance(fit, gn, 16));
    ik_nlls_result_free(fit);
    CHECK_OK(ik_nlls_fit(m, x, NG, y, s, IK_SIGMA_ABSOLUTE, START, 4, NULL, NULL, NULL, &fit));
    CHECK_OK(ik_nlls_result_covariance(fit, gn0, 16));
    ik_nlls_result_free(fit);
    gap = cov_gap(cov, gn);
    gap0 = cov_gap(cov, gn0);
    printf("Laplace (Fisher) vs ik_nlls_fit's absolute-sigma covariance: %.2g (fit from the MAP), %.2g (from "
           "START); observed vs it %.2g (in standard errors)\n", gap, gap0, cov_gap(ocov, gn));
    snprintf(what, sizeof what, "Fisher Laplace vs ik_nlls_fit (J^T W J)^-1: %.2g, MAP vs fit %.2g", gap, max_rel(map, pf, 4));
    CHECK_MSG(gap < 1e-9 && max_rel(map, pf, 4) < 1e-12, what);
    CHECK(gap0 < 1e-6);
    CHECK(cov_gap(ocov, gn) > 1e-4); /* the observed Hessian has the residual term */
    CHECK(info.log_evidence != oinfo.log_evidence);
    /* H cov = I for the Fisher Hessian too. */
    {
        size_t a, b, k;
        double worst = 0;
        for (a = 0; a < 4; a++)
            for (b = 0; b < 4; b++) {
                double sum = 0;
                for (k = 0; k < 4; k++) sum += hess[a * 4 + k] * cov[k * 4 + b];
                worst = fabs(sum - (a == b)) > worst ? fabs(sum - (a == b)) : worst;
            }
        CHECK(worst < 1e-9);
    }
    ik_laplace_result_free(r);
    ik_laplace_result_free(observed);
    /* Bad values of the option, and a likelihood without a closed-form Fisher information. */
    opts.hessian = 2;
    CHECK_ERR(ik_laplace(post, START, 4, &opts, &r), IK_ERR_INVALID_ARGUMENT, "options->hessian is 2");
    CHECK(r == NULL);
    opts.hessian = -1;
    CHECK_ERR(ik_laplace(post, START, 4, &opts, &r), IK_ERR_INVALID_ARGUMENT, "options->hessian is -1");
    CHECK_OK(ik_posterior_options_default(&popts));
    popts.log_likelihood = "-abs(f - y)/b - log(2*b)";
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, NULL, IK_LIKELIHOOD_FORMULA, &popts, &formula));
    opts.hessian = IK_LAPLACE_HESSIAN_FISHER;
    CHECK_ERR(ik_laplace(formula, (double[]){2.0, 0.3, 0.1, 0.5, 0.05}, 5, &opts, &r), IK_ERR_INVALID_ARGUMENT,
              "Gaussian, Poisson and Student-t");
    CHECK(r == NULL);
    ik_posterior_free(formula);
    ik_posterior_free(post);
    ik_model_free(m);
}

static void test_laplace_options_and_issues(void) {
    static const char* const inputs[] = {"x"};
    double x[5] = {0, 1, 2, 3, 4}, y[5] = {0.1, 1.1, 1.9, 3.2, 3.9}, p0[3] = {0, 0.5, 0.5}, tmp[9];
    ik_model_t* m = NULL;
    ik_posterior_t* post = NULL;
    ik_laplace_result_t* r = NULL;
    ik_laplace_options_t opts;
    ik_minimize_options_t mopts;
    ik_laplace_info_t info;
    CHECK_OK(ik_model_compile("a + (b + c)*x", inputs, 1, NULL, 0, &m));
    CHECK_OK(ik_posterior_create(m, x, 5, 1, y, NULL, IK_LIKELIHOOD_GAUSSIAN_FREE_SIGMA, NULL, &post));
    CHECK_OK(ik_laplace_options_default(&opts));
    CHECK_OK(ik_minimize_options_default(&mopts));
    opts.minimize = &mopts;
    CHECK_OK(ik_laplace(post, (double[]){0, 0.5, 0.5, 1.0}, 4, &opts, &r));
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_laplace_result_info(r, &info));
    CHECK(info.has_covariance == 0 && isnan(info.log_evidence));
    CHECK(info.issue_param == 1 || info.issue_param == 2); /* b or c */
    CHECK(strstr(ik_laplace_result_covariance_issue(r), "'b'") != NULL ||
          strstr(ik_laplace_result_covariance_issue(r), "'c'") != NULL);
    CHECK_ERR(ik_laplace_result_covariance(r, tmp, 16), IK_ERR_SINGULAR, "no covariance");
    CHECK(isnan(tmp[0]));
    CHECK_ERR(ik_laplace_result_stderr(r, tmp, 4), IK_ERR_SINGULAR, "no covariance");
    CHECK_ERR(ik_laplace_result_map(r, tmp, 3), IK_ERR_DIMENSION, "room for 3");
    ik_laplace_result_free(r);
    /* Another method. */
    opts.method = IK_MINIMIZE_LBFGSB;
    CHECK_OK(ik_laplace(post, (double[]){0, 0.5, 0.5, 1.0}, 4, &opts, &r));
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_laplace_result_info(r, &info));
    CHECK(info.status >= IK_MINIMIZE_GTOL && info.status <= IK_MINIMIZE_NONFINITE);
    ik_laplace_result_free(r);
    /* Bad options. */
    opts.method = 42;
    CHECK_ERR(ik_laplace(post, (double[]){0, 0.5, 0.5, 1.0}, 4, &opts, &r), IK_ERR_INVALID_ARGUMENT, "options->method is 42");
    opts.method = -1;
    mopts.gtol = -1;
    CHECK_ERR(ik_laplace(post, (double[]){0, 0.5, 0.5, 1.0}, 4, &opts, &r), IK_ERR_INVALID_ARGUMENT, "gtol");
    opts.struct_size = 3;
    CHECK_ERR(ik_laplace(post, (double[]){0, 0.5, 0.5, 1.0}, 4, &opts, &r), IK_ERR_INVALID_ARGUMENT, "options->struct_size is 3");
    info.struct_size = 1;
    CHECK_ERR(ik_laplace_result_info(NULL, &info), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK(strcmp(ik_laplace_result_message(NULL), "") == 0);
    CHECK(strcmp(ik_laplace_result_issues(NULL), "") == 0);
    (void)p0;
    ik_posterior_free(post);
    ik_model_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Posteriors as log-probabilities                                                          */
/* ---------------------------------------------------------------------------------------- */

static void test_posterior_logprob(void) {
    double x[NG], y[NG], s[NG], p[4] = {1.8, 0.32, 0.12, 0.45}, u[4], back[4], v[2], vc, g[4], gc[4], pts[8];
    ik_model_t* m = peak_model();
    ik_posterior_t* post = NULL;
    ik_logprob_t *c = NULL, *un = NULL;
    size_t n = 0, j;
    int32_t exact = 0;
    char name[8];
    peak_data(x, y, s, 7u, 0.05);
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_LOGNORMAL, log(0.1), 1.0));
    CHECK_OK(ik_posterior_set_prior(post, "B", IK_PRIOR_UNIFORM, -1.0, 2.0));
    CHECK_OK(ik_logprob_create_posterior(post, IK_SPACE_CONSTRAINED, &c));
    CHECK_OK(ik_logprob_create_posterior(post, IK_SPACE_UNCONSTRAINED, &un));
    CHECK_OK(ik_logprob_n_dim(un, &n));
    CHECK(n == 4);
    CHECK_OK(ik_logprob_param_name(un, 2, name, sizeof name));
    CHECK(strcmp(name, "sig") == 0);
    CHECK_OK(ik_logprob_has_exact_gradient(un, &exact));
    CHECK(exact == 1);
    /* Constrained: the posterior itself, also at two points at once. */
    memcpy(pts, p, sizeof p);
    memcpy(pts + 4, p, sizeof p);
    pts[4 + 3] = 3.0; /* outside B's uniform prior */
    CHECK_OK(ik_logprob_eval(c, pts, 2, 4, v));
    CHECK_CLOSE(v[0], log_prob(post, p, 4), 1e-14, 0);
    CHECK(v[1] == -INFINITY);
    CHECK_OK(ik_logprob_grad(c, p, 4, &vc, gc));
    CHECK_OK(ik_posterior_log_prob(post, p, 4, &vc, g));
    for (j = 0; j < 4; j++) CHECK_CLOSE(gc[j], g[j], 1e-14, 0);
    /* Unconstrained: u = (A, mu, log sig, logit((B + 1)/3)), log q = log p + log|dtheta/du|. */
    CHECK_OK(ik_logprob_unconstrain(un, p, 1, 4, u));
    CHECK_CLOSE(u[2], log(0.12), 1e-14, 0);
    CHECK_CLOSE(u[3], log(1.45 / 1.55), 1e-14, 1e-15);
    CHECK_OK(ik_logprob_constrain(un, u, 1, 4, back));
    for (j = 0; j < 4; j++) CHECK_CLOSE(back[j], p[j], 1e-14, 1e-15);
    CHECK_OK(ik_logprob_eval(un, u, 1, 4, v));
    CHECK_CLOSE(v[0], log_prob(post, p, 4) + log(0.12) + log(3.0 * (1.45 / 3) * (1.55 / 3)), 1e-13, 0);
    /* The gradient in u: d/du_j against central differences. */
    CHECK_OK(ik_logprob_grad(un, u, 4, &vc, g));
    for (j = 0; j < 4; j++) {
        double q[4], up, down, h = 1e-6;
        memcpy(q, u, sizeof q);
        q[j] = u[j] + h;
        CHECK_OK(ik_logprob_eval(un, q, 1, 4, &up));
        q[j] = u[j] - h;
        CHECK_OK(ik_logprob_eval(un, q, 1, 4, &down));
        CHECK_CLOSE(g[j], (up - down) / (2 * h), 1e-6, 1e-6);
    }
    /* The handles are snapshots: they survive the posterior and later priors. */
    CHECK_OK(ik_posterior_set_prior(post, "mu", IK_PRIOR_NORMAL, 0.0, 1.0));
    ik_posterior_free(post);
    CHECK_OK(ik_logprob_eval(c, p, 1, 4, v));
    CHECK_CLOSE(v[0], vc - log(0.12) - log(3.0 * (1.45 / 3) * (1.55 / 3)), 1e-12, 0);
    /* A start on a bound has no unconstrained image. */
    back[2] = -0.1;
    CHECK_ERR(ik_logprob_unconstrain(un, back, 1, 4, u), IK_ERR_INVALID_ARGUMENT, "theta[2] (parameter 'sig') = -0.1");
    CHECK_ERR(ik_logprob_create_posterior(post, 0, &c), IK_ERR_INVALID_ARGUMENT, "not a live ik_posterior_t");
    ik_logprob_free(c);
    ik_logprob_free(un);
    ik_model_free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int32_t failing_model(const double* x, size_t n, size_t ni, const double* p, size_t np, double* out,
                             void* user) {
    (void)x, (void)n, (void)ni, (void)p, (void)np, (void)out, (void)user;
    return 5;
}

static void test_bad_inputs(void) {
    double x[NG], y[NG], s[NG], bad[NG], p[4] = {1.8, 0.32, 0.12, 0.45}, v, tmp[16];
    ik_model_t *m = peak_model(), *cb = NULL;
    ik_posterior_t *post = NULL, *out = (ik_posterior_t*)1;
    ik_posterior_options_t opts;
    ik_laplace_result_t* r = (ik_laplace_result_t*)1;
    size_t i;
    peak_data(x, y, s, 7u, 0.05);

    /* ik_posterior_create */
    CHECK_ERR(ik_posterior_create(NULL, x, NG, 1, y, s, 0, NULL, &out), IK_ERR_INVALID_ARGUMENT, "model is NULL");
    CHECK(out == NULL);
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, 0, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "posterior is NULL");
    CHECK_ERR(ik_posterior_create(m, NULL, NG, 1, y, s, 0, NULL, &out), IK_ERR_INVALID_ARGUMENT, "x is NULL");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, NULL, s, 0, NULL, &out), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_posterior_create(m, x, 0, 1, y, s, 0, NULL, &out), IK_ERR_DIMENSION, "n_points is 0");
    CHECK_ERR(ik_posterior_create(m, x, NG, 2, y, s, 0, NULL, &out), IK_ERR_DIMENSION, "n_inputs is 2 but the model has 1 input");
    memcpy(bad, s, sizeof bad);
    bad[3] = 0;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, bad, 0, NULL, &out), IK_ERR_INVALID_ARGUMENT, "sigma[3] is 0");
    bad[3] = -0.5;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, bad, 0, NULL, &out), IK_ERR_INVALID_ARGUMENT, "sigma[3] is -0.5");
    bad[3] = NAN;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, bad, 0, NULL, &out), IK_ERR_NONFINITE, "sigma[3] is nan");
    memcpy(bad, y, sizeof bad);
    bad[17] = NAN;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, bad, s, 0, NULL, &out), IK_ERR_NONFINITE, "y[17] is nan");
    memcpy(bad, x, sizeof bad);
    bad[4] = INFINITY;
    CHECK_ERR(ik_posterior_create(m, bad, NG, 1, y, s, 0, NULL, &out), IK_ERR_NONFINITE, "x[4,0] (input 'x') is inf");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, NULL, IK_LIKELIHOOD_GAUSSIAN, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "needs sigma");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_POISSON, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "sigma was given but the Poisson likelihood has no sigma");
    for (i = 0; i < NG; i++) bad[i] = (double)(i % 7);
    bad[1] = -1;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, bad, NULL, IK_LIKELIHOOD_POISSON, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "y[1] = -1");
    bad[1] = 2.5;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, bad, NULL, IK_LIKELIHOOD_POISSON, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "y[1] = 2.5 is not a count");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, 42, NULL, &out), IK_ERR_INVALID_ARGUMENT, "likelihood is 42");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_FORMULA, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "IK_LIKELIHOOD_FORMULA needs");
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_CALLBACK, NULL, &out), IK_ERR_INVALID_ARGUMENT,
              "IK_LIKELIHOOD_CALLBACK needs");
    CHECK_OK(ik_posterior_options_default(&opts));
    opts.nu = 0;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_STUDENT_T, &opts, &out), IK_ERR_INVALID_ARGUMENT,
              "options->nu is 0");
    opts.nu = 4;
    opts.nu_free = 2;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_STUDENT_T, &opts, &out), IK_ERR_INVALID_ARGUMENT,
              "options->nu_free is 2");
    opts.nu_free = 0;
    opts.scale_name = "mu";
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN_FREE_SIGMA, &opts, &out),
              IK_ERR_INVALID_ARGUMENT, "'mu'");
    opts.scale_name = NULL;
    opts.log_likelihood = "-abs(f - y)/b - log(2*b";
    CHECK_STATUS(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_FORMULA, &opts, &out), IK_ERR_PARSE);
    opts.struct_size = 7;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, &opts, &out), IK_ERR_INVALID_ARGUMENT,
              "options->struct_size is 7");
    CHECK_ERR(ik_posterior_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    {
        static const char* const inputs[] = {"x"};
        ik_model_t* constant = NULL;
        CHECK_OK(ik_model_compile("2*x", inputs, 1, NULL, 0, &constant));
        CHECK_ERR(ik_posterior_create(constant, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &out), IK_ERR_DIMENSION,
                  "the posterior has no parameters");
        ik_model_free(constant);
    }
    CHECK_OK(ik_posterior_options_default(&opts));
    opts.log_likelihood_fn = gauss_terms;
    opts.n_log_likelihood_params = (size_t)1 << 40;
    CHECK_ERR(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_CALLBACK, &opts, &out), IK_ERR_DIMENSION,
              "options->n_log_likelihood_params is 1099511627776");
    CHECK_OK(ik_posterior_options_default(&opts));

    /* ik_posterior_set_prior */
    CHECK_OK(ik_posterior_create(m, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_ERR(ik_posterior_set_prior(post, "foo", IK_PRIOR_NORMAL, 0, 1), IK_ERR_INVALID_ARGUMENT,
              "param_name 'foo' is not a parameter of the posterior (its parameters are A, mu, sig, B)");
    CHECK_ERR(ik_posterior_set_prior(post, NULL, IK_PRIOR_NORMAL, 0, 1), IK_ERR_INVALID_ARGUMENT, "param_name is NULL");
    CHECK_ERR(ik_posterior_set_prior(NULL, "mu", IK_PRIOR_NORMAL, 0, 1), IK_ERR_INVALID_ARGUMENT, "posterior is NULL");
    CHECK_ERR(ik_posterior_set_prior(post, "mu", 9, 0, 1), IK_ERR_INVALID_ARGUMENT, "kind is 9");
    CHECK_ERR(ik_posterior_set_prior(post, "mu", IK_PRIOR_NORMAL, 0, 0), IK_ERR_INVALID_ARGUMENT,
              "parameter 'mu' is invalid: sigma must be > 0");
    CHECK_ERR(ik_posterior_set_prior(post, "sig", IK_PRIOR_HALFNORMAL, -1, 0), IK_ERR_INVALID_ARGUMENT,
              "parameter 'sig' is invalid: sigma must be > 0");
    CHECK_ERR(ik_posterior_set_prior(post, "B", IK_PRIOR_UNIFORM, 2, 1), IK_ERR_INVALID_ARGUMENT,
              "lower must be below upper");
    CHECK_ERR(ik_posterior_set_prior(post, "B", IK_PRIOR_UNIFORM, 0, INFINITY), IK_ERR_INVALID_ARGUMENT,
              "both bounds must be finite");
    CHECK_ERR(ik_posterior_set_prior(post, "B", IK_PRIOR_LOGUNIFORM, 0, 1), IK_ERR_INVALID_ARGUMENT, "lower must be > 0");
    CHECK_ERR(ik_posterior_set_prior(post, "B", IK_PRIOR_NORMAL, NAN, 1), IK_ERR_NONFINITE, "NaN");
    /* A failed set_prior leaves the posterior unchanged (flat priors still). */
    CHECK_CLOSE(log_prob(post, p, 4), gauss_loglik(x, y, s, p), 1e-13, 0);
    CHECK_ERR(ik_posterior_set_log_prior_formula(post, "-0.5*(A - zz)^2"), IK_ERR_INVALID_ARGUMENT, "'zz'");
    CHECK_ERR(ik_posterior_set_log_prior_formula(post, NULL), IK_ERR_INVALID_ARGUMENT, "expression is NULL");
    CHECK_ERR(ik_posterior_set_log_prior_callback(post, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "fn is NULL");

    /* ik_posterior_log_prob */
    CHECK_ERR(ik_posterior_log_prob(post, p, 3, &v, NULL), IK_ERR_DIMENSION, "n is 3 but the posterior has 4 parameters");
    CHECK_ERR(ik_posterior_log_prob(post, NULL, 4, &v, NULL), IK_ERR_INVALID_ARGUMENT, "p is NULL");
    CHECK_ERR(ik_posterior_log_prob(post, p, 4, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "value is NULL");
    tmp[0] = p[0], tmp[1] = NAN, tmp[2] = p[2], tmp[3] = p[3];
    CHECK_ERR(ik_posterior_log_prob(post, tmp, 4, &v, NULL), IK_ERR_NONFINITE, "p[1] (parameter 'mu') is nan");
    CHECK_ERR(ik_posterior_n_params(post, NULL), IK_ERR_INVALID_ARGUMENT, "n_params is NULL");
    CHECK_ERR(ik_posterior_param_name(post, 4, (char*)tmp, 8), IK_ERR_INVALID_ARGUMENT, "index is 4");

    /* ik_laplace */
    CHECK_ERR(ik_laplace(post, START, 3, NULL, &r), IK_ERR_DIMENSION, "n is 3 but the posterior has 4 parameters");
    CHECK(r == NULL);
    CHECK_ERR(ik_laplace(post, NULL, 4, NULL, &r), IK_ERR_INVALID_ARGUMENT, "p0 is NULL");
    CHECK_ERR(ik_laplace(post, START, 4, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_laplace(NULL, START, 4, NULL, &r), IK_ERR_INVALID_ARGUMENT, "posterior is NULL");
    tmp[0] = 1, tmp[1] = 0.2, tmp[2] = INFINITY, tmp[3] = 0;
    CHECK_ERR(ik_laplace(post, tmp, 4, NULL, &r), IK_ERR_NONFINITE, "p0[2] (parameter 'sig') is inf");
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_LOGNORMAL, log(0.1), 1.0));
    tmp[2] = -0.2;
    CHECK_ERR(ik_laplace(post, tmp, 4, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "p0[2] (parameter 'sig') = -0.2 is outside the support");
    ik_posterior_free(post);

    /* A failing model callback stops log_prob and Laplace with IK_ERR_CALLBACK. */
    CHECK_OK(ik_model_create_callback(1, 4, NULL, failing_model, NULL, NULL, &cb));
    CHECK_OK(ik_posterior_create(cb, x, NG, 1, y, s, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_ERR(ik_posterior_log_prob(post, p, 4, &v, NULL), IK_ERR_CALLBACK, "model callback returned 5");
    CHECK_ERR(ik_laplace(post, START, 4, NULL, &r), IK_ERR_CALLBACK, "model callback returned 5");
    ik_posterior_free(post);
    ik_model_free(cb);
    ik_model_free(m);
}

int main(void) {
    test_logprob_formula();
    test_logprob_callback();
    test_logprob_bad_inputs();
    test_posterior_gaussian();
    test_log_prior_callback();
    test_likelihoods();
    test_laplace();
    test_laplace_fisher();
    test_laplace_options_and_issues();
    test_posterior_logprob();
    test_bad_inputs();
    return ik_test_summary("test_inference");
}
