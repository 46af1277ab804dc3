/**
 * The messages between the worker process and its client over the Node IPC channel, with their validation
 * (a message from another process is untrusted input).
 */
import type { RunResult } from '../../../protocol/protocol';
import type { WorkerJob, WorkerProgress } from './jobs';

/** Client → worker: the one job this worker process runs. */
export interface JobMessage { type: 'job'; job: WorkerJob }

/** Worker → client. */
export type WorkerMessage =
  | { type: 'progress'; progress: WorkerProgress }
  | { type: 'log'; line: string }
  /** Sent every HEARTBEAT_MS by the worker's main thread; the client's watchdog counts on it. */
  | { type: 'heartbeat' }
  | { type: 'result'; result: RunResult };

const STAGES = new Set(['load', 'preprocess', 'train', 'explain', 'write']);

/** Whether a message the worker received is a well-formed job. */
export function isJobMessage(v: unknown): v is JobMessage {
  const m = v as JobMessage | null;
  return typeof m === 'object' && m !== null && m.type === 'job' && typeof m.job === 'object' && m.job !== null &&
    (m.job.kind === 'train' || m.job.kind === 'explain' || (m.job.kind === 'explainModel' && typeof m.job.dataPath === 'string')) &&
    typeof m.job.specPath === 'string';
}

/** Whether a message from the worker is well-formed; anything else makes the client stop the worker. */
export function isWorkerMessage(v: unknown): v is WorkerMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; progress?: { stage?: unknown; message?: unknown }; line?: unknown; result?: { ok?: unknown } };
  switch (m.type) {
    case 'progress': return typeof m.progress === 'object' && m.progress !== null && STAGES.has(m.progress.stage as string) && typeof m.progress.message === 'string';
    case 'log': return typeof m.line === 'string';
    case 'heartbeat': return true;
    case 'result': return typeof m.result === 'object' && m.result !== null && typeof m.result.ok === 'boolean';
    default: return false;
  }
}
