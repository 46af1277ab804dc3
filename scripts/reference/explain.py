#!/usr/bin/python3
"""Reference values for the explanation engine's tests, from Debian's python3-sklearn (1.2.1).

Writes test/fixtures/sklearn/explain_iris_tree.json: a DecisionTreeClassifier (gini, random_state=0, default
settings) fitted on examples/data/iris.csv, its `tree_` arrays (value as class fractions), and for each of the
150 samples the node indices of `decision_path` and the leaf of `apply`. Tests rebuild the same tree from the
arrays and compare their decision paths node for node.

Writes test/fixtures/sklearn/explain_diabetes.json: the scikit-learn user guide's permutation importance case
(Ridge(alpha=1e-2) on the scaled diabetes data, train_test_split(random_state=0), permutation_importance with
n_repeats=30, random_state=0, the default R² score). The raw CSV is scaled as load_diabetes(scaled=True) does:
each column centered and divided by its root sum of squares. Exports the split indices, the Ridge coefficients
and the importances, so a test can fit on the same rows and compare.

Run: /usr/bin/python3 scripts/reference/explain.py
"""
import csv
import json
import os

import numpy as np
import sklearn
from sklearn.inspection import permutation_importance
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_iris():
    with open(os.path.join(ROOT, "examples/data/iris.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    x = np.array([[float(r[c]) for c in features] for r in rows])
    labels = [r["species"] for r in rows]
    return features, x, labels


def diabetes():
    with open(os.path.join(ROOT, "examples/data/diabetes.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    features = [c for c in rows[0].keys() if c != "progression"]
    raw = np.array([[float(r[c]) for c in features] for r in rows])
    y = np.array([float(r["progression"]) for r in rows])
    centered = raw - raw.mean(axis=0)
    x = centered / np.sqrt((centered ** 2).sum(axis=0))
    idx = np.arange(len(y))
    x_train, x_val, y_train, y_val, i_train, i_val = train_test_split(x, y, idx, random_state=0)
    model = Ridge(alpha=1e-2).fit(x_train, y_train)
    r = permutation_importance(model, x_val, y_val, n_repeats=30, random_state=0)
    out = {
        "generator": "scripts/reference/explain.py",
        "sklearn": sklearn.__version__,
        "model": "Ridge(alpha=1e-2)",
        "features": features,
        "train_indices": i_train.tolist(),
        "validation_indices": i_val.tolist(),
        "coef": model.coef_.tolist(),
        "intercept": float(model.intercept_),
        "validation_r2": float(model.score(x_val, y_val)),
        "importances_mean": r.importances_mean.tolist(),
        "importances_std": r.importances_std.tolist(),
    }
    path = os.path.join(ROOT, "test/fixtures/sklearn/explain_diabetes.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    order = np.argsort(-r.importances_mean)
    print(f"wrote {path}: " + ", ".join(f"{features[j]} {r.importances_mean[j]:.3f} +/- {r.importances_std[j]:.3f}" for j in order[:5]))


def main():
    features, x, labels = load_iris()
    classes = sorted(set(labels))
    y = np.array([classes.index(l) for l in labels])
    tree = DecisionTreeClassifier(random_state=0).fit(x, y)
    t = tree.tree_
    value = t.value[:, 0, :]
    paths = tree.decision_path(x)
    out = {
        "generator": "scripts/reference/explain.py",
        "sklearn": sklearn.__version__,
        "model": "DecisionTreeClassifier(random_state=0)",
        "features": features,
        "classes": classes,
        "tree": {
            "children_left": t.children_left.tolist(),
            "children_right": t.children_right.tolist(),
            "feature": t.feature.tolist(),
            "threshold": t.threshold.tolist(),
            "impurity": t.impurity.tolist(),
            "n_node_samples": t.n_node_samples.tolist(),
            "value": (value / value.sum(axis=1, keepdims=True)).tolist(),
        },
        "paths": [paths.indices[paths.indptr[i]:paths.indptr[i + 1]].tolist() for i in range(x.shape[0])],
        "leaves": tree.apply(x).tolist(),
        "predict_proba": tree.predict_proba(x).tolist(),
    }
    path = os.path.join(ROOT, "test/fixtures/sklearn/explain_iris_tree.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {path}: {t.node_count} nodes, depth {tree.get_depth()}")
    diabetes()


if __name__ == "__main__":
    main()
