/*
 * test_minimize.c - scalar minimisation (ik_minimize_*) and root finding (ik_root_*) through the
 * C ABI.
 *
 * References: Rosenbrock's function (minimum f = 0 at (1, 1), Hessian [[802, -400], [-400, 200]]
 * there), the same function on the box [-2, 0.5] x [-1, 2] (KKT point (0.5, 0.25): x at its upper
 * bound with df/dx = -1 < 0, y free with df/dy = 0), the fixed point of cos (0.739085133215160641),
 * the root 0 of atan, and the circle-and-diagonal system x^2 + y^2 = 4, x = y (root (sqrt 2,
 * sqrt 2)). Each objective is given as a compiled formula and as C callbacks with and without
 * their derivatives. The second half feeds every bad input the header describes and asserts the
 * status and the message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

static const char* ROSENBROCK = "100*(y - x^2)^2 + (1 - x)^2";
static const char* XY[2] = {"x", "y"};
static const double START[2] = {-1.2, 1.0};

/* ---------------------------------------------------------------------------------------- */
/* Callbacks                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* Counts calls; fails (returns 7) at call number fail_at when that is > 0. */
typedef struct {
    int calls;
    int fail_at;
} counter_t;

static int32_t count_call(void* user) {
    counter_t* c = (counter_t*)user;
    if (c == NULL) return 0;
    c->calls++;
    return (c->fail_at > 0 && c->calls >= c->fail_at) ? 7 : 0;
}

static int32_t rosen_fn(const double* x, size_t n, size_t ni, const double* p, size_t np, double* out,
                        void* user) {
    double a = p[1] - p[0] * p[0], b = 1 - p[0];
    (void)x, (void)ni, (void)np;
    if (n != 1) return 99;
    out[0] = 100 * a * a + b * b;
    return count_call(user);
}

static int32_t rosen_jac(const double* x, size_t n, size_t ni, const double* p, size_t np, double* jac,
                         void* user) {
    double a = p[1] - p[0] * p[0];
    (void)x, (void)ni, (void)user;
    if (n != 1 || np != 2) return 99;
    jac[0] = -400 * p[0] * a - 2 * (1 - p[0]);
    jac[1] = 200 * a;
    return 0;
}

static int32_t rosen_hessian(const double* x, size_t n, double* h, void* user) {
    if (n != 2) return 99;
    h[0] = 1200 * x[0] * x[0] - 400 * x[1] + 2;
    h[1] = h[2] = -400 * x[0];
    h[3] = 200;
    return count_call(user);
}

/* F(x, y) = (x^2 + y^2 - 4, x - y), written at the n = 2 points of a model without inputs. */
static int32_t circle_fn(const double* x, size_t n, size_t ni, const double* p, size_t np, double* out,
                         void* user) {
    (void)x, (void)ni, (void)np;
    if (n != 2) return 99;
    out[0] = p[0] * p[0] + p[1] * p[1] - 4;
    out[1] = p[0] - p[1];
    return count_call(user);
}

static int32_t circle_jac(const double* x, size_t n, size_t ni, const double* p, size_t np, double* jac,
                          void* user) {
    (void)x, (void)ni, (void)user;
    if (n != 2 || np != 2) return 99;
    jac[0] = 2 * p[0];
    jac[1] = 2 * p[1];
    jac[2] = 1;
    jac[3] = -1;
    return 0;
}

static int32_t nan_fn(const double* x, size_t n, size_t ni, const double* p, size_t np, double* out,
                      void* user) {
    size_t i;
    (void)x, (void)ni, (void)p, (void)np, (void)user;
    for (i = 0; i < n; i++) out[i] = NAN;
    return 0;
}

/* cos(x) - x and its derivative. */
static int32_t cosx_fn(const double* x, size_t n, size_t ni, const double* p, size_t np, double* out,
                       void* user) {
    (void)x, (void)n, (void)ni, (void)np;
    out[0] = cos(p[0]) - p[0];
    return count_call(user);
}

static int32_t cosx_jac(const double* x, size_t n, size_t ni, const double* p, size_t np, double* jac,
                        void* user) {
    (void)x, (void)n, (void)ni, (void)np, (void)user;
    jac[0] = -sin(p[0]) - 1;
    return 0;
}

/* Stops (non-zero) once iteration reaches *(int64_t*)user. */
typedef struct {
    int64_t stop_at;
    int64_t last;
    size_t n;
    double cost;
} progress_t;

static int32_t stop_progress(int64_t iteration, const double* p, size_t n, double cost, void* user) {
    progress_t* s = (progress_t*)user;
    (void)p;
    s->last = iteration;
    s->n = n;
    s->cost = cost;
    return iteration >= s->stop_at ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static ik_model_t* formula(const char* text, const char* const* params, size_t n) {
    ik_model_t* m = NULL;
    CHECK_OK(ik_model_compile(text, NULL, 0, params, n, &m));
    return m;
}

static ik_model_t* callback(size_t n, ik_model_fn fn, ik_model_jacobian_fn jac, void* user) {
    ik_model_t* m = NULL;
    CHECK_OK(ik_model_create_callback(0, n, NULL, fn, jac, user, &m));
    return m;
}

static ik_minimize_info_t info_of(const ik_minimize_result_t* r) {
    ik_minimize_info_t info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_minimize_result_info(r, &info));
    return info;
}

static const char* METHOD_NAMES[8] = {"newton",      "trust region", "gradient descent", "adam",
                                      "L-BFGS",      "L-BFGS-B",     "Nelder-Mead",      "BFGS"};

/* Options that let every method reach Rosenbrock's minimum from START. */
static void method_options(int32_t method, ik_minimize_options_t* o) {
    CHECK_OK(ik_minimize_options_default(o));
    if (method == IK_MINIMIZE_NELDER_MEAD) {
        o->xatol = 1e-10;
        o->fatol = 1e-14;
        o->max_iter = 5000;
    } else if (method == IK_MINIMIZE_GRADIENT_DESCENT) {
        o->gtol = 1e-6;
        o->ftol = 0;
        o->max_iter = 200000;
    } else if (method == IK_MINIMIZE_ADAM) {
        o->gtol = 1e-6;
        o->learning_rate = 0.01;
        o->max_iter = 200000;
    }
}

/* Minimises Rosenbrock from START with `method` and checks the minimum. */
static void rosenbrock_run(const ik_model_t* m, int32_t method, const char* how) {
    ik_minimize_options_t o;
    ik_minimize_result_t* r = NULL;
    ik_minimize_info_t info;
    double x[2] = {0, 0}, g[2] = {1, 1}, tol;
    char what[160];
    method_options(method, &o);
    if (!CHECK_OK(ik_minimize(m, START, 2, NULL, NULL, method, &o, &r))) return;
    info = info_of(r);
    CHECK_OK(ik_minimize_result_x(r, x, 2));
    tol = (method == IK_MINIMIZE_GRADIENT_DESCENT || method == IK_MINIMIZE_ADAM) ? 1e-4 : 1e-6;
    snprintf(what, sizeof what, "Rosenbrock, %s, %s: x = (%.10g, %.10g) after %lld iterations, status %d",
             METHOD_NAMES[method], how, x[0], x[1], (long long)info.iterations, info.status);
    CHECK_MSG(info.success == 1, what);
    CHECK_MSG(fabs(x[0] - 1) <= tol && fabs(x[1] - 1) <= 2 * tol, what);
    CHECK_MSG(info.value <= 1e-8, what);
    CHECK_MSG(info.method == method && info.n_params == 2 && info.nfev >= 1, what);
    CHECK_MSG(strlen(ik_minimize_result_message(r)) > 10, what);
    if (method == IK_MINIMIZE_NELDER_MEAD) {
        CHECK_MSG(info.has_gradient == 0 && isnan(info.gradient_norm) && info.ngev == 0, what);
    } else {
        CHECK_OK(ik_minimize_result_gradient(r, g, 2));
        CHECK_MSG(info.has_gradient == 1 && info.ngev >= 1, what);
        CHECK_MSG(fabs(g[0]) <= 1e-3 && fabs(g[1]) <= 1e-3, what);
        /* L-BFGS-B's is of the projected gradient x - P(x - g), g up to rounding without bounds */
        CHECK_MSG(fabs(info.gradient_norm - fmax(fabs(g[0]), fabs(g[1]))) <= 1e-15, what);
    }
    CHECK_MSG((info.nhev > 0) == (method == IK_MINIMIZE_NEWTON || method == IK_MINIMIZE_NEWTON_TRUST_REGION),
              what);
    ik_minimize_result_free(r);
}

/* ---------------------------------------------------------------------------------------- */
/* Minimisation                                                                             */
/* ---------------------------------------------------------------------------------------- */

static void test_rosenbrock_every_method(void) {
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_model_t* exact = callback(2, rosen_fn, rosen_jac, NULL);
    ik_model_t* differenced = callback(2, rosen_fn, NULL, NULL);
    int32_t method;
    for (method = IK_MINIMIZE_NEWTON; method <= IK_MINIMIZE_BFGS; method++) {
        rosenbrock_run(f, method, "formula");
        rosenbrock_run(exact, method, "callback with gradient");
        rosenbrock_run(differenced, method, "callback without gradient");
    }
    ik_model_free(f);
    ik_model_free(exact);
    ik_model_free(differenced);
}

static void test_inverse_hessian(void) {
    /* At (1, 1) the Hessian is [[802, -400], [-400, 200]], its inverse [[0.5, 1], [1, 2.005]]. */
    const double want[4] = {0.5, 1.0, 1.0, 2.005};
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_model_t* cb = callback(2, rosen_fn, rosen_jac, NULL);
    ik_minimize_result_t* r = NULL;
    ik_minimize_options_t o;
    counter_t hessian_calls = {0, 0};
    double h[4];
    int i;
    int32_t method;
    for (method = IK_MINIMIZE_NEWTON; method <= IK_MINIMIZE_NEWTON_TRUST_REGION; method++) {
        CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, method, NULL, &r));
        CHECK(info_of(r).has_inverse_hessian == 1);
        CHECK_OK(ik_minimize_result_inverse_hessian(r, h, 4));
        for (i = 0; i < 4; i++) CHECK_CLOSE(h[i], want[i], 1e-6, 0);
        ik_minimize_result_free(r);
    }
    /* BFGS: the quasi-Newton estimate, close to the exact inverse after convergence. */
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r));
    CHECK_OK(ik_minimize_result_inverse_hessian(r, h, 4));
    for (i = 0; i < 4; i++) CHECK_CLOSE(h[i], want[i], 0.2, 0.05);
    ik_minimize_result_free(r);

    /* A caller's Hessian replaces the differenced one of a callback model. */
    CHECK_OK(ik_minimize_options_default(&o));
    o.hessian = rosen_hessian;
    o.hessian_data = &hessian_calls;
    CHECK_OK(ik_minimize(cb, START, 2, NULL, NULL, IK_MINIMIZE_NEWTON, &o, &r));
    CHECK(info_of(r).success == 1);
    CHECK(hessian_calls.calls == info_of(r).nhev);
    CHECK(hessian_calls.calls > 5);
    CHECK_OK(ik_minimize_result_inverse_hessian(r, h, 4));
    for (i = 0; i < 4; i++) CHECK_CLOSE(h[i], want[i], 1e-6, 0);
    ik_minimize_result_free(r);
    /* ... and is never called by a method without a Hessian. */
    hessian_calls.calls = 0;
    CHECK_OK(ik_minimize(cb, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, &o, &r));
    CHECK(hessian_calls.calls == 0 && info_of(r).nhev == 0);
    ik_minimize_result_free(r);
    ik_model_free(f);
    ik_model_free(cb);
}

static void test_bounds(void) {
    /* Rosenbrock on [-2, 0.5] x [-1, 2]: KKT point (0.5, 0.25), f = 0.25, grad = (-1, 0). */
    const double lower[2] = {-2, -1}, upper[2] = {0.5, 2};
    const double fixed_lo[2] = {-2, 1}, fixed_hi[2] = {2, 1}, near[2] = {0.3, 1};
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_model_t* cb = callback(2, rosen_fn, NULL, NULL);
    const ik_model_t* models[2] = {f, cb};
    ik_minimize_result_t* r = NULL;
    ik_minimize_options_t o;
    ik_minimize_info_t info;
    double x[2], g[2];
    int k;
    for (k = 0; k < 2; k++) {
        CHECK_OK(ik_minimize(models[k], START, 2, lower, upper, IK_MINIMIZE_LBFGSB, NULL, &r));
        info = info_of(r);
        CHECK(info.success == 1);
        CHECK_OK(ik_minimize_result_x(r, x, 2));
        CHECK_OK(ik_minimize_result_gradient(r, g, 2));
        CHECK(x[0] == 0.5);
        CHECK_CLOSE(x[1], 0.25, 1e-7, 0);
        CHECK_CLOSE(info.value, 0.25, 1e-10, 0);
        CHECK_CLOSE(g[0], -1, 1e-5, 0);
        CHECK_CLOSE(g[1], 0, 0, 1e-5);
        CHECK(info.gradient_norm <= 1e-5);
        ik_minimize_result_free(r);
    }
    /* Nelder-Mead clips to the box. */
    method_options(IK_MINIMIZE_NELDER_MEAD, &o);
    CHECK_OK(ik_minimize(f, START, 2, lower, upper, IK_MINIMIZE_NELDER_MEAD, &o, &r));
    CHECK_OK(ik_minimize_result_x(r, x, 2));
    CHECK_CLOSE(x[0], 0.5, 0, 1e-8);
    CHECK_CLOSE(x[1], 0.25, 0, 1e-7);
    ik_minimize_result_free(r);
    /* lower == upper holds y fixed at 1: the minimum over x > -0.9 of 100 (1 - x^2)^2 + (1 - x)^2 is x = 1. */
    CHECK_OK(ik_minimize(f, near, 2, fixed_lo, fixed_hi, IK_MINIMIZE_LBFGSB, NULL, &r));
    CHECK_OK(ik_minimize_result_x(r, x, 2));
    CHECK(x[1] == 1);
    CHECK_CLOSE(x[0], 1, 1e-7, 0);
    ik_minimize_result_free(r);
    /* Infinite bounds constrain nothing, so every method takes them. */
    {
        const double lo[2] = {-INFINITY, -INFINITY}, hi[2] = {INFINITY, INFINITY};
        CHECK_OK(ik_minimize(f, START, 2, lo, hi, IK_MINIMIZE_NEWTON, NULL, &r));
        CHECK(info_of(r).success == 1);
        ik_minimize_result_free(r);
        CHECK_OK(ik_minimize(f, START, 2, NULL, hi, IK_MINIMIZE_BFGS, NULL, &r));
        ik_minimize_result_free(r);
    }
    ik_model_free(f);
    ik_model_free(cb);
}

static void test_progress_and_budgets(void) {
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_minimize_options_t o;
    ik_minimize_result_t* r = NULL;
    ik_minimize_info_t info;
    progress_t p = {3, 0, 0, 0};
    double x[2];
    int32_t method;
    for (method = IK_MINIMIZE_NEWTON; method <= IK_MINIMIZE_BFGS; method++) {
        CHECK_OK(ik_minimize_options_default(&o));
        o.progress = stop_progress;
        o.progress_data = &p;
        p.last = 0;
        CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, method, &o, &r));
        info = info_of(r);
        CHECK_MSG(info.status == IK_MINIMIZE_STOPPED && info.success == 0 && info.iterations == 3,
                  METHOD_NAMES[method]);
        CHECK_MSG(p.last == 3 && p.n == 2 && p.cost == info.value, METHOD_NAMES[method]);
        CHECK_OK(ik_minimize_result_x(r, x, 2));
        ik_minimize_result_free(r);
    }
    CHECK_OK(ik_minimize_options_default(&o));
    o.max_iter = 4;
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, &o, &r));
    info = info_of(r);
    CHECK(info.status == IK_MINIMIZE_MAX_ITER && info.iterations == 4 && info.success == 0);
    CHECK(strstr(ik_minimize_result_message(r), "iterations") != NULL);
    ik_minimize_result_free(r);
    o.max_iter = 0;
    o.max_fev = 10;
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_LBFGS, &o, &r));
    info = info_of(r);
    CHECK(info.status == IK_MINIMIZE_MAX_FEV && info.nfev <= 10);
    ik_minimize_result_free(r);
    ik_model_free(f);
}

/* ---------------------------------------------------------------------------------------- */
/* Root finding                                                                             */
/* ---------------------------------------------------------------------------------------- */

static ik_root_scalar_info_t scalar_info(void) {
    ik_root_scalar_info_t info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    return info;
}

static void test_root_scalar(void) {
    const double fixed_point = 0.739085133215160641;
    const char* X[1] = {"x"};
    ik_model_t* c = formula("cos(x) - x", X, 1);
    ik_model_t* c_exact = callback(1, cosx_fn, cosx_jac, NULL);
    ik_model_t* c_diff = callback(1, cosx_fn, NULL, NULL);
    ik_model_t* a = formula("atan(x)", X, 1);
    const ik_model_t* cos_models[3] = {c, c_exact, c_diff};
    ik_root_scalar_info_t info;
    ik_root_options_t o;
    progress_t p = {2, 0, 0, 0};
    double x0 = 1, two = 2, bracket[2] = {-3, 2.5}, reversed[2] = {2.5, -3}, unit[2] = {0, 1};
    int k;
    for (k = 0; k < 3; k++) {
        info = scalar_info();
        CHECK_OK(ik_root_scalar(cos_models[k], &x0, NULL, NULL, &info));
        CHECK_CLOSE(info.root, fixed_point, 4e-16, 0);
        CHECK(info.success == 1 && info.status <= IK_ROOT_XTOL && fabs(info.value) <= 1e-15);
        CHECK_CLOSE(info.derivative, -sin(fixed_point) - 1, k == 2 ? 1e-8 : 1e-14, 0);
        CHECK(info.iterations >= 3 && info.iterations <= 8 && info.evaluations > info.iterations);
        info = scalar_info();
        CHECK_OK(ik_root_scalar(cos_models[k], NULL, unit, NULL, &info));
        CHECK_CLOSE(info.root, fixed_point, 4e-16, 0);
        CHECK(info.bracket_lower <= info.root && info.root <= info.bracket_upper);
    }
    /* atan from 2: plain Newton diverges; the bracket keeps it safe, in either order. */
    info = scalar_info();
    CHECK_OK(ik_root_scalar(a, &two, bracket, NULL, &info));
    CHECK(info.success == 1 && fabs(info.root) <= 1e-15);
    info = scalar_info();
    CHECK_OK(ik_root_scalar(a, &two, reversed, NULL, &info));
    CHECK(info.success == 1 && fabs(info.root) <= 1e-15);
    info = scalar_info();
    CHECK_OK(ik_root_scalar(a, NULL, bracket, NULL, &info));
    CHECK(info.success == 1 && fabs(info.root) <= 1e-15);
    /* ... and so does step halving without one. */
    info = scalar_info();
    CHECK_OK(ik_root_scalar(a, &two, NULL, NULL, &info));
    CHECK(info.success == 1 && fabs(info.root) <= 1e-15);
    /* Options: a residual tolerance stops early; the progress callback stops cleanly. */
    CHECK_OK(ik_root_options_default(&o));
    o.fatol = 1e-3;
    info = scalar_info();
    CHECK_OK(ik_root_scalar(c, &x0, NULL, &o, &info));
    CHECK(info.status == IK_ROOT_FATOL && fabs(info.value) <= 1e-3 && fabs(info.value) > 1e-15);
    CHECK_OK(ik_root_options_default(&o));
    o.progress = stop_progress;
    o.progress_data = &p;
    info = scalar_info();
    CHECK_OK(ik_root_scalar(c, &x0, NULL, &o, &info));
    CHECK(info.status == IK_ROOT_STOPPED && info.iterations == 2 && p.last == 2 && p.n == 1);
    CHECK(p.cost == fabs(info.value));
    CHECK_OK(ik_root_options_default(&o));
    o.max_iter = 1;
    info = scalar_info();
    CHECK_OK(ik_root_scalar(c, &x0, NULL, &o, &info));
    CHECK(info.status == IK_ROOT_MAX_ITER && info.success == 0 && info.iterations == 1);
    CHECK(strstr(ik_root_status_message(info.status), "iterations") != NULL);
    ik_model_free(c);
    ik_model_free(c_exact);
    ik_model_free(c_diff);
    ik_model_free(a);
}

static void check_circle_root(ik_root_result_t* r, const char* what) {
    ik_root_info_t info;
    double x[2] = {0, 0}, v[2] = {1, 1};
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_root_result_info(r, &info));
    CHECK_OK(ik_root_result_x(r, x, 2));
    CHECK_OK(ik_root_result_values(r, v, 2));
    CHECK_MSG(info.success == 1 && info.n == 2 && info.iterations >= 3 && info.njev >= 1, what);
    CHECK_MSG(fabs(x[0] - sqrt(2.0)) <= 1e-14 && fabs(x[1] - sqrt(2.0)) <= 1e-14, what);
    CHECK_MSG(fabs(v[0]) <= 1e-14 && fabs(v[1]) <= 1e-14 && info.residual_norm == fmax(fabs(v[0]), fabs(v[1])),
              what);
    CHECK_MSG(strlen(ik_root_result_message(r)) > 10, what);
    ik_root_result_free(r);
}

static void test_root_systems(void) {
    const double x0[2] = {1, 0.5};
    ik_model_t* exact = callback(2, circle_fn, circle_jac, NULL);
    ik_model_t* differenced = callback(2, circle_fn, NULL, NULL);
    ik_model_t* circle = formula("x^2 + y^2 - 4", XY, 2);
    ik_model_t* diagonal = formula("x - y", XY, 2);
    ik_model_t* square = formula("x^2 - 2", XY, 1);    /* only x */
    ik_model_t* follow = formula("y - x", NULL, 0);    /* parameters y, x */
    ik_model_t* one = formula("x^3 - 8", XY, 1);
    const ik_model_t* system[2] = {circle, diagonal};
    const ik_model_t* partial[2] = {square, follow};
    ik_root_result_t* r = NULL;
    ik_root_options_t o;
    ik_root_info_t info;
    progress_t p = {2, 0, 0, 0};
    double x[2], three = 3;
    CHECK_OK(ik_root(exact, x0, 2, NULL, &r));
    check_circle_root(r, "callback system with Jacobian");
    CHECK_OK(ik_root(differenced, x0, 2, NULL, &r));
    check_circle_root(r, "callback system, Jacobian by differences");
    CHECK_OK(ik_root_formulas(system, 2, NULL, x0, 2, NULL, &r));
    check_circle_root(r, "formulas, same parameters");
    CHECK_OK(ik_root_formulas(system, 2, XY, x0, 2, NULL, &r));
    check_circle_root(r, "formulas, named unknowns");
    /* Equations with some of the unknowns, matched by name: x^2 = 2, y = x. */
    CHECK_OK(ik_root_formulas(partial, 2, XY, x0, 2, NULL, &r));
    CHECK_OK(ik_root_result_x(r, x, 2));
    CHECK_CLOSE(x[0], sqrt(2.0), 1e-15, 0);
    CHECK_CLOSE(x[1], sqrt(2.0), 1e-15, 0);
    ik_root_result_free(r);
    /* A formula of one parameter is a system of one equation. */
    CHECK_OK(ik_root(one, &three, 1, NULL, &r));
    CHECK_OK(ik_root_result_x(r, x, 1));
    CHECK_CLOSE(x[0], 2, 1e-15, 0);
    ik_root_result_free(r);
    /* The progress callback stops cleanly. */
    CHECK_OK(ik_root_options_default(&o));
    o.progress = stop_progress;
    o.progress_data = &p;
    CHECK_OK(ik_root(exact, x0, 2, &o, &r));
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_root_result_info(r, &info));
    CHECK(info.status == IK_ROOT_STOPPED && info.iterations == 2 && p.last == 2 && p.cost == info.residual_norm);
    CHECK(strstr(ik_root_result_message(r), "callback") != NULL);
    ik_root_result_free(r);
    ik_model_free(exact);
    ik_model_free(differenced);
    ik_model_free(circle);
    ik_model_free(diagonal);
    ik_model_free(square);
    ik_model_free(follow);
    ik_model_free(one);
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_minimize_errors(void) {
    const char* X[1] = {"x"};
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_model_t* with_input = NULL;
    ik_model_t* sqrt_f = formula("sqrt(x) + y^2", XY, 2);
    ik_model_t* nan_cb = callback(2, nan_fn, NULL, NULL);
    ik_model_t* freed = formula(ROSENBROCK, XY, 2);
    ik_minimize_result_t* r = NULL;
    ik_minimize_options_t o;
    counter_t fail_now = {0, 1}, fail_later = {0, 30};
    ik_model_t* failing = callback(2, rosen_fn, NULL, &fail_now);
    ik_model_t* failing_later = callback(2, rosen_fn, rosen_jac, &fail_later);
    ik_model_t* plain = callback(2, rosen_fn, rosen_jac, NULL);
    const double nan_x0[2] = {1, NAN}, neg_x0[2] = {-1, 1};
    const double lo[2] = {-2, -2}, hi[2] = {2, 2}, inverted[2] = {-2, 3}, nan_lo[2] = {-2, NAN};
    const double narrow_hi[2] = {-1.5, 2};
    double simplex[6] = {-1.2, 1, -1, 1, NAN, 1.2};
    ik_minimize_result_t* sentinel = (ik_minimize_result_t*)&o;

    CHECK_OK(ik_model_compile("(a - x)^2", X, 1, NULL, 0, &with_input));
    ik_model_free(freed);

    CHECK_ERR(ik_minimize_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    CHECK_ERR(ik_minimize(NULL, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "objective is NULL");
    CHECK(r == NULL);
    CHECK_ERR(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, NULL), IK_ERR_INVALID_ARGUMENT,
              "result is NULL");
    r = sentinel;
    CHECK_ERR(ik_minimize(freed, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "is not a live ik_model_t");
    CHECK_MSG(r == NULL, "a failed ik_minimize sets *result to NULL");
    CHECK_ERR(ik_minimize(with_input, START, 1, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r),
              IK_ERR_INVALID_ARGUMENT, "objective has inputs [\"x\"]");
    CHECK_ERR(ik_minimize(f, NULL, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "x0 is NULL");
    CHECK_ERR(ik_minimize(f, START, 3, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_DIMENSION,
              "n is 3 but the model has 2 parameters");
    CHECK_ERR(ik_minimize(f, START, 0, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_DIMENSION,
              "n is 0 but the model has 2 parameters");
    CHECK_ERR(ik_minimize(f, nan_x0, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_NONFINITE,
              "x0[1] (parameter 'y') is nan");
    CHECK_ERR(ik_minimize(f, START, 2, NULL, NULL, 8, NULL, &r), IK_ERR_INVALID_ARGUMENT, "method is 8");
    CHECK_ERR(ik_minimize(f, START, 2, NULL, NULL, -1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "method is -1");
    CHECK_ERR(ik_minimize(f, START, 2, inverted, hi, IK_MINIMIZE_LBFGSB, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "lower[1] = 3.0 is above upper[1] = 2.0");
    CHECK_ERR(ik_minimize(f, START, 2, nan_lo, hi, IK_MINIMIZE_LBFGSB, NULL, &r), IK_ERR_NONFINITE,
              "lower[1] is NaN");
    CHECK_ERR(ik_minimize(f, START, 2, lo, narrow_hi, IK_MINIMIZE_LBFGSB, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "x0[0] = -1.2 is outside its bounds [-2.0, -1.5]");
    CHECK_ERR(ik_minimize(f, START, 2, lo, hi, IK_MINIMIZE_NEWTON, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_NEWTON (0) does not support bounds");
    CHECK_ERR(ik_minimize(f, START, 2, lo, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_BFGS (7) does not support bounds");
    CHECK_ERR(ik_minimize(f, START, 2, NULL, hi, IK_MINIMIZE_LBFGS, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_LBFGS (4) does not support bounds");
    CHECK_ERR(ik_minimize(f, START, 2, lo, hi, IK_MINIMIZE_NEWTON_TRUST_REGION, NULL, &r),
              IK_ERR_INVALID_ARGUMENT, "IK_MINIMIZE_NEWTON_TRUST_REGION (1) does not support bounds");

    /* Options. */
#define BAD_OPTION(field, value, method, status, needle)                                        \
    do {                                                                                        \
        CHECK_OK(ik_minimize_options_default(&o));                                              \
        o.field = value;                                                                        \
        CHECK_ERR(ik_minimize(f, START, 2, NULL, NULL, method, &o, &r), status, needle);        \
        CHECK(r == NULL);                                                                       \
    } while (0)
    BAD_OPTION(struct_size, sizeof o - 8, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->struct_size is");
    BAD_OPTION(struct_size, 0, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "ik_minimize_options_default");
    BAD_OPTION(gtol, -1, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->gtol = -1.0 must be >= 0");
    BAD_OPTION(gtol, NAN, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->gtol = nan");
    BAD_OPTION(ftol, -1e-3, IK_MINIMIZE_LBFGSB, IK_ERR_INVALID_ARGUMENT, "options->ftol");
    BAD_OPTION(xtol, -1, IK_MINIMIZE_NEWTON, IK_ERR_INVALID_ARGUMENT, "options->xtol");
    BAD_OPTION(max_iter, -1, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->max_iter is -1");
    BAD_OPTION(max_fev, -5, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->max_fev is -5");
    BAD_OPTION(learning_rate, -0.1, IK_MINIMIZE_ADAM, IK_ERR_INVALID_ARGUMENT, "options->learning_rate is -0.1");
    BAD_OPTION(learning_rate, INFINITY, IK_MINIMIZE_GRADIENT_DESCENT, IK_ERR_INVALID_ARGUMENT,
               "options->learning_rate is inf");
    BAD_OPTION(beta1, 1, IK_MINIMIZE_ADAM, IK_ERR_INVALID_ARGUMENT, "options->beta1 = 1.0 must be in [0, 1)");
    BAD_OPTION(beta2, -0.5, IK_MINIMIZE_ADAM, IK_ERR_INVALID_ARGUMENT, "options->beta2");
    BAD_OPTION(epsilon, 0, IK_MINIMIZE_ADAM, IK_ERR_INVALID_ARGUMENT, "options->epsilon");
    BAD_OPTION(memory, 0, IK_MINIMIZE_LBFGS, IK_ERR_INVALID_ARGUMENT, "options->memory = 0 must be at least 1");
    BAD_OPTION(max_line_search, 0, IK_MINIMIZE_BFGS, IK_ERR_INVALID_ARGUMENT, "options->max_line_search = 0");
    BAD_OPTION(initial_trust_radius, 0, IK_MINIMIZE_NEWTON_TRUST_REGION, IK_ERR_INVALID_ARGUMENT,
               "options->initial_trust_radius = 0.0 must be > 0");
    BAD_OPTION(max_trust_radius, 0.5, IK_MINIMIZE_NEWTON_TRUST_REGION, IK_ERR_INVALID_ARGUMENT,
               "options->max_trust_radius = 0.5 must be >= options->initial_trust_radius = 1.0");
    BAD_OPTION(simplex_step, 0, IK_MINIMIZE_NELDER_MEAD, IK_ERR_INVALID_ARGUMENT, "options->simplex_step");
    BAD_OPTION(simplex_zero_step, NAN, IK_MINIMIZE_NELDER_MEAD, IK_ERR_INVALID_ARGUMENT,
               "options->simplex_zero_step");
    BAD_OPTION(adaptive, 2, IK_MINIMIZE_NELDER_MEAD, IK_ERR_INVALID_ARGUMENT, "options->adaptive is 2");
    BAD_OPTION(xatol, -1, IK_MINIMIZE_NELDER_MEAD, IK_ERR_INVALID_ARGUMENT, "options->xatol");
    BAD_OPTION(fatol, -1, IK_MINIMIZE_NELDER_MEAD, IK_ERR_INVALID_ARGUMENT, "options->fatol");
    BAD_OPTION(initial_simplex, simplex, IK_MINIMIZE_NELDER_MEAD, IK_ERR_NONFINITE,
               "options->initial_simplex[2][0] is NaN");
#undef BAD_OPTION

    /* The objective: NaN or infinite at x0, failing callbacks. */
    CHECK_ERR(ik_minimize(sqrt_f, neg_x0, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_NONFINITE,
              "the objective is NaN at x0");
    CHECK_ERR(ik_minimize(sqrt_f, neg_x0, 2, NULL, NULL, IK_MINIMIZE_NELDER_MEAD, NULL, &r), IK_ERR_NONFINITE,
              "the objective is NaN at x0");
    CHECK_ERR(ik_minimize(nan_cb, START, 2, NULL, NULL, IK_MINIMIZE_LBFGSB, NULL, &r), IK_ERR_NONFINITE,
              "the objective is NaN at x0");
    CHECK_ERR(ik_minimize(failing, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r), IK_ERR_CALLBACK,
              "the model callback returned 7");
    CHECK(r == NULL);
    CHECK_ERR(ik_minimize(failing_later, START, 2, NULL, NULL, IK_MINIMIZE_LBFGS, NULL, &r), IK_ERR_CALLBACK,
              "the model callback returned 7");
    CHECK(fail_later.calls == 30 && r == NULL);
    {
        counter_t hessian_fails = {0, 3};
        CHECK_OK(ik_minimize_options_default(&o));
        o.hessian = rosen_hessian;
        o.hessian_data = &hessian_fails;
        CHECK_ERR(ik_minimize(plain, START, 2, NULL, NULL, IK_MINIMIZE_NEWTON_TRUST_REGION, &o, &r),
                  IK_ERR_CALLBACK, "the Hessian callback returned 7");
        CHECK(hessian_fails.calls == 3 && r == NULL);
    }
    ik_model_free(f);
    ik_model_free(with_input);
    ik_model_free(sqrt_f);
    ik_model_free(nan_cb);
    ik_model_free(failing);
    ik_model_free(failing_later);
    ik_model_free(plain);
}

static void test_minimize_result_errors(void) {
    const double origin[2] = {0, 0};
    ik_model_t* f = formula(ROSENBROCK, XY, 2);
    ik_model_t* saddle = formula("x^2 - y^2", XY, 2);
    ik_minimize_result_t* r = NULL;
    ik_minimize_result_t* nm = NULL;
    ik_minimize_result_t* lb = NULL;
    ik_root_result_t* root = NULL;
    ik_minimize_info_t info;
    ik_model_t* one = formula("x^3 - 8", XY, 1);
    double out[4], three = 3;
    int32_t method;
    int i;
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_BFGS, NULL, &r));
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_NELDER_MEAD, NULL, &nm));
    CHECK_OK(ik_minimize(f, START, 2, NULL, NULL, IK_MINIMIZE_LBFGSB, NULL, &lb));
    CHECK_OK(ik_root(one, &three, 1, NULL, &root));

    CHECK_ERR(ik_minimize_result_info(NULL, &info), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_minimize_result_info(r, NULL), IK_ERR_INVALID_ARGUMENT, "info is NULL");
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info - 8;
    CHECK_ERR(ik_minimize_result_info(r, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is");
    CHECK_ERRMSG("sizeof(ik_minimize_info_t)");
    CHECK_ERR(ik_minimize_result_x(r, NULL, 2), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    CHECK_ERR(ik_minimize_result_x(r, out, 1), IK_ERR_DIMENSION, "out has room for 1 values but x (n) needs 2");
    CHECK_ERR(ik_minimize_result_gradient(r, out, 1), IK_ERR_DIMENSION, "gradient (n) needs 2");
    CHECK_ERR(ik_minimize_result_inverse_hessian(r, out, 3), IK_ERR_DIMENSION,
              "the inverse Hessian (n x n) needs 4");
    CHECK_ERR(ik_minimize_result_gradient(nm, out, 2), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_NELDER_MEAD (6), which uses no gradient");
    CHECK_ERR(ik_minimize_result_inverse_hessian(nm, out, 4), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_NELDER_MEAD (6), which keeps no dense inverse Hessian");
    CHECK_ERR(ik_minimize_result_inverse_hessian(lb, out, 4), IK_ERR_INVALID_ARGUMENT,
              "IK_MINIMIZE_LBFGSB (5), which keeps no dense inverse Hessian");
    CHECK(info_of(lb).has_inverse_hessian == 0);
    /* A saddle point: the gradient vanishes at x0, the Hessian is indefinite. */
    for (method = IK_MINIMIZE_NEWTON; method <= IK_MINIMIZE_NEWTON_TRUST_REGION; method++) {
        ik_minimize_result_t* s = NULL;
        CHECK_OK(ik_minimize(saddle, origin, 2, NULL, NULL, method, NULL, &s));
        CHECK(info_of(s).iterations == 0 && info_of(s).success == 1 && info_of(s).has_inverse_hessian == 0);
        CHECK_ERR(ik_minimize_result_inverse_hessian(s, out, 4), IK_ERR_SINGULAR, "not positive definite");
        for (i = 0; i < 4; i++) CHECK(isnan(out[i]));
        ik_minimize_result_free(s);
    }
    /* Handles of another type, and freed ones. */
    CHECK_ERR(ik_minimize_result_x((const ik_minimize_result_t*)root, out, 2), IK_ERR_INVALID_ARGUMENT,
              "is not a live ik_minimize_result_t");
    CHECK_ERR(ik_root_result_x((const ik_root_result_t*)r, out, 2), IK_ERR_INVALID_ARGUMENT,
              "is not a live ik_root_result_t");
    ik_minimize_result_free(r);
    CHECK_ERR(ik_minimize_result_info(r, &info), IK_ERR_INVALID_ARGUMENT, "is not a live ik_minimize_result_t");
    CHECK_ERR(ik_minimize_result_x(r, out, 2), IK_ERR_INVALID_ARGUMENT, "is not a live ik_minimize_result_t");
    CHECK(strcmp(ik_minimize_result_message(r), "") == 0);
    CHECK(strcmp(ik_minimize_result_message(NULL), "") == 0);
    ik_minimize_result_free(r); /* freeing twice is harmless */
    ik_minimize_result_free(NULL);
    ik_minimize_result_free(nm);
    ik_minimize_result_free(lb);
    ik_root_result_free(root);
    ik_model_free(f);
    ik_model_free(saddle);
    ik_model_free(one);
}

static void test_root_scalar_errors(void) {
    const char* X[1] = {"x"};
    ik_model_t* c = formula("cos(x) - x", X, 1);
    ik_model_t* two = formula(ROSENBROCK, XY, 2);
    ik_model_t* with_input = NULL;
    ik_model_t* logf = formula("log(x)", X, 1);
    counter_t fails = {0, 2};
    ik_model_t* failing = callback(1, cosx_fn, cosx_jac, &fails);
    ik_model_t* freed = formula("cos(x) - x", X, 1);
    ik_root_scalar_info_t info = scalar_info();
    ik_root_options_t o;
    double x0 = 1, nan_x0 = NAN, minus = -1, far = 5;
    double same_sign[2] = {1, 2}, inf_bracket[2] = {0, INFINITY}, unit[2] = {0, 1};
    CHECK_OK(ik_model_compile("cos(x) - a", X, 1, NULL, 0, &with_input));
    ik_model_free(freed);

    CHECK_ERR(ik_root_scalar(c, &x0, NULL, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "info is NULL");
    info.struct_size = 8;
    CHECK_ERR(ik_root_scalar(c, &x0, NULL, NULL, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is 8");
    info = scalar_info();
    CHECK_ERR(ik_root_scalar(NULL, &x0, NULL, NULL, &info), IK_ERR_INVALID_ARGUMENT, "f is NULL");
    CHECK_ERR(ik_root_scalar(freed, &x0, NULL, NULL, &info), IK_ERR_INVALID_ARGUMENT, "is not a live ik_model_t");
    CHECK_ERR(ik_root_scalar(with_input, &x0, NULL, NULL, &info), IK_ERR_INVALID_ARGUMENT,
              "f has inputs [\"x\"]");
    CHECK_ERR(ik_root_scalar(two, &x0, NULL, NULL, &info), IK_ERR_DIMENSION,
              "f has 2 parameters [\"x\", \"y\"]");
    CHECK_ERR(ik_root_scalar(c, NULL, NULL, NULL, &info), IK_ERR_INVALID_ARGUMENT,
              "x0 and bracket are both NULL");
    CHECK_ERR(ik_root_scalar(c, &nan_x0, NULL, NULL, &info), IK_ERR_NONFINITE, "x0 is NaN");
    CHECK_ERR(ik_root_scalar(c, NULL, inf_bracket, NULL, &info), IK_ERR_NONFINITE, "bracket[1] is +infinity");
    CHECK_ERR(ik_root_scalar(c, NULL, same_sign, NULL, &info), IK_ERR_INVALID_ARGUMENT,
              "the bracket [1.0, 2.0] has no sign change");
    CHECK_ERR(ik_root_scalar(c, &far, unit, NULL, &info), IK_ERR_INVALID_ARGUMENT,
              "x0 = 5.0 is outside the bracket [0.0, 1.0]");
    CHECK_ERR(ik_root_scalar(logf, &minus, NULL, NULL, &info), IK_ERR_NONFINITE, "f is NaN at x0 = -1.0");
    CHECK_ERR(ik_root_scalar(failing, &x0, NULL, NULL, &info), IK_ERR_CALLBACK, "the model callback returned 7");
#define BAD_ROOT_OPTION(field, value, needle)                                                   \
    do {                                                                                        \
        CHECK_OK(ik_root_options_default(&o));                                                  \
        o.field = value;                                                                        \
        CHECK_ERR(ik_root_scalar(c, &x0, NULL, &o, &info), IK_ERR_INVALID_ARGUMENT, needle);    \
    } while (0)
    BAD_ROOT_OPTION(struct_size, 0, "ik_root_options_default");
    BAD_ROOT_OPTION(fatol, -1, "options->fatol = -1.0 must be >= 0");
    BAD_ROOT_OPTION(xtol, NAN, "options->xtol = nan");
    BAD_ROOT_OPTION(rtol, -1e-9, "options->rtol");
    BAD_ROOT_OPTION(max_iter, -2, "options->max_iter is -2");
    BAD_ROOT_OPTION(max_fev, -1, "options->max_fev is -1");
#undef BAD_ROOT_OPTION
    CHECK_ERR(ik_root_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options is NULL");
    CHECK(strcmp(ik_root_status_message(99), "") == 0);
    CHECK(strcmp(ik_root_status_message(-1), "") == 0);
    CHECK(strlen(ik_root_status_message(IK_ROOT_NONFINITE)) > 10);
    ik_model_free(c);
    ik_model_free(two);
    ik_model_free(with_input);
    ik_model_free(logf);
    ik_model_free(failing);
}

static void test_root_errors(void) {
    const char* X[1] = {"x"};
    const char* repeated[2] = {"x", "x"};
    const char* with_null[2] = {"x", NULL};
    const char* XZ[2] = {"x", "z"};
    const double x0[2] = {1, 0.5}, nan_x0[2] = {NAN, 1};
    ik_model_t* cb = callback(2, circle_fn, circle_jac, NULL);
    ik_model_t* nan_cb = callback(2, nan_fn, NULL, NULL);
    counter_t fails = {0, 3};
    ik_model_t* failing = callback(2, circle_fn, NULL, &fails);
    ik_model_t* circle = formula("x^2 + y^2 - 4", XY, 2);
    ik_model_t* diagonal = formula("x - y", XY, 2);
    ik_model_t* reversed = formula("y - x", NULL, 0);
    ik_model_t* with_input = NULL;
    ik_model_t* freed = formula("x - y", XY, 2);
    const ik_model_t* system[2] = {circle, diagonal};
    const ik_model_t* mismatched[2] = {circle, reversed};
    const ik_model_t* holes[2] = {circle, NULL};
    const ik_model_t* stale[2] = {circle, freed};
    const ik_model_t* inputs[2] = {circle, NULL};
    ik_root_result_t* r = NULL;
    ik_root_info_t info;
    ik_root_options_t o;
    double out[2];
    CHECK_OK(ik_model_compile("x - y", X, 1, NULL, 0, &with_input));
    inputs[1] = with_input;
    ik_model_free(freed);

    /* ik_root */
    CHECK_ERR(ik_root(cb, x0, 2, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_root(NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "system is NULL");
    CHECK_ERR(ik_root(with_input, x0, 1, NULL, &r), IK_ERR_INVALID_ARGUMENT, "system has inputs [\"x\"]");
    CHECK_ERR(ik_root(circle, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "use ik_root_formulas");
    CHECK_ERR(ik_root(cb, NULL, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "x0 is NULL");
    CHECK_ERR(ik_root(cb, x0, 3, NULL, &r), IK_ERR_DIMENSION, "n is 3 but the model has 2 parameters");
    CHECK_ERR(ik_root(cb, nan_x0, 2, NULL, &r), IK_ERR_NONFINITE, "x0[0] (parameter 'p0') is nan");
    CHECK_ERR(ik_root(nan_cb, x0, 2, NULL, &r), IK_ERR_NONFINITE, "F(x0)[0] is NaN");
    CHECK_ERR(ik_root(failing, x0, 2, NULL, &r), IK_ERR_CALLBACK, "the model callback returned 7");
    CHECK(r == NULL);
    CHECK_OK(ik_root_options_default(&o));
    o.rtol = -1;
    CHECK_ERR(ik_root(cb, x0, 2, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->rtol = -1.0 must be >= 0");
    o.struct_size = 1;
    CHECK_ERR(ik_root(cb, x0, 2, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->struct_size is 1");

    /* ik_root_formulas */
    CHECK_ERR(ik_root_formulas(system, 2, NULL, x0, 2, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_root_formulas(NULL, 2, NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "equations is NULL");
    CHECK_ERR(ik_root_formulas(system, 0, NULL, x0, 0, NULL, &r), IK_ERR_DIMENSION, "n_equations is 0");
    CHECK_ERR(ik_root_formulas(holes, 2, NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "equations[1] is NULL");
    CHECK_ERR(ik_root_formulas(stale, 2, NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "is not a live ik_model_t");
    CHECK_ERRMSG("equations[1]");
    CHECK_ERR(ik_root_formulas(inputs, 2, NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "equations[1] has inputs [\"x\"]");
    CHECK_ERR(ik_root_formulas(system, 2, NULL, x0, 3, NULL, &r), IK_ERR_DIMENSION,
              "n_equations is 2 but n is 3");
    CHECK_ERR(ik_root_formulas(system, 1, NULL, x0, 1, NULL, &r), IK_ERR_DIMENSION,
              "n is 1 but the equations have 2 unknowns");
    CHECK_ERR(ik_root_formulas(mismatched, 2, NULL, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "equations[1] has parameters [\"y\", \"x\"] but equations[0] has [\"x\", \"y\"]");
    CHECK_ERR(ik_root_formulas(system, 2, XZ, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "equations[0] has parameter 'y', which is not one of the unknowns");
    CHECK_ERR(ik_root_formulas(system, 2, repeated, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "unknown 'x' is named more than once");
    CHECK_ERR(ik_root_formulas(system, 2, with_null, x0, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT,
              "unknowns[1] is NULL");
    CHECK_ERR(ik_root_formulas(system, 2, NULL, NULL, 2, NULL, &r), IK_ERR_INVALID_ARGUMENT, "x0 is NULL");
    CHECK_ERR(ik_root_formulas(system, 2, NULL, nan_x0, 2, NULL, &r), IK_ERR_NONFINITE, "x0[0] is nan");
    CHECK_OK(ik_root_options_default(&o));
    o.max_iter = -1;
    CHECK_ERR(ik_root_formulas(system, 2, NULL, x0, 2, &o, &r), IK_ERR_INVALID_ARGUMENT, "options->max_iter is -1");
    CHECK(r == NULL);

    /* Result getters. */
    CHECK_OK(ik_root(cb, x0, 2, NULL, &r));
    memset(&info, 0, sizeof info);
    CHECK_ERR(ik_root_result_info(r, &info), IK_ERR_INVALID_ARGUMENT, "info->struct_size is 0");
    CHECK_ERR(ik_root_result_info(r, NULL), IK_ERR_INVALID_ARGUMENT, "info is NULL");
    CHECK_ERR(ik_root_result_info(NULL, &info), IK_ERR_INVALID_ARGUMENT, "result is NULL");
    CHECK_ERR(ik_root_result_x(r, out, 1), IK_ERR_DIMENSION, "out has room for 1 values but x (n) needs 2");
    CHECK_ERR(ik_root_result_values(r, out, 0), IK_ERR_DIMENSION, "values (n) needs 2");
    CHECK_ERR(ik_root_result_values(r, NULL, 2), IK_ERR_INVALID_ARGUMENT, "out is NULL");
    ik_root_result_free(r);
    CHECK_ERR(ik_root_result_values(r, out, 2), IK_ERR_INVALID_ARGUMENT, "is not a live ik_root_result_t");
    CHECK(strcmp(ik_root_result_message(r), "") == 0);
    ik_root_result_free(r);
    ik_root_result_free(NULL);

    ik_model_free(cb);
    ik_model_free(nan_cb);
    ik_model_free(failing);
    ik_model_free(circle);
    ik_model_free(diagonal);
    ik_model_free(reversed);
    ik_model_free(with_input);
}

int main(void) {
    test_rosenbrock_every_method();
    test_inverse_hessian();
    test_bounds();
    test_progress_and_budgets();
    test_root_scalar();
    test_root_systems();
    test_minimize_errors();
    test_minimize_result_errors();
    test_root_scalar_errors();
    test_root_errors();
    return ik_test_summary("test_minimize");
}
