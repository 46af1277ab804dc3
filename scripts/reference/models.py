#!/usr/bin/python3
"""Reference figures for the model families (issue 5), computed with Debian's scikit-learn.

Writes test/fixtures/sklearn/models.json, which the unit tests in test/unit/models/ read (tests never call
Python). Run from the repository root:  /usr/bin/python3 scripts/reference/models.py

Data: /work/shared/data copies in examples/data (iris.csv, wine.csv, breast_cancer.csv, diabetes.csv).
Class labels are encoded in sorted order (scikit-learn's LabelEncoder), as the project's label encoding does.
"""
import csv
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
DATA = os.path.join(ROOT, 'examples', 'data')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'sklearn', 'models.json')


def load(name, target):
    with open(os.path.join(DATA, name), newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    features = [h for i, h in enumerate(header) if i != t]
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body], dtype=np.float64)
    y_raw = [r[t] for r in body]
    return features, x, y_raw


def encode(y_raw):
    classes = sorted(set(y_raw))
    return classes, np.array([classes.index(v) for v in y_raw])


# Tree settings shared by both sides: keys as in the project's TreeOptions.
TREE_SETTINGS = [
    {'criterion': 'gini', 'maxDepth': 3},
    {'criterion': 'entropy', 'maxDepth': 3},
    {'criterion': 'gini'},
    {'criterion': 'gini', 'minSamplesLeaf': 5, 'minSamplesSplit': 12},
    {'criterion': 'gini', 'maxLeafNodes': 6},
    {'criterion': 'entropy', 'ccpAlpha': 0.02},
]


def sk_tree_args(s):
    return dict(criterion=s['criterion'], max_depth=s.get('maxDepth'), min_samples_leaf=s.get('minSamplesLeaf', 1),
                min_samples_split=s.get('minSamplesSplit', 2), max_leaf_nodes=s.get('maxLeafNodes'),
                ccp_alpha=s.get('ccpAlpha', 0.0))


def tree_case(name, target):
    features, x, y_raw = load(name, target)
    classes, y = encode(y_raw)
    out = {'file': name, 'target': target, 'features': features, 'classes': classes, 'settings': []}
    for s in TREE_SETTINGS:
        per_seed = []
        # scikit-learn scans features in an order drawn from random_state: ties go to whichever comes first.
        for seed in range(10):
            m = DecisionTreeClassifier(random_state=seed, **sk_tree_args(s)).fit(x, y)
            t = m.tree_
            per_seed.append({
                'randomState': seed,
                'trainAccuracy': float((m.predict(x) == y).mean()),
                'nodeCount': int(t.node_count), 'leaves': int(m.get_n_leaves()), 'depth': int(m.get_depth()),
                'root': {'feature': features[t.feature[0]], 'threshold': float(t.threshold[0]),
                         'impurity': float(t.impurity[0])},
            })
        out['settings'].append({'options': s, 'runs': per_seed})
    return out


def linear_cases():
    features, x, y_raw = load('breast_cancer.csv', 'diagnosis')
    classes, y = encode(y_raw)
    n = len(y)
    rng = np.random.RandomState(0)
    order = rng.permutation(n)
    n_val = round(0.25 * n)
    val = sorted(int(i) for i in order[:n_val])
    train = sorted(int(i) for i in order[n_val:])
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    z = (x - mean) / std
    out = {'file': 'breast_cancer.csv', 'target': 'diagnosis', 'classes': classes,
           'standardize': 'z-score with mean and population std of the training rows',
           'trainIndices': train, 'validationIndices': val, 'svc': [], 'logistic': []}
    for loss in ('squared_hinge', 'hinge'):
        for c in (1.0, 0.1):
            m = LinearSVC(C=c, loss=loss, dual=True, max_iter=100000, tol=1e-6, random_state=0).fit(z[train], y[train])
            out['svc'].append({'loss': loss, 'C': c,
                               'validationAccuracy': float((m.predict(z[val]) == y[val]).mean()),
                               'trainAccuracy': float((m.predict(z[train]) == y[train]).mean()),
                               'weights': m.coef_[0].tolist(), 'intercept': float(m.intercept_[0])})
    for c in (1.0, 0.1):
        m = LogisticRegression(C=c, max_iter=10000, tol=1e-10).fit(z[train], y[train])
        p = m.predict_proba(z[val])[:, 1]
        out['logistic'].append({'C': c, 'validationAccuracy': float((m.predict(z[val]) == y[val]).mean()),
                                'weights': m.coef_[0].tolist(), 'intercept': float(m.intercept_[0]),
                                'validationProbabilities': p.tolist()})
    return out


def multinomial_case():
    features, x, y_raw = load('iris.csv', 'species')
    classes, y = encode(y_raw)
    m = LogisticRegression(C=1.0, max_iter=10000, tol=1e-10).fit(x, y)
    return {'file': 'iris.csv', 'target': 'species', 'classes': classes, 'C': 1.0,
            'weights': m.coef_.tolist(), 'intercepts': m.intercept_.tolist(),
            'trainAccuracy': float((m.predict(x) == y).mean())}


def regression_cases():
    features, x, y_raw = load('diabetes.csv', 'progression')
    y = np.array([float(v) for v in y_raw])
    ols = LinearRegression().fit(x, y)
    ridge = Ridge(alpha=10.0).fit(x, y)
    tree = DecisionTreeRegressor(max_depth=3, random_state=0).fit(x, y)
    return {'file': 'diabetes.csv', 'target': 'progression', 'features': features,
            'ols': {'weights': ols.coef_.tolist(), 'intercept': float(ols.intercept_)},
            'ridge': {'alpha': 10.0, 'weights': ridge.coef_.tolist(), 'intercept': float(ridge.intercept_)},
            'tree': {'options': {'criterion': 'squared_error', 'maxDepth': 3},
                     'trainMse': float(((tree.predict(x) - y) ** 2).mean()),
                     'nodeCount': int(tree.tree_.node_count),
                     'root': {'feature': features[tree.tree_.feature[0]], 'threshold': float(tree.tree_.threshold[0])}}}


def metrics_cases():
    """Classification metrics of fixed predictions: the inputs are stored too, so tests recompute them."""
    from sklearn import metrics as M
    cases = []
    rng = np.random.RandomState(3)
    for n_classes, n in ((2, 40), (3, 60)):
        y = rng.randint(0, n_classes, size=n)
        logits = rng.normal(size=(n, n_classes)) + 1.5 * np.eye(n_classes)[y]
        logits[:4] = logits[0]  # ties in the scores
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        pred = p.argmax(axis=1)
        auc = M.roc_auc_score(y, p[:, 1]) if n_classes == 2 else M.roc_auc_score(y, p, multi_class='ovr', average='macro')
        cases.append({'nClasses': n_classes, 'yTrue': y.tolist(), 'probabilities': p.tolist(),
                      'accuracy': M.accuracy_score(y, pred), 'balancedAccuracy': M.balanced_accuracy_score(y, pred),
                      'precision': M.precision_score(y, pred, average='macro', zero_division=0),
                      'recall': M.recall_score(y, pred, average='macro', zero_division=0),
                      'f1': M.f1_score(y, pred, average='macro', zero_division=0),
                      'rocAuc': auc, 'logLoss': M.log_loss(y, p, labels=list(range(n_classes))),
                      'confusion': M.confusion_matrix(y, pred, labels=list(range(n_classes))).tolist()})
    yt = np.array([3.0, -0.5, 2.0, 7.0, 100.0])
    yp = np.array([2.5, 0.0, 2.0, 8.0, 90.0])
    return {'classification': cases,
            'mape': {'yTrue': yt.tolist(), 'yPred': yp.tolist(), 'value': M.mean_absolute_percentage_error(yt, yp)}}


def main():
    result = {
        'generatedBy': 'scripts/reference/models.py',
        'versions': {'python': sys.version.split()[0], 'sklearn': sklearn.__version__, 'numpy': np.__version__},
        'trees': [tree_case('iris.csv', 'species'), tree_case('wine.csv', 'cultivar'),
                  tree_case('breast_cancer.csv', 'diagnosis')],
        'linear': linear_cases(),
        'multinomial': multinomial_case(),
        'regression': regression_cases(),
        'metrics': metrics_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print(f'wrote {OUT}')


if __name__ == '__main__':
    main()
