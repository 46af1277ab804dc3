/**
 * Open Latest Run (the spec's latest run folder's report) and Explain Model File (explain a saved model: a run
 * folder, its model/ folder or a model.json, through `xai/explainModelFile`; a model without a spec or data asks
 * for a CSV with a file picker). Both need a trusted workspace: they read run folders and data files.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ExplainModelFileRequest, LatestRunRequest,
  type ExplainModelFileParams, type ExplainModelFileResult, type LatestRunParams, type LatestRunResult,
} from '../../../protocol/protocol';
import type { FlowchartPanels } from '../panels/flowchartPanels';
import { resolveSpecDocument, uriFromArgument } from '../specTarget';
import { openRunReport } from './reports';
import { refuseUntrusted } from './trust';

export interface RunFileDeps {
  client: LanguageClient;
  clientReady: Promise<void>;
  panels: FlowchartPanels;
  output: vscode.OutputChannel;
}

export function registerRunFileCommands(deps: RunFileDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('xaiPipelines.openLatestRun', (arg?: unknown) => openLatestRun(arg, deps)),
    vscode.commands.registerCommand('xaiPipelines.explainModelFile', (arg?: unknown) => explainModelFile(arg, deps)),
  ];
}

async function openLatestRun(arg: unknown, deps: RunFileDeps): Promise<LatestRunResult | undefined> {
  if (await refuseUntrusted('open a run')) return undefined;
  const document = await resolveSpecDocument(arg, () => deps.panels.activeSpec());
  if (!document) return undefined;
  await deps.clientReady;
  const params: LatestRunParams = { uri: document.uri.toString() };
  const latest = await deps.client.sendRequest<LatestRunResult>(LatestRunRequest, params);
  if (!latest) {
    const train = 'Train';
    const pick = await vscode.window.showInformationMessage(`XAI Pipelines: ${document.uri.path.split('/').pop()} has no finished run yet.`, train);
    if (pick === train) void vscode.commands.executeCommand('xaiPipelines.train', document.uri);
    return null;
  }
  await openRunReport(latest.runDir, latest.report, deps.panels);
  return latest;
}

/** The saved model to explain: the argument (explorer menu), else the model.json in the editor, else one picked in a dialog. */
async function pickModel(arg: unknown): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const given = uriFromArgument(arg) ?? (active?.path.endsWith('/model.json') ? active : undefined);
  if (given) return given;
  const picked = await vscode.window.showOpenDialog({
    title: 'Explain Model File: a run folder, its model folder or a model.json',
    canSelectFiles: true, canSelectFolders: true, canSelectMany: false, filters: { 'Model JSON': ['json'] },
  });
  return picked?.[0];
}

async function explainModelFile(arg: unknown, deps: RunFileDeps): Promise<ExplainModelFileResult | undefined> {
  if (await refuseUntrusted('explain a model')) return undefined;
  const model = await pickModel(arg);
  if (!model) return undefined;
  await deps.clientReady;
  const params: ExplainModelFileParams = { uri: model.toString() };
  let result = await deps.client.sendRequest<ExplainModelFileResult>(ExplainModelFileRequest, params);
  if (result.needsData) {
    const csv = await vscode.window.showOpenDialog({
      title: `${result.message ?? 'Pick the CSV to explain the model on.'}`,
      canSelectFiles: true, canSelectMany: false, filters: { 'CSV': ['csv', 'tsv'] }, openLabel: 'Explain on this CSV',
    });
    if (!csv?.[0]) return undefined;
    result = await deps.client.sendRequest<ExplainModelFileResult>(ExplainModelFileRequest, { ...params, dataUri: csv[0].toString() });
  }
  if (result.ok && result.runDir) {
    deps.output.appendLine(`[explain model] ${model.fsPath}: ${result.runDir}`);
    await openRunReport(result.runDir, result.report, deps.panels);
  } else if (result.ok && result.markdownPath) {
    deps.output.appendLine(`[explain model] ${model.fsPath}: ${result.markdownPath}`);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(result.markdownPath));
  } else if (!result.cancelled) {
    void vscode.window.showErrorMessage(`XAI Pipelines: explain model failed: ${result.message ?? 'no reason given'}`);
  }
  return result;
}
