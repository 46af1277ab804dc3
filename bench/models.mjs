// `npm run bench` (issue 5): model training speed beside Debian's PyTorch and scikit-learn, as ratios.
//   1. MLP 20 → 64 → 64 → 1 (ReLU), Adam, MSE, batch 256, 10 000 generated rows: ms per epoch on every available
//      TensorFlow.js backend (our trainMlp: seeded shuffle, MlpTrainer steps), beside PyTorch and scikit-learn's
//      MLPRegressor on the same rows (one thread each), with the kernel calls per batch; then where an epoch goes:
//      the step's matrix products timed alone on each side, the rest; the same network through model.fit (what
//      trainMlp did before) and a transposed-vs-plain matMul (see WHY below).
//   2. CART fit time (gini) on breast_cancer.csv and on 100 000 generated rows × 10 features, beside scikit-learn.
// Usage: node bench/models.mjs [--model-epochs N]   (default 10; `npm run bench` runs it through bench/run.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argIndex = process.argv.indexOf('--model-epochs');
const EPOCHS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10;
const ROWS = 10_000;
const style = { head: [], border: [] };
const f1 = (v) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

async function loadEngine() {
  const outfile = join(root, 'dist', 'bench', 'models-engine.js');
  await esbuild.build({
    stdin: {
      contents: [
        "export * as tf from '@tensorflow/tfjs-core';",
        "export { buildMlp, trainMlp } from './server/src/models/mlp';",
        "export { fitDecisionTree } from './server/src/models/tree';",
        "export { selectBackend } from './server/src/worker/backend';",
        "export { parseCsv } from './server/src/data/csv';",
      ].join('\n'),
      resolveDir: root, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
  });
  return require(outfile);
}

/** Deterministic generator (LCG) so that both sides see the same rows. */
function lcg(seed) { let s = seed >>> 0; return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; }; }

function mlpData() {
  const r = lcg(1);
  const x = Array.from({ length: ROWS }, () => Array.from({ length: 20 }, () => 2 * r() - 1));
  const y = x.map((row) => Math.sin(row[0] * 2) + row[1] * row[2] - 0.5 * row[3] + 0.1 * (r() - 0.5));
  return { x, y };
}

function treeData(engine) {
  const bcPath = join(root, 'examples', 'data', 'breast_cancer.csv');
  const table = engine.parseCsv(readFileSync(bcPath, 'utf8'), bcPath);
  const t = table.columns.indexOf('diagnosis');
  const bx = table.rows.map((row) => row.cells.filter((_, j) => j !== t).map(Number));
  const by = table.rows.map((row) => (row.cells[t] === 'malignant' ? 1 : 0));
  const r = lcg(2);
  const gx = Array.from({ length: 100_000 }, () => Array.from({ length: 10 }, () => r()));
  const gy = gx.map((row) => ((row[0] + 0.5 * row[1] > 0.75) !== (r() < 0.05) ? 1 : 0));
  return {
    breast_cancer: { x: bx, y: by, maxDepth: null, repeats: 20 },
    generated: { x: gx, y: gy, maxDepth: 12, repeats: 3 },
  };
}

// Fastest of the repeats: on a shared machine the minimum is the least disturbed by other processes.
const fastest = (v) => Math.min(...v);
// CPU time of this process (user + system) in ms: tfjs runs single-threaded here, so under load this is its
// compute time; Python reports the same (time.process_time) for PyTorch and scikit-learn.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** Kernel calls of one batch: a 2-batch epoch minus a 1-batch epoch (what is per epoch cancels out). */
async function kernelsPerBatch(tf, run) {
  const count = async (rows) => {
    const p = await tf.profile(() => run(rows));
    const byName = {};
    for (const k of p.kernels) byName[k.name] = (byName[k.name] ?? 0) + 1;
    return { total: p.kernels.length, byName };
  };
  const one = await count(256);
  const two = await count(512);
  const byName = Object.fromEntries(Object.entries(two.byName).map(([k, v]) => [k, v - (one.byName[k] ?? 0)]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]));
  return { total: two.total - one.total, byName };
}

/**
 * The matrix products [M, K] · [K, N] of one training step of the benched network (batch 256): the forward pass's
 * three, then the backward pass's [inᵀ; 1ᵀ] · dz per layer and dz · Wᵀ per hidden layer. Timed here on each backend
 * and by the Python side with torch.mm, so the table shows how much of an epoch is the products themselves.
 */
const STEP_PRODUCTS = [[256, 20, 64], [256, 64, 64], [256, 64, 1], [65, 256, 1], [256, 1, 64], [65, 256, 64], [256, 64, 64], [21, 256, 64]];
// Every product's work grows with the batch's rows, so an epoch is ROWS / 256 full batches' worth (39 and 16 rows).
const BATCHES_PER_EPOCH = ROWS / 256;

/**
 * ms per epoch of the step's products on the current backend, through the BatchMatMul kernel as the trainer calls it:
 * with a right operand made just before each call and freed after it, as in training, where it is new every step
 * (so its packing is included; the kernel that makes it is timed alone and subtracted), and with one right operand
 * reused (the product alone).
 */
function productsPerEpoch(tf, calls) {
  let fresh = 0; let reused = 0;
  // Mean of `calls` calls, the fastest of 5 rounds (the least disturbed, as for the epochs).
  const time = (f) => {
    for (let i = 0; i < 50; i++) f();
    return Math.min(...Array.from({ length: 5 }, () => { const t0 = performance.now(); for (let i = 0; i < calls; i++) f(); return (performance.now() - t0) / calls; }));
  };
  for (const [m, k, n] of STEP_PRODUCTS) {
    const a = tf.randomNormal([1, m, k]);
    const b = tf.randomNormal([1, k, n]);
    const zero = tf.scalar(0);
    const product = (right) => tf.engine().runKernel(tf.BatchMatMul, { a, b: right }, { transposeA: false, transposeB: false });
    const make = time(() => tf.dispose(tf.add(b, zero)));
    fresh += time(() => { const right = tf.add(b, zero); tf.dispose([product(right), right]); }) - make;
    reused += time(() => tf.dispose(product(b)));
    tf.dispose([a, b, zero]);
  }
  return { fresh: fresh * BATCHES_PER_EPOCH, reused: reused * BATCHES_PER_EPOCH };
}

/** Mean µs of one call of f (after a warm-up). */
function microseconds(f, calls = 200) {
  for (let i = 0; i < 20; i++) f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) f().dispose();
  return ((performance.now() - t0) / calls) * 1000;
}

async function benchMlp(engine, backend, data) {
  const got = await engine.selectBackend(backend);
  if (got !== backend) return { backend, error: `fell back to ${got}` };
  const { tf } = engine;
  const spec = { type: 'mlp', hidden_layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }] };
  const training = { optimizer: 'adam', learning_rate: 0.001, loss: 'mse', epochs: 1, batch_size: 256, seed: 1 };
  const net = engine.buildMlp(spec, 20, 1);
  // One training run of 1 + EPOCHS epochs, timed between epoch ends (the first is the warm-up), as PyTorch's side is
  // timed: per-run setup (flattening the rows, compiling) is not per-epoch work.
  const times = []; const cpu = [];
  let t0 = performance.now(); let c0 = cpuMs();
  await engine.trainMlp(net, data.x, data.y, { ...training, epochs: EPOCHS + 1 }, {
    onEpoch: (record) => {
      if (record.epoch > 1) { times.push(performance.now() - t0); cpu.push(cpuMs() - c0); }
      t0 = performance.now(); c0 = cpuMs();
    },
  });
  // The path trainMlp took before (model.fit per epoch on tensors made once), on the same network, for the breakdown.
  const xs = tf.tensor2d(data.x); const ys = tf.tensor2d(data.y.map((v) => [v]));
  net.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  await net.fit(xs, ys, { epochs: 1, batchSize: 256, shuffle: false, verbose: 0 });
  const fitTimes = []; const fitCpu = [];
  for (let e = 0; e < EPOCHS; e++) {
    const t0 = performance.now(); const c0 = cpuMs();
    await net.fit(xs, ys, { epochs: 1, batchSize: 256, shuffle: false, verbose: 0 });
    fitTimes.push(performance.now() - t0); fitCpu.push(cpuMs() - c0);
  }
  const ours = await kernelsPerBatch(tf, (rows) => engine.trainMlp(net, data.x.slice(0, rows), data.y.slice(0, rows), training));
  const fit = await kernelsPerBatch(tf, (rows) => net.fit(tf.slice(xs, [0, 0], [rows, 20]), tf.slice(ys, [0, 0], [rows, 1]), { epochs: 1, batchSize: 256, verbose: 0 }));
  // The cause of most of the old gap: a matMul with a transposed operand (as in tfjs's matMul gradient) vs untransposed.
  const a = tf.randomNormal([256, 64]); const b = tf.randomNormal([64, 64]); const dy = tf.randomNormal([256, 64]);
  const products = productsPerEpoch(tf, backend === 'cpu' ? 4 : 100);
  const matmulUs = microseconds(() => tf.matMul(a, b));
  const matmulTransposedUs = microseconds(() => tf.matMul(a, dy, true, false));
  const flags = backend === 'wasm' ? `SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}` : '';
  [xs, ys, a, b, dy].forEach((t) => t.dispose());
  net.dispose();
  return { backend, epochMs: fastest(times), epochCpuMs: fastest(cpu), fitMs: fastest(fitTimes), fitCpuMs: fastest(fitCpu), kernels: ours, fitKernels: fit, products, matmulUs, matmulTransposedUs, flags };
}

function benchTrees(engine, trees) {
  const out = {};
  for (const [name, d] of Object.entries(trees)) {
    const times = [];
    let nodes = 0;
    for (let i = 0; i < d.repeats; i++) {
      const t0 = performance.now();
      const tree = engine.fitDecisionTree(d.x, d.y, ['0', '1'], { task: 'classification', maxDepth: d.maxDepth ?? undefined });
      times.push(performance.now() - t0);
      nodes = tree.tree.nodes.length;
    }
    out[name] = { fitMs: fastest(times), nodes, rows: d.x.length, features: d.x[0].length };
  }
  return out;
}

function peers(dir, data, trees) {
  writeFileSync(join(dir, 'mlp_x.f32'), Buffer.from(Float32Array.from(data.x.flat()).buffer));
  writeFileSync(join(dir, 'mlp_y.f32'), Buffer.from(Float32Array.from(data.y).buffer));
  writeFileSync(join(dir, 'products.json'), JSON.stringify(STEP_PRODUCTS));
  for (const [name, d] of Object.entries(trees)) {
    writeFileSync(join(dir, `tree_${name}_x.f64`), Buffer.from(Float64Array.from(d.x.flat()).buffer));
    writeFileSync(join(dir, `tree_${name}_y.f64`), Buffer.from(Float64Array.from(d.y).buffer));
    writeFileSync(join(dir, `tree_${name}.json`), JSON.stringify({ rows: d.x.length, features: d.x[0].length, maxDepth: d.maxDepth, repeats: d.repeats }));
  }
  if (!existsSync('/usr/bin/python3')) return { error: '/usr/bin/python3 missing' };
  // One thread, as tfjs-wasm runs in Node: Debian's PyTorch multiplies through OpenBLAS, whose threads on both cores
  // here left the epoch's wall time unchanged (10.1 ms against 10.0) and doubled its CPU time.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  const r = spawnSync('/usr/bin/python3', [join(root, 'scripts', 'reference', 'models_bench.py'), dir, String(EPOCHS)], { encoding: 'utf8', timeout: 600_000, env });
  if (r.status !== 0) return { error: (r.stderr || 'python failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

/** Runs the three tables above and prints them. */
export async function benchModels() {
  const engine = await loadEngine();
  const data = mlpData();
  const trees = treeData(engine);
  const backends = [];
  try { require.resolve('@tensorflow/tfjs-node'); backends.push('tensorflow'); } catch { /* optional, absent here */ }
  backends.push('wasm', 'cpu');
  const ours = [];
  for (const b of backends) ours.push(await benchMlp(engine, b, data));
  const treeTimes = benchTrees(engine, trees);
  const dir = mkdtempSync(join(tmpdir(), 'xai-bench-models-'));
  let peer;
  try { peer = peers(dir, data, trees); } finally { rmSync(dir, { recursive: true, force: true }); }
  if (peer.error) console.log(`peers unavailable: ${peer.error}`);

  const mlp = new Table({ style, head: ['MLP 20→64→64→1, batch 256, 10 000 rows', 'kernels per batch', 'ms/epoch (wall)', 'ratio vs PyTorch', 'ratio vs sklearn', 'CPU ms/epoch', 'ratio vs PyTorch (CPU)', 'ratio vs sklearn (CPU)'] });
  mlp.push(['PyTorch', '', f1(peer.torchEpochMs), '', '', f1(peer.torchEpochCpuMs), '', '']);
  mlp.push(['scikit-learn MLPRegressor', '', f1(peer.sklearnMlpEpochMs), '', '', f1(peer.sklearnMlpEpochCpuMs), '', '']);
  for (const o of ours) {
    if (o.error) { mlp.push([o.backend, o.error, '', '', '', '', '', '']); continue; }
    const row = (label, kernels, wall, cpu) => [label, kernels, f1(wall), ratio(wall, peer.torchEpochMs), ratio(wall, peer.sklearnMlpEpochMs), f1(cpu), ratio(cpu, peer.torchEpochCpuMs), ratio(cpu, peer.sklearnMlpEpochCpuMs)];
    mlp.push(row(`tfjs ${o.backend} (trainMlp)`, o.kernels.total, o.epochMs, o.epochCpuMs));
    mlp.push(row('  same network, model.fit (before)', o.fitKernels.total, o.fitMs, o.fitCpuMs));
  }
  console.log(`MLP training speed (fastest of ${EPOCHS} epochs after a warm-up, both sides; PyTorch ${peer.versions?.torch ?? '—'} on ${peer.torchThreads ?? '?'} threads, scikit-learn ${peer.versions?.sklearn ?? '—'})`);
  console.log(mlp.toString());
  const torchProducts = peer.torchProductsUs ? (peer.torchProductsUs.reduce((a, b) => a + b, 0) * BATCHES_PER_EPOCH) / 1000 : undefined;
  const split = new Table({ style, head: ['where an epoch goes, ms', 'epoch', `our step's ${STEP_PRODUCTS.length} matrix products (PyTorch: torch.mm of the same shapes)`, '  of which packing the right operand', 'everything else (other kernels, dispatch, optimizer, JS)'] });
  split.push(['PyTorch', f1(peer.torchEpochMs), f1(torchProducts), '', f1(peer.torchEpochMs !== undefined && torchProducts !== undefined ? peer.torchEpochMs - torchProducts : undefined)]);
  for (const o of ours) if (!o.error) split.push([`tfjs ${o.backend} (trainMlp)`, f1(o.epochMs), f1(o.products.fresh), f1(o.products.fresh - o.products.reused), f1(o.epochMs - o.products.fresh)]);
  console.log(split.toString());
  const why = new Table({ style, head: ['one product', 'matMul 256×64·64×64 µs', 'same, transposed operand (Aᵀ·dY) µs', 'backend flags'] });
  for (const o of ours) if (!o.error) why.push([o.backend, f1(o.matmulUs), f1(o.matmulTransposedUs), o.flags]);
  console.log(why.toString());
  // WHY (wasm): model.fit's epoch was mostly tfjs's matMul gradient, whose transposed operands the wasm backend
  // multiplies outside XNNPACK in a naive loop (the table above: ~10× slower), and ~160 small kernels per batch.
  // trainMlp writes backpropagation out (mlpTraining.ts): untransposed products only, one fused kernel per dense layer,
  // the bias gradient inside the weight gradient's product, the loss gradient and optimizers written out with their
  // constants made once, θ updated as one vector and cut by one kernel. What is left is the products themselves:
  // XNNPACK's 128-bit wasm SIMD on one thread against Debian's OpenBLAS under PyTorch on one thread (native AVX2 FMA
  // kernels here: OPENBLAS_CORETYPE=Haswell). PyTorch's own step differs (addmm forward, transposed views, bias sums):
  // its products column times our shapes with torch.mm, an estimate of the same work.
  for (const o of ours) {
    if (o.error) continue;
    const top = (k) => Object.entries(k.byName).slice(0, 8).map(([n, c]) => `${n} ${c}`).join(', ');
    console.log(`${o.backend} kernels per batch: trainMlp ${o.kernels.total} (${top(o.kernels)}); model.fit ${o.fitKernels.total} (${top(o.fitKernels)})`);
  }
  const tt = new Table({ style, head: ['CART fit (gini)', 'rows × features', 'max depth', 'nodes', 'ours ms', 'scikit-learn ms', 'ratio'] });
  for (const [name, t] of Object.entries(treeTimes)) {
    const p = peer.trees?.[name];
    tt.push([name, `${t.rows} × ${t.features}`, trees[name].maxDepth ?? 'none', `${t.nodes}${p ? ` (sklearn ${p.nodes})` : ''}`, f1(t.fitMs), f1(p?.fitMs), ratio(t.fitMs, p?.fitMs)]);
  }
  console.log(tt.toString());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchModels();
