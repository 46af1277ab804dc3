/**
 * `xaiPipelines.openExample` (the walkthrough's first step): copies the stock-price example shipped with the
 * extension into the first workspace folder (`xai-example/`), or into the extension's storage when no folder is
 * open, and opens its spec. An existing copy is opened as it is (the user's edits are kept).
 */
import * as vscode from 'vscode';
import { refuseUntrusted } from './trust';

const FILES = ['stock-price/stock-price.xai.yaml', 'data/stocks.csv'];

export function registerOpenExample(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('xaiPipelines.openExample', async (): Promise<vscode.Uri | undefined> => {
    if (await refuseUntrusted('copy the example into the workspace')) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const root = folder ? vscode.Uri.joinPath(folder, 'xai-example') : vscode.Uri.joinPath(context.globalStorageUri, 'xai-example');
    for (const rel of FILES) {
      const to = vscode.Uri.joinPath(root, rel);
      try { await vscode.workspace.fs.stat(to); continue; } catch { /* not there yet */ }
      await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'examples', rel), to);
    }
    const spec = vscode.Uri.joinPath(root, FILES[0]!);
    // From the walkthrough (no text editor active): beside it, so that its next step (Train) finds the spec visible.
    await vscode.window.showTextDocument(spec, { viewColumn: vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside });
    return spec;
  });
}
