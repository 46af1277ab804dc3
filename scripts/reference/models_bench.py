#!/usr/bin/python3
"""Peer timings for bench/models.mjs (not a test reference): reads the bench's generated data and prints JSON.

  /usr/bin/python3 scripts/reference/models_bench.py DATA_DIR EPOCHS

DATA_DIR holds mlp_x.f32 / mlp_y.f32 (10 000 x 20 and 10 000 float32, little-endian) and tree_*.f64 files written
by the bench, and products.json (the [M, K, N] of one training step's matrix products). Times: PyTorch (Debian
python3-torch, one thread) MLP 20-64-64-1, Adam, MSE, batch 256, seconds per epoch, and those products alone;
scikit-learn MLPRegressor same shape via partial_fit; DecisionTreeClassifier fit times.
"""
import json
import os
import sys
import time

import numpy as np

data_dir, epochs = sys.argv[1], int(sys.argv[2])
out = {'versions': {'numpy': np.__version__}}
x = np.fromfile(os.path.join(data_dir, 'mlp_x.f32'), dtype='<f4').reshape(-1, 20)
y = np.fromfile(os.path.join(data_dir, 'mlp_y.f32'), dtype='<f4')

try:
    import torch
    out['versions']['torch'] = torch.__version__
    torch.set_num_threads(1)  # the bench also pins OpenBLAS to one thread: tfjs-wasm has one in Node
    out['torchThreads'] = torch.get_num_threads()
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y).reshape(-1, 1)
    gen = torch.Generator().manual_seed(0)

    def epoch():
        perm = torch.randperm(len(xt), generator=gen)
        for i in range(0, len(xt), 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        return float(loss)
    epoch()  # warm-up
    t, c = [], []
    for _ in range(epochs):
        t0, c0 = time.perf_counter(), time.process_time(); epoch(); t.append(time.perf_counter() - t0); c.append(time.process_time() - c0)
    out['torchEpochMs'] = 1000 * float(np.min(t))  # fastest epoch: least disturbed on a shared machine
    out['torchEpochCpuMs'] = 1000 * float(np.min(c))  # CPU time of the process (all its threads)
    # The same matrix products as one training step of ours (products.json: [M, K, N] each), µs per call.
    out['torchProductsUs'] = []
    for m_, k_, n_ in json.load(open(os.path.join(data_dir, 'products.json'))):
        a_, b_ = torch.randn(m_, k_), torch.randn(k_, n_)
        for _ in range(100):
            torch.mm(a_, b_)
        rounds = []  # the fastest of 5 rounds, as the bench times ours
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(500):
                torch.mm(a_, b_)
            rounds.append(1e6 * (time.perf_counter() - t0) / 500)
        out['torchProductsUs'].append(min(rounds))
except ImportError as e:
    out['torchError'] = str(e)

import sklearn
from sklearn.neural_network import MLPRegressor
from sklearn.tree import DecisionTreeClassifier
out['versions']['sklearn'] = sklearn.__version__
m = MLPRegressor(hidden_layer_sizes=(64, 64), batch_size=256, learning_rate_init=1e-3, random_state=0)
m.partial_fit(x, y)  # warm-up
t, c = [], []
for _ in range(epochs):
    t0, c0 = time.perf_counter(), time.process_time(); m.partial_fit(x, y); t.append(time.perf_counter() - t0); c.append(time.process_time() - c0)
out['sklearnMlpEpochMs'] = 1000 * float(np.min(t))
out['sklearnMlpEpochCpuMs'] = 1000 * float(np.min(c))

out['trees'] = {}
for name in ('breast_cancer', 'generated'):
    meta = json.load(open(os.path.join(data_dir, f'tree_{name}.json')))
    tx = np.fromfile(os.path.join(data_dir, f'tree_{name}_x.f64'), dtype='<f8').reshape(meta['rows'], meta['features'])
    ty = np.fromfile(os.path.join(data_dir, f'tree_{name}_y.f64'), dtype='<f8').astype(int)
    runs = []
    for r in range(meta['repeats']):
        t0 = time.perf_counter()
        clf = DecisionTreeClassifier(max_depth=meta['maxDepth'], random_state=0).fit(tx, ty)
        runs.append(time.perf_counter() - t0)
    out['trees'][name] = {'fitMs': 1000 * float(np.min(runs)), 'nodes': int(clf.tree_.node_count)}
print(json.dumps(out))
