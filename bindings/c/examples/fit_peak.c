/* fit_peak.c - a Gaussian peak on a flat background, y = A exp(-0.5 ((x - mu)/sig)^2) + B,
 * fitted with InferKit by Levenberg-Marquardt with the formula's exact derivatives, and its
 * uncertainties two ways: the Gauss-Newton covariance (J^T W J)^-1 and Laplace's method, the
 * inverse of the full Hessian of chi2/2 at the optimum (the lecture's example).
 * The data are 41 points, x = -1, -0.95, ..., 1, sigma = 0.1 (demo/demo.py makes the same ones
 * with numpy: default_rng(2), true mu, sig, A, B = 0.3, 0.1, 2, 0.5, rounded to 4 digits).
 * Build from the repository root:
 *   cc -std=c99 -Iinclude bindings/c/examples/fit_peak.c -Lbuild -linferkit -lm -Wl,-rpath,"$PWD/build"
 */
#include <math.h>
#include <stdio.h>
#include "inferkit.h"

#define N 41

int main(void) {
    static const double y[N] = {
        0.5189, 0.4477, 0.4587, 0.2559, 0.6800, 0.6144, 0.4675, 0.5774, 0.5281, 0.4446, 0.5978,
        0.4689, 0.4671, 0.4208, 0.5455, 0.4901, 0.5545, 0.4394, 0.5134, 0.4151, 0.6064, 0.6067,
        0.8037, 1.1904, 1.6120, 2.3433, 2.7057, 2.1011, 1.5401, 0.9988, 0.8548, 0.6007, 0.6301,
        0.5766, 0.5217, 0.5285, 0.4830, 0.5868, 0.3870, 0.4578, 0.5243};
    static const char* const inputs[] = {"x"};
    static const char* const names[] = {"mu", "sig", "A", "B"}; /* order of the parameter vector */
    const double p0[4] = {0.2, 0.2, 1.0, 0.0};
    double x[N], sigma[N], p[4], se[4], laplace[16];
    ik_model_t* model = NULL;
    ik_nlls_options_t opts;
    ik_nlls_result_t* fit = NULL;
    ik_nlls_info_t info;
    int i, have_laplace;

    for (i = 0; i < N; i++) {
        x[i] = -1.0 + 0.05 * i;
        sigma[i] = 0.1; /* absolute 1-sigma errors of y */
    }
    if (ik_model_compile("A*exp(-0.5*((x-mu)/sig)^2) + B", inputs, 1, names, 4, &model) != IK_OK) {
        fprintf(stderr, "compile failed: %s\n", ik_last_error());
        return 1;
    }
    ik_nlls_options_default(&opts);
    opts.laplace = 1; /* also the full-Hessian covariance */
    if (ik_nlls_fit(model, x, N, y, sigma, IK_SIGMA_ABSOLUTE, p0, 4, NULL, NULL, &opts, &fit) != IK_OK) {
        fprintf(stderr, "fit failed: %s\n", ik_last_error());
        ik_model_free(model);
        return 1;
    }
    info.struct_size = sizeof info;
    ik_nlls_result_info(fit, &info);
    ik_nlls_result_params(fit, p, 4);
    if (ik_nlls_result_stderr(fit, se, 4) != IK_OK) {
        fprintf(stderr, "no covariance: %s\n", ik_nlls_result_covariance_issue(fit));
        for (i = 0; i < 4; i++) se[i] = NAN;
    }
    have_laplace = ik_nlls_result_laplace_covariance(fit, laplace, 16) == IK_OK;

    printf("%s after %d steps\n", ik_nlls_result_message(fit), (int)info.iterations);
    printf("chi2 = %.3f for %d degrees of freedom\n", info.chi2, (int)info.dof);
    printf("           value     +/- Gauss-Newton  +/- Laplace\n");
    for (i = 0; i < 4; i++) {
        if (have_laplace)
            printf("%-4s %12.6f %14.6f %14.6f\n", names[i], p[i], se[i], sqrt(laplace[5 * i]));
        else
            printf("%-4s %12.6f %14.6f %14s\n", names[i], p[i], se[i], "-");
    }
    if (!have_laplace) printf("no Laplace covariance: %s\n", ik_nlls_result_laplace_issue(fit));
    ik_nlls_result_free(fit);
    ik_model_free(model);
    return 0;
}
