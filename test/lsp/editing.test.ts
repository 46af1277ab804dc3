/**
 * Must-show 1 (editing): completion (columns from the CSV, lag features, file paths, snippets, half-typed YAML),
 * hover on a column name (its statistics from the real stock CSV) and the quick fixes, through the built server
 * over stdio, with exact ranges and texts.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompletionItemKind, CompletionRequest, HoverRequest, InsertTextFormat, type CompletionItem, type Position,
} from 'vscode-languageserver-protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, TestClient } from './lspClient';
import { makeWorkspace, range, tokenRange, variant } from './specHelpers';

const ws = makeWorkspace('xai-lsp-editing-');
let client: TestClient;
let n = 0;

beforeAll(async () => {
  buildServer(['server']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

/** Opens `text` as a new spec in specs/ and asks for completion at `position`. */
async function complete(text: string, position: Position): Promise<CompletionItem[]> {
  const uri = ws.specUri(`c${++n}`, text);
  await client.open(uri, text);
  const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
  await client.close(uri);
  return Array.isArray(r) ? r : r?.items ?? [];
}

describe('completion over stdio', () => {
  it('offers the CSV columns for the target, with their type and statistics', async () => {
    const text = variant('  target: price', '  target: pr');
    const at = tokenRange(text, 'target: pr', 'pr');
    const items = await complete(text, at.end);
    expect(items.map((i) => [i.label, i.kind, i.detail, i.textEdit])).toEqual(['symbol', 'date', 'price'].map((c, k) => [
      c, CompletionItemKind.Field, ['text column', 'date column', 'numeric column'][k], { range: at, newText: c },
    ]));
    expect(items[2]!.documentation).toEqual({
      kind: 'markdown', value: '**price**: numeric column, 560 rows, 0 missing (0.0 %), 549 distinct\n\nmin 5.97 · mean 100.734 · max 707',
    });
  });

  it('offers the columns and the lag features (not the target) for a half-typed feature list item', async () => {
    const text = variant('  target: price\n', '  target: price\n  features:\n    - \n');
    const line = text.split('\n').indexOf('    - ');
    const items = await complete(text, { line, character: 6 });
    expect(items.map((i) => i.label)).toEqual(['symbol', 'date', ...Array.from({ length: 10 }, (_, k) => `price_lag${k + 1}`)]);
    expect(items[2]!.textEdit).toEqual({ range: range(line, 6, line, 6), newText: 'price_lag1' });
  });

  it('offers columns for filter, sort and lags columns', async () => {
    for (const [from, to] of [['column: symbol', 'column: '], ['column: date', 'column: '], ['      column: price', '      column: ']] as const) {
      const text = variant(from, to);
      const line = text.split('\n').findIndex((l, i) => l.endsWith('column: ') && i >= 0);
      const items = await complete(text, { line, character: text.split('\n')[line]!.length });
      expect(items.map((i) => i.label)).toEqual(['symbol', 'date', 'price']);
    }
  });

  it('offers folders and CSV files for data.source', async () => {
    const text = variant('source: ../data/stocks.csv', 'source: ../da');
    const at = tokenRange(text, 'source: ../da', '../da');
    const items = await complete(text, at.end);
    expect(items.map((i) => [i.label, i.kind, i.textEdit])).toEqual([
      ['data/', CompletionItemKind.Folder, { range: at, newText: '../data/' }],
      ['specs/', CompletionItemKind.Folder, { range: at, newText: '../specs/' }],
      ['../', CompletionItemKind.Folder, { range: at, newText: '../../' }],
    ]);
    const inData = variant('source: ../data/stocks.csv', 'source: ../data/');
    const files = await complete(inData, tokenRange(inData, 'source: ../data/', '../data/').end);
    expect(files.map((i) => [i.label, i.kind])).toEqual([['stocks.csv', CompletionItemKind.File]]);
  });

  it('offers a snippet per preprocessing step and per explanation method, indented as is', async () => {
    const text = `${SPEC_V1}  - `;
    const line = text.split('\n').length - 1;
    const items = await complete(text, { line, character: 4 });
    const snippet = items.find((i) => i.label === 'permutation_importance …')!;
    expect(snippet).toMatchObject({
      kind: CompletionItemKind.Snippet, insertTextFormat: InsertTextFormat.Snippet, insertTextMode: 1,
      textEdit: { range: range(line, 4, line, 4), newText: 'permutation_importance:\n      repeats: ${1:10}\n      split: ${2:validation}\n      metric: ${3:rmse}' },
    });
  });

  it('completes enum values inside half-typed YAML (a broken line below)', async () => {
    const text = variant('  optimizer: adam\n', '  optimizer: rm\n  : : [\n');
    const at = tokenRange(text, 'optimizer: rm', 'rm');
    const items = await complete(text, at.end);
    expect(items.map((i) => [i.label, i.textEdit])).toEqual(['adam', 'sgd', 'rmsprop'].map((v) => [v, { range: at, newText: v }]));
  });
});

describe('hover on a column name over stdio', () => {
  it('shows a numeric column\'s missing share and min/mean/max, and a text column\'s top categories', async () => {
    const uri = ws.specUri('hover', SPEC_V1);
    await client.open(uri, SPEC_V1);
    const target = tokenRange(SPEC_V1, 'target: price', 'price');
    const price = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: target.start.line, character: target.start.character + 2 } });
    expect(price).toEqual({
      contents: { kind: 'markdown', value: '**price**: numeric column, 560 rows, 0 missing (0.0 %), 549 distinct\n\nmin 5.97 · mean 100.734 · max 707' },
      range: target,
    });
    const filter = tokenRange(SPEC_V1, 'column: symbol', 'symbol');
    const symbol = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: filter.start });
    expect(symbol).toEqual({
      contents: { kind: 'markdown', value: '**symbol**: text column, 560 rows, 0 missing (0.0 %), 5 distinct\n\ntop: `AAPL` (123), `AMZN` (123), `IBM` (123), `MSFT` (123), `GOOG` (68)' },
      range: filter,
    });
    // On the key, the key's documentation as before.
    const key = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: target.start.line, character: 3 } });
    expect((key?.contents as { value: string }).value).toMatch(/^\*\*target\*\*\n\nThe column the model predicts/);
    await client.close(uri);
  });
});
