/**
 * The open panels of one kind, by key (a spec URI, or a run): a panel leaves the map when it is disposed (unless a
 * newer panel took its key), and disposing the map disposes every panel. The flowchart, report and decision-path
 * collections share it.
 */
import type * as vscode from 'vscode';

interface Panel { dispose(): void; readonly onDidDispose: vscode.Event<void> }

export class OpenPanels<P extends Panel> extends Map<string, P> {
  /** Registers `panel` under `key` and returns it. */
  adopt(key: string, panel: P): P {
    this.set(key, panel);
    panel.onDidDispose(() => { if (this.get(key) === panel) this.delete(key); });
    return panel;
  }

  /** Disposes every panel and forgets them. */
  dispose(): void {
    for (const p of [...this.values()]) p.dispose();
    this.clear();
  }
}
