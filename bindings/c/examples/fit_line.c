/* fit_line.c - weighted straight-line fit y = b0 + b1 x with InferKit.
 * Build from the repository root:
 *   cc -std=c99 -Iinclude bindings/c/examples/fit_line.c -Lbuild -linferkit -Wl,-rpath,"$PWD/build"
 */
#include <stdio.h>
#include "inferkit.h"

int main(void) {
    const double x[5] = {0.0, 1.0, 2.0, 3.0, 4.0};
    const double y[5] = {1.1, 2.9, 5.2, 7.1, 8.8};
    const double sigma[5] = {0.1, 0.2, 0.2, 0.3, 0.3}; /* 1-sigma errors of y */
    double a[5 * 2], b[2], se[2], chi2;
    ik_linear_options_t opts;
    ik_linear_result_t* fit = NULL;
    int i;

    for (i = 0; i < 5; i++) { /* design matrix, row-major: columns 1 and x */
        a[2 * i] = 1.0;
        a[2 * i + 1] = x[i];
    }
    ik_linear_options_default(&opts);
    opts.absolute_sigma = 1; /* sigma are measured errors, not relative weights */

    if (ik_linear_fit(a, 5, 2, IK_ROW_MAJOR, y, 1, sigma, &opts, &fit) != IK_OK) {
        fprintf(stderr, "fit failed: %s\n", ik_last_error());
        return 1;
    }
    ik_linear_result_params(fit, b, 2);  /* b0, b1 */
    ik_linear_result_stderr(fit, se, 2); /* sqrt(diag(covariance)) */
    ik_linear_result_chi2(fit, &chi2, 1);
    ik_linear_result_free(fit);

    printf("intercept b0 = %.4f +/- %.4f\n", b[0], se[0]);
    printf("slope     b1 = %.4f +/- %.4f\n", b[1], se[1]);
    printf("chi2 = %.3f for %d degrees of freedom\n", chi2, 5 - 2);
    return 0;
}
