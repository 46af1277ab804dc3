/**
 * The `xai/train`, `xai/explain` and `xai/cancel` requests: one worker job per spec at a time, later ones queued
 * behind it (progress says "queued behind …"); jobs of different specs run alongside, each in its own worker
 * process (a training worker of the stock example peaks at about 100 MB resident here, test/lsp/queue.test.ts
 * prints it, so a few at once fit a developer machine; each heap is capped by `xaiPipelines.worker.memoryLimitMb`). Progress goes out as work-done progress (the client's token, or
 * one the server creates) with the time left; cancelling it kills the worker or drops the queued job. Each job's
 * log goes to the output channel, its end to an `xai/runFinished` notification. A crashed, hung or out-of-memory
 * worker is reported and the server keeps serving.
 */
import {
  MessageType, ShowMessageNotification, type CancellationToken, type Connection, type TextDocuments,
  type WorkDoneProgressReporter, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancelRequest, ExplainRequest, RunFinishedNotification, TrainRequest,
  type CancelParams, type RunFinishedParams, type RunParams, type RunResult,
} from '../../../protocol/protocol';
import { runsRootFor, setDefaultRunsFolder } from '../pipeline/runs';
import { loadSpecFile } from '../spec/check';
import { runJob } from '../worker/client';
import { DEFAULT_WATCHDOG_SECONDS, type BackendChoice } from '../worker/jobs';
import type { WorkerJob, WorkerProgress } from '../worker/jobs';
import { isWorkspaceTrusted, specPathOf, UNTRUSTED_MESSAGE } from './specDocuments';

type JobKind = WorkerJob['kind'];

/** Progress reports per second at most; epochs can finish faster than a client wants to redraw. */
const PROGRESS_INTERVAL_MS = 100;

/** A loss as the progress shows it: 4 decimals, or 3 significant digits in exponent form when tiny or huge. */
export function formatLoss(x: number): string {
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e5) ? x.toExponential(2) : x.toFixed(4);
}

/** Seconds left as the progress shows them: "under 1 s", "about 42 s", "about 3 min". */
export function formatTimeLeft(seconds: number): string {
  return seconds < 1 ? 'under 1 s' : seconds < 90 ? `about ${Math.round(seconds)} s` : `about ${Math.round(seconds / 60)} min`;
}

/**
 * The progress line: "epoch 12/300 · loss 0.0123 · val 0.0456 · about 20 s left" while training (the time left
 * from the mean epoch time so far × the epochs left, measured by the worker), else the worker's message.
 */
export function progressMessage(p: WorkerProgress): string {
  if (p.epoch === undefined) return p.message;
  const parts = [`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}`];
  if (p.loss !== undefined) parts.push(`loss ${formatLoss(p.loss)}`);
  if (p.valLoss !== undefined) parts.push(`val ${formatLoss(p.valLoss)}`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds) && p.epochs !== undefined && p.epoch < p.epochs) parts.push(`${formatTimeLeft(p.etaSeconds)} left`);
  return parts.join(' · ');
}

/** Settings the jobs run with (`xaiPipelines.*`, from initializationOptions and didChangeConfiguration). */
export interface RunSettings {
  /** The TensorFlow.js backend the worker tries first (`xaiPipelines.backend`). */
  backend: BackendChoice;
  /** The worker's V8 heap limit in MB (`xaiPipelines.worker.memoryLimitMb`); 0 = Node's own. */
  memoryLimitMb: number;
  /** Seconds without a heartbeat before the worker is killed as hung (`xaiPipelines.worker.watchdogSeconds`); 0 = off. */
  watchdogSeconds: number;
  /** Rows per split the explanations may use (`xaiPipelines.explain.maxRows`); 0 = all. */
  maxExplainRows: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { backend: 'auto', memoryLimitMb: 4096, watchdogSeconds: DEFAULT_WATCHDOG_SECONDS, maxExplainRows: 10_000 };

/** A train or explain request in a spec's queue. */
interface Job {
  kind: JobKind;
  specPath: string;
  abort: AbortController;
  state: 'queued' | 'running';
  /** Resolves when it is this job's turn (or when it is cancelled while queued). */
  turn: Promise<void>;
  startTurn(): void;
  progress?: WorkDoneProgressServerReporter;
  /** The job's last progress line, for the "queued behind …" line of the jobs after it. */
  status: string;
  /** performance.now() of the cancel, to log how long the worker took to go. */
  cancelledAt?: number;
}

function newJob(kind: JobKind, specPath: string): Job {
  let startTurn = (): void => undefined;
  const turn = new Promise<void>((resolve) => { startTurn = resolve; });
  return { kind, specPath, abort: new AbortController(), state: 'queued', turn, startTurn, status: 'starting' };
}

/** "queued behind train (epoch 3/100 · about 20 s left)", or "… and 1 more" when several jobs are ahead. */
export function queuedMessage(ahead: readonly { kind: JobKind; state: string; status: string }[]): string {
  const first = ahead[0];
  if (!first) return 'starting the worker';
  const what = first.state === 'running' ? `${first.kind} (${first.status})` : `${first.kind} (queued)`;
  return `queued behind ${what}${ahead.length > 1 ? ` and ${ahead.length - 1} more` : ''}`;
}

/** Why a spec cannot run, in one sentence: the error count and the first error with its line. */
function refusal(kind: JobKind, diagnostics: { severity: string; range: { start: { line: number; character: number } }; message: string }[]): string | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return undefined;
  const first = errors[0]!;
  const where = `line ${first.range.start.line + 1}, column ${first.range.start.character + 1}`;
  return `Cannot ${kind}: the saved spec has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (${where}: ${first.message})`;
}

const NULL_REPORTER: WorkDoneProgressServerReporter = {
  token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) },
  begin() {}, report() {}, done() {},
};

export class RunService {
  /** Each spec's jobs in order: the first runs, the others wait. */
  private readonly queues = new Map<string, Job[]>();
  /** What the jobs run with; the server updates it from the client's settings. */
  readonly settings: RunSettings = { ...DEFAULT_RUN_SETTINGS };

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    /** Called after every job with the spec's path, the result and the spec text it ran (e.g. to refresh diagnostics). */
    private readonly onJobEnd: (specPath: string, result: RunResult, specText: string) => void = () => {},
    /** The worker bundle; default: runJob's (dist/worker/worker.js beside dist/server). */
    private readonly workerPath?: string,
  ) {}

  /**
   * Takes the job settings from the `xaiPipelines` section as the client sends it (initializationOptions, or
   * `settings.xaiPipelines` of didChangeConfiguration): `worker.memoryLimitMb`, `worker.watchdogSeconds`,
   * `explain.maxRows`, `runsFolder`. Missing keys keep their value; invalid ones are logged and ignored.
   */
  applySettings(section: unknown): void {
    if (typeof section !== 'object' || section === null) return;
    const x = section as { worker?: { memoryLimitMb?: unknown; watchdogSeconds?: unknown }; explain?: { maxRows?: unknown }; runsFolder?: unknown };
    const take = (name: string, value: unknown, min: number, set: (v: number) => void): void => {
      if (value === undefined) return;
      if (typeof value === 'number' && Number.isFinite(value) && (value === 0 || value >= min)) set(value);
      else this.connection.console.warn(`[xai] ignored xaiPipelines.${name} = ${JSON.stringify(value)}: use 0 (off) or a number ≥ ${min}`);
    };
    take('worker.memoryLimitMb', x.worker?.memoryLimitMb, 64, (v) => { this.settings.memoryLimitMb = v; });
    take('worker.watchdogSeconds', x.worker?.watchdogSeconds, 1, (v) => { this.settings.watchdogSeconds = v; });
    take('explain.maxRows', x.explain?.maxRows, 10, (v) => { this.settings.maxExplainRows = v; });
    if (typeof x.runsFolder === 'string') setDefaultRunsFolder(x.runsFolder);
  }

  /** The backend setting (kept as a property for callers that set it alone). */
  get backend(): BackendChoice { return this.settings.backend; }
  set backend(b: BackendChoice) { this.settings.backend = b; }

  listen(): void {
    this.connection.onRequest(TrainRequest, (p: RunParams, token: CancellationToken) => this.run('train', p, token));
    this.connection.onRequest(ExplainRequest, (p: RunParams, token: CancellationToken) => this.run('explain', p, token));
    this.connection.onRequest(CancelRequest, (p: CancelParams) => this.cancel(p.uri));
  }

  /** Cancels the spec's running job (kills its worker) and drops its queued ones; true when there was any. */
  cancel(uri: string): boolean {
    const path = specPathOf(uri);
    const jobs = path ? [...(this.queues.get(path) ?? [])] : [];
    for (const job of jobs.reverse()) this.cancelJob(job);
    return jobs.length > 0;
  }

  /** Kills every running job and drops every queued one (server shutdown). */
  cancelAll(): void {
    for (const queue of this.queues.values()) for (const job of [...queue]) this.cancelJob(job);
  }

  private cancelJob(job: Job): void {
    if (job.abort.signal.aborted) return;
    job.cancelledAt = performance.now();
    job.abort.abort();
    // A queued job wakes up, sees the abort and leaves the queue without starting a worker.
    if (job.state === 'queued') job.startTurn();
  }

  /**
   * Runs a train or explain job for the spec at `params.uri` once the spec's earlier jobs are done, and resolves
   * with its result; never rejects. Refuses (ok: false) when the URI is not a file or the saved spec has errors
   * when the job's turn comes; a job cancelled while queued resolves `{ ok: false, cancelled: true }`.
   */
  async run(kind: JobKind, params: RunParams, token?: CancellationToken): Promise<RunResult> {
    const specPath = specPathOf(params.uri);
    if (!specPath) return { ok: false, message: `Cannot ${kind} ${params.uri}: save the spec as a file first.` };
    if (!isWorkspaceTrusted()) return { ok: false, message: UNTRUSTED_MESSAGE };
    const job = newJob(kind, specPath);
    const queue = this.queues.get(specPath) ?? [];
    this.queues.set(specPath, queue);
    const ahead = [...queue];
    queue.push(job);
    if (ahead.length === 0) { job.state = 'running'; job.startTurn(); }
    const subscription = token?.onCancellationRequested(() => this.cancelJob(job));
    const progress = await this.startProgress(kind, params, ahead.length ? queuedMessage(this.ahead(job)) : 'starting the worker');
    job.progress = progress;
    const progressSubscription = progress.token.onCancellationRequested(() => this.cancelJob(job));
    if (ahead.length) this.connection.console.log(`[xai] ${kind} ${specPath}: ${queuedMessage(this.ahead(job))}`);

    let outcome: { result: RunResult; specText?: string };
    try {
      await job.turn;
      outcome = job.abort.signal.aborted
        ? { result: { ok: false, cancelled: true, message: `The queued ${kind} was cancelled before it started; nothing was run.` } }
        : await this.execute(job, params, progress);
    } finally {
      queue.splice(queue.indexOf(job), 1);
      if (queue.length === 0) this.queues.delete(specPath);
      this.advance(queue);
      subscription?.dispose();
      progressSubscription.dispose();
      progress.done();
    }
    const { result, specText } = outcome;
    // A refusal (spec with errors) is the client's to show; it ran nothing, so nothing is announced.
    if (specText === undefined && !result.cancelled) return result;

    if (result.ok) {
      this.connection.console.log(`[xai] ${kind} finished: ${result.runDir ?? ''}`);
      if (result.warning) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `XAI Pipelines: ${result.warning}` });
    } else if (result.cancelled) {
      this.connection.console.log(`[xai] ${kind} cancelled: ${specPath}`);
    } else {
      const message = result.message ?? `The ${kind} job failed for an unknown reason.`;
      this.connection.console.error(`[xai] ${kind} failed: ${message}`);
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `XAI Pipelines: ${kind} failed: ${message}` });
    }
    const finished: RunFinishedParams = { uri: params.uri, result };
    void this.connection.sendNotification(RunFinishedNotification, finished);
    if (specText !== undefined) this.onJobEnd(specPath, result, specText);
    return result;
  }

  /** The jobs ahead of `job` in its spec's queue. */
  private ahead(job: Job): Job[] {
    const queue = this.queues.get(job.specPath) ?? [];
    return queue.slice(0, Math.max(0, queue.indexOf(job)));
  }

  /** Starts the queue's first job if it waits, and tells the waiting ones what they wait for now. */
  private advance(queue: Job[]): void {
    const head = queue[0];
    if (head && head.state === 'queued' && !head.abort.signal.aborted) { head.state = 'running'; head.startTurn(); }
    this.reportQueued(queue);
  }

  private reportQueued(queue: readonly Job[]): void {
    queue.forEach((j, i) => { if (i > 0 && j.state === 'queued') j.progress?.report(queuedMessage(queue.slice(0, i))); });
  }

  /** Checks the saved spec and runs the job in a worker; `specText` is unset when the spec was refused. */
  private async execute(job: Job, params: RunParams, progress: WorkDoneProgressServerReporter): Promise<{ result: RunResult; specText?: string }> {
    const { kind, specPath } = job;
    // The worker reads the spec from disk, so the saved text is what must be valid.
    const { parsed, diagnostics } = loadSpecFile(specPath);
    const refused = refusal(kind, diagnostics);
    if (refused) {
      const open = this.documents.get(params.uri);
      const unsaved = open !== undefined && open.getText() !== parsed.text;
      return { result: { ok: false, message: refused + (unsaved ? ' The editor has unsaved changes: save them to run them.' : '') } };
    }
    progress.report('starting the worker');
    const s = this.settings;
    let pid: number | undefined;
    let lastReport = 0;
    let lastStage: WorkerProgress['stage'] | undefined;
    let result: RunResult;
    try {
      result = await runJob({
        kind, specPath, backend: s.backend, runsRoot: runsRootFor(specPath),
        ...(s.maxExplainRows > 0 ? { maxExplainRows: Math.round(s.maxExplainRows) } : {}),
      }, {
        signal: job.abort.signal,
        ...(this.workerPath ? { workerPath: this.workerPath } : {}),
        ...(s.memoryLimitMb > 0 ? { memoryLimitMb: s.memoryLimitMb } : {}),
        ...(s.watchdogSeconds > 0 ? { watchdogSeconds: s.watchdogSeconds, watchdogSource: 'xaiPipelines.worker.watchdogSeconds' } : {}),
        onStart: (p) => {
          pid = p;
          this.connection.console.log(`[xai] worker pid ${p} started: ${kind} ${specPath}`);
        },
        onExit: (e) => {
          const after = job.cancelledAt === undefined ? '' : ` ${(performance.now() - job.cancelledAt).toFixed(1)} ms after the cancel`;
          this.connection.console.log(`[xai] worker pid ${e.pid ?? pid} exited (${e.signal ?? `code ${e.code}`})${after}`);
        },
        onLog: (line) => this.connection.console.log(`[xai worker${pid ? ` ${pid}` : ''}] ${line}`),
        onProgress: (p) => {
          // Throttled, except a new stage or the last epoch, which the user should always see.
          const now = Date.now();
          const last = p.epoch !== undefined && p.epochs !== undefined && p.epoch >= p.epochs;
          if (now - lastReport < PROGRESS_INTERVAL_MS && !last && p.stage === lastStage) return;
          lastReport = now;
          lastStage = p.stage;
          const message = progressMessage(p);
          job.status = message;
          if (p.fraction !== undefined) progress.report(Math.round(Math.min(1, Math.max(0, p.fraction)) * 100), message);
          else progress.report(message);
          this.reportQueued(this.queues.get(specPath) ?? []);
        },
      });
    } catch (err) {
      // runJob resolves by contract; a rejection is a bug there, reported like a crash rather than thrown.
      result = { ok: false, message: `The ${kind} job failed: ${(err as Error).message}` };
    }
    return { result, specText: parsed.text };
  }

  /** Server-initiated work-done progress (or the client's token when it sent one); a no-op when unsupported. */
  private async startProgress(kind: JobKind, params: RunParams, message: string): Promise<WorkDoneProgressServerReporter> {
    const title = kind === 'train' ? 'XAI: training' : 'XAI: explaining';
    let reporter: WorkDoneProgressServerReporter;
    if (params.workDoneToken !== undefined) {
      reporter = withToken(this.connection.window.attachWorkDoneProgress(params.workDoneToken));
    } else {
      try {
        // A client that never answers window/workDoneProgress/create must not hold the job back.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no answer in 5 s')), 5000); });
        reporter = await Promise.race([this.connection.window.createWorkDoneProgress(), timeout]).finally(() => clearTimeout(timer));
      } catch (err) {
        this.connection.console.warn(`[xai] no progress (the client refused window/workDoneProgress/create: ${(err as Error).message})`);
        reporter = NULL_REPORTER;
      }
    }
    reporter.begin(title, 0, message, true);
    return reporter;
  }
}

/** A client-token reporter with the server reporter's shape (its cancellation arrives as request cancellation). */
function withToken(r: WorkDoneProgressReporter): WorkDoneProgressServerReporter {
  return {
    token: NULL_REPORTER.token,
    begin: (...a: Parameters<WorkDoneProgressReporter['begin']>) => r.begin(...a),
    report: (a: number | string, b?: string) => (typeof a === 'number' && b !== undefined ? r.report(a, b) : typeof a === 'number' ? r.report(a) : r.report(a)),
    done: () => r.done(),
  };
}
