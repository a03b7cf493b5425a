"""The checked-in ctypes layer must be what tools/gen_capi.py generates from the header."""

import os
import re
import subprocess
import sys

from conftest import REPO_ROOT


def test_capi_is_up_to_date():
    """`gen_capi.py --check` passes: _capi.py matches include/inferkit.h (else `make capi`)."""
    proc = subprocess.run(
        [
            sys.executable,
            os.path.join("tools", "gen_capi.py"),
            "--check",
            os.path.join("include", "inferkit.h"),
            os.path.join("bindings", "python", "inferkit", "_capi.py"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, (
        "bindings/python/inferkit/_capi.py is stale; run `make capi`\n" + proc.stderr
    )


def test_capi_lists_every_header_function():
    """FUNCTIONS names every ik_ function declared in the header, and SIGNATURES matches it."""
    from inferkit import _capi

    with open(os.path.join(REPO_ROOT, "include", "inferkit.h"), encoding="utf-8") as f:
        header = f.read()
    header = re.sub(r"/\*.*?\*/", "", header, flags=re.S)
    declared = re.findall(r"\b(ik_[a-z0-9_]+)\s*\(", header)
    assert list(dict.fromkeys(declared)) == list(_capi.FUNCTIONS)
    assert tuple(_capi.SIGNATURES) == _capi.FUNCTIONS
