/**
 * The worker makes no network calls (issue #9, security): the real built worker trains and explains the stock
 * example with a preload (`--require test/worker/recordNetwork.cjs`, passed through NODE_OPTIONS, which the forked
 * worker inherits) that records and refuses every attempt through net, tls, http(s), http2, dns, dgram and fetch.
 * A control process proves the preload catches such attempts; the worker's log must hold none.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../server/src/worker/client';

const root = join(__dirname, '../..');
const workerPath = join(root, 'dist/worker/worker.js');
const preload = join(__dirname, 'recordNetwork.cjs');
const dir = mkdtempSync(join(tmpdir(), 'xai-no-network-'));
const log = join(dir, 'network.jsonl');

interface Entry { pid: number; loaded?: boolean; api?: string; args?: string[] }
const entries = (): Entry[] => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);

const savedOptions = process.env.NODE_OPTIONS;
beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'worker'], { cwd: root, stdio: 'pipe' });
  writeFileSync(log, '');
});
afterAll(() => {
  if (savedOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = savedOptions;
  delete process.env.XAI_NET_LOG;
  rmSync(dir, { recursive: true, force: true });
});

describe('the worker and the network', () => {
  it('the preload records and refuses fetch, dns, net and https attempts (control)', () => {
    const control = join(dir, 'control.jsonl');
    const r = spawnSync(process.execPath, ['--require', preload, '-e', [
      "try { fetch('http://127.0.0.1:9') } catch {}",
      "try { require('node:dns').lookup('example.com', () => {}) } catch {}",
      "try { require('node:net').connect(9, '127.0.0.1') } catch {}",
      "try { require('node:https').get('https://example.com') } catch {}",
    ].join(';')], { env: { ...process.env, XAI_NET_LOG: control }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const seen = readFileSync(control, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);
    expect(seen.map((e) => e.api ?? 'loaded')).toEqual(['loaded', 'globalThis.fetch', 'dns.lookup', 'net.connect', 'https.get']);
  });

  it('trains and explains the stock example (permutation importance, SHAP, integrated gradients, Sobol) in the worker with no network attempt', async () => {
    mkdirSync(join(dir, 'stock-price'));
    mkdirSync(join(dir, 'data'));
    cpSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
    const spec = join(dir, 'stock-price/stock-price.xai.yaml');
    // The example plus the explainers that fit an MLP (SHAP, integrated gradients, Sobol indices).
    const extra = '  - shap:\n      samples: 3\n  - integrated_gradients:\n      samples: 3\n      baseline: zero\n  - sobol:\n      samples: 128\n';
    writeFileSync(spec, `${readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8').replace(/epochs: \d+/, 'epochs: 20').trimEnd()}\n${extra}`);
    process.env.NODE_OPTIONS = `${savedOptions ?? ''} --require ${preload}`.trim();
    process.env.XAI_NET_LOG = log;

    const pids: number[] = [];
    // `auto` also tries to load the optional native backend before wasm: that path must stay offline too.
    const trained = await runJob({ kind: 'train', specPath: spec, backend: 'auto' }, { workerPath, onStart: (p) => pids.push(p) });
    expect(trained.ok, trained.message).toBe(true);
    expect(trained.report!.importance!.features).toHaveLength(10);
    expect(trained.report!.explanations!.map((e) => e.method)).toEqual(['shap', 'integrated_gradients', 'sobol']);
    const explained = await runJob({ kind: 'explain', specPath: spec, backend: 'auto' }, { workerPath, onStart: (p) => pids.push(p) });
    expect(explained.ok, explained.message).toBe(true);
    expect(explained.runDir).toBe(trained.runDir);

    const all = entries();
    // The preload was active in both worker processes…
    expect(all.filter((e) => e.loaded).map((e) => e.pid).sort()).toEqual([...pids].sort());
    // …and recorded no attempt.
    expect(all.filter((e) => !e.loaded)).toEqual([]);
  });
});
