#!/usr/bin/python3
"""Peer figure for bench/explain.mjs: scikit-learn's permutation_importance on the SAME fitted linear model and data.

Reads a JSON file {x: [[...]], y: [...], coef: [...], intercept: float, repeats: int}, sets the coefficients on a
LinearRegression (no refit), then answers each line "time" read from stdin with one JSON line {ms, cpuMs, means}:
one permutation_importance(scoring="neg_mean_squared_error", n_jobs=1) call timed with time.perf_counter (wall) and
time.process_time (CPU of the process, all its threads). Staying
alive between calls lets the bench interleave its own runs with these in one session (no interpreter start-up in
between). Ends at end of input.
Run: /usr/bin/python3 scripts/reference/explain_bench.py DATA.json
"""
import json
import sys
import time

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression


def main():
    with open(sys.argv[1]) as f:
        d = json.load(f)
    x = np.asarray(d["x"], dtype=float)
    y = np.asarray(d["y"], dtype=float)
    model = LinearRegression()
    model.coef_ = np.asarray(d["coef"], dtype=float)
    model.intercept_ = float(d["intercept"])
    model.n_features_in_ = x.shape[1]
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() != "time":
            continue
        t0 = time.perf_counter()
        c0 = time.process_time()
        r = permutation_importance(model, x, y, n_repeats=int(d["repeats"]), random_state=0, scoring="neg_mean_squared_error", n_jobs=1)
        cpu_ms = (time.process_time() - c0) * 1000
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"ms": ms, "cpuMs": cpu_ms, "means": r.importances_mean.tolist()}), flush=True)


if __name__ == "__main__":
    main()
