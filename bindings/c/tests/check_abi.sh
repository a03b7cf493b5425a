#!/usr/bin/env bash
# check_abi.sh - the stable-ABI check of libinferkit.so against include/inferkit.h.
#
# Usage: check_abi.sh [HEADER] [LIBRARY]   (defaults: <repo>/include/inferkit.h, <repo>/build/libinferkit.so)
#
# Five test cases:
#   1. every function declared in the header is exported by the library
#   2. every ik_* symbol the library exports is declared in the header
#   3. the library exports nothing but ik_* (and _init/_fini)
#   4. its soname is libinferkit.so.0
#   5. it needs no Swift runtime library (built with -static-stdlib)
# Prints "check_abi: P passed, F failed" and exits non-zero on any failure.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
header="${1:-$repo/include/inferkit.h}"
lib="${2:-$repo/build/libinferkit.so}"
passed=0
failed=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL check_abi: $*" >&2; }

if [ ! -e "$lib" ] || [ ! -e "$header" ]; then
    fail "missing $header or $lib"
    echo "check_abi: $passed passed, $((failed + 4)) failed"
    exit 1
fi

# Functions declared in the header: preprocess (no comments, macros expanded), join into one
# line, split at ';' and '{' '}', and take the identifier before the first '(' of every
# declaration that starts with a type and names an ik_ function. Function-pointer typedefs
# ("(*name)(") are not functions and are skipped.
gcc -E -P -x c "$header" 2>"$tmp/cpp.err" >"$tmp/pre.h" || { fail "gcc -E failed: $(cat "$tmp/cpp.err")"; }
tr '\n' ' ' <"$tmp/pre.h" | tr ';{}' '\n\n\n' |
    grep -v '^[[:space:]]*typedef' |
    sed -n 's/^[^(]*[^A-Za-z0-9_]\(ik_[a-z0-9_]*\)[[:space:]]*(.*/\1/p' |
    sort -u >"$tmp/declared"
# Exported, defined dynamic symbols.
# Only global and weak symbols (upper-case nm types) are exported; local entries that the
# linker keeps in .dynsym for relocations (lower case) are not visible to other objects.
nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ {print $NF}' | sed 's/@.*//' | sort -u >"$tmp/exported"
grep '^ik_' "$tmp/exported" >"$tmp/exported_ik" || true

n_declared=$(wc -l <"$tmp/declared")
if [ "$n_declared" -lt 10 ]; then
    fail "parsed only $n_declared function declarations from $header"
fi

missing="$(comm -23 "$tmp/declared" "$tmp/exported_ik")"
if [ -z "$missing" ] && [ "$n_declared" -ge 10 ]; then pass; else
    fail "declared in the header but not exported by the library: $(echo $missing)"; fi

extra="$(comm -13 "$tmp/declared" "$tmp/exported_ik")"
if [ -z "$extra" ]; then pass; else
    fail "exported by the library but not declared in the header: $(echo $extra)"; fi

foreign="$(grep -v -e '^ik_' -e '^_init$' -e '^_fini$' "$tmp/exported" | head -20)"
if [ -z "$foreign" ]; then pass; else
    fail "non-ik_ symbols exported (first 20): $(echo $foreign)"; fi

soname="$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')"
if [ "$soname" = "libinferkit.so.0" ]; then pass; else
    fail "soname is '$soname', expected libinferkit.so.0"; fi

deps="$(ldd "$lib" 2>&1)"
swift_deps="$(echo "$deps" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|not found')"
if [ -z "$swift_deps" ]; then pass; else
    fail "the library needs a Swift runtime or an unresolved library (build with -static-stdlib):
$swift_deps"; fi

echo "check_abi: ${n_declared} functions declared, $(wc -l <"$tmp/exported_ik") ik_ symbols exported"
echo "check_abi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
