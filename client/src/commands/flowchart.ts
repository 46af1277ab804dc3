/** `xaiPipelines.showFlowchart`: the spec's flowchart beside the editor, with the latest run's overlay if any. */
import * as vscode from 'vscode';
import type { FlowchartPanels } from '../panels/flowchartPanels';
import { resolveSpecDocument } from '../specTarget';

export function registerFlowchartCommands(panels: FlowchartPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('xaiPipelines.showFlowchart', async (arg?: unknown) => {
      const document = await resolveSpecDocument(arg, () => panels.activeSpec());
      if (document) await panels.show(document.uri);
    }),
  ];
}
