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
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import * as esbuild from 'esbuild';

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
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, name);
  await w.openFile(name);
  await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
  await w.page.waitForFunction(() => globalThis.__xaiBench.squiggle > 0, undefined, { timeout: 10_000 });
  const b = await w.page.evaluate(() => globalThis.__xaiBench);
  return b.squiggle - b.tab;
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
  const samples = { activation: [], serverReady: [], cold: [], warm: [] };
  for (let i = 0; i < rounds; i++) {
    const ws = mkdtempSync(join(tmpdir(), 'xai-bench-ws-'));
    cpSync(join(root, 'examples'), ws, { recursive: true, filter: (src) => !src.includes('/.xai') });
    writeFileSync(join(ws, 'stock-price', 'first.xai.yaml'), broken);
    writeFileSync(join(ws, 'stock-price', 'second.xai.yaml'), broken);
    const w = await Workbench.start({ vsix, name: `bench-extension-${i}` });
    try {
      await w.openFolder(ws);
      samples.cold.push(await tabToSquiggle(w, 'first.xai.yaml'));
      samples.warm.push(await tabToSquiggle(w, 'second.xai.yaml'));
      const log = w.readLogs(/output_logging_.*XAI/);
      const a = /activated in ([\d.]+) ms/.exec(log);
      const r = /language server ready (\d+) ms after activation began/.exec(log);
      if (a) samples.activation.push(Number(a[1]));
      if (r) samples.serverReady.push(Number(r[1]));
    } finally {
      await w.stop();
      rmSync(ws, { recursive: true, force: true });
    }
  }

  const style = { head: [], border: [] };
  const t = new Table({ style, head: [`extension in code-server (${rounds} workbenches)`, 'median ms (min–max)', 'goal'] });
  t.push(['activation (activate() itself)', fmt(samples.activation), '< 100']);
  t.push(['activation → language server ready', fmt(samples.serverReady), '']);
  t.push(['first diagnostics after the editor opens (first spec, cold)', fmt(samples.cold), '< 1000']);
  t.push(['first diagnostics after the editor opens (second spec, warm)', fmt(samples.warm), '']);
  console.log(t.toString());
  const v = new Table({ style, head: ['.vsix', 'bytes', 'MiB', 'files'] });
  v.push([vsix.replace(`${ROOT}/`, ''), bytes, (bytes / 1024 / 1024).toFixed(2), files.length]);
  console.log(v.toString());
  return { samples, bytes, files };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchExtension();
