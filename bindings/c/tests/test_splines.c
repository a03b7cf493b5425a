/*
 * test_splines.c - B-splines, least-squares and interpolating splines and the simple
 * interpolators (ik_spline_*, ik_interp_*) through the C ABI.
 *
 * Every expected value is computed here, independently of the library: the Cox-de Boor
 * recursion for B-splines and their derivatives, Marsden's identity (the B-spline
 * coefficients of a polynomial of degree <= k, so such a spline IS that polynomial, inside
 * and extrapolated), piecewise-linear and step functions written out, and the normal
 * equations of small, well-conditioned least-squares problems. The second half feeds every
 * bad input the header allows and asserts the exact status and that ik_last_error() names
 * the culprit.
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define MAXT 64  /* largest knot vector used here */
#define MAXC 48  /* largest number of coefficients */
#define MAXN 128 /* largest number of data points */

/* ---------------------------------------------------------------------------------------- */
/* Reference computations                                                                   */
/* ---------------------------------------------------------------------------------------- */

/*
 * The knot interval whose polynomial piece gives the spline at x, as scipy chooses it:
 * t[l] <= x < t[l+1] with k <= l < n_c, the right end of the base interval in the last
 * non-empty interval, and points outside in the first or last interval (extrapolation).
 */
static size_t ref_interval(const double* t, size_t n_t, int k, double x) {
    size_t n_c = n_t - (size_t)k - 1, l = (size_t)k;
    size_t last = n_c - 1;
    while (last > (size_t)k && !(t[last] < t[last + 1])) last--;
    if (x >= t[n_c]) return last;
    while (l + 1 < n_c && t[l + 1] <= x) l++;
    while (l > (size_t)k && !(t[l] < t[l + 1])) l--;
    return l;
}

/*
 * The nu-th derivative at x of the B-spline B_{j,p} (degree p <= the spline's k) on the
 * polynomial piece of interval l, by the Cox-de Boor recursion and its derivative form
 *   B_{j,p} = (x - t_j)/(t_{j+p} - t_j) B_{j,p-1}
 *           + (t_{j+p+1} - x)/(t_{j+p+1} - t_{j+1}) B_{j+1,p-1}
 *   B'_{j,p} = p (B_{j,p-1}/(t_{j+p} - t_j) - B_{j+1,p-1}/(t_{j+p+1} - t_{j+1})), 0/0 = 0.
 */
static double ref_basis(const double* t, size_t j, int p, size_t l, double x, int nu) {
    double left = 0.0, right = 0.0, d1 = t[j + (size_t)p] - t[j],
           d2 = t[j + (size_t)p + 1] - t[j + 1];
    if (p == 0) return (nu == 0 && j == l) ? 1.0 : 0.0;
    if (nu > p) return 0.0;
    if (nu > 0) {
        if (d1 > 0.0) left = ref_basis(t, j, p - 1, l, x, nu - 1) / d1;
        if (d2 > 0.0) right = ref_basis(t, j + 1, p - 1, l, x, nu - 1) / d2;
        return (double)p * (left - right);
    }
    if (d1 > 0.0) left = (x - t[j]) / d1 * ref_basis(t, j, p - 1, l, x, 0);
    if (d2 > 0.0) right = (t[j + (size_t)p + 1] - x) / d2 * ref_basis(t, j + 1, p - 1, l, x, 0);
    return left + right;
}

/* s^(nu)(x) = sum_j c_j B^(nu)_{j,k}(x), extrapolating outside the base interval. */
static double ref_spline(const double* t, size_t n_t, const double* c, int k, double x, int nu) {
    size_t l = ref_interval(t, n_t, k, x), j, n_c = n_t - (size_t)k - 1;
    double s = 0.0;
    for (j = 0; j < n_c; j++) s += c[j] * ref_basis(t, j, k, l, x, nu);
    return s;
}

/*
 * The condition of evaluating s^(nu)(x) = sum_j c_j B^(nu)_j(x): sum_j |c_j B^(nu)_j(x)|.
 * Rounding errors of any evaluation from the coefficients are a few eps times this (they
 * grow like 1/h^nu for derivatives), so absolute tolerances are set in its units.
 */
static double ref_condition(const double* t, size_t n_t, const double* c, int k, double x, int nu) {
    size_t l = ref_interval(t, n_t, k, x), j, n_c = n_t - (size_t)k - 1;
    double s = 0.0;
    for (j = 0; j < n_c; j++) s += fabs(c[j] * ref_basis(t, j, k, l, x, nu));
    return s;
}

/* The elementary symmetric polynomial e_m of v[0..n). */
static double ref_symmetric(const double* v, size_t n, int m) {
    double e[8] = {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    size_t i;
    int r;
    for (i = 0; i < n; i++)
        for (r = (int)(i + 1 < 7 ? i + 1 : 7); r >= 1; r--) e[r] += v[i] * e[r - 1];
    return e[m];
}

static double ref_binomial(int n, int m) {
    double b = 1.0;
    int i;
    for (i = 1; i <= m; i++) b = b * (double)(n - m + i) / (double)i;
    return b;
}

/*
 * Marsden's identity: the coefficients of p(x) = sum_m a[m] x^m (deg <= k) in the B-spline
 * basis of knots t are c_j = sum_m a[m] e_m(t_{j+1}, ..., t_{j+k}) / binomial(k, m).
 */
static void ref_marsden(const double* t, size_t n_t, int k, const double* a, int deg, double* c) {
    size_t j, n_c = n_t - (size_t)k - 1;
    int m;
    for (j = 0; j < n_c; j++) {
        c[j] = 0.0;
        for (m = 0; m <= deg; m++)
            c[j] += a[m] * ref_symmetric(t + j + 1, (size_t)k, m) / ref_binomial(k, m);
    }
}

/* The nu-th derivative of the polynomial sum_m a[m] x^m (nu = -1: the antiderivative). */
static double ref_poly(const double* a, int deg, double x, int nu) {
    double s = 0.0;
    int m, i;
    for (m = 0; m <= deg; m++) {
        double f = a[m];
        if (nu < 0) {
            s += f * pow(x, (double)(m + 1)) / (double)(m + 1);
            continue;
        }
        if (m < nu) continue;
        for (i = 0; i < nu; i++) f *= (double)(m - i);
        s += f * pow(x, (double)(m - nu));
    }
    return s;
}

/* Inverse of the n x n matrix m (row-major, n <= MAXC) by Gauss-Jordan with partial pivoting. */
static int ref_inverse(const double* m, size_t n, double* inv) {
    static double w[MAXC * 2 * MAXC];
    size_t i, j, k, cols = 2 * n;
    if (n > MAXC) return 0;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            w[i * cols + j] = m[i * n + j];
            w[i * cols + n + j] = (i == j) ? 1.0 : 0.0;
        }
    for (k = 0; k < n; k++) {
        size_t p = k;
        double pivot;
        for (i = k + 1; i < n; i++)
            if (fabs(w[i * cols + k]) > fabs(w[p * cols + k])) p = i;
        if (w[p * cols + k] == 0.0) return 0;
        for (j = 0; j < cols; j++) {
            double s = w[k * cols + j];
            w[k * cols + j] = w[p * cols + j];
            w[p * cols + j] = s;
        }
        pivot = w[k * cols + k];
        for (j = 0; j < cols; j++) w[k * cols + j] /= pivot;
        for (i = 0; i < n; i++) {
            double f = w[i * cols + k];
            if (i == k || f == 0.0) continue;
            for (j = 0; j < cols; j++) w[i * cols + j] -= f * w[k * cols + j];
        }
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) inv[i * n + j] = w[i * cols + n + j];
    return 1;
}

/* numpy.interp written out: linear between neighbours, end values outside. */
static double ref_linear(const double* xp, const double* fp, size_t n_p, double x) {
    size_t i;
    if (x <= xp[0]) return fp[0];
    if (x >= xp[n_p - 1]) return fp[n_p - 1];
    for (i = 0; x >= xp[i + 1]; i++) {
    }
    return fp[i] + (fp[i + 1] - fp[i]) * (x - xp[i]) / (xp[i + 1] - xp[i]);
}

/* Nearest neighbour, a tie going to the left, end values outside. */
static double ref_nearest(const double* xp, const double* fp, size_t n_p, double x) {
    size_t i;
    if (x <= xp[0]) return fp[0];
    if (x >= xp[n_p - 1]) return fp[n_p - 1];
    for (i = 0; x > xp[i + 1]; i++) {
    }
    /* xp[i] <= x <= xp[i+1] (x > xp[i] unless i == 0) */
    return (x - xp[i] <= xp[i + 1] - x) ? fp[i] : fp[i + 1];
}

/* ---------------------------------------------------------------------------------------- */
/* Test data and helpers                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* A cubic on [0, 4] with interior knots 1, 2, 2.5: 11 knots, 7 coefficients. */
static const double T3[11] = {0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 2.5, 4.0, 4.0, 4.0, 4.0};
static const double C3[7] = {1.0, -2.0, 0.5, 3.0, 1.0, 0.0, 2.0};

/*
 * The last message names `needle`: a plain identifier ("k", "x", "nu", "n_t") must appear as a
 * whole word (so "k" is not satisfied by the k of "knot"); anything else ("x[3]", "t[") as a
 * substring. One test case.
 */
static int names_culprit(const char* needle, const char* file, int line) {
    const char* m = ik_last_error();
    const char* p;
    size_t len = strlen(needle), i;
    int identifier = 1, found = 0;
    for (i = 0; i < len; i++) {
        char ch = needle[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            identifier = 0;
    }
    for (p = m ? strstr(m, needle) : NULL; p != NULL && !found; p = strstr(p + 1, needle)) {
        char before = (p == m) ? ' ' : p[-1], after = p[len];
        int word_before = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                          (before >= '0' && before <= '9') || before == '_';
        int word_after = (after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
                         (after >= '0' && after <= '9') || after == '_';
        found = !identifier || (!word_before && !word_after);
    }
    if (!found)
        fprintf(stderr, "FAIL %s:%d: ik_last_error() should name \"%s\" but is \"%s\"\n", file,
                line, needle, ik_test_message());
    return ik_test_record(found, file, line, "message names the culprit");
}

/* Two test cases: the status is exactly `expected` and the message names `needle`. */
#define CHECK_FAIL(call, expected, needle)                                                   \
    (ik_test_status((call), (expected), __FILE__, __LINE__, #call),                         \
     names_culprit((needle), __FILE__, __LINE__))

/* Does ik_last_error() contain one of two needles? One test case. */
static int message_has_either(const char* a, const char* b, int line) {
    const char* m = ik_last_error();
    int ok = m != NULL && (strstr(m, a) != NULL || strstr(m, b) != NULL);
    if (!ok)
        fprintf(stderr,
                "FAIL %s:%d: ik_last_error() should contain \"%s\" or \"%s\" but is \"%s\"\n",
                __FILE__, line, a, b, ik_test_message());
    return ik_test_record(ok, __FILE__, line, "message names the culprit");
}
#define CHECK_ERRMSG_EITHER(a, b) message_has_either((a), (b), __LINE__)

/* A spline that must be created; one test case; NULL on failure. */
static ik_spline_t* create_ok(int line, const double* t, size_t n_t, const double* c, size_t n_c,
                              int32_t k) {
    ik_spline_t* s = NULL;
    ik_status_t st = ik_spline_create(t, n_t, c, n_c, k, &s);
    ik_test_status(st, IK_OK, __FILE__, line, "ik_spline_create");
    return st == IK_OK ? s : NULL;
}
#define CREATE_OK(t, n_t, c, n_c, k) create_ok(__LINE__, t, n_t, c, n_c, k)

/* The value of a spline at one point (NaN if the call fails, which is also a failed case). */
static double eval_at(int line, const ik_spline_t* s, double x, int32_t nu, int32_t extrapolate) {
    double out = -12345.0;
    ik_status_t st = ik_spline_evaluate(s, &x, 1, nu, extrapolate, &out);
    if (st != IK_OK) {
        ik_test_status(st, IK_OK, __FILE__, line, "ik_spline_evaluate");
        return NAN;
    }
    return out;
}

static double integral_of(int line, const ik_spline_t* s, double a, double b, int32_t extrapolate) {
    double out = -12345.0;
    ik_status_t st = ik_spline_integrate(s, a, b, extrapolate, &out);
    if (st != IK_OK) {
        ik_test_status(st, IK_OK, __FILE__, line, "ik_spline_integrate");
        return NAN;
    }
    return out;
}

/* max |v| over n values (at least tiny, to scale absolute tolerances) */
static double max_abs(const double* v, size_t n) {
    double m = 1e-300;
    size_t i;
    for (i = 0; i < n; i++)
        if (fabs(v[i]) > m) m = fabs(v[i]);
    return m;
}

/* ---------------------------------------------------------------------------------------- */
/* Creation and getters                                                                     */
/* ---------------------------------------------------------------------------------------- */

static void test_create_and_getters(void) {
    double t[11], c[7], big[20];
    size_t n_t = 0, n_c = 0, i;
    int32_t k = -1;
    ik_spline_t* s = CREATE_OK(T3, 11, C3, 7, 3);
    if (!s) return;
    CHECK_OK(ik_spline_info(s, &n_t, &n_c, &k));
    CHECK(n_t == 11 && n_c == 7 && k == 3);
    CHECK_OK(ik_spline_knots(s, t, 11));
    CHECK(memcmp(t, T3, sizeof t) == 0);
    CHECK_OK(ik_spline_coefficients(s, c, 7));
    CHECK(memcmp(c, C3, sizeof c) == 0);
    /* longer buffers are fine; the tail is not written */
    for (i = 0; i < 20; i++) big[i] = -7.0;
    CHECK_OK(ik_spline_knots(s, big, 20));
    CHECK(memcmp(big, T3, sizeof T3) == 0 && big[11] == -7.0 && big[19] == -7.0);
    ik_spline_free(s);

    /* the library keeps its own copy of t and c */
    {
        double tt[11], cc[7], before, after;
        memcpy(tt, T3, sizeof tt);
        memcpy(cc, C3, sizeof cc);
        s = CREATE_OK(tt, 11, cc, 7, 3);
        if (!s) return;
        before = eval_at(__LINE__, s, 1.7, 0, IK_SPLINE_EXTRAPOLATE);
        tt[5] = 1.9;
        cc[3] = 100.0;
        after = eval_at(__LINE__, s, 1.7, 0, IK_SPLINE_EXTRAPOLATE);
        CHECK(before == after);
        CHECK_CLOSE(after, ref_spline(T3, 11, C3, 3, 1.7, 0), 1e-14, 1e-14);
        ik_spline_free(s);
    }

    /* degree 20 is the largest allowed: 42 knots, 21 coefficients, sum of B-splines = 1 */
    {
        double t20[42], c20[21];
        for (i = 0; i < 21; i++) {
            t20[i] = -1.0;
            t20[21 + i] = 2.0;
            c20[i] = 1.0;
        }
        s = CREATE_OK(t20, 42, c20, 21, 20);
        if (s) {
            CHECK_CLOSE(eval_at(__LINE__, s, 0.3, 0, IK_SPLINE_EXTRAPOLATE), 1.0, 1e-13, 0.0);
            CHECK_CLOSE(integral_of(__LINE__, s, -1.0, 2.0, IK_SPLINE_NAN_OUTSIDE), 3.0, 1e-13,
                        0.0);
            ik_spline_free(s);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Evaluation against formulas                                                              */
/* ---------------------------------------------------------------------------------------- */

/* k = 1: piecewise-linear interpolation of c_j at the Greville abscissae t_{j+1}. */
static void test_linear_spline(void) {
    const double t[7] = {0.0, 0.0, 0.5, 1.5, 3.0, 4.0, 4.0};
    const double c[5] = {1.0, -2.0, 0.5, 3.0, 2.0};
    const double g[5] = {0.0, 0.5, 1.5, 3.0, 4.0}; /* Greville abscissae t[j+1] */
    double x[41], out[41], d1[41], d2[41], nanout[41];
    size_t i;
    ik_spline_t* s = CREATE_OK(t, 7, c, 5, 1);
    if (!s) return;
    for (i = 0; i < 41; i++) x[i] = -1.0 + 6.0 * (double)i / 40.0 + 0.0123;
    CHECK_OK(ik_spline_evaluate(s, x, 41, 0, IK_SPLINE_EXTRAPOLATE, out));
    CHECK_OK(ik_spline_evaluate(s, x, 41, 1, IK_SPLINE_EXTRAPOLATE, d1));
    CHECK_OK(ik_spline_evaluate(s, x, 41, 2, IK_SPLINE_EXTRAPOLATE, d2));
    CHECK_OK(ik_spline_evaluate(s, x, 41, 0, IK_SPLINE_NAN_OUTSIDE, nanout));
    for (i = 0; i < 41; i++) {
        size_t seg = 0;
        double slope, want;
        while (seg < 3 && x[i] >= g[seg + 1]) seg++; /* extrapolation: first or last segment */
        slope = (c[seg + 1] - c[seg]) / (g[seg + 1] - g[seg]);
        want = c[seg] + slope * (x[i] - g[seg]);
        CHECK_CLOSE(out[i], want, 1e-13, 1e-14);
        CHECK_CLOSE(d1[i], slope, 1e-13, 1e-14);
        CHECK_CLOSE(d2[i], 0.0, 0.0, 0.0);
        if (x[i] < 0.0 || x[i] > 4.0)
            CHECK_MSG(isnan(nanout[i]), "NaN outside the base interval");
        else
            CHECK_CLOSE(nanout[i], want, 1e-13, 1e-14);
    }
    /* the ends of the base interval are inside: values, not NaN */
    CHECK_CLOSE(eval_at(__LINE__, s, 0.0, 0, IK_SPLINE_NAN_OUTSIDE), 1.0, 1e-15, 0.0);
    CHECK_CLOSE(eval_at(__LINE__, s, 4.0, 0, IK_SPLINE_NAN_OUTSIDE), 2.0, 1e-15, 0.0);
    /* at a knot: the value there (continuous) */
    CHECK_CLOSE(eval_at(__LINE__, s, 1.5, 0, IK_SPLINE_NAN_OUTSIDE), 0.5, 1e-15, 0.0);
    /* integral of a piecewise-linear function: trapezoids between Greville abscissae */
    {
        double full = 0.0;
        for (i = 0; i < 4; i++) full += 0.5 * (c[i] + c[i + 1]) * (g[i + 1] - g[i]);
        CHECK_CLOSE(integral_of(__LINE__, s, 0.0, 4.0, IK_SPLINE_EXTRAPOLATE), full, 1e-14, 1e-14);
        CHECK_CLOSE(integral_of(__LINE__, s, 4.0, 0.0, IK_SPLINE_NAN_OUTSIDE), -full, 1e-14, 1e-14);
        /* extrapolated pieces: from -1 to 0 the first segment continued (values 7 .. 1) */
        CHECK_CLOSE(integral_of(__LINE__, s, -1.0, 4.0, IK_SPLINE_EXTRAPOLATE), full + 4.0, 1e-14,
                    1e-14);
        CHECK_CLOSE(integral_of(__LINE__, s, -1.0, 4.0, IK_SPLINE_NAN_OUTSIDE), full, 1e-14, 1e-14);
        /* beyond the end: the last segment has slope -1, from 4 to 5 the values go 2 .. 1 */
        CHECK_CLOSE(integral_of(__LINE__, s, 0.0, 5.0, IK_SPLINE_EXTRAPOLATE), full + 1.5, 1e-14,
                    1e-14);
        CHECK_CLOSE(integral_of(__LINE__, s, 5.0, 6.0, IK_SPLINE_NAN_OUTSIDE), 0.0, 0.0, 0.0);
        CHECK_CLOSE(integral_of(__LINE__, s, 2.0, 2.0, IK_SPLINE_EXTRAPOLATE), 0.0, 0.0, 0.0);
    }
    ik_spline_free(s);
}

/* k = 0: a step function c_j on [t_j, t_{j+1}); integral = sum c_j (t_{j+1} - t_j). */
static void test_step_spline(void) {
    const double t[5] = {0.0, 0.5, 2.0, 2.5, 4.0};
    const double c[4] = {3.0, -1.0, 2.0, 5.0};
    const double x[9] = {-1.0, 0.0, 0.25, 0.5, 1.9, 2.0, 2.75, 4.0, 4.5};
    const double want[9] = {3.0, 3.0, 3.0, -1.0, -1.0, 2.0, 5.0, 5.0, 5.0};
    double out[9], full = 0.0;
    size_t i;
    ik_spline_t* s = CREATE_OK(t, 5, c, 4, 0);
    if (!s) return;
    CHECK_OK(ik_spline_evaluate(s, x, 9, 0, IK_SPLINE_EXTRAPOLATE, out));
    for (i = 0; i < 9; i++) CHECK_CLOSE(out[i], want[i], 0.0, 0.0);
    CHECK_OK(ik_spline_evaluate(s, x, 9, 1, IK_SPLINE_EXTRAPOLATE, out));
    for (i = 0; i < 9; i++) CHECK_CLOSE(out[i], 0.0, 0.0, 0.0);
    CHECK_OK(ik_spline_evaluate(s, x, 9, 0, IK_SPLINE_NAN_OUTSIDE, out));
    CHECK(isnan(out[0]) && isnan(out[8]) && out[1] == 3.0 && out[7] == 5.0);
    for (i = 0; i < 4; i++) full += c[i] * (t[i + 1] - t[i]);
    CHECK_CLOSE(integral_of(__LINE__, s, 0.0, 4.0, IK_SPLINE_EXTRAPOLATE), full, 1e-15, 0.0);
    CHECK_CLOSE(integral_of(__LINE__, s, 4.0, 0.0, IK_SPLINE_EXTRAPOLATE), -full, 1e-15, 0.0);
    /* partial: 3 * 0.25 + (-1) * 1.5 + 2 * 0.5 + 5 * 0.5 */
    CHECK_CLOSE(integral_of(__LINE__, s, 0.25, 3.0, IK_SPLINE_NAN_OUTSIDE), 2.75, 1e-15, 0.0);
    CHECK_CLOSE(integral_of(__LINE__, s, 3.0, 0.25, IK_SPLINE_NAN_OUTSIDE), -2.75, 1e-15, 0.0);
    /* the first and last steps continue outside when extrapolating, else count 0 */
    CHECK_CLOSE(integral_of(__LINE__, s, -2.0, 5.0, IK_SPLINE_EXTRAPOLATE), full + 6.0 + 5.0,
                1e-15, 0.0);
    CHECK_CLOSE(integral_of(__LINE__, s, -2.0, 5.0, IK_SPLINE_NAN_OUTSIDE), full, 1e-15, 0.0);
    CHECK_CLOSE(integral_of(__LINE__, s, -2.0, -1.0, IK_SPLINE_NAN_OUTSIDE), 0.0, 0.0, 0.0);
    CHECK_CLOSE(integral_of(__LINE__, s, -2.0, -1.0, IK_SPLINE_EXTRAPOLATE), 3.0, 1e-15, 0.0);
    ik_spline_free(s);
}

/*
 * Marsden's identity: with c from ref_marsden the spline is the polynomial itself, so values,
 * every derivative and integrals (inside and extrapolated) are polynomial formulas. Knots are
 * irregular with repeated interior knots (up to multiplicity k).
 */
static void test_polynomial_splines(void) {
    const double a[6] = {0.7, -1.3, 0.45, 0.2, -0.05, 0.01};
    int k;
    for (k = 0; k <= 5; k++) {
        double t[MAXT], c[MAXC], x[30], out[30];
        const double inner[6] = {-0.4, 0.3, 0.3, 1.1, 1.8, 1.8};
        size_t n_t = 0, n_c, i;
        int j, nu;
        ik_spline_t* s;
        for (j = 0; j <= k; j++) t[n_t++] = -1.0;
        for (i = 0; i < 6; i++) {
            if (k <= 1 && i > 0 && inner[i] == inner[i - 1]) continue; /* k = 0: no repeats */
            if (k == 0 && i == 2) continue;
            t[n_t++] = inner[i];
        }
        if (k >= 3) t[n_t++] = 1.8; /* multiplicity 3 */
        for (j = 0; j <= k; j++) t[n_t++] = 2.5;
        n_c = n_t - (size_t)k - 1;
        ref_marsden(t, n_t, k, a, k, c);
        s = CREATE_OK(t, n_t, c, n_c, k);
        if (!s) continue;
        for (i = 0; i < 30; i++) x[i] = -2.0 + 5.5 * (double)i / 29.0 + 0.003;
        for (nu = 0; nu <= k + 1; nu++) {
            CHECK_OK(ik_spline_evaluate(s, x, 30, nu, IK_SPLINE_EXTRAPOLATE, out));
            for (i = 0; i < 30; i++) {
                char what[96];
                double want = ref_poly(a, k, x[i], nu);
                double cond = ref_condition(t, n_t, c, k, x[i], nu);
                int ok = fabs(out[i] - want) <= 1e-12 * fabs(want) + 1e-13 * cond;
                snprintf(what, sizeof what, "k=%d nu=%d x=%g: got %.17g want %.17g", k, nu, x[i],
                         out[i], want);
                CHECK_MSG(ok, what);
            }
        }
        {
            const double lim[6][2] = {{-0.7, 2.1}, {2.1, -0.7}, {-1.0, 2.5}, {-2.0, 0.2},
                                      {1.5, 3.5}, {-2.0, 3.5}};
            for (i = 0; i < 6; i++) {
                double want = ref_poly(a, k, lim[i][1], -1) - ref_poly(a, k, lim[i][0], -1);
                double lo = fmax(fmin(lim[i][0], lim[i][1]), -1.0);
                double hi = fmin(fmax(lim[i][0], lim[i][1]), 2.5);
                double inside = (hi > lo) ? ref_poly(a, k, hi, -1) - ref_poly(a, k, lo, -1) : 0.0;
                if (lim[i][1] < lim[i][0]) inside = -inside;
                CHECK_CLOSE(integral_of(__LINE__, s, lim[i][0], lim[i][1], IK_SPLINE_EXTRAPOLATE),
                            want, 1e-12, 1e-13);
                CHECK_CLOSE(integral_of(__LINE__, s, lim[i][0], lim[i][1], IK_SPLINE_NAN_OUTSIDE),
                            inside, 1e-12, 1e-13);
            }
        }
        ik_spline_free(s);
    }
}

/* Arbitrary coefficients, unclamped knots, k = 0..5: the Cox-de Boor recursion. */
static void test_cox_de_boor(void) {
    int k;
    for (k = 0; k <= 5; k++) {
        double t[MAXT], c[MAXC], x[40], out[40];
        size_t n_t = 0, n_c, i;
        int nu;
        ik_spline_t* s;
        for (i = 0; i < (size_t)k; i++) t[n_t++] = -1.0 - 0.3 * (double)(k - (int)i); /* below */
        t[n_t++] = -1.0;
        t[n_t++] = -0.35;
        t[n_t++] = 0.1;
        if (k >= 2) t[n_t++] = 0.1; /* a double knot */
        t[n_t++] = 0.8;
        t[n_t++] = 1.05;
        t[n_t++] = 1.9;
        t[n_t++] = 2.0; /* base interval [-1, 2] */
        for (i = 0; i < (size_t)k; i++) t[n_t++] = 2.0 + 0.45 * (double)(i + 1);
        n_c = n_t - (size_t)k - 1;
        for (i = 0; i < n_c; i++) c[i] = sin(1.3 * (double)i + 0.2 * (double)k) * 2.0 + 0.1;
        s = CREATE_OK(t, n_t, c, n_c, k);
        if (!s) continue;
        for (i = 0; i < 40; i++) x[i] = -1.9 + 4.8 * (double)i / 39.0 + 0.0071;
        for (nu = 0; nu <= k + 1; nu++) {
            double want[40];
            CHECK_OK(ik_spline_evaluate(s, x, 40, nu, IK_SPLINE_EXTRAPOLATE, out));
            for (i = 0; i < 40; i++) want[i] = ref_spline(t, n_t, c, k, x[i], nu);
            for (i = 0; i < 40; i++) {
                char what[96];
                double cond = ref_condition(t, n_t, c, k, x[i], nu);
                int ok = fabs(out[i] - want[i]) <= 1e-12 * fabs(want[i]) + 1e-13 * cond;
                snprintf(what, sizeof what, "k=%d nu=%d x=%g: got %.17g want %.17g", k, nu, x[i],
                         out[i], want[i]);
                CHECK_MSG(ok, what);
            }
            CHECK_OK(ik_spline_evaluate(s, x, 40, nu, IK_SPLINE_NAN_OUTSIDE, out));
            for (i = 0; i < 40; i++) {
                int outside = x[i] < -1.0 || x[i] > 2.0;
                CHECK_MSG(outside ? isnan(out[i]) : !isnan(out[i]), "NaN exactly outside");
            }
        }
        /* NaN in x gives NaN there only */
        {
            double xs[3] = {0.5, NAN, 1.5}, o[3];
            CHECK_OK(ik_spline_evaluate(s, xs, 3, 0, IK_SPLINE_EXTRAPOLATE, o));
            CHECK(isnan(o[1]) && !isnan(o[0]) && !isnan(o[2]));
            CHECK_OK(ik_spline_evaluate(s, xs, 3, 1, IK_SPLINE_NAN_OUTSIDE, o));
            CHECK(isnan(o[1]) && !isnan(o[0]) && !isnan(o[2]));
        }
        /* nu far above k is still 0 */
        CHECK_CLOSE(eval_at(__LINE__, s, 0.5, k + 7, IK_SPLINE_EXTRAPOLATE), 0.0, 0.0, 0.0);
        ik_spline_free(s);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Design matrices                                                                          */
/* ---------------------------------------------------------------------------------------- */

static void test_design_matrix(void) {
    const double x[9] = {0.0, 0.2, 0.999, 1.0, 1.6, 2.2, 2.5, 3.7, 4.0};
    double rm[9 * 7], cm[9 * 7];
    size_t i, j;
    int nu;
    for (nu = 0; nu <= 4; nu++) {
        CHECK_OK(ik_spline_design_matrix(T3, 11, 3, x, 9, nu, IK_ROW_MAJOR, rm, 63));
        CHECK_OK(ik_spline_design_matrix(T3, 11, 3, x, 9, nu, IK_COL_MAJOR, cm, 63));
        for (i = 0; i < 9; i++) {
            size_t l = ref_interval(T3, 11, 3, x[i]);
            double sum = 0.0;
            for (j = 0; j < 7; j++) {
                double want = ref_basis(T3, j, 3, l, x[i], nu);
                CHECK_CLOSE(rm[i * 7 + j], want, 1e-12, 1e-13);
                CHECK(cm[i + j * 9] == rm[i * 7 + j]);
                sum += rm[i * 7 + j];
            }
            if (nu == 0) CHECK_CLOSE(sum, 1.0, 1e-14, 0.0); /* partition of unity */
        }
    }
    /* k = 1: the hat functions at their peaks are 1 */
    {
        const double t1[6] = {0.0, 0.0, 1.0, 2.0, 3.0, 3.0};
        const double xs[4] = {0.0, 1.0, 2.0, 3.0};
        double d[16];
        CHECK_OK(ik_spline_design_matrix(t1, 6, 1, xs, 4, 0, IK_ROW_MAJOR, d, 16));
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++) CHECK_CLOSE(d[i * 4 + j], i == j ? 1.0 : 0.0, 0.0, 1e-15);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Least-squares splines                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Exact cubic data: the k = 3 fit is the cubic itself, coefficients from Marsden. */
static void test_lsq_exact_cubic(void) {
    const double a[4] = {1.0, -2.0, 0.75, -0.125};
    double x[60], y[60], w[60], c_want[7], c[7], grid[25], out[25];
    size_t i;
    int weighted;
    for (i = 0; i < 60; i++) {
        x[i] = 4.0 * (double)i / 59.0;
        y[i] = ref_poly(a, 3, x[i], 0);
        w[i] = 0.5 + 0.1 * (double)(i % 7);
    }
    ref_marsden(T3, 11, 3, a, 3, c_want);
    for (i = 0; i < 25; i++) grid[i] = -0.5 + 5.0 * (double)i / 24.0;
    for (weighted = 0; weighted <= 1; weighted++) {
        ik_spline_t* s = NULL;
        CHECK_OK(ik_spline_lsq(x, 60, y, weighted ? w : NULL, T3, 11, 3, &s));
        if (!s) continue;
        CHECK_OK(ik_spline_coefficients(s, c, 7));
        for (i = 0; i < 7; i++) CHECK_CLOSE(c[i], c_want[i], 1e-12, 1e-12);
        CHECK_OK(ik_spline_evaluate(s, grid, 25, 0, IK_SPLINE_EXTRAPOLATE, out));
        for (i = 0; i < 25; i++) CHECK_CLOSE(out[i], ref_poly(a, 3, grid[i], 0), 1e-12, 1e-12);
        ik_spline_free(s);
    }
}

/* Noisy weighted data against the normal equations (small, well conditioned). */
static void test_lsq_weighted(void) {
    enum { N = 45, NC = 7 };
    double x[N], y[N], w[N], b[N * NC], m[NC * NC], inv[NC * NC], rhs[NC], c_want[NC], c[NC];
    double cov[NC * NC], cov_abs[NC * NC], chi2 = 0.0, xn[6], sd[6], sd_abs[6];
    size_t i, j, l;
    ik_spline_t* s = NULL;
    for (i = 0; i < N; i++) {
        x[i] = 4.0 * (double)i / (double)(N - 1);
        if (i == 20) x[i] = x[19]; /* a repeated abscissa is allowed */
        y[i] = sin(1.3 * x[i]) + 0.05 * cos(17.0 * (double)i);
        w[i] = 1.0 / (0.05 + 0.02 * (double)(i % 5));
    }
    CHECK_OK(ik_spline_design_matrix(T3, 11, 3, x, N, 0, IK_ROW_MAJOR, b, N * NC));
    for (i = 0; i < N; i++) {
        size_t li = ref_interval(T3, 11, 3, x[i]);
        for (j = 0; j < NC; j++) CHECK_CLOSE(b[i * NC + j], ref_basis(T3, j, 3, li, x[i], 0),
                                             1e-13, 1e-14);
    }
    for (j = 0; j < NC; j++) {
        rhs[j] = 0.0;
        for (l = 0; l < NC; l++) m[j * NC + l] = 0.0;
    }
    for (i = 0; i < N; i++) {
        size_t li = ref_interval(T3, 11, 3, x[i]);
        double bi[NC], w2 = w[i] * w[i];
        for (j = 0; j < NC; j++) bi[j] = ref_basis(T3, j, 3, li, x[i], 0);
        for (j = 0; j < NC; j++) {
            rhs[j] += w2 * bi[j] * y[i];
            for (l = 0; l < NC; l++) m[j * NC + l] += w2 * bi[j] * bi[l];
        }
    }
    CHECK(ref_inverse(m, NC, inv));
    for (j = 0; j < NC; j++) {
        c_want[j] = 0.0;
        for (l = 0; l < NC; l++) c_want[j] += inv[j * NC + l] * rhs[l];
    }
    for (i = 0; i < N; i++) {
        double r = w[i] * (y[i] - ref_spline(T3, 11, c_want, 3, x[i], 0));
        chi2 += r * r;
    }
    CHECK_OK(ik_spline_lsq(x, N, y, w, T3, 11, 3, &s));
    if (!s) return;
    CHECK_OK(ik_spline_coefficients(s, c, NC));
    for (j = 0; j < NC; j++) CHECK_CLOSE(c[j], c_want[j], 1e-10, 1e-12);
    CHECK_OK(ik_spline_covariance(s, 0, cov, NC * NC));
    CHECK_OK(ik_spline_covariance(s, 1, cov_abs, NC * NC));
    for (j = 0; j < NC * NC; j++) {
        CHECK_CLOSE(cov_abs[j], inv[j], 1e-10, 1e-13 * max_abs(inv, NC * NC));
        CHECK_CLOSE(cov[j], inv[j] * chi2 / (double)(N - NC), 1e-9,
                    1e-13 * max_abs(inv, NC * NC) * chi2 / (double)(N - NC));
    }
    for (i = 0; i < 6; i++) xn[i] = 0.8 * (double)i;
    CHECK_OK(ik_spline_predict_std(s, xn, 6, 0, sd));
    CHECK_OK(ik_spline_predict_std(s, xn, 6, 1, sd_abs));
    for (i = 0; i < 6; i++) {
        size_t li = ref_interval(T3, 11, 3, xn[i]);
        double bi[NC], v = 0.0;
        for (j = 0; j < NC; j++) bi[j] = ref_basis(T3, j, 3, li, xn[i], 0);
        for (j = 0; j < NC; j++)
            for (l = 0; l < NC; l++) v += bi[j] * inv[j * NC + l] * bi[l];
        CHECK_CLOSE(sd_abs[i], sqrt(v), 1e-10, 0.0);
        CHECK_CLOSE(sd[i], sqrt(v * chi2 / (double)(N - NC)), 1e-10, 0.0);
    }
    ik_spline_free(s);
}

/* ---------------------------------------------------------------------------------------- */
/* Interpolating splines                                                                    */
/* ---------------------------------------------------------------------------------------- */

static ik_spline_t* interp_ok(int line, const double* x, size_t n, const double* y, int32_t k,
                              int32_t bc) {
    ik_spline_t* s = NULL;
    ik_status_t st = ik_spline_interp(x, n, y, k, bc, &s);
    ik_test_status(st, IK_OK, __FILE__, line, "ik_spline_interp");
    return st == IK_OK ? s : NULL;
}
#define INTERP_OK(x, n, y, k, bc) interp_ok(__LINE__, x, n, y, k, bc)

static void check_knots(int line, const ik_spline_t* s, const double* want, size_t n_want) {
    double t[MAXT];
    size_t n_t = 0, n_c = 0, i;
    int32_t k = -1;
    if (ik_spline_info(s, &n_t, &n_c, &k) != IK_OK || n_t != n_want || n_t > MAXT) {
        ik_test_record(0, __FILE__, line, "knot count");
        return;
    }
    ik_test_record(ik_spline_knots(s, t, n_t) == IK_OK, __FILE__, line, "ik_spline_knots");
    for (i = 0; i < n_t; i++) ik_test_close(t[i], want[i], 1e-15, 0.0, __FILE__, line, "knot");
}

static void test_interp(void) {
    enum { N = 12 };
    double x[N], y[N], yc[N], out[N], t[MAXT], grid[40], g[40];
    const double a[6] = {0.5, -1.0, 0.3, 0.15, -0.02, 0.004};
    size_t i, n_t;
    int k;
    ik_spline_t* s;
    for (i = 0; i < N; i++) {
        x[i] = (double)i * 0.7 + 0.05 * (double)(i * i) - 2.0;
        y[i] = cos(x[i]) + 0.2 * x[i];
    }
    for (i = 0; i < 40; i++) grid[i] = x[0] + (x[N - 1] - x[0]) * (double)i / 39.0;

    /* every degree reproduces the data */
    for (k = 0; k <= 5; k++) {
        s = INTERP_OK(x, N, y, k, IK_SPLINE_NOT_A_KNOT);
        if (!s) continue;
        CHECK_OK(ik_spline_evaluate(s, x, N, 0, IK_SPLINE_NAN_OUTSIDE, out));
        for (i = 0; i < N; i++) CHECK_CLOSE(out[i], y[i], 1e-12, 1e-12);
        ik_spline_free(s);
    }

    /* k = 1: knots are the data with doubled ends, the spline is linear interpolation */
    s = INTERP_OK(x, N, y, 1, IK_SPLINE_NOT_A_KNOT);
    if (s) {
        n_t = 0;
        t[n_t++] = x[0];
        for (i = 0; i < N; i++) t[n_t++] = x[i];
        t[n_t++] = x[N - 1];
        check_knots(__LINE__, s, t, n_t);
        CHECK_OK(ik_spline_evaluate(s, grid, 40, 0, IK_SPLINE_NAN_OUTSIDE, g));
        for (i = 0; i < 40; i++) CHECK_CLOSE(g[i], ref_linear(x, y, N, grid[i]), 1e-13, 1e-14);
        ik_spline_free(s);
    }

    /* k = 3, not-a-knot: knots x0 x4, x2..x_{n-3}, x_{n-1} x4; exact for cubic data */
    for (i = 0; i < N; i++) yc[i] = ref_poly(a, 3, x[i], 0);
    s = INTERP_OK(x, N, yc, 3, IK_SPLINE_NOT_A_KNOT);
    if (s) {
        n_t = 0;
        for (k = 0; k < 4; k++) t[n_t++] = x[0];
        for (i = 2; i + 2 < N; i++) t[n_t++] = x[i];
        for (k = 0; k < 4; k++) t[n_t++] = x[N - 1];
        check_knots(__LINE__, s, t, n_t);
        CHECK_OK(ik_spline_evaluate(s, grid, 40, 0, IK_SPLINE_EXTRAPOLATE, g));
        for (i = 0; i < 40; i++) CHECK_CLOSE(g[i], ref_poly(a, 3, grid[i], 0), 1e-11, 1e-12);
        ik_spline_free(s);
    }
    /* k = 5, not-a-knot, is exact for quintic data; k = 2 and 4 for quadratic and quartic */
    for (k = 2; k <= 5; k++) {
        for (i = 0; i < N; i++) yc[i] = ref_poly(a, k, x[i], 0);
        s = INTERP_OK(x, N, yc, k, IK_SPLINE_NOT_A_KNOT);
        if (!s) continue;
        CHECK_OK(ik_spline_evaluate(s, grid, 40, 0, IK_SPLINE_EXTRAPOLATE, g));
        for (i = 0; i < 40; i++) CHECK_CLOSE(g[i], ref_poly(a, k, grid[i], 0), 1e-10, 1e-11);
        ik_spline_free(s);
    }
    /* k = 2: midpoints (x[i] + x[i+1]) / 2 for i = 1 .. n-3, ends tripled */
    s = INTERP_OK(x, N, y, 2, IK_SPLINE_NOT_A_KNOT);
    if (s) {
        n_t = 0;
        for (k = 0; k < 3; k++) t[n_t++] = x[0];
        for (i = 1; i + 2 < N; i++) t[n_t++] = 0.5 * (x[i] + x[i + 1]);
        for (k = 0; k < 3; k++) t[n_t++] = x[N - 1];
        check_knots(__LINE__, s, t, n_t);
        ik_spline_free(s);
    }
    /* n = k + 1 is enough: the interpolating polynomial */
    for (i = 0; i < 4; i++) yc[i] = ref_poly(a, 3, x[i], 0);
    s = INTERP_OK(x, 4, yc, 3, IK_SPLINE_NOT_A_KNOT);
    if (s) {
        CHECK_CLOSE(eval_at(__LINE__, s, 0.1, 0, IK_SPLINE_EXTRAPOLATE), ref_poly(a, 3, 0.1, 0),
                    1e-12, 1e-12);
        ik_spline_free(s);
    }

    /* natural and clamped cubics: the data, the end condition, knots = data with ends x4 */
    for (k = IK_SPLINE_NATURAL; k <= IK_SPLINE_CLAMPED; k++) {
        int32_t nu = (k == IK_SPLINE_NATURAL) ? 2 : 1;
        s = INTERP_OK(x, N, y, 3, k);
        if (!s) continue;
        CHECK_OK(ik_spline_evaluate(s, x, N, 0, IK_SPLINE_NAN_OUTSIDE, out));
        for (i = 0; i < N; i++) CHECK_CLOSE(out[i], y[i], 1e-12, 1e-12);
        CHECK_CLOSE(eval_at(__LINE__, s, x[0], nu, IK_SPLINE_NAN_OUTSIDE), 0.0, 0.0, 1e-11);
        CHECK_CLOSE(eval_at(__LINE__, s, x[N - 1], nu, IK_SPLINE_NAN_OUTSIDE), 0.0, 0.0, 1e-11);
        n_t = 0;
        t[n_t++] = x[0];
        t[n_t++] = x[0];
        t[n_t++] = x[0];
        for (i = 0; i < N; i++) t[n_t++] = x[i];
        t[n_t++] = x[N - 1];
        t[n_t++] = x[N - 1];
        t[n_t++] = x[N - 1];
        check_knots(__LINE__, s, t, n_t);
        ik_spline_free(s);
    }
    /* k = 0: the step function y_i on [x_i, x_{i+1}); integrals are sums of steps, also up
     * to x[n-1] where the knots end in a zero-length interval (x[n-1] twice, as scipy) */
    {
        const double x0[4] = {0.0, 1.0, 3.0, 4.0}, y0[4] = {1.0, 2.0, 3.0, 4.0};
        s = INTERP_OK(x0, 4, y0, 0, IK_SPLINE_NOT_A_KNOT);
        if (s) {
            CHECK_CLOSE(integral_of(__LINE__, s, 0.5, 3.5, IK_SPLINE_EXTRAPOLATE), 6.0, 1e-15, 0.0);
            CHECK_CLOSE(integral_of(__LINE__, s, 0.0, 4.0, IK_SPLINE_EXTRAPOLATE), 8.0, 1e-15, 0.0);
            CHECK_CLOSE(integral_of(__LINE__, s, -1.0, 5.0, IK_SPLINE_NAN_OUTSIDE), 8.0, 1e-15,
                        0.0);
            ik_spline_free(s);
        }
    }
    /* a natural cubic through points on a line is that line */
    for (i = 0; i < N; i++) yc[i] = 2.0 - 0.5 * x[i];
    s = INTERP_OK(x, N, yc, 3, IK_SPLINE_NATURAL);
    if (s) {
        CHECK_OK(ik_spline_evaluate(s, grid, 40, 0, IK_SPLINE_NAN_OUTSIDE, g));
        for (i = 0; i < 40; i++) CHECK_CLOSE(g[i], 2.0 - 0.5 * grid[i], 1e-12, 1e-12);
        ik_spline_free(s);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Linear and nearest interpolation                                                         */
/* ---------------------------------------------------------------------------------------- */

static void test_interp_functions(void) {
    const double xp[6] = {-2.0, -1.0, 0.0, 0.5, 2.0, 4.0};
    const double fp[6] = {3.0, -1.0, 2.5, 0.0, 8.0, -4.0};
    double x[60], out[60];
    size_t i;
    for (i = 0; i < 45; i++) x[i] = -3.0 + 8.0 * (double)i / 44.0 + 0.001;
    for (i = 0; i < 6; i++) x[45 + i] = xp[i];                          /* the nodes */
    for (i = 0; i < 5; i++) x[51 + i] = 0.5 * (xp[i] + xp[i + 1]);      /* exact midpoints */
    x[56] = -100.0;
    x[57] = 100.0;
    x[58] = 1.0;
    x[59] = -1.5;
    CHECK_OK(ik_interp_linear(xp, fp, 6, x, 60, out));
    for (i = 0; i < 60; i++) CHECK_CLOSE(out[i], ref_linear(xp, fp, 6, x[i]), 1e-14, 1e-15);
    for (i = 0; i < 6; i++) CHECK(out[45 + i] == fp[i]);
    CHECK_OK(ik_interp_nearest(xp, fp, 6, x, 60, out));
    for (i = 0; i < 60; i++) CHECK_CLOSE(out[i], ref_nearest(xp, fp, 6, x[i]), 0.0, 0.0);
    for (i = 0; i < 5; i++) CHECK(out[51 + i] == fp[i]); /* ties take the left neighbour */
    CHECK(out[56] == 3.0 && out[57] == -4.0);
    /* a single point is a constant */
    {
        const double one_x = 1.0, one_f = 7.5;
        double xs[3] = {-1.0, 1.0, 3.0}, o[3];
        CHECK_OK(ik_interp_linear(&one_x, &one_f, 1, xs, 3, o));
        CHECK(o[0] == 7.5 && o[1] == 7.5 && o[2] == 7.5);
        CHECK_OK(ik_interp_nearest(&one_x, &one_f, 1, xs, 3, o));
        CHECK(o[0] == 7.5 && o[1] == 7.5 && o[2] == 7.5);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

/* ik_spline_create must fail with `expected`, name `needle`, and leave *spline NULL. */
static void create_expect(int line, ik_status_t expected, const char* needle, const double* t,
                          size_t n_t, const double* c, size_t n_c, int32_t k) {
    static char sentinel;
    ik_spline_t* marker = (ik_spline_t*)(void*)&sentinel;
    ik_spline_t* s = marker;
    ik_status_t st = ik_spline_create(t, n_t, c, n_c, k, &s);
    ik_test_status(st, expected, __FILE__, line, "ik_spline_create");
    if (st != IK_OK) {
        if (needle) names_culprit(needle, __FILE__, line);
        ik_test_record(s == NULL, __FILE__, line, "*spline is NULL after a failure");
    } else if (s != marker) {
        ik_spline_free(s);
    }
}
#define CREATE_EXPECT(expected, needle, t, n_t, c, n_c, k) \
    create_expect(__LINE__, expected, needle, t, n_t, c, n_c, k)

static void test_create_bad_inputs(void) {
    double t[16], c[16];
    const double empty1[4] = {0.0, 1.0, 1.0, 2.0};
    const double empty3[8] = {0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0};
    const double many[13] = {0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 4.0, 4.0, 4.0, 4.0};
    const double ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t", NULL, 11, C3, 7, 3);
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "c", T3, 11, NULL, 7, 3);
    CHECK_FAIL(ik_spline_create(T3, 11, C3, 7, 3, NULL), IK_ERR_INVALID_ARGUMENT, "spline");
    CREATE_EXPECT(IK_ERR_DIMENSION, "n_t", T3, 0, C3, 7, 3);
    CREATE_EXPECT(IK_ERR_DIMENSION, "6", T3, 11, C3, 6, 3); /* names c (or n_c) and the count */
    CHECK_ERRMSG_EITHER("n_c", "c has");
    CREATE_EXPECT(IK_ERR_DIMENSION, "8", T3, 11, C3, 8, 3);
    CHECK_ERRMSG_EITHER("n_c", "c has");
    CREATE_EXPECT(IK_ERR_DIMENSION, "0", T3, 11, C3, 0, 3);
    CHECK_ERRMSG_EITHER("n_c", "c has");
    CREATE_EXPECT(IK_ERR_DIMENSION, "3", T3, 3, C3, 1, 3); /* n_t - k - 1 < 1 */
    CHECK_ERRMSG_EITHER("n_t", "t has");
    CREATE_EXPECT(IK_ERR_DIMENSION, "4", T3, 4, C3, 1, 3);
    CHECK_ERRMSG_EITHER("n_t", "t has");
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", T3, 11, ones, 11, -1); /* n_c = n_t - k - 1 */
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", T3, 11, C3, 7, INT32_MIN);
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", ones, 16, ones, 1, INT32_MAX);
    {
        double t21[44], c21[22];
        size_t i;
        for (i = 0; i < 22; i++) {
            t21[i] = 0.0;
            t21[22 + i] = 1.0;
            c21[i] = 1.0;
        }
        CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", t21, 44, c21, 22, 21); /* only k is wrong */
    }

    memcpy(t, T3, sizeof T3);
    t[5] = NAN;
    CREATE_EXPECT(IK_ERR_NONFINITE, "t[5]", t, 11, C3, 7, 3);
    t[5] = -INFINITY;
    CREATE_EXPECT(IK_ERR_NONFINITE, "t[5]", t, 11, C3, 7, 3);
    memcpy(c, C3, sizeof C3);
    c[2] = INFINITY;
    CREATE_EXPECT(IK_ERR_NONFINITE, "c[2]", T3, 11, c, 7, 3);
    c[2] = NAN;
    CREATE_EXPECT(IK_ERR_NONFINITE, "c[2]", T3, 11, c, 7, 3);

    memcpy(t, T3, sizeof T3);
    t[5] = 0.5; /* t[5] < t[4] */
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", t, 11, C3, 7, 3);
    memcpy(t, T3, sizeof T3);
    t[10] = 3.0; /* the last knot below its predecessor */
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", t, 11, C3, 7, 3);
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", many, 13, ones, 9, 3); /* 2.0 five times */
    {   /* 1.0 four times inside the base interval [0, 2], k = 2 */
        const double inner[10] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
        CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", inner, 10, ones, 7, 2);
    }
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", empty1, 4, ones, 2, 1); /* t[1] == t[2] */
    CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", empty3, 8, ones, 4, 3); /* t[3] == t[4] */
    {
        const double flat[2] = {1.0, 1.0};
        CREATE_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", flat, 2, ones, 1, 0);
    }
}

static void lsq_expect(int line, ik_status_t expected, const char* needle, const double* x,
                       size_t n, const double* y, const double* w, const double* t, size_t n_t,
                       int32_t k) {
    static char sentinel;
    ik_spline_t* marker = (ik_spline_t*)(void*)&sentinel;
    ik_spline_t* s = marker;
    ik_status_t st = ik_spline_lsq(x, n, y, w, t, n_t, k, &s);
    ik_test_status(st, expected, __FILE__, line, "ik_spline_lsq");
    if (st != IK_OK) {
        if (needle) names_culprit(needle, __FILE__, line);
        ik_test_record(s == NULL, __FILE__, line, "*spline is NULL after a failure");
    } else if (s != marker) {
        ik_spline_free(s);
    }
}
#define LSQ_EXPECT(expected, needle, x, n, y, w, t, n_t, k) \
    lsq_expect(__LINE__, expected, needle, x, n, y, w, t, n_t, k)

static void test_lsq_bad_inputs(void) {
    enum { N = 40 };
    double x[N], y[N], w[N], bx[N], by[N], bw[N], t[11];
    size_t i;
    for (i = 0; i < N; i++) {
        x[i] = 4.0 * (double)i / (double)(N - 1);
        y[i] = sin(x[i]);
        w[i] = 2.0;
    }
    LSQ_EXPECT(IK_OK, NULL, x, N, y, w, T3, 11, 3);
    LSQ_EXPECT(IK_OK, NULL, x, N, y, NULL, T3, 11, 3); /* w may be NULL */
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "x", NULL, N, y, w, T3, 11, 3);
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "y", x, N, NULL, w, T3, 11, 3);
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "t", x, N, y, w, NULL, 11, 3);
    CHECK_FAIL(ik_spline_lsq(x, N, y, w, T3, 11, 3, NULL), IK_ERR_INVALID_ARGUMENT, "spline");
    LSQ_EXPECT(IK_ERR_DIMENSION, "n", x, 0, y, w, T3, 11, 3);
    LSQ_EXPECT(IK_ERR_DIMENSION, "n_t", x, N, y, w, T3, 0, 3);
    LSQ_EXPECT(IK_ERR_DIMENSION, "4", x, N, y, w, T3, 4, 3);
    CHECK_ERRMSG_EITHER("n_t", "t has");
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, w, T3, 11, -1);
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, w, T3, 11, 21);

    memcpy(bx, x, sizeof x);
    bx[3] = NAN;
    LSQ_EXPECT(IK_ERR_NONFINITE, "x[3]", bx, N, y, w, T3, 11, 3);
    memcpy(by, y, sizeof y);
    by[17] = INFINITY;
    LSQ_EXPECT(IK_ERR_NONFINITE, "y[17]", x, N, by, w, T3, 11, 3);
    memcpy(bw, w, sizeof w);
    bw[8] = NAN;
    LSQ_EXPECT(IK_ERR_NONFINITE, "w[8]", x, N, y, bw, T3, 11, 3);
    memcpy(t, T3, sizeof t);
    t[6] = NAN;
    LSQ_EXPECT(IK_ERR_NONFINITE, "t[6]", x, N, y, w, t, 11, 3);

    bw[8] = 0.0;
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "w[8]", x, N, y, bw, T3, 11, 3);
    bw[8] = -1.0;
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "w[8]", x, N, y, bw, T3, 11, 3);

    memcpy(bx, x, sizeof x);
    bx[10] = x[11];
    bx[11] = x[10]; /* x[11] < x[10] */
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[", bx, N, y, w, T3, 11, 3);
    memcpy(bx, x, sizeof x);
    bx[0] = -0.001; /* below t[k] = 0 */
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[0]", bx, N, y, w, T3, 11, 3);
    memcpy(bx, x, sizeof x);
    bx[N - 1] = 4.0 + 1e-9; /* above t[n_t - k - 1] = 4 */
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[39]", bx, N, y, w, T3, 11, 3);

    memcpy(t, T3, sizeof t);
    t[6] = 0.5; /* unsorted knots */
    LSQ_EXPECT(IK_ERR_INVALID_ARGUMENT, "t[", x, N, y, w, t, 11, 3);

    /* Schoenberg-Whitney: no data under the last B-splines, or too few points */
    for (i = 0; i < N; i++) bx[i] = 1.9 * (double)i / (double)(N - 1);
    LSQ_EXPECT(IK_ERR_SINGULAR, NULL, bx, N, y, w, T3, 11, 3);
    LSQ_EXPECT(IK_ERR_SINGULAR, NULL, x, 5, y, w, T3, 11, 3); /* 5 points, 7 coefficients */
    for (i = 0; i < N; i++) bx[i] = (i < 20) ? 0.5 : 3.5; /* only two distinct abscissae */
    LSQ_EXPECT(IK_ERR_SINGULAR, NULL, bx, N, y, w, T3, 11, 3);
}

static void interp_expect(int line, ik_status_t expected, const char* needle, const double* x,
                          size_t n, const double* y, int32_t k, int32_t bc) {
    static char sentinel;
    ik_spline_t* marker = (ik_spline_t*)(void*)&sentinel;
    ik_spline_t* s = marker;
    ik_status_t st = ik_spline_interp(x, n, y, k, bc, &s);
    ik_test_status(st, expected, __FILE__, line, "ik_spline_interp");
    if (st != IK_OK) {
        if (needle) names_culprit(needle, __FILE__, line);
        ik_test_record(s == NULL, __FILE__, line, "*spline is NULL after a failure");
    } else if (s != marker) {
        ik_spline_free(s);
    }
}
#define INTERP_EXPECT(expected, needle, x, n, y, k, bc) \
    interp_expect(__LINE__, expected, needle, x, n, y, k, bc)

static void test_interp_bad_inputs(void) {
    enum { N = 10 };
    double x[N], y[N], bx[N], by[N];
    size_t i;
    for (i = 0; i < N; i++) {
        x[i] = (double)i * 0.5;
        y[i] = cos(x[i]);
    }
    INTERP_EXPECT(IK_OK, NULL, x, N, y, 3, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "x", NULL, N, y, 3, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "y", x, N, NULL, 3, IK_SPLINE_NOT_A_KNOT);
    CHECK_FAIL(ik_spline_interp(x, N, y, 3, IK_SPLINE_NOT_A_KNOT, NULL), IK_ERR_INVALID_ARGUMENT,
               "spline");
    INTERP_EXPECT(IK_ERR_DIMENSION, "n", x, 0, y, 3, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_DIMENSION, "n", x, 3, y, 3, IK_SPLINE_NOT_A_KNOT); /* n < k + 1 */
    INTERP_EXPECT(IK_ERR_DIMENSION, "n", x, 5, y, 5, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_DIMENSION, "n", x, 1, y, 1, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_DIMENSION, "n", x, 3, y, 3, IK_SPLINE_NATURAL);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, -1, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, 21, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "bc", x, N, y, 3, 3);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "bc", x, N, y, 3, -1);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "bc", x, N, y, 3, 1000);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, 2, IK_SPLINE_NATURAL);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, 5, IK_SPLINE_NATURAL);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, 1, IK_SPLINE_CLAMPED);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "k", x, N, y, 4, IK_SPLINE_CLAMPED);

    memcpy(bx, x, sizeof x);
    bx[4] = NAN;
    INTERP_EXPECT(IK_ERR_NONFINITE, "x[4]", bx, N, y, 3, IK_SPLINE_NOT_A_KNOT);
    memcpy(by, y, sizeof y);
    by[7] = -INFINITY;
    INTERP_EXPECT(IK_ERR_NONFINITE, "y[7]", x, N, by, 3, IK_SPLINE_NATURAL);
    memcpy(bx, x, sizeof x);
    bx[6] = bx[5]; /* repeated */
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[", bx, N, y, 3, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[", bx, N, y, 1, IK_SPLINE_NOT_A_KNOT);
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[", bx, N, y, 3, IK_SPLINE_CLAMPED);
    memcpy(bx, x, sizeof x);
    bx[2] = 5.0; /* decreasing after it */
    INTERP_EXPECT(IK_ERR_INVALID_ARGUMENT, "x[", bx, N, y, 3, IK_SPLINE_NOT_A_KNOT);
}

static void test_handle_bad_inputs(void) {
    double buf[64], x[3] = {0.5, 1.0, 2.0}, out[3], v;
    size_t n_t, n_c;
    int32_t k;
    ik_spline_t* s = CREATE_OK(T3, 11, C3, 7, 3);
    ik_spline_t* lsq = NULL;
    double lx[40], ly[40];
    size_t i;
    if (!s) return;
    for (i = 0; i < 40; i++) {
        lx[i] = 4.0 * (double)i / 39.0;
        ly[i] = cos(lx[i]);
    }
    CHECK_OK(ik_spline_lsq(lx, 40, ly, NULL, T3, 11, 3, &lsq));

    /* info and getters */
    CHECK_FAIL(ik_spline_info(NULL, &n_t, &n_c, &k), IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_info(s, NULL, &n_c, &k), IK_ERR_INVALID_ARGUMENT, "n_t");
    CHECK_FAIL(ik_spline_info(s, &n_t, NULL, &k), IK_ERR_INVALID_ARGUMENT, "n_c");
    CHECK_FAIL(ik_spline_info(s, &n_t, &n_c, NULL), IK_ERR_INVALID_ARGUMENT, "k");
    CHECK_FAIL(ik_spline_knots(NULL, buf, 64), IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_knots(s, NULL, 64), IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(ik_spline_knots(s, buf, 10), IK_ERR_DIMENSION, "10");
    CHECK_ERRMSG_EITHER("out", "len");
    CHECK_FAIL(ik_spline_knots(s, buf, 0), IK_ERR_DIMENSION, "0");
    CHECK_FAIL(ik_spline_coefficients(NULL, buf, 64), IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_coefficients(s, NULL, 64), IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(ik_spline_coefficients(s, buf, 6), IK_ERR_DIMENSION, "6");
    CHECK_ERRMSG_EITHER("out", "len");

    /* evaluate */
    CHECK_FAIL(ik_spline_evaluate(NULL, x, 3, 0, IK_SPLINE_EXTRAPOLATE, out),
               IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_evaluate(s, NULL, 3, 0, IK_SPLINE_EXTRAPOLATE, out),
               IK_ERR_INVALID_ARGUMENT, "x");
    CHECK_FAIL(ik_spline_evaluate(s, x, 3, 0, IK_SPLINE_EXTRAPOLATE, NULL),
               IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(ik_spline_evaluate(s, x, 0, 0, IK_SPLINE_EXTRAPOLATE, out), IK_ERR_DIMENSION, "n");
    CHECK_FAIL(ik_spline_evaluate(s, x, 3, -1, IK_SPLINE_EXTRAPOLATE, out),
               IK_ERR_INVALID_ARGUMENT, "nu");
    CHECK_FAIL(ik_spline_evaluate(s, x, 3, INT32_MIN, IK_SPLINE_EXTRAPOLATE, out),
               IK_ERR_INVALID_ARGUMENT, "nu");
    CHECK_FAIL(ik_spline_evaluate(s, x, 3, 0, 2, out), IK_ERR_INVALID_ARGUMENT, "extrapolate");
    CHECK_FAIL(ik_spline_evaluate(s, x, 3, 0, -1, out), IK_ERR_INVALID_ARGUMENT, "extrapolate");
    CHECK_OK(ik_spline_evaluate(s, x, 3, INT32_MAX, IK_SPLINE_EXTRAPOLATE, out)); /* nu > k: 0 */
    CHECK(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);

    /* integrate */
    CHECK_FAIL(ik_spline_integrate(NULL, 0.0, 1.0, IK_SPLINE_EXTRAPOLATE, &v),
               IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_integrate(s, 0.0, 1.0, IK_SPLINE_EXTRAPOLATE, NULL),
               IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(ik_spline_integrate(s, 0.0, 1.0, 2, &v), IK_ERR_INVALID_ARGUMENT, "extrapolate");
    CHECK_FAIL(ik_spline_integrate(s, 0.0, 1.0, -7, &v), IK_ERR_INVALID_ARGUMENT, "extrapolate");
    /* non-finite limits: not in the header; the library reports IK_ERR_NONFINITE */
    CHECK_FAIL(ik_spline_integrate(s, NAN, 1.0, IK_SPLINE_EXTRAPOLATE, &v), IK_ERR_NONFINITE,
               "NaN"); /* the message shows the offending value */
    CHECK_FAIL(ik_spline_integrate(s, 0.0, INFINITY, IK_SPLINE_NAN_OUTSIDE, &v), IK_ERR_NONFINITE,
               "inf");

    /* covariance and predict_std: only for ik_spline_lsq results */
    CHECK_STATUS(ik_spline_covariance(s, 0, buf, 49), IK_ERR_INVALID_ARGUMENT);
    CHECK_ERRMSG_EITHER("lsq", "least");
    CHECK_STATUS(ik_spline_predict_std(s, x, 3, 0, out), IK_ERR_INVALID_ARGUMENT);
    CHECK_ERRMSG_EITHER("lsq", "least");
    CHECK_FAIL(ik_spline_covariance(NULL, 0, buf, 49), IK_ERR_INVALID_ARGUMENT, "spline");
    CHECK_FAIL(ik_spline_predict_std(NULL, x, 3, 0, out), IK_ERR_INVALID_ARGUMENT, "spline");
    if (lsq) {
        CHECK_FAIL(ik_spline_covariance(lsq, 0, NULL, 49), IK_ERR_INVALID_ARGUMENT, "out");
        CHECK_FAIL(ik_spline_covariance(lsq, 0, buf, 48), IK_ERR_DIMENSION, "48");
        CHECK_ERRMSG_EITHER("out", "len");
        CHECK_FAIL(ik_spline_covariance(lsq, 2, buf, 49), IK_ERR_INVALID_ARGUMENT,
                   "absolute_sigma");
        CHECK_FAIL(ik_spline_covariance(lsq, -1, buf, 49), IK_ERR_INVALID_ARGUMENT,
                   "absolute_sigma");
        CHECK_FAIL(ik_spline_predict_std(lsq, NULL, 3, 0, out), IK_ERR_INVALID_ARGUMENT, "x");
        CHECK_FAIL(ik_spline_predict_std(lsq, x, 3, 0, NULL), IK_ERR_INVALID_ARGUMENT, "out");
        CHECK_FAIL(ik_spline_predict_std(lsq, x, 0, 0, out), IK_ERR_DIMENSION, "n");
        CHECK_FAIL(ik_spline_predict_std(lsq, x, 3, 5, out), IK_ERR_INVALID_ARGUMENT,
                   "absolute_sigma");
        CHECK_OK(ik_spline_covariance(lsq, 1, buf, 64)); /* a longer buffer is fine */
    }
    /* an interpolating spline has no covariance either */
    {
        ik_spline_t* si = NULL;
        CHECK_OK(ik_spline_interp(lx, 40, ly, 3, IK_SPLINE_NOT_A_KNOT, &si));
        if (si) {
            CHECK_STATUS(ik_spline_covariance(si, 1, buf, 64), IK_ERR_INVALID_ARGUMENT);
            CHECK_ERRMSG_EITHER("lsq", "least");
            ik_spline_free(si);
        }
    }
    ik_spline_free(lsq);
    ik_spline_free(s);
}

static void test_design_bad_inputs(void) {
    const double x[3] = {0.5, 1.0, 3.0};
    double bx[3], t[11], out[64];
    CHECK_FAIL(ik_spline_design_matrix(NULL, 11, 3, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "t");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, NULL, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "x");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, x, 3, 0, IK_ROW_MAJOR, NULL, 21),
               IK_ERR_INVALID_ARGUMENT, "out");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, x, 0, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_DIMENSION, "n");
    CHECK_FAIL(ik_spline_design_matrix(T3, 0, 3, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_DIMENSION, "n_t");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, x, 3, 0, IK_ROW_MAJOR, out, 20),
               IK_ERR_DIMENSION, "20");
    CHECK_ERRMSG("out");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, x, 3, 0, 7, out, 21), IK_ERR_INVALID_ARGUMENT,
               "layout");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, x, 3, -1, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "nu");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, -1, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "k");
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 21, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "k");
    memcpy(bx, x, sizeof bx);
    bx[1] = NAN;
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, bx, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_NONFINITE, "x[1]");
    bx[1] = 4.5;
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, bx, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "x[1]");
    bx[1] = -0.5;
    CHECK_FAIL(ik_spline_design_matrix(T3, 11, 3, bx, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "x[1]");
    memcpy(t, T3, sizeof t);
    t[5] = 0.2;
    CHECK_FAIL(ik_spline_design_matrix(t, 11, 3, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_INVALID_ARGUMENT, "t[");
    t[5] = INFINITY;
    CHECK_FAIL(ik_spline_design_matrix(t, 11, 3, x, 3, 0, IK_ROW_MAJOR, out, 21),
               IK_ERR_NONFINITE, "t[5]");
}

static void test_interp_functions_bad_inputs(void) {
    const double xp[4] = {0.0, 1.0, 2.0, 3.0}, fp[4] = {1.0, 2.0, 0.0, 5.0};
    const double x[2] = {0.5, 2.5};
    double bad[4], out[2];
    int which;
    for (which = 0; which < 2; which++) {
        ik_status_t (*f)(const double*, const double*, size_t, const double*, size_t, double*) =
            which == 0 ? ik_interp_linear : ik_interp_nearest;
        CHECK_FAIL(f(NULL, fp, 4, x, 2, out), IK_ERR_INVALID_ARGUMENT, "xp");
        CHECK_FAIL(f(xp, NULL, 4, x, 2, out), IK_ERR_INVALID_ARGUMENT, "fp");
        CHECK_FAIL(f(xp, fp, 4, NULL, 2, out), IK_ERR_INVALID_ARGUMENT, "x");
        CHECK_FAIL(f(xp, fp, 4, x, 2, NULL), IK_ERR_INVALID_ARGUMENT, "out");
        CHECK_FAIL(f(xp, fp, 0, x, 2, out), IK_ERR_DIMENSION, "n_p");
        CHECK_FAIL(f(xp, fp, 4, x, 0, out), IK_ERR_DIMENSION, "n");
        memcpy(bad, xp, sizeof bad);
        bad[2] = 0.5; /* decreasing */
        CHECK_FAIL(f(bad, fp, 4, x, 2, out), IK_ERR_INVALID_ARGUMENT, "xp[");
        bad[2] = 1.0; /* repeated */
        CHECK_FAIL(f(bad, fp, 4, x, 2, out), IK_ERR_INVALID_ARGUMENT, "xp[");
        bad[2] = NAN;
        CHECK_FAIL(f(bad, fp, 4, x, 2, out), IK_ERR_NONFINITE, "xp[2]");
        memcpy(bad, fp, sizeof bad);
        bad[3] = INFINITY;
        CHECK_FAIL(f(xp, bad, 4, x, 2, out), IK_ERR_NONFINITE, "fp[3]");
    }
}

/* free(NULL) is a no-op; a pointer that is not a live spline (freed, or another handle
 * type, or not a handle at all) is ignored. Run last: a crash here loses no other result. */
static void test_free(void) {
    const double a[4] = {1.0, 1.0, 1.0, 2.0};
    const double y[2] = {3.0, 5.0};
    double p[2] = {0.0, 0.0}, not_a_spline[8] = {0.0};
    ik_linear_result_t* r = NULL;
    ik_spline_t* s = CREATE_OK(T3, 11, C3, 7, 3);
    ik_spline_free(NULL);
    ik_spline_free(s);
    ik_spline_free(s); /* double free: ignored */
    ik_spline_free((ik_spline_t*)(void*)not_a_spline);
    CHECK_OK(ik_linear_fit(a, 2, 2, IK_ROW_MAJOR, y, 1, NULL, NULL, &r));
    ik_spline_free((ik_spline_t*)(void*)r); /* a linear result is not a spline: ignored */
    if (CHECK_OK(ik_linear_result_params(r, p, 2))) { /* ... and still alive */
        CHECK_CLOSE(p[0], 1.0, 1e-12, 1e-12);
        CHECK_CLOSE(p[1], 2.0, 1e-12, 1e-12);
    }
    ik_linear_result_free(r);
    CHECK(1); /* reached */
}

/* Smoothing splines: lam = 0 interpolates, a straight line is reproduced for every lam (it
 * has no curvature to penalise), GCV gives a lam inside (0, n), and every bad input fails. */
static void test_smoothing(void) {
    enum { N = 9 };
    double x[N], y[N], line[N], out[N], lam = -1.0, nan_value;
    ik_spline_t* s = NULL;
    size_t i;
    double lams[3] = {0.0, 2.5, 1e6};
    int j;
    for (i = 0; i < N; i++) {
        x[i] = (double)i + 0.1 * (double)(i * i);
        y[i] = sin(x[i]);
        line[i] = 3.0 - 0.5 * x[i];
    }
    for (j = 0; j < 3; j++) {
        CHECK_OK(ik_spline_smoothing(x, N, line, NULL, lams[j], &s, &lam));
        if (!s) continue;
        CHECK(lam == lams[j]);
        CHECK_OK(ik_spline_evaluate(s, x, N, 0, IK_SPLINE_EXTRAPOLATE, out));
        for (i = 0; i < N; i++) CHECK_CLOSE(out[i], line[i], 0.0, 1e-10);
        ik_spline_free(s);
        s = NULL;
    }
    CHECK_OK(ik_spline_smoothing(x, N, y, NULL, 0.0, &s, NULL));
    if (s) {
        CHECK_OK(ik_spline_evaluate(s, x, N, 0, IK_SPLINE_EXTRAPOLATE, out));
        for (i = 0; i < N; i++) CHECK_CLOSE(out[i], y[i], 0.0, 1e-12);
        ik_spline_free(s);
        s = NULL;
    }
    CHECK_OK(ik_spline_smoothing(x, N, y, NULL, -1.0, &s, &lam));
    CHECK(lam > 0.0 && lam < (double)N);
    ik_spline_free(s);
    s = NULL;

    CHECK_ERR(ik_spline_smoothing(x, 4, y, NULL, 1.0, &s, NULL), IK_ERR_DIMENSION, "n is 4");
    CHECK(s == NULL);
    CHECK_ERR(ik_spline_smoothing(NULL, N, y, NULL, 1.0, &s, NULL), IK_ERR_INVALID_ARGUMENT, "x is NULL");
    CHECK_ERR(ik_spline_smoothing(x, N, NULL, NULL, 1.0, &s, NULL), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_spline_smoothing(x, N, y, NULL, 1.0, NULL, NULL), IK_ERR_INVALID_ARGUMENT, "spline is NULL");
    nan_value = 0.0;
    nan_value = nan_value / nan_value;
    CHECK_ERR(ik_spline_smoothing(x, N, y, NULL, nan_value, &s, NULL), IK_ERR_INVALID_ARGUMENT, "lam");
    {
        double xs[N], ws[N], yn[N];
        for (i = 0; i < N; i++) { xs[i] = x[i]; ws[i] = 1.0; yn[i] = y[i]; }
        xs[4] = xs[3];
        CHECK_ERR(ik_spline_smoothing(xs, N, y, NULL, 1.0, &s, NULL), IK_ERR_INVALID_ARGUMENT, "x[4]");
        ws[2] = -1.0;
        CHECK_ERR(ik_spline_smoothing(x, N, y, ws, 1.0, &s, NULL), IK_ERR_INVALID_ARGUMENT, "w[2]");
        yn[7] = nan_value;
        CHECK_ERR(ik_spline_smoothing(x, N, yn, NULL, 1.0, &s, NULL), IK_ERR_NONFINITE, "y[7]");
    }
    CHECK(s == NULL);
}

int main(void) {
    test_create_and_getters();
    test_linear_spline();
    test_step_spline();
    test_polynomial_splines();
    test_cox_de_boor();
    test_design_matrix();
    test_lsq_exact_cubic();
    test_lsq_weighted();
    test_interp();
    test_interp_functions();
    test_create_bad_inputs();
    test_lsq_bad_inputs();
    test_interp_bad_inputs();
    test_handle_bad_inputs();
    test_design_bad_inputs();
    test_interp_functions_bad_inputs();
    test_free();
    test_smoothing();
    return ik_test_summary("test_splines");
}
