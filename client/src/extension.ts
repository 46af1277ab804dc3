/**
 * XAI Pipelines in VS Code: starts the language server for `*.xai.yaml` specs, registers Train / Explain /
 * Cancel / Show Flowchart, and hosts the flowchart panels. Activation does not wait for the server: commands wait
 * for it when they need it, so opening a spec stays quick. The measured activation time goes to the
 * "XAI Pipelines" output channel as `activated in N ms`.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DecisionPathRequest, type DecisionPathParams, type DecisionPathResult,
  FlowGraphRequest, LatestRunRequest, RunFinishedNotification, RunReportRequest, type RunReportResult,
  type FlowGraphParams, type FlowGraphResult, type LatestRunParams, type LatestRunResult, type RunFinishedParams,
} from '../../protocol/protocol';
import { registerOpenExample } from './commands/example';
import { registerFlowchartCommands } from './commands/flowchart';
import { registerNewPipeline } from './commands/newPipeline';
import { registerRunCommands } from './commands/run';
import { registerRunFileCommands } from './commands/runFiles';
import { registerRunOnSave } from './commands/runOnSave';
import { registerTrainAndExplain } from './commands/trainAndExplain';
import { watchWorkspaceTrust } from './commands/trust';
import { createLanguageClient } from './languageClient';
import type { FlowchartSource } from './panels/flowchartPanel';
import { FLOWCHART_VIEW_TYPE, FlowchartPanels } from './panels/flowchartPanels';
import { DecisionPathPanels, registerDecisionPathCommand } from './panels/decisionPathPanels';
import { registerReportCommand } from './panels/reportCommand';
import { REPORT_VIEW_TYPE, ReportPanels } from './panels/reportPanels';
import { XaiStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** What `activate` returns (the extension's `exports`), for tests that drive the extension. */
export interface XaiPipelinesApi {
  /** Time spent in `activate`, in ms. */
  activationMs: number;
  /** Resolves when the language server has started; rejects when it could not. */
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): XaiPipelinesApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('XAI Pipelines');
  context.subscriptions.push(output);

  const statusBar = new XaiStatusBar();
  context.subscriptions.push(statusBar);
  const languageClient = createLanguageClient(context, output, statusBar.middleware);
  client = languageClient;
  const ready = languageClient.start().then(
    () => output.appendLine(`language server ready ${(performance.now() - started).toFixed(0)} ms after activation began`),
    (e: unknown) => {
      output.appendLine(`language server failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      throw e;
    },
  );
  ready.catch(() => { /* reported above; commands report it again when they need the server */ });

  const source: FlowchartSource = {
    async flowGraph(uri) {
      await ready;
      const params: FlowGraphParams = { uri: uri.toString() };
      return languageClient.sendRequest<FlowGraphResult>(FlowGraphRequest, params);
    },
    async latestRun(uri) {
      await ready;
      const params: LatestRunParams = { uri: uri.toString() };
      return languageClient.sendRequest<LatestRunResult>(LatestRunRequest, params);
    },
  };
  const panels = new FlowchartPanels(
    { source, output, webviewRoot: vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview') },
    context.workspaceState,
  );
  // The Report panel knows runs only through xai/runReport (the client never reads run files itself).
  const reportPanels = new ReportPanels({
    source: {
      async runReport(params) {
        await ready;
        return languageClient.sendRequest<RunReportResult>(RunReportRequest, params);
      },
    },
    output, webviewRoot: vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'),
  });
  // Decision paths are computed by the server from the run's saved artifacts (xai/decisionPath).
  const pathPanels = new DecisionPathPanels({
    async decisionPath(uri, selector) {
      await ready;
      const params: DecisionPathParams = { uri: uri.toString(), selector };
      return languageClient.sendRequest<DecisionPathResult>(DecisionPathRequest, params);
    },
    output, webviewRoot: vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'),
  }, panels);
  context.subscriptions.push(
    panels,
    vscode.window.registerWebviewPanelSerializer(FLOWCHART_VIEW_TYPE, panels),
    pathPanels,
    ...registerDecisionPathCommand(pathPanels, panels),
    reportPanels,
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, reportPanels),
    registerReportCommand(reportPanels, () => panels.activeSpec()),
    ...registerRunCommands({ client: languageClient, clientReady: ready, panels, output }),
    ...registerFlowchartCommands(panels),
    registerTrainAndExplain(() => panels.activeSpec()),
    ...registerRunFileCommands({ client: languageClient, clientReady: ready, panels, output }),
    registerNewPipeline(languageClient, ready, output),
    ...registerRunOnSave(output, () => statusBar.busy()),
    registerOpenExample(context),
    vscode.commands.registerCommand('xaiPipelines.showOutput', () => output.show(true)),
    watchWorkspaceTrust(languageClient, ready),
    // Runs finish for code lenses, other windows' commands and our own: refresh an open panel for all of them.
    languageClient.onNotification(RunFinishedNotification, (params: RunFinishedParams) => {
      statusBar.onRunFinished(params);
      if (params.result.ok) panels.onRunFinished(vscode.Uri.parse(params.uri), params.result.report);
      if (params.result.ok) reportPanels.onRunFinished(vscode.Uri.parse(params.uri));
      if (params.result.ok) pathPanels.onRunFinished(vscode.Uri.parse(params.uri));
    }),
  );

  const activationMs = performance.now() - started;
  output.appendLine(`XAI Pipelines ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms from ${context.extensionPath}`);
  return { activationMs, ready };
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  // Stopping the client ends the server, which ends its worker.
  if (c) await c.stop(2000).catch(() => undefined);
}
