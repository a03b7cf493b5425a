"""Locate and load ``libinferkit.so`` and bind its functions with the generated signatures.

Search order:

1. the environment variable ``INFERKIT_LIBRARY`` (a path to the shared library), which
   overrides everything else and is the only place tried when it is set;
2. ``<repo>/build/libinferkit.so``, where this file lives in ``<repo>/bindings/python/inferkit``
   (the result of ``make lib``);
3. ``libinferkit.so`` or ``libinferkit.so.0`` next to the package (an installed copy);
4. ``ctypes.util.find_library("inferkit")`` (the system library path).
"""

import ctypes
import ctypes.util
import os

from . import _capi

#: Environment variable that names the library file to load.
ENV_VAR = "INFERKIT_LIBRARY"

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_REPO_ROOT = os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..", ".."))


def candidate_paths():
    """The library paths to try, in order, as a list of ``(description, path)`` pairs."""
    override = os.environ.get(ENV_VAR)
    if override:
        return [(f"${ENV_VAR}", override)]
    candidates = [("the repository's build directory",
                   os.path.join(_REPO_ROOT, "build", "libinferkit.so"))]
    for name in ("libinferkit.so", "libinferkit.so.0"):
        candidates.append(("next to the package", os.path.join(_PACKAGE_DIR, name)))
    found = ctypes.util.find_library("inferkit")
    candidates.append(("ctypes.util.find_library('inferkit')", found))
    return candidates


def load():
    """Load the library, bind every header function to it and return the ``ctypes.CDLL``.

    Raises ``ImportError`` naming every path tried when no library can be loaded, or when the
    library found does not export every function of the header.
    """
    tried = []
    for description, path in candidate_paths():
        if not path:
            tried.append(f"  {description}: not found")
            continue
        if os.sep in path and not os.path.exists(path):
            tried.append(f"  {path} ({description}): no such file")
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as error:
            tried.append(f"  {path} ({description}): {error}")
            continue
        try:
            return _capi.bind(lib)
        except AttributeError as error:
            raise ImportError(
                f"{path} is older than the header inferkit was generated from ({error}); "
                "rebuild it with `make lib` in the repository root"
            ) from None
    raise ImportError(
        "inferkit could not find libinferkit.so. Tried:\n" + "\n".join(tried) + "\n"
        "Build it with `make lib` in the repository root, or set "
        f"{ENV_VAR} to the path of libinferkit.so."
    )


#: The loaded and bound library, shared by the whole package.
lib = load()
