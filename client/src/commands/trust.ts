/** Workspace Trust for commands that read data files, train or write: they say why they refuse, with the way out. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkspaceTrustNotification, type WorkspaceTrustParams } from '../../../protocol/protocol';

/** The one sentence every refusal starts with (also the server's UNTRUSTED_MESSAGE's reason). */
export const UNTRUSTED_REASON = 'this workspace is not trusted, so XAI Pipelines only checks the spec text: it reads no data files, trains nothing and writes nothing';

/** True (after telling the user, with a Manage Workspace Trust button) when the workspace is not trusted. */
export async function refuseUntrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(`XAI Pipelines cannot ${action}: ${UNTRUSTED_REASON}.`, manage);
  if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  return true;
}

/** Tells the language server when the workspace becomes trusted, so that it starts reading the specs' data. */
export function watchWorkspaceTrust(client: LanguageClient, clientReady: Promise<void>): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(async () => {
    await clientReady;
    const params: WorkspaceTrustParams = { trusted: true };
    await client.sendNotification(WorkspaceTrustNotification, params);
  });
}
