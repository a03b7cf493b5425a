/*
 * test_spectral.c - Lomb-Scargle periodograms (ik_lomb_scargle_*) through the C ABI.
 *
 * Every expected value is computed here from the closed-form weighted least-squares solution
 * at each frequency (normal equations on the small, well-conditioned design
 * [1, sin, cos, ...], solved by Gauss-Jordan elimination), independently of the library:
 * chi2_ref - chi2(f) and its four normalisations, the best-fit model and its parameters, the
 * peak of a sinusoid, the automatic grid and Baluev's false-alarm formulas. The second half
 * feeds every bad input the header allows and asserts the exact status and that
 * ik_last_error() names the culprit.
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define PI 3.14159265358979323846
#define N 80
#define MAXP 7

static double t[N], y[N], dy[N];

/* Irregular times over [0, ~100), a sinusoid of frequency 0.123 with an offset and a second
 * harmonic, plus deterministic "noise"; uncertainties 0.4 .. 0.9. */
static void make_data(void) {
    int i;
    for (i = 0; i < N; i++) {
        t[i] = 1.25 * i + 0.9 * sin(1.7 * i * i + 0.3);
        y[i] = 1.5 + 2.0 * sin(2 * PI * 0.123 * t[i] + 0.4) + 0.3 * cos(4 * PI * 0.123 * t[i]) +
               0.35 * sin(12.9898 * i + 78.233 * sin(0.5 * i));
        dy[i] = 0.4 + 0.25 * (i % 3) + 0.05 * (i % 2);
    }
}

/* Solves the p x p system m x = b (row-major, destroyed) by Gauss-Jordan with pivoting. */
static int solve(double* m, double* b, int p) {
    int i, j, k;
    for (k = 0; k < p; k++) {
        int piv = k;
        double d;
        for (i = k + 1; i < p; i++)
            if (fabs(m[i * p + k]) > fabs(m[piv * p + k])) piv = i;
        if (m[piv * p + k] == 0.0) return 0;
        for (j = 0; j < p; j++) {
            double s = m[k * p + j];
            m[k * p + j] = m[piv * p + j];
            m[piv * p + j] = s;
        }
        d = b[k]; b[k] = b[piv]; b[piv] = d;
        d = m[k * p + k];
        for (j = 0; j < p; j++) m[k * p + j] /= d;
        b[k] /= d;
        for (i = 0; i < p; i++) {
            double f = m[i * p + k];
            if (i == k || f == 0.0) continue;
            for (j = 0; j < p; j++) m[i * p + j] -= f * m[k * p + j];
            b[i] -= f * b[k];
        }
    }
    return 1;
}

/* Design row at time x: [1 (fit_mean)], sin(2 pi k f x), cos(2 pi k f x), k = 1..nterms. */
static int design_row(double x, double f, int fit_mean, int nterms, double* row) {
    int k, c = 0;
    if (fit_mean) row[c++] = 1.0;
    for (k = 1; k <= nterms; k++) {
        row[c++] = sin(2 * PI * k * f * x);
        row[c++] = cos(2 * PI * k * f * x);
    }
    return c;
}

/* The weighted mean of y (weights 1/dy^2, or 1 when w == NULL). */
static double weighted_mean(const double* yv, const double* w) {
    double sw = 0, swy = 0;
    int i;
    for (i = 0; i < N; i++) {
        double wi = w ? 1.0 / (w[i] * w[i]) : 1.0;
        sw += wi;
        swy += wi * yv[i];
    }
    return swy / sw;
}

/*
 * Closed-form reference at frequency f: theta (in the caller's t, for y minus the offset),
 * chi2(f), chi2_ref and the power in `normalization`. sigma may be NULL.
 */
static double reference_power(const double* yv, const double* sigma, double f, int fit_mean,
                              int center, int nterms, int normalization, double* theta_out) {
    double m[MAXP * MAXP], b[MAXP], row[MAXP], mean = 0, chi2 = 0, chi2_ref = 0, sw = 0;
    int i, j, k, p = 0;
    if (fit_mean || center) mean = weighted_mean(yv, sigma);
    memset(m, 0, sizeof m);
    memset(b, 0, sizeof b);
    for (i = 0; i < N; i++) {
        double w = sigma ? 1.0 / (sigma[i] * sigma[i]) : 1.0;
        p = design_row(t[i], f, fit_mean, nterms, row);
        for (j = 0; j < p; j++) {
            b[j] += w * row[j] * (yv[i] - mean);
            for (k = 0; k < p; k++) m[j * p + k] += w * row[j] * row[k];
        }
    }
    solve(m, b, p);
    for (i = 0; i < N; i++) {
        double w = sigma ? 1.0 / (sigma[i] * sigma[i]) : 1.0, fit = 0, r;
        design_row(t[i], f, fit_mean, nterms, row);
        for (j = 0; j < p; j++) fit += row[j] * b[j];
        r = yv[i] - mean - fit;
        chi2 += w * r * r;
        chi2_ref += w * (yv[i] - mean) * (yv[i] - mean);
        sw += w;
    }
    if (theta_out)
        for (j = 0; j < p; j++) theta_out[j] = b[j];
    (void)sw;
    switch (normalization) {
    case IK_LOMB_SCARGLE_MODEL: return chi2_ref / chi2 - 1;
    case IK_LOMB_SCARGLE_LOG: return log(chi2_ref / chi2);
    case IK_LOMB_SCARGLE_PSD: return 0.5 * (chi2_ref - chi2);
    default: return 1 - chi2 / chi2_ref;
    }
}

static ik_lomb_scargle_options_t defaults(void) {
    ik_lomb_scargle_options_t o;
    ik_lomb_scargle_options_default(&o);
    return o;
}

/* ---------------------------------------------------------------------------------------- */
/* Values                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void test_defaults(void) {
    ik_lomb_scargle_options_t o;
    memset(&o, 0xff, sizeof o);
    CHECK_OK(ik_lomb_scargle_options_default(&o));
    CHECK(o.struct_size == sizeof(ik_lomb_scargle_options_t));
    CHECK(o.fit_mean == 1 && o.center_data == 1 && o.nterms == 1);
    CHECK(o.normalization == IK_LOMB_SCARGLE_STANDARD && o.method == IK_LOMB_SCARGLE_EXACT);
    CHECK(o.n_threads == 0 && o.samples_per_peak == 5 && o.nyquist_factor == 5);
    CHECK(o.minimum_frequency == 0 && o.maximum_frequency == 0);
    CHECK(o.fap_method == IK_LOMB_SCARGLE_FAP_BALUEV && o.n_bootstraps == 1000 && o.seed == 0);
}

/* Every normalisation, with and without the mean and dy, on a regular grid and a scattered
 * list, against the closed form. */
static void test_power_against_closed_form(void) {
    enum { NF = 300 };
    double f[NF], scattered[7] = {0.05, 0.31, 0.123, 0.2, 0.0871, 0.4, 0.1229};
    double power[NF], got[7];
    int fm, cd, norm, use_dy, nterms, j;
    for (j = 0; j < NF; j++) f[j] = 0.02 + j * (0.45 - 0.02) / (NF - 1);
    for (nterms = 1; nterms <= 2; nterms++)
        for (fm = 0; fm <= 1; fm++)
            for (cd = 0; cd <= 1; cd++)
                for (use_dy = 0; use_dy <= 1; use_dy++)
                    for (norm = 0; norm <= 3; norm++) {
                        ik_lomb_scargle_options_t o = defaults();
                        const double* s = use_dy ? dy : NULL;
                        double worst = 0, worst_list = 0;
                        char what[160];
                        o.fit_mean = fm;
                        o.center_data = cd;
                        o.normalization = norm;
                        o.nterms = nterms;
                        CHECK_OK(ik_lomb_scargle_power(t, y, s, N, f, NF, &o, power));
                        CHECK_OK(ik_lomb_scargle_power(t, y, s, N, scattered, 7, &o, got));
                        for (j = 0; j < NF; j++) {
                            double r = reference_power(y, s, f[j], fm, cd, nterms, norm, NULL);
                            double e = fabs(power[j] - r) / fabs(r);
                            if (e > worst) worst = e;
                        }
                        for (j = 0; j < 7; j++) {
                            double r = reference_power(y, s, scattered[j], fm, cd, nterms, norm, NULL);
                            double e = fabs(got[j] - r) / fabs(r);
                            if (e > worst_list) worst_list = e;
                        }
                        sprintf(what, "nterms %d fit_mean %d center %d dy %d norm %d: grid error %.2e, list error %.2e",
                                nterms, fm, cd, use_dy, norm, worst, worst_list);
                        CHECK_MSG(worst < 1e-10 && worst_list < 1e-10, what);
                    }
}

/* The highest peak of a fine grid is the sinusoid's, with the closed-form power there. */
static void test_peak(void) {
    enum { NF = 4000 };
    static double f[NF], power[NF];
    int j, best = 0;
    double r;
    ik_lomb_scargle_options_t o = defaults();
    for (j = 0; j < NF; j++) f[j] = 0.005 + 0.0001 * j;
    CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, f, NF, &o, power));
    for (j = 1; j < NF; j++)
        if (power[j] > power[best]) best = j;
    CHECK_CLOSE(f[best], 0.123, 0, 0.0015);
    r = reference_power(y, dy, f[best], 1, 1, 1, IK_LOMB_SCARGLE_STANDARD, NULL);
    CHECK_CLOSE(power[best], r, 1e-12, 0);
    CHECK(power[best] > 0.8 && power[best] <= 1.0);
}

/* The fast method agrees with the exact one to < 1e-9 (absolute, standard normalisation). */
static void test_fast(void) {
    enum { NF = 2000 };
    static double f[NF], exact[NF], fast[NF];
    int j, nterms;
    for (j = 0; j < NF; j++) f[j] = 0.01 + 0.00025 * j;
    for (nterms = 1; nterms <= 3; nterms++) {
        ik_lomb_scargle_options_t o = defaults();
        double worst = 0;
        o.nterms = nterms;
        CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, f, NF, &o, exact));
        o.method = IK_LOMB_SCARGLE_FAST;
        CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, f, NF, &o, fast));
        for (j = 0; j < NF; j++)
            if (fabs(fast[j] - exact[j]) > worst) worst = fabs(fast[j] - exact[j]);
        CHECK_MSG(worst < 1e-9, "fast method within 1e-9 of the exact one");
    }
}

/* Results are bit-identical for every thread count, for both methods. */
static void test_threads(void) {
    enum { NF = 1500 };
    static double f[NF], a[NF], b[NF];
    int j, method;
    for (j = 0; j < NF; j++) f[j] = 0.01 + 0.0003 * j;
    for (method = 0; method <= 1; method++) {
        ik_lomb_scargle_options_t o = defaults();
        o.method = method;
        o.n_threads = 1;
        CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, f, NF, &o, a));
        o.n_threads = 3;
        CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, f, NF, &o, b));
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
}

/* A batch equals the periodograms of its series one by one (shared and per-series dy). */
static void test_batch(void) {
    enum { NS = 3, NF = 200 };
    static double ys[NS * N], dys[NS * N], f[NF], batch[NS * NF], single[NF];
    int s, i, j, per;
    ik_lomb_scargle_options_t o = defaults();
    for (j = 0; j < NF; j++) f[j] = 0.02 + 0.002 * j;
    for (s = 0; s < NS; s++)
        for (i = 0; i < N; i++) {
            ys[s * N + i] = y[i] * (1 + s) + 0.2 * s * cos(0.37 * i * (s + 1));
            dys[s * N + i] = dy[i] * (1 + 0.1 * s);
        }
    for (per = 0; per <= 1; per++) {
        double worst = 0;
        CHECK_OK(ik_lomb_scargle_power_batch(t, N, ys, NS, per ? dys : dy, per, f, NF, &o, batch));
        for (s = 0; s < NS; s++) {
            CHECK_OK(ik_lomb_scargle_power(t, ys + s * N, per ? dys + s * N : dy, N, f, NF, &o, single));
            for (j = 0; j < NF; j++)
                if (fabs(batch[s * NF + j] - single[j]) > worst * fabs(single[j]))
                    worst = fabs(batch[s * NF + j] - single[j]) / fabs(single[j]);
        }
        CHECK_MSG(worst < 1e-12, "batch equals single series");
    }
}

/* The automatic grid is astropy's formula; autopower fills it and its power. */
static void test_autofrequency(void) {
    double f0, df, lo = t[0], hi = t[0], want_df, want_last;
    size_t nf, got_n, j;
    double* freq;
    double* power;
    double* direct;
    int i;
    ik_lomb_scargle_options_t o = defaults();
    for (i = 0; i < N; i++) {
        if (t[i] < lo) lo = t[i];
        if (t[i] > hi) hi = t[i];
    }
    CHECK_OK(ik_lomb_scargle_autofrequency(t, N, &o, &f0, &df, &nf));
    want_df = 1.0 / (hi - lo) / 5.0;
    want_last = 5.0 * (0.5 * N / (hi - lo));
    CHECK_CLOSE(df, want_df, 1e-15, 0);
    CHECK_CLOSE(f0, 0.5 * want_df, 1e-15, 0);
    CHECK(nf == (size_t)(1 + floor((want_last - f0) / want_df + 0.5)));
    freq = malloc(nf * sizeof(double));
    power = malloc(nf * sizeof(double));
    direct = malloc(nf * sizeof(double));
    if (!freq || !power || !direct) { CHECK(0); return; }
    CHECK_OK(ik_lomb_scargle_autopower(t, y, dy, N, &o, freq, power, nf, &got_n));
    CHECK(got_n == nf);
    CHECK(freq[0] == f0 && freq[nf - 1] == f0 + df * (double)(nf - 1));
    CHECK_OK(ik_lomb_scargle_power(t, y, dy, N, freq, nf, &o, direct));
    CHECK(memcmp(direct, power, nf * sizeof(double)) == 0);
    for (j = 0; j < nf; j += nf / 7) {
        double r = reference_power(y, dy, freq[j], 1, 1, 1, 0, NULL);
        CHECK_CLOSE(power[j], r, 1e-10, 0);
    }
    o.minimum_frequency = 0.1;
    o.maximum_frequency = 0.2;
    CHECK_OK(ik_lomb_scargle_autofrequency(t, N, &o, &f0, &df, &nf));
    CHECK(f0 == 0.1 && nf == (size_t)(1 + floor(0.1 / want_df + 0.5)));
    free(freq);
    free(power);
    free(direct);
}

/* The model and its parameters are the closed-form least-squares fit. */
static void test_model(void) {
    double theta[MAXP], ref[MAXP], row[MAXP], offset, tf[5] = {-3.0, 0.0, 17.5, 50.25, 130.0}, yf[5];
    double f = 0.1231, mean = weighted_mean(y, dy);
    int nterms, j, k;
    for (nterms = 1; nterms <= 2; nterms++) {
        ik_lomb_scargle_options_t o = defaults();
        int p;
        o.nterms = nterms;
        reference_power(y, dy, f, 1, 1, nterms, 0, ref);
        CHECK_OK(ik_lomb_scargle_model_parameters(t, y, dy, N, f, &o, theta, MAXP, &offset));
        CHECK_CLOSE(offset, mean, 1e-14, 0);
        p = 1 + 2 * nterms;
        for (j = 0; j < p; j++) CHECK_CLOSE(theta[j], ref[j], 1e-10, 1e-12);
        CHECK_OK(ik_lomb_scargle_model(t, y, dy, N, f, tf, 5, &o, yf));
        for (k = 0; k < 5; k++) {
            double want = mean;
            design_row(tf[k], f, 1, nterms, row);
            for (j = 0; j < p; j++) want += row[j] * ref[j];
            CHECK_CLOSE(yf[k], want, 1e-10, 1e-12);
        }
    }
}

/* Baluev's false-alarm probability from the formulas of Baluev (2008) / astropy, and the
 * false-alarm level as its inverse; the bootstrap is reproducible. */
static void test_false_alarm(void) {
    double z[3] = {0.05, 0.2, 0.4}, fap[3], level[3], back[3], p[3] = {0.01, 0.1, 0.5};
    double f0, df, fmax, mean = 0, var = 0, sw = 0, nh = N - 1, nk = N - 3, w, gam;
    size_t nf;
    int i;
    ik_lomb_scargle_options_t o = defaults();
    CHECK_OK(ik_lomb_scargle_autofrequency(t, N, &o, &f0, &df, &nf));
    fmax = f0 + df * (double)(nf - 1);
    for (i = 0; i < N; i++) {
        double wi = 1 / (dy[i] * dy[i]);
        sw += wi;
        mean += wi * t[i];
    }
    mean /= sw;
    for (i = 0; i < N; i++) var += (t[i] - mean) * (t[i] - mean) / (dy[i] * dy[i]);
    var /= sw;
    w = fmax * sqrt(4 * PI * var);
    gam = sqrt(2 / nh) * exp(lgamma(nh / 2) - lgamma((nh - 1) / 2));
    CHECK_OK(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, z, 3, &o, fap));
    for (i = 0; i < 3; i++) {
        double single = pow(1 - z[i], 0.5 * nk);
        double tau = gam * w * pow(1 - z[i], 0.5 * (nk - 1)) * sqrt(0.5 * nh * z[i]);
        CHECK_CLOSE(fap[i], 1 - (1 - single) * exp(-tau), 1e-10, 1e-15);
    }
    CHECK_OK(ik_lomb_scargle_false_alarm_level(t, y, dy, N, p, 3, &o, level));
    CHECK_OK(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, level, 3, &o, back));
    for (i = 0; i < 3; i++) CHECK_CLOSE(back[i], p[i], 1e-9, 0);
    {
        double a[3], b[3];
        o.fap_method = IK_LOMB_SCARGLE_FAP_BOOTSTRAP;
        o.n_bootstraps = 64;
        o.seed = 42;
        o.n_threads = 1;
        CHECK_OK(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, z, 3, &o, a));
        o.n_threads = 3;
        CHECK_OK(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, z, 3, &o, b));
        CHECK(memcmp(a, b, sizeof a) == 0);
        CHECK(a[0] >= a[1] && a[1] >= a[2] && a[0] <= 1 && a[2] >= 0);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Bad inputs                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void test_bad_inputs(void) {
    double f[3] = {0.1, 0.2, 0.3}, out[8], bad[N], constant[N], z1 = 0.1, f0, df;
    size_t nf;
    ik_lomb_scargle_options_t o = defaults(), b;
    int i;

    /* NULL pointers */
    CHECK_ERR(ik_lomb_scargle_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options");
    CHECK_ERR(ik_lomb_scargle_power(NULL, y, dy, N, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "t is NULL");
    CHECK_ERR(ik_lomb_scargle_power(t, NULL, dy, N, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "y is NULL");
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, NULL, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "frequency is NULL");
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &o, NULL), IK_ERR_INVALID_ARGUMENT, "power is NULL");
    CHECK_ERR(ik_lomb_scargle_autofrequency(t, N, &o, NULL, &df, &nf), IK_ERR_INVALID_ARGUMENT, "f0");
    CHECK_ERR(ik_lomb_scargle_model(t, y, dy, N, 0.1, NULL, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "t_fit");
    CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, NULL, 1, &o, out), IK_ERR_INVALID_ARGUMENT, "power");
    CHECK_ERR(ik_lomb_scargle_false_alarm_level(t, y, dy, N, &z1, 1, &o, NULL), IK_ERR_INVALID_ARGUMENT, "level");

    /* lengths */
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, 0, f, 3, &o, out), IK_ERR_DIMENSION, "n is 0");
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, 3, f, 3, &o, out), IK_ERR_DIMENSION, "n is 3");
    o.nterms = 3;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, 7, f, 3, &o, out), IK_ERR_DIMENSION, "n is 7");
    o = defaults();
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 0, &o, out), IK_ERR_DIMENSION, "n_freq is 0");
    CHECK_ERR(ik_lomb_scargle_power_batch(t, N, y, 0, dy, 0, f, 3, &o, out), IK_ERR_DIMENSION, "n_series is 0");
    CHECK_ERR(ik_lomb_scargle_power_batch(t, N, y, 1, dy, 2, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "dy_per_series");
    CHECK_ERR(ik_lomb_scargle_autopower(t, y, dy, N, &o, NULL, out, 8, &nf), IK_ERR_DIMENSION, "power");
    CHECK_ERR(ik_lomb_scargle_model_parameters(t, y, dy, N, 0.1, &o, out, 2, NULL), IK_ERR_DIMENSION, "theta");
    CHECK_ERR(ik_lomb_scargle_model(t, y, dy, N, 0.1, f, 0, &o, out), IK_ERR_DIMENSION, "n_fit is 0");

    /* NaN / Inf and dy <= 0 */
    memcpy(bad, t, sizeof bad);
    bad[17] = NAN;
    CHECK_ERR(ik_lomb_scargle_power(bad, y, dy, N, f, 3, &o, out), IK_ERR_NONFINITE, "t[17] is NaN");
    memcpy(bad, y, sizeof bad);
    bad[5] = INFINITY;
    CHECK_ERR(ik_lomb_scargle_power(t, bad, dy, N, f, 3, &o, out), IK_ERR_NONFINITE, "y[5] is inf");
    CHECK_ERR(ik_lomb_scargle_power_batch(t, N / 2, bad, 2, NULL, 0, f, 3, &o, out), IK_ERR_NONFINITE, "y[0,5] is inf");
    memcpy(bad, dy, sizeof bad);
    bad[9] = NAN;
    CHECK_ERR(ik_lomb_scargle_power(t, y, bad, N, f, 3, &o, out), IK_ERR_NONFINITE, "dy[9] is NaN");
    bad[9] = 0.0;
    CHECK_ERR(ik_lomb_scargle_power(t, y, bad, N, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "dy[9] is 0");
    bad[9] = -0.5;
    CHECK_ERR(ik_lomb_scargle_power(t, y, bad, N, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "dy[9] is -0.5");
    {
        double ff[3] = {0.1, 0.0, 0.3};
        CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, ff, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "frequency[1] is 0");
        ff[1] = -0.2;
        CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, ff, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "frequency[1] is -0.2");
        ff[2] = NAN;
        CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, ff, 3, &o, out), IK_ERR_NONFINITE, "frequency[2] is NaN");
    }
    CHECK_ERR(ik_lomb_scargle_model(t, y, dy, N, 0.0, f, 3, &o, out), IK_ERR_INVALID_ARGUMENT, "frequency is 0");
    {
        double tf[2] = {1.0, NAN};
        CHECK_ERR(ik_lomb_scargle_model(t, y, dy, N, 0.1, tf, 2, &o, out), IK_ERR_NONFINITE, "t_fit[1] is NaN");
    }

    /* a constant series has no normalised power (psd is fine) */
    for (i = 0; i < N; i++) constant[i] = 2.5;
    CHECK_ERR(ik_lomb_scargle_power(t, constant, dy, N, f, 3, &o, out), IK_ERR_SINGULAR, "constant");
    b = defaults();
    b.normalization = IK_LOMB_SCARGLE_PSD;
    CHECK_OK(ik_lomb_scargle_power(t, constant, dy, N, f, 3, &b, out));
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 0);

    /* options out of range */
    b = defaults(); b.struct_size = 8;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "struct_size");
    b = defaults(); b.nterms = 0;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "nterms is 0");
    b = defaults(); b.nterms = 300;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "nterms is 300");
    b = defaults(); b.normalization = 9;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "normalization is 9");
    b = defaults(); b.method = 5;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "method is 5");
    b = defaults(); b.fit_mean = 2;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "fit_mean is 2");
    b = defaults(); b.center_data = -1;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "center_data is -1");
    b = defaults(); b.n_threads = -1;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "n_threads is -1");
    b = defaults(); b.fap_method = 7;
    CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, f, 3, &b, out), IK_ERR_INVALID_ARGUMENT, "fap_method is 7");
    b = defaults(); b.n_bootstraps = 0;
    CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, &z1, 1, &b, out), IK_ERR_INVALID_ARGUMENT, "n_bootstraps is 0");
    b = defaults(); b.samples_per_peak = 0;
    CHECK_ERR(ik_lomb_scargle_autofrequency(t, N, &b, &f0, &df, &nf), IK_ERR_INVALID_ARGUMENT, "samples_per_peak is 0");
    b = defaults(); b.nyquist_factor = NAN;
    CHECK_ERR(ik_lomb_scargle_autofrequency(t, N, &b, &f0, &df, &nf), IK_ERR_INVALID_ARGUMENT, "nyquist_factor is NaN");
    b = defaults(); b.minimum_frequency = -1;
    CHECK_ERR(ik_lomb_scargle_autofrequency(t, N, &b, &f0, &df, &nf), IK_ERR_INVALID_ARGUMENT, "minimum_frequency is -1");
    b = defaults(); b.minimum_frequency = 2; b.maximum_frequency = 1;
    CHECK_ERR(ik_lomb_scargle_autofrequency(t, N, &b, &f0, &df, &nf), IK_ERR_INVALID_ARGUMENT, "maximum_frequency");

    /* the automatic grid needs a baseline */
    CHECK_ERR(ik_lomb_scargle_autofrequency(constant, N, &o, &f0, &df, &nf), IK_ERR_INVALID_ARGUMENT, "baseline");

    /* the fast method needs a regular grid */
    {
        double irregular[4] = {0.1, 0.2, 0.35, 0.4};
        b = defaults(); b.method = IK_LOMB_SCARGLE_FAST;
        CHECK_ERR(ik_lomb_scargle_power(t, y, dy, N, irregular, 4, &b, out), IK_ERR_INVALID_ARGUMENT, "regular grid");
    }

    /* false-alarm probabilities: nterms 1, centred data, powers and probabilities in range */
    b = defaults(); b.nterms = 2;
    CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, &z1, 1, &b, out), IK_ERR_INVALID_ARGUMENT, "nterms is 2");
    b = defaults(); b.fit_mean = 0; b.center_data = 0;
    CHECK_ERR(ik_lomb_scargle_false_alarm_level(t, y, dy, N, &z1, 1, &b, out), IK_ERR_INVALID_ARGUMENT, "center_data");
    {
        double zz[2] = {0.1, 1.5}, pp[2] = {0.5, 0.0}, zn = NAN;
        CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, zz, 2, &o, out), IK_ERR_INVALID_ARGUMENT, "power[1] is 1.5");
        CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, &zn, 1, &o, out), IK_ERR_NONFINITE, "power[0] is NaN");
        CHECK_ERR(ik_lomb_scargle_false_alarm_level(t, y, dy, N, pp, 2, &o, out), IK_ERR_INVALID_ARGUMENT, "probability[1] is 0");
        CHECK_ERR(ik_lomb_scargle_false_alarm_probability(t, y, dy, N, zz, 0, &o, out), IK_ERR_DIMENSION, "n_power is 0");
    }
}

int main(void) {
    make_data();
    test_defaults();
    test_power_against_closed_form();
    test_peak();
    test_fast();
    test_threads();
    test_batch();
    test_autofrequency();
    test_model();
    test_false_alarm();
    test_bad_inputs();
    return ik_test_summary("test_spectral");
}
