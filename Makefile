# InferKit build, test and demo. `make demo` and `make test` install what they need.
SHELL := /bin/bash
PYTHON ?= python3
BUILD := build
SONAME := libinferkit.so.0
LIB := $(BUILD)/libinferkit.so
CC ?= cc
CFLAGS_TEST := -std=c99 -Wall -Wextra -Werror -pedantic -O2 -Iinclude
SYSTEM_PACKAGES := liblapacke-dev libopenblas-dev libffi-dev gfortran
BENCH_PACKAGES := libgsl-dev
SWIFT_RELEASE := swift build -c release --product inferkit \
	-Xswiftc -static-stdlib \
	-Xlinker --version-script=$(CURDIR)/tools/exports.map \
	-Xlinker -soname=$(SONAME)

.PHONY: all lib deps bench-deps pydeps test test-swift test-c test-fortran test-python demo bench capi clean

all: lib

# System packages: installed only when missing (needs root, as on the project's machines).
# $(call install_missing,PACKAGES)
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(SYSTEM_PACKAGES))

# Only the benchmarks compare against GSL (bench/nlls_c.c); the tests never need it.
bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

pydeps:
	@$(PYTHON) -m pip install -q -r bindings/python/requirements-test.txt

lib: deps
	$(SWIFT_RELEASE)
	@mkdir -p $(BUILD)
	@cp "$$(swift build -c release --show-bin-path)/libinferkit.so" $(BUILD)/$(SONAME).tmp
	@mv -f $(BUILD)/$(SONAME).tmp $(BUILD)/$(SONAME)
	@ln -sf $(SONAME) $(LIB)
	@echo "built $(BUILD)/$(SONAME)"

# Regenerate the ctypes layer from the header (checked in; a test fails when it is stale).
capi:
	$(PYTHON) tools/gen_capi.py include/inferkit.h bindings/python/inferkit/_capi.py

test: lib pydeps test-swift test-c test-fortran test-python

test-swift: deps
	swift test

test-c: lib
	@$(MAKE) -s -C bindings/c test

test-fortran: lib
	@$(MAKE) -s -C bindings/fortran test

test-python: lib pydeps
	cd bindings/python && $(PYTHON) -m pytest -q tests

demo: lib
	@$(PYTHON) -m pip install -q numpy matplotlib 2>/dev/null || echo "(matplotlib not installed: the demo prints only)"
	@$(MAKE) -s -C bindings/c examples || echo "(the C examples did not build: the demo runs without them)"
	PYTHONPATH=bindings/python $(PYTHON) demo/demo.py

bench: lib pydeps bench-deps
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_linear.py
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_splines.py
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_lomb_scargle.py
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_tikhonov.py
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_nlls.py
	PYTHONPATH=bindings/python $(PYTHON) bench/bench_mcmc.py

clean:
	rm -rf .build $(BUILD) demo-output bindings/c/bin bindings/fortran/bin
