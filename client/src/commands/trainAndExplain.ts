/**
 * `xaiPipelines.trainAndExplain`: Train, then (when training succeeded) Explain the new run again with the spec's
 * explanation methods, through the two commands so that each shows its own progress and result.
 */
import * as vscode from 'vscode';
import type { RunResult } from '../../../protocol/protocol';
import { resolveSpecDocument } from '../specTarget';

export function registerTrainAndExplain(activeSpec: () => vscode.Uri | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('xaiPipelines.trainAndExplain', async (arg?: unknown): Promise<RunResult | undefined> => {
    const document = await resolveSpecDocument(arg, activeSpec);
    if (!document) return undefined;
    const trained = await vscode.commands.executeCommand<RunResult | undefined>('xaiPipelines.train', document.uri);
    if (!trained?.ok) return trained;
    return vscode.commands.executeCommand<RunResult | undefined>('xaiPipelines.explain', document.uri);
  });
}
