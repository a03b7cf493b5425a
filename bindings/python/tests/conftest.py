"""pytest configuration: import ``inferkit`` from this checkout (bindings/python)."""

import os
import sys

#: bindings/python, the directory that holds the ``inferkit`` package.
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The repository root (bindings/python/tests -> ../../..).
REPO_ROOT = os.path.dirname(os.path.dirname(PYTHON_DIR))

if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)


def squash(text):
    """Lower-case ``text`` without blanks, so "A[2, 5]" and "a[2,5]" compare equal."""
    return "".join(str(text).lower().split())


def assert_error(excinfo, cls, code, *culprits):
    """The raised exception is exactly ``cls`` with ``code``, an InferKitError, and its
    message names every culprit."""
    import inferkit

    error = excinfo.value
    assert type(error) is cls, f"{type(error).__name__}: {error}"
    assert error.code == code
    assert isinstance(error, inferkit.InferKitError)
    message = squash(error)
    for culprit in culprits:
        assert squash(culprit) in message, f"{culprit!r} not in message {str(error)!r}"
