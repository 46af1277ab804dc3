/**
 * Run on Save (`xaiPipelines.runOnSave`, toggled by `xaiPipelines.toggleRunOnSave`): saving a spec that has no
 * error diagnostics trains it again. Saves made by Train itself (it saves before running) and saves while the
 * spec's own run-on-save training is in flight are skipped; untrusted workspaces never train.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../languageClient';

const SETTING = 'runOnSave';

function enabled(uri?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('xaiPipelines', uri).get<boolean>(SETTING, false);
}

/** Whether the spec has error diagnostics (the language server's, for the saved text). */
async function hasErrors(uri: vscode.Uri): Promise<boolean> {
  return vscode.languages.getDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error);
}

/** `busy`: whether any job runs now (a save made by Train itself, or during a run, does not start another). */
export function registerRunOnSave(output: vscode.OutputChannel, busy: () => boolean): vscode.Disposable[] {
  const inFlight = new Set<string>();
  const publish = (): void => { void vscode.commands.executeCommand('setContext', 'xaiPipelines.runOnSave', enabled()); };
  publish();
  return [
    vscode.commands.registerCommand('xaiPipelines.toggleRunOnSave', async () => {
      const config = vscode.workspace.getConfiguration('xaiPipelines');
      const next = !enabled();
      // The workspace's value when it sets one, else the user's.
      const inspected = config.inspect<boolean>(SETTING);
      const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await config.update(SETTING, next, target);
      vscode.window.setStatusBarMessage(`XAI: run on save ${next ? 'on' : 'off'}`, 5_000);
      return next;
    }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`xaiPipelines.${SETTING}`)) publish(); }),
    vscode.workspace.onDidSaveTextDocument(async (document) => {
      if (document.languageId !== LANGUAGE_ID || document.uri.scheme !== 'file' || !enabled(document.uri) || !vscode.workspace.isTrusted) return;
      const key = document.uri.toString();
      if (inFlight.has(key) || busy()) return;
      // Let the server publish the saved text's diagnostics first (it debounces edits).
      await new Promise((r) => setTimeout(r, 400));
      if (await hasErrors(document.uri)) {
        output.appendLine(`[run on save] ${document.uri.fsPath}: not trained, the spec has errors`);
        return;
      }
      inFlight.add(key);
      output.appendLine(`[run on save] training ${document.uri.fsPath}`);
      try {
        await vscode.commands.executeCommand('xaiPipelines.train', document.uri);
      } finally {
        inFlight.delete(key);
      }
    }),
  ];
}
