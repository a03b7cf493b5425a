"""pytest configuration: import ``inferkit`` from this checkout (bindings/python)."""

import os
import sys

#: bindings/python, the directory that holds the ``inferkit`` package.
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The repository root (bindings/python/tests -> ../../..).
REPO_ROOT = os.path.dirname(os.path.dirname(PYTHON_DIR))

if PYTHON_DIR not in sys.path:
    sys.path.insert(0, PYTHON_DIR)
