/**
 * Issue 8, must-show 1 and 2: the commands as a user meets them in a real VS Code workbench (code-server 4.100.3 +
 * Chromium), each scenario in its own workbench with the packaged .vsix installed into a fresh extensions folder.
 * Screenshots go to .test-artifacts/workbench/<scenario>/. Nothing here asserts on time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, closeWorkbench, ROOT, Workbench, makeWorkspace, packageExtension } from './harness';

const SPEC = 'stock-price.xai.yaml';
let vsix = '';
let wb: Workbench | undefined;
let workspace: string | undefined;

beforeAll(() => {
  vsix = packageExtension(join(ARTIFACTS, 'vsix-commands')).vsix;
});

afterEach(async () => {
  await closeWorkbench(wb, workspace);
  wb = undefined;
  workspace = undefined;
});

async function open(name: string, options: { settings?: Record<string, unknown>; workspaceTrust?: boolean; epochs?: number } = {}): Promise<Workbench> {
  workspace = makeWorkspace({}, options.epochs);
  wb = await Workbench.start({ vsix, name, settings: options.settings, workspaceTrust: options.workspaceTrust });
  await wb.openFolder(workspace);
  return wb;
}

/** The run folders of a spec key under a runs root (`<root>/<key>/<run id>/report.json`). */
function runFolders(runsRoot: string, key: string): string[] {
  const dir = join(runsRoot, key);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'latest' && existsSync(join(dir, n, 'report.json'))).map((n) => join(dir, n));
}

/** The status bar item of the extension (`xaiPipelines.status`). */
function statusItem(w: Workbench) {
  return w.page.locator('[id="xai-pipelines.xai-pipelines.xaiPipelines.status"], #xaiPipelines\\.status, .statusbar-item:has-text("XAI")').first();
}

/** Text of the visible notification toasts. */
async function notifications(w: Workbench): Promise<string> {
  return (await w.page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => [])).join('\n');
}

/**
 * Runs `item` from the Explorer's context menu on the file open in the editor: reveals it in the Explorer (its row
 * is then selected) and right-clicks the row.
 */
async function explorerContextMenu(w: Workbench, name: string, item: string): Promise<void> {
  const row = w.page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: name }).first();
  const entry = w.page.locator('.monaco-menu .action-item', { hasText: item }).first();
  // The Explorer may still be expanding folders for the reveal, or redraw its rows when files appear (a run folder
  // being written), which closes an open menu; and the Escape that closes a menu also clears the list's selection.
  // So each attempt reveals the file again before it right-clicks.
  for (let attempt = 1; ; attempt++) {
    await w.runCommand('File: Reveal Active File in Explorer View');
    if (await row.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
      await row.click({ button: 'right' });
      if (await entry.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
        await w.screenshot(`context-menu-${item.replace(/\W+/g, '-').toLowerCase()}`);
        if (await entry.click({ timeout: 5000 }).then(() => true, () => false)) return;
      }
    }
    await w.screenshot(`context-menu-attempt-${attempt}`);
    if (attempt === 5) throw new Error(`the Explorer context menu of ${name} shows no '${item}' after ${attempt} attempts`);
    await w.page.keyboard.press('Escape');
  }
}

/** Waits until the language server answers for the open spec (its code lenses are drawn). */
async function waitForLenses(w: Workbench): Promise<void> {
  await w.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Train' }).first().waitFor({ timeout: 60_000 });
}

describe('XAI Pipelines commands in the workbench', () => {
  test('New Pipeline on penguins.csv writes a spec without errors that trains', async () => {
    const w = await open('new-pipeline');
    await w.openFile('penguins.csv');
    await explorerContextMenu(w, 'penguins.csv', 'New Pipeline from CSV');
    const specPath = join(workspace!, 'data', 'penguins.xai.yaml');
    await w.page.locator('.tab[data-resource-name="penguins.xai.yaml"]').first().waitFor({ timeout: 60_000 });
    expect(existsSync(specPath)).toBe(true);
    const text = readFileSync(specPath, 'utf8');
    expect(text).toMatch(/^task: classification$/m);
    expect(text).toMatch(/^ {2}target: Species$/m);
    expect(text).toContain('"Beak Length (mm)"');
    await waitForLenses(w);
    // No error anywhere: no squiggle, and the Problems panel has nothing for the new spec.
    await w.page.keyboard.press('Control+Shift+M');
    const panel = w.page.locator('.markers-panel');
    await panel.waitFor();
    await w.page.waitForTimeout(1500);
    expect(await w.page.locator('.monaco-editor .squiggly-error').count()).toBe(0);
    expect(await panel.innerText()).not.toContain('penguins.xai.yaml');
    await w.screenshot('new-pipeline-spec');

    await w.runCommand('XAI Pipelines: Train');
    await expect.poll(() => runFolders(join(workspace!, 'data', '.xai', 'runs'), 'penguins').length, { timeout: 180_000, interval: 1000 }).toBe(1);
    const report = JSON.parse(readFileSync(join(runFolders(join(workspace!, 'data', '.xai', 'runs'), 'penguins')[0]!, 'report.json'), 'utf8'));
    expect(report.task).toBe('classification');
    expect(report.metrics.classification.model.accuracy).toBeGreaterThan(report.metrics.classification.baseline.accuracy);
    await w.page.frameLocator('iframe.webview').first().frameLocator('#active-frame').locator('svg').first().waitFor({ timeout: 60_000 });
    await w.screenshot('new-pipeline-trained');
  }, 300_000);

  test('Train shows its progress in the status bar and Cancel from there stops it', async () => {
    const w = await open('train-cancel', { epochs: 5000 });
    await w.openFile(SPEC);
    await waitForLenses(w);
    await w.runCommand('XAI Pipelines: Train');
    const item = statusItem(w);
    await expect.poll(() => item.innerText(), { timeout: 120_000, interval: 300 }).toMatch(/epoch \d+\/5000/);
    await w.screenshot('train-progress');
    await item.click();
    const cancel = w.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cancel the run' }).first();
    await cancel.waitFor();
    await w.screenshot('train-cancel-menu');
    await cancel.click();
    await expect.poll(() => item.innerText(), { timeout: 60_000, interval: 300 }).toMatch(/XAI: \w+/);
    await expect.poll(() => w.readLogs(/output_logging_.*XAI/), { timeout: 30_000, interval: 500 }).toMatch(/cancelled/);
    // Nothing of the cancelled run was kept.
    expect(runFolders(join(workspace!, 'stock-price', '.xai', 'runs'), 'stock-price')).toEqual([]);
    await w.screenshot('train-cancelled');
  }, 300_000);

  test('Explain Model File on a saved run explains it again and opens its report', async () => {
    workspace = makeWorkspace({}, 20);
    const spec = join(workspace, 'stock-price', SPEC);
    // The saved run, made by the CLI as a user's earlier run would be.
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'xai.js'), 'run', spec], { stdio: 'ignore', timeout: 180_000 });
    const [runDir] = runFolders(join(workspace, 'stock-price', '.xai', 'runs'), 'stock-price');
    expect(runDir).toBeDefined();
    const before = statSync(join(runDir!, 'report.json')).mtimeMs;
    wb = await Workbench.start({ vsix, name: 'explain-model-file' });
    const w = wb;
    await w.openFolder(workspace);
    await w.openFile('model.json');
    await explorerContextMenu(w, 'model.json', 'Explain Model File');
    await expect.poll(() => statSync(join(runDir!, 'report.json')).mtimeMs, { timeout: 180_000, interval: 500 }).toBeGreaterThan(before);
    // The run's Report panel opens (a webview tab named after the run).
    const title = `Report: stock-price ${basename(runDir!)}`;
    await w.page.locator('.tab', { hasText: title }).first().waitFor({ timeout: 60_000 });
    await w.page.frameLocator('iframe.webview').first().frameLocator('#active-frame').locator('body *').first().waitFor({ timeout: 60_000 });
    await w.page.waitForTimeout(1500);
    await w.screenshot('explain-model-file-report');
  }, 300_000);

  test('an untrusted workspace shows diagnostics but refuses to train, saying why', async () => {
    // Two errors: a misspelled key (the spec text shows it) and a misspelled column (only the CSV shows it).
    const broken = readFileSync(join(ROOT, 'examples', 'stock-price', SPEC), 'utf8').replace(/^model:/m, 'modle:').replace(/^( {2}target:) price$/m, '$1 prcie');
    expect(broken).toContain('target: prcie');
    workspace = makeWorkspace({ 'stock-price/broken.xai.yaml': broken });
    wb = await Workbench.start({ vsix, name: 'untrusted', workspaceTrust: true });
    const w = wb;
    await w.page.goto(`http://127.0.0.1:${w.port}/?folder=${encodeURIComponent(workspace)}`);
    await w.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The startup trust prompt: answer that the authors are not trusted (Restricted Mode).
    const no = w.page.locator('.monaco-dialog-box .monaco-button', { hasText: /No|Don't Trust/ }).first();
    await no.waitFor({ timeout: 60_000 });
    await w.screenshot('untrusted-prompt');
    await no.click();
    await w.page.locator('#status\\.problems').waitFor({ timeout: 60_000 });
    await w.openFile('broken.xai.yaml');
    await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    // The key error is reported; the column is not checked, since the CSV is not read.
    await w.page.keyboard.press('Control+Shift+M');
    const panel = w.page.locator('.markers-panel');
    await expect.poll(() => panel.innerText(), { timeout: 30_000 }).toMatch(/unknown key 'modle'/i);
    expect(await panel.innerText()).not.toContain('prcie');
    expect(await panel.innerText()).toContain('Not checked against its data: this workspace is not trusted');
    await w.runCommand('XAI Pipelines: Train');
    await expect.poll(() => notifications(w), { timeout: 30_000, interval: 300 }).toMatch(/trust/i);
    expect(await notifications(w)).toMatch(/data files/);
    await w.screenshot('untrusted-refused');
    // Nothing was run or written.
    expect(existsSync(join(workspace, 'stock-price', '.xai'))).toBe(false);
  }, 300_000);

  test('the Getting Started walkthrough opens the stock-price example and trains it', async () => {
    const w = await open('walkthrough');
    await w.runCommand('Welcome: Open Walkthrough...');
    const row = w.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with XAI Pipelines' }).first();
    await row.waitFor();
    await row.click();
    const page = w.page.locator('.gettingStartedContainer');
    await page.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Open the Example' }).first().click();
    await w.page.locator('.tab[data-resource-name="stock-price.xai.yaml"]').first().waitFor({ timeout: 30_000 });
    expect(existsSync(join(workspace!, 'xai-example', 'stock-price', SPEC))).toBe(true);
    expect(existsSync(join(workspace!, 'xai-example', 'data', 'stocks.csv'))).toBe(true);
    await w.screenshot('walkthrough-example-open');
    await page.locator('.getting-started-step', { hasText: 'Train it' }).first().click();
    await page.getByRole('button', { name: 'Train', exact: true }).first().click();
    await expect.poll(() => runFolders(join(workspace!, 'xai-example', 'stock-price', '.xai', 'runs'), 'stock-price').length, { timeout: 240_000, interval: 1000 }).toBe(1);
    await w.screenshot('walkthrough-trained');
  }, 300_000);

  test('Run on Save trains the spec again after an edit', async () => {
    const w = await open('run-on-save', { settings: { 'xaiPipelines.runOnSave': true }, epochs: 20 });
    const runsRoot = join(workspace!, 'stock-price', '.xai', 'runs');
    await w.openFile(SPEC);
    await waitForLenses(w);
    // An edit: a comment at the top, then save.
    await w.page.locator('.monaco-editor .view-lines').first().click();
    await w.page.keyboard.press('Control+Home');
    await w.page.keyboard.type('# first edit\n');
    await w.page.keyboard.press('Control+S');
    await expect.poll(() => runFolders(runsRoot, 'stock-price').length, { timeout: 180_000, interval: 1000 }).toBe(1);
    await w.screenshot('run-on-save-first');
    await w.page.waitForTimeout(1500);
    await w.page.keyboard.press('Control+Home');
    await w.page.keyboard.type('# second edit\n');
    await w.page.keyboard.press('Control+S');
    await expect.poll(() => runFolders(runsRoot, 'stock-price').length, { timeout: 180_000, interval: 1000 }).toBe(2);
    expect(readFileSync(join(workspace!, 'stock-price', SPEC), 'utf8')).toMatch(/^# second edit\n# first edit\n/);
    await w.screenshot('run-on-save-second');
  }, 300_000);

  test('the installed .vsix runs from the extensions folder (not the source): diagnostics, Train and Explain', async () => {
    const broken = readFileSync(join(ROOT, 'examples', 'stock-price', SPEC), 'utf8').replace(/^model:/m, 'modle:');
    workspace = makeWorkspace({ 'stock-price/broken.xai.yaml': broken }, 20);
    wb = await Workbench.start({ vsix, name: 'installed-vsix' });
    const w = wb;
    const extDir = join(w.run, 'ext');
    const installed = readdirSync(extDir).find((n) => n.startsWith('xai-pipelines.xai-pipelines-'));
    expect(installed).toBeDefined();
    const installedPath = join(extDir, installed!);
    // A real copy unpacked from the .vsix: not a symlink, not the source folder.
    expect(lstatSync(installedPath).isSymbolicLink()).toBe(false);
    expect(realpathSync(installedPath).startsWith(realpathSync(extDir))).toBe(true);
    expect(existsSync(join(installedPath, 'dist', 'server', 'server.js'))).toBe(true);
    expect(existsSync(join(installedPath, 'node_modules'))).toBe(false);
    await w.openFolder(workspace);
    await w.openFile('broken.xai.yaml');
    await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    // The running extension says where it was loaded from.
    await expect.poll(() => /activated in [\d.]+ ms from (\S+)/.exec(w.readLogs(/output_logging_.*XAI/))?.[1], { timeout: 60_000, interval: 500 }).toBe(installedPath);
    await w.screenshot('installed-diagnostics');
    await w.openFile(SPEC);
    await waitForLenses(w);
    await w.runCommand('XAI Pipelines: Train and Explain');
    const runsRoot = join(workspace!, 'stock-price', '.xai', 'runs');
    await expect.poll(() => runFolders(runsRoot, 'stock-price').length, { timeout: 180_000, interval: 1000 }).toBe(1);
    // Train, then Explain of the same run (the output channel logs each).
    await expect.poll(() => w.readLogs(/output_logging_.*XAI/), { timeout: 180_000, interval: 1000 }).toMatch(/\[explain\] stock-price\.xai\.yaml: /);
    expect(w.readLogs(/output_logging_.*XAI/)).toMatch(/\[train\] stock-price\.xai\.yaml: /);
    expect(runFolders(runsRoot, 'stock-price')).toHaveLength(1);
    await w.screenshot('installed-trained');
    writeFileSync(join(w.artifacts, 'installed-path.txt'), `${installedPath}\n`);
  }, 300_000);
});
