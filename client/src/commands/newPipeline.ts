/**
 * `xaiPipelines.newPipeline`: a first spec for a CSV (explorer context menu on a .csv, or the palette with a file
 * picker). The server reads the CSV's header and rows and guesses the target and the task (`xai/newPipeline`);
 * the spec is written beside the CSV as `<name>.xai.yaml` (never over an existing file) and opened.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NewPipelineRequest, type NewPipelineParams, type NewPipelineResult } from '../../../protocol/protocol';
import { uriFromArgument } from '../specTarget';
import { refuseUntrusted } from './trust';

/** `<folder>/<base>.xai.yaml`, or `<base>-2.xai.yaml`, `-3`, … when taken. */
async function freeSpecUri(csv: vscode.Uri): Promise<vscode.Uri> {
  const folder = vscode.Uri.joinPath(csv, '..');
  const base = csv.path.slice(csv.path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  for (let i = 1; ; i++) {
    const uri = vscode.Uri.joinPath(folder, `${base}${i === 1 ? '' : `-${i}`}.xai.yaml`);
    try { await vscode.workspace.fs.stat(uri); } catch { return uri; }
  }
}

export function registerNewPipeline(client: LanguageClient, clientReady: Promise<void>, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('xaiPipelines.newPipeline', async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    if (await refuseUntrusted('create a pipeline from a CSV')) return undefined;
    // The argument (explorer menu), else the CSV open in the editor, else one picked in a dialog.
    const active = vscode.window.activeTextEditor?.document.uri;
    let csv = uriFromArgument(arg) ?? (active && /\.(csv|tsv)$/i.test(active.path) ? active : undefined);
    if (!csv) {
      const picked = await vscode.window.showOpenDialog({
        title: 'New Pipeline: the CSV to learn from', canSelectMany: false, filters: { 'CSV': ['csv', 'tsv'] }, openLabel: 'Create Pipeline',
      });
      csv = picked?.[0];
    }
    if (!csv) return undefined;
    const spec = await freeSpecUri(csv);
    await clientReady;
    const params: NewPipelineParams = { csvUri: csv.toString(), specUri: spec.toString() };
    const r = await client.sendRequest<NewPipelineResult>(NewPipelineRequest, params);
    if (!r.ok) {
      void vscode.window.showErrorMessage(`XAI Pipelines: cannot make a pipeline: ${r.message}`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(spec, new TextEncoder().encode(r.text));
    output.appendLine(`[new pipeline] ${spec.fsPath}: target ${r.target} (${r.task}), ${r.features.length} features`);
    await vscode.window.showTextDocument(spec);
    vscode.window.setStatusBarMessage(`$(new-file) XAI: ${r.task} of ${r.target} from ${r.features.length} features; edit it, then Train`, 10_000);
    return spec;
  });
}
