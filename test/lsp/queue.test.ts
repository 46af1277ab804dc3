/**
 * One job per spec at a time, over the real protocol with the real worker: a second Train/Explain of a spec
 * waits in the queue (its progress says "queued behind …") and runs after the first; a job of another spec runs
 * alongside; cancelling a queued job removes it; the progress line carries the time left.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, TestClient } from './lspClient';
import { alive, atEpoch, configure, send, stockWorkspace, visibleRuns } from './jobHelpers';

const ws = stockWorkspace('xai-lsp-queue-');
let client: TestClient;

beforeAll(async () => {
  buildServer(['server', 'worker']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

/** Index of the first log line that passes `test` (-1 if none). */
const logIndex = (test: (m: string) => boolean): number => client.logs.all.findIndex((m) => test(m.message));

/** Peak resident memory of a live process in MB (VmHWM), or undefined once it is gone. */
function peakMb(pid: number): number | undefined {
  try { return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024; } catch { return undefined; }
}

describe('the job queue', () => {
  it('queues a second train of the same spec behind the first, says so, then runs it; the progress shows the time left', async () => {
    const spec = ws.spec('queued', 150);
    const first = send(client, 'train', spec);
    const firstPid = await first.pid();
    const second = send(client, 'train', spec);
    const begin = await second.progress((v) => v.kind === 'begin');
    expect(begin.message).toMatch(/^queued behind train \(/);

    const a = await first.result;
    const b = await second.result;
    expect(a.ok, a.message).toBe(true);
    expect(b.ok, b.message).toBe(true);
    // The second worker started only after the first job had finished (its result was in).
    const secondPid = await second.pid();
    expect(secondPid).not.toBe(firstPid);
    const firstDone = logIndex((m) => m === `[xai] train finished: ${a.runDir}`);
    const secondStart = logIndex((m) => m.includes(`worker pid ${secondPid} started`));
    expect(firstDone).toBeGreaterThanOrEqual(0);
    expect(secondStart).toBeGreaterThan(firstDone);
    expect(visibleRuns(spec.runsDir)).toMatchObject({ runs: [a.report!.runId, b.report!.runId].sort(), latest: b.report!.runId, hidden: [] });

    // While queued it said what it waited for; while training, the epoch, the loss and the time left.
    const lines = first.events().filter((v) => v.kind === 'report').map((v) => v.message ?? '');
    const withEta = lines.filter((l) => / · (about \d+ (s|min)|under 1 s) left$/.test(l));
    expect(withEta.length).toBeGreaterThan(0);
    expect(withEta[0]).toMatch(/^epoch \d+\/150 · loss \d+\.\d{4} · val \d+\.\d{4} · (about \d+ (s|min)|under 1 s) left$/);
    console.log(`training lines of the first job: ${JSON.stringify(withEta[0])} … ${JSON.stringify(withEta.at(-1))}`);
    console.log(`the queued job's lines: ${JSON.stringify(second.events().map((v) => v.message).filter(Boolean).slice(0, 3))}`);
  });

  it('an explain queued behind a train explains the run that train made', async () => {
    const spec = ws.spec('train-then-explain', 120);
    const train = send(client, 'train', spec);
    await train.pid();
    const explain = send(client, 'explain', spec);
    expect((await explain.progress((v) => v.kind === 'begin')).message).toMatch(/^queued behind train \(/);
    const t = await train.result;
    const e = await explain.result;
    expect(t.ok, t.message).toBe(true);
    expect(e.ok, e.message).toBe(true);
    expect(e.runDir).toBe(t.runDir);
    expect(e.report!.importance).toEqual(t.report!.importance);
  });

  it('runs a job of another spec alongside (two workers at once); xai/cancel stops each', async () => {
    const one = ws.spec('alongside-one', 100_000);
    const two = ws.spec('alongside-two', 100_000);
    const a = send(client, 'train', one);
    const b = send(client, 'train', two);
    const [pa, pb] = await Promise.all([a.pid(), b.pid()]);
    await Promise.all([a.progress(atEpoch(3)), b.progress(atEpoch(3))]);
    expect(alive(pa) && alive(pb)).toBe(true);
    console.log(`two training workers at once: peak RSS ${peakMb(pa)?.toFixed(0)} MB and ${peakMb(pb)?.toFixed(0)} MB`);
    expect(await client.connection.sendRequest('xai/cancel', { uri: one.uri })).toBe(true);
    expect(await client.connection.sendRequest('xai/cancel', { uri: two.uri })).toBe(true);
    expect(await a.result).toMatchObject({ ok: false, cancelled: true });
    expect(await b.result).toMatchObject({ ok: false, cancelled: true });
    expect(visibleRuns(one.runsDir).runs).toEqual([]);
  });

  it('cancelling a queued job removes it from the queue; the running job and the one after still run', async () => {
    const spec = ws.spec('cancel-queued', 150);
    const first = send(client, 'train', spec);
    await first.pid();
    const second = send(client, 'train', spec);
    const third = send(client, 'train', spec);
    expect((await third.progress((v) => v.kind === 'begin')).message).toMatch(/^queued behind train \(.*\) and 1 more$/);
    second.cancel();
    expect(await second.result).toEqual({ ok: false, cancelled: true, message: 'The queued train was cancelled before it started; nothing was run.' });
    // The third now waits behind the first only.
    await third.progress((v) => v.kind === 'report' && /^queued behind train \(/.test(v.message ?? '') && !/ more$/.test(v.message ?? ''));
    const [a, c] = [await first.result, await third.result];
    expect(a.ok, a.message).toBe(true);
    expect(c.ok, c.message).toBe(true);
    // Two workers ran for this spec, not three.
    expect(client.logs.all.filter((m) => m.message.includes(`started: train ${spec.path}`))).toHaveLength(2);
    expect(visibleRuns(spec.runsDir).runs).toEqual([a.report!.runId, c.report!.runId].sort());
  });

  it('settings reach the worker: explain.maxRows caps the explanation rows, a relative runsFolder is beside the spec', async () => {
    await configure(client, { explain: { maxRows: 10 }, runsFolder: 'my-runs' });
    try {
      const spec = ws.spec('settings', 20);
      const r = await send(client, 'train', spec).result;
      expect(r.ok, r.message).toBe(true);
      expect(r.runDir).toBe(join(ws.dir, 'stock-price/my-runs/settings', r.report!.runId));
      // Metrics use all 23 validation rows; permutation importance 10 of them: 10 × (1 + 10 features × 10 repeats).
      expect(r.report!.data.validationRows).toBe(23);
      expect(r.report!.importance!.evaluations).toBe(10 * (1 + 10 * 10));
      const latest = await client.connection.sendRequest('xai/latestRun', { uri: spec.uri }) as { runDir: string } | null;
      expect(latest?.runDir).toBe(r.runDir);
    } finally {
      await configure(client, { explain: { maxRows: 10_000 }, runsFolder: '' });
    }
  });

  it('settings given as initializationOptions (as the extension starts the server) reach the worker too', async () => {
    const other = await TestClient.start({ initializationOptions: { backend: 'cpu', worker: { memoryLimitMb: 2048, watchdogSeconds: -1 }, explain: { maxRows: 12 }, runsFolder: 'init-runs' } });
    try {
      const spec = ws.spec('init-settings', 10);
      const r = await send(other, 'train', spec).result;
      expect(r.ok, r.message).toBe(true);
      expect(r.runDir).toBe(join(ws.dir, 'stock-price/init-runs/init-settings', r.report!.runId));
      expect(r.report!.backend).toBe('cpu');
      expect(r.report!.importance!.evaluations).toBe(12 * (1 + 10 * 10));
      // A value out of range is ignored (the default stays) and said so in the log.
      expect(other.logs.all.map((m) => m.message)).toContain('[xai] ignored xaiPipelines.worker.watchdogSeconds = -1: use 0 (off) or a number ≥ 1');
    } finally {
      await other.stop();
    }
  });

  it('xai/cancel stops the running job and drops the queued ones of that spec', async () => {
    const spec = ws.spec('cancel-all', 100_000);
    const first = send(client, 'train', spec);
    const pid = await first.pid();
    const second = send(client, 'explain', spec);
    await second.progress((v) => v.kind === 'begin');
    expect(await client.connection.sendRequest('xai/cancel', { uri: spec.uri })).toBe(true);
    expect(await first.result).toMatchObject({ ok: false, cancelled: true });
    expect(await second.result).toEqual({ ok: false, cancelled: true, message: 'The queued explain was cancelled before it started; nothing was run.' });
    expect(client.logs.all.filter((m) => m.message.includes(`started: explain ${spec.path}`))).toHaveLength(0);
    expect(logIndex((m) => m.includes(`worker pid ${pid} exited (SIGKILL)`))).toBeGreaterThanOrEqual(0);
    expect(await client.connection.sendRequest('xai/cancel', { uri: spec.uri })).toBe(false);
  });
});
