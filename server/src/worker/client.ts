/**
 * Runs a job in a fresh worker process (the built `dist/worker/worker.js`) and turns whatever happens into a
 * RunResult: the worker's result, a cancellation, or a crash named by its signal or exit code and the last lines
 * of its stderr. Used by the language server and the CLI alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../../protocol/protocol';
import type { JobHandlers, WorkerJob } from './jobs';
import { isWorkerMessage } from './messages';

const STDERR_LINES = 12;

/** The worker bundle beside this bundle: `dist/<server|cli>/x.js` → `dist/worker/worker.js`. */
export function defaultWorkerPath(): string {
  return join(typeof __dirname === 'string' ? __dirname : process.cwd(), '../worker/worker.js');
}

/**
 * Forks the worker, sends it the job, relays progress and log lines, and resolves with its result.
 * Aborting `handlers.signal` kills the worker (SIGKILL) and resolves `{ ok: false, cancelled: true }`.
 * Never rejects: a missing bundle, a crash, an exit without result or a malformed message resolves
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

    const finish = (r: RunResult): void => {
      if (settled) return;
      settled = true;
      handlers.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const kill = (): void => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
    const onAbort = (): void => { cancelled = true; kill(); };
    const log = (line: string): void => { try { handlers.onLog?.(line); } catch { /* a handler's bug must not kill the job */ } };

    try {
      // execArgv keeps the parent's flags (inspector, test loaders) out of the worker; only the heap limit goes in.
      const execArgv = handlers.memoryLimitMb ? [`--max-old-space-size=${Math.max(16, Math.round(handlers.memoryLimitMb))}`] : [];
      child = fork(workerPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv, serialization: 'json' });
    } catch (e) {
      finish({ ok: false, message: `The worker could not start: ${(e as Error).message}` });
      return;
    }
    handlers.signal?.addEventListener('abort', onAbort, { once: true });

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
      if (!isWorkerMessage(m)) {
        failure = `The worker sent a malformed message (${JSON.stringify(m)?.slice(0, 120)}) and was stopped.`;
        kill();
        return;
      }
      if (m.type === 'progress') { try { handlers.onProgress?.(m.progress); } catch { /* ignore */ } }
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
      if (result) { finish(result); return; }
      if (cancelled) { finish({ ok: false, cancelled: true, message: 'The job was cancelled; the worker was stopped.' }); return; }
      if (outOfMemory) {
        const limit = handlers.memoryLimitMb ? ` (limit ${handlers.memoryLimitMb} MB)` : '';
        finish({ ok: false, message: `The worker ran out of memory${limit} and was stopped; the previous run is intact. Raise the memory limit, or use fewer rows or a smaller model.` });
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = stderrTail.length ? ` Last output: ${stderrTail.slice(-5).join(' | ')}` : '';
      finish({ ok: false, message: failure ? `${failure}${tail}` : `The worker ${how} before finishing the job.${tail}` });
    });
    child.send({ type: 'job', job }, (e) => { if (e) { failure ??= `The job could not be sent to the worker: ${e.message}`; kill(); } });
  });
}
