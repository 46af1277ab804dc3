// The workbench scenarios of test/workbench/workbench.test.ts, run inside a real VS Code (Electron) extension host
// by @vscode/test-electron (see run.mjs beside this file). Plain CommonJS, no test framework: VS Code loads this
// file and awaits `run()`; a thrown error fails the run. Uses only the public `vscode` API, as a user's commands do:
// the webview's DOM is out of reach from here, so the flowchart is checked as a tab beside the spec and the overlay
// through the run's report (its importance for every feature).
const assert = require('node:assert/strict');
const fs = require('node:fs');
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

  // Issue 8: the same scenarios as test/workbench/commands.test.ts, through the public API.
  ['New Pipeline on penguins.csv writes a spec without errors that trains', async (ws) => {
    const spec = await vscode.commands.executeCommand('xaiPipelines.newPipeline', vscode.Uri.file(path.join(ws, 'data', 'penguins.csv')));
    assert.ok(spec, 'no spec was written');
    assert.match(fs.readFileSync(spec.fsPath, 'utf8'), /^task: classification$/m);
    await until('the new spec checked', 60_000, async () => vscode.window.activeTextEditor?.document.uri.fsPath === spec.fsPath);
    await new Promise((r) => setTimeout(r, 2000));
    const errors = vscode.languages.getDiagnostics(spec).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), []);
    const result = await vscode.commands.executeCommand('xaiPipelines.train', spec);
    assert.ok(result && result.ok, `training failed: ${result && result.message}`);
  }],

  ['Train and Cancel: a cancelled training keeps no run', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'stock-price', 'long.xai.yaml'));
    const running = vscode.commands.executeCommand('xaiPipelines.train', uri);
    await new Promise((r) => setTimeout(r, 3000));
    await vscode.commands.executeCommand('xaiPipelines.cancel', uri);
    const result = await running;
    assert.ok(result && result.cancelled, `not cancelled: ${JSON.stringify(result && result.message)}`);
  }],

  ['Explain Model File on the saved run explains it again; Open Latest Run finds it', async (ws) => {
    const spec = vscode.Uri.file(path.join(ws, 'stock-price', 'stock-price.xai.yaml'));
    const latest = await vscode.commands.executeCommand('xaiPipelines.openLatestRun', spec);
    assert.ok(latest && latest.runDir, 'no latest run (the Train scenario runs first)');
    const result = await vscode.commands.executeCommand('xaiPipelines.explainModelFile', vscode.Uri.file(latest.runDir));
    assert.ok(result && result.ok, `explain failed: ${result && result.message}`);
    assert.equal(result.runDir, latest.runDir);
  }],

  ['Run on Save trains again after an edit', async (ws) => {
    const uri = vscode.Uri.file(path.join(ws, 'stock-price', 'stock-price.xai.yaml'));
    const runs = () => fs.readdirSync(path.join(ws, 'stock-price', '.xai', 'runs', 'stock-price')).filter((n) => /^\d{8}-/.test(n)).length;
    const before = runs();
    await vscode.workspace.getConfiguration('xaiPipelines').update('runOnSave', true, vscode.ConfigurationTarget.Global);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# edited\n');
      await vscode.workspace.applyEdit(edit);
      await doc.save();
      await until('a new run', 180_000, async () => runs() > before);
    } finally {
      await vscode.workspace.getConfiguration('xaiPipelines').update('runOnSave', false, vscode.ConfigurationTarget.Global);
    }
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
