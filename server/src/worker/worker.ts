/**
 * The worker process: forked by `runJob` (language server or CLI), it receives one job over IPC, runs it with
 * TensorFlow.js, streams progress and log lines, sends the result and exits. Training in its own process keeps
 * the language server responsive, and lets a cancel kill the job outright.
 */
import { resolve } from 'node:path';
import { format } from 'node:util';
import type { RunResult } from '../../../protocol/protocol';
import { DataError } from '../data/errors';
import { explainLatestRun } from '../pipeline/explainRun';
import { runPipeline } from '../pipeline/runPipeline';
import { SpecError } from '../pipeline/specInput';
import { explainModelJob } from '../pipeline/savedModelExplain';
import { selectBackend } from './backend';
import { HEARTBEAT_MS, type WorkerJob, type WorkerProgress } from './jobs';
import { isJobMessage, type WorkerMessage } from './messages';
import { hangForever, hangRequested } from './testHooks';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) { resolve(); return; }
    process.send(message, undefined, undefined, () => resolve());
  });
}

const log = (line: string): void => { void send({ type: 'log', line }); };

// TensorFlow.js greets and warns on the console; stdout is not ours to print on, route it to the log.
console.log = (...args: unknown[]) => log(format(...args));
console.info = console.log;
console.warn = (...args: unknown[]) => log(format(...args));

/** Runs one job; every failure becomes `{ ok: false, message }`. */
async function runJobHere(job: WorkerJob): Promise<RunResult> {
  try {
    const backend = await selectBackend(job.backend ?? 'auto', log);
    const specPath = resolve(job.specPath);
    const onProgress = (p: WorkerProgress): void => {
      // An orphan (its parent died, so it was re-parented) stops at once, even inside a computation that has not
      // let the event loop deliver the IPC 'disconnect' yet.
      if (process.ppid !== parentPid) process.exit(0);
      void send({ type: 'progress', progress: p });
      // Right here, as a stuck computation would (a short IPC message is written synchronously by libuv).
      if (hangRequested(specPath, p.epoch)) hangForever();
    };
    const runsRoot = job.runsRoot === undefined ? undefined : resolve(job.runsRoot);
    if (job.kind === 'explainModel') return await explainModelJob(specPath, resolve(job.dataPath ?? ''), job.target);
    const r = job.kind === 'explain'
      ? await explainLatestRun(specPath, { runsRoot, onProgress, maxExplainRows: job.maxExplainRows })
      : await runPipeline(specPath, { backend, runsRoot, onProgress, maxExplainRows: job.maxExplainRows });
    const changed = r.report.inputsChangedDuringRun ?? [];
    const warning = changed.length
      ? `${changed.map((c) => `${c.path} was ${c.now}`).join(' and ')} during the run; the run used the files as they were when it started (their hashes are in report.json): train again to use the current ones.`
      : undefined;
    return { ok: true, runDir: r.runDir, report: r.report, ...(warning ? { warning } : {}) };
  } catch (e) {
    const message = e instanceof SpecError || e instanceof DataError ? e.message : `${(e as Error).message ?? String(e)}`;
    if (!(e instanceof SpecError || e instanceof DataError)) log((e as Error).stack ?? String(e));
    return { ok: false, message };
  }
}

const parentPid = process.ppid;
let started = false;
process.on('message', (m: unknown) => {
  if (started || !isJobMessage(m)) {
    log(`ignored an unexpected message: ${JSON.stringify(m).slice(0, 200)}`);
    return;
  }
  started = true;
  void runJobHere(m.job).then(async (result) => {
    await send({ type: 'result', result });
    process.exit(0);
  });
});
// The parent gone (its IPC closed: it exited, crashed or was killed) means nobody waits for the result: a worker
// must never outlive its language server.
process.on('disconnect', () => process.exit(0));
// Heartbeats from the main thread: they stop when it hangs, and the client's watchdog then kills the worker.
void send({ type: 'heartbeat' });
setInterval(() => { void send({ type: 'heartbeat' }); }, HEARTBEAT_MS).unref();
if (!process.send) {
  process.stderr.write('the XAI Pipelines worker runs as a child process of the language server or the CLI\n');
  process.exit(2);
}
