#!/usr/bin/python3
"""Reference for k-fold evaluation (issue 4): scikit-learn's cross_validate on the project's own folds.

The project's folds are deterministic (server/src/data/frame/splits.ts, kFold): a Mulberry32 permutation shuffled by
Fisher-Yates, its rows taken class by class (ascending class code, sorted labels) and dealt round-robin into k folds.
This script reproduces them bit for bit, then scores DecisionTreeClassifier(max_depth=3, random_state=0) on
examples/data/iris.csv with exactly those folds (PredefinedSplit) via cross_validate, and writes
test/fixtures/sklearn/kfold_iris_tree.json; and LinearRegression on examples/data/diabetes.csv with unstratified
folds (k=5, seed 3) into test/fixtures/sklearn/kfold_diabetes_linear.json (tests never call Python). Run from the repository root:
    /usr/bin/python3 scripts/reference/kfold.py
"""
import csv
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import PredefinedSplit, cross_validate
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'sklearn', 'kfold_iris_tree.json')
M32 = 0xFFFFFFFF


def mulberry32(seed):
    """server/src/data/random.ts seededRandom: Mulberry32 with the seed xor 0x9e3779b9, floats in [0, 1)."""
    a = (seed & M32) ^ 0x9E3779B9

    def imul(x, y):
        return (x * y) & M32

    def rnd():
        nonlocal a
        a = (a + 0x6D2B79F5) & M32
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return rnd


def permutation(n, rnd):
    """server/src/data/random.ts permutation: Fisher-Yates (Durstenfeld) from the last index down."""
    items = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rnd() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def kfold(n, k, seed, classes=None):
    order = permutation(n, mulberry32(seed))
    fold = [0] * n
    if classes is None:
        for r, i in enumerate(order):
            fold[i] = r % k
        return fold
    dealt = 0
    for c in sorted(set(classes)):
        for i in order:
            if classes[i] == c:
                fold[i] = dealt % k
                dealt += 1
    return fold


def diabetes():
    with open(os.path.join(ROOT, 'examples', 'data', 'diabetes.csv'), newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index('progression')
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body])
    y = np.array([float(r[t]) for r in body])
    k, seed = 5, 3
    fold = kfold(len(y), k, seed)
    scores = cross_validate(LinearRegression(), x, y, cv=PredefinedSplit(fold),
                            scoring=['neg_root_mean_squared_error', 'neg_mean_absolute_error', 'r2'])
    rmse = -scores['test_neg_root_mean_squared_error']
    out = {
        'sklearn': sklearn.__version__, 'data': 'examples/data/diabetes.csv', 'target': 'progression',
        'model': 'LinearRegression()', 'k': k, 'seed': seed, 'fold_of_row': fold,
        'rmse': rmse.tolist(), 'rmse_mean': float(rmse.mean()), 'rmse_std': float(rmse.std()),
        'mae': (-scores['test_neg_mean_absolute_error']).tolist(), 'r2': scores['test_r2'].tolist(),
    }
    path = os.path.join(ROOT, 'test', 'fixtures', 'sklearn', 'kfold_diabetes_linear.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(path, [round(v, 4) for v in rmse], round(out['rmse_mean'], 4), round(out['rmse_std'], 4))


def main():
    diabetes()
    with open(os.path.join(ROOT, 'examples', 'data', 'iris.csv'), newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index('species')
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body])
    labels = [r[t] for r in body]
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    k, seed = 5, 7
    fold = kfold(len(y), k, seed, list(y))
    scores = cross_validate(DecisionTreeClassifier(max_depth=3, random_state=0), x, y, cv=PredefinedSplit(fold),
                            scoring=['accuracy', 'balanced_accuracy', 'f1_macro'])
    acc = scores['test_accuracy']
    out = {
        'sklearn': sklearn.__version__, 'data': 'examples/data/iris.csv', 'target': 'species', 'classes': classes,
        'model': 'DecisionTreeClassifier(max_depth=3, random_state=0)', 'k': k, 'seed': seed,
        'fold_of_row': fold, 'fold_sizes': [fold.count(f) for f in range(k)],
        'accuracy': acc.tolist(), 'accuracy_mean': float(acc.mean()), 'accuracy_std': float(acc.std()),
        'balanced_accuracy': scores['test_balanced_accuracy'].tolist(), 'f1_macro': scores['test_f1_macro'].tolist(),
    }
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(OUT, out['fold_sizes'], [round(a, 4) for a in acc], round(out['accuracy_mean'], 4), round(out['accuracy_std'], 4))


if __name__ == '__main__':
    main()
