/**
 * Finds the spec a command acts on: the URI passed by a code lens, a menu or a test, else the active editor's
 * `xai-pipeline` document, else the spec of the focused flowchart panel, else the only visible spec.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './languageClient';

/** Turns a command argument (a `vscode.Uri`, a URI string, or `{ uri }`) into a URI, if it is one. */
export function uriFromArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) {
    try { return vscode.Uri.parse(arg, true); } catch { return undefined; }
  }
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) return uriFromArgument((arg as { uri: unknown }).uri);
  return undefined;
}

/** The spec document to act on, opened if needed; undefined (after telling the user) when there is none. */
export async function resolveSpecDocument(arg: unknown, activePanelSpec?: () => vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const uri = uriFromArgument(arg) ?? (vscode.window.activeTextEditor ? undefined : activePanelSpec?.());
  if (uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      return open ?? await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`XAI Pipelines: cannot open ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === LANGUAGE_ID) return active;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => d.languageId === LANGUAGE_ID);
  if (visible.length === 1) return visible[0];
  void vscode.window.showErrorMessage('XAI Pipelines: open a *.xai.yaml pipeline spec first.');
  return undefined;
}
