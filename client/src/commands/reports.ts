/**
 * Opening a run's report: the Report panel (`xaiPipelines.showReport`, when it is installed) for the run folder,
 * else the flowchart of the run's spec with the run's importance. Used by Open Latest Run and Explain Model File.
 */
import * as vscode from 'vscode';
import type { RunReport } from '../../../protocol/protocol';
import type { FlowchartPanels } from '../panels/flowchartPanels';

export async function openRunReport(runDir: string, report: RunReport | undefined, panels: FlowchartPanels): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('xaiPipelines.showReport')) {
    await vscode.commands.executeCommand('xaiPipelines.showReport', vscode.Uri.file(runDir));
    return;
  }
  if (report) await panels.show(vscode.Uri.file(report.spec.path), report);
}
