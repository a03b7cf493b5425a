/* test_basics.c - version, status codes, last error, options defaults, free(NULL). */
#include <stdio.h>
#include <string.h>

#include "ik_test.h"

static void test_last_error_before_any_failure(void) {
    const char* m = ik_last_error();
    CHECK(m != NULL);
    CHECK(m != NULL && m[0] == '\0');
}

static void test_version(void) {
    char expected[64];
    const char* v = ik_version();
    snprintf(expected, sizeof expected, "%d.%d.%d", IK_VERSION_MAJOR, IK_VERSION_MINOR,
             IK_VERSION_PATCH);
    CHECK(v != NULL);
    if (v != NULL) {
        CHECK(strcmp(v, expected) == 0);
        if (strcmp(v, expected) != 0) fprintf(stderr, "     ik_version() = \"%s\"\n", v);
    }
    CHECK(ik_version_number() ==
          IK_VERSION_MAJOR * 10000 + IK_VERSION_MINOR * 100 + IK_VERSION_PATCH);
    CHECK(ik_version() == v); /* static storage: the same pointer every time */
}

static void test_status_strings(void) {
    static const struct {
        ik_status_t code;
        const char* name;
    } table[] = {
        {IK_OK, "IK_OK"},
        {IK_ERR_INVALID_ARGUMENT, "IK_ERR_INVALID_ARGUMENT"},
        {IK_ERR_DIMENSION, "IK_ERR_DIMENSION"},
        {IK_ERR_NONFINITE, "IK_ERR_NONFINITE"},
        {IK_ERR_SINGULAR, "IK_ERR_SINGULAR"},
        {IK_ERR_NOT_CONVERGED, "IK_ERR_NOT_CONVERGED"},
        {IK_ERR_CALLBACK, "IK_ERR_CALLBACK"},
        {IK_ERR_PARSE, "IK_ERR_PARSE"},
        {IK_ERR_NO_MEMORY, "IK_ERR_NO_MEMORY"},
        {IK_ERR_INTERNAL, "IK_ERR_INTERNAL"},
        {10, "IK_UNKNOWN"},
        {-1, "IK_UNKNOWN"},
        {INT32_MAX, "IK_UNKNOWN"},
        {INT32_MIN, "IK_UNKNOWN"},
    };
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        const char* s = ik_status_string(table[i].code);
        char what[96];
        snprintf(what, sizeof what, "ik_status_string(%ld) == \"%s\"", (long)table[i].code,
                 table[i].name);
        CHECK_MSG(s != NULL && strcmp(s, table[i].name) == 0, what);
    }
}

static void test_last_error_names_culprit(void) {
    size_t cols = 0;
    CHECK_ERR(ik_linear_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options");
    /* the message names the argument and its value */
    CHECK_ERR(ik_design_columns(99, 3, &cols), IK_ERR_INVALID_ARGUMENT, "basis");
    CHECK_ERRMSG("99");
    /* a later failure replaces the message */
    CHECK_ERR(ik_design_columns(IK_BASIS_MONOMIAL, 3, NULL), IK_ERR_INVALID_ARGUMENT, "cols");
    /* success does not crash or invalidate the message pointer's contract */
    CHECK_OK(ik_design_columns(IK_BASIS_FOURIER, 3, &cols));
    CHECK(cols == 7);
    CHECK(ik_last_error() != NULL);
}

static void test_options_default(void) {
    ik_linear_options_t o;
    memset(&o, 0xAB, sizeof o);
    CHECK_OK(ik_linear_options_default(&o));
    CHECK(o.struct_size == sizeof(ik_linear_options_t));
    CHECK(o.method == IK_LINEAR_QR);
    CHECK(o.absolute_sigma == 0);
    CHECK(o.allow_rank_deficient == 0);
    CHECK(o.refine == -1);
    CHECK(o.rcond <= 0.0);
    CHECK(o.n_threads == 0);
    CHECK(o.reserved == 0);
    CHECK_ERR(ik_linear_options_default(NULL), IK_ERR_INVALID_ARGUMENT, "options");
}

static void test_free_null(void) {
    ik_linear_result_free(NULL);
    ik_linear_result_free(NULL);
    CHECK(1); /* reached: free(NULL) is a no-op */
}

/* The header promises that a pointer which is not a live result is ignored by free. */
static void test_free_stale_pointer(void) {
    const double a[4] = {1.0, 1.0, 1.0, 2.0}; /* 2 x 2: [1 1; 1 2] */
    const double y[2] = {3.0, 5.0};
    ik_linear_result_t* r = NULL;
    double not_a_result[8] = {0.0};
    CHECK_OK(ik_linear_fit(a, 2, 2, IK_ROW_MAJOR, y, 1, NULL, NULL, &r));
    CHECK(r != NULL);
    ik_linear_result_free(r);
    ik_linear_result_free(r); /* double free: ignored */
    ik_linear_result_free((ik_linear_result_t*)(void*)not_a_result);
    CHECK(1); /* reached */
}

int main(void) {
    test_last_error_before_any_failure();
    test_version();
    test_status_strings();
    test_last_error_names_culprit();
    test_options_default();
    test_free_null();
    test_free_stale_pointer(); /* last: a crash here loses no other result */
    return ik_test_summary("test_basics");
}
