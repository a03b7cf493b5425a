#!/usr/bin/env bash
# run_suite.sh - run the C checks that `make test` built and print one summary line.
#
# Usage: run_suite.sh BIN TEST... -- EXAMPLE...
# Test cases: the C++ compile of the header (1), every test program's own cases (it prints
# "<name>: P passed, F failed"), every example's successful run (1 each), check_abi.sh's cases.
# A program that did not build, crashed, timed out or printed no tally counts as 1 failure.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
bin="$1"; shift
tests=(); examples=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do tests+=("$1"); shift; done
[ $# -gt 0 ] && shift
examples=("$@")
passed=0
failed=0
runner=()
command -v timeout >/dev/null && runner+=(timeout 600)
command -v stdbuf >/dev/null && runner+=(stdbuf -oL -eL)

fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# Run a program that prints "<name>: P passed, F failed"; add its counts.
tally() {
    local name="$1"; shift
    local out rc line
    out="$("${runner[@]}" "$@" 2>&1)"; rc=$?
    [ -n "$out" ] && echo "$out"
    line="$(echo "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" | tail -1)"
    if [ -z "$line" ]; then
        fail "$name: no tally (exit status $rc: crashed or did not start)"
        return
    fi
    set -- $line
    passed=$((passed + $2)); failed=$((failed + $4))
    if [ "$rc" -ne 0 ] && [ "$4" -eq 0 ]; then fail "$name: exit status $rc"; fi
}

if [ -f "$bin/header_cxx.ok" ]; then passed=$((passed + 1)); else
    fail "include/inferkit.h does not compile as C++11"; fi

for t in "${tests[@]}"; do
    if [ ! -x "$bin/$t" ]; then fail "$t: did not build"; continue; fi
    if [ "$t" = test_nist ] || [ "$t" = test_nlls ]; then
        if [ ! -f "$bin/nist/index.txt" ]; then fail "test_nist: NIST data not converted"; continue; fi
        tally "$t" "$bin/$t" "$bin/nist"
    else
        tally "$t" "$bin/$t"
    fi
done

for e in "${examples[@]}"; do
    if [ ! -x "$bin/$e" ]; then fail "example $e: did not build"; continue; fi
    out="$("${runner[@]}" "$bin/$e" 2>&1)"; rc=$?
    echo "example $e:"; echo "$out" | sed 's/^/    /'
    if [ "$rc" -eq 0 ] && [ -n "$out" ]; then passed=$((passed + 1)); else
        fail "example $e: exit status $rc"; fi
done

tally check_abi bash "$here/check_abi.sh"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
