"""Reference figures for test/unit/data/reference.test.ts: scikit-learn 1.2.1 / pandas 1.5.3 / NumPy on penguins.csv.

The training rows are fixed here (row index i with i % 5 != 0, 0-based over the data rows) so that the JavaScript
side can fit on exactly the same rows. Writes test/fixtures/data/penguins-reference.json.
Run: /usr/bin/python3 scripts/reference/data_penguins.py
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.feature_selection import VarianceThreshold, f_classif
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import MinMaxScaler, StandardScaler

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
MISSING = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "."]
df = pd.read_csv(os.path.join(ROOT, "examples", "data", "penguins.csv"), na_values=MISSING, keep_default_na=False)
num = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
train = [i for i in range(len(df)) if i % 5 != 0]
tr = df.iloc[train]

mean_imp = SimpleImputer(strategy="mean").fit(tr[num])
median_imp = SimpleImputer(strategy="median").fit(tr[num])
mf_sex = SimpleImputer(strategy="most_frequent").fit(tr[["Sex"]])
filled = pd.DataFrame(mean_imp.transform(tr[num]), columns=num)
scaler = StandardScaler().fit(filled)
minmax = MinMaxScaler().fit(filled)
q1, q3 = np.percentile(tr[num].dropna(), [25, 75], axis=0)
y = tr["Species"].astype("category").cat.codes.to_numpy()
f, _ = f_classif(filled.to_numpy(), y)
variances = VarianceThreshold().fit(filled).variances_

out = {
    "train": "rows i with i % 5 != 0",
    "trainRows": len(train),
    "imputeMean": dict(zip(num, mean_imp.statistics_.tolist())),
    "imputeMedian": dict(zip(num, median_imp.statistics_.tolist())),
    "imputeSex": mf_sex.statistics_[0],
    "standardize": {c: {"mean": m, "std": s} for c, m, s in zip(num, scaler.mean_.tolist(), scaler.scale_.tolist())},
    "minMax": {c: {"min": a, "max": b} for c, a, b in zip(num, minmax.data_min_.tolist(), minmax.data_max_.tolist())},
    "iqr": {c: {"q1": a, "q3": b} for c, a, b in zip(num, q1.tolist(), q3.tolist())},
    "fClassif": dict(zip(num, f.tolist())),
    "variances": dict(zip(num, variances.tolist())),
    "islandCategories": sorted(tr["Island"].dropna().unique().tolist()),
    "versions": {"pandas": pd.__version__, "numpy": np.__version__, "sklearn": __import__("sklearn").__version__},
}
path = os.path.join(ROOT, "test", "fixtures", "data", "penguins-reference.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=2)
    fh.write("\n")
print(path)
