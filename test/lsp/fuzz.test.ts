/**
 * Must-show 2 (through the real server): 400 generated and mutated specs opened in the built server over stdio,
 * with completion, hover, code actions, inlay hints, outline and folding at generated positions. The server never
 * dies or stops answering, and every published diagnostic range lies inside its document. (The 10 000-spec volume
 * runs in-process: test/unit/spec/semanticFuzz.test.ts.)
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest, CompletionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest, InlayHintRequest,
} from 'vscode-languageserver-protocol';
import { stringify } from 'yaml';
import { SPEC_V1 } from '../unit/spec/fixture';
import { edits, expectInside, lineLengths, mutate, specObject } from '../unit/spec/specArbitraries';
import { buildServer, TestClient } from './lspClient';
import { makeWorkspace, range } from './specHelpers';

const ws = makeWorkspace('xai-lsp-fuzz-');
let client: TestClient;

beforeAll(async () => {
  buildServer(['server']);
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});

describe('the server on generated and mutated specs', () => {
  it('answers every request, never dies, and keeps every diagnostic inside its document', async () => {
    const texts = [
      ...fc.sample(specObject.map((o) => stringify(o)), { numRuns: 150, seed: 11 }),
      ...fc.sample(fc.tuple(specObject, edits).map(([o, e]) => mutate(stringify(o), e)), { numRuns: 125, seed: 12 }),
      ...fc.sample(edits.map((e) => mutate(SPEC_V1, e)), { numRuns: 125, seed: 13 }),
    ];
    const probes = fc.sample(fc.nat(), { numRuns: texts.length, seed: 14 });
    let diagnostics = 0;
    for (const [i, text] of texts.entries()) {
      const uri = ws.specUri(`f${i}`, text);
      await client.open(uri, text);
      const published = (await client.diagnosticsFor(uri, 1)).diagnostics;
      const lengths = lineLengths(text);
      for (const d of published) expectInside(text, lengths, d.range, String(d.code));
      diagnostics += published.length;
      const line = probes[i]! % lengths.length;
      const position = { line, character: Math.floor(probes[i]! / lengths.length) % (lengths[line]! + 1) };
      const doc = { textDocument: { uri } };
      const [completion, hover, actions] = await Promise.all([
        client.connection.sendRequest(CompletionRequest.type, { ...doc, position }),
        client.connection.sendRequest(HoverRequest.type, { ...doc, position }),
        client.connection.sendRequest(CodeActionRequest.type, { ...doc, range: published[0]?.range ?? range(0, 0, 0, 0), context: { diagnostics: published.slice(0, 1) } }),
        client.connection.sendRequest(DocumentSymbolRequest.type, doc),
        client.connection.sendRequest(FoldingRangeRequest.type, doc),
        client.connection.sendRequest(InlayHintRequest.type, { ...doc, range: range(0, 0, lengths.length, 0) }),
      ]);
      const items = Array.isArray(completion) ? completion : completion?.items ?? [];
      for (const c of items) if (c.textEdit && 'range' in c.textEdit) expectInside(text, lengths, c.textEdit.range, `completion ${c.label}`);
      if (hover?.range) expectInside(text, lengths, hover.range, 'hover');
      for (const a of (actions ?? []) as { edit?: { changes?: Record<string, { range: typeof position extends never ? never : ReturnType<typeof range> }[]> } }[]) {
        for (const e of a.edit?.changes?.[uri] ?? []) expectInside(text, lengths, e.range, 'code action');
      }
      await client.close(uri);
    }
    // Some specs had problems to report, and the server is alive and answering.
    expect(diagnostics).toBeGreaterThan(texts.length);
    expect(client.process.exitCode).toBeNull();
    expect(client.stderr.join('')).not.toMatch(/diagnostics for .* failed|Error:/);
    const uri = ws.specUri('last', SPEC_V1);
    await client.open(uri, SPEC_V1);
    expect((await client.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });
});
