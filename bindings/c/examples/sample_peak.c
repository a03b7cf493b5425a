/* sample_peak.c - the posterior of fit_peak.c's Gaussian peak, y = A exp(-0.5 ((x - mu)/sig)^2) + B,
 * with flat box priors, sampled from C: Laplace's method first (the MAP and the inverse Hessian),
 * then emcee's affine-invariant ensemble sampler, 32 walkers x 5000 steps started in a small
 * ball around the MAP; the autocorrelation time (emcee's estimator) says how many draws are
 * effectively independent. The data are fit_peak.c's 41 points (sigma = 0.1); demo/demo.py runs
 * the same from Python.
 * Build from the repository root:
 *   cc -std=c99 -Iinclude bindings/c/examples/sample_peak.c -Lbuild -linferkit -lm -Wl,-rpath,"$PWD/build"
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "inferkit.h"

#define N 41
#define WALKERS 32
#define STEPS 5000
#define DISCARD 1000
#define KEPT (STEPS - DISCARD)

static int failed(const char* what) {
    fprintf(stderr, "%s failed: %s\n", what, ik_last_error());
    return 1;
}

int main(void) {
    static const double y[N] = {
        0.5189, 0.4477, 0.4587, 0.2559, 0.6800, 0.6144, 0.4675, 0.5774, 0.5281, 0.4446, 0.5978,
        0.4689, 0.4671, 0.4208, 0.5455, 0.4901, 0.5545, 0.4394, 0.5134, 0.4151, 0.6064, 0.6067,
        0.8037, 1.1904, 1.6120, 2.3433, 2.7057, 2.1011, 1.5401, 0.9988, 0.8548, 0.6007, 0.6301,
        0.5766, 0.5217, 0.5285, 0.4830, 0.5868, 0.3870, 0.4578, 0.5243};
    static const char* const inputs[] = {"x"};
    static const char* const names[] = {"mu", "sig", "A", "B"};
    static const double lower[4] = {-1.0, 0.01, 0.0, -5.0}, upper[4] = {1.0, 1.0, 10.0, 5.0};
    const double p0[4] = {0.2, 0.2, 1.0, 0.0};
    double x[N], sigma[N], map[4], se[4], start[WALKERS * 4], tau[4], accept[WALKERS];
    double* chain = malloc(sizeof(double) * KEPT * WALKERS * 4);
    int32_t too_short[4];
    ik_model_t* model = NULL;
    ik_posterior_t* post = NULL;
    ik_laplace_result_t* lap = NULL;
    ik_logprob_t* lp = NULL;
    ik_ensemble_t* ens = NULL;
    unsigned long long lcg = 12345;
    double mean_accept = 0;
    int i, k, status = 1;

    if (!chain) return 1;
    for (i = 0; i < N; i++) {
        x[i] = -1.0 + 0.05 * i;
        sigma[i] = 0.1;
    }
    if (ik_model_compile("A*exp(-0.5*((x-mu)/sig)^2) + B", inputs, 1, names, 4, &model) != IK_OK) {
        status = failed("ik_model_compile");
        goto done;
    }
    if (ik_posterior_create(model, x, N, 1, y, sigma, IK_LIKELIHOOD_GAUSSIAN, NULL, &post) != IK_OK) {
        status = failed("ik_posterior_create");
        goto done;
    }
    for (k = 0; k < 4; k++)
        if (ik_posterior_set_prior(post, names[k], IK_PRIOR_UNIFORM, lower[k], upper[k]) != IK_OK) {
            status = failed("ik_posterior_set_prior");
            goto done;
        }
    if (ik_laplace(post, p0, 4, NULL, &lap) != IK_OK || ik_laplace_result_map(lap, map, 4) != IK_OK ||
        ik_laplace_result_stderr(lap, se, 4) != IK_OK) {
        status = failed("ik_laplace");
        goto done;
    }
    /* The walkers start in a ball of radius 1e-4 sd around the MAP (a small LCG, no libc rand). */
    for (i = 0; i < WALKERS * 4; i++) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        start[i] = map[i % 4] + 1e-4 * se[i % 4] * ((double)(lcg >> 11) / 9007199254740992.0 - 0.5);
    }
    if (ik_logprob_create_posterior(post, IK_SPACE_CONSTRAINED, &lp) != IK_OK ||
        ik_ensemble_create(lp, WALKERS, 42, NULL, &ens) != IK_OK) {
        status = failed("ik_ensemble_create");
        goto done;
    }
    if (ik_ensemble_run(ens, start, WALKERS, 4, STEPS) != IK_OK) {
        status = failed("ik_ensemble_run");
        goto done;
    }
    if (ik_ensemble_chain(ens, DISCARD, 1, chain, (size_t)KEPT * WALKERS * 4) != IK_OK ||
        ik_ensemble_acceptance_fraction(ens, accept, WALKERS) != IK_OK ||
        ik_mcmc_autocorr_time(chain, KEPT, WALKERS, 4, 5.0, 50.0, tau, too_short) != IK_OK) {
        status = failed("reading the chain");
        goto done;
    }
    for (i = 0; i < WALKERS; i++) mean_accept += accept[i] / WALKERS;
    printf("ensemble: %d walkers x %d steps, acceptance %.2f\n", WALKERS, STEPS, mean_accept);
    printf("        Laplace MAP  +/- sd       ensemble mean +/- sd    tau (steps)\n");
    for (k = 0; k < 4; k++) {
        double s = 0, ss = 0, m, sd;
        size_t j, n = (size_t)KEPT * WALKERS;
        for (j = 0; j < n; j++) s += chain[j * 4 + k];
        m = s / n;
        for (j = 0; j < n; j++) ss += (chain[j * 4 + k] - m) * (chain[j * 4 + k] - m);
        sd = sqrt(ss / (n - 1));
        printf("%-4s %12.5f +/- %.5f %12.5f +/- %.5f %8.1f%s\n", names[k], map[k], se[k], m, sd, tau[k],
               too_short[k] ? " (chain shorter than 50 tau)" : "");
    }
    status = 0;
done:
    ik_ensemble_free(ens);
    ik_logprob_free(lp);
    ik_laplace_result_free(lap);
    ik_posterior_free(post);
    ik_model_free(model);
    free(chain);
    return status;
}
