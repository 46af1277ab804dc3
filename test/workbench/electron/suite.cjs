// The workbench scenarios of test/workbench/workbench.test.ts, run inside a real VS Code (Electron) extension host
// by @vscode/test-electron (see run.mjs beside this file). Plain CommonJS, no test framework: VS Code loads this
// file and awaits `run()`; a thrown error fails the run. Uses only the public `vscode` API, as a user's commands do:
// the webview's DOM is out of reach from here, so the flowchart is checked as a tab beside the spec and the overlay
// through the run's report (its importance for every feature).
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'xai-pipelines.xai-pipelines';
const FEATURES = Array.from({ length: 10 }, (_, i) => `price_lag${i + 1}`);

/** Polls `fn` every 200 ms until it returns a truthy value; throws after `timeoutMs`. */
async function until(what, timeoutMs, fn) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const tests = [
  ['the extension is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  }],

  ['a spec with a misspelled key gets an unknown-key diagnostic on that key', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'stock-price', 'broken.xai.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'xai-pipeline');
    const diagnostics = await until('diagnostics', 60_000, async () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('modle:'));
    const unknown = diagnostics.find((d) => /unknown key 'modle'/i.test(d.message));
    assert.ok(unknown, `no unknown-key diagnostic: ${JSON.stringify(diagnostics.map((d) => d.message))}`);
    assert.equal(unknown.range.start.line, line);
    assert.equal(unknown.range.start.character, 0);
  }],

  ['"XAI Pipelines: Train" ends with the flowchart beside the spec and the importance of every feature', async (ws) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = vscode.Uri.file(path.join(ws, 'stock-price', 'stock-price.xai.yaml'));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
    const result = await vscode.commands.executeCommand('xaiPipelines.train', uri);
    assert.ok(result && result.ok, `training failed: ${result && result.message}`);
    const features = result.report.importance.features.map((f) => f.feature).sort();
    assert.deepEqual(features, [...FEATURES].sort());
    for (const f of result.report.importance.features) assert.ok(Number.isFinite(f.mean) && Number.isFinite(f.std));
    const tab = await until('the flowchart tab', 30_000, async () => vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('xaiPipelines.flowchart')));
    assert.notEqual(tab.group.viewColumn, editor.viewColumn, 'the flowchart is not beside the spec');
  }],
];

/** Entry point called by VS Code's test runner. */
exports.run = async function run() {
  const ws = process.env.XAI_TEST_WORKSPACE;
  assert.ok(ws, 'XAI_TEST_WORKSPACE is not set (start the suite with test/workbench/electron/run.mjs)');
  let passed = 0;
  const failures = [];
  for (const [name, fn] of tests) {
    try {
      await fn(ws);
      passed++;
      console.log(`  ✓ ${name}`);
    } catch (e) {
      failures.push(name);
      console.log(`  × ${name}\n    ${e && e.stack ? e.stack : e}`);
    }
  }
  console.log(`${passed} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} workbench test(s) failed: ${failures.join('; ')}`);
};
