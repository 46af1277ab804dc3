/**
 * Must-show 4 (second half), over the real protocol: `xai/train` runs the real worker on the real CSV with
 * work-done progress; SIGKILL on the worker mid-training is reported as a crash naming the signal, the server
 * keeps publishing diagnostics, the next `xai/train` succeeds, and the runs folder holds only complete runs.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport, RunResult } from '../../protocol/protocol';
import { buildServer, fileUri, root, TestClient } from './lspClient';

const EPOCHS = 100; // a few seconds on this machine: long enough to be killed mid-training
const tmp = mkdtempSync(join(tmpdir(), 'xai-lsp-train-'));
// Same relative layout as the example: <tmp>/stock-price/stock-price.xai.yaml reads ../data/stocks.csv.
const specPath = join(tmp, 'stock-price/stock-price.xai.yaml');
const runsDir = join(tmp, 'stock-price/.xai/runs/stock-price');
const uri = fileUri(specPath);
const specText = readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8').replace(/epochs: \d+/, `epochs: ${EPOCHS}`);
let client: TestClient;

beforeAll(async () => {
  buildServer(['server', 'worker']);
  mkdirSync(join(tmp, 'stock-price'));
  mkdirSync(join(tmp, 'data'));
  copyFileSync(join(root, 'examples/data/stocks.csv'), join(tmp, 'data/stocks.csv'));
  writeFileSync(specPath, specText);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('training over the protocol', () => {
  it('opens the copied example with no diagnostics', async () => {
    await client.open(uri, specText);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });

  it('reports a worker killed by SIGKILL mid-training as a crash, and keeps serving', async () => {
    const logFrom = client.logs.all.length;
    const progressFrom = client.progress.all.length;
    const shownFrom = client.shown.all.length;
    const finishedFrom = client.notifications.all.length;
    const pending = client.connection.sendRequest('xai/train', { uri }) as Promise<RunResult>;

    const started = await client.logs.next((m) => /worker pid \d+ started: train /.test(m.message), logFrom);
    const pid = Number(/worker pid (\d+)/.exec(started.message)![1]);
    // Mid-training: the first epoch has been reported as work-done progress.
    const epoch = await client.progress.next((p) => p.value.kind === 'report' && /^epoch \d+\/100 · loss /.test(p.value.message ?? ''), progressFrom);
    expect(epoch.value.message).toMatch(/^epoch \d+\/100 · loss \d+\.\d{4}( · val \d+\.\d{4})?( · (about \d+ (s|min)|under 1 s) left)?$/);
    process.kill(pid, 'SIGKILL');

    const result = await pending;
    expect(result.ok).toBe(false);
    expect(result.cancelled).toBeFalsy();
    expect(result.message).toMatch(/killed by SIGKILL/);
    // The user is told, the progress ends, and the client hears that the run finished.
    const shown = await client.shown.next(() => true, shownFrom);
    expect(shown.type).toBe(1); // MessageType.Error
    expect(shown.message).toContain('killed by SIGKILL');
    await client.progress.next((p) => p.value.kind === 'end' && p.token === epoch.token, progressFrom);
    const finished = await client.notifications.next((n) => n.method === 'xai/runFinished', finishedFrom);
    expect(finished.params).toEqual({ uri, result });
    // The server process is alive.
    expect(client.process.exitCode).toBeNull();
    expect(client.process.signalCode).toBeNull();
  });

  it('still publishes diagnostics for an edit after the crash', async () => {
    const lines = specText.split('\n');
    const line = lines.findIndex((l) => l.startsWith('  epochs:'));
    const v = await client.change(uri, [{ range: { start: { line, character: 2 }, end: { line, character: 8 } }, text: 'epoch' }]);
    const published = await client.diagnosticsFor(uri, v);
    expect(published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message])).toEqual([
      ['unknown-key', line, 2, "Unknown key 'epoch' in 'training'; did you mean 'epochs'?"],
    ]);
    const back = await client.change(uri, [{ range: { start: { line, character: 2 }, end: { line, character: 7 } }, text: 'epochs' }]);
    expect((await client.diagnosticsFor(uri, back)).diagnostics).toEqual([]);
  });

  it('queues a second job for the same spec while one runs, and cancels each through its work-done progress', async () => {
    const logFrom = client.logs.all.length;
    const progressFrom = client.progress.all.length;
    const first = client.connection.sendRequest('xai/train', { uri }) as Promise<RunResult>;
    await client.logs.next((m) => /worker pid \d+ started: train /.test(m.message), logFrom);
    const begin = await client.progress.next((p) => p.value.kind === 'begin', progressFrom);
    const second = client.connection.sendRequest('xai/train', { uri }) as Promise<RunResult>;
    const queued = await client.progress.next((p) => p.value.kind === 'begin' && p.token !== begin.token, progressFrom);
    expect(queued.value.message).toMatch(/^queued behind train \(/);
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: queued.token });
    expect(await second).toEqual({ ok: false, cancelled: true, message: 'The queued train was cancelled before it started; nothing was run.' });
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    const result = await first;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    // Neither the killed nor the cancelled run left a run folder.
    const visible = existsSync(runsDir) ? readdirSync(runsDir).filter((n) => !n.startsWith('.')) : [];
    expect(visible).toEqual([]);
  });

  it('trains successfully next, with begin/report/end progress, and leaves only complete runs', async () => {
    const progressFrom = client.progress.all.length;
    const result = await client.connection.sendRequest('xai/train', { uri }) as RunResult;
    expect(result.message).toBeUndefined();
    expect(result.ok).toBe(true);
    const report = result.report as RunReport;
    expect(report.spec.name).toBe('stock-price');
    expect(report.features).toEqual(Array.from({ length: 10 }, (_, i) => `price_lag${i + 1}`));
    expect(report.history).toHaveLength(EPOCHS);
    expect(report.metrics.model.rmse).toBeGreaterThan(0);
    expect(report.importance?.features).toHaveLength(10);

    const events = client.progress.all.slice(progressFrom).map((p) => p.value);
    expect(events[0]).toMatchObject({ kind: 'begin', title: 'XAI: training', cancellable: true });
    expect(events.some((e) => e.kind === 'report' && e.message?.startsWith(`epoch ${EPOCHS}/${EPOCHS} · loss `))).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'end' });

    // Only complete runs: the successful one and the `latest` pointer; no temp folder, no partial run.
    expect(result.runDir).toBe(join(runsDir, basename(result.runDir!)));
    expect(readdirSync(runsDir).sort()).toEqual([basename(result.runDir!), 'latest'].sort());
    expect(readFileSync(join(runsDir, 'latest'), 'utf8').trim()).toBe(basename(result.runDir!));
    for (const f of ['report.json', report.artifacts.model, report.artifacts.preprocessing]) {
      expect(existsSync(join(result.runDir!, f)), f).toBe(true);
      expect(statSync(join(result.runDir!, f)).size, f).toBeGreaterThan(0);
    }
    expect(JSON.parse(readFileSync(join(result.runDir!, 'report.json'), 'utf8')).runId).toBe(basename(result.runDir!));

    // xai/latestRun now returns it.
    const latest = await client.connection.sendRequest('xai/latestRun', { uri }) as { runDir: string; report: RunReport } | null;
    expect(latest?.runDir).toBe(result.runDir);
    expect(latest?.report.runId).toBe(report.runId);
  });

  it('runs on the backend of the xaiPipelines.backend setting (auto picks wasm here; a change to cpu is used next)', async () => {
    const auto = await client.connection.sendRequest('xai/latestRun', { uri }) as { report: RunReport } | null;
    expect(auto?.report.backend).toBe('wasm'); // tfjs-node is not installed here, so auto falls back to wasm
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xaiPipelines: { backend: 'cpu' } } });
    const result = await client.connection.sendRequest('xai/train', { uri }) as RunResult;
    expect(result.ok).toBe(true);
    expect(result.report?.backend).toBe('cpu');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xaiPipelines: { backend: 'auto' } } });
  });

  it('answers xai/flowGraph with the spec’s nodes', async () => {
    const graph = await client.connection.sendRequest('xai/flowGraph', { uri }) as { specName: string; nodes: { kind: string; feature?: string }[] } | null;
    expect(graph?.specName).toBe('stock-price');
    expect(graph!.nodes.filter((n) => n.kind === 'feature').map((n) => n.feature)).toEqual(Array.from({ length: 10 }, (_, i) => `price_lag${i + 1}`));
  });
});
