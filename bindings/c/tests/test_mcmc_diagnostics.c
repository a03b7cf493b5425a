/*
 * test_mcmc_diagnostics.c - MCMC diagnostics (ik_mcmc_*) through the C ABI.
 *
 * The chain is an AR(1) process x_t = phi_d x_{t-1} + e_t with uniform noise from a 64-bit
 * LCG, bit-reproducible in Python; the expected values were computed once on the same chain
 * with emcee 3.1.6 (integrated_time, function_1d), ArviZ 0.23.4 (ess, rhat, hdi, mcse) and
 * numpy (mean, std, quantile). The second half feeds every bad input the header allows and
 * asserts the exact status and that ik_last_error() names the culprit.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define STEPS 200
#define WALKERS 4
#define DIMS 2
#define TOTAL (STEPS * WALKERS * DIMS)

static double chain[TOTAL]; /* emcee layout (steps, walkers, dims) */
static double draws[TOTAL]; /* ArviZ layout (chains = walkers, draws = steps, dims) */

static void make_chain(void) {
    const double phi[DIMS] = {0.3, 0.75};
    double previous[WALKERS * DIMS] = {0};
    uint64_t state = 42;
    int t, w, d;
    for (t = 0; t < STEPS; t++)
        for (w = 0; w < WALKERS; w++)
            for (d = 0; d < DIMS; d++) {
                double e, v;
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                e = (double)(state >> 11) * (1.0 / 9007199254740992.0) - 0.5;
                v = phi[d] * previous[w * DIMS + d] + e;
                previous[w * DIMS + d] = v;
                chain[(t * WALKERS + w) * DIMS + d] = v;
                draws[(w * STEPS + t) * DIMS + d] = v;
            }
}

#define RTOL 1e-10

static void test_values(void) {
    double tau[DIMS], ess[DIMS], rhat[DIMS], hdi[2 * DIMS], acf[STEPS], series[STEPS];
    double mean[DIMS], sd[DIMS], q[DIMS * 3], mcse[DIMS], bulk[DIMS], tail[DIMS], r[DIMS];
    const double probs[3] = {0.05, 0.5, 0.95};
    int32_t too_short[DIMS] = {-1, -1};
    int t;

    CHECK(chain[0] == 0.0682303266439076);
    CHECK_OK(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 5, 50, tau, too_short));
    CHECK_CLOSE(tau[0], 1.7348881519713584, RTOL, 0);
    CHECK_CLOSE(tau[1], 5.074683648851894, RTOL, 0);
    CHECK(too_short[0] == 0 && too_short[1] == 1);
    CHECK_OK(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 10, 5, tau, NULL));
    CHECK_CLOSE(tau[0], 1.9040943664870364, RTOL, 0);
    CHECK_CLOSE(tau[1], 2.8848269322470443, RTOL, 0);

    for (t = 0; t < STEPS; t++) series[t] = chain[t * WALKERS * DIMS + 1];
    CHECK_OK(ik_mcmc_autocorr_function(series, STEPS, acf));
    CHECK(acf[0] == 1.0);
    CHECK_CLOSE(acf[1], 0.683507432700256, 1e-12, 0);
    CHECK_CLOSE(acf[3], 0.2515150959199061, 1e-12, 0);

    CHECK_OK(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, IK_ESS_BULK, ess));
    CHECK_CLOSE(ess[0], 388.7813764171782, RTOL, 0);
    CHECK_CLOSE(ess[1], 125.59478504585906, RTOL, 0);
    CHECK_OK(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, IK_ESS_TAIL, ess));
    CHECK_CLOSE(ess[0], 537.9193275571594, RTOL, 0);
    CHECK_CLOSE(ess[1], 201.40373364166518, RTOL, 0);
    CHECK_OK(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, IK_ESS_MEAN, ess));
    CHECK_CLOSE(ess[0], 401.66063517286926, RTOL, 0);
    CHECK_CLOSE(ess[1], 125.56287092310255, RTOL, 0);
    CHECK_OK(ik_mcmc_rhat(draws, WALKERS, STEPS, DIMS, rhat));
    CHECK_CLOSE(rhat[0], 1.0038325636997862, RTOL, 0);
    CHECK_CLOSE(rhat[1], 1.019579815752489, RTOL, 0);
    CHECK_OK(ik_mcmc_hdi(draws, WALKERS * STEPS, DIMS, 0.94, hdi));
    CHECK(hdi[0] == -0.52941799039578 && hdi[1] == 0.5287871473521237);
    CHECK(hdi[2] == -0.9312196983732883 && hdi[3] == 0.7305214610983329);

    CHECK_OK(ik_mcmc_summary(draws, WALKERS, STEPS, DIMS, probs, 3, 0.94, mean, sd, q, hdi, mcse,
                             bulk, tail, r));
    CHECK_CLOSE(mean[0], 0.023085284525394312, 1e-12, 0);
    CHECK_CLOSE(mean[1], -0.02810888890980986, 1e-12, 0);
    CHECK_CLOSE(sd[0], 0.305578268194312, 1e-12, 0);
    CHECK_CLOSE(sd[1], 0.4451727096967482, 1e-12, 0);
    CHECK_CLOSE(q[0], -0.4836354940778673, 1e-14, 0);
    CHECK_CLOSE(q[1], 0.013281953671860889, 1e-14, 0);
    CHECK_CLOSE(q[5], 0.6877603056249507, 1e-14, 0);
    CHECK(hdi[2] == -0.9312196983732883);
    CHECK_CLOSE(mcse[0], 0.015247295946471721, RTOL, 0);
    CHECK_CLOSE(mcse[1], 0.03972811089894236, RTOL, 0);
    CHECK_CLOSE(bulk[1], 125.59478504585906, RTOL, 0);
    CHECK_CLOSE(tail[0], 537.9193275571594, RTOL, 0);
    CHECK_CLOSE(r[1], 1.019579815752489, RTOL, 0);
    /* Every output may be NULL; no quantiles at all. */
    CHECK_OK(ik_mcmc_summary(draws, WALKERS, STEPS, DIMS, NULL, 0, 0.5, NULL, NULL, NULL, NULL,
                             NULL, NULL, NULL, r));
    CHECK_CLOSE(r[0], 1.0038325636997862, RTOL, 0);
    /* One chain: R-hat is NaN in the summary. */
    CHECK_OK(ik_mcmc_summary(draws, 1, STEPS, DIMS, NULL, 0, 0.5, mean, NULL, NULL, NULL, NULL,
                             bulk, NULL, r));
    CHECK(isnan(r[0]) && isnan(r[1]) && bulk[0] > 0);
}

static void test_acceptance_and_thinning(void) {
    /* 5 steps, 2 walkers, 1 parameter: walker 0 moves every step, walker 1 twice in 4. */
    const double small[10] = {0, 7, 1, 7, 2, 8, 3, 8, 4, 9};
    double frac[2], out[TOTAL];
    size_t kept = 0;
    int t, ok = 1;
    CHECK_OK(ik_mcmc_acceptance_fraction(small, 5, 2, 1, frac));
    CHECK(frac[0] == 1.0 && frac[1] == 0.5);

    CHECK_OK(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 10, 3, NULL, 0, &kept));
    CHECK(kept == 63); /* steps 12, 15, ..., 198: (200 - 12 - 1) / 3 + 1 */
    CHECK_OK(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 10, 3, out, TOTAL, &kept));
    for (t = 0; t < 63; t++)
        if (memcmp(out + t * WALKERS * DIMS, chain + (12 + 3 * t) * WALKERS * DIMS,
                   sizeof(double) * WALKERS * DIMS) != 0)
            ok = 0;
    CHECK_MSG(ok, "discard 10, thin 3 keeps emcee's steps 12, 15, ...");
    CHECK_OK(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 0, 1, out, TOTAL, &kept));
    CHECK(kept == STEPS && memcmp(out, chain, sizeof chain) == 0);
}

static void test_bad_inputs(void) {
    double out[2 * STEPS], bad[TOTAL], probs[2] = {0.5, 0.5};
    int32_t flags[DIMS];
    size_t kept = 0, big = (size_t)1 << 40;
    int t;

    /* NULL pointers. */
    CHECK_ERR(ik_mcmc_autocorr_time(NULL, STEPS, WALKERS, DIMS, 5, 50, out, flags),
              IK_ERR_INVALID_ARGUMENT, "chain is NULL");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 5, 50, NULL, flags),
              IK_ERR_INVALID_ARGUMENT, "tau_out is NULL");
    CHECK_ERR(ik_mcmc_autocorr_function(NULL, 5, out), IK_ERR_INVALID_ARGUMENT, "x is NULL");
    CHECK_ERR(ik_mcmc_autocorr_function(chain, 5, NULL), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_mcmc_ess(NULL, WALKERS, STEPS, DIMS, IK_ESS_BULK, out), IK_ERR_INVALID_ARGUMENT,
              "draws is NULL");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, IK_ESS_BULK, NULL), IK_ERR_INVALID_ARGUMENT,
              "out is NULL");
    CHECK_ERR(ik_mcmc_rhat(NULL, WALKERS, STEPS, DIMS, out), IK_ERR_INVALID_ARGUMENT, "draws is NULL");
    CHECK_ERR(ik_mcmc_rhat(draws, WALKERS, STEPS, DIMS, NULL), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_mcmc_hdi(NULL, 10, 1, 0.9, out), IK_ERR_INVALID_ARGUMENT, "samples is NULL");
    CHECK_ERR(ik_mcmc_hdi(draws, 10, 1, 0.9, NULL), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_mcmc_summary(NULL, WALKERS, STEPS, DIMS, NULL, 0, 0.9, out, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "draws is NULL");
    CHECK_ERR(ik_mcmc_summary(draws, WALKERS, STEPS, DIMS, NULL, 2, 0.9, out, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "quantile_probs is NULL");
    CHECK_ERR(ik_mcmc_acceptance_fraction(NULL, STEPS, WALKERS, DIMS, out), IK_ERR_INVALID_ARGUMENT,
              "chain is NULL");
    CHECK_ERR(ik_mcmc_acceptance_fraction(chain, STEPS, WALKERS, DIMS, NULL), IK_ERR_INVALID_ARGUMENT,
              "out is NULL");
    CHECK_ERR(ik_mcmc_discard_thin(NULL, STEPS, WALKERS, DIMS, 0, 1, NULL, 0, &kept),
              IK_ERR_INVALID_ARGUMENT, "chain is NULL");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 0, 1, NULL, 0, NULL),
              IK_ERR_INVALID_ARGUMENT, "n_kept is NULL");

    /* Zero and too-small lengths. */
    CHECK_ERR(ik_mcmc_autocorr_time(chain, 0, WALKERS, DIMS, 5, 50, out, flags), IK_ERR_DIMENSION,
              "n_steps is 0");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, 0, DIMS, 5, 50, out, flags), IK_ERR_DIMENSION,
              "n_walkers is 0");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, 0, 5, 50, out, flags), IK_ERR_DIMENSION,
              "n_dim is 0");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, 1, WALKERS, DIMS, 5, 50, out, flags), IK_ERR_DIMENSION,
              "n_steps is 1");
    CHECK_ERR(ik_mcmc_autocorr_function(chain, 0, out), IK_ERR_DIMENSION, "n is 0");
    CHECK_ERR(ik_mcmc_ess(draws, 0, STEPS, DIMS, IK_ESS_BULK, out), IK_ERR_DIMENSION, "n_chains is 0");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, 0, DIMS, IK_ESS_BULK, out), IK_ERR_DIMENSION, "n_draws is 0");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, STEPS, 0, IK_ESS_BULK, out), IK_ERR_DIMENSION, "n_dim is 0");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, 3, DIMS, IK_ESS_TAIL, out), IK_ERR_DIMENSION, "n_draws is 3");
    CHECK_ERR(ik_mcmc_rhat(draws, 1, STEPS, DIMS, out), IK_ERR_DIMENSION, "n_chains is 1");
    CHECK_ERR(ik_mcmc_rhat(draws, WALKERS, 3, DIMS, out), IK_ERR_DIMENSION, "n_draws is 3");
    CHECK_ERR(ik_mcmc_hdi(draws, 0, 1, 0.9, out), IK_ERR_DIMENSION, "n_samples is 0");
    CHECK_ERR(ik_mcmc_hdi(draws, 10, 0, 0.9, out), IK_ERR_DIMENSION, "n_dim is 0");
    CHECK_ERR(ik_mcmc_summary(draws, WALKERS, 2, DIMS, NULL, 0, 0.9, out, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL), IK_ERR_DIMENSION, "n_draws is 2");
    CHECK_ERR(ik_mcmc_acceptance_fraction(chain, 1, WALKERS, DIMS, out), IK_ERR_DIMENSION,
              "n_steps is 1");
    CHECK_ERR(ik_mcmc_acceptance_fraction(chain, STEPS, 0, DIMS, out), IK_ERR_DIMENSION,
              "n_walkers is 0");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 200, 1, NULL, 0, &kept),
              IK_ERR_DIMENSION, "discard is 200");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 0, 201, NULL, 0, &kept),
              IK_ERR_DIMENSION, "thin is 201");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 0, 1, out, 10, &kept),
              IK_ERR_DIMENSION, "out has room for 10 values");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, (size_t)-1, 1, NULL, 0, &kept),
              IK_ERR_DIMENSION, "discard is 18446744073709551615");
    /* Sizes whose product overflows. */
    CHECK_ERR(ik_mcmc_autocorr_time(chain, big, big, 1, 5, 50, out, flags), IK_ERR_NO_MEMORY,
              "chain has");
    CHECK_ERR(ik_mcmc_ess(draws, big, big, 1, IK_ESS_BULK, out), IK_ERR_NO_MEMORY, "draws has");
    CHECK_ERR(ik_mcmc_rhat(draws, 2, (size_t)-1, 1, out), IK_ERR_DIMENSION, "n_draws is too large");
    CHECK_ERR(ik_mcmc_hdi(draws, big, big, 0.9, out), IK_ERR_NO_MEMORY, "samples has");

    /* Options out of range. */
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 0, 50, out, flags),
              IK_ERR_INVALID_ARGUMENT, "c is 0");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, NAN, 50, out, flags),
              IK_ERR_INVALID_ARGUMENT, "c is nan");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 5, -1, out, flags),
              IK_ERR_INVALID_ARGUMENT, "tol is -1");
    CHECK_ERR(ik_mcmc_autocorr_time(chain, STEPS, WALKERS, DIMS, 5, INFINITY, out, flags),
              IK_ERR_INVALID_ARGUMENT, "tol is inf");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, 3, out), IK_ERR_INVALID_ARGUMENT, "method is 3");
    CHECK_ERR(ik_mcmc_ess(draws, WALKERS, STEPS, DIMS, -1, out), IK_ERR_INVALID_ARGUMENT,
              "method is -1");
    CHECK_ERR(ik_mcmc_hdi(draws, 10, 1, 1.0, out), IK_ERR_INVALID_ARGUMENT, "prob is 1");
    CHECK_ERR(ik_mcmc_hdi(draws, 10, 1, NAN, out), IK_ERR_INVALID_ARGUMENT, "prob is nan");
    CHECK_ERR(ik_mcmc_summary(draws, WALKERS, STEPS, DIMS, NULL, 0, 0, out, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "hdi_prob is 0");
    probs[1] = 1.5;
    CHECK_ERR(ik_mcmc_summary(draws, WALKERS, STEPS, DIMS, probs, 2, 0.9, out, NULL, NULL, NULL,
                              NULL, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "quantile_probs[1] is 1.5");
    CHECK_ERR(ik_mcmc_discard_thin(chain, STEPS, WALKERS, DIMS, 0, 0, NULL, 0, &kept),
              IK_ERR_INVALID_ARGUMENT, "thin is 0");

    /* NaN and Inf in the input, named by their indices in the caller's layout. */
    memcpy(bad, chain, sizeof bad);
    bad[(17 * WALKERS + 3) * DIMS + 1] = NAN;
    CHECK_ERR(ik_mcmc_autocorr_time(bad, STEPS, WALKERS, DIMS, 5, 50, out, flags), IK_ERR_NONFINITE,
              "chain[17,3,1] is nan");
    CHECK_ERR(ik_mcmc_autocorr_function(bad, 200, out), IK_ERR_NONFINITE, "x[143] is nan");
    memcpy(bad, draws, sizeof bad);
    bad[(2 * STEPS + 40) * DIMS + 1] = -INFINITY;
    CHECK_ERR(ik_mcmc_ess(bad, WALKERS, STEPS, DIMS, IK_ESS_BULK, out), IK_ERR_NONFINITE,
              "draws[2,40,1] is -inf");
    CHECK_ERR(ik_mcmc_rhat(bad, WALKERS, STEPS, DIMS, out), IK_ERR_NONFINITE, "draws[2,40,1]");
    CHECK_ERR(ik_mcmc_summary(bad, WALKERS, STEPS, DIMS, NULL, 0, 0.9, out, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL), IK_ERR_NONFINITE, "draws[2,40,1]");
    CHECK_ERR(ik_mcmc_hdi(bad, WALKERS * STEPS, DIMS, 0.9, out), IK_ERR_NONFINITE,
              "samples[440,1] is -inf");

    /* A walker that never moves has no autocorrelation function. */
    memcpy(bad, chain, sizeof bad);
    for (t = 0; t < STEPS; t++) bad[(t * WALKERS + 2) * DIMS] = 1.0;
    CHECK_ERR(ik_mcmc_autocorr_time(bad, STEPS, WALKERS, DIMS, 5, 50, out, flags), IK_ERR_SINGULAR,
              "chain[:,2,0] is constant");
    for (t = 0; t < 8; t++) out[t] = 3.0;
    CHECK_ERR(ik_mcmc_autocorr_function(out, 8, out + 8), IK_ERR_SINGULAR, "x is constant");
}

int main(void) {
    make_chain();
    test_values();
    test_acceptance_and_thinning();
    test_bad_inputs();
    return ik_test_summary("test_mcmc_diagnostics");
}
