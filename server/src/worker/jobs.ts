/**
 * Jobs the worker process runs, and the progress it reports. Shared by the worker, its client (used by the
 * language server and the CLI) and the pipeline. No LSP and no `vscode` here.
 */
import type { BackendName } from '../../../protocol/protocol';

export type BackendChoice = 'auto' | BackendName;

export interface WorkerJob {
  /**
   * `train`: the whole pipeline; `explain`: load the spec's latest run and explain it again; `explainModel`: explain
   * the saved model at `specPath` (run folder, model folder or model.json) on the CSV at `dataPath`, without a spec.
   */
  kind: 'train' | 'explain' | 'explainModel';
  /** Absolute path of the spec file (for `explainModel`: of the saved model). */
  specPath: string;
  /** `explainModel`: the CSV to explain the model on, and its target column when the model does not name it. */
  dataPath?: string;
  target?: string;
  /** Where run folders go; default `<spec folder>/.xai/runs`. */
  runsRoot?: string;
  backend?: BackendChoice;
  /** Rows the explanation methods may use per split (the `xaiPipelines.explain.maxRows` setting); default all. */
  maxExplainRows?: number;
}

export interface WorkerProgress {
  stage: 'load' | 'preprocess' | 'train' | 'explain' | 'write';
  message: string;
  /** 0…1 over the whole job, when known. */
  fraction?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
  /** Estimated seconds left of training: the mean epoch time so far × the epochs left (an upper bound with early stopping). */
  etaSeconds?: number;
}

export interface JobHandlers {
  onProgress?(p: WorkerProgress): void;
  /** A line of the worker's log (its stderr and its own log messages). */
  onLog?(line: string): void;
  /** Called once the worker process is up, with its pid (tests use it to kill the worker). */
  onStart?(pid: number): void;
  /** Aborting kills the worker process; the result is then `{ ok: false, cancelled: true }`. */
  signal?: AbortSignal;
  /** The built worker bundle; default `<this bundle's folder>/../worker/worker.js`. */
  workerPath?: string;
  /** Heap limit of the worker process in MB (V8's --max-old-space-size); default: Node's own. */
  memoryLimitMb?: number;
  /**
   * The watchdog: a worker that sends no message (it sends a heartbeat every HEARTBEAT_MS) for this many seconds is
   * killed and the job ends saying it hung. Default: no watchdog.
   */
  watchdogSeconds?: number;
  /** What set `watchdogSeconds` (a setting, an option), named in the hang message; default `watchdogSeconds`. */
  watchdogSource?: string;
  /** Called once the worker process has exited (after a kill too), with how it ended. */
  onExit?(exit: { pid?: number; code: number | null; signal: NodeJS.Signals | null }): void;
}

/** The watchdog's default, in the extension's setting and the CLI's option: seconds without a heartbeat. */
export const DEFAULT_WATCHDOG_SECONDS = 120;

/** How often the worker tells its client it is alive, in milliseconds (from its main thread, so a hang stops it). */
export const HEARTBEAT_MS = 500;
// `server/src/worker/client.ts` exports: runJob(job: WorkerJob, handlers?: JobHandlers): Promise<RunResult>
// (from protocol). It never rejects: a crash, a kill or a bad message becomes { ok: false, message }.
