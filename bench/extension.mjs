// The extension as a user meets it, in a real workbench (code-server 4.100.3 + Chromium, test/workbench/harness.ts):
//   - activation time: what `activate` measured itself (the "activated in N ms" line of its output channel);
//   - language server ready: from activation to the server's initialize answer (same channel);
//   - first diagnostics after the editor opens: from the spec's editor tab appearing to the first error squiggle,
//     both timed in the page by a MutationObserver (one clock), for the first spec opened right after the
//     workbench is up (cold: the server may still be starting) and for a second spec (warm);
//   - the .vsix: size and file count.
// Usage: node bench/extension.mjs [--rounds N]   (after `node scripts/build.mjs`; needs code-server in .tools/)
/* global document, MutationObserver */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';
import * as rpc from 'vscode-jsonrpc/node.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** The workbench harness, bundled from TypeScript next to the other bench bundles (dist/bench/). */
async function loadHarness() {
  const outfile = join(root, 'dist', 'bench', 'harness.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'test', 'workbench', 'harness.ts')], bundle: true, platform: 'node', format: 'esm',
    target: 'node20', outfile, external: ['playwright-core'], logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

/** CPU and wall ms of `require(dist/client/extension.js)` in a fresh Node with a stand-in `vscode` module: the code loading part of activation. */
function clientLoad() {
  const script = `
    const Module = require('node:module');
    const orig = Module._load;
    const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub });
    Module._load = function (req, ...rest) { return req === 'vscode' ? stub : orig.call(this, req, ...rest); };
    const c0 = process.cpuUsage(); const t0 = performance.now();
    require(${JSON.stringify(join(root, 'dist', 'client', 'extension.js'))});
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/** The built server over stdio: spawn → initialize answer and → first publishDiagnostics, and its CPU time then (/proc). */
async function serverStart(text) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'server', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  conn.onRequest(() => null);
  const published = new Promise((r) => conn.onNotification('textDocument/publishDiagnostics', r));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    const init = performance.now() - t0;
    conn.sendNotification('initialized', {});
    const uri = pathToFileURL(join(root, 'examples', 'stock-price', 'bench-first.xai.yaml')).href;
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xai-pipeline', version: 1, text } });
    await published;
    const first = performance.now() - t0;
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { init, first, cpu: (Number(stat[11]) + Number(stat[12])) * 10 };
  } finally {
    conn.dispose();
    child.kill('SIGKILL');
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const fmt = (xs) => (xs.length ? `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})` : '—');

/** Opens `name` with Quick Open and returns ms from its editor tab appearing to the first error squiggle (page clock). */
async function tabToSquiggle(w, name) {
  await w.page.evaluate((file) => {
    const g = globalThis;
    g.__xaiBench = { tab: 0, squiggle: 0 };
    const check = () => {
      const b = g.__xaiBench;
      if (!b.tab && document.querySelector(`.tab[data-resource-name="${file}"]`)) b.tab = performance.now();
      if (b.tab && !b.squiggle && document.querySelector('.monaco-editor .squiggly-error')) b.squiggle = performance.now();
      b.origin = performance.timeOrigin;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, name);
  await w.openFile(name);
  await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
  await w.page.waitForFunction(() => globalThis.__xaiBench.squiggle > 0, undefined, { timeout: 10_000 });
  const b = await w.page.evaluate(() => globalThis.__xaiBench);
  return { ms: b.squiggle - b.tab, tabAt: b.origin + b.tab, squiggleAt: b.origin + b.squiggle };
}

export async function benchExtension({ rounds = arg('rounds', 3) } = {}) {
  const { Workbench, packageExtension, ROOT } = await loadHarness();
  if (!existsSync(join(ROOT, '.tools', 'code-server'))) {
    console.log('extension bench skipped: code-server is not installed (bash scripts/setup-code-server.sh)');
    return;
  }
  const { vsix, bytes } = packageExtension(join(ROOT, 'dist', 'bench', 'vsix'));
  const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter((l) => l && !l.endsWith('/'));

  const broken = readFileSync(join(root, 'examples', 'stock-price', 'stock-price.xai.yaml'), 'utf8').replace(/^model:/m, 'modle:');
  const samples = { activation: [], serverReady: [], cold: [], warm: [], tabAfterActivation: [], squiggleAfterActivation: [], loadCpu: [], loadWall: [], srvInit: [], srvFirst: [], srvCpu: [] };
  for (let i = 0; i < 5; i++) {
    const l = clientLoad();
    samples.loadCpu.push(l.cpu);
    samples.loadWall.push(l.wall);
    const s = await serverStart(broken);
    samples.srvInit.push(s.init);
    samples.srvFirst.push(s.first);
    samples.srvCpu.push(s.cpu);
  }
  for (let i = 0; i < rounds; i++) {
    const ws = mkdtempSync(join(tmpdir(), 'xai-bench-ws-'));
    cpSync(join(root, 'examples'), ws, { recursive: true, filter: (src) => !src.includes('/.xai') });
    writeFileSync(join(ws, 'stock-price', 'first.xai.yaml'), broken);
    writeFileSync(join(ws, 'stock-price', 'second.xai.yaml'), broken);
    const w = await Workbench.start({ vsix, name: `bench-extension-${i}`, settings: process.argv.includes('--trace') ? { 'xaiPipelines.trace.server': 'verbose' } : {} });
    try {
      await w.openFolder(ws);
      const cold = await tabToSquiggle(w, 'first.xai.yaml');
      samples.cold.push(cold.ms);
      // A fresh editor for the warm case: the first editor's squiggle must not count.
      await w.runCommand('View: Close All Editors');
      await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 10_000 });
      samples.warm.push((await tabToSquiggle(w, 'second.xai.yaml')).ms);
      const log = w.readLogs(/output_logging_.*XAI/);
      const a = /activated in ([\d.]+) ms/.exec(log);
      const r = /language server ready (\d+) ms after activation began/.exec(log);
      if (a) samples.activation.push(Number(a[1]));
      if (r) samples.serverReady.push(Number(r[1]));
      // Where the cold case's time goes: the extension host's activation line has a wall-clock time stamp.
      const act = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*_doActivateExtension xai-pipelines\.xai-pipelines/m.exec(w.readLogs(/exthost\.log$/));
      if (act) {
        const activatedAt = new Date(act[1].replace(' ', 'T')).getTime();
        samples.tabAfterActivation.push(cold.tabAt - activatedAt);
        samples.squiggleAfterActivation.push(cold.squiggleAt - activatedAt);
      }
    } finally {
      await w.stop();
      rmSync(ws, { recursive: true, force: true });
    }
  }

  const style = { head: [], border: [] };
  const t = new Table({ style, head: [`extension in code-server (${rounds} workbenches)`, 'median ms (min–max)', 'goal'] });
  t.push(['client bundle load (require in Node, CPU ms; wall below)', fmt(samples.loadCpu), '']);
  t.push(['client bundle load (wall)', fmt(samples.loadWall), '']);
  t.push(['activation (activate() itself, in the workbench)', fmt(samples.activation), '< 100 with the load']);
  t.push(['server (stdio): spawn → initialize answer', fmt(samples.srvInit), '']);
  t.push(['server (stdio): spawn → first diagnostics', fmt(samples.srvFirst), '']);
  t.push(['server (stdio): its CPU ms until the first diagnostics', fmt(samples.srvCpu), '']);
  t.push(['activation → language server ready', fmt(samples.serverReady), '']);
  t.push(['first diagnostics after the editor opens (first spec, cold)', fmt(samples.cold), '< 1000']);
  t.push(['first diagnostics after the editor opens (second spec, warm)', fmt(samples.warm), '']);
  t.push(['cold: editor tab appeared, ms after activation began', fmt(samples.tabAfterActivation), '']);
  t.push(['cold: first squiggle, ms after activation began', fmt(samples.squiggleAfterActivation), '']);
  console.log(t.toString());
  const v = new Table({ style, head: ['.vsix', 'bytes', 'MiB', 'files'] });
  v.push([vsix.replace(`${ROOT}/`, ''), bytes, (bytes / 1024 / 1024).toFixed(2), files.length]);
  console.log(v.toString());
  return { samples, bytes, files };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchExtension();
