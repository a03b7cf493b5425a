"""The README's examples compile and run as written."""
import os
import re
import subprocess
import sys

from conftest import REPO_ROOT

README = os.path.join(REPO_ROOT, "README.md")


def blocks(language):
    with open(README) as f:
        text = f.read()
    return re.findall(r"```" + language + r"\n(.*?)```", text, flags=re.S)


def test_c_example_is_the_tested_example_file():
    (code,) = blocks("c")
    with open(os.path.join(REPO_ROOT, "bindings", "c", "examples", "fit_line.c")) as f:
        assert code == f.read()


def test_c_example_compiles_and_runs(tmp_path):
    (code,) = blocks("c")
    src = tmp_path / "example.c"
    src.write_text(code)
    exe = tmp_path / "example"
    build = os.path.join(REPO_ROOT, "build")
    subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                    "-I" + os.path.join(REPO_ROOT, "include"), str(src), "-L" + build,
                    "-linferkit", "-Wl,-rpath," + build, "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    assert "slope" in out and "chi2" in out


def test_python_example_runs():
    (code,) = blocks("python")
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO_ROOT, "bindings", "python"))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env=env).stdout
    assert "(4, 2) (2, 4, 4)" in out
    assert "3 y[0] is NaN" in out
