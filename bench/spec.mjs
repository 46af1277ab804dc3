// The spec language's latency through the real servers (issue 3, must-show 3), for specs of about 30, 300 and
// 3 000 lines over a generated CSV (200 rows, one numeric column per feature):
//   - diagnostics after an edit: textDocument/didChange (one feature renamed, alternately a typo and back) →
//     textDocument/publishDiagnostics for that version, in the built XAI server (schema AND data-aware checks;
//     its 150 ms typing debounce set to 0 through initializationOptions, so the figure is the work, not the wait);
//   - the same document and the same JSON Schema in yaml-language-server 1.25 (schema validation only; its fixed
//     200 ms validation delay likewise set to 0, bench/yls-nodelay.cjs), in the same run, and the ratio;
//   - completion latency (a column name in the features list) in both servers.
// Usage: node bench/spec.mjs [--runs N]   (after `node scripts/build.mjs server`); `npm run bench` calls it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import * as rpc from 'vscode-jsonrpc/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const summary = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95) };
};
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const style = { head: [], border: [] };

/** A workspace with `data.csv` (200 rows; columns c0 … c{n-1} and y) and a spec listing `features` of them. */
function makeSpec(dir, features) {
  const columns = Math.max(features, 5);
  const header = [...Array.from({ length: columns }, (_, j) => `c${j}`), 'y'].join(',');
  const rows = Array.from({ length: 200 }, (_, i) => [...Array.from({ length: columns }, (_, j) => ((i * 31 + j * 17) % 97) / 7), i % 13].map((v) => v.toFixed(3)).join(','));
  writeFileSync(join(dir, 'data.csv'), `${header}\n${rows.join('\n')}\n`);
  const lines = [
    '# A generated spec for the bench: many listed features.', 'version: 1', `name: bench-${features}`, 'task: regression', '',
    'data:', '  source: data.csv', '  target: y', '  features:',
    ...Array.from({ length: features }, (_, j) => `    - c${j}`),
    '', 'preprocessing:', '  - split:', '      method: random', '      validation: 0.2', '  - standardize:', '      columns: features', '',
    'model:', '  type: mlp', '  hidden_layers:', '    - units: 16', '      activation: relu', '', 'training:', '  optimizer: adam',
    '  learning_rate: 0.001', '  loss: mse', '  epochs: 100', '  batch_size: 32', '  seed: 42', '', 'explanation:',
    '  - permutation_importance:', '      repeats: 5',
  ];
  const text = `${lines.join('\n')}\n`;
  const path = join(dir, `bench-${features}.xai.yaml`);
  writeFileSync(path, text);
  // The edit target: the middle feature's name.
  const line = 9 + Math.floor(features / 2);
  return { path, uri: pathToFileURL(path).href, text, lines: lines.length, editLine: line, editName: `c${Math.floor(features / 2)}` };
}

/** Starts a language server over stdio; resolves with the connection and a diagnostics waiter. */
async function startServer(command, args, initializationOptions) {
  const child = spawn(process.execPath, [command, ...args], { stdio: ['pipe', 'pipe', process.env.BENCH_DEBUG ? 'inherit' : 'ignore'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i].test(p)) { waiters[i].resolve(p); waiters.splice(i, 1); }
  });
  conn.onRequest(() => null); // workspace/configuration, client/registerCapability, …
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: null, workspaceFolders: null, initializationOptions,
    capabilities: { textDocument: { publishDiagnostics: {}, completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } },
  });
  await conn.sendNotification('initialized', {});
  const diagnostics = (uri, version) => new Promise((resolve) => waiters.push({ test: (p) => p.uri === uri && (version === undefined || p.version === version || p.version === undefined), resolve }));
  return { conn, child, diagnostics };
}

async function stop({ conn, child }) {
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
    conn.sendNotification('exit');
  } catch { /* gone */ }
  setTimeout(() => child.kill('SIGKILL'), 1000).unref();
}

/** Edit → diagnostics, `runs` times after warm-up; and completion at the edited item. */
async function measure(server, spec, runs, { versioned }) {
  const { conn, diagnostics } = server;
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: spec.uri, languageId: 'yaml', version: 1, text: spec.text } });
  await diagnostics(spec.uri);
  const name = spec.editName;
  const char = 6;
  const edit = [];
  let version = 1;
  let count = 0;
  for (let i = 0; i < runs + 10; i++) {
    version++;
    // Alternate a misspelled name (an unknown column for the XAI server) and the right one.
    const text = i % 2 === 0 ? `${name}x` : name;
    const prev = i % 2 === 0 ? name : `${name}x`;
    const started = performance.now();
    const published = diagnostics(spec.uri, versioned ? version : undefined);
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: spec.uri, version },
      contentChanges: [{ range: { start: { line: spec.editLine, character: char }, end: { line: spec.editLine, character: char + prev.length } }, text }],
    });
    const p = await published;
    if (i >= 10) { edit.push(performance.now() - started); count = p.diagnostics.length; }
  }
  const completion = [];
  for (let i = 0; i < runs + 10; i++) {
    const started = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri: spec.uri }, position: { line: spec.editLine, character: char + 1 } });
    if (i >= 10) completion.push(performance.now() - started);
  }
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri: spec.uri } });
  return { edit: summary(edit), completion: summary(completion), diagnostics: count };
}

export async function benchSpec({ runs = arg('runs', 100) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'xai-bench-spec-'));
  const schemaUri = pathToFileURL(join(root, 'schemas/xai-pipeline.schema.json')).href;
  const xai = await startServer(join(root, 'dist/server/server.js'), ['--stdio'], { diagnosticsDebounceMs: 0 });
  // yaml-language-server's own 200 ms validation delay set to 0 (bench/yls-nodelay.cjs), as ours is.
  const yls = await startServer(join(root, 'bench/yls-nodelay.cjs'), ['--stdio']);
  // yaml-language-server: the same schema for *.xai.yaml, validation on, nothing else.
  await yls.conn.sendNotification('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, completion: true, hover: false, format: { enable: false }, schemas: { [schemaUri]: '*.xai.yaml' }, schemaStore: { enable: false } } },
  });
  const table = new Table({ style, head: ['spec', 'lines', 'XAI edit→diagnostics median / p95 ms', 'yaml-language-server median / p95 ms', 'ratio (p95)', 'XAI completion median / p95 ms', 'YLS completion median / p95 ms'] });
  try {
    for (const features of [5, 265, 2965]) {
      const spec = makeSpec(dir, features);
      const a = await measure(xai, spec, runs, { versioned: true });
      const b = await measure(yls, spec, runs, { versioned: false });
      table.push([`${features} features`, spec.lines, `${ms(a.edit.median)} / ${ms(a.edit.p95)}`, `${ms(b.edit.median)} / ${ms(b.edit.p95)}`,
        `${(a.edit.p95 / b.edit.p95).toFixed(2)}×`, `${ms(a.completion.median)} / ${ms(a.completion.p95)}`, `${ms(b.completion.median)} / ${ms(b.completion.p95)}`]);
    }
  } finally {
    await stop(xai);
    await stop(yls);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`spec language: edit → diagnostics and completion through the real servers (${runs} runs after 10 warm-up; XAI = schema + data-aware checks, debounce 0; ` +
    'yaml-language-server 1.25 = the same schema, validation only, delay 0; ratio = XAI p95 / peer p95, below 1 is faster)');
  console.log(table.toString());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchSpec();
