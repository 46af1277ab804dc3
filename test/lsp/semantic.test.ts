/**
 * Must-show 1 (checks): the built server over stdio runs the data-aware checks against the real stock CSV
 * (560 rows: symbol, date, price; 123 MSFT months) and publishes each on its exact range with its stable code,
 * its text and its quick fixes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest, CompletionRequest, DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, type CodeAction, type CompletionItem, type Diagnostic,
} from 'vscode-languageserver-protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, fileUri, TestClient } from './lspClient';
import { makeWorkspace, openAndDiagnose, range, tokenRange, variant, variants, withCode } from './specHelpers';

const ws = makeWorkspace('xai-lsp-semantic-');
let client: TestClient;

beforeAll(async () => {
  buildServer(['server']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

const COLUMNS = 'Columns: symbol, date, price';
const err = (r: Diagnostic['range'], code: string, message: string, data?: unknown): Diagnostic => ({
  range: r, severity: DiagnosticSeverity.Error, code, source: 'xai-pipelines', message, ...(data ? { data } : {}),
});
const warn = (r: Diagnostic['range'], code: string, message: string): Diagnostic => ({
  range: r, severity: DiagnosticSeverity.Warning, code, source: 'xai-pipelines', message,
});
const change = (r: Diagnostic['range'], to: string) => ({ title: `Change to '${to}'`, edits: [{ range: r, newText: to }] });

async function actionsFor(uri: string, d: Diagnostic): Promise<CodeAction[]> {
  const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  return (actions ?? []) as CodeAction[];
}

describe('data-aware checks over stdio', () => {
  it('the example itself is clean against its data', async () => {
    const uri = ws.specUri('clean', SPEC_V1);
    expect(await openAndDiagnose(client, uri, SPEC_V1)).toEqual([]);
  });

  it('reports an unknown column in the target, filter, sort, features, lags and group_by, with the nearest names', async () => {
    const text = variants([
      ['column: symbol', 'column: symbl'],
      ['column: date', 'column: Date'],
      ['  target: price\n', '  target: prices\n  features: [price_lag1, price_lag11, volume]\n'],
      ['      column: price\n      count: 10', '      column: pric\n      count: 10\n      group_by: simbol'],
    ]);
    const uri = ws.specUri('columns', text);
    const ds = await openAndDiagnose(client, uri, text);
    const lagsNote = '; made by steps: pric_lag1…pric_lag10';
    const r = {
      filter: tokenRange(text, 'column: symbl', 'symbl'), sort: tokenRange(text, 'column: Date', 'Date'),
      target: tokenRange(text, 'target: prices', 'prices'), lag1: tokenRange(text, 'features:', 'price_lag1'),
      lag11: tokenRange(text, 'features:', 'price_lag11'), volume: tokenRange(text, 'features:', 'volume'),
      lags: tokenRange(text, 'column: pric', 'pric'), group: tokenRange(text, 'group_by: simbol', 'simbol'),
    };
    expect(ds).toEqual([
      err(r.filter, 'unknown-column', `No column 'symbl' (filter) in stocks.csv; did you mean 'symbol'? ${COLUMNS}.`, { fixes: [change(r.filter, 'symbol')] }),
      err(r.sort, 'unknown-column', `No column 'Date' (sort) in stocks.csv; did you mean 'date'? ${COLUMNS}.`, { fixes: [change(r.sort, 'date')] }),
      err(r.target, 'unknown-column', `No column 'prices' (target) in stocks.csv; did you mean 'price'? ${COLUMNS}.`, { fixes: [change(r.target, 'price')] }),
      err(r.lag1, 'unknown-column', `No column 'price_lag1' (feature) in stocks.csv; did you mean 'pric_lag1', 'pric_lag2', 'pric_lag3'? ${COLUMNS}${lagsNote}.`,
        { fixes: [change(r.lag1, 'pric_lag1'), change(r.lag1, 'pric_lag2'), change(r.lag1, 'pric_lag3')] }),
      err(r.lag11, 'unknown-column', `No column 'price_lag11' (feature) in stocks.csv; did you mean 'pric_lag1', 'pric_lag10', 'pric_lag2'? ${COLUMNS}${lagsNote}.`,
        { fixes: [change(r.lag11, 'pric_lag1'), change(r.lag11, 'pric_lag10'), change(r.lag11, 'pric_lag2')] }),
      err(r.volume, 'unknown-column', `No column 'volume' (feature) in stocks.csv. ${COLUMNS}${lagsNote}.`),
      err(r.lags, 'unknown-column', `No column 'pric' (lags) in stocks.csv; did you mean 'price'? ${COLUMNS}.`, { fixes: [change(r.lags, 'price')] }),
      err(r.group, 'unknown-column', `No column 'simbol' (group_by) in stocks.csv; did you mean 'symbol'? ${COLUMNS}.`, { fixes: [change(r.group, 'symbol')] }),
    ]);
    // The did-you-mean is the preferred quick fix, and applying it is an exact edit.
    const actions = await actionsFor(uri, ds[0]!);
    expect(actions.map((a) => [a.title, a.isPreferred, a.edit])).toEqual([["Change to 'symbol'", true, { changes: { [uri]: [{ range: r.filter, newText: 'symbol' }] } }]]);
  });

  it('names lag features from the horizon (price_lag3… for horizon 3): checks, completion and the row count follow the engine', async () => {
    const text = variants([
      ['      count: 10', '      count: 10\n      horizon: 3'],
      ['  target: price\n', '  target: price\n  features: [price_lag3, price_lag12, price_lag1]\n'],
    ]);
    const lag1 = tokenRange(text, 'features:', 'price_lag1]');
    const at = { ...lag1, end: { line: lag1.end.line, character: lag1.end.character - 1 } };
    expect(await openAndDiagnose(client, ws.specUri('horizon', text), text)).toEqual([
      err(at, 'unknown-column', `No column 'price_lag1' (feature) in stocks.csv; did you mean 'price_lag3', 'price_lag4', 'price_lag5'? ${COLUMNS}; made by steps: price_lag3…price_lag12.`,
        { fixes: [change(at, 'price_lag3'), change(at, 'price_lag4'), change(at, 'price_lag5')] }),
    ]);
    const list = variants([['      count: 10', '      count: 2\n      horizon: 3'], ['  target: price\n', '  target: price\n  features:\n    - \n']]);
    const line = list.split('\n').indexOf('    - ');
    const listUri = ws.specUri('horizonList', list);
    await openAndDiagnose(client, listUri, list);
    const items = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: listUri }, position: { line, character: 6 } });
    expect(((items ?? []) as CompletionItem[]).map((i) => i.label)).toEqual(['symbol', 'date', 'price_lag3', 'price_lag4']);
    // The farthest lag decides: 120 lags from horizon 5 reach 124 rows back, and MSFT has 123 rows.
    const far = variant('count: 10', 'count: 120\n      horizon: 5');
    expect(await openAndDiagnose(client, ws.specUri('horizonFar', far), far)).toEqual([
      err(tokenRange(far, 'count: 120', '120'), 'lags-exceed-rows', '120 lags from horizon 5 (up to price_lag124) need more than 124 rows, but the filter keeps 123: no row keeps a full history.'),
    ]);
    const fits = variant('count: 10', 'count: 118\n      horizon: 5'); // up to price_lag122: one row keeps its history
    expect(withCode(await openAndDiagnose(client, ws.specUri('horizonFits', fits), fits), 'lags-exceed-rows')).toEqual([]);
  });

  it('k-fold: more folds than rows is an error on k; a feasible k is clean', async () => {
    const many = variant('method: chronological\n      validation: 0.2', 'method: kfold\n      k: 200');
    expect(await openAndDiagnose(client, ws.specUri('kfoldMany', many), many)).toEqual([
      err(tokenRange(many, 'k: 200', '200'), 'split-no-data', '200 folds need at least 200 rows, but the lags leave 113.'),
    ]);
    const five = variant('method: chronological\n      validation: 0.2', 'method: kfold\n      k: 5');
    expect(await openAndDiagnose(client, ws.specUri('kfoldFive', five), five)).toEqual([]);
  });

  it('flags the target used as a feature (leakage) and a feature listed twice, with fixes that remove them', async () => {
    const text = variant('  target: price\n', '  target: price\n  features:\n    - price_lag1\n    - price\n    - price_lag2\n    - price_lag1\n');
    const uri = ws.specUri('leak', text);
    const ds = await openAndDiagnose(client, uri, text);
    const line = text.split('\n').indexOf('    - price');
    expect(ds).toEqual([
      err(range(line, 6, line, 11), 'target-in-features',
        "The target 'price' is also a feature: the model would read the answer it should predict (leakage). Remove it from the features.",
        { fixes: [{ title: "Move the target 'price' out of the features", edits: [{ range: range(line, 0, line + 1, 0), newText: '' }] }] }),
      err(range(line + 2, 6, line + 2, 16), 'duplicate-feature', "'data.features' lists the text \"price_lag1\" twice.",
        { fixes: [{ title: 'Remove the duplicate "price_lag1"', edits: [{ range: range(line + 2, 0, line + 3, 0), newText: '' }] }] }),
    ]);
    const [leak, dup] = [await actionsFor(uri, ds[0]!), await actionsFor(uri, ds[1]!)];
    expect(leak.map((a) => [a.title, a.kind, a.isPreferred])).toEqual([["Move the target 'price' out of the features", 'quickfix', true]]);
    expect(dup[0]!.edit).toEqual({ changes: { [uri]: [{ range: range(line + 2, 0, line + 3, 0), newText: '' }] } });
  });

  it('in a flow list, removing the duplicate takes its comma too', async () => {
    const text = variant('  target: price\n', '  target: price\n  features: [price_lag1, price_lag2, price_lag1]\n');
    const ds = await openAndDiagnose(client, ws.specUri('flowdup', text), text);
    const second = tokenRange(text, 'features:', 'price_lag1', 1);
    const afterFirst = tokenRange(text, 'features:', 'price_lag2').end;
    expect(ds).toEqual([err(second, 'duplicate-feature', "'data.features' lists the text \"price_lag1\" twice.",
      { fixes: [{ title: 'Remove the duplicate "price_lag1"', edits: [{ range: { start: afterFirst, end: second.end }, newText: '' }] }] })]);
  });

  it('checks the task against the target: regression on a text column, classification on a continuous one', async () => {
    const text = variant('target: price', 'target: symbol');
    const ds = await openAndDiagnose(client, ws.specUri('textTarget', text), text);
    expect(ds).toEqual([err(tokenRange(text, 'target: symbol', 'symbol'), 'task-target-mismatch',
      "Regression needs a numeric target, but 'symbol' is a text column (e.g. 'AAPL', 'AMZN', 'IBM'); use task: classification or a numeric column.")]);

    const cls = variant('task: regression', 'task: classification');
    const cds = withCode(await openAndDiagnose(client, ws.specUri('clsTarget', cls), cls), 'task-target-mismatch');
    expect(cds).toEqual([warn(tokenRange(cls, 'target: price', 'price'), 'task-target-mismatch',
      "Classification on 'price', a continuous column with 549 distinct values, makes 549 classes; did you mean task: regression?")]);
  });

  it('reports lags that leave no rows, a filter or split fractions that leave no data, and a validation fraction that rounds to nothing', async () => {
    const many = variant('count: 10', 'count: 200');
    expect(await openAndDiagnose(client, ws.specUri('lags', many), many)).toEqual([
      err(tokenRange(many, 'count: 200', '200'), 'lags-exceed-rows', '200 lags need more than 200 rows, but the filter keeps 123: no row keeps a full history.'),
    ]);
    const grouped = variants([['count: 10', 'count: 150\n      group_by: symbol'], ['  filter:\n    - column: symbol\n      equals: MSFT\n', '']]);
    expect(await openAndDiagnose(client, ws.specUri('lagsGrouped', grouped), grouped)).toEqual([
      err(tokenRange(grouped, 'count: 150', '150'), 'lags-exceed-rows',
        "150 lags need more than 150 rows per 'symbol' group (the largest has 123), but the data has 560: no row keeps a full history."),
    ]);
    const none = variant('equals: MSFT', 'equals: MSFTX');
    expect(await openAndDiagnose(client, ws.specUri('none', none), none)).toEqual([
      err(tokenRange(none, 'validation: 0.2', '0.2'), 'split-no-data', 'Only 0 rows match the filter: a training and a validation part need at least 2.'),
    ]);
    const sum = variant('validation: 0.2', 'validation: 0.5\n      test: 0.5');
    expect(withCode(await openAndDiagnose(client, ws.specUri('sum', sum), sum), 'split-no-data')).toEqual([
      err(tokenRange(sum, 'test: 0.5', '0.5'), 'split-no-data', 'Validation 0.5 and test 0.5 add up to 1: no rows are left for training; keep their sum below 1.'),
    ]);
    const tiny = variant('validation: 0.2', 'validation: 0.004');
    expect(await openAndDiagnose(client, ws.specUri('tiny', tiny), tiny)).toEqual([
      warn(tokenRange(tiny, 'validation: 0.004', '0.004'), 'split-rounds-to-zero',
        'A validation fraction of 0.004 of 113 rows leaves no validation rows; the split will use 1 instead.'),
    ]);
  });

  it('warns on a learning rate above 1, more than 10 000 epochs and a batch larger than the training part', async () => {
    const text = variants([['learning_rate: 0.01', 'learning_rate: 2.5'], ['epochs: 300', 'epochs: 20000'], ['batch_size: 16', 'batch_size: 128']]);
    expect(await openAndDiagnose(client, ws.specUri('hyper', text), text)).toEqual([
      warn(tokenRange(text, 'learning_rate: 2.5', '2.5'), 'learning-rate-high',
        'A learning rate of 2.5 is above 1: gradient steps this large usually make the loss diverge (NaN); try 0.001 to 0.01.'),
      warn(tokenRange(text, 'epochs: 20000', '20000'), 'epochs-high', '20000 epochs is above 10000: training will be slow and likely over-fit; watch the validation loss.'),
      warn(tokenRange(text, 'batch_size: 128', '128'), 'batch-exceeds-training',
        'A batch of 128 rows is larger than the training part (90 rows): every step is one full batch of 90.'),
    ]);
  });

  it('flags an explainer that does not fit the model: gradients on a tree, a tree-only method on an MLP', async () => {
    const tree = variant('  - permutation_importance:', '  - integrated_gradients: {}\n  - permutation_importance:').replace('type: mlp', 'type: decision_tree');
    const treeDs = withCode(await openAndDiagnose(client, ws.specUri('gradTree', tree), tree), 'explainer-model-mismatch');
    expect(treeDs).toEqual([err(tokenRange(tree, 'integrated_gradients', '{}'), 'explainer-model-mismatch',
      "'integrated_gradients' needs the model's gradients, and a decision_tree has none (it is piecewise constant); use shap (exact TreeSHAP on a tree), permutation_importance or decision_paths.")]);
    const mlp = variant('  - permutation_importance:', '  - tree_shap: {}\n  - permutation_importance:');
    const mlpDs = withCode(await openAndDiagnose(client, ws.specUri('treeMlp', mlp), mlp), 'explainer-model-mismatch');
    expect(mlpDs).toEqual([err(tokenRange(mlp, 'tree_shap', '{}'), 'explainer-model-mismatch',
      "'tree_shap' reads a decision tree's nodes and works only with model type decision_tree, not mlp; use shap, or decision_paths (a surrogate tree for other models).")]);
  });

  it('checks an explainer\'s output against the target\'s classes (nearest as fixes) and completes it with them; a regression has no class to name', async () => {
    const cls = variants([['task: regression', 'task: classification'], ['target: price', 'target: symbol'],
      ['  - permutation_importance:', '  - shap:\n      output: MSTF\n  - partial_dependence:\n      output: IBM\n  - permutation_importance:']]);
    const uri = ws.specUri('outputClass', cls);
    const ds = withCode(await openAndDiagnose(client, uri, cls), 'unknown-class', 'output-not-a-class');
    const r = tokenRange(cls, 'output: MSTF', 'MSTF');
    expect(ds).toEqual([err(r, 'unknown-class', "No class 'MSTF' in symbol (stocks.csv); did you mean 'MSFT'? Classes: AAPL, AMZN, GOOG, IBM, MSFT.",
      { fixes: [change(r, 'MSFT')] })]);
    expect((await actionsFor(uri, ds[0]!)).map((a) => a.title)).toEqual(["Change to 'MSFT'"]);
    // Completion on an output offers the target's classes.
    const line = cls.split('\n').findIndex((l) => l.includes('output: IBM'));
    const items = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character: cls.split('\n')[line]!.length } });
    expect(((items ?? []) as CompletionItem[]).map((i) => [i.label, i.detail])).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT'].map((c) => [c, 'class of symbol']));

    const reg = variant('  - permutation_importance:', '  - sobol:\n      output: MSFT\n  - permutation_importance:');
    const regDs = withCode(await openAndDiagnose(client, ws.specUri('outputRegression', reg), reg), 'unknown-class', 'output-not-a-class');
    expect(regDs).toEqual([err(tokenRange(reg, 'output: MSFT', 'MSFT'), 'output-not-a-class',
      'output names the class whose probability is explained; a regression has one output. Remove it, or use task: classification.')]);
  });

  it('flags a model that cannot serve the task, and a sanity check of an explainer the model cannot run', async () => {
    const text = variants([['type: mlp\n  hidden_layers:\n    - units: 10\n      activation: relu\n  output_activation: linear\n', 'type: logistic_regression\n'],
      ['  - permutation_importance:', '  - sanity_check:\n      explainer: integrated_gradients\n  - permutation_importance:']]);
    const ds = withCode(await openAndDiagnose(client, ws.specUri('taskModel', text), text), 'model-task-mismatch', 'explainer-model-mismatch');
    expect(ds).toEqual([
      err(tokenRange(text, 'type: logistic_regression', 'logistic_regression'), 'model-task-mismatch',
        'A logistic_regression predicts classes, not numbers: for task: regression use linear_regression, decision_tree or mlp.'),
    ]);
    const tree = variants([['type: mlp\n  hidden_layers:\n    - units: 10\n      activation: relu\n  output_activation: linear\n', 'type: decision_tree\n'],
      ['  - permutation_importance:', '  - sanity_check:\n      explainer: integrated_gradients\n  - permutation_importance:']]);
    const treeDs = withCode(await openAndDiagnose(client, ws.specUri('sanityTree', tree), tree), 'model-task-mismatch', 'explainer-model-mismatch');
    expect(treeDs).toEqual([err(tokenRange(tree, 'explainer: integrated_gradients', 'integrated_gradients'), 'explainer-model-mismatch',
      "'integrated_gradients' needs the model's gradients, and a decision_tree has none (it is piecewise constant); use shap (exact TreeSHAP on a tree), permutation_importance or decision_paths.")]);
  });

  it('reports a data file that is not a CSV table', async () => {
    writeFileSync(join(ws.dir, 'data/broken.csv'), 'a,b\n1,2,3\n');
    const text = variant('../data/stocks.csv', '../data/broken.csv');
    const ds = await openAndDiagnose(client, ws.specUri('broken', text), text);
    expect(ds[0]).toEqual(err(tokenRange(text, 'source:', '../data/broken.csv'), 'data-file-unreadable',
      "Data file '../data/broken.csv' is not a readable CSV table: line 2, column 'b': malformed CSV: this row has 3 fields, the header has 2: 1 field after the last column 'b'."));
  });

  it('offers to add a missing required section, filled with its defaults', async () => {
    const text = SPEC_V1.slice(0, SPEC_V1.indexOf('training:')) + SPEC_V1.slice(SPEC_V1.indexOf('explanation:'));
    const uri = ws.specUri('noTraining', text);
    const ds = await openAndDiagnose(client, uri, text);
    const missing = ds.find((d) => d.code === 'missing-key')!;
    expect(missing.message).toBe("Missing required key 'training' in the spec.");
    const actions = await actionsFor(uri, missing);
    const end = text.split('\n').length - 1;
    expect(actions).toEqual([{
      title: "Add the missing 'training'", kind: 'quickfix', isPreferred: true, diagnostics: [missing],
      edit: { changes: { [uri]: [{
        range: range(end, 0, end, 0),
        newText: 'training:\n  optimizer: adam\n  learning_rate: 0.001\n  loss: mse\n  epochs: 100\n  batch_size: 32\n  seed: 42\n',
      }] } },
    }]);
  });

  it('re-reads the CSV when the client reports it changed (cached by path, mtime and size)', async () => {
    const uri = ws.specUri('watched', SPEC_V1);
    expect(await openAndDiagnose(client, uri, SPEC_V1)).toEqual([]);
    const csv = join(ws.dir, 'data/stocks.csv');
    writeFileSync(csv, 'symbol,date,close\nMSFT,Jan 1 2000,39.81\n');
    const from = client.diagnostics.all.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(csv), type: FileChangeType.Changed }] });
    const after = (await client.diagnostics.next((p) => p.uri === uri, from)).diagnostics;
    expect(after.map((d) => [d.code, d.range])).toEqual([
      ['unknown-column', tokenRange(SPEC_V1, 'target: price', 'price')],
      ['unknown-column', tokenRange(SPEC_V1, '      column: price', 'price')],
    ]);
    expect(after[0]!.message).toBe("No column 'price' (target) in stocks.csv. Columns: symbol, date, close.");
  });
});
