/**
 * Must-show 1 (navigation): document symbols (outline), folding ranges and go to definition (`data.source` → the
 * CSV; a column name → its cell in the CSV header), through the built server over stdio.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DefinitionRequest, DocumentSymbolRequest, FoldingRangeRequest, SymbolKind, type DocumentSymbol,
} from 'vscode-languageserver-protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, fileUri, TestClient } from './lspClient';
import { makeWorkspace, range, tokenRange } from './specHelpers';

const ws = makeWorkspace('xai-lsp-outline-');
let client: TestClient;
const uri = ws.specUri('outline', SPEC_V1);

beforeAll(async () => {
  buildServer(['server']);
  client = await TestClient.start();
  await client.open(uri, SPEC_V1);
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

describe('outline, folding and definition over stdio', () => {
  it('lists the sections, their keys and the steps named by their kind', async () => {
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols.map((s) => [s.name, s.kind, s.range.start.line, s.range.end.line])).toEqual([
      ['version', SymbolKind.Module, 1, 1], ['name', SymbolKind.Module, 2, 2], ['task', SymbolKind.Module, 3, 3],
      ['data', SymbolKind.Module, 5, 13], ['preprocessing', SymbolKind.Module, 15, 23], ['model', SymbolKind.Module, 25, 30],
      ['training', SymbolKind.Module, 32, 38], ['explanation', SymbolKind.Module, 40, 44],
    ]);
    const pre = symbols.find((s) => s.name === 'preprocessing')!;
    expect(pre.children!.map((s) => [s.name, s.kind, s.detail, s.selectionRange])).toEqual([
      ['lags', SymbolKind.Function, 'price', range(16, 4, 16, 8)],
      ['split', SymbolKind.Function, 'chronological', range(19, 4, 19, 9)],
      ['standardize', SymbolKind.Function, 'features', range(22, 4, 22, 15)],
    ]);
    expect(symbols.find((s) => s.name === 'data')!.children!.map((s) => [s.name, s.detail])).toEqual([
      ['source', '../data/stocks.csv'], ['filter', undefined], ['sort', undefined], ['target', 'price'],
    ]);
  });

  it('folds every block that spans lines', async () => {
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    expect(folds).toEqual([
      [5, 13], [7, 9], [10, 12], [15, 23], [16, 18], [19, 21], [22, 23], [25, 30], [27, 29], [32, 38], [40, 44], [41, 44],
    ].map(([startLine, endLine]) => ({ startLine, endLine })));
  });

  it('goes from data.source to the CSV, and from a column name to its header cell', async () => {
    const csv = fileUri(join(ws.dir, 'data/stocks.csv'));
    const source = tokenRange(SPEC_V1, 'source:', '../data/stocks.csv');
    expect(await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: source.start }))
      .toEqual({ uri: csv, range: range(0, 0, 0, 0) });
    const target = tokenRange(SPEC_V1, 'target: price', 'price');
    // Header: symbol,date,price
    expect(await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: target.end }))
      .toEqual({ uri: csv, range: range(0, 12, 0, 17) });
    expect(await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } })).toBeNull();
  });
});
