// `npm run bench`: the spine's figures on the example spec, printed as tables.
//   1. Spec check latency: parse + schema + data-file check of examples/stock-price, (a) in process, on the engine
//      (server/src/spec, bundled here with esbuild), and (b) through the built language server over stdio, from
//      textDocument/didOpen to textDocument/publishDiagnostics. 200 runs each after 20 warm-up runs.
//   2. Training time per epoch of the example in the real worker process, per available TensorFlow.js backend.
// Usage: node bench/run.mjs [--runs N] [--epochs N]   (after `node scripts/build.mjs`; `npm run bench` builds first)
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';
import * as rpc from 'vscode-jsonrpc/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 200);
const WARMUP = 20;
const EPOCHS = arg('epochs', 40);
const SPEC = join(root, 'examples', 'stock-price', 'stock-price.xai.yaml');

/** Quantile of sorted numbers (nearest rank). */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const summary = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1] };
};
/** Plain tables: readable in CI logs and when piped. */
const style = { head: [], border: [] };
const ms = (v) => (v < 10 ? v.toFixed(3) : v.toFixed(1));

/** Bundles the engine entry points the bench calls into dist/bench/engine.js (next to dist/worker/). */
async function loadEngine() {
  const outfile = join(root, 'dist', 'bench', 'engine.js');
  await esbuild.build({
    stdin: {
      contents: [
        "export { parseSpec } from './server/src/spec/parse';",
        "export { checkSpec } from './server/src/spec/check';",
        "export { runJob } from './server/src/worker/client';",
      ].join('\n'),
      resolveDir: root, loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning',
  });
  return require(outfile);
}

function benchEngineCheck(engine, text) {
  const once = () => {
    const parsed = engine.parseSpec(text);
    return parsed.diagnostics.length + engine.checkSpec(parsed, SPEC).length;
  };
  for (let i = 0; i < WARMUP; i++) once();
  const samples = [];
  let diagnostics = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    diagnostics = once();
    samples.push(performance.now() - t0);
  }
  return { ...summary(samples), diagnostics };
}

/** didOpen → publishDiagnostics through the built server over stdio (open is published at once, not debounced). */
async function benchServerCheck(text) {
  const server = join(root, 'dist', 'server', 'server.js');
  if (!existsSync(server)) throw new Error('dist/server/server.js is missing: run `node scripts/build.mjs`');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  let waiting;
  conn.onNotification('textDocument/publishDiagnostics', (p) => { const w = waiting; waiting = undefined; w?.(p); });
  conn.onRequest(() => null); // workspace/configuration, client/registerCapability…
  conn.listen();
  const uri = pathToFileURL(SPEC).href;
  const next = () => new Promise((resolve) => { waiting = resolve; });
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, workspaceFolders: null });
    conn.sendNotification('initialized', {});
    const samples = [];
    let diagnostics = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const published = next();
      const t0 = performance.now();
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xai-pipeline', version: i + 1, text } });
      const p = await published;
      if (i >= WARMUP) samples.push(performance.now() - t0);
      diagnostics = p.diagnostics.length;
      const cleared = next();
      conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await Promise.race([cleared, new Promise((r) => setTimeout(r, 200))]);
    }
    return { ...summary(samples), diagnostics };
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    conn.sendNotification('exit');
    conn.dispose();
    setTimeout(() => child.kill('SIGKILL'), 1000).unref();
  }
}

/** Backends the worker can use here: tfjs-node only when its native addon is installed. */
function backends() {
  const list = [];
  try { require.resolve('@tensorflow/tfjs-node'); list.push('tensorflow'); } catch { /* optional, absent here */ }
  return [...list, 'wasm', 'cpu'];
}

async function benchTraining(engine) {
  const ws = mkdtempSync(join(tmpdir(), 'xai-bench-'));
  try {
    cpSync(join(root, 'examples'), ws, { recursive: true, filter: (src) => !src.includes('/.xai') });
    const spec = join(ws, 'stock-price', 'stock-price.xai.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/^(\s*epochs:\s*)\d+/m, `$1${EPOCHS}`));
    const rows = [];
    for (const backend of backends()) {
      const t0 = performance.now();
      const result = await engine.runJob({ kind: 'train', specPath: spec, runsRoot: join(ws, 'runs'), backend });
      const wallMs = performance.now() - t0;
      if (!result.ok || !result.report) {
        rows.push([backend, '—', '—', '—', '—', result.message ?? 'failed']);
        continue;
      }
      const r = result.report;
      const epochs = r.history.length || EPOCHS;
      rows.push([
        `${backend}${r.backend !== backend ? ` (got ${r.backend})` : ''}`, epochs, ms(r.timings.trainMs / epochs),
        ms(r.timings.explainMs), ms(wallMs), r.metrics.model.rmse.toFixed(3),
      ]);
    }
    return rows;
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

const text = readFileSync(SPEC, 'utf8');
console.log(`XAI Pipelines bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
const engine = await loadEngine();

const check = new Table({ style, head: ['spec check (stock-price)', 'runs', 'median ms', 'p95 ms', 'min ms', 'max ms', 'diagnostics'] });
const e = benchEngineCheck(engine, text);
check.push(['engine: parseSpec + checkSpec', RUNS, ms(e.median), ms(e.p95), ms(e.min), ms(e.max), e.diagnostics]);
const s = await benchServerCheck(text);
check.push(['server (stdio): didOpen → publishDiagnostics', RUNS, ms(s.median), ms(s.p95), ms(s.min), ms(s.max), s.diagnostics]);
console.log(check.toString());

const train = new Table({ style, head: ['worker backend', 'epochs', 'train ms/epoch', 'explain ms', 'job wall ms', 'val RMSE'] });
for (const row of await benchTraining(engine)) train.push(row);
console.log(`training the example in the worker process (${EPOCHS} epochs, batch 16; wall time includes process start, data, explanation)`);
console.log(train.toString());

// Each part below runs in a child process of its own: each bundles the engine with its own copy of TensorFlow.js,
// and two copies in one process share tfjs's global kernel registry (the second's wasm backend would look for its
// .wasm files beside the first bundle). A failing part is reported and the others still run.
const parts = [
  ['data.mjs', 'data loading and preprocessing of a generated 1M-row CSV beside pandas'],
  ['explain.mjs', 'explanation methods: evaluations and wall time, permutation importance beside scikit-learn'],
  ['models.mjs', 'MLP per epoch per backend beside PyTorch and scikit-learn, CART fit time'],
  ['spec.mjs', 'the spec language: edit → diagnostics and completion beside yaml-language-server'],
  ['extension.mjs', 'the extension in code-server: activation, first diagnostics after the editor opens, the .vsix'],
  ['webview.mjs', 'the flowchart in Chromium: first render and re-render, 10/60/200 nodes with overlays'],
];
const failed = [];
for (const [file, what] of parts) {
  console.log(`\n— ${what} (bench/${file})`);
  const code = await new Promise((done) => spawn(process.execPath, [join(root, 'bench', file)], { stdio: 'inherit' }).on('exit', (c, sig) => done(c ?? sig)));
  if (code !== 0) failed.push(`${file} (exit ${code})`);
}
if (failed.length) {
  console.error(`bench parts that failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
