/**
 * Fault injection with the real server, the real worker and the real file system (issue #5 must-show 3, issue #9
 * must-show 2). Each fault ends the job with a message that names its cause, the server stays up, the spec's
 * previous run stays the latest and complete, and no partial run is visible:
 * kill -9 mid-epoch, NaN loss, cancel (time to the worker's exit printed), out of memory (the memory-limit
 * setting), a hung worker (heartbeats stop; the watchdog setting kills it), disk full and read-only runs folder
 * (a real tmpfs mounted for the test; the runsFolder setting points at it), spec/CSV edited or deleted during the
 * run (the run used its snapshot and says so), the server killed mid-run (its worker exits; a new server sees
 * only complete runs).
 *
 * The hang is injected with XAI_WORKER_TEST_HANG (server/src/worker/testHooks.ts), which the worker honours only
 * under NODE_ENV=test: it is set here before the server starts, so the server's workers inherit it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../protocol/protocol';
import { buildServer, fileUri, TestClient } from './lspClient';
import { seededClassificationCsv } from '../unit/models/helpers';
import { alive, atEpoch, configure, send, stockWorkspace, visibleRuns, waitGone, type SpecFile } from './jobHelpers';

process.env.XAI_WORKER_TEST_HANG = 'hang.xai.yaml:2';
const ws = stockWorkspace('xai-lsp-faults-');
const mountPoint = join(ws.dir, 'small-disk');
let mounted = false;
// Where `mount` is forbidden (a container without CAP_SYS_ADMIN), the full and read-only file systems are injected
// at the durable-write layer instead (server/src/data/durableWrite.ts); the test says which one it used.
const writeFaultFlag = join(ws.dir, 'write-fault');
process.env.XAI_TEST_WRITE_FAULT = writeFaultFlag;
// XAI_TEST_NO_MOUNT=1 takes the injected path even where mount works (to check it).
let canMount: boolean | undefined = process.env.XAI_TEST_NO_MOUNT ? false : undefined;
let client: TestClient;

const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  buildServer(['server', 'worker']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  if (mounted) try { execFileSync('umount', ['-l', mountPoint]); } catch { /* best effort */ }
  rmSync(ws.dir, { recursive: true, force: true });
});

/** Trains `spec` with few epochs (the previous run), then rewrites it with `epochs`; returns the previous run id. */
async function previousRun(spec: SpecFile, epochs: number, edit?: (t: string) => string, shortEpochs = 5): Promise<string> {
  const name = spec.path.split('/').pop()!.replace('.xai.yaml', '');
  ws.spec(name, shortEpochs, edit);
  const r = await send(client, 'train', spec).result;
  expect(r.ok, r.message).toBe(true);
  ws.spec(name, epochs, edit);
  return r.report!.runId;
}

/** The server is up, the previous run is still the latest and complete, and nothing else is visible. */
async function intact(spec: SpecFile, previous: string, runsDir = spec.runsDir): Promise<void> {
  expect(client.process.exitCode).toBeNull();
  expect(client.process.signalCode).toBeNull();
  expect(visibleRuns(runsDir)).toEqual({ runs: [previous], latest: previous, hidden: [] });
  const latest = await client.connection.sendRequest('xai/latestRun', { uri: spec.uri }) as { report: { runId: string } } | null;
  expect(latest?.report.runId).toBe(previous);
}

/** The error the user is shown for the job (window/showMessage), from `from` on. */
const shownError = (from: number): Promise<string> => client.shown.next((m) => m.type === 1, from).then((m) => m.message);

function mountSmallDisk(): void {
  mkdirSync(mountPoint, { recursive: true });
  if (canMount === false) return;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    canMount = true;
  } catch (e) {
    canMount = false;
    console.log(`mount is not permitted here (${String((e as Error).message).split('\n')[0]}): the write faults are injected instead`);
    return;
  }
  mounted = true;
}

/** Makes every durable write under `dir` fail with `code` until the returned flag file is removed. */
function injectWriteFault(dir: string, code: string): string {
  writeFileSync(writeFaultFlag, `${dir}\t${code}`);
  return writeFaultFlag;
}

/** Fills the file system at `dir` until it reports ENOSPC (or, without mount, injects ENOSPC there); returns what to unlink to end it. */
function fillDisk(dir: string): string {
  if (!canMount) return injectWriteFault(dir, 'ENOSPC');
  const path = join(dir, 'filler.bin');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('faults during a job (real worker, real file system)', () => {
  it('kill -9 of the worker mid-epoch: crash message with the signal; previous run intact', async () => {
    const spec = ws.spec('killed', 5);
    const previous = await previousRun(spec, 100_000);
    const shownFrom = client.shown.all.length;
    const job = send(client, 'train', spec);
    const pid = await job.pid();
    await job.progress(atEpoch(3));
    process.kill(pid, 'SIGKILL');
    const r = await job.result;
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toMatch(/^The worker was killed by SIGKILL before finishing the job; the previous run is intact\./);
    expect(await shownError(shownFrom)).toContain('train failed: The worker was killed by SIGKILL');
    await intact(spec, previous);
  });

  it('NaN/Infinity in the loss (SGD at the largest learning rate the schema allows, 10): the job ends naming the epoch and the learning rate', async () => {
    const diverge = (t: string): string => t.replace('optimizer: adam', 'optimizer: sgd').replace('learning_rate: 0.001', 'learning_rate: 10');
    const spec = ws.spec('nan', 5);
    // The previous run uses the example's learning rate, then the spec is edited to diverge.
    const previous = await previousRun(spec, 200, undefined, 5);
    ws.spec('nan', 200, diverge);
    const r = await send(client, 'train', spec).result;
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^training diverged at epoch \d+: the loss is (NaN|Infinity); lower training\.learning_rate \(now 10\)/);
    console.log(`NaN loss message: ${r.message}`);
    await intact(spec, previous);
  });

  it('cancel: the worker is gone, the status says cancelled; prints the time from cancel to the worker’s exit', async () => {
    const spec = ws.spec('cancelled', 5);
    const previous = await previousRun(spec, 100_000);
    const logFrom = client.logs.all.length;
    const job = send(client, 'train', spec);
    const pid = await job.pid();
    await job.progress(atEpoch(3));
    const t0 = performance.now();
    expect(await client.connection.sendRequest('xai/cancel', { uri: spec.uri })).toBe(true);
    const waited = await waitGone(pid);
    const cancelToGoneMs = performance.now() - t0;
    expect(alive(pid)).toBe(false);
    const r = await job.result;
    expect(r).toEqual({ ok: false, cancelled: true, message: 'The job was cancelled; the worker was stopped and the previous run is intact.' });
    const exitLine = (await client.logs.next((m) => m.message.includes(`worker pid ${pid} exited`), logFrom)).message;
    expect(exitLine).toMatch(/exited \(SIGKILL\) \d+\.\d ms after the cancel$/);
    console.log(`cancel → worker gone: ${cancelToGoneMs.toFixed(1)} ms seen by the test (polled ${waited.toFixed(1)} ms after the answer); server log: ${exitLine}`);
    await intact(spec, previous);
  });

  it('out of memory under the xaiPipelines.worker.memoryLimitMb setting: the message names the limit', async () => {
    const dir = join(ws.dir, 'oom');
    mkdirSync(dir);
    const path = join(dir, 'big.xai.yaml');
    const spec: SpecFile = { path, uri: fileUri(path), text: '', runsDir: join(dir, '.xai/runs/big') };
    writeFileSync(path, 'version: 1\nname: big\ntask: classification\ndata: { source: data.csv, target: label }\n' +
      'preprocessing:\n  - split: { method: random, validation: 0.2 }\nmodel: { type: decision_tree, max_depth: 6 }\ntraining: { seed: 1 }\n');
    writeFileSync(join(dir, 'data.csv'), seededClassificationCsv(300));
    const first = await send(client, 'train', spec).result;
    expect(first.ok, first.message).toBe(true);
    writeFileSync(join(dir, 'data.csv'), seededClassificationCsv(400_000));
    await configure(client, { worker: { memoryLimitMb: 64 } });
    try {
      const r = await send(client, 'train', spec).result;
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^The worker ran out of memory \(limit 64 MB\) and was stopped; the previous run is intact\./);
    } finally {
      await configure(client, { worker: { memoryLimitMb: 4096 } });
    }
    await intact(spec, first.report!.runId);
  });

  it('a hung worker (no heartbeat) is killed by the watchdog of xaiPipelines.worker.watchdogSeconds; the message says so', async () => {
    const spec = ws.spec('hang', 1);
    // One epoch does not reach the hang (after epoch 2): that is the previous run.
    const previous = await previousRun(spec, 1000, undefined, 1);
    await configure(client, { worker: { watchdogSeconds: 2 } });
    try {
      const job = send(client, 'train', spec);
      const pid = await job.pid();
      const r = await job.result;
      expect(r.ok).toBe(false);
      console.log(`hung worker message: ${r.message}`);
      expect(r.message).toMatch(/^The worker hung: it sent no heartbeat for \d+(\.\d)? s during "Epoch 2\/1000.*", so the watchdog \(xaiPipelines\.worker\.watchdogSeconds = 2\) stopped it; the previous run is intact\.$/);
      await waitGone(pid);
      expect(alive(pid)).toBe(false);
    } finally {
      await configure(client, { worker: { watchdogSeconds: 120 } });
    }
    await intact(spec, previous);
  });

  it('a healthy training longer than the watchdog is not taken for a hang (heartbeats flow during training)', async () => {
    const spec = ws.spec('healthy', 300);
    await configure(client, { worker: { watchdogSeconds: 1 } });
    try {
      const r = await send(client, 'train', spec).result;
      expect(r.ok, r.message).toBe(true);
      expect(r.report!.history).toHaveLength(300);
      console.log(`300 epochs under a 1 s watchdog: trained in ${r.report!.timings.trainMs} ms`);
    } finally {
      await configure(client, { worker: { watchdogSeconds: 120 } });
    }
  });

  it('disk full while writing the artifacts (a 24 MB tmpfs as the runsFolder setting; one run is 3.7 MB): ENOSPC named, nothing kept, next run fine', async () => {
    mountSmallDisk();
    await configure(client, { runsFolder: mountPoint });
    try {
      const spec = ws.spec('full', 5);
      const runsDir = join(mountPoint, 'full');
      const previous = await previousRun(spec, 300);
      expect(visibleRuns(runsDir).latest).toBe(previous);
      const job = send(client, 'train', spec);
      await job.progress(atEpoch(2));
      const filler = fillDisk(mountPoint);
      const r = await job.result;
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(new RegExp(`^could not write the run's artifacts: the disk is full \\(no space left on device\\) \\(ENOSPC, ${runsDir}/\\.tmp-[^)]+\\); nothing of this run was kept and the previous run is intact$`));
      console.log(`disk full message: ${r.message}`);
      await intact(spec, previous, runsDir);
      unlinkSync(filler);
      const next = await send(client, 'train', spec).result;
      expect(next.ok, next.message).toBe(true);
      expect(visibleRuns(runsDir)).toEqual({ runs: [previous, next.report!.runId].sort(), latest: next.report!.runId, hidden: [] });
    } finally {
      await configure(client, { runsFolder: '' });
    }
  });

  it('runs folder turned read-only while the job runs (tmpfs remounted ro): EROFS named; previous run intact', async () => {
    if (!mounted) mountSmallDisk();
    await configure(client, { runsFolder: mountPoint });
    const runsDir = join(mountPoint, 'readonly');
    try {
      const spec = ws.spec('readonly', 5);
      const previous = await previousRun(spec, 300);
      const job = send(client, 'train', spec);
      await job.progress(atEpoch(2));
      if (canMount) execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      else injectWriteFault(mountPoint, 'EROFS');
      const r = await job.result;
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^could not write the run's artifacts: the runs folder is on a read-only file system \(EROFS, [^)]+\); nothing of this run was kept and the previous run is intact$/);
      console.log(`read-only message: ${r.message}`);
      await intact(spec, previous, runsDir);
    } finally {
      if (canMount) execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
      else rmSync(writeFaultFlag, { force: true });
      await configure(client, { runsFolder: '' });
    }
  });

  it('spec edited during the run: the run uses the snapshot read at start, records its hash, and warns', async () => {
    const spec = ws.spec('edited', 300);
    const shownFrom = client.shown.all.length;
    const job = send(client, 'train', spec);
    await job.progress(atEpoch(2));
    appendFileSync(spec.path, '# edited while training\n');
    const r = await job.result;
    expect(r.ok, r.message).toBe(true);
    expect(r.report!.spec.sha256).toBe(sha(spec.text));
    expect(r.report!.history).toHaveLength(300);
    expect(r.report!.inputsChangedDuringRun).toEqual([{ path: spec.path, now: 'modified' }]);
    expect(r.warning).toBe(`${spec.path} was modified during the run; the run used the files as they were when it started (their hashes are in report.json): train again to use the current ones.`);
    expect(JSON.parse(readFileSync(join(r.runDir!, 'report.json'), 'utf8')).inputsChangedDuringRun).toEqual(r.report!.inputsChangedDuringRun);
    const warned = await client.shown.next((m) => m.type === 2, shownFrom);
    expect(warned.message).toBe(`XAI Pipelines: ${r.warning}`);
  });

  it('CSV deleted and spec deleted during the run: the run completes on its snapshot and names both files', async () => {
    const spec = ws.spec('deleted', 300);
    const csvBytes = readFileSync(ws.csv);
    const job = send(client, 'train', spec);
    await job.progress(atEpoch(2));
    renameSync(ws.csv, `${ws.csv}.away`);
    unlinkSync(spec.path);
    let r: RunResult;
    try {
      r = await job.result;
    } finally {
      renameSync(`${ws.csv}.away`, ws.csv);
    }
    expect(r.ok, r.message).toBe(true);
    expect(r.report!.data.sha256).toBe(sha(csvBytes));
    expect(r.report!.inputsChangedDuringRun).toEqual([{ path: spec.path, now: 'deleted' }, { path: ws.csv, now: 'deleted' }]);
    expect(r.warning).toMatch(/^.*deleted\.xai\.yaml was deleted and .*stocks\.csv was deleted during the run; the run used the files as they were when it started/);
    expect(visibleRuns(spec.runsDir)).toMatchObject({ runs: [r.report!.runId], latest: r.report!.runId });
  });
});

describe('the server killed mid-run', () => {
  it('its worker exits (its IPC closed); a new server sees only the complete previous run and trains again', async () => {
    const spec = ws.spec('restart', 5);
    const first = await TestClient.start();
    let firstUp = true;
    try {
      const prev = await send(first, 'train', spec).result;
      expect(prev.ok, prev.message).toBe(true);
      ws.spec('restart', 100_000);
      const job = send(first, 'train', spec);
      // The request dies with the server's connection.
      job.result.catch(() => undefined);
      const pid = await job.pid();
      await job.progress(atEpoch(3));
      first.process.kill('SIGKILL');
      firstUp = false;
      const waited = await waitGone(pid);
      expect(alive(pid)).toBe(false);
      console.log(`server killed: its worker ${pid} was gone after ${waited.toFixed(0)} ms`);

      const second = await TestClient.start();
      try {
        const latest = await second.connection.sendRequest('xai/latestRun', { uri: spec.uri }) as { report: { runId: string } } | null;
        expect(latest?.report.runId).toBe(prev.report!.runId);
        expect(visibleRuns(spec.runsDir)).toEqual({ runs: [prev.report!.runId], latest: prev.report!.runId, hidden: [] });
        ws.spec('restart', 5);
        const again = await send(second, 'train', spec).result;
        expect(again.ok, again.message).toBe(true);
        expect(visibleRuns(spec.runsDir)).toEqual({ runs: [prev.report!.runId, again.report!.runId].sort(), latest: again.report!.runId, hidden: [] });
      } finally {
        await second.stop();
      }
    } finally {
      if (firstUp) await first.stop();
      else first.connection.dispose();
    }
  });
});

describe('kill -9 of the worker as it writes the run folder, then a new server', () => {
  it('leaves either the complete new run as latest or the previous one; never a visible partial run', async () => {
    const spec = ws.spec('restart-write', 5);
    const first = await TestClient.start();
    const prev = await send(first, 'train', spec).result;
    expect(prev.ok, prev.message).toBe(true);
    ws.spec('restart-write', 40);
    const job = send(first, 'train', spec);
    job.result.catch(() => undefined);
    const pid = await job.pid();
    // The worker's first report of the write stage (it starts the run folder right after): kill it there, then
    // the server too, so that a new server reads what is on disk.
    await job.progress((v) => v.kind === 'report' && v.message === 'Writing the run folder');
    process.kill(pid, 'SIGKILL');
    await waitGone(pid);
    expect(alive(pid)).toBe(false);
    first.process.kill('SIGKILL');
    first.connection.dispose();

    // Whatever the worker had written: the visible runs are complete (visibleRuns checks) and latest is one of them.
    const seen = visibleRuns(spec.runsDir);
    expect(seen.runs).toContain(prev.report!.runId);
    expect(seen.runs).toContain(seen.latest);
    const partial = seen.hidden.map((h) => `${h}: ${JSON.stringify(readdirSync(join(spec.runsDir, h), { recursive: true }))}`);
    console.log(`worker killed at the write stage: visible ${JSON.stringify(seen.runs)}, latest ${seen.latest}, hidden ${partial.join('; ') || 'none'}`);
    const second = await TestClient.start();
    try {
      const latest = await second.connection.sendRequest('xai/latestRun', { uri: spec.uri }) as { report: { runId: string } } | null;
      expect(latest?.report.runId).toBe(seen.latest);
      ws.spec('restart-write', 5);
      const again = await send(second, 'train', spec).result;
      expect(again.ok, again.message).toBe(true);
      // The next run removed the dead writer's hidden temp folder, if there was one.
      expect(visibleRuns(spec.runsDir)).toMatchObject({ latest: again.report!.runId, hidden: [] });
    } finally {
      await second.stop();
    }
  });
});
