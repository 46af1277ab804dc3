/**
 * The status bar item: the TensorFlow.js backend (the setting, then the one the last run used) and, while a job
 * runs, its progress ("epoch 12/60 · loss 0.0123"), read from the server's work-done progress through the
 * language client's `handleWorkDoneProgress` middleware. Click: Cancel / Show Output while running, else the output.
 */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import type { RunFinishedParams } from '../../protocol/protocol';

/** Work-done progress titles of the server's jobs ("XAI: training", "XAI: explaining"). */
const JOB_TITLE = /^XAI: /;

export class XaiStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xaiPipelines.status', vscode.StatusBarAlignment.Left, 10);
  /** Running jobs by progress token: their title and last message. */
  private readonly jobs = new Map<string, { title: string; message?: string; percentage?: number }>();
  private usedBackend?: string;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'XAI Pipelines';
    this.item.command = 'xaiPipelines.statusBarActions';
    this.subscriptions.push(
      vscode.commands.registerCommand('xaiPipelines.statusBarActions', () => this.actions()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('xaiPipelines.backend')) { this.usedBackend = undefined; this.render(); } }),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  /** Whether a job is running (Run on Save waits for none). */
  busy(): boolean { return this.jobs.size > 0; }

  /** The language client middleware that feeds the item; every event still goes on to VS Code's own progress. */
  readonly middleware: Middleware = {
    handleWorkDoneProgress: (token, params, next) => {
      const key = String(token);
      if (params.kind === 'begin' && JOB_TITLE.test(params.title)) this.jobs.set(key, { title: params.title.replace(JOB_TITLE, ''), message: params.message, percentage: params.percentage });
      else if (params.kind === 'report' && this.jobs.has(key)) Object.assign(this.jobs.get(key)!, { message: params.message ?? this.jobs.get(key)!.message, percentage: params.percentage });
      else if (params.kind === 'end') this.jobs.delete(key);
      this.render();
      next(token, params);
    },
  };

  /** A run finished: remember the backend it used. */
  onRunFinished(p: RunFinishedParams): void {
    if (p.result.ok && p.result.report) this.usedBackend = p.result.report.backend;
    this.render();
  }

  private render(): void {
    const setting = vscode.workspace.getConfiguration('xaiPipelines').get<string>('backend', 'auto');
    const backend = this.usedBackend ?? setting;
    const job = [...this.jobs.values()].pop();
    if (job) {
      const pct = job.percentage !== undefined ? ` ${job.percentage}%` : '';
      this.item.text = `$(sync~spin) XAI ${job.title}${pct}${job.message ? ` · ${job.message}` : ''}`;
      this.item.tooltip = `XAI Pipelines: ${job.title} on ${backend}${this.jobs.size > 1 ? ` (${this.jobs.size} jobs)` : ''}. Click to cancel or show the output.`;
      this.item.show();
      return;
    }
    this.item.text = `$(beaker) XAI: ${backend}`;
    this.item.tooltip = `XAI Pipelines: TensorFlow.js backend ${backend}${this.usedBackend ? ' (used by the last run)' : ` (setting xaiPipelines.backend)`}${vscode.workspace.isTrusted ? '' : '; untrusted workspace: specs are checked, not trained'}. Click to show the output.`;
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'xai-pipeline') this.item.show();
    else this.item.hide();
  }

  private async actions(): Promise<void> {
    if (!this.jobs.size) { void vscode.commands.executeCommand('xaiPipelines.showOutput'); return; }
    const cancel = '$(debug-stop) Cancel the run';
    const output = '$(output) Show output';
    const pick = await vscode.window.showQuickPick([cancel, output], { title: 'XAI Pipelines' });
    if (pick === cancel) void vscode.commands.executeCommand('xaiPipelines.cancel');
    else if (pick === output) void vscode.commands.executeCommand('xaiPipelines.showOutput');
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
