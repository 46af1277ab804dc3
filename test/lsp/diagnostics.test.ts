/**
 * Must-show 3: the built server, driven over the real LSP protocol (stdio), publishes exactly the diagnostics
 * of a spec with a misspelled key, a value of the wrong type and a missing data file, each at its exact range.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest, CodeLensRequest, CompletionRequest, DiagnosticSeverity, HoverRequest, DidChangeWatchedFilesNotification, FileChangeType,
} from 'vscode-languageserver-protocol';
import schema from '../../schemas/xai-pipeline.schema.json';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, fileUri, TestClient } from './lspClient';

const example = SPEC_V1;
const tmp = mkdtempSync(join(tmpdir(), 'xai-lsp-diag-'));
let client: TestClient;

/** The example with a misspelled key, a wrong type, and (in a folder without ../data/) a missing data file. */
const broken = example.replace('  hidden_layers:', '  hiden_layers:').replace('epochs: 300', 'epochs: three hundred');
const specPath = join(tmp, 'stock-price/stock-price.xai.yaml');
const uri = fileUri(specPath);

const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

beforeAll(async () => {
  buildServer(['server']);
  mkdirSync(join(tmp, 'stock-price'));
  writeFileSync(specPath, broken);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('language server over stdio', () => {
  it('publishes exactly the misspelled key, the wrong type and the missing data file, at their ranges', async () => {
    // The edits must be where the test says they are.
    expect(broken.split('\n')[27]).toBe('  hiden_layers:');
    expect(broken.split('\n')[36]).toBe('  epochs: three hundred');
    await client.open(uri, broken);
    const published = await client.diagnosticsFor(uri, 1);
    expect(published.diagnostics).toEqual([
      {
        range: range(6, 10, 6, 28), severity: DiagnosticSeverity.Error, code: 'data-file-missing', source: 'xai-pipelines',
        message: `Data file '../data/stocks.csv' does not exist (looked for ${join(tmp, 'data/stocks.csv')}).`,
      },
      {
        range: range(27, 2, 27, 14), severity: DiagnosticSeverity.Error, code: 'unknown-key', source: 'xai-pipelines',
        message: "Unknown key 'hiden_layers' in 'model'; did you mean 'hidden_layers'?",
        data: { replacement: 'hidden_layers' },
      },
      {
        range: range(36, 10, 36, 23), severity: DiagnosticSeverity.Error, code: 'wrong-type', source: 'xai-pipelines',
        message: "'training.epochs' must be a whole number, not the text \"three hundred\".",
      },
    ].sort((a, b) => a.range.start.line - b.range.start.line));
  });

  it('offers the did-you-mean as a quick fix', async () => {
    const published = await client.diagnosticsFor(uri, 1);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: range(27, 2, 27, 14), context: { diagnostics: published.diagnostics },
    });
    expect(actions).toEqual([{
      title: "Change to 'hidden_layers'", kind: 'quickfix', isPreferred: true,
      diagnostics: [published.diagnostics.find((d) => d.code === 'unknown-key')],
      edit: { changes: { [uri]: [{ range: range(27, 2, 27, 14), newText: 'hidden_layers' }] } },
    }]);
  });

  it('follows incremental edits: fixing the key and the type leaves only the data file', async () => {
    const v2 = await client.change(uri, [
      { range: range(27, 4, 27, 4), text: 'd' }, // hiden_layers → hidden_layers
      { range: range(36, 10, 36, 23), text: '300' },
    ]);
    const published = await client.diagnosticsFor(uri, v2);
    expect(published.diagnostics.map((d) => [d.code, d.range])).toEqual([['data-file-missing', range(6, 10, 6, 28)]]);
  });

  it('publishes only the latest text of a burst of edits', async () => {
    const seen = client.diagnostics.all.length;
    let last = 0;
    for (const n of [1, 2, 3, 4, 5]) last = await client.change(uri, [{ range: range(36, 10, 36, 13), text: `${n}00` }]);
    const published = await client.diagnosticsFor(uri, last);
    expect(published.diagnostics.map((d) => d.code)).toEqual(['data-file-missing']);
    // Every diagnostics message after the burst is for the last version (the earlier ones were debounced away).
    expect(client.diagnostics.all.slice(seen).filter((p) => p.uri === uri).map((p) => p.version)).toEqual([last]);
  });

  it('clears the diagnostics of a closed document', async () => {
    const seen = client.diagnostics.all.length;
    await client.close(uri);
    const cleared = await client.diagnostics.next((p) => p.uri === uri, seen);
    expect(cleared.diagnostics).toEqual([]);
  });

  it('re-checks open specs when the client reports a changed data file', async () => {
    const opened = client.diagnostics.all.length;
    await client.open(uri, broken);
    expect((await client.diagnostics.next((p) => p.uri === uri, opened)).diagnostics).toHaveLength(3);
    const from = client.diagnostics.all.length;
    mkdirSync(join(tmp, 'data'));
    writeFileSync(join(tmp, 'data/stocks.csv'), 'symbol,date,price\nMSFT,Jan 1 2000,39.81\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: fileUri(join(tmp, 'data/stocks.csv')), type: FileChangeType.Created }],
    });
    const after = await client.diagnostics.next((p) => p.uri === uri, from);
    // The data checks now see the one-row file: 10 lags leave no row.
    expect(after.diagnostics.map((d) => d.code)).toEqual(['lags-exceed-rows', 'unknown-key', 'wrong-type']);
    rmSync(join(tmp, 'data'), { recursive: true });
    await client.close(uri);
  });

  it('returns the Train and Explain code lenses on line 0 of a spec, and none elsewhere', async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    expect(lenses).toEqual([
      { range: range(0, 0, 0, 0), command: { title: '▶ Train', command: 'xaiPipelines.train', arguments: [uri] } },
      { range: range(0, 0, 0, 0), command: { title: 'Explain', command: 'xaiPipelines.explain', arguments: [uri] } },
    ]);
    expect(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: fileUri(join(tmp, 'other.yaml')) } })).toEqual([]);
  });

  it('documents a key on hover, from the schema', async () => {
    const other = fileUri(join(tmp, 'hover.xai.yaml'));
    await client.open(other, example);
    await client.diagnosticsFor(other, 1);
    // On `count` of the lags step (line 18) and inside the value of `optimizer` (line 33).
    const count = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: other }, position: { line: 18, character: 8 } });
    expect(count).toEqual({
      contents: { kind: 'markdown', value: '**count**\n\nHow many earlier rows become features, from 1 to 1000.' },
      range: range(18, 6, 18, 11),
    });
    const optimizer = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: other }, position: { line: 33, character: 14 } });
    expect((optimizer?.contents as { value: string }).value).toMatch(/^\*\*optimizer\*\*\n\nThe gradient-descent optimizer: .*\n\nAllowed: `adam`, `sgd`, `rmsprop`$/s);
    expect(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: other }, position: { line: 0, character: 3 } })).toBeNull();
    await client.close(other);
  });

  it('completes the keys of a map from the schema', async () => {
    const other = fileUri(join(tmp, 'complete.xai.yaml'));
    await client.open(other, 'version: 1\ntraining:\n  epochs: 3\n  lo\n');
    const items = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: other }, position: { line: 3, character: 4 } });
    const list = Array.isArray(items) ? items : items?.items ?? [];
    // Every training key of the schema but the one already written, in the schema's order; maps end in ':'.
    const training = (schema as { properties: { training: { properties: Record<string, { type?: string }> } } }).properties.training.properties;
    expect(list.map((i) => [i.label, i.textEdit])).toEqual(Object.entries(training).filter(([k]) => k !== 'epochs').map(([k, v]) => [
      k, { range: range(3, 2, 3, 4), newText: v.type === 'object' ? `${k}:` : `${k}: ` },
    ]));
    expect(list.slice(0, 5).map((i) => i.label)).toEqual(['optimizer', 'learning_rate', 'loss', 'batch_size', 'seed']);
    await client.close(other);
  });

  it('refuses to train a spec with errors, saying which', async () => {
    const result = await client.connection.sendRequest('xai/train', { uri });
    expect(result).toEqual({
      ok: false,
      message: "Cannot train: the saved spec has 3 errors; fix them first (line 7, column 11: Data file '../data/stocks.csv' does not exist " +
        `(looked for ${join(tmp, 'data/stocks.csv')}).)`,
    });
  });

  it('keeps serving after a spec that is not YAML', async () => {
    const other = fileUri(join(tmp, 'bad.xai.yaml'));
    await client.open(other, 'version: 1\nname: [oops\n');
    const published = await client.diagnosticsFor(other, 1);
    expect(published.diagnostics.length).toBeGreaterThan(0);
    expect(published.diagnostics.every((d) => d.code === 'yaml-syntax')).toBe(true);
    expect(client.process.exitCode).toBeNull();
  });
});
