#!/usr/bin/env python3
"""check_sources.py - the Fortran binding agrees with the header and the README.

Usage: check_sources.py HEADER MODULE README EXAMPLE
 1. README.md's ```fortran block is the example file, byte for byte.
 2. Every IK_* constant of the covered families (version, status, layout, basis, linear) in
    the header is an integer(c_int32_t) parameter of the module with the same value, and the
    module defines no IK_* parameter the header lacks.
 3. Every function of those families in the header has a bind(C, name="...") interface.
 4. The bind(C) types have the header struct's fields, in order, with the mapped types.
Prints "check_sources: N passed, N failed" and exits non-zero on any failure.
"""
import re
import sys

header_path, module_path, readme_path, example_path = sys.argv[1:5]
header = open(header_path).read()
module = open(module_path).read()
readme = open(readme_path).read()
example = open(example_path).read()
failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print("FAIL check_sources: " + what)


# 1. README block.
blocks = re.findall(r"```fortran\n(.*?)```", readme, flags=re.S)
check(len(blocks) == 1, "README.md has exactly one ```fortran block (found %d)" % len(blocks))
check(bool(blocks) and blocks[0] == example,
      "README.md's fortran block differs from examples/fit_poly.f90")

# 2. Constants.
covered = re.compile(r"IK_(OK|ERR_\w+|ROW_MAJOR|COL_MAJOR|BASIS_\w+|LINEAR_\w+|VERSION_\w+)$")
c_consts = {name: int(value) for name, value in
            re.findall(r"^\s*(IK_\w+)\s*=\s*(-?\d+)", header, flags=re.M)}
c_consts.update({name: int(value) for name, value in
                 re.findall(r"^#define\s+(IK_\w+)\s+(-?\d+)\s*$", header, flags=re.M)})
c_consts = {k: v for k, v in c_consts.items() if covered.match(k)}
f_consts = {name.upper(): int(value) for name, value in re.findall(
    r"integer\(c_int32_t\),\s*parameter\s*::\s*(IK_\w+)\s*=\s*(-?\d+)", module, flags=re.I)}
for name, value in sorted(c_consts.items()):
    check(f_consts.get(name) == value,
          "%s = %d in the header, %s in the module" % (name, value, f_consts.get(name)))
for name in sorted(set(f_consts) - set(c_consts)):
    check(False, "%s is in the module but not in the header" % name)

# 3. Functions.
functions = re.findall(r"^(?:const\s+)?\w+\s*\**\s*(ik_\w+)\s*\(", header, flags=re.M)
functions = [f for f in functions
             if re.match(r"ik_(version|version_number|status_string|last_error|linear_\w+|"
                         r"design_\w+)$", f)]
bound = set(re.findall(r'bind\(C,\s*name="(ik_\w+)"\)', module))
check(len(functions) >= 20, "found %d covered functions in the header" % len(functions))
for f in functions:
    check(f in bound, "%s has no bind(C) interface in the module" % f)

# 4. Struct layouts.
ctype = {"size_t": "integer(c_size_t)", "int32_t": "integer(c_int32_t)",
         "double": "real(c_double)"}
for struct in ("ik_linear_options_t", "ik_linear_info_t"):
    m = re.search(r"typedef struct %s \{(.*?)\} %s;" % (struct, struct), header, flags=re.S)
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S) if m else ""
    c_fields = [(ctype.get(t, t), n) for t, n in re.findall(r"(\w+)\s+(\w+)\s*;", body)]
    m = re.search(r"type, bind\(C\) :: %s\n(.*?)end type %s" % (struct, struct), module,
                  flags=re.S | re.I)
    f_fields = re.findall(r"^\s*((?:integer|real)\(\w+\))\s*::\s*(\w+)",
                          m.group(1) if m else "", flags=re.M)
    check(bool(c_fields) and c_fields == f_fields,
          "%s fields differ: header %s, module %s" % (struct, c_fields, f_fields))

print("check_sources: %d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)
