/*
 * test_model.c - compiled, differentiable formulas (ik_model_*) through the C ABI.
 *
 * Expected values are computed here from analytic formulas: a Gaussian peak on a constant
 * background and its partial derivatives, and the gradient and Hessian of a scalar formula
 * of two parameters written out by hand; the Voigt line shape against values of scipy's
 * voigt_profile and its Jacobian against central differences. The second half feeds the bad inputs the header
 * describes and asserts the exact status and that ik_last_error() names the culprit.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define NPTS 9

static const char* GAUSS = "A*exp(-0.5*((x-mu)/sig)^2) + B";

static ik_model_t* gauss_model(void) {
    static const char* const inputs[] = {"x"};
    ik_model_t* m = NULL;
    CHECK_OK(ik_model_compile(GAUSS, inputs, 1, NULL, 0, &m));
    return m;
}

static void test_gaussian(void) {
    ik_model_t* m = gauss_model();
    size_t ni = 0, np = 0, i, j;
    double x[NPTS], p[4] = {2.5, 0.3, 0.7, 0.1}, out[NPTS], vals[NPTS], jac[NPTS * 4];
    char name[8];
    const char* expected_names[] = {"A", "mu", "sig", "B"};
    if (m == NULL) return;
    CHECK_OK(ik_model_info(m, &ni, &np));
    CHECK(ni == 1);
    CHECK(np == 4);
    for (j = 0; j < 4; j++) {
        CHECK_OK(ik_model_param_name(m, j, name, sizeof name));
        CHECK(strcmp(name, expected_names[j]) == 0);
    }
    for (i = 0; i < NPTS; i++) x[i] = -2.0 + 0.5 * (double)i;
    CHECK_OK(ik_model_evaluate(m, x, NPTS, p, 4, out));
    CHECK_OK(ik_model_jacobian(m, x, NPTS, p, 4, vals, jac));
    for (i = 0; i < NPTS; i++) {
        double A = p[0], mu = p[1], s = p[2], z = (x[i] - mu) / s, e = exp(-0.5 * z * z);
        double f = A * e + p[3];
        CHECK_CLOSE(out[i], f, 1e-13, 1e-15);
        CHECK_CLOSE(vals[i], f, 1e-13, 1e-15);
        CHECK_CLOSE(jac[i * 4 + 0], e, 1e-12, 1e-15);
        CHECK_CLOSE(jac[i * 4 + 1], A * e * z / s, 1e-12, 1e-14);
        CHECK_CLOSE(jac[i * 4 + 2], A * e * z * z / s, 1e-12, 1e-14);
        CHECK_CLOSE(jac[i * 4 + 3], 1.0, 1e-15, 0.0);
    }
    /* values may be NULL */
    CHECK_OK(ik_model_jacobian(m, x, NPTS, p, 4, NULL, jac));
    ik_model_free(m);
}

static void test_two_inputs_explicit_params(void) {
    static const char* const inputs[] = {"u", "v"};
    static const char* const params[] = {"b", "a"};
    ik_model_t* m = NULL;
    double x[6] = {1.0, 2.0, -1.0, 0.5, 3.0, -2.0}, p[2] = {0.25, 3.0}, out[3], jac[6];
    size_t i;
    CHECK_OK(ik_model_compile("a*u + b*u*v^2", inputs, 2, params, 2, &m));
    if (m == NULL) return;
    CHECK_OK(ik_model_evaluate(m, x, 3, p, 2, out));
    CHECK_OK(ik_model_jacobian(m, x, 3, p, 2, NULL, jac));
    for (i = 0; i < 3; i++) {
        double u = x[2 * i], v = x[2 * i + 1];
        CHECK_CLOSE(out[i], p[1] * u + p[0] * u * v * v, 1e-14, 1e-15);
        CHECK_CLOSE(jac[2 * i], u * v * v, 1e-14, 1e-15);
        CHECK_CLOSE(jac[2 * i + 1], u, 1e-14, 1e-15);
    }
    ik_model_free(m);
}

/* f(a, b) = a^2 b + sin(a b) + exp(b) */
static void test_scalar(void) {
    ik_model_t* m = NULL;
    double p[2] = {0.7, -1.3}, v = 0.0, g[2], h[4], a = p[0], b = p[1];
    double f = a * a * b + sin(a * b) + exp(b);
    double ga = 2 * a * b + b * cos(a * b), gb = a * a + a * cos(a * b) + exp(b);
    double haa = 2 * b - b * b * sin(a * b);
    double hab = 2 * a + cos(a * b) - a * b * sin(a * b);
    double hbb = -a * a * sin(a * b) + exp(b);
    CHECK_OK(ik_model_compile("a^2*b + sin(a*b) + exp(b)", NULL, 0, NULL, 0, &m));
    if (m == NULL) return;
    CHECK_OK(ik_model_value(m, p, 2, &v));
    CHECK_CLOSE(v, f, 1e-14, 1e-15);
    v = 0.0;
    CHECK_OK(ik_model_gradient(m, p, 2, &v, g));
    CHECK_CLOSE(v, f, 1e-14, 1e-15);
    CHECK_CLOSE(g[0], ga, 1e-13, 1e-15);
    CHECK_CLOSE(g[1], gb, 1e-13, 1e-15);
    CHECK_OK(ik_model_gradient(m, p, 2, NULL, g));
    CHECK_OK(ik_model_hessian(m, p, 2, h));
    CHECK_CLOSE(h[0], haa, 1e-13, 1e-15);
    CHECK_CLOSE(h[1], hab, 1e-13, 1e-15);
    CHECK_CLOSE(h[2], hab, 1e-13, 1e-15);
    CHECK_CLOSE(h[3], hbb, 1e-13, 1e-15);
    /* evaluate also works without inputs: one value per requested point */
    {
        double out[2] = {0.0, 0.0};
        CHECK_OK(ik_model_evaluate(m, NULL, 2, p, 2, out));
        CHECK_CLOSE(out[0], f, 1e-14, 1e-15);
        CHECK_CLOSE(out[1], f, 1e-14, 1e-15);
    }
    ik_model_free(m);
}

/* voigt(x, sigma, gamma) against scipy 1.17.1 scipy.special.voigt_profile(x, sigma, gamma). */
static void test_voigt_values(void) {
    static const char* const inputs[] = {"x"};
    static const char* const params[] = {"s", "g"};
    static const double rows[][4] = {
        {0.0, 1.0, 0.5, 0.27895547038929436},
        {0.3, 1.0, 0.5, 0.27057196799654587},
        {-2.5, 0.7, 0.2, 0.014932087692020202},
        {12.0, 1.0, 0.0, 2.1463837356630605e-32},
        {5.0, 0.01, 1.0, 0.012242821950047117},
        {-40.0, 0.001, 2.0, 0.00039689512066976793},
        {1.0, 10.0, 10.0, 0.020821447480989033},
        {3.0, 0.5, 7.0, 0.038352926249601606},
        {50.0, 10.0, 0.1, 1.4863482813971862e-05},
        {0.75, 0.0, 0.25, 0.12732395447351627},
        {-7.0, 3.0, 0.0, 0.008740629697903162},
    };
    ik_model_t* m = NULL;
    size_t i;
    double out = 0.0;
    CHECK_OK(ik_model_compile("voigt(x, s, g)", inputs, 1, params, 2, &m));
    if (m == NULL) return;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        CHECK_OK(ik_model_evaluate(m, &rows[i][0], 1, &rows[i][1], 2, &out));
        CHECK_CLOSE(out, rows[i][3], 2e-14, 0.0);
    }
    {   /* a negative width gives NaN, not an error */
        double x = 1.0, p[2] = {1.0, -0.5};
        CHECK_OK(ik_model_evaluate(m, &x, 1, p, 2, &out));
        CHECK(isnan(out));
    }
    ik_model_free(m);
    CHECK_ERR(ik_model_compile("voigt(x, s)", inputs, 1, NULL, 0, &m), IK_ERR_PARSE, "3 arguments");
}

/* The exact Jacobian of a Voigt peak on a background against central differences of the
 * values, over 300 points (two blocks). */
#define VPTS 300
static void test_voigt_jacobian(void) {
    static const char* const inputs[] = {"x"};
    static const double cases[][5] = {
        {2.0, 0.3, 0.8, 0.5, 0.1}, {1.0, -1.0, 0.01, 2.0, 0.0}, {0.5, 0.0, 3.0, 0.0, -0.2}};
    ik_model_t* m = NULL;
    static double x[VPTS], vals[VPTS], jac[VPTS * 5], up[VPTS], down[VPTS];
    size_t i, j, c;
    CHECK_OK(ik_model_compile("A*voigt(x - x0, s, g) + B", inputs, 1, NULL, 0, &m));
    if (m == NULL) return;
    for (i = 0; i < VPTS; i++) x[i] = -30.0 + 60.0 * (double)i / (VPTS - 1);
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const double* p = cases[c];
        double largest = 0.0;
        CHECK_OK(ik_model_jacobian(m, x, VPTS, p, 5, vals, jac));
        for (i = 0; i < VPTS; i++) largest = fmax(largest, fabs(vals[i]));
        for (j = 0; j < 5; j++) {
            double q[5], h = 1e-5 * fmax(fabs(p[j]), p[2] + p[3]), column = 0.0;
            /* gamma = 0 is the edge of the domain (NaN below): there the one-sided second
             * order difference (4 f(h) - f(2h) - 3 f(0)) / 2h, with f(h) in down, f(2h) in up. */
            int one_sided = j == 3 && p[3] < h;
            memcpy(q, p, sizeof q);
            q[j] = p[j] + (one_sided ? 2 * h : h);
            CHECK_OK(ik_model_evaluate(m, x, VPTS, q, 5, up));
            q[j] = one_sided ? p[j] + h : p[j] - h;
            CHECK_OK(ik_model_evaluate(m, x, VPTS, q, 5, down));
            for (i = 0; i < VPTS; i++) column = fmax(column, fabs(jac[i * 5 + j]));
            for (i = 0; i < VPTS; i++) {
                double difference = one_sided ? (4 * down[i] - up[i] - 3 * vals[i]) / (2 * h)
                                              : (up[i] - down[i]) / (2 * h);
                CHECK_CLOSE(jac[i * 5 + j], difference, 1e-6, 1e-6 * column + 1e-15 * largest / h);
            }
        }
    }
    ik_model_free(m);
}

static void test_parse_error(void) {
    static const char* const inputs[] = {"x"};
    ik_model_t* m = (ik_model_t*)&m;
    CHECK_ERR(ik_model_compile("a*(x+)", inputs, 1, NULL, 0, &m), IK_ERR_PARSE, "character 5");
    CHECK(m == NULL);
    CHECK_ERR(ik_model_compile("a*foo(x)", inputs, 1, NULL, 0, &m), IK_ERR_PARSE, "character 2");
}

static void test_bad_inputs(void) {
    static const char* const inputs[] = {"x"};
    static const char* const bad_inputs[] = {NULL};
    static const char* const params[] = {"A", "mu", "sig", "B", "zzz"};
    ik_model_t* m = gauss_model();
    ik_model_t* other = NULL;
    double x[3] = {0.0, 1.0, 2.0}, p[4] = {1.0, 0.0, 1.0, 0.0}, out[3], jac[12], g[4], h[16], v;
    size_t ni, np;
    char name[8];
    if (m == NULL) return;
    /* compile */
    CHECK_ERR(ik_model_compile(NULL, inputs, 1, NULL, 0, &other), IK_ERR_INVALID_ARGUMENT, "expression");
    CHECK_ERR(ik_model_compile(GAUSS, inputs, 1, NULL, 0, NULL), IK_ERR_INVALID_ARGUMENT, "model");
    CHECK_ERR(ik_model_compile(GAUSS, NULL, 1, NULL, 0, &other), IK_ERR_INVALID_ARGUMENT, "inputs");
    CHECK_ERR(ik_model_compile(GAUSS, bad_inputs, 1, NULL, 0, &other), IK_ERR_INVALID_ARGUMENT, "inputs[0]");
    CHECK_ERR(ik_model_compile(GAUSS, inputs, 1, NULL, 3, &other), IK_ERR_INVALID_ARGUMENT, "params");
    CHECK_ERR(ik_model_compile(GAUSS, inputs, 1, params, 5, &other), IK_ERR_INVALID_ARGUMENT, "zzz");
    CHECK_ERR(ik_model_compile(GAUSS, inputs, 1, params, 2, &other), IK_ERR_INVALID_ARGUMENT, "sig");
    CHECK(other == NULL);
    /* handles */
    CHECK_ERR(ik_model_info(NULL, &ni, &np), IK_ERR_INVALID_ARGUMENT, "model");
    CHECK_ERR(ik_model_info((const ik_model_t*)x, &ni, &np), IK_ERR_INVALID_ARGUMENT, "ik_model_t");
    CHECK_ERR(ik_model_info(m, NULL, &np), IK_ERR_INVALID_ARGUMENT, "n_inputs");
    CHECK_ERR(ik_model_info(m, &ni, NULL), IK_ERR_INVALID_ARGUMENT, "n_params");
    /* param_name */
    CHECK_ERR(ik_model_param_name(m, 2, name, 3), IK_ERR_DIMENSION, "4");
    CHECK_ERR(ik_model_param_name(m, 4, name, sizeof name), IK_ERR_INVALID_ARGUMENT, "index");
    CHECK_ERR(ik_model_param_name(m, 0, NULL, 8), IK_ERR_INVALID_ARGUMENT, "out");
    /* evaluate */
    CHECK_ERR(ik_model_evaluate(m, NULL, 3, p, 4, out), IK_ERR_INVALID_ARGUMENT, "x");
    CHECK_ERR(ik_model_evaluate(m, x, 3, NULL, 4, out), IK_ERR_INVALID_ARGUMENT, "p");
    CHECK_ERR(ik_model_evaluate(m, x, 3, p, 4, NULL), IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_ERR(ik_model_evaluate(m, x, 3, p, 3, out), IK_ERR_DIMENSION, "n_params");
    CHECK_ERR(ik_model_evaluate(m, x, 0, p, 4, out), IK_ERR_DIMENSION, "n_points");
    CHECK_ERR(ik_model_evaluate(NULL, x, 3, p, 4, out), IK_ERR_INVALID_ARGUMENT, "model");
    x[2] = NAN;
    CHECK_ERR(ik_model_evaluate(m, x, 3, p, 4, out), IK_ERR_NONFINITE, "x[2,0]");
    CHECK_ERR(ik_model_jacobian(m, x, 3, p, 4, out, jac), IK_ERR_NONFINITE, "x[2,0]");
    x[2] = 2.0;
    p[2] = INFINITY;
    CHECK_ERR(ik_model_evaluate(m, x, 3, p, 4, out), IK_ERR_NONFINITE, "p[2]");
    CHECK_ERR(ik_model_jacobian(m, x, 3, p, 4, out, jac), IK_ERR_NONFINITE, "p[2]");
    p[2] = 1.0;
    /* jacobian */
    CHECK_ERR(ik_model_jacobian(m, x, 3, p, 4, out, NULL), IK_ERR_INVALID_ARGUMENT, "jacobian");
    CHECK_ERR(ik_model_jacobian(m, x, 3, p, 5, out, jac), IK_ERR_DIMENSION, "n_params");
    CHECK_ERR(ik_model_jacobian(m, x, 0, p, 4, out, jac), IK_ERR_DIMENSION, "n_points");
    /* input-free functions on a model with inputs */
    CHECK_ERR(ik_model_value(m, p, 4, &v), IK_ERR_INVALID_ARGUMENT, "ik_model_value");
    CHECK_ERR(ik_model_gradient(m, p, 4, &v, g), IK_ERR_INVALID_ARGUMENT, "ik_model_gradient");
    CHECK_ERR(ik_model_hessian(m, p, 4, h), IK_ERR_INVALID_ARGUMENT, "ik_model_hessian");
    ik_model_free(m);
    /* freed handle; free(NULL) is a no-op */
    CHECK_ERR(ik_model_evaluate(m, x, 3, p, 4, out), IK_ERR_INVALID_ARGUMENT, "ik_model_t");
    ik_model_free(NULL);

    CHECK_OK(ik_model_compile("a*b", NULL, 0, NULL, 0, &m));
    if (m == NULL) return;
    CHECK_ERR(ik_model_value(m, p, 2, NULL), IK_ERR_INVALID_ARGUMENT, "value");
    CHECK_ERR(ik_model_gradient(m, p, 2, &v, NULL), IK_ERR_INVALID_ARGUMENT, "grad");
    CHECK_ERR(ik_model_hessian(m, p, 2, NULL), IK_ERR_INVALID_ARGUMENT, "hessian");
    CHECK_ERR(ik_model_gradient(m, p, 3, &v, g), IK_ERR_DIMENSION, "n_params");
    CHECK_ERR(ik_model_hessian(m, NULL, 2, h), IK_ERR_INVALID_ARGUMENT, "p");
    p[1] = NAN;
    CHECK_ERR(ik_model_gradient(m, p, 2, &v, g), IK_ERR_NONFINITE, "p[1]");
    CHECK_ERR(ik_model_hessian(m, p, 2, h), IK_ERR_NONFINITE, "p[1]");
    CHECK_ERR(ik_model_value(m, p, 2, &v), IK_ERR_NONFINITE, "p[1]");
    ik_model_free(m);
}

int main(void) {
    test_gaussian();
    test_two_inputs_explicit_params();
    test_scalar();
    test_voigt_values();
    test_voigt_jacobian();
    test_parse_error();
    test_bad_inputs();
    return ik_test_summary("test_model");
}
