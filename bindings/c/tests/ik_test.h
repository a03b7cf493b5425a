/*
 * ik_test.h - a minimal test harness for the InferKit C tests.
 *
 * Every CHECK_* macro counts one test case as passed or failed and, on failure, prints the
 * file, line, the checked expression and ik_last_error(). A test program ends with
 *     return ik_test_summary("test_name");
 * which prints "test_name: P passed, F failed" (the line tests/run_suite.sh tallies) and
 * returns the process exit status (0 only when nothing failed).
 */
#ifndef IK_TEST_H
#define IK_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "inferkit.h"

static int ik_test_passed = 0;
static int ik_test_failed = 0;

/* ik_last_error(), never NULL (a NULL would itself be a library bug worth a clear message). */
static inline const char* ik_test_message(void) {
    const char* m = ik_last_error();
    return m ? m : "(ik_last_error() returned NULL)";
}

static inline int ik_test_record(int ok, const char* file, int line, const char* what) {
    if (ok) {
        ik_test_passed++;
    } else {
        ik_test_failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
    return ok;
}

static inline int ik_test_status(ik_status_t got, ik_status_t expected, const char* file,
                                 int line, const char* call) {
    if (got == expected) {
        ik_test_passed++;
        return 1;
    }
    ik_test_failed++;
    fprintf(stderr, "FAIL %s:%d: %s\n     returned %s (%d), expected %s; ik_last_error: \"%s\"\n",
            file, line, call, ik_status_string(got), (int)got, ik_status_string(expected),
            got == IK_OK ? "" : ik_test_message());
    return 0;
}

/* The last error message contains `needle`. */
static inline int ik_test_message_has(const char* needle, const char* file, int line) {
    const char* m = ik_last_error();
    if (m != NULL && strstr(m, needle) != NULL) {
        ik_test_passed++;
        return 1;
    }
    ik_test_failed++;
    fprintf(stderr, "FAIL %s:%d: ik_last_error() should contain \"%s\" but is \"%s\"\n", file,
            line, needle, ik_test_message());
    return 0;
}

/* |got - want| <= atol + rtol * |want|; NaN never passes unless both are NaN. */
static inline int ik_test_close(double got, double want, double rtol, double atol,
                                const char* file, int line, const char* what) {
    int ok = (isnan(got) && isnan(want)) || fabs(got - want) <= atol + rtol * fabs(want);
    if (ok) {
        ik_test_passed++;
        return 1;
    }
    ik_test_failed++;
    fprintf(stderr, "FAIL %s:%d: %s\n     got %.17g, want %.17g (diff %.3g)\n", file, line,
            what, got, want, got - want);
    return 0;
}

/* Two test cases: status is exactly `expected`, and the message contains `needle`. */
static inline int ik_test_error(ik_status_t got, ik_status_t expected, const char* needle,
                                const char* file, int line, const char* call) {
    int ok = ik_test_status(got, expected, file, line, call);
    return ik_test_message_has(needle, file, line) && ok;
}

static inline int ik_test_summary(const char* name) {
    printf("%s: %d passed, %d failed\n", name, ik_test_passed, ik_test_failed);
    fflush(stdout);
    return ik_test_failed == 0 ? 0 : 1;
}

/* One test case: a condition. */
#define CHECK(cond) ik_test_record((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
/* One test case: a condition, with a description (for checks inside loops). */
#define CHECK_MSG(cond, what) ik_test_record((cond) ? 1 : 0, __FILE__, __LINE__, (what))
/* One test case: the call returns exactly `expected`. */
#define CHECK_STATUS(call, expected) ik_test_status((call), (expected), __FILE__, __LINE__, #call)
#define CHECK_OK(call) CHECK_STATUS(call, IK_OK)
/* One test case: ik_last_error() contains `needle`. */
#define CHECK_ERRMSG(needle) ik_test_message_has((needle), __FILE__, __LINE__)
/* Two test cases: the status is exactly `expected` and the message contains `needle`. */
#define CHECK_ERR(call, expected, needle) \
    ik_test_error((call), (expected), (needle), __FILE__, __LINE__, #call)
/* One test case: got is within atol + rtol * |want| of want. */
#define CHECK_CLOSE(got, want, rtol, atol) \
    ik_test_close((got), (want), (rtol), (atol), __FILE__, __LINE__, #got " ~ " #want)

#endif /* IK_TEST_H */
