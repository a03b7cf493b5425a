"""NIST StRD linear least-squares datasets: digits of agreement with the certified values.

The datasets are read from ``<repo>/../shared/reference/nist/linear`` (the environment
variable ``INFERKIT_SHARED`` overrides the shared directory). A missing file is a failure,
not a skip. Run with ``-s`` to see the table of achieved digits.

LRE (log relative error) = -log10(|est - cert| / |cert|), or -log10(|est|) when cert == 0,
clipped to [0, 15].
"""

import json
import math
import os

import numpy as np
import pytest

import inferkit
from conftest import REPO_ROOT

#: Every linear dataset of the StRD.
DATASETS = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
            "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

#: The polynomial datasets with an intercept, fitted with polyfit and with raw lstsq.
POLYNOMIAL = ["Norris", "Pontius", "Filip", "Wampler1", "Wampler2", "Wampler3", "Wampler4",
              "Wampler5"]

#: Digits required of every parameter, standard error, residual SD and R^2.
MIN_DIGITS = 9.0

#: Digits required of lstsq on the raw power design (x^0..x^d, no scaling by the caller),
#: over the parameters and standard errors. 0 means the fit may also refuse the design as
#: numerically rank-deficient (SingularError); the digits are then only reported.
# Filip's raw power matrix x^0..x^10 (x in [-9, -3]) is itself rounded when numpy forms it:
# each x^k carries a relative error of about 1e-16, and with the equilibrated condition number
# 5.5e9 that perturbation alone moves the exact least-squares solution of the rounded matrix
# by about 5e-7 relative. InferKit's refinement converges to that solution (7.6 digits from
# the certified one); polyfit, which forms the design itself, gets 13.6.
RAW_LSTSQ_MIN_DIGITS = {
    "Norris": 9.0,
    "Pontius": 9.0,
    "Filip": 7.0,
    "Wampler1": 9.0,
    "Wampler2": 9.0,
    "Wampler3": 9.0,
    "Wampler4": 9.0,
    "Wampler5": 9.0,
}

#: Rows of the digits table printed at the end of the module (visible with -s).
TABLE = []


def shared_dir():
    """The shared directory: $INFERKIT_SHARED, else <repo>/../shared."""
    return os.environ.get("INFERKIT_SHARED") or os.path.join(os.path.dirname(REPO_ROOT), "shared")


def load(name):
    """The dataset ``name`` as a dict (fails when the file is missing)."""
    path = os.path.join(shared_dir(), "reference", "nist", "linear", f"{name}.json")
    assert os.path.isfile(path), (
        f"NIST dataset {path} is missing (set INFERKIT_SHARED to the shared directory)"
    )
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def lre(estimate, certified):
    """Digits of agreement, clipped to [0, 15]."""
    estimate, certified = float(estimate), float(certified)
    if not math.isfinite(estimate):
        return 0.0
    if certified == 0.0:
        error = abs(estimate)
    else:
        error = abs(estimate - certified) / abs(certified)
    if error == 0.0:
        return 15.0
    return min(15.0, max(0.0, -math.log10(error)))


def design(data):
    """The certified model's design matrix for lstsq (NoInt: x only; Longley: [1, x1..x6])."""
    spec = data["design"]
    x = np.asarray(data["x"], dtype=np.float64)
    if spec["type"] == "columns":
        return np.column_stack([np.ones(x.shape[0]), x])
    powers = np.arange(0 if spec["intercept"] else 1, spec["degree"] + 1)
    return x[:, None] ** powers


def fit_dataset(data):
    """The fit the certified values describe: polyfit for polynomials with intercept."""
    y = np.asarray(data["y"], dtype=np.float64)
    spec = data["design"]
    if spec["type"] == "polynomial" and spec["intercept"]:
        return inferkit.polyfit(np.asarray(data["x"], dtype=np.float64), y, spec["degree"])
    return inferkit.lstsq(design(data), y)


def digits(fit, data):
    """Digits of each certified quantity: dict of name -> LRE (or list of LREs)."""
    return {
        "params": [lre(e, c) for e, c in zip(fit.params, data["certified_values"])],
        "stderr": [lre(e, c) for e, c in zip(fit.stderr, data["certified_std_errors"])],
        "resid_sd": lre(math.sqrt(fit.chi2 / fit.dof), data["residual_std_dev"]),
        "r2": lre(fit.r2, data["r_squared"]),
    }


@pytest.fixture(scope="module", autouse=True)
def digits_table():
    """Print the table of achieved digits after the module's tests."""
    yield
    if not TABLE:
        return
    print("\n\nNIST StRD linear: digits (LRE, min over parameters)")
    print(f"{'dataset':<10} {'fit':<8} {'params':>7} {'stderr':>7} {'res sd':>7} {'R2':>7}"
          f"  flags  steps  cond")
    for row in TABLE:
        print(f"{row[0]:<10} {row[1]:<8} {row[2]:>7.1f} {row[3]:>7.1f} {row[4]:>7.1f} "
              f"{row[5]:>7.1f}  {row[6]:>5}  {row[7]:>5}  {row[8]:.2e}")


@pytest.mark.parametrize("name", DATASETS)
def test_certified_values(name):
    """Every parameter, standard error, the residual SD and R^2 reach MIN_DIGITS."""
    data = load(name)
    fit = fit_dataset(data)
    assert fit.params.shape == (len(data["params"]),)
    assert fit.dof == data["degrees_of_freedom"]
    got = digits(fit, data)
    kind = "polyfit" if fit.basis is not None else "lstsq"
    TABLE.append((name, kind, min(got["params"]), min(got["stderr"]), got["resid_sd"],
                  got["r2"], fit.flags, fit.refinement_steps, fit.cond))
    failures = []
    for label in ("params", "stderr"):
        for param, value in zip(data["params"], got[label]):
            if value < MIN_DIGITS:
                failures.append(f"{label} {param}: {value:.1f} digits")
    for label in ("resid_sd", "r2"):
        if got[label] < MIN_DIGITS:
            failures.append(f"{label}: {got[label]:.1f} digits")
    assert not failures, f"{name} below {MIN_DIGITS} digits: " + "; ".join(failures)


def test_no_intercept_r2_is_uncentred():
    """Without a constant column R^2 is uncentred, as NIST certifies for NoInt1/NoInt2."""
    for name in ("NoInt1", "NoInt2"):
        data = load(name)
        fit = fit_dataset(data)
        y = np.asarray(data["y"], dtype=np.float64)
        assert lre(fit.r2, 1 - fit.chi2 / np.sum(y**2)) >= 14


@pytest.mark.parametrize("name", POLYNOMIAL)
def test_raw_power_design(name):
    """lstsq on the caller's raw power design x^0..x^d reaches RAW_LSTSQ_MIN_DIGITS."""
    data = load(name)
    minimum = RAW_LSTSQ_MIN_DIGITS[name]
    a = design(data)
    y = np.asarray(data["y"], dtype=np.float64)
    try:
        fit = inferkit.lstsq(a, y)
    except inferkit.SingularError as error:
        TABLE.append((name, "raw-sing", 0.0, 0.0, 0.0, 0.0, -1, -1, float("nan")))
        if minimum > 0:
            raise AssertionError(f"{name}: raw lstsq raised {error!r}") from error
        return
    got = digits(fit, data)
    TABLE.append((name, "raw", min(got["params"]), min(got["stderr"]), got["resid_sd"],
                  got["r2"], fit.flags, fit.refinement_steps, fit.cond))
    achieved = min(min(got["params"]), min(got["stderr"]))
    assert achieved >= minimum, (
        f"{name}: raw lstsq reaches {achieved:.1f} digits (params {min(got['params']):.1f}, "
        f"stderr {min(got['stderr']):.1f}), RAW_LSTSQ_MIN_DIGITS says {minimum}"
    )
