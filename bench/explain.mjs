// `npm run bench` (explanation part): every explanation method of server/src/explain on generated data of
// 1 000 and 10 000 rows × 20 features, with the model evaluations (rows predicted, gradient rows included), the
// calls into the model with their rows per call (a call on one row would show as a minimum of 1) and how many
// passed arrays of rows instead of a dense matrix, and the wall time. Models: a ridge regression fitted to
// y = Σ wⱼxⱼ + sin(3x₀) + noise (model-agnostic methods), a CART tree of depth 6 (TreeSHAP, tree paths), a
// 20→32→16→1 ReLU MLP on TensorFlow.js (cpu backend; gradients, ReLU paths, surrogate, sanity check).
// Peer: scikit-learn's permutation_importance on the same fitted linear model and data (coefficients copied), in
// the same run, alternating with ours for --rounds rounds (default 5), as medians, spread and ratios
// (scripts/reference/explain_bench.py; needs python3-sklearn).
// Usage: node bench/explain.mjs [--rounds N]   (after `node scripts/build.mjs`; also run by bench/run.mjs)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const style = { head: [], border: [] };
const D = 20;
const REPEATS = 5;
const roundsArg = process.argv.indexOf('--rounds');
/** Alternating rounds of ours and scikit-learn's permutation importance per size (`--rounds N`, default 5). */
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

async function loadEngine() {
  const outfile = join(root, 'dist', 'bench', 'explain-engine.js');
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({
    stdin: {
      contents: [
        "export { permutationImportance } from './server/src/explain/permutationImportance';",
        "export { kernelShap } from './server/src/explain/shap/kernelShap';",
        "export { linearShap } from './server/src/explain/shap/linearShap';",
        "export { treeShap } from './server/src/explain/shap/treeShap';",
        "export { kmeansBackground } from './server/src/explain/background';",
        "export { integratedGradients, gradientTimesInput, saliency } from './server/src/explain/gradients';",
        "export { sobolIndices } from './server/src/explain/sobol';",
        "export { sanityCheck } from './server/src/explain/sanityCheck';",
        "export { meanAbsAttribution } from './server/src/explain/shap/globalShap';",
        "export { partialDependence } from './server/src/explain/partialDependence';",
        "export { treeDecisionPaths } from './server/src/explain/paths/treePath';",
        "export { reluPaths } from './server/src/explain/paths/reluPaths';",
        "export { surrogateTree } from './server/src/explain/paths/surrogate';",
        "export { fitLinearRegression } from './server/src/models/linear';",
        "export { fitDecisionTree } from './server/src/models/tree';",
        "export { buildMlp } from './server/src/models/mlp';",
        "export { MlpFitted } from './server/src/models/mlpModel';",
        "export { selectBackend } from './server/src/worker/backend';",
        "export { seededRandom } from './server/src/data/random';",
      ].join('\n'),
      resolveDir: root, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', external: ['@tensorflow/tfjs-node'],
  });
  return require(outfile);
}

/**
 * Wraps a model so that every call into it is counted, whatever the entry point (rows `predict`/`gradient` or
 * dense `predictDense`/`gradientDense`): calls, rows per call, calls made with an array of rows, time inside.
 * Several models may share one tally `c` (the sanity check calls the trained model and its random twin).
 */
function counted(model, c = tally()) {
  const timed = async (rows, dense, f) => {
    c.calls++; c.rows += rows; c.min = Math.min(c.min, rows); c.max = Math.max(c.max, rows);
    if (!dense) c.rowArrayCalls++;
    const t0 = performance.now();
    try { return await f(); } finally { c.modelMs += performance.now() - t0; }
  };
  const wrapped = Object.create(model);
  wrapped.predict = (x) => timed(x.length, false, () => model.predict(x));
  if (model.predictDense) wrapped.predictDense = (x) => timed(x.rows, true, () => model.predictDense(x));
  if (model.gradient) wrapped.gradient = (x, o) => timed(x.length, false, () => model.gradient(x, o));
  if (model.gradientDense) wrapped.gradientDense = (x, o) => timed(x.rows, true, () => model.gradientDense(x, o));
  return { model: wrapped, c };
}

function tally() { return { calls: 0, rows: 0, min: Infinity, max: 0, rowArrayCalls: 0, modelMs: 0 }; }

function data(e, n) {
  const r = e.seededRandom(n);
  const w = Array.from({ length: D }, (_, j) => (j % 5 === 0 ? 2 : 1) / (1 + j / 4));
  const x = Array.from({ length: n }, () => Array.from({ length: D }, () => 2 * r() - 1));
  const y = x.map((row) => row.reduce((s, v, j) => s + w[j] * v, Math.sin(3 * row[0])) + 0.1 * (r() - 0.5));
  return { x, y };
}

/**
 * scikit-learn's permutation_importance in a Python process that stays alive: each `time()` runs it once on the
 * data and model of `file` and resolves to {ms, means}; the bench alternates these with its own runs.
 */
function sklearnPeer(file) {
  const p = spawn('/usr/bin/python3', [join(root, 'scripts', 'reference', 'explain_bench.py'), file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  let stderr = '';
  let exited = false;
  p.stderr.on('data', (d) => { stderr += d; });
  const fail = () => new Error(stderr.trim().split('\n').pop() || 'python3 ended');
  createInterface({ input: p.stdout }).on('line', (l) => { const w = waiters.shift(); if (w) w.resolve(l); else lines.push(l); });
  p.on('exit', () => { exited = true; for (const w of waiters.splice(0)) w.reject(fail()); });
  p.on('error', () => { exited = true; for (const w of waiters.splice(0)) w.reject(fail()); });
  const next = () => {
    if (lines.length) return Promise.resolve(lines.shift());
    if (exited) return Promise.reject(fail());
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
  return {
    ready: next(),
    async time() { p.stdin.write('time\n'); return JSON.parse(await next()); },
    close() { p.stdin.end(); },
  };
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (v, digits = 1) => `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;

/** Permutation importance against scikit-learn's, alternating run by run, ROUNDS times: one row of the peer table. */
async function peerRounds(e, x, y, linear, features) {
  const sklearnOk = spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
  const ours = [];
  const oursCpu = [];
  let means = [];
  const run = async () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await e.permutationImportance(linear, x, y, { features, repeats: REPEATS, metric: 'mse', seed: 0, split: 'validation' });
    const c = process.cpuUsage(c0);
    ours.push(performance.now() - t0);
    oursCpu.push((c.user + c.system) / 1000);
    means = features.map((f) => r.features.find((g) => g.feature === f).mean);
  };
  if (!sklearnOk) {
    for (let k = 0; k < ROUNDS; k++) await run();
    return { ours, oursCpu, error: 'python3-sklearn not installed' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'xai-explain-bench-'));
  const file = join(dir, 'data.json');
  writeFileSync(file, JSON.stringify({ x, y, coef: linear.linear.weights[0], intercept: linear.linear.intercepts[0], repeats: REPEATS }));
  const peer = sklearnPeer(file);
  try {
    await peer.ready;
    const theirs = [];
    const theirsCpu = [];
    let skMeans = [];
    for (let k = 0; k < ROUNDS; k++) {
      // Alternate who goes first, so that a slow moment of the machine does not always hit the same side.
      if (k % 2 === 0) await run();
      const sk = await peer.time();
      theirs.push(sk.ms);
      theirsCpu.push(sk.cpuMs);
      skMeans = sk.means;
      if (k % 2 === 1) await run();
    }
    const maxMean = Math.max(...skMeans);
    const diff = Math.max(...skMeans.map((m, j) => Math.abs(m - means[j])));
    return { ours, oursCpu, theirs, theirsCpu, agreement: diff / maxMean };
  } catch (err) {
    return { ours, oursCpu, error: String(err.message ?? err) };
  } finally {
    peer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchExplain() {
  const e = await loadEngine();
  await e.selectBackend('cpu');
  const table = new Table({ style, head: ['method', 'rows', 'explained', 'model', 'evaluations', 'model calls', 'rows per call (min–max)', 'calls with row arrays', 'wall ms', 'in the model ms'] });
  const peer = new Table({ style, head: [`permutation importance (mse, ${REPEATS} repeats, ${D} features), ${ROUNDS} alternating rounds`, 'rows', 'XAI wall ms median (min–max)', 'scikit-learn wall ms median (min–max)', 'wall ratio of medians XAI/sklearn', 'wall ratio per round (min–max)', 'XAI CPU ms median', 'scikit-learn CPU ms median', 'CPU ratio', 'max |Δ mean| / max mean'] });
  let perRowCalls = 0;
  let rowArrayCalls = 0;
  // A first pass on 200 rows warms the JIT up and is not printed.
  for (const n of [200, 1000, 10000]) {
    const warmup = n === 200;
    const { x, y } = data(e, n);
    const linear = e.fitLinearRegression(x, y, 'y', 1e-2);
    const tree = e.fitDecisionTree(x, y, ['y'], { task: 'regression', maxDepth: 6 });
    const spec = { type: 'mlp', hidden_layers: [{ units: 32, activation: 'relu' }, { units: 16, activation: 'relu' }] };
    const mlp = new e.MlpFitted(e.buildMlp(spec, D, 1), ['y']);
    const untrained = new e.MlpFitted(e.buildMlp(spec, D, 7919), ['y']);
    const local = x.slice(0, 100);
    const background = e.kmeansBackground(x, 10, 0);
    const features = Array.from({ length: D }, (_, j) => `x${j}`);
    const gxi = async (m, rows) => (await e.gradientTimesInput(m, rows)).values;
    const runs = [
      ['permutation importance', 'linear', n, (m) => e.permutationImportance(m, x, y, { features, repeats: REPEATS, metric: 'mse', seed: 0, split: 'validation' })],
      ['permutation importance, 4 groups of 5', 'linear', n, (m) => e.permutationImportance(m, x, y, { features, repeats: REPEATS, metric: 'mse', seed: 0, split: 'validation', groups: [0, 1, 2, 3].map((g) => ({ name: `g${g}`, columns: features.slice(5 * g, 5 * g + 5) })) })],
      ['Kernel SHAP (k-means 10, 512 coalitions)', 'linear', 20, (m) => e.kernelShap(m, x.slice(0, 20), { background, coalitions: 512, seed: 0 })],
      ['linear SHAP (exact)', 'linear', n, (m) => e.linearShap(m, x, { background: x })],
      ['TreeSHAP (exact, depth 6)', 'tree', n, (m) => e.treeShap(m, x)],
      ['mean |SHAP| ranking (of TreeSHAP)', 'tree', n, (m) => ({ evaluations: 0, ranking: e.meanAbsAttribution(e.treeShap(m, x)) })],
      ['integrated gradients (50 steps)', 'mlp', 100, (m) => e.integratedGradients(m, local)],
      ['gradient × input', 'mlp', n, (m) => e.gradientTimesInput(m, x)],
      ['saliency', 'mlp', n, (m) => e.saliency(m, x)],
      ['Sobol (N = 1024, empirical marginals)', 'linear', n, (m) => e.sobolIndices(m, { inputs: { kind: 'empirical', data: x }, samples: 1024, seed: 0, bootstrap: 100 })],
      ['partial dependence + ICE (4 features, 20 points)', 'linear', n, (m) => e.partialDependence(m, x, { features: [0, 1, 2, 3] })],
      ['tree decision paths', 'tree', n, (m) => e.treeDecisionPaths(m, x)],
      ['ReLU paths (top 10 of 10 240)', 'mlp', 100, (m) => e.reluPaths(m, local)],
      ['surrogate tree (depth 3)', 'mlp', n, (m) => e.surrogateTree(m, x, { maxDepth: 3 })],
      ['sanity check (gradient × input, MLP vs untrained twin)', 'mlp', n, async (m, c) => {
        const twin = counted(untrained, c).model;
        const before = c.rows;
        const r = await e.sanityCheck(gxi, m, twin, x);
        return { ...r, evaluations: c.rows - before };
      }],
    ];
    const models = { linear, tree, mlp };
    for (const [name, kind, explained, run] of runs) {
      const c = tally();
      const { model } = counted(models[kind], c);
      const t0 = performance.now();
      const r = await run(model, c);
      const wall = performance.now() - t0;
      if (warmup) continue;
      perRowCalls += c.calls > 0 && c.min === 1 ? 1 : 0;
      rowArrayCalls += c.rowArrayCalls;
      table.push([name, n, explained, kind, r.evaluations, c.calls, c.calls ? `${c.min}–${c.max}` : '—', c.rowArrayCalls, wall.toFixed(1), c.modelMs.toFixed(1)]);
    }
    mlp.dispose();
    untrained.dispose();
    if (warmup) continue;
    const pr = await peerRounds(e, x, y, linear, features);
    if (pr.error) peer.push(['same linear model and data', n, spread(pr.ours), pr.error, '—', '—', median(pr.oursCpu).toFixed(1), '—', '—', '—']);
    else {
      const ratios = pr.ours.map((v, k) => v / pr.theirs[k]);
      peer.push(['same linear model and data', n, spread(pr.ours), spread(pr.theirs), (median(pr.ours) / median(pr.theirs)).toFixed(2), `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
        median(pr.oursCpu).toFixed(1), median(pr.theirsCpu).toFixed(1), (median(pr.oursCpu) / median(pr.theirsCpu)).toFixed(2), pr.agreement.toFixed(3)]);
    }
  }
  console.log(`explanation methods: evaluations (rows predicted or differentiated), calls into the model and rows per call, wall time and the part of it spent inside the model; ${D} features; "explained" = rows attributed`);
  console.log(table.toString());
  console.log(`calls on a single row: ${perRowCalls ? `${perRowCalls} method(s)` : 'none'}; calls that passed an array of rows instead of a dense matrix: ${rowArrayCalls}`);
  console.log(peer.toString());
  // Both sides share the machine's 2 cores with whatever else runs: the load says how much the figures can be trusted.
  console.log(`load average over the last minute at the end: ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchExplain();
