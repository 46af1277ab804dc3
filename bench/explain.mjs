// `npm run bench` (explanation part): every explanation method of server/src/explain on generated data of
// 1 000 and 10 000 rows × 20 features, with the model evaluations (rows predicted, gradient rows included) and
// the predict calls it used, and the wall time. Models: a ridge regression fitted to y = Σ wⱼxⱼ + sin(3x₀) + noise
// (model-agnostic methods), a CART tree of depth 6 (TreeSHAP, tree paths), a 20→32→16→1 ReLU MLP on TensorFlow.js
// (cpu backend; integrated gradients, ReLU paths).
// Peer: scikit-learn's permutation_importance on the same fitted linear model and data (coefficients copied),
// in the same run, as a ratio (scripts/reference/explain_bench.py; needs python3-sklearn).
// Usage: node bench/explain.mjs   (after `node scripts/build.mjs`; also run by bench/run.mjs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const style = { head: [], border: [] };
const D = 20;
const REPEATS = 5;

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

/** Wraps a model so that predict calls are counted (evaluations come from each method's own result). */
function counted(model) {
  const c = { calls: 0, modelMs: 0 };
  const timed = async (f) => { const t0 = performance.now(); try { return await f(); } finally { c.modelMs += performance.now() - t0; } };
  const wrapped = Object.create(model);
  wrapped.predict = (x) => { c.calls++; return timed(() => model.predict(x)); };
  if (model.gradient) wrapped.gradient = (x, o) => { c.calls++; return timed(() => model.gradient(x, o)); };
  return { model: wrapped, c };
}

function data(e, n) {
  const r = e.seededRandom(n);
  const w = Array.from({ length: D }, (_, j) => (j % 5 === 0 ? 2 : 1) / (1 + j / 4));
  const x = Array.from({ length: n }, () => Array.from({ length: D }, () => 2 * r() - 1));
  const y = x.map((row) => row.reduce((s, v, j) => s + w[j] * v, Math.sin(3 * row[0])) + 0.1 * (r() - 0.5));
  return { x, y };
}

function sklearnPermutation(x, y, model) {
  const has = spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
  if (!has) return { error: 'python3-sklearn not installed' };
  const dir = mkdtempSync(join(tmpdir(), 'xai-explain-bench-'));
  try {
    const file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify({ x, y, coef: model.linear.weights[0], intercept: model.linear.intercepts[0], repeats: REPEATS }));
    const p = spawnSync('/usr/bin/python3', [join(root, 'scripts', 'reference', 'explain_bench.py'), file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (p.status !== 0) return { error: (p.stderr || `exit ${p.status}`).trim().split('\n').slice(-1)[0] };
    return JSON.parse(p.stdout.trim().split('\n').pop());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchExplain() {
  const e = await loadEngine();
  await e.selectBackend('cpu');
  const table = new Table({ style, head: ['method', 'rows', 'explained', 'model', 'evaluations', 'predict calls', 'wall ms', 'in the model ms'] });
  const peer = new Table({ style, head: ['permutation importance (mse, 5 repeats, 20 features)', 'rows', 'XAI ms', 'of which model.predict ms', 'scikit-learn ms', 'ratio XAI/sklearn', 'max |Δ mean| / max mean'] });
  // A first pass on 200 rows warms the JIT up and is not printed.
  for (const n of [200, 1000, 10000]) {
    const warmup = n === 200;
    const { x, y } = data(e, n);
    const linear = e.fitLinearRegression(x, y, 'y', 1e-2);
    const tree = e.fitDecisionTree(x, y, ['y'], { task: 'regression', maxDepth: 6 });
    const net = e.buildMlp({ type: 'mlp', hidden_layers: [{ units: 32, activation: 'relu' }, { units: 16, activation: 'relu' }] }, D, 1);
    const mlp = new e.MlpFitted(net, ['y']);
    const local = x.slice(0, 100);
    const background = e.kmeansBackground(x, 10, 0);
    const features = Array.from({ length: D }, (_, j) => `x${j}`);
    const runs = [
      ['permutation importance', 'linear', n, (m) => e.permutationImportance(m, x, y, { features, repeats: REPEATS, metric: 'mse', seed: 0, split: 'validation' })],
      ['permutation importance, 4 groups of 5', 'linear', n, (m) => e.permutationImportance(m, x, y, { features, repeats: REPEATS, metric: 'mse', seed: 0, split: 'validation', groups: [0, 1, 2, 3].map((g) => ({ name: `g${g}`, columns: features.slice(5 * g, 5 * g + 5) })) })],
      ['Kernel SHAP (k-means 10, 512 coalitions)', 'linear', 20, (m) => e.kernelShap(m, x.slice(0, 20), { background, coalitions: 512, seed: 0 })],
      ['linear SHAP (exact)', 'linear', n, (m) => e.linearShap(m, x, { background: x })],
      ['TreeSHAP (exact, depth 6)', 'tree', n, (m) => e.treeShap(m, x)],
      ['integrated gradients (50 steps)', 'mlp', 100, (m) => e.integratedGradients(m, local)],
      ['gradient × input', 'mlp', n, (m) => e.gradientTimesInput(m, x)],
      ['Sobol (N = 1024, empirical marginals)', 'linear', n, (m) => e.sobolIndices(m, { inputs: { kind: 'empirical', data: x }, samples: 1024, seed: 0, bootstrap: 100 })],
      ['partial dependence + ICE (4 features, 20 points)', 'linear', n, (m) => e.partialDependence(m, x, { features: [0, 1, 2, 3] })],
      ['tree decision paths', 'tree', n, (m) => e.treeDecisionPaths(m, x)],
      ['ReLU paths (top 10 of 10 240)', 'mlp', 100, (m) => e.reluPaths(m, local)],
      ['surrogate tree (depth 3)', 'mlp', n, (m) => e.surrogateTree(m, x, { maxDepth: 3 })],
    ];
    const models = { linear, tree, mlp };
    let piMs = 0;
    let piModelMs = 0;
    let piMeans = [];
    for (const [name, kind, explained, run] of runs) {
      const { model, c } = counted(models[kind]);
      const t0 = performance.now();
      const r = await run(model);
      const wall = performance.now() - t0;
      if (name === 'permutation importance') {
        piMs = wall;
        piModelMs = c.modelMs;
        piMeans = features.map((f) => r.features.find((g) => g.feature === f).mean);
      }
      if (!warmup) table.push([name, n, explained, kind, r.evaluations, c.calls, wall.toFixed(1), c.modelMs.toFixed(1)]);
    }
    mlp.dispose();
    if (warmup) continue;
    const sk = sklearnPermutation(x, y, linear);
    if (sk.error) peer.push(['permutation importance', n, piMs.toFixed(1), piModelMs.toFixed(1), sk.error, '—', '—']);
    else {
      const maxMean = Math.max(...sk.means);
      const diff = Math.max(...sk.means.map((m, j) => Math.abs(m - piMeans[j])));
      peer.push(['same linear model and data', n, piMs.toFixed(1), piModelMs.toFixed(1), sk.ms.toFixed(1), (piMs / sk.ms).toFixed(2), (diff / maxMean).toFixed(3)]);
    }
  }
  console.log('explanation methods: evaluations (rows predicted or differentiated), wall time and the part of it spent inside the model; 20 features; "explained" = rows attributed');
  console.log(table.toString());
  console.log(peer.toString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchExplain();
