/**
 * Issue 7, must-show 3, in a real VS Code workbench (code-server 4.100.3 + Chromium): train the iris example, open
 * "XAI Pipelines: Show Decision Path" beside the spec, pick a sample in the panel, and see that sample's path
 * lit on the flowchart. The expected path is computed from the run the workbench wrote (the server's own
 * `decisionPath` on the run folder), so the check compares the drawing with the engine. Screenshots go to
 * .test-artifacts/workbench/iris-paths/.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Frame } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { decisionPath } from '../../server/src/lsp/decisionPath';
import { ARTIFACTS, closeWorkbench, Workbench, makeWorkspace, packageExtension } from './harness';

const SPEC = 'iris.xai.yaml';
/** A virginica flower (iris.csv line 102: 6.3, 3.3, 6.0, 2.5): right at the root, right again, to a virginica leaf. */
const ROW = 100;

let vsix = '';
let wb: Workbench | undefined;
let workspace: string | undefined;

beforeAll(() => {
  vsix = packageExtension(join(ARTIFACTS, 'vsix')).vsix;
});

afterEach(async () => {
  await closeWorkbench(wb, workspace);
  wb = undefined;
  workspace = undefined;
});

/** Tree nodes the flowchart lights as the path, sorted. */
async function litTreeNodes(flowchart: Frame): Promise<string[]> {
  return flowchart.$$eval('svg.xai-has-path g.node.xai-path[data-xai-kind="tree"]', (els) => els.map((e) => e.getAttribute('data-xai-node')!).sort());
}

describe('decision paths in a real VS Code workbench (code-server)', () => {
  test('train iris, open the Decision Path panel beside the spec, pick a sample, see its path on the flowchart', async () => {
    workspace = makeWorkspace();
    wb = await Workbench.start({ vsix, name: 'iris-paths' });
    const w = wb;
    await w.openFolder(workspace);
    await w.openFile(SPEC);
    await w.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Train' }).first().waitFor({ timeout: 60_000 });
    await w.runCommand('XAI Pipelines: Train');
    const flowchart = await w.frameWith('g.node[data-xai-kind="tree"]', 180_000);
    expect(await flowchart.$$eval('g.node[data-xai-kind="tree"]', (els) => els.length)).toBeGreaterThanOrEqual(3);

    await w.runCommand('XAI Pipelines: Show Decision Path');
    const panel = await w.frameWith('#xai-paths .xai-steps li', 60_000);
    // The panel opens on row 0, whose path the flowchart shows at once.
    await flowchart.waitForSelector('svg.xai-has-path g.node.xai-path[data-xai-node="n_tree_1"]', { timeout: 30_000 });
    await w.screenshot('decision-path-row0');

    // Pick row 100 in the panel.
    await panel.locator('vscode-textfield.xai-row input').fill(String(ROW));
    await panel.locator('vscode-button.xai-show').click();
    await panel.waitForSelector(`.xai-summary:has-text("Row ${ROW} ")`, { timeout: 30_000 });
    const expected = await decisionPath({ uri: pathToFileURL(join(workspace, 'iris', SPEC)).href, selector: { by: 'row', row: ROW } });
    const steps = expected.sample!.path.steps;
    expect(steps.at(-1)!.predicted).toMatch(/^virginica/);
    const want = steps.map((s) => `n_tree_${s.node}`).sort();
    await expect.poll(() => litTreeNodes(flowchart), { timeout: 30_000 }).toEqual(want);
    // The panel lists the same steps, value against threshold.
    const texts = await panel.$$eval('.xai-steps li .xai-step-test', (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(texts[0]).toBe(`petal_length = 6 > 2.45`);
    expect(texts.at(-1)).toMatch(/^Leaf: virginica/);
    const rootLabel = await flowchart.textContent('g.node[data-xai-node="n_tree_0"] .nodeLabel');
    expect(rootLabel).toContain('petal_length = 6 > 2.45');

    // Spec, flowchart and panel side by side: the panel's frame lies right of the spec's editor group.
    const groups = w.page.locator('.editor-group-container');
    expect(await groups.count()).toBeGreaterThanOrEqual(3);
    const specBox = await groups.filter({ has: w.page.locator(`.tab[data-resource-name="${SPEC}"]`) }).first().boundingBox();
    const frameBoxes = await w.page.locator('iframe.webview').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    expect(specBox).not.toBeNull();
    expect(Math.max(...frameBoxes)).toBeGreaterThan(specBox!.x + specBox!.width);
    await w.screenshot('decision-path-row100');
  }, 400_000);
});
