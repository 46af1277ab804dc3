/**
 * The Report panel in a real VS Code workbench (code-server 4.100.3 + Chromium) with the packaged .vsix: train the
 * diabetes example (ridge with SHAP, Sobol, PD and the explanation report) from the command palette, run
 * "XAI Pipelines: Show Report", and read the panel's webview: the metrics are the run's report.json values, the
 * charts are drawn; after a window reload the serializer brings the panel back with the same run. Screenshots go
 * to .test-artifacts/workbench/report-panel/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, closeWorkbench, Workbench, makeWorkspace, packageExtension } from './harness';

let vsix = '';
let wb: Workbench | undefined;
let workspace: string | undefined;

beforeAll(() => {
  vsix = packageExtension(join(ARTIFACTS, 'vsix-report')).vsix;
});

afterAll(async () => {
  await closeWorkbench(wb, workspace);
});

/** The Report webview's content frame, once it shows a report's metric rows. */
function reportFrame(w: Workbench, timeoutMs: number): Promise<Frame> {
  return w.frameWith('.xai-s-metrics:not([hidden]) tbody tr', timeoutMs);
}

/** The metric rows the panel shows: label and the model's and baseline's exact values. */
function metricRows(f: Frame): Promise<{ label: string; model: number; baseline: number }[]> {
  return f.$$eval('table.xai-metrics tbody tr', (trs) => trs.map((tr) => {
    const td = tr.querySelectorAll('td');
    return { label: tr.querySelector('th')!.textContent ?? '', model: Number(td[0]!.dataset.value), baseline: Number(td[1]!.dataset.value) };
  }));
}

describe('the Report panel in the workbench', () => {
  test('Show Report after Train shows the run; a window reload restores it', async () => {
    workspace = makeWorkspace();
    wb = await Workbench.start({ vsix, name: 'report-panel' });
    const w = wb;
    await w.openFolder(workspace);
    await w.openFile('diabetes.xai.yaml');
    await w.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Train' }).first().waitFor({ timeout: 60_000 });
    await w.runCommand('XAI Pipelines: Train');
    const latest = join(workspace, 'diabetes/.xai/runs/diabetes/latest');
    await expect.poll(() => existsSync(latest), { timeout: 120_000, interval: 500 }).toBe(true);
    const runDir = join(workspace, 'diabetes/.xai/runs/diabetes', readFileSync(latest, 'utf8').trim());
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { runId: string; metrics: { model: Record<string, number>; baseline: Record<string, number> } };

    await w.runCommand('XAI Pipelines: Show Report');
    const frame = await reportFrame(w, 60_000);
    const expected = [['RMSE', 'rmse'], ['MAE', 'mae'], ['R²', 'r2']].map(([label, key]) => ({ label: label!, model: report.metrics.model[key!]!, baseline: report.metrics.baseline[key!]! }));
    expect(await metricRows(frame)).toEqual(expected);
    expect(await frame.textContent('.xai-run')).toContain(report.runId);
    // Every chart a ridge run with these explainers has (no training curves: a closed-form fit has no epochs).
    for (const chart of ['.xai-importance svg', '.xai-beeswarm svg', '.xai-waterfall svg', '.xai-pd svg']) expect(await frame.$(chart)).not.toBeNull();
    expect(await frame.textContent('.xai-markdown h1')).toBe('Explanation report: diabetes');
    await w.screenshot('report-panel');

    // Reload as a user does (the workbench saves its editors' state on the way), then wait for the new page.
    await Promise.all([w.page.waitForEvent('load', { timeout: 60_000 }), w.runCommand('Developer: Reload Window')]);
    await w.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const restored = await reportFrame(w, 90_000);
    expect(await metricRows(restored)).toEqual(expected);
    expect(await restored.textContent('.xai-run')).toContain(report.runId);
    await w.screenshot('report-panel-restored');
  }, 300_000);
});
