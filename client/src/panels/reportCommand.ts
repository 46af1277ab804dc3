/**
 * `xaiPipelines.showReport [uri]`: the Report panel. `uri` may be a run folder (or its report.json: that run,
 * pinned) or a spec (its latest run); without one, the active spec (editor, or the focused flowchart's).
 */
import * as vscode from 'vscode';
import { resolveSpecDocument, uriFromArgument } from '../specTarget';
import type { ReportTarget } from './reportPanel';
import type { ReportPanels } from './reportPanels';

const SPEC_FILE = /\.xai\.ya?ml$/i;

/** A run folder or a spec, from the command's argument; undefined when there is none. */
export function reportTargetOf(uri: vscode.Uri | undefined): ReportTarget | undefined {
  if (!uri) return undefined;
  if (SPEC_FILE.test(uri.path)) return { kind: 'latest', specUri: uri };
  const runDir = uri.path.endsWith('/report.json') ? vscode.Uri.joinPath(uri, '..') : uri;
  return { kind: 'run', runDir };
}

export function registerReportCommand(panels: ReportPanels, activeSpec: () => vscode.Uri | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('xaiPipelines.showReport', async (arg?: unknown) => {
    let target = reportTargetOf(uriFromArgument(arg));
    if (!target) {
      const document = await resolveSpecDocument(undefined, activeSpec);
      if (!document) return;
      target = { kind: 'latest', specUri: document.uri };
    }
    await panels.show(target);
  });
}
