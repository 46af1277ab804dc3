"""The pandas side of bench/data.mjs: the same load + preprocessing steps on the same generated CSV.

Usage: python3 scripts/reference/data_bench_pandas.py FILE.csv
Prints one JSON line: {"ms": wall milliseconds of load + preprocess, "maxRssKb": peak resident set (KiB),
"rows": n, "features": n_features, "checksum": sum of all features, "sumsq": sum of their squares}.
Steps: read_csv with the same missing-value tokens; numeric columns imputed with their mean, categorical with
their most frequent value; one-hot of the categorical columns (get_dummies); z-score of the numeric columns with
the population std (ddof=0), as the JavaScript side.
"""
import json
import resource
import sys
import time

import pandas as pd

MISSING = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "."]

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], na_values=MISSING, keep_default_na=False)
num = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
cat = [c for c in df.columns if c not in num]
df[num] = df[num].fillna(df[num].mean())
for c in cat:
    counts = df[c].value_counts()
    top = sorted(counts[counts == counts.max()].index)[0]
    df[c] = df[c].fillna(top)
df[num] = (df[num] - df[num].mean()) / df[num].std(ddof=0)
# Indicators as bytes, as the JavaScript side stores them.
df = pd.get_dummies(df, columns=cat, dtype="uint8")
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({
    "ms": ms, "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "rows": len(df),
    "features": df.shape[1], "checksum": float(sum(df[c].astype("float64").sum() for c in df.columns)),
    "sumsq": float(sum((df[c].astype("float64") ** 2).sum() for c in df.columns)),
}))
