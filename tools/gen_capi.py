#!/usr/bin/env python3
"""Generate the ctypes layer of the Python bindings from the C header.

Usage::

    python3 tools/gen_capi.py include/inferkit.h bindings/python/inferkit/_capi.py
    python3 tools/gen_capi.py --check include/inferkit.h bindings/python/inferkit/_capi.py

The header is run through ``gcc -E -P`` (with glibc's GNU extensions defined away) and parsed
with pycparser. The output holds, in header order:

* every integer ``#define IK_...`` macro (read from the raw header text, since the
  preprocessor removes them),
* every enumeration constant,
* every ``ik_*`` typedef of a scalar type (e.g. ``ik_status_t = ctypes.c_int32``),
* every ``ik_*`` struct as a ``ctypes.Structure`` (opaque handles have no fields and are used
  through ``ctypes.POINTER``),
* ``SIGNATURES`` (name -> (restype, argtypes)), ``FUNCTIONS`` (all function names) and
  ``bind(lib)``, which sets ``argtypes``/``restype`` on a loaded ``ctypes.CDLL``.

Only declarations whose names start with ``ik_``/``IK_`` are emitted; the system typedefs the
header uses (``size_t``, ``int32_t``, ...) map to ctypes types through a fixed table.

With ``--check`` nothing is written: the exit status is 1 when OUTPUT_PY differs from what
would be generated (it is stale), 0 when it is up to date.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import textwrap
import sys

from pycparser import c_ast, c_generator, c_parser

#: Flags that make glibc's headers digestible for pycparser.
GCC_FLAGS = (
    "-E",
    "-P",
    "-D__attribute__(x)=",
    "-D__extension__=",
    "-D__restrict=",
    "-D__inline=",
    "-D__asm__(x)=",
)

#: Prefixes of the names that belong to the library (everything else is a system type).
PREFIXES = ("ik_", "IK_")

#: C scalar type names (typedef names or sorted-and-joined base type keywords) -> ctypes.
SCALARS = {
    "_Bool": "ctypes.c_bool",
    "bool": "ctypes.c_bool",
    "char": "ctypes.c_char",
    "signed char": "ctypes.c_byte",
    "unsigned char": "ctypes.c_ubyte",
    "short": "ctypes.c_short",
    "short int": "ctypes.c_short",
    "unsigned short": "ctypes.c_ushort",
    "int unsigned short": "ctypes.c_ushort",
    "int": "ctypes.c_int",
    "signed": "ctypes.c_int",
    "int signed": "ctypes.c_int",
    "unsigned": "ctypes.c_uint",
    "int unsigned": "ctypes.c_uint",
    "long": "ctypes.c_long",
    "int long": "ctypes.c_long",
    "long unsigned": "ctypes.c_ulong",
    "int long unsigned": "ctypes.c_ulong",
    "long long": "ctypes.c_longlong",
    "int long long": "ctypes.c_longlong",
    "long long unsigned": "ctypes.c_ulonglong",
    "int long long unsigned": "ctypes.c_ulonglong",
    "float": "ctypes.c_float",
    "double": "ctypes.c_double",
    "double long": "ctypes.c_longdouble",
    "size_t": "ctypes.c_size_t",
    "ssize_t": "ctypes.c_ssize_t",
    "ptrdiff_t": "ctypes.c_ssize_t",
    "intptr_t": "ctypes.c_ssize_t",
    "uintptr_t": "ctypes.c_size_t",
    "int8_t": "ctypes.c_int8",
    "int16_t": "ctypes.c_int16",
    "int32_t": "ctypes.c_int32",
    "int64_t": "ctypes.c_int64",
    "uint8_t": "ctypes.c_uint8",
    "uint16_t": "ctypes.c_uint16",
    "uint32_t": "ctypes.c_uint32",
    "uint64_t": "ctypes.c_uint64",
}

#: An integer ``#define IK_NAME value`` line of the raw header.
MACRO_RE = re.compile(
    r"^[ \t]*#[ \t]*define[ \t]+(IK_[A-Za-z0-9_]*)[ \t]+"
    r"\(?[ \t]*(-?[ \t]*(?:0[xX][0-9a-fA-F]+|[0-9]+))[uUlL]*[ \t]*\)?[ \t]*"
    r"(?:/\*.*?\*/|//.*)?[ \t]*$",
    re.MULTILINE,
)


class GenerationError(Exception):
    """The header uses a construct this generator does not translate."""


def preprocess(header: str) -> str:
    """Return the header's text after ``gcc -E -P`` with the GNU extensions defined away."""
    cc = os.environ.get("GEN_CAPI_CPP", "gcc")
    proc = subprocess.run(
        [cc, *GCC_FLAGS, header], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise GenerationError(f"{cc} -E failed on {header}:\n{proc.stderr}")
    return proc.stdout


def read_macros(text: str) -> list[tuple[str, int]]:
    """Integer ``#define IK_...`` macros of the raw header text, in order of appearance."""
    macros = []
    seen = set()
    for match in MACRO_RE.finditer(text):
        name, value = match.group(1), match.group(2).replace(" ", "").replace("\t", "")
        if name in seen:
            raise GenerationError(f"macro {name} is defined twice")
        seen.add(name)
        macros.append((name, int(value, 0)))
    return macros


def is_ours(name: str | None) -> bool:
    """True for names that belong to the library's namespace."""
    return bool(name) and name.startswith(PREFIXES)


class Generator:
    """Walks the parsed header and collects the pieces of the output module."""

    def __init__(self, ast: c_ast.FileAST):
        self.ast = ast
        self.cgen = c_generator.CGenerator()
        self.typedefs: dict[str, c_ast.Node] = {}  # every typedef name -> its type node
        self.aliases: list[tuple[str, str]] = []  # (ik name, ctypes expression)
        self.alias_names: set[str] = set()
        self.structs: list[tuple[str, list | None]] = []  # (class name, field decls or None)
        self.struct_names: dict[str, str] = {}  # struct tag or typedef name -> class name
        self.enums: list[tuple[str | None, list[tuple[str, int]]]] = []
        self.enum_values: dict[str, int] = {}
        self.functions: list[tuple[str, c_ast.Decl]] = []

    # -- collection ------------------------------------------------------------------------

    def collect(self) -> None:
        """Record every declaration of the header, in order."""
        for node in self.ast.ext:
            if isinstance(node, c_ast.Typedef):
                self.typedefs[node.name] = node.type
                self._collect_inner(node.type)
                if is_ours(node.name):
                    self._collect_typedef(node)
            elif isinstance(node, c_ast.Decl):
                self._collect_inner(node.type)
                if isinstance(node.type, c_ast.FuncDecl) and is_ours(node.name):
                    if any(name == node.name for name, _ in self.functions):
                        continue  # a repeated prototype
                    self.functions.append((node.name, node))
                elif isinstance(node.type, c_ast.FuncDecl) or node.name is None:
                    pass
                elif is_ours(node.name):
                    raise GenerationError(f"global variable {node.name} cannot be bound")

    def _collect_inner(self, node: c_ast.Node) -> None:
        """Record struct and enum definitions nested in a declaration."""
        while isinstance(node, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
            node = node.type
        if isinstance(node, c_ast.Struct) and is_ours(node.name):
            self._add_struct(node.name, node.decls)
        elif isinstance(node, c_ast.Union) and is_ours(node.name):
            raise GenerationError(f"union {node.name} is not supported")
        elif isinstance(node, c_ast.Enum) and node.values is not None:
            self._add_enum(node)

    def _add_struct(self, tag: str, decls: list | None) -> None:
        name = self.struct_names.get(tag, tag)
        for index, (existing, fields) in enumerate(self.structs):
            if existing == name:
                if fields is None and decls is not None:
                    self.structs[index] = (name, decls)
                return
        self.structs.append((name, decls))
        self.struct_names[name] = name

    def _add_enum(self, node: c_ast.Enum) -> None:
        constants = []
        value = -1
        for enumerator in node.values.enumerators:
            if enumerator.value is None:
                value += 1
            else:
                value = self.evaluate(enumerator.value)
            if not is_ours(enumerator.name):
                continue
            if enumerator.name in self.enum_values:
                raise GenerationError(f"enum constant {enumerator.name} is defined twice")
            self.enum_values[enumerator.name] = value
            constants.append((enumerator.name, value))
        if constants:
            self.enums.append((node.name, constants))

    def _collect_typedef(self, node: c_ast.Typedef) -> None:
        inner = node.type
        if isinstance(inner, c_ast.TypeDecl) and isinstance(inner.type, c_ast.Struct):
            tag = inner.type.name
            if tag is None:
                self._add_struct(node.name, inner.type.decls)
            elif tag != node.name:
                # Name the class after the typedef (what callers write) and let the tag refer
                # to it.
                old_name = self.struct_names.get(tag, tag)
                self.structs = [(node.name if n == old_name else n, d) for n, d in self.structs]
                for key, value in list(self.struct_names.items()):
                    if value == old_name:
                        self.struct_names[key] = node.name
                self.struct_names[tag] = node.name
                self.struct_names[node.name] = node.name
                if not any(n == node.name for n, _ in self.structs):
                    self.structs.append((node.name, None))
            return
        if isinstance(inner, c_ast.TypeDecl) and isinstance(inner.type, c_ast.Enum):
            self.aliases.append((node.name, "ctypes.c_int"))
            self.alias_names.add(node.name)
            return
        self.aliases.append((node.name, self.ctype(inner)))
        self.alias_names.add(node.name)

    # -- translation -----------------------------------------------------------------------

    def evaluate(self, node: c_ast.Node) -> int:
        """Value of an integer constant expression in an enumerator."""
        if isinstance(node, c_ast.Constant) and node.type in ("int", "unsigned int", "long int",
                                                               "unsigned long int",
                                                               "long long int",
                                                               "unsigned long long int"):
            return int(node.value.rstrip("uUlL"), 0)
        if isinstance(node, c_ast.Constant) and node.type == "char":
            return ord(node.value.strip("'"))
        if isinstance(node, c_ast.ID) and node.name in self.enum_values:
            return self.enum_values[node.name]
        if isinstance(node, c_ast.UnaryOp):
            operand = self.evaluate(node.expr)
            ops = {"-": lambda v: -v, "+": lambda v: v, "~": lambda v: ~v}
            if node.op in ops:
                return ops[node.op](operand)
        if isinstance(node, c_ast.BinaryOp):
            left, right = self.evaluate(node.left), self.evaluate(node.right)
            ops = {
                "+": lambda a, b: a + b,
                "-": lambda a, b: a - b,
                "*": lambda a, b: a * b,
                "<<": lambda a, b: a << b,
                ">>": lambda a, b: a >> b,
                "|": lambda a, b: a | b,
                "&": lambda a, b: a & b,
                "^": lambda a, b: a ^ b,
            }
            if node.op in ops:
                return ops[node.op](left, right)
        raise GenerationError(f"cannot evaluate enumerator value {self.cgen.visit(node)}")

    def ctype(self, node: c_ast.Node, *, is_return: bool = False) -> str:
        """The ctypes expression for a type node."""
        if isinstance(node, c_ast.Typename):
            return self.ctype(node.type, is_return=is_return)
        if isinstance(node, c_ast.TypeDecl):
            return self._base(node)
        if isinstance(node, c_ast.ArrayDecl):
            if node.dim is None:
                return f"ctypes.POINTER({self.ctype(node.type)})"
            return f"({self.ctype(node.type)} * {self.evaluate(node.dim)})"
        if isinstance(node, c_ast.PtrDecl):
            target = node.type
            if isinstance(target, c_ast.FuncDecl):
                return self.function_pointer(target)
            if isinstance(target, c_ast.TypeDecl):
                base = self._base_name(target)
                if base == "char":
                    if "const" in target.quals or is_return:
                        return "ctypes.c_char_p"
                    return "ctypes.POINTER(ctypes.c_char)"
                if base == "void":
                    return "ctypes.c_void_p"
            return f"ctypes.POINTER({self.ctype(target)})"
        raise GenerationError(f"unsupported type {self.cgen.visit(node)}")

    def function_pointer(self, func: c_ast.FuncDecl) -> str:
        """A ``ctypes.CFUNCTYPE`` expression for a pointer to a function."""
        restype = self.ctype(func.type, is_return=True)
        argtypes = self.argtypes(func)
        return f"ctypes.CFUNCTYPE({', '.join([restype, *argtypes])})"

    def argtypes(self, func: c_ast.FuncDecl) -> list[str]:
        """ctypes expressions of a function's parameters (empty for ``(void)``)."""
        if func.args is None:
            return []
        params = func.args.params
        result = []
        for param in params:
            if isinstance(param, c_ast.EllipsisParam):
                raise GenerationError("varargs functions cannot be bound")
            if isinstance(param, c_ast.Typename) and self._is_void(param.type):
                if len(params) == 1:
                    return []
            result.append(self.ctype(param.type))
        return result

    def _is_void(self, node: c_ast.Node) -> bool:
        return isinstance(node, c_ast.TypeDecl) and self._base_name(node) == "void"

    def _base_name(self, node: c_ast.TypeDecl) -> str:
        inner = node.type
        if isinstance(inner, c_ast.IdentifierType):
            names = inner.names
            return " ".join(names) if len(names) == 1 else " ".join(sorted(names))
        if isinstance(inner, c_ast.Struct):
            return f"struct {inner.name}"
        if isinstance(inner, c_ast.Enum):
            return f"enum {inner.name}"
        raise GenerationError(f"unsupported type {self.cgen.visit(node)}")

    def _base(self, node: c_ast.TypeDecl) -> str:
        inner = node.type
        if isinstance(inner, c_ast.Struct):
            if inner.name in self.struct_names:
                return self.struct_names[inner.name]
            raise GenerationError(f"struct {inner.name} is not part of the library")
        if isinstance(inner, c_ast.Enum):
            return "ctypes.c_int"
        name = self._base_name(node)
        if name == "void":
            return "None"
        if name in self.struct_names:
            return self.struct_names[name]
        if name in self.alias_names:
            return name
        if name in SCALARS:
            return SCALARS[name]
        if name in self.typedefs:
            return self.ctype(self.typedefs[name])
        raise GenerationError(f"unknown type {name}")

    def field_list(self, decls: list) -> list[tuple[str, str, str]]:
        """(name, ctypes expression, C declaration) for each field of a struct."""
        fields = []
        for decl in decls:
            if decl.bitsize is not None:
                raise GenerationError(f"bitfield {decl.name} is not supported")
            fields.append((decl.name, self.ctype(decl.type), self.cgen.visit(decl)))
        return fields

    # -- output ----------------------------------------------------------------------------

    def render(self, source: str, macros: list[tuple[str, int]]) -> str:
        """The complete text of the generated module."""
        clash = sorted(set(dict(macros)) & set(self.enum_values))
        if clash:
            raise GenerationError(f"names defined both as macro and enum constant: {clash}")
        out = [
            "# Generated by tools/gen_capi.py from " + source + ". DO NOT EDIT.",
            "# Regenerate with `make capi`; a test fails when this file is stale.",
            '"""ctypes declarations of libinferkit (generated from ' + source + ', do not edit).',
            "",
            "Constants, types and function signatures of the C header, one to one. Call",
            "``bind(lib)`` on a loaded ``ctypes.CDLL`` to set every function's argtypes and restype.",
            '"""',
            "",
            "import ctypes",
            "",
        ]
        out += ["", "# " + "-" * 33 + " macros " + "-" * 33, ""]
        for name, value in macros:
            out.append(f"{name} = {value}")
        if self.enums:
            out += ["", "", "# " + "-" * 29 + " enum constants " + "-" * 29]
        for enum_name, constants in self.enums:
            label = f"enum {enum_name}" if enum_name else "anonymous enum"
            out += ["", f"# {label}"]
            for name, value in constants:
                out.append(f"{name} = {value}")
        if self.aliases or self.structs:
            out += ["", "", "# " + "-" * 33 + " types " + "-" * 34]
        for name, decls in self.structs:
            kind = "Opaque handle" if decls is None else "Struct"
            suffix = ", used through ctypes.POINTER." if decls is None else "."
            out += ["", "", f"class {name}(ctypes.Structure):",
                    f'    """{kind} ``{name}`` of the C header{suffix}"""']
            if decls is None:
                out += ["", "    _fields_ = []"]
        if self.aliases:
            out += ["", ""] if self.structs else [""]
        for name, expression in self.aliases:
            out.append(f"{name} = {expression}")
        for name, decls in self.structs:
            if decls is None:
                continue
            out += ["", "", f"{name}._fields_ = ["]
            for field, expression, declaration in self.field_list(decls):
                out.append(f'    ("{field}", {expression}),  # {declaration}')
            out.append("]")
        out += ["", "", "# " + "-" * 31 + " functions " + "-" * 32, "",
                "#: Every function of the header: name -> (restype, argtypes), in header order.",
                "SIGNATURES = {"]
        for name, decl in self.functions:
            func = decl.type
            restype = self.ctype(func.type, is_return=True)
            args = self.argtypes(func)
            prototype = self.cgen.visit(decl)
            out += ["    # " + line for line in textwrap.wrap(
                prototype, 92, subsequent_indent="    ", break_long_words=False)]
            if not args:
                out.append(f'    "{name}": ({restype}, ()),')
            else:
                one_line = f'    "{name}": ({restype}, ({", ".join(args)},)),'
                if len(one_line) <= 100:
                    out.append(one_line)
                else:
                    out.append(f'    "{name}": (')
                    out.append(f"        {restype},")
                    out.append("        (")
                    for arg in args:
                        out.append(f"            {arg},")
                    out.append("        ),")
                    out.append("    ),")
        out.append("}")
        out += ["", "#: Names of every function declared in the header, in header order.",
                "FUNCTIONS = ("]
        for name, _ in self.functions:
            out.append(f'    "{name}",')
        out.append(")")
        out += [
            "",
            "",
            "def bind(lib):",
            '    """Set ``argtypes`` and ``restype`` of every header function on ``lib``.',
            "",
            "    ``lib`` is a loaded ``ctypes.CDLL``. Raises ``AttributeError`` naming every",
            "    function the library does not export (a library older than the header).",
            "    Returns ``lib``.",
            '    """',
            "    missing = [name for name in FUNCTIONS if not hasattr(lib, name)]",
            "    if missing:",
            "        raise AttributeError(",
            '            "the library does not export: " + ", ".join(missing)',
            "        )",
            "    for name, (restype, argtypes) in SIGNATURES.items():",
            "        function = getattr(lib, name)",
            "        function.restype = restype",
            "        function.argtypes = list(argtypes)",
            "    return lib",
            "",
        ]
        return "\n".join(out)


def generate(header: str) -> str:
    """The text of ``_capi.py`` for ``header``."""
    with open(header, encoding="utf-8") as f:
        raw = f.read()
    text = preprocess(header)
    ast = c_parser.CParser().parse(text, header)
    generator = Generator(ast)
    generator.collect()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = os.path.relpath(os.path.abspath(header), repo)
    if source.startswith(".."):
        source = os.path.basename(header)
    return generator.render(source.replace(os.sep, "/"), read_macros(raw))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("header", help="the C header, e.g. include/inferkit.h")
    parser.add_argument("output", help="the module to write, e.g. bindings/python/inferkit/_capi.py")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when OUTPUT differs from the generated text")
    args = parser.parse_args(argv)
    try:
        text = generate(args.header)
    except GenerationError as error:
        print(f"gen_capi: {error}", file=sys.stderr)
        return 2
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            print(f"gen_capi: {args.output} does not exist; run `make capi`", file=sys.stderr)
            return 1
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(),
                                        args.output, "generated", lineterm="", n=1)
            print("\n".join(list(diff)[:60]), file=sys.stderr)
            print(f"gen_capi: {args.output} is stale; run `make capi`", file=sys.stderr)
            return 1
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
