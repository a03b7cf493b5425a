/*
 * test_sampling.c - the ensemble sampler (ik_ensemble_*) and random-walk Metropolis
 * (ik_metropolis_*) through the C ABI.
 *
 * Targets with known answers: a correlated 3-D Gaussian (as a formula and as a C callback) whose
 * means and covariance the draws must reproduce within a few Monte-Carlo errors. Then
 * reproducibility (one seed, 1 and 2 threads: identical bytes), run continuation, exact
 * save/restore, emcee's discard/thin slicing, the draws and progress callbacks, and every bad
 * input the header describes with its status and a message that names the culprit.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define NDIM 3
#define NW 16
/* Covariance [[1, 0.6, 0], [0.6, 2, -0.5], [0, -0.5, 0.5]] and its inverse (precision). */
static const double COV[9] = {1.0, 0.6, 0.0, 0.6, 2.0, -0.5, 0.0, -0.5, 0.5};
static double PREC[9];
static char FORMULA[512];

static void make_target(void) {
    /* The inverse of COV by cofactors. */
    const double* a = COV;
    double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                 a[2] * (a[3] * a[7] - a[4] * a[6]);
    PREC[0] = (a[4] * a[8] - a[5] * a[7]) / det;
    PREC[1] = -(a[1] * a[8] - a[2] * a[7]) / det;
    PREC[2] = (a[1] * a[5] - a[2] * a[4]) / det;
    PREC[3] = PREC[1];
    PREC[4] = (a[0] * a[8] - a[2] * a[6]) / det;
    PREC[5] = -(a[0] * a[5] - a[2] * a[3]) / det;
    PREC[6] = PREC[2];
    PREC[7] = PREC[5];
    PREC[8] = (a[0] * a[4] - a[1] * a[3]) / det;
    snprintf(FORMULA, sizeof FORMULA,
             "-0.5*((%.17g)*a*a + (%.17g)*b*b + (%.17g)*c*c + 2*(%.17g)*a*b + 2*(%.17g)*a*c + 2*(%.17g)*b*c)",
             PREC[0], PREC[4], PREC[8], PREC[1], PREC[2], PREC[5]);
}

static double gauss_logp(const double* p) {
    double s = 0;
    int i, j;
    for (i = 0; i < NDIM; i++)
        for (j = 0; j < NDIM; j++) s += p[i] * PREC[i * NDIM + j] * p[j];
    return -0.5 * s;
}

/* The C callback: the Gaussian, or (mode) a failure / NaN / +inf / support edge. */
typedef struct {
    int mode;    /* 0 Gaussian, 1 fail after `calls` calls, 2 NaN when a > 2, 3 +inf when a > 2,
                    4 -inf when a < 0 */
    long calls;
    long limit;
} target_t;

static int32_t callback(const double* points, size_t n, size_t dim, double* values, void* user) {
    target_t* t = (target_t*)user;
    size_t i;
    t->calls++;
    if (t->mode == 1 && t->calls > t->limit) return 7;
    for (i = 0; i < n; i++) {
        const double* p = points + i * dim;
        values[i] = gauss_logp(p);
        if (t->mode == 2 && p[0] > 2) values[i] = NAN;
        if (t->mode == 3 && p[0] > 2) values[i] = INFINITY;
        if (t->mode == 4 && p[0] < 0) values[i] = -INFINITY;
    }
    return 0;
}

static double normal(unsigned* state) { /* deterministic, roughly N(0, 1) */
    double s = 0;
    int i;
    for (i = 0; i < 12; i++) {
        *state = *state * 1103515245u + 12345u;
        s += (double)((*state >> 8) & 0xFFFF) / 65536.0;
    }
    return s - 6.0;
}

static void ball(double* out, size_t n, unsigned seed, double centre, double radius) {
    size_t i;
    unsigned s = seed;
    for (i = 0; i < n; i++) out[i] = centre + radius * normal(&s);
}

/* Means and covariance of draws (n points of NDIM) against the truth: |error| within
 * k / sqrt(ess) of the scale, ess a conservative effective size. */
static void check_moments(const double* draws, size_t n, double ess, const char* what) {
    double mean[NDIM] = {0}, cov[NDIM * NDIM] = {0};
    size_t i;
    int j, k;
    char label[128];
    for (i = 0; i < n; i++)
        for (j = 0; j < NDIM; j++) mean[j] += draws[i * NDIM + j] / (double)n;
    for (i = 0; i < n; i++)
        for (j = 0; j < NDIM; j++)
            for (k = 0; k < NDIM; k++) cov[j * NDIM + k] += draws[i * NDIM + j] * draws[i * NDIM + k] / (double)n;
    for (j = 0; j < NDIM; j++) {
        snprintf(label, sizeof label, "%s: mean[%d] = %g", what, j, mean[j]);
        CHECK_MSG(fabs(mean[j]) < 5 * sqrt(COV[j * NDIM + j] / ess), label);
        for (k = 0; k < NDIM; k++) {
            double se = sqrt((COV[j * NDIM + j] * COV[k * NDIM + k] + COV[j * NDIM + k] * COV[j * NDIM + k]) / ess);
            snprintf(label, sizeof label, "%s: cov[%d][%d] = %g (true %g)", what, j, k, cov[j * NDIM + k], COV[j * NDIM + k]);
            CHECK_MSG(fabs(cov[j * NDIM + k] - COV[j * NDIM + k]) < 5 * se, label);
        }
    }
}

static ik_logprob_t* formula_logprob(void) {
    static const char* const names[] = {"a", "b", "c"};
    ik_logprob_t* lp = NULL;
    CHECK_OK(ik_logprob_create_formula(FORMULA, names, 3, &lp));
    return lp;
}

static ik_logprob_t* callback_logprob(target_t* t) {
    ik_logprob_t* lp = NULL;
    CHECK_OK(ik_logprob_create_callback(NDIM, callback, NULL, t, &lp));
    return lp;
}

/* A sampler of lp with NW walkers run for burn + steps (chain reset after burn). */
static ik_ensemble_t* ensemble_run(const ik_logprob_t* lp, uint64_t seed, int32_t threads, size_t burn,
                                   size_t steps) {
    ik_ensemble_options_t o;
    ik_ensemble_t* e = NULL;
    double start[NW * NDIM];
    ik_ensemble_options_default(&o);
    o.n_threads = threads;
    o.de_weight = 0.3;
    o.walk_weight = 0.1;
    o.walk_s = 4;
    ball(start, NW * NDIM, 5u, 0.0, 0.3);
    CHECK_OK(ik_ensemble_create(lp, NW, seed, &o, &e));
    if (!e) return NULL;
    if (burn) {
        CHECK_OK(ik_ensemble_run(e, start, NW, NDIM, burn));
        CHECK_OK(ik_ensemble_reset(e));
        CHECK_OK(ik_ensemble_run(e, NULL, NW, NDIM, steps));
    } else {
        CHECK_OK(ik_ensemble_run(e, start, NW, NDIM, steps));
    }
    return e;
}

static double* chain_of(const ik_ensemble_t* e, size_t discard, size_t thin, size_t* count) {
    size_t n = 0, len;
    double* out;
    CHECK_OK(ik_ensemble_n_steps(e, &n));
    *count = discard >= n ? 0 : (n - discard) / thin;
    len = *count * NW * NDIM;
    out = (double*)malloc((len ? len : 1) * sizeof(double));
    CHECK_OK(ik_ensemble_chain(e, discard, thin, out, len));
    return out;
}

static void test_ensemble_gaussian(void) {
    target_t t = {0, 0, 0};
    ik_logprob_t* lps[2];
    int k;
    lps[0] = formula_logprob();
    lps[1] = callback_logprob(&t);
    for (k = 0; k < 2; k++) {
        ik_ensemble_t* e = ensemble_run(lps[k], 11, 1, 500, 4000);
        size_t n = 0, i;
        double* chain = chain_of(e, 0, 1, &n);
        double acc[NW];
        ik_ensemble_info_t info;
        CHECK(n == 4000);
        /* tau of this mixture on a 3-D Gaussian is below 20 steps: ESS > 16 * 4000 / 20. */
        check_moments(chain, n * NW, 3000, k == 0 ? "ensemble formula" : "ensemble callback");
        CHECK_OK(ik_ensemble_acceptance_fraction(e, acc, NW));
        for (i = 0; i < NW; i++) CHECK_MSG(acc[i] > 0.2 && acc[i] < 0.9, "acceptance fraction in (0.2, 0.9)");
        info.struct_size = sizeof info;
        CHECK_OK(ik_ensemble_info(e, &info));
        CHECK(info.n_walkers == NW && info.n_dim == NDIM && info.n_steps == 4000 && info.total_steps == 4000 &&
              info.stopped == 0 && info.has_state == 1);
        free(chain);
        ik_ensemble_free(e);
    }
    ik_logprob_free(lps[0]);
    ik_logprob_free(lps[1]);
}

static void test_ensemble_reproducible(void) {
    target_t t = {0, 0, 0};
    ik_logprob_t* lps[2];
    int k;
    lps[0] = formula_logprob();
    lps[1] = callback_logprob(&t);
    for (k = 0; k < 2; k++) {
        ik_ensemble_t* a = ensemble_run(lps[k], 42, 1, 0, 200);
        ik_ensemble_t* b = ensemble_run(lps[k], 42, 2, 0, 200);
        ik_ensemble_t* c = ensemble_run(lps[k], 43, 1, 0, 200);
        size_t na, nb, nc;
        double* ca = chain_of(a, 0, 1, &na);
        double* cb = chain_of(b, 0, 1, &nb);
        double* cc = chain_of(c, 0, 1, &nc);
        double la[200 * NW], lb[200 * NW];
        CHECK(na == 200 && nb == 200 && nc == 200);
        CHECK_MSG(memcmp(ca, cb, na * NW * NDIM * sizeof(double)) == 0, "1 and 2 threads: identical chains");
        CHECK_OK(ik_ensemble_log_prob(a, 0, 1, la, 200 * NW));
        CHECK_OK(ik_ensemble_log_prob(b, 0, 1, lb, 200 * NW));
        CHECK_MSG(memcmp(la, lb, sizeof la) == 0, "1 and 2 threads: identical log-probabilities");
        CHECK_MSG(memcmp(ca, cc, na * NW * NDIM * sizeof(double)) != 0, "another seed: another chain");
        free(ca); free(cb); free(cc);
        ik_ensemble_free(a); ik_ensemble_free(b); ik_ensemble_free(c);
    }
    ik_logprob_free(lps[0]);
    ik_logprob_free(lps[1]);
}

static void test_ensemble_state(void) {
    ik_logprob_t* lp = formula_logprob();
    ik_ensemble_t* whole = ensemble_run(lp, 8, 1, 0, 300);
    ik_ensemble_t* part = ensemble_run(lp, 8, 1, 0, 120);
    ik_ensemble_t* resumed = NULL;
    ik_ensemble_options_t o;
    size_t size = 0, n, nr, i;
    uint64_t* state;
    double *cw, *cr, lw[300 * NW], lr[180 * NW];
    CHECK_OK(ik_ensemble_state_size(part, &size));
    CHECK(size == 5 + NW * (NDIM + 1) + 5 * (NW + 1));
    state = (uint64_t*)malloc(size * sizeof(uint64_t));
    CHECK_ERR(ik_ensemble_save_state(part, state, size - 1), IK_ERR_DIMENSION, "buf has room for");
    CHECK_OK(ik_ensemble_save_state(part, state, size));
    /* Continuation with initial NULL equals one longer run. */
    CHECK_OK(ik_ensemble_run(part, NULL, NW, NDIM, 180));
    cw = chain_of(whole, 0, 1, &n);
    cr = chain_of(part, 0, 1, &nr);
    CHECK(n == 300 && nr == 300);
    CHECK_MSG(memcmp(cw, cr, n * NW * NDIM * sizeof(double)) == 0, "run(120) + run(NULL, 180) == run(300)");
    free(cr);
    /* A new sampler (other seed) restored from the saved state continues bit for bit. */
    ik_ensemble_options_default(&o);
    o.de_weight = 0.3;
    o.walk_weight = 0.1;
    o.walk_s = 4;
    CHECK_OK(ik_ensemble_create(lp, NW, 999, &o, &resumed));
    CHECK_ERR(ik_ensemble_run(resumed, NULL, NW, NDIM, 5), IK_ERR_INVALID_ARGUMENT, "no previous run to continue");
    CHECK_ERR(ik_ensemble_restore_state(resumed, state, size + 1), IK_ERR_DIMENSION, "has 154 words");
    CHECK_OK(ik_ensemble_restore_state(resumed, state, size));
    CHECK_OK(ik_ensemble_run(resumed, NULL, NW, NDIM, 180));
    cr = chain_of(resumed, 0, 1, &nr);
    CHECK(nr == 180);
    CHECK_MSG(memcmp(cw + 120 * NW * NDIM, cr, 180 * NW * NDIM * sizeof(double)) == 0, "restored run == the original's continuation");
    CHECK_OK(ik_ensemble_log_prob(whole, 0, 1, lw, 300 * NW));
    CHECK_OK(ik_ensemble_log_prob(resumed, 0, 1, lr, 180 * NW));
    CHECK_MSG(memcmp(lw + 120 * NW, lr, sizeof lr) == 0, "restored log-probabilities");
    state[0] ^= 1;
    CHECK_ERR(ik_ensemble_restore_state(resumed, state, size), IK_ERR_INVALID_ARGUMENT, "not a saved ensemble-sampler state");
    free(cr);
    /* emcee's slicing: discard 100, thin 7 -> steps 106, 113, ... */
    cr = chain_of(whole, 100, 7, &nr);
    CHECK(nr == 200 / 7);
    for (i = 0; i < nr; i++)
        CHECK_MSG(memcmp(cr + i * NW * NDIM, cw + (106 + 7 * i) * NW * NDIM, NW * NDIM * sizeof(double)) == 0,
                  "chain(discard 100, thin 7) is steps 106 + 7 i");
    free(cr);
    cr = chain_of(whole, 400, 1, &nr);
    CHECK(nr == 0);
    CHECK_OK(ik_ensemble_chain(whole, 400, 1, NULL, 0));
    free(cr);
    free(cw);
    free(state);
    ik_ensemble_free(whole); ik_ensemble_free(part); ik_ensemble_free(resumed);
    ik_logprob_free(lp);
}

typedef struct { long draws; long progress; long stop_at; int fail_at; } watch_t;

static int32_t on_draw(int64_t draw, const double* positions, size_t n_chains, size_t n_dim, const double* lp, void* user) {
    watch_t* w = (watch_t*)user;
    (void)positions; (void)lp;
    if (draw != w->draws || n_dim != NDIM || n_chains == 0) return 99;
    w->draws++;
    return (w->fail_at >= 0 && draw == w->fail_at) ? 5 : 0;
}

static int32_t on_progress(int32_t phase, int64_t completed, int64_t total, void* user) {
    watch_t* w = (watch_t*)user;
    (void)phase; (void)total;
    w->progress++;
    return completed >= w->stop_at ? 1 : 0;
}

static void test_ensemble_callbacks(void) {
    ik_logprob_t* lp = formula_logprob();
    ik_ensemble_options_t o;
    ik_ensemble_t* e = NULL;
    ik_ensemble_info_t info;
    watch_t w = {0, 0, 30, -1};
    double start[NW * NDIM];
    ball(start, NW * NDIM, 5u, 0.0, 0.3);
    ik_ensemble_options_default(&o);
    o.thin = 2;
    o.draws = on_draw; o.draws_data = &w;
    o.progress = on_progress; o.progress_data = &w;
    CHECK_OK(ik_ensemble_create(lp, NW, 1, &o, &e));
    CHECK_OK(ik_ensemble_run(e, start, NW, NDIM, 100));
    info.struct_size = sizeof info;
    CHECK_OK(ik_ensemble_info(e, &info));
    CHECK(info.stopped == 1 && info.n_steps == 30 && info.total_steps == 60 && w.draws == 30 && w.progress == 30);
    ik_ensemble_free(e);
    w.draws = 0; w.progress = 0; w.stop_at = 1000; w.fail_at = 4;
    CHECK_OK(ik_ensemble_create(lp, NW, 1, &o, &e));
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 100), IK_ERR_CALLBACK, "the draws callback returned 5 at draw 4");
    ik_ensemble_free(e);
    ik_logprob_free(lp);
}

static void test_ensemble_bad_inputs(void) {
    ik_logprob_t* lp = formula_logprob();
    ik_ensemble_options_t o;
    ik_ensemble_t* e = NULL;
    ik_ensemble_info_t info;
    double start[NW * NDIM], line[NW * NDIM], small[4];
    size_t i;
    target_t t = {0, 0, 0};
    ik_logprob_t* cb = callback_logprob(&t);
    ball(start, NW * NDIM, 5u, 0.0, 0.3);

    CHECK_ERR(ik_ensemble_create(NULL, NW, 1, NULL, &e), IK_ERR_INVALID_ARGUMENT, "logprob is NULL");
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "ensemble is NULL");
    CHECK_ERR(ik_ensemble_create(lp, 5, 1, NULL, &e), IK_ERR_INVALID_ARGUMENT, "walkers is 5 but the ensemble sampler needs at least 2 x 3 = 6");
    CHECK(e == NULL);
    ik_ensemble_options_default(&o);
    o.struct_size = 3;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "options->struct_size is 3");
    ik_ensemble_options_default(&o);
    o.stretch_a = 0.5;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "stretch move's a is 0.5");
    ik_ensemble_options_default(&o);
    o.walk_weight = 1; o.walk_s = 9;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "subset size s is 9");
    ik_ensemble_options_default(&o);
    o.stretch_weight = 0;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "all 0");
    ik_ensemble_options_default(&o);
    o.de_weight = NAN;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "options->de_weight is nan");
    ik_ensemble_options_default(&o);
    o.thin = 0;
    CHECK_ERR(ik_ensemble_create(lp, NW, 1, &o, &e), IK_ERR_INVALID_ARGUMENT, "options->thin is 0");

    CHECK_ERR(ik_ensemble_create(lp, (size_t)1 << 40, 1, NULL, &e), IK_ERR_NO_MEMORY, "the walkers would need");
    CHECK_OK(ik_ensemble_create(lp, NW, 1, NULL, &e));
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, (size_t)1 << 40), IK_ERR_NO_MEMORY, "steps is 1099511627776");
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, (size_t)1 << 28), IK_ERR_NO_MEMORY, "the chain would need");
    CHECK_ERR(ik_ensemble_run(NULL, start, NW, NDIM, 10), IK_ERR_INVALID_ARGUMENT, "ensemble is NULL");
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 0), IK_ERR_INVALID_ARGUMENT, "steps is 0");
    CHECK_ERR(ik_ensemble_run(e, start, NW + 1, NDIM, 10), IK_ERR_DIMENSION, "n_walkers is 17 but the sampler has 16");
    CHECK_ERR(ik_ensemble_run(e, start, NW, 2, 10), IK_ERR_DIMENSION, "n_dim is 2 but the log-probability has 3");
    CHECK_ERR(ik_ensemble_current(e, small, 4, NULL, 0), IK_ERR_INVALID_ARGUMENT, "no state yet");
    start[5 * NDIM + 1] = NAN;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 10), IK_ERR_NONFINITE, "walker 5, parameter 'b' is NaN");
    start[5 * NDIM + 1] = 0.1;
    /* Dependent walkers: every walker on the line a = b = c, or a constant parameter. */
    for (i = 0; i < NW; i++) { line[i * NDIM] = (double)i; line[i * NDIM + 1] = 2.0 * i; line[i * NDIM + 2] = -1.0 * i; }
    CHECK_ERR(ik_ensemble_run(e, line, NW, NDIM, 10), IK_ERR_SINGULAR, "not linearly independent");
    CHECK_ERRMSG("condition number");
    memcpy(line, start, sizeof line);
    for (i = 0; i < NW; i++) line[i * NDIM + 2] = 1.5;
    CHECK_ERR(ik_ensemble_run(e, line, NW, NDIM, 10), IK_ERR_SINGULAR, "parameter 'c' has the same value 1.5 in every walker");
    /* Short output buffers. */
    CHECK_OK(ik_ensemble_run(e, start, NW, NDIM, 10));
    CHECK_ERR(ik_ensemble_chain(e, 0, 1, small, 4), IK_ERR_DIMENSION, "out has room for 4 values but the chain (10 steps x 48) needs 480");
    CHECK_ERR(ik_ensemble_chain(e, 0, 0, small, 4), IK_ERR_INVALID_ARGUMENT, "thin is 0");
    CHECK_ERR(ik_ensemble_log_prob(e, 0, 1, small, 4), IK_ERR_DIMENSION, "needs 160");
    CHECK_ERR(ik_ensemble_acceptance_fraction(e, small, 4), IK_ERR_DIMENSION, "needs 16");
    CHECK_ERR(ik_ensemble_acceptance_fraction(e, NULL, 16), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_ensemble_current(e, small, 4, NULL, 0), IK_ERR_DIMENSION, "needs 48");
    info.struct_size = 1;
    CHECK_ERR(ik_ensemble_info(e, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is 1");
    CHECK_ERR(ik_ensemble_n_steps(e, NULL), IK_ERR_INVALID_ARGUMENT, "n_steps is NULL");
    CHECK_ERR(ik_ensemble_set_thin(e, 0), IK_ERR_INVALID_ARGUMENT, "thin is 0");
    CHECK_OK(ik_ensemble_set_thin(e, 3));
    CHECK_OK(ik_ensemble_run(e, NULL, NW, NDIM, 4));
    info.struct_size = sizeof info;
    CHECK_OK(ik_ensemble_info(e, &info));
    CHECK(info.n_steps == 14 && info.total_steps == 22);
    ik_ensemble_free(e);
    CHECK_ERR(ik_ensemble_n_steps(e, &i), IK_ERR_INVALID_ARGUMENT, "is not a live ik_ensemble_t");
    ik_ensemble_free(NULL);

    /* Callback targets: outside the support, NaN and +inf, a failing callback. */
    e = NULL;
    CHECK_OK(ik_ensemble_create(cb, NW, 1, NULL, &e));
    ball(start, NW * NDIM, 5u, 1.0, 0.3);
    t.mode = 4;
    start[7 * NDIM] = -0.5;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 10), IK_ERR_INVALID_ARGUMENT, "walker 7 starts outside the support");
    start[7 * NDIM] = 1.0;
    t.mode = 2;
    start[3 * NDIM] = 2.5;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 10), IK_ERR_NONFINITE, "the log-probability is nan at the initial position of walker 3");
    t.mode = 3;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 10), IK_ERR_NONFINITE, "the log-probability is inf at the initial position of walker 3");
    start[3 * NDIM] = 1.0;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 3000), IK_ERR_NONFINITE, "at the proposal of walker");
    CHECK_ERRMSG("at step");
    t.mode = 1; t.calls = 0; t.limit = 5;
    CHECK_ERR(ik_ensemble_run(e, start, NW, NDIM, 10), IK_ERR_CALLBACK, "the log-probability callback returned 7");
    ik_ensemble_free(e);
    ik_logprob_free(cb);
    ik_logprob_free(lp);
}

static void test_metropolis(void) {
    ik_logprob_t* lp = formula_logprob();
    ik_metropolis_options_t o;
    ik_metropolis_t *a = NULL, *b = NULL;
    ik_metropolis_info_t info;
    double start[4 * NDIM], *da, *db, acc[4], cov[4 * NDIM * NDIM], lpa[4 * 20000];
    size_t n = 4 * 20000 * NDIM, c, d;
    watch_t w = {0, 0, 1000000, -1};
    ball(start, 4 * NDIM, 9u, 0.0, 0.5);
    ik_metropolis_options_default(&o);
    o.n_warmup = 2000;
    o.proposal_scale = 0.5;
    o.n_threads = 1;
    o.draws = on_draw; o.draws_data = &w;
    CHECK_OK(ik_metropolis_sample(lp, start, 4, NDIM, 20000, 3, &o, &a));
    o.n_threads = 2;
    o.draws = NULL;
    CHECK_OK(ik_metropolis_sample(lp, start, 4, NDIM, 20000, 3, &o, &b));
    CHECK(w.draws == 20000);
    info.struct_size = sizeof info;
    CHECK_OK(ik_metropolis_info(a, &info));
    CHECK(info.n_chains == 4 && info.n_dim == NDIM && info.n_draws == 20000 && info.stopped == 0);
    da = (double*)malloc(n * sizeof(double));
    db = (double*)malloc(n * sizeof(double));
    CHECK_OK(ik_metropolis_draws(a, da, n));
    CHECK_OK(ik_metropolis_draws(b, db, n));
    CHECK_MSG(memcmp(da, db, n * sizeof(double)) == 0, "metropolis: 1 and 2 threads identical");
    /* RWM in 3-D: tau below 15 iterations, so ESS > 80000 / 15. */
    check_moments(da, 4 * 20000, 5000, "metropolis formula");
    CHECK_OK(ik_metropolis_acceptance_fraction(a, acc, 4));
    for (c = 0; c < 4; c++) CHECK_MSG(acc[c] > 0.15 && acc[c] < 0.4, "metropolis acceptance near 0.234");
    CHECK_OK(ik_metropolis_proposal_cov(a, cov, 4 * NDIM * NDIM));
    /* The frozen proposal has the target's shape: cov_prop ~ s COV, s = cov_prop[0] / COV[0]. */
    for (c = 0; c < 4; c++) {
        double s = cov[c * 9] / COV[0];
        for (d = 0; d < 9; d++) CHECK_MSG(fabs(cov[c * 9 + d] - s * COV[d]) < 0.25 * s * 2.0, "proposal covariance shape");
    }
    CHECK_OK(ik_metropolis_log_prob(a, lpa, 4 * 20000));
    CHECK_CLOSE(lpa[20000 + 7], gauss_logp(da + (20000 + 7) * NDIM), 1e-12, 1e-12);
    CHECK_ERR(ik_metropolis_draws(a, da, 10), IK_ERR_DIMENSION, "draws (n_chains x n_draws x n_dim) needs 240000");
    free(da); free(db);
    ik_metropolis_free(a); ik_metropolis_free(b);
    ik_metropolis_free(NULL);
    ik_logprob_free(lp);
}

static void test_metropolis_resume(void) {
    ik_logprob_t* lp = formula_logprob();
    ik_metropolis_options_t o;
    ik_metropolis_t *whole = NULL, *part = NULL, *rest = NULL;
    double start[3 * NDIM], dw[3 * 300 * NDIM], dr[3 * 180 * NDIM];
    size_t size = 0, c;
    uint64_t* state;
    ball(start, 3 * NDIM, 4u, 0.0, 0.5);
    ik_metropolis_options_default(&o);
    o.n_warmup = 250;
    o.thin = 2;
    CHECK_OK(ik_metropolis_sample(lp, start, 3, NDIM, 300, 6, &o, &whole));
    CHECK_OK(ik_metropolis_sample(lp, start, 3, NDIM, 120, 6, &o, &part));
    CHECK_OK(ik_metropolis_state_size(part, &size));
    CHECK(size == 3 + 3 * (NDIM * NDIM + NDIM + 7));
    state = (uint64_t*)malloc(size * sizeof(uint64_t));
    CHECK_ERR(ik_metropolis_save_state(part, state, size - 1), IK_ERR_DIMENSION, "buf has room for");
    CHECK_OK(ik_metropolis_save_state(part, state, size));
    o.n_threads = 2;
    CHECK_OK(ik_metropolis_resume(lp, state, size, 180, &o, &rest));
    CHECK_OK(ik_metropolis_draws(whole, dw, sizeof dw / sizeof dw[0]));
    CHECK_OK(ik_metropolis_draws(rest, dr, sizeof dr / sizeof dr[0]));
    for (c = 0; c < 3; c++)
        CHECK_MSG(memcmp(dr + c * 180 * NDIM, dw + (c * 300 + 120) * NDIM, 180 * NDIM * sizeof(double)) == 0,
                  "resumed Metropolis chain == the uninterrupted one's continuation");
    ik_metropolis_free(rest);
    rest = NULL;
    CHECK_ERR(ik_metropolis_resume(lp, state, size - 1, 10, NULL, &rest), IK_ERR_DIMENSION, "words but 3 chains of 3 parameters need");
    CHECK_ERR(ik_metropolis_resume(lp, NULL, size, 10, NULL, &rest), IK_ERR_INVALID_ARGUMENT, "state is NULL");
    CHECK_ERR(ik_metropolis_resume(lp, state, size, 0, NULL, &rest), IK_ERR_INVALID_ARGUMENT, "draws is 0");
    state[0] = 5;
    CHECK_ERR(ik_metropolis_resume(lp, state, size, 10, NULL, &rest), IK_ERR_INVALID_ARGUMENT, "not a saved Metropolis state");
    CHECK(rest == NULL);
    free(state);
    ik_metropolis_free(whole); ik_metropolis_free(part);
    ik_logprob_free(lp);
}

static void test_metropolis_bad_inputs(void) {
    ik_logprob_t* lp = formula_logprob();
    target_t t = {0, 0, 0};
    ik_logprob_t* cb = callback_logprob(&t);
    ik_metropolis_options_t o;
    ik_metropolis_t* r = NULL;
    double start[2 * NDIM] = {0.1, 0.2, 0.3, -0.1, 0.5, 0.2};
    double badcov[9] = {1, 2, 0, 2, 1, 0, 0, 0, 1};
    CHECK_ERR(ik_metropolis_sample(NULL, start, 2, NDIM, 10, 1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "logprob is NULL");
    CHECK_ERR(ik_metropolis_sample(lp, NULL, 2, NDIM, 10, 1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "initial is NULL");
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_metropolis_sample(lp, start, 0, NDIM, 10, 1, NULL, &r), IK_ERR_DIMENSION, "n_chains is 0");
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, 4, 10, 1, NULL, &r), IK_ERR_DIMENSION, "n_dim is 4");
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 0, 1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "draws is 0");
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, (size_t)1 << 40, 1, NULL, &r), IK_ERR_NO_MEMORY, "the draws would need");
    ik_metropolis_options_default(&o);
    o.proposal_cov = badcov;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, &o, &r), IK_ERR_INVALID_ARGUMENT, "proposalCovariance is not positive definite");
    ik_metropolis_options_default(&o);
    o.target_acceptance = 1.0;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->target_acceptance is 1");
    ik_metropolis_options_default(&o);
    o.adapt_scale = 2;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->adapt_scale is 2");
    ik_metropolis_options_default(&o);
    o.proposal_scale = 0;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->proposal_scale is 0");
    ik_metropolis_options_default(&o);
    o.n_warmup = -1;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->n_warmup is -1");
    start[4] = INFINITY;
    CHECK_ERR(ik_metropolis_sample(lp, start, 2, NDIM, 10, 1, NULL, &r), IK_ERR_NONFINITE, "chain 1, parameter 'b' is inf");
    start[4] = 0.5;
    t.mode = 4;
    start[3] = -1;
    CHECK_ERR(ik_metropolis_sample(cb, start, 2, NDIM, 10, 1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "chain 1 starts outside the support");
    start[3] = 0.5;
    t.mode = 2;
    CHECK_ERR(ik_metropolis_sample(cb, start, 2, NDIM, 5000, 1, NULL, &r), IK_ERR_NONFINITE, "the log-probability is nan at the proposal of chain");
    t.mode = 3;
    CHECK_ERR(ik_metropolis_sample(cb, start, 2, NDIM, 5000, 1, NULL, &r), IK_ERR_NONFINITE, "the log-probability is inf at the proposal of chain");
    t.mode = 1; t.calls = 0; t.limit = 20;
    CHECK_ERR(ik_metropolis_sample(cb, start, 2, NDIM, 100, 1, NULL, &r), IK_ERR_CALLBACK, "the log-probability callback returned 7");
    CHECK(r == NULL);
    ik_logprob_free(cb);
    ik_logprob_free(lp);
}

int main(void) {
    make_target();
    test_ensemble_gaussian();
    test_ensemble_reproducible();
    test_ensemble_state();
    test_ensemble_callbacks();
    test_ensemble_bad_inputs();
    test_metropolis();
    test_metropolis_resume();
    test_metropolis_bad_inputs();
    return ik_test_summary("test_sampling");
}
