/**
 * Train, Explain and Cancel: each saves the spec, sends the custom request (protocol/protocol.ts) and, on success,
 * shows the flowchart with the run's importance overlay beside the editor. A second request for a spec that is
 * running waits in the server's queue. Progress (queued behind …, epochs, loss, time left) comes from the server
 * as work-done progress on a token this client passes, and is drawn with `window.withProgress` (its Cancel button
 * cancels that one job); failures show the server's own sentence.
 */
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import {
  CancelRequest, ExplainRequest, TrainRequest,
  type CancelParams, type RunParams, type RunReport, type RunResult,
} from '../../../protocol/protocol';
import type { FlowchartPanels } from '../panels/flowchartPanels';
import { resolveSpecDocument, uriFromArgument } from '../specTarget';

export type RunKind = 'train' | 'explain';

const METHOD: Record<RunKind, string> = { train: TrainRequest, explain: ExplainRequest };
const VERB: Record<RunKind, string> = { train: 'Training', explain: 'Explaining' };

/** Specs with runs in flight (running or queued); mirrored into the `xaiPipelines.running(Specs)` context keys for menus. */
class RunningSpecs {
  private readonly specs = new Map<string, { uri: vscode.Uri; jobs: number }>();
  has(uri: vscode.Uri): boolean { return this.specs.has(uri.toString()); }
  only(): vscode.Uri | undefined { return this.specs.size === 1 ? [...this.specs.values()][0]!.uri : undefined; }
  add(uri: vscode.Uri): void {
    const entry = this.specs.get(uri.toString()) ?? { uri, jobs: 0 };
    entry.jobs++;
    this.specs.set(uri.toString(), entry);
    this.publish();
  }
  delete(uri: vscode.Uri): void {
    const entry = this.specs.get(uri.toString());
    if (entry && --entry.jobs <= 0) this.specs.delete(uri.toString());
    this.publish();
  }
  private publish(): void {
    void vscode.commands.executeCommand('setContext', 'xaiPipelines.running', this.specs.size > 0);
    // `resourcePath in xaiPipelines.runningSpecs` in menus.
    void vscode.commands.executeCommand('setContext', 'xaiPipelines.runningSpecs', [...this.specs.values()].map((e) => e.uri.fsPath));
  }
}

export interface RunCommandDeps {
  client: LanguageClient;
  /** Resolves once the language server has started (rejects if it could not). */
  clientReady: Promise<void>;
  panels: FlowchartPanels;
  output: vscode.OutputChannel;
}

/** Registers `xaiPipelines.train`, `xaiPipelines.explain` and `xaiPipelines.cancel`. */
export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable[] {
  const running = new RunningSpecs();
  const run = (kind: RunKind) => (arg?: unknown) => runSpec(kind, arg, deps, running);
  return [
    vscode.commands.registerCommand('xaiPipelines.train', run('train')),
    vscode.commands.registerCommand('xaiPipelines.explain', run('explain')),
    vscode.commands.registerCommand('xaiPipelines.cancel', (arg?: unknown) => cancelRun(arg, deps, running)),
  ];
}

/**
 * Runs one spec. Resolves with the server's RunResult (also for failures, which are shown to the user), or
 * undefined when nothing was sent (no spec, untrusted workspace, unsaved document). A run of a spec that is
 * already running is queued by the server behind it.
 */
async function runSpec(kind: RunKind, arg: unknown, deps: RunCommandDeps, running: RunningSpecs): Promise<RunResult | undefined> {
  const document = await resolveSpecDocument(arg, () => deps.panels.activeSpec());
  if (!document) return undefined;
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const pick = await vscode.window.showWarningMessage(
      `XAI Pipelines: ${VERB[kind].toLowerCase()} reads data files and runs a model; trust this workspace first.`, manage);
    if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  // The worker reads the spec from disk: what it runs must be what the user sees.
  if (document.isDirty && !(await document.save())) {
    void vscode.window.showErrorMessage(`XAI Pipelines: could not save ${specLabel(document.uri)}; nothing was run.`);
    return undefined;
  }

  running.add(document.uri);
  const started = performance.now();
  let result: RunResult;
  try {
    await deps.clientReady;
    result = await requestWithProgress(kind, document.uri, deps.client);
  } catch (e) {
    result = { ok: false, message: `the language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    running.delete(document.uri);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  if (result.ok) {
    const line = result.report ? summary(result.report) : 'done';
    deps.output.appendLine(`[${kind}] ${specLabel(document.uri)}: ${line} (${seconds} s; ${result.runDir ?? 'no run folder'})`);
    await deps.panels.show(document.uri, result.report);
    vscode.window.setStatusBarMessage(`$(check) XAI: ${specLabel(document.uri)} ${line}`, 10_000);
    if (result.warning) void vscode.window.showWarningMessage(`XAI Pipelines: ${result.warning}`);
  } else if (result.cancelled) {
    deps.output.appendLine(`[${kind}] ${specLabel(document.uri)}: cancelled after ${seconds} s`);
    vscode.window.setStatusBarMessage(`XAI: ${VERB[kind].toLowerCase()} ${specLabel(document.uri)} cancelled`, 5_000);
  } else {
    const message = result.message ?? `${VERB[kind]} failed without a reason.`;
    deps.output.appendLine(`[${kind}] ${specLabel(document.uri)} failed after ${seconds} s: ${message}`);
    // Worded exactly as the server's own window/showMessage for a failed job, so VS Code shows one notification
    // when both arrive (it replaces an identical one), and the refusals the server does not announce still show.
    void vscode.window.showErrorMessage(`XAI Pipelines: ${kind} failed: ${message}`);
  }
  return result;
}

/**
 * Sends the train/explain request with a work-done token and draws its progress in a notification: the server's
 * line ("queued behind train (epoch 3/100 · …)", "epoch 12/300 · loss 0.0123 · about 20 s left") and percentage.
 * Cancel there cancels this request only (a queued one leaves the queue; a running one's worker is killed).
 */
function requestWithProgress(kind: RunKind, uri: vscode.Uri, client: LanguageClient): Thenable<RunResult> {
  const token = `xai-${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const title = `XAI: ${VERB[kind].toLowerCase()} ${specLabel(uri)}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, cancel) => {
    let done = 0;
    const subscription = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'end') return;
      // withProgress takes increments; the server sends the percentage so far.
      const increment = value.percentage !== undefined && value.percentage > done ? value.percentage - done : undefined;
      if (increment !== undefined) done += increment;
      progress.report({ ...(value.message !== undefined ? { message: value.message } : {}), ...(increment !== undefined ? { increment } : {}) });
    });
    try {
      const params: RunParams = { uri: uri.toString(), workDoneToken: token };
      return await client.sendRequest<RunResult>(METHOD[kind], params, cancel);
    } catch (e) {
      // The server answers a cancelled request with its cancelled result; a client that gave up rejects instead.
      if (cancel.isCancellationRequested) return { ok: false, cancelled: true, message: 'cancelled' };
      throw e;
    } finally {
      subscription.dispose();
    }
  });
}

/**
 * Asks the server to stop the spec's run and drop its queued runs (the given spec, else the only running one,
 * else the active one).
 */
async function cancelRun(arg: unknown, deps: RunCommandDeps, running: RunningSpecs): Promise<void> {
  const uri = uriFromArgument(arg) ?? running.only() ?? (await resolveSpecDocument(undefined, () => deps.panels.activeSpec()))?.uri;
  if (!uri) return;
  try {
    await deps.clientReady;
    const params: CancelParams = { uri: uri.toString() };
    await deps.client.sendRequest(CancelRequest, params);
  } catch (e) {
    void vscode.window.showErrorMessage(`XAI Pipelines: could not cancel: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `stock-price.xai.yaml` */
function specLabel(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** "validation RMSE 3.21 (baseline 3.50)", or for classification "validation accuracy 0.93 (baseline 0.35)" */
function summary(report: RunReport): string {
  const m = report.metrics;
  if (m.classification) return `validation accuracy ${fmt(m.classification.model.accuracy)} (baseline ${fmt(m.classification.baseline.accuracy)}) on ${report.backend}`;
  return `validation RMSE ${fmt(m.model.rmse)} (baseline ${fmt(m.baseline.rmse)}) on ${report.backend}`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}
