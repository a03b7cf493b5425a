/*
 * test_nist.c - NIST StRD linear least squares (all 11 datasets) through the C ABI.
 *
 * Usage: test_nist DIR   (DIR holds <Name>.txt and index.txt written by nist_to_text.py)
 *
 * Polynomial models with intercept are fitted with ik_linear_polyfit (IK_BASIS_MONOMIAL),
 * NoInt1/NoInt2 with ik_linear_fit on the single column x, Longley with ik_linear_fit on
 * [1, x1..x6]. For every parameter and standard error the log relative error
 *     LRE = -log10(|est - cert| / |cert|)   (-log10 |est| when cert == 0), clipped to [0, 15]
 * must reach REQUIRED_DIGITS. Residual SD and R^2 are held to the same bar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ik_test.h"

#define REQUIRED_DIGITS 9.0
#define MAX_K 16

typedef struct {
    char name[64], design[32];
    size_t n, k, degree, xcols;
    int intercept;
    double *x, *y; /* x: n x xcols row-major */
    double cert[MAX_K], cert_se[MAX_K], cert_sd, cert_r2;
} dataset_t;

static double lre(double est, double cert) {
    double v;
    if (!isfinite(est)) return 0.0;
    if (cert == 0.0)
        v = (est == 0.0) ? 15.0 : -log10(fabs(est));
    else
        v = (est == cert) ? 15.0 : -log10(fabs(est - cert) / fabs(cert));
    return v < 0.0 ? 0.0 : (v > 15.0 ? 15.0 : v);
}

static int read_key(FILE* f, const char* key) {
    char word[64];
    if (fscanf(f, "%63s", word) != 1 || strcmp(word, key) != 0) {
        fprintf(stderr, "test_nist: expected \"%s\" in the dataset file\n", key);
        return 0;
    }
    return 1;
}

static int read_size(FILE* f, const char* key, size_t* v) {
    unsigned long u;
    if (!read_key(f, key) || fscanf(f, "%lu", &u) != 1) return 0;
    *v = (size_t)u;
    return 1;
}

static int read_doubles(FILE* f, double* v, size_t count) {
    size_t i;
    for (i = 0; i < count; i++)
        if (fscanf(f, "%lf", &v[i]) != 1) return 0;
    return 1;
}

static int load(const char* dir, const char* name, dataset_t* d) {
    char path[512];
    size_t intercept = 0;
    FILE* f;
    int ok;
    memset(d, 0, sizeof *d);
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "test_nist: cannot open %s\n", path);
        return 0;
    }
    ok = read_key(f, "name") && fscanf(f, "%63s", d->name) == 1 && read_size(f, "n", &d->n) &&
         read_size(f, "k", &d->k) && read_key(f, "design") && fscanf(f, "%31s", d->design) == 1 &&
         read_size(f, "intercept", &intercept) && read_size(f, "degree", &d->degree) &&
         read_size(f, "xcols", &d->xcols) && d->k <= MAX_K && d->n > 0 && d->xcols > 0;
    if (ok) {
        d->intercept = (int)intercept;
        d->x = malloc(d->n * d->xcols * sizeof(double));
        d->y = malloc(d->n * sizeof(double));
        ok = d->x && d->y && read_key(f, "x") && read_doubles(f, d->x, d->n * d->xcols) &&
             read_key(f, "y") && read_doubles(f, d->y, d->n) &&
             read_key(f, "certified_values") && read_doubles(f, d->cert, d->k) &&
             read_key(f, "certified_std_errors") && read_doubles(f, d->cert_se, d->k) &&
             read_key(f, "residual_std_dev") && read_doubles(f, &d->cert_sd, 1) &&
             read_key(f, "r_squared") && read_doubles(f, &d->cert_r2, 1);
    }
    fclose(f);
    if (!ok) fprintf(stderr, "test_nist: %s is malformed\n", path);
    return ok;
}

/* Fit one dataset as the header intends; returns the result or NULL. */
static ik_linear_result_t* fit(const dataset_t* d) {
    ik_linear_result_t* r = NULL;
    ik_status_t s;
    if (strcmp(d->design, "polynomial") == 0 && d->intercept) {
        s = ik_linear_polyfit(d->x, d->n, d->y, 1, IK_ROW_MAJOR, NULL, d->degree,
                              IK_BASIS_MONOMIAL, NULL, 0.0, NULL, &r);
    } else {
        /* explicit design: [1,] x1..xm for "columns", x^1..x^d for polynomials without intercept */
        size_t cols = d->k, i, j, c;
        double* a = malloc(d->n * cols * sizeof(double));
        if (!a) return NULL;
        for (i = 0; i < d->n; i++) {
            c = 0;
            if (d->intercept) a[i * cols + c++] = 1.0;
            if (strcmp(d->design, "columns") == 0) {
                for (j = 0; j < d->xcols; j++) a[i * cols + c++] = d->x[i * d->xcols + j];
            } else {
                for (j = 1; j <= d->degree; j++) a[i * cols + c++] = pow(d->x[i], (double)j);
            }
        }
        s = ik_linear_fit(a, d->n, cols, IK_ROW_MAJOR, d->y, 1, NULL, NULL, &r);
        free(a);
    }
    if (s != IK_OK) {
        fprintf(stderr, "FAIL %s: fit returned %s: %s\n", d->name, ik_status_string(s),
                ik_test_message());
        return NULL;
    }
    return r;
}

static void run(const dataset_t* d) {
    double p[MAX_K], se[MAX_K], chi2 = NAN, r2 = NAN, min_p = 15.0, min_se = 15.0, l_sd, l_r2;
    ik_linear_info_t info;
    ik_linear_result_t* r = fit(d);
    size_t j;
    char what[512];
    CHECK_MSG(r != NULL, d->name);
    if (!r) {
        printf("%-9s  %3lu %2lu   fit failed\n", d->name, (unsigned long)d->n, (unsigned long)d->k);
        return;
    }
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(ik_linear_result_info(r, &info));
    CHECK_OK(ik_linear_result_params(r, p, d->k));
    CHECK_OK(ik_linear_result_stderr(r, se, d->k));
    CHECK_OK(ik_linear_result_chi2(r, &chi2, 1));
    CHECK_OK(ik_linear_result_r2(r, &r2, 1));
    CHECK(info.cols == d->k && info.rows == d->n);
    for (j = 0; j < d->k; j++) {
        double lp = lre(p[j], d->cert[j]), ls = lre(se[j], d->cert_se[j]);
        if (lp < min_p) min_p = lp;
        if (ls < min_se) min_se = ls;
        snprintf(what, sizeof what, "%s B%lu = %.15g (certified %.15g): LRE %.1f < %.0f", d->name,
                 (unsigned long)(d->k == 1 && !d->intercept ? j + 1 : j), p[j], d->cert[j], lp,
                 REQUIRED_DIGITS);
        CHECK_MSG(lp >= REQUIRED_DIGITS, what);
        snprintf(what, sizeof what, "%s se(B%lu) = %.15g (certified %.15g): LRE %.1f < %.0f",
                 d->name, (unsigned long)(d->k == 1 && !d->intercept ? j + 1 : j), se[j],
                 d->cert_se[j], ls, REQUIRED_DIGITS);
        CHECK_MSG(ls >= REQUIRED_DIGITS, what);
    }
    l_sd = lre(info.dof > 0 ? sqrt(chi2 / (double)info.dof) : NAN, d->cert_sd);
    l_r2 = lre(r2, d->cert_r2);
    snprintf(what, sizeof what, "%s residual SD: LRE %.1f < %.0f", d->name, l_sd, REQUIRED_DIGITS);
    CHECK_MSG(l_sd >= REQUIRED_DIGITS, what);
    snprintf(what, sizeof what, "%s R^2: LRE %.1f < %.0f", d->name, l_r2, REQUIRED_DIGITS);
    CHECK_MSG(l_r2 >= REQUIRED_DIGITS, what);
    printf("%-9s  %3lu %2lu  %6.1f %6.1f %6.1f %6.1f   %9.2e  %5d %4d\n", d->name,
           (unsigned long)d->n, (unsigned long)d->k, min_p, min_se, l_sd, l_r2, info.cond,
           (int)info.flags, (int)info.refinement_steps);
    ik_linear_result_free(r);
}

int main(int argc, char** argv) {
    const char* dir = argc > 1 ? argv[1] : "bin/nist";
    char path[512], name[64];
    int count = 0;
    FILE* index;
    snprintf(path, sizeof path, "%s/index.txt", dir);
    index = fopen(path, "r");
    CHECK_MSG(index != NULL, "the NIST index (run nist_to_text.py first)");
    if (!index) return ik_test_summary("test_nist");
    printf("NIST StRD linear: LRE = digits agreeing with the certified values (min over "
           "parameters), required >= %.0f\n",
           REQUIRED_DIGITS);
    printf("%-9s  %3s %2s  %6s %6s %6s %6s   %9s  %5s %4s\n", "dataset", "n", "k", "coef", "stderr",
           "sd", "R^2", "cond", "flags", "refn");
    while (fscanf(index, "%63s", name) == 1) {
        dataset_t d;
        count++;
        if (load(dir, name, &d))
            run(&d);
        else
            CHECK_MSG(0, name);
        free(d.x);
        free(d.y);
    }
    fclose(index);
    CHECK_MSG(count == 11, "all 11 NIST linear datasets are present");
    return ik_test_summary("test_nist");
}
