/**
 * Issue 3, must-show 4: editing a spec in a real VS Code workbench (code-server 4.100.3 + Chromium), the way a user
 * does it: typing a misspelled column name in `target:` shows the error (squiggle and Problems panel, with the
 * nearest column), the quick fix (Ctrl+.) corrects it, and completion (Ctrl+Space) on the emptied value offers the
 * CSV's columns. Screenshots go to .test-artifacts/workbench/spec-editing/. Nothing here asserts on time.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS, ROOT, Workbench, makeWorkspace, packageExtension } from './harness';

const SPEC = 'stock-price.xai.yaml';
/** 1-based line of `  target: price` in the example (where the test types). */
const TARGET_LINE = readFileSync(join(ROOT, 'examples/stock-price', SPEC), 'utf8').split('\n').findIndex((l) => /^ {2}target: price\s*$/.test(l)) + 1;

let wb: Workbench | undefined;
let workspace: string | undefined;
let vsix = '';

beforeAll(() => {
  vsix = packageExtension(join(ARTIFACTS, 'vsix-spec-editing')).vsix;
});
afterAll(async () => {
  await wb?.screenshot('last');
  await wb?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/** The rendered text of the editor line holding `fragment` (Monaco renders spaces as U+00A0). */
async function lineText(w: Workbench, fragment: string): Promise<string> {
  const lines = await w.page.locator('.monaco-editor .view-lines .view-line').allInnerTexts();
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => l.includes(fragment)) ?? '';
}

/** The cursor's line as the status bar shows it (`Ln 12, Col 17`), or 0 before it shows. */
async function cursorLine(w: Workbench): Promise<number> {
  const text = await w.page.locator('[id="status.editor.selection"]').innerText({ timeout: 1000 }).catch(() => '');
  return Number(/Ln (\d+)/.exec(text)?.[1] ?? 0);
}

/**
 * Puts the cursor at the end of a 1-based line with Go to Line (Ctrl+G), checked on the status bar: on a loaded
 * machine an Enter can reach Quick Open before its `:line` filter has been read, which leaves the cursor elsewhere.
 */
async function goToLineEnd(w: Workbench, line: number): Promise<void> {
  const input = w.page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await w.page.keyboard.press('Control+G');
    await input.waitFor();
    // Go to Line is Quick Open with its ':' prefix.
    await input.fill(`:${line}`);
    // Its message names the line once the filter has been read.
    await w.page.locator('.quick-input-widget .quick-input-message, .quick-input-list .monaco-list-row', { hasText: String(line) }).first().waitFor({ timeout: 5000 }).catch(() => undefined);
    await w.page.keyboard.press('Enter');
    await w.page.keyboard.press('End');
    if (await expect.poll(() => cursorLine(w), { timeout: 5000 }).toBe(line).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`Go to Line ${line} left the cursor on line ${await cursorLine(w)}`);
    await w.page.keyboard.press('Escape');
  }
}

/** Opens completion (Ctrl+Space) until its list shows rows; a key press taken during a redraw opens nothing. */
async function openCompletion(w: Workbench): Promise<void> {
  const rows = w.page.locator('.suggest-widget .monaco-list-row');
  for (let attempt = 1; ; attempt++) {
    await w.page.keyboard.press('Control+Space');
    if (await rows.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
    await w.screenshot(`completion-attempt-${attempt}`);
    if (attempt === 3) throw new Error(`Ctrl+Space showed no completion after ${attempt} attempts`);
    await w.page.keyboard.press('Escape');
  }
}

describe('editing a spec in the workbench', () => {
  test('a misspelled column shows the error, the quick fix corrects it, completion offers the CSV\'s columns', async () => {
    expect(TARGET_LINE).toBeGreaterThan(0);
    workspace = makeWorkspace();
    wb = await Workbench.start({ vsix, name: 'spec-editing' });
    const w = wb;
    await w.openFolder(workspace);
    await w.openFile(SPEC);
    // The language server is up once its code lenses are drawn.
    await w.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Train' }).first().waitFor({ timeout: 60_000 });
    await expect.poll(() => w.page.locator('.monaco-editor .squiggly-error').count(), { timeout: 10_000 }).toBe(0);

    // Type the misspelling: `price` → `prcie`.
    await goToLineEnd(w, TARGET_LINE);
    for (let i = 0; i < 'price'.length; i++) await w.page.keyboard.press('Backspace');
    await w.page.keyboard.type('prcie');
    await w.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await w.page.keyboard.press('Control+Shift+M');
    const panel = w.page.locator('.markers-panel');
    await panel.waitFor();
    await expect.poll(() => panel.innerText(), { timeout: 30_000 }).toContain("No column 'prcie' (target) in stocks.csv; did you mean 'price'?");
    expect(await panel.innerText()).toContain(`Ln ${TARGET_LINE}, Col 11`);
    await w.screenshot('misspelled-column');

    // The quick fix: back in the editor, on the word, Ctrl+. and the preferred action.
    await goToLineEnd(w, TARGET_LINE);
    await w.page.keyboard.press('ArrowLeft');
    await w.page.keyboard.press('Control+.');
    const fix = w.page.locator('.action-widget .monaco-list-row', { hasText: "Change to 'price'" }).first();
    await fix.waitFor({ timeout: 30_000 });
    await w.screenshot('quick-fix-menu');
    // The menu focuses its preferred fix; the keyboard applies it (a pointer block lies over the menu).
    await expect.poll(() => fix.getAttribute('class'), { timeout: 10_000 }).toMatch(/\bfocused\b/);
    await w.page.keyboard.press('Enter');
    await expect.poll(() => lineText(w, 'target:'), { timeout: 10_000 }).toBe('  target: price');
    await expect.poll(() => w.page.locator('.monaco-editor .squiggly-error').count(), { timeout: 30_000 }).toBe(0);

    // Completion on the emptied value: the CSV's columns.
    await goToLineEnd(w, TARGET_LINE);
    for (let i = 0; i < 'price'.length; i++) await w.page.keyboard.press('Backspace');
    await expect.poll(() => lineText(w, 'target:'), { timeout: 10_000 }).toBe('  target: ');
    await openCompletion(w);
    const rows = w.page.locator('.suggest-widget .monaco-list-row');
    await expect.poll(async () => (await rows.allInnerTexts()).map((t) => t.split(/\s/)[0]), { timeout: 10_000 }).toEqual(['symbol', 'date', 'price']);
    await w.screenshot('column-completion');
    // Accepting `price` restores the spec.
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('Enter');
    await expect.poll(() => lineText(w, 'target:'), { timeout: 10_000 }).toBe('  target: price');
  }, 240_000);
});
