#!/usr/bin/env python3
"""Convert the NIST StRD datasets (JSON) into plain text files that C reads with scanf.

Usage: nist_to_text.py OUTDIR

Linear datasets go to OUTDIR/<Name>.txt (format below), nonlinear ones to
OUTDIR/nonlinear/<Name>.txt with OUTDIR/nonlinear/index.txt (format in convert_nonlinear).

Reads <shared>/reference/nist/linear/*.json, where <shared> is $INFERKIT_SHARED or else
<repo>/../shared, and writes OUTDIR/<Name>.txt for each dataset plus OUTDIR/index.txt (one
name per line). Floats are written with repr(), which round-trips every double exactly.

Format of <Name>.txt: whitespace-separated "key value..." records, in this order:
    name <Name>
    n <observations>  k <parameters>  design <polynomial|columns>  intercept <0|1>
    degree <d>        (polynomial degree, or number of x columns for "columns")
    xcols <m>         (numbers per x row: 1, or 6 for Longley)
    x <n rows of m numbers>
    y <n numbers>
    certified_values <k numbers>
    certified_std_errors <k numbers>
    residual_std_dev <v>
    r_squared <v>
"""
import json
import os
import pathlib
import sys


def shared_dir():
    env = os.environ.get("INFERKIT_SHARED")
    if env:
        return pathlib.Path(env)
    repo = pathlib.Path(__file__).resolve().parents[3]
    return repo.parent / "shared"


def num(v):
    return repr(float(v))


def convert(src, dst):
    d = json.loads(src.read_text())
    design = d["design"]
    n, k = int(d["n_observations"]), len(d["params"])
    if design["type"] == "polynomial":
        degree = int(design["degree"])
        rows = [[v] for v in d["x"]]
    elif design["type"] == "columns":
        degree = int(design["n_columns"])
        rows = d["x"]
    else:
        raise ValueError(f"{src.name}: unknown design type {design['type']!r}")
    if len(rows) != n or len(d["y"]) != n:
        raise ValueError(f"{src.name}: x or y does not have {n} rows")
    xcols = len(rows[0])
    lines = [
        f"name {d['name']}",
        f"n {n}",
        f"k {k}",
        f"design {design['type']}",
        f"intercept {1 if design['intercept'] else 0}",
        f"degree {degree}",
        f"xcols {xcols}",
        "x",
    ]
    for row in rows:
        if len(row) != xcols:
            raise ValueError(f"{src.name}: ragged x rows")
        lines.append(" ".join(num(v) for v in row))
    lines.append("y")
    lines.extend(num(v) for v in d["y"])
    lines.append("certified_values " + " ".join(num(v) for v in d["certified_values"]))
    lines.append("certified_std_errors " + " ".join(num(v) for v in d["certified_std_errors"]))
    lines.append("residual_std_dev " + num(d["residual_std_dev"]))
    lines.append("r_squared " + num(d["r_squared"]))
    dst.write_text("\n".join(lines) + "\n")
    return d["name"]


def convert_nonlinear(src, dst):
    """One nonlinear dataset as records, in this order:
        name <Name>
        model <the formula, the rest of the line>
        n <observations>  k <parameters>  inputs <predictors>
        input_names <names>  param_names <names>
        x <n rows of `inputs` numbers>
        y <n numbers>          (for Nelson already log(y), the response NIST fits)
        start1 <k>  start2 <k>  certified_values <k>  certified_std_errors <k>
    """
    import math

    d = json.loads(src.read_text())
    n, k = int(d["n_observations"]), len(d["params"])
    inputs = d["predictors"]
    rows = [[v] for v in d["x"]] if len(inputs) == 1 else d["x"]
    y = [float(v) for v in d["y"]]
    if d["response"] == "log(y)":
        y = [math.log(v) for v in y]
    elif d["response"] != "y":
        raise ValueError(f"{src.name}: unknown response {d['response']!r}")
    if len(rows) != n or len(y) != n:
        raise ValueError(f"{src.name}: x or y does not have {n} rows")
    lines = [
        f"name {d['name']}",
        f"model {d['model']}",
        f"n {n}",
        f"k {k}",
        f"inputs {len(inputs)}",
        "input_names " + " ".join(inputs),
        "param_names " + " ".join(d["params"]),
        "x",
    ]
    lines += [" ".join(num(v) for v in row) for row in rows]
    lines.append("y")
    lines += [num(v) for v in y]
    for key in ("start1", "start2", "certified_values", "certified_std_errors"):
        lines.append(key + " " + " ".join(num(v) for v in d[key]))
    dst.write_text("\n".join(lines) + "\n")
    return d["name"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: nist_to_text.py OUTDIR")
    src_dir = shared_dir() / "reference" / "nist" / "linear"
    files = sorted(src_dir.glob("*.json"))
    if not files:
        sys.exit(f"nist_to_text.py: no NIST linear datasets in {src_dir} "
                 "(set INFERKIT_SHARED to the shared folder)")
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    names = [convert(f, out / (f.stem + ".txt")) for f in files]
    (out / "index.txt").write_text("\n".join(names) + "\n")
    print(f"nist_to_text.py: {len(names)} datasets from {src_dir}")
    nonlinear_dir = shared_dir() / "reference" / "nist" / "nonlinear"
    files = sorted(nonlinear_dir.glob("*.json"))
    if not files:
        sys.exit(f"nist_to_text.py: no NIST nonlinear datasets in {nonlinear_dir}")
    (out / "nonlinear").mkdir(exist_ok=True)
    names = [convert_nonlinear(f, out / "nonlinear" / (f.stem + ".txt")) for f in files]
    (out / "nonlinear" / "index.txt").write_text("\n".join(names) + "\n")
    print(f"nist_to_text.py: {len(names)} nonlinear datasets from {nonlinear_dir}")


if __name__ == "__main__":
    main()
