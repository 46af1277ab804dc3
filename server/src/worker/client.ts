/**
 * Runs a job in a fresh worker process (the built `dist/worker/worker.js`) and turns whatever happens into a
 * RunResult: the worker's result, a cancellation, a hang caught by the watchdog, an out-of-memory, or a crash
 * named by its signal or exit code and the last lines of its stderr. Used by the language server and the CLI.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../../protocol/protocol';
import type { JobHandlers, WorkerJob, WorkerProgress } from './jobs';
import { isWorkerMessage } from './messages';
import { WORKER_NODE_FLAGS } from './nodeFlags';

const STDERR_LINES = 12;
/** A worker that has not said anything yet is still loading TensorFlow.js: it gets at least this long. */
const STARTUP_GRACE_MS = 30_000;

/** The worker bundle beside this bundle: `dist/<server|cli>/x.js` → `dist/worker/worker.js`. */
export function defaultWorkerPath(): string {
  return join(typeof __dirname === 'string' ? __dirname : process.cwd(), '../worker/worker.js');
}

/**
 * Forks the worker, sends it the job, relays progress and log lines, and resolves with its result.
 * Aborting `handlers.signal` kills the worker (SIGKILL) and resolves `{ ok: false, cancelled: true }`.
 * With `handlers.watchdogSeconds`, a worker silent that long (no heartbeat, no progress) is killed as hung.
 * Never rejects: a missing bundle, a crash, a hang, an exit without result or a malformed message resolves
 * `{ ok: false, message }` naming the cause.
 */
export function runJob(job: WorkerJob, handlers: JobHandlers = {}): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    const workerPath = handlers.workerPath ?? defaultWorkerPath();
    if (!existsSync(workerPath)) {
      resolve({ ok: false, message: `The worker bundle ${workerPath} is missing: build it with \`node scripts/build.mjs worker\`.` });
      return;
    }
    if (handlers.signal?.aborted) {
      resolve({ ok: false, cancelled: true, message: 'The job was cancelled before it started.' });
      return;
    }
    let settled = false;
    let cancelled = false;
    let result: RunResult | undefined;
    let failure: string | undefined;
    const stderrTail: string[] = [];
    // V8's "JavaScript heap out of memory" line is followed by a long native stack: remember it apart from the tail.
    let outOfMemory = false;
    let stderrPartial = '';
    let child: ChildProcess;
    let lastProgress: WorkerProgress | undefined;
    let heard = false;
    let lastHeard = Date.now();
    let hungSeconds: number | undefined;
    let watchdog: NodeJS.Timeout | undefined;

    const finish = (r: RunResult): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      handlers.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const kill = (): void => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
    const onAbort = (): void => { cancelled = true; kill(); };
    const log = (line: string): void => { try { handlers.onLog?.(line); } catch { /* a handler's bug must not kill the job */ } };

    try {
      // execArgv keeps the parent's flags (inspector, test loaders) out of the worker; only the heap limit goes in.
      const execArgv = [...WORKER_NODE_FLAGS, ...(handlers.memoryLimitMb ? [`--max-old-space-size=${Math.max(16, Math.round(handlers.memoryLimitMb))}`] : [])];
      child = fork(workerPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv, serialization: 'json' });
    } catch (e) {
      finish({ ok: false, message: `The worker could not start: ${(e as Error).message}` });
      return;
    }
    handlers.signal?.addEventListener('abort', onAbort, { once: true });
    if (handlers.watchdogSeconds !== undefined && handlers.watchdogSeconds > 0) {
      const limitMs = handlers.watchdogSeconds * 1000;
      watchdog = setInterval(() => {
        const silentMs = Date.now() - lastHeard;
        if (silentMs < (heard ? limitMs : Math.max(limitMs, STARTUP_GRACE_MS)) || result || cancelled) return;
        hungSeconds = Math.round(silentMs / 100) / 10;
        clearInterval(watchdog);
        kill();
      }, Math.min(1000, Math.max(50, limitMs / 4)));
      watchdog.unref();
    }

    const onText = (chunk: Buffer, keep: boolean): void => {
      const text = stderrPartial + chunk.toString('utf8');
      const lines = text.split(/\r?\n/);
      stderrPartial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        if (keep) { stderrTail.push(line); if (stderrTail.length > STDERR_LINES) stderrTail.shift(); }
        if (keep && /heap out of memory|Allocation failed/.test(line)) outOfMemory = true;
        log(line);
      }
    };
    child.stderr?.on('data', (c: Buffer) => onText(c, true));
    child.stdout?.on('data', (c: Buffer) => { for (const line of c.toString('utf8').split(/\r?\n/)) if (line.trim()) log(line); });

    child.on('spawn', () => { if (child.pid !== undefined) try { handlers.onStart?.(child.pid); } catch { /* ignore */ } });
    child.on('message', (m: unknown) => {
      if (settled || result) return;
      heard = true;
      lastHeard = Date.now();
      if (!isWorkerMessage(m)) {
        failure = `The worker sent a malformed message (${JSON.stringify(m)?.slice(0, 120)}) and was stopped.`;
        kill();
        return;
      }
      if (m.type === 'heartbeat') return;
      if (m.type === 'progress') { lastProgress = m.progress; try { handlers.onProgress?.(m.progress); } catch { /* ignore */ } }
      else if (m.type === 'log') log(m.line);
      else {
        result = m.result;
        // The worker exits by itself after its result; make sure a stuck one does not linger.
        setTimeout(kill, 10_000).unref();
        finish(result);
      }
    });
    child.on('error', (e) => {
      failure ??= `The worker process failed: ${e.message}`;
      // A process that never started emits no 'exit': settle here.
      if (child.pid === undefined) finish({ ok: false, message: failure });
      else kill();
    });
    child.on('exit', (code, signal) => {
      if (stderrPartial.trim()) { stderrTail.push(stderrPartial); log(stderrPartial); stderrPartial = ''; }
      try { handlers.onExit?.({ pid: child.pid, code, signal }); } catch { /* ignore */ }
      if (result) { finish(result); return; }
      if (cancelled) { finish({ ok: false, cancelled: true, message: 'The job was cancelled; the worker was stopped and the previous run is intact.' }); return; }
      if (hungSeconds !== undefined) {
        const at = lastProgress ? ` during "${lastProgress.message}"` : '';
        finish({
          ok: false,
          message: `The worker hung: it sent no heartbeat for ${hungSeconds} s${at}, so the watchdog (${handlers.watchdogSource ?? 'watchdogSeconds'} = ${handlers.watchdogSeconds}) stopped it; the previous run is intact.`,
        });
        return;
      }
      if (outOfMemory) {
        const limit = handlers.memoryLimitMb ? ` (limit ${handlers.memoryLimitMb} MB)` : '';
        finish({ ok: false, message: `The worker ran out of memory${limit} and was stopped; the previous run is intact. Raise the memory limit, or use fewer rows or a smaller model.` });
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = stderrTail.length ? ` Last output: ${stderrTail.slice(-5).join(' | ')}` : '';
      finish({ ok: false, message: failure ? `${failure}${tail}` : `The worker ${how} before finishing the job; the previous run is intact.${tail}` });
    });
    child.send({ type: 'job', job }, (e) => { if (e) { failure ??= `The job could not be sent to the worker: ${e.message}`; kill(); } });
  });
}
