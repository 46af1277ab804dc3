/**
 * The `xai/train`, `xai/explain` and `xai/cancel` requests: one worker job per spec at a time, its progress as
 * server-initiated work-done progress (cancellable: cancelling kills the worker), its log in the output channel,
 * its end as an `xai/runFinished` notification. A crashed worker is reported and the server keeps serving.
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
import { loadSpecFile } from '../spec/check';
import { runJob } from '../worker/client';
import type { BackendChoice } from '../worker/jobs';
import type { WorkerJob, WorkerProgress } from '../worker/jobs';
import { specPathOf } from './specDocuments';

type JobKind = WorkerJob['kind'];

/** Progress reports per second at most; epochs can finish faster than a client wants to redraw. */
const PROGRESS_INTERVAL_MS = 100;

/** A loss as the progress shows it: 4 decimals, or 3 significant digits in exponent form when tiny or huge. */
export function formatLoss(x: number): string {
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-4 || a >= 1e5) ? x.toExponential(2) : x.toFixed(4);
}

/** The progress line: "epoch 12/300 · loss 0.0123 · val 0.0456" while training, else the worker's message. */
export function progressMessage(p: WorkerProgress): string {
  if (p.epoch === undefined) return p.message;
  const parts = [`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ''}`];
  if (p.loss !== undefined) parts.push(`loss ${formatLoss(p.loss)}`);
  if (p.valLoss !== undefined) parts.push(`val ${formatLoss(p.valLoss)}`);
  return parts.join(' · ');
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
  /** Running jobs by spec path. */
  private readonly running = new Map<string, AbortController>();
  /** The TensorFlow.js backend the worker tries first (the `xaiPipelines.backend` setting). */
  backend: BackendChoice = 'auto';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    /** Called after every job with the spec's path, the result and the spec text it ran (e.g. to refresh diagnostics). */
    private readonly onJobEnd: (specPath: string, result: RunResult, specText: string) => void = () => {},
    /** The worker bundle; default: runJob's (dist/worker/worker.js beside dist/server). */
    private readonly workerPath?: string,
  ) {}

  listen(): void {
    this.connection.onRequest(TrainRequest, (p: RunParams, token: CancellationToken) => this.run('train', p, token));
    this.connection.onRequest(ExplainRequest, (p: RunParams, token: CancellationToken) => this.run('explain', p, token));
    this.connection.onRequest(CancelRequest, (p: CancelParams) => this.cancel(p.uri));
  }

  /** Kills the spec's running job, if any; true when there was one. */
  cancel(uri: string): boolean {
    const path = specPathOf(uri);
    const job = path ? this.running.get(path) : undefined;
    job?.abort();
    return job !== undefined;
  }

  /** Kills every running job (server shutdown). */
  cancelAll(): void {
    for (const job of this.running.values()) job.abort();
  }

  /**
   * Runs a train or explain job for the spec at `params.uri` and resolves with its result; never rejects.
   * Refuses (ok: false) when the URI is not a file, the saved spec has errors, or a job already runs for it.
   */
  async run(kind: JobKind, params: RunParams, token?: CancellationToken): Promise<RunResult> {
    const specPath = specPathOf(params.uri);
    if (!specPath) return { ok: false, message: `Cannot ${kind} ${params.uri}: save the spec as a file first.` };
    if (this.running.has(specPath)) {
      return { ok: false, message: `A job is already running for ${specPath}; wait for it to finish or cancel it.` };
    }
    // The worker reads the spec from disk, so the saved text is what must be valid.
    const { parsed, diagnostics } = loadSpecFile(specPath);
    const refused = refusal(kind, diagnostics);
    if (refused) {
      const open = this.documents.get(params.uri);
      const unsaved = open !== undefined && open.getText() !== parsed.text;
      return { ok: false, message: refused + (unsaved ? ' The editor has unsaved changes: save them to run them.' : '') };
    }

    const abort = new AbortController();
    this.running.set(specPath, abort);
    const subscription = token?.onCancellationRequested(() => abort.abort());
    const progress = await this.startProgress(kind, params);
    const progressSubscription = progress.token.onCancellationRequested(() => abort.abort());
    let pid: number | undefined;
    let lastReport = 0;
    let lastStage: WorkerProgress['stage'] | undefined;
    let result: RunResult;
    try {
      result = await runJob({ kind, specPath, backend: this.backend }, {
        signal: abort.signal,
        ...(this.workerPath ? { workerPath: this.workerPath } : {}),
        onStart: (p) => {
          pid = p;
          this.connection.console.log(`[xai] worker pid ${p} started: ${kind} ${specPath}`);
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
          if (p.fraction !== undefined) progress.report(Math.round(Math.min(1, Math.max(0, p.fraction)) * 100), message);
          else progress.report(message);
        },
      });
    } catch (err) {
      // runJob resolves by contract; a rejection is a bug there, reported like a crash rather than thrown.
      result = { ok: false, message: `The ${kind} job failed: ${(err as Error).message}` };
    } finally {
      this.running.delete(specPath);
      subscription?.dispose();
      progressSubscription.dispose();
      progress.done();
    }

    if (result.ok) {
      this.connection.console.log(`[xai] ${kind} finished: ${result.runDir ?? ''}`);
    } else if (result.cancelled) {
      this.connection.console.log(`[xai] ${kind} cancelled: ${specPath}`);
    } else {
      const message = result.message ?? `The ${kind} job failed for an unknown reason.`;
      this.connection.console.error(`[xai] ${kind} failed: ${message}`);
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `XAI Pipelines: ${kind} failed: ${message}` });
    }
    const finished: RunFinishedParams = { uri: params.uri, result };
    void this.connection.sendNotification(RunFinishedNotification, finished);
    this.onJobEnd(specPath, result, parsed.text);
    return result;
  }

  /** Server-initiated work-done progress (or the client's token when it sent one); a no-op when unsupported. */
  private async startProgress(kind: JobKind, params: RunParams): Promise<WorkDoneProgressServerReporter> {
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
    reporter.begin(title, 0, 'starting the worker', true);
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
