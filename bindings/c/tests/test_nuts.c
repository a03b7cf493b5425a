/*
 * test_nuts.c - the No-U-Turn sampler (ik_nuts_*) through the C ABI.
 *
 * References: the known moments of the targets (a correlated 2-D Gaussian as a formula and as
 * a C callback with its gradient; the Gaussian peak posterior against ik_laplace's covariance),
 * bit-identity across thread counts and across a save/restore, and every bad input the header
 * describes with its status and message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

/* x ~ N(0, 1), y | x ~ N(x/2, 0.25): var x 1, var y 0.5, cov 0.5. */
static const char* GAUSS = "-0.5*x^2 - 2*(y - 0.5*x)^2";

static int32_t gauss_fn(const double* p, size_t n, size_t d, double* out, void* data) {
    size_t i;
    (void)data;
    for (i = 0; i < n; i++) {
        double x = p[i * d], y = p[i * d + 1];
        out[i] = -0.5 * x * x - 2 * (y - 0.5 * x) * (y - 0.5 * x);
    }
    return 0;
}

static int32_t gauss_grad(const double* p, size_t d, double* value, double* g, void* data) {
    double x = p[0], y = p[1], r = y - 0.5 * x;
    int* calls = (int*)data;
    (void)d;
    if (calls) (*calls)++;
    *value = -0.5 * x * x - 2 * r * r;
    g[0] = -x + 2 * r;
    g[1] = -4 * r;
    return 0;
}

static int32_t failing_grad(const double* p, size_t d, double* value, double* g, void* data) {
    int* calls = (int*)data;
    if (++*calls > 40) return 7;
    return gauss_grad(p, d, value, g, NULL);
}

static int32_t nan_fn(const double* p, size_t n, size_t d, double* out, void* data) {
    size_t i;
    (void)p; (void)d; (void)data;
    for (i = 0; i < n; i++) out[i] = NAN;
    return 0;
}

static int32_t nan_grad(const double* p, size_t d, double* value, double* g, void* data) {
    (void)p; (void)data;
    *value = NAN;
    memset(g, 0, d * sizeof(double));
    return 0;
}

static int progress_calls = 0;
static int32_t stop_at_half(int32_t phase, int64_t done, int64_t total, void* data) {
    (void)phase; (void)data;
    progress_calls++;
    return done * 2 >= total;
}

static int64_t streamed = 0;
static int32_t count_draws(int64_t k, const double* pos, size_t n_chains, size_t n_dim, const double* lp, void* data) {
    (void)pos; (void)lp; (void)data;
    if (k != streamed || n_chains != 2 || n_dim != 2) return 1;
    streamed++;
    return 0;
}

static int32_t refuse_draws(int64_t k, const double* pos, size_t n_chains, size_t n_dim, const double* lp, void* data) {
    (void)pos; (void)lp; (void)data; (void)n_chains; (void)n_dim;
    return k == 3;
}

/* Pooled moments of chains x draws x 2 draws. */
static void moments(const double* d, size_t total, double* mean, double* var, double* cov) {
    size_t i;
    mean[0] = mean[1] = var[0] = var[1] = *cov = 0;
    for (i = 0; i < total; i++) { mean[0] += d[2 * i]; mean[1] += d[2 * i + 1]; }
    mean[0] /= total; mean[1] /= total;
    for (i = 0; i < total; i++) {
        double a = d[2 * i] - mean[0], b = d[2 * i + 1] - mean[1];
        var[0] += a * a; var[1] += b * b; *cov += a * b;
    }
    var[0] /= total - 1; var[1] /= total - 1; *cov /= total - 1;
}

/* Runs 4 chains and checks the moments; returns the sampler (caller frees). */
static ik_nuts_t* check_gaussian(ik_logprob_t* lp, uint64_t seed, int32_t threads) {
    enum { C = 4, W = 300, S = 1000 };
    static double draws[C * S * 2];
    ik_nuts_options_t o;
    ik_nuts_t* s = NULL;
    ik_nuts_info_t info;
    double mean[2], var[2], cov;
    CHECK_OK(ik_nuts_options_default(&o));
    o.n_threads = threads;
    CHECK_OK(ik_nuts_create(lp, C, seed, &o, &s));
    CHECK_OK(ik_nuts_run(s, NULL, C, 2, W, S));
    info.struct_size = sizeof info;
    CHECK_OK(ik_nuts_info(s, &info));
    CHECK(info.n_draws == S && info.n_chains == C && info.n_dim == 2 && info.adaptation_finished == 1);
    CHECK(info.exact_gradient == 1 && info.n_gradient_evals > C * S);
    CHECK_OK(ik_nuts_draws(s, draws, sizeof draws / sizeof draws[0]));
    moments(draws, C * S, mean, var, &cov);
    /* ESS of several thousand here: 5 sigma of the MC error is < 0.1. */
    CHECK_CLOSE(mean[0], 0.0, 0, 0.1);
    CHECK_CLOSE(mean[1], 0.0, 0, 0.07);
    CHECK_CLOSE(var[0], 1.0, 0.12, 0);
    CHECK_CLOSE(var[1], 0.5, 0.12, 0);
    CHECK_CLOSE(cov, 0.5, 0.15, 0);
    return s;
}

static void test_formula_and_callback(void) {
    static const char* const names[] = {"x", "y"};
    ik_logprob_t *formula = NULL, *callback = NULL;
    ik_nuts_t *a, *b, *c;
    int calls = 0;
    enum { N = 4 * 1000 * 2 };
    static double da[N], db[N];
    double step[4], metric[4 * 2], dense[4 * 4], accept[4];
    int64_t evals[4], div[4];
    int32_t depth[4 * 1000];
    size_t i;
    int same = 1;
    CHECK_OK(ik_logprob_create_formula(GAUSS, names, 2, &formula));
    CHECK_OK(ik_logprob_create_callback(2, gauss_fn, gauss_grad, &calls, &callback));
    a = check_gaussian(formula, 42, 1);
    b = check_gaussian(formula, 42, 2);
    c = check_gaussian(callback, 42, 1);
    CHECK(calls > 4000);
    /* Same seed: bit-identical with 1 and 2 threads, and the callback equals the formula up to
       rounding of the gradient; another seed differs. */
    CHECK_OK(ik_nuts_draws(a, da, N));
    CHECK_OK(ik_nuts_draws(b, db, N));
    CHECK(memcmp(da, db, sizeof da) == 0);
    ik_nuts_free(b);
    b = check_gaussian(formula, 43, 2);
    CHECK_OK(ik_nuts_draws(b, db, N));
    for (i = 0; i < N; i++) if (da[i] != db[i]) same = 0;
    CHECK(!same);
    /* Per-chain getters. */
    CHECK_OK(ik_nuts_step_size(a, step, 4));
    CHECK_OK(ik_nuts_gradient_evals(a, evals, 4));
    CHECK_OK(ik_nuts_divergences(a, div, 4));
    CHECK_OK(ik_nuts_mean_accept_stat(a, accept, 4));
    CHECK_OK(ik_nuts_tree_depth(a, depth, 4 * 1000));
    CHECK_OK(ik_nuts_inverse_metric(a, 0, metric, 8));
    CHECK_OK(ik_nuts_inverse_metric(a, 1, dense, 16));
    for (i = 0; i < 4; i++) {
        CHECK_MSG(step[i] > 0.2 && step[i] < 3, "step size");
        CHECK_MSG(evals[i] > 1000 && div[i] == 0, "evaluations, divergences");
        CHECK_MSG(accept[i] > 0.7 && accept[i] < 0.99, "acceptance");
        CHECK_MSG(metric[2 * i] > 0.6 && metric[2 * i] < 1.5, "adapted variance of x");
        CHECK_MSG(dense[4 * i + 1] == 0 && dense[4 * i] == metric[2 * i], "diagonal metric expanded");
    }
    for (i = 0; i < 4000; i++) if (depth[i] < 1 || depth[i] > 10) break;
    CHECK(i == 4000);
    ik_nuts_free(a);
    ik_nuts_free(b);
    ik_nuts_free(c);
    ik_logprob_free(formula);
    ik_logprob_free(callback);
}

static void test_save_restore_and_callbacks(void) {
    ik_logprob_t* lp = NULL;
    ik_nuts_t *a = NULL, *b = NULL, *whole = NULL;
    ik_nuts_options_t o;
    ik_nuts_info_t info;
    size_t size = 0;
    unsigned char* state;
    enum { C = 2, W = 150, S1 = 40, S2 = 60 };
    static double x1[C * S1 * 2], x2[C * S2 * 2], xb[C * S2 * 2], xw[C * (S1 + S2) * 2];
    size_t c, d, k;
    int ok = 1;
    CHECK_OK(ik_logprob_create_formula(GAUSS, NULL, 0, &lp));
    CHECK_OK(ik_nuts_options_default(&o));
    o.metric = IK_METRIC_DENSE;
    CHECK_OK(ik_nuts_create(lp, C, 7, &o, &whole));
    CHECK_OK(ik_nuts_create(lp, C, 7, &o, &a));
    CHECK_OK(ik_nuts_create(lp, C, 7, &o, &b));
    ik_logprob_free(lp); /* the samplers keep their own reference */
    CHECK_OK(ik_nuts_run(whole, NULL, C, 2, W, S1 + S2));
    CHECK_OK(ik_nuts_run(a, NULL, C, 2, W, S1));
    CHECK_OK(ik_nuts_draws(a, x1, C * S1 * 2));
    CHECK_OK(ik_nuts_state_size(a, &size));
    state = malloc(size);
    CHECK_OK(ik_nuts_state_save(a, state, size));
    CHECK_OK(ik_nuts_state_restore(b, state, size));
    CHECK_OK(ik_nuts_run(b, NULL, C, 2, 0, S2));
    CHECK_OK(ik_nuts_run(a, NULL, C, 2, 0, S2));
    CHECK_OK(ik_nuts_draws(a, x2, C * S2 * 2));
    CHECK_OK(ik_nuts_draws(b, xb, C * S2 * 2));
    CHECK_OK(ik_nuts_draws(whole, xw, C * (S1 + S2) * 2));
    CHECK(memcmp(x2, xb, sizeof x2) == 0);
    for (c = 0; c < C; c++)
        for (d = 0; d < S1 + S2; d++)
            for (k = 0; k < 2; k++) {
                double w = xw[(c * (S1 + S2) + d) * 2 + k];
                double v = d < S1 ? x1[(c * S1 + d) * 2 + k] : x2[(c * S2 + d - S1) * 2 + k];
                if (w != v) ok = 0;
            }
    CHECK_MSG(ok, "a run, a save, a restore and a run equal one uninterrupted run");
    info.struct_size = sizeof info;
    CHECK_OK(ik_nuts_info(b, &info));
    CHECK(info.metric == IK_METRIC_DENSE && info.adaptation_finished == 1);
    /* Bad states. */
    CHECK_ERR(ik_nuts_state_restore(b, state, size - 8), IK_ERR_INVALID_ARGUMENT, "not valid");
    CHECK_ERR(ik_nuts_state_restore(b, state, 5), IK_ERR_INVALID_ARGUMENT, "len is 5");
    CHECK_ERR(ik_nuts_state_save(a, state, size - 1), IK_ERR_DIMENSION, "bytes");
    CHECK_ERR(ik_nuts_state_restore(b, NULL, size), IK_ERR_INVALID_ARGUMENT, "state is NULL");
    state[0] ^= 1;
    CHECK_ERR(ik_nuts_state_restore(b, state, size), IK_ERR_INVALID_ARGUMENT, "header");
    free(state);
    ik_nuts_free(a);
    ik_nuts_free(b);
    ik_nuts_free(whole);

    /* Progress stops cleanly; draws stream in order; a failing draws callback aborts. */
    CHECK_OK(ik_logprob_create_formula(GAUSS, NULL, 0, &lp));
    CHECK_OK(ik_nuts_options_default(&o));
    o.progress = stop_at_half;
    o.draws = count_draws;
    CHECK_OK(ik_nuts_create(lp, 2, 1, &o, &a));
    CHECK_OK(ik_nuts_run(a, NULL, 2, 2, 100, 300));
    CHECK_OK(ik_nuts_info(a, &info));
    CHECK(info.stopped_early == 1 && progress_calls > 10 && info.n_draws > 0 && info.n_draws < 300);
    CHECK((size_t)streamed == info.n_draws);
    ik_nuts_free(a);
    /* The same callbacks set after creation. */
    progress_calls = 0;
    streamed = 0;
    CHECK_OK(ik_nuts_create(lp, 2, 1, NULL, &a));
    CHECK_OK(ik_nuts_set_callbacks(a, stop_at_half, NULL, count_draws, NULL));
    CHECK_OK(ik_nuts_run(a, NULL, 2, 2, 100, 300));
    CHECK_OK(ik_nuts_info(a, &info));
    CHECK(info.stopped_early == 1 && progress_calls > 10 && (size_t)streamed == info.n_draws);
    CHECK_OK(ik_nuts_set_callbacks(a, NULL, NULL, NULL, NULL));
    CHECK_OK(ik_nuts_run(a, NULL, 2, 2, 0, 50));
    CHECK_OK(ik_nuts_info(a, &info));
    CHECK(info.stopped_early == 0 && info.n_draws == 50);
    CHECK_ERR(ik_nuts_set_callbacks(NULL, NULL, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "sampler is NULL");
    ik_nuts_free(a);
    o.progress = NULL;
    o.draws = refuse_draws;
    CHECK_OK(ik_nuts_create(lp, 2, 1, &o, &a));
    CHECK_ERR(ik_nuts_run(a, NULL, 2, 2, 10, 50), IK_ERR_CALLBACK, "draws callback");
    CHECK_ERR(ik_nuts_draws(a, x1, C * S1 * 2), IK_ERR_INVALID_ARGUMENT, "no draws");
    ik_nuts_free(a);
    ik_logprob_free(lp);
}

/* The lecture's Gaussian peak with sig > 0: sampled in the unconstrained space, draws with
   sig > 0 whose sds agree with Laplace's. */
static void test_posterior(void) {
    static const char* const inputs[] = {"x"};
    static const char* const params[] = {"mu", "sig", "A", "B"};
    enum { NP = 41, C = 2, S = 800 };
    double x[NP], y[NP], sigma[NP];
    static const double yv[NP] = {0.5189, 0.4477, 0.4587, 0.2559, 0.6800, 0.6144, 0.4675, 0.5774, 0.5281,
        0.4446, 0.5978, 0.4689, 0.4671, 0.4208, 0.5455, 0.4901, 0.5545, 0.4394, 0.5134, 0.4151, 0.6064,
        0.6067, 0.8037, 1.1904, 1.6120, 2.3433, 2.7057, 2.1011, 1.5401, 0.9988, 0.8548, 0.6007, 0.6301,
        0.5766, 0.5217, 0.5285, 0.4830, 0.5868, 0.3870, 0.4578, 0.5243};
    static const double map[4] = {0.29365010534898073, 0.09361853178346805, 2.0378897930996, 0.5122145384471911};
    static double draws[C * S * 4];
    double init[C * 4], cov[16], mean[4], var[4];
    ik_model_t* m = NULL;
    ik_posterior_t* post = NULL;
    ik_logprob_t *lp = NULL, *lu = NULL;
    ik_laplace_result_t* lap = NULL;
    ik_nuts_t* s = NULL;
    size_t i, k;
    int positive = 1;
    for (i = 0; i < NP; i++) { x[i] = -1.0 + 0.05 * (double)i; y[i] = yv[i]; sigma[i] = 0.1; }
    CHECK_OK(ik_model_compile("A*exp(-0.5*((x-mu)/sig)^2) + B", inputs, 1, params, 4, &m));
    CHECK_OK(ik_posterior_create(m, x, NP, 1, y, sigma, IK_LIKELIHOOD_GAUSSIAN, NULL, &post));
    CHECK_OK(ik_posterior_set_prior(post, "sig", IK_PRIOR_FLAT, 0, INFINITY));
    CHECK_OK(ik_laplace(post, map, 4, NULL, &lap));
    CHECK_OK(ik_laplace_result_covariance(lap, cov, 16));
    CHECK_OK(ik_logprob_create_posterior(post, IK_SPACE_CONSTRAINED, &lp));
    CHECK_OK(ik_logprob_create_posterior(post, IK_SPACE_UNCONSTRAINED, &lu));
    for (i = 0; i < C * 4; i++) init[i] = map[i % 4];
    CHECK_OK(ik_nuts_create(lp, C, 5, NULL, &s));
    /* sig = -0.1 is outside the support. */
    init[1] = -0.1;
    CHECK_ERR(ik_nuts_run(s, init, C, 4, 300, S), IK_ERR_INVALID_ARGUMENT, "chain 0");
    init[1] = map[1];
    CHECK_OK(ik_nuts_run(s, init, C, 4, 300, S));
    CHECK_OK(ik_nuts_draws(s, draws, C * S * 4));
    for (k = 0; k < 4; k++) {
        mean[k] = var[k] = 0;
        for (i = 0; i < C * S; i++) mean[k] += draws[4 * i + k];
        mean[k] /= C * S;
        for (i = 0; i < C * S; i++) var[k] += (draws[4 * i + k] - mean[k]) * (draws[4 * i + k] - mean[k]);
        var[k] /= C * S - 1;
        CHECK_CLOSE(sqrt(var[k]), sqrt(cov[5 * k]), 0.15, 0);
        CHECK_CLOSE(mean[k], map[k], 0, 0.3 * sqrt(cov[5 * k]));
    }
    for (i = 0; i < C * S; i++) if (!(draws[4 * i + 1] > 0)) positive = 0;
    CHECK(positive);
    ik_nuts_free(s);
    /* The unconstrained-space log-probability gives the same draws (initial and draws in theta). */
    CHECK_OK(ik_nuts_create(lu, C, 5, NULL, &s));
    CHECK_OK(ik_nuts_run(s, init, C, 4, 300, S));
    {
        static double again[C * S * 4];
        CHECK_OK(ik_nuts_draws(s, again, C * S * 4));
        CHECK(memcmp(again, draws, sizeof again) == 0);
    }
    ik_nuts_free(s);
    ik_logprob_free(lp);
    ik_logprob_free(lu);
    ik_laplace_result_free(lap);
    ik_posterior_free(post);
    ik_model_free(m);
}

static void test_bad_inputs(void) {
    ik_logprob_t *lp = NULL, *bad = NULL, *failing = NULL;
    ik_nuts_t* s = NULL;
    ik_nuts_options_t o;
    ik_nuts_info_t info;
    double init[4] = {0, 0, 1, 1}, out[4];
    int calls = 0;
    CHECK_OK(ik_logprob_create_formula(GAUSS, NULL, 0, &lp));
    CHECK_ERR(ik_nuts_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options");
    CHECK_ERR(ik_nuts_create(NULL, 2, 0, NULL, &s), IK_ERR_INVALID_ARGUMENT, "logprob is NULL");
    CHECK_ERR(ik_nuts_create(lp, 2, 0, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "sampler is NULL");
    CHECK_ERR(ik_nuts_create(lp, 0, 0, NULL, &s), IK_ERR_INVALID_ARGUMENT, "n_chains is 0");
    CHECK(s == NULL);
    CHECK_ERR(ik_nuts_create(lp, SIZE_MAX / 2, 0, NULL, &s), IK_ERR_NO_MEMORY, "chains");
    CHECK_ERR(ik_nuts_create(lp, SIZE_MAX, 0, NULL, &s), IK_ERR_DIMENSION, "n_chains");
    CHECK_ERR(ik_nuts_create(lp, (size_t)1 << 21, 0, NULL, &s), IK_ERR_NO_MEMORY, "2^20 chains");
    CHECK(s == NULL);
    CHECK_OK(ik_nuts_options_default(&o));
    o.struct_size = 8;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "struct_size");
    CHECK_OK(ik_nuts_options_default(&o)); o.target_accept = 1;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "target_accept");
    CHECK_OK(ik_nuts_options_default(&o)); o.max_tree_depth = 0;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "max_tree_depth");
    CHECK_OK(ik_nuts_options_default(&o)); o.metric = 3;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "metric");
    CHECK_OK(ik_nuts_options_default(&o)); o.thin = 0;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "thin");
    CHECK_OK(ik_nuts_options_default(&o)); o.initial_step_size = -1;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "initial_step_size");
    CHECK_OK(ik_nuts_options_default(&o)); o.initial_step_size = NAN;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "initial_step_size");
    CHECK_OK(ik_nuts_options_default(&o)); o.n_threads = -1;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "n_threads");
    CHECK_OK(ik_nuts_options_default(&o)); o.max_energy_error = 0;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "max_energy_error");

    CHECK_OK(ik_nuts_options_default(&o)); o.metric_regularization = 2;
    CHECK_ERR(ik_nuts_create(lp, 2, 0, &o, &s), IK_ERR_INVALID_ARGUMENT, "metric_regularization");
    CHECK_OK(ik_nuts_options_default(&o)); o.metric_regularization = IK_METRIC_REGULARIZATION_SCALE_FREE;
    CHECK_OK(ik_nuts_create(lp, 2, 0, &o, &s));
    CHECK_OK(ik_nuts_run(s, init, 2, 2, 50, 10));
    ik_nuts_free(s);

    CHECK_OK(ik_nuts_create(lp, 2, 0, NULL, &s));
    CHECK_ERR(ik_nuts_run(NULL, init, 2, 2, 10, 10), IK_ERR_INVALID_ARGUMENT, "sampler is NULL");
    CHECK_ERR(ik_nuts_run((ik_nuts_t*)lp, init, 2, 2, 10, 10), IK_ERR_INVALID_ARGUMENT, "not a live ik_nuts_t");
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, 0), IK_ERR_DIMENSION, "n_samples is 0");
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, SIZE_MAX), IK_ERR_DIMENSION, "n_samples");
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, SIZE_MAX / 2, 10), IK_ERR_NO_MEMORY, "overflow");
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, SIZE_MAX / 8), IK_ERR_NO_MEMORY, "memory");
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, (size_t)1 << 44), IK_ERR_NO_MEMORY, "memory");
    CHECK_ERR(ik_nuts_run(s, init, 3, 2, 10, 10), IK_ERR_DIMENSION, "n_chains is 3");
    CHECK_ERR(ik_nuts_run(s, init, 2, 3, 10, 10), IK_ERR_DIMENSION, "n_dim is 3");
    init[3] = NAN;
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, 10), IK_ERR_NONFINITE, "initial[1, 1]");
    init[3] = 1;
    CHECK_ERR(ik_nuts_draws(s, out, 4), IK_ERR_INVALID_ARGUMENT, "ik_nuts_run first");
    CHECK_OK(ik_nuts_run(s, init, 2, 2, 10, 10));
    CHECK_ERR(ik_nuts_draws(s, out, 4), IK_ERR_DIMENSION, "room for 4");
    CHECK_ERR(ik_nuts_draws(s, NULL, 40), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_nuts_step_size(s, out, 1), IK_ERR_DIMENSION, "room for 1");
    CHECK_ERR(ik_nuts_inverse_metric(s, 2, out, 4), IK_ERR_INVALID_ARGUMENT, "dense is 2");
    info.struct_size = 3;
    CHECK_ERR(ik_nuts_info(s, &info), IK_ERR_INVALID_ARGUMENT, "struct_size");
    ik_nuts_free(s);
    ik_nuts_free(NULL);

    /* NaN log-probability at the start; a failing callback mid-run; -inf at the start. */
    CHECK_OK(ik_logprob_create_callback(2, nan_fn, nan_grad, NULL, &bad));
    CHECK_OK(ik_nuts_create(bad, 2, 0, NULL, &s));
    CHECK_ERR(ik_nuts_run(s, init, 2, 2, 10, 10), IK_ERR_NONFINITE, "initial position of chain 0");
    ik_nuts_free(s);
    CHECK_OK(ik_logprob_create_callback(2, gauss_fn, failing_grad, &calls, &failing));
    CHECK_OK(ik_nuts_options_default(&o)); o.n_threads = 1;
    CHECK_OK(ik_nuts_create(failing, 1, 0, &o, &s));
    CHECK_ERR(ik_nuts_run(s, init, 1, 2, 100, 100), IK_ERR_CALLBACK, "returned 7");
    ik_nuts_free(s);
    {
        ik_logprob_t* half = NULL;
        double start[2] = {-1, 0};
        CHECK_OK(ik_logprob_create_formula("-0.5*x^2 + log(x) + 0*y", NULL, 0, &half));
        CHECK_OK(ik_nuts_create(half, 1, 0, NULL, &s));
        start[0] = 0;
        CHECK_ERR(ik_nuts_run(s, start, 1, 2, 10, 10), IK_ERR_INVALID_ARGUMENT, "outside the support");
        ik_nuts_free(s);
        ik_logprob_free(half);
    }
    ik_logprob_free(bad);
    ik_logprob_free(failing);
    ik_logprob_free(lp);
}

int main(void) {
    test_formula_and_callback();
    test_save_restore_and_callbacks();
    test_posterior();
    test_bad_inputs();
    return ik_test_summary("test_nuts");
}
