/**
 * Issue #9, must-show 3: load. The real server over stdio gets 50 open specs and 20 000 incremental edits: first at
 * typing speed (one edit every 25 ms, spread over the documents), then in bursts as fast as the pipe takes them.
 * Asserted: for every document the last published diagnostics are for its final version and equal what the engine
 * computes for the final text; the versions published per document never go backwards; bursts collapse (stale
 * work is dropped, so there are far fewer publishes than edits). Measured and written to .test-artifacts/load.json (not asserted: speed belongs to benchmarks): p50/p95
 * latency from an edit at typing speed to its diagnostics, and the server's peak resident memory (VmHWM).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specDiagnostics, toLspDiagnostic } from '../../server/src/lsp/diagnostics';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, root, TestClient } from './lspClient';
import { makeWorkspace } from './specHelpers';

const DOCS = 50;
const TYPING_EDITS = 400;
const TOTAL_EDITS = 20_000;
const ws = makeWorkspace('xai-lsp-load-');
let client: TestClient;
afterAll(async () => {
  await client?.stop();
  rmSync(ws.dir, { recursive: true, force: true });
});
beforeAll(async () => {
  buildServer(['server']);
  client = await TestClient.start();
});

/** One keystroke-sized edit: type or delete a character somewhere in the spec (offsets taken modulo the length). */
const keystroke = fc.record({ at: fc.nat(), del: fc.nat({ max: 1 }), ins: fc.constantFrom('', 'a', '1', ' ', ':', '\n', '-', 'x', '0') });

const peakKb = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

describe('50 specs and 20 000 edits', () => {
  it('publishes, for every document, the diagnostics of its final text, in order, with bounded memory', async () => {
    const docs = Array.from({ length: DOCS }, (_, i) => {
      const text = SPEC_V1.replace('name: stock-price', `name: load-${i}`);
      return { uri: ws.specUri(`load-${i}`, text), doc: TextDocument.create('', 'xai-pipeline', 1, text) };
    });
    const lastVersion = new Map<string, number>();
    let outOfOrder = 0;
    for (const d of docs) await client.open(d.uri, d.doc.getText());
    await Promise.all(docs.map((d) => client.diagnosticsFor(d.uri, 1)));

    const edits = fc.sample(keystroke, { numRuns: TOTAL_EDITS, seed: 931 });
    const send = async (k: number): Promise<{ uri: string; version: number }> => {
      const target = docs[k % DOCS]!;
      const e = edits[k]!;
      const text = target.doc.getText();
      const at = e.at % (text.length + 1);
      const range = { start: target.doc.positionAt(at), end: target.doc.positionAt(Math.min(text.length, at + e.del)) };
      const change = { range, text: e.ins };
      const version = await client.change(target.uri, [change]);
      target.doc = TextDocument.update(target.doc, [change], version);
      return { uri: target.uri, version };
    };

    // Typing speed: one edit every 25 ms, round robin, so each document sees one edit per 1.25 s (> the debounce).
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    for (let k = 0; k < TYPING_EDITS; k++) {
      const t0 = performance.now();
      const { uri, version } = await send(k);
      pending.push(client.diagnosticsFor(uri, version).then(() => { latencies.push(performance.now() - t0); }));
      await new Promise((r) => setTimeout(r, 25));
    }
    await Promise.all(pending);

    // Far above typing speed: the rest as fast as the pipe takes them, with a pause every 2 000 edits.
    for (let k = TYPING_EDITS; k < TOTAL_EDITS; k++) {
      await send(k);
      if (k % 2_000 === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const finals = await Promise.all(docs.map((d) => client.diagnosticsFor(d.uri, d.doc.version)));
    // A moment more: nothing older may arrive after the final diagnostics.
    await new Promise((r) => setTimeout(r, 500));

    for (const p of client.diagnostics.all) {
      if (p.version === undefined || p.version === null) continue;
      if (p.version < (lastVersion.get(p.uri) ?? 0)) outOfOrder++;
      lastVersion.set(p.uri, p.version);
    }
    expect(outOfOrder).toBe(0);
    for (const [i, d] of docs.entries()) {
      expect(lastVersion.get(d.uri), d.uri).toBe(d.doc.version);
      expect(finals[i]!.diagnostics).toEqual(specDiagnostics(d.doc.getText(), d.uri).map(toLspDiagnostic));
    }
    const publishes = client.diagnostics.all.length;
    const figures = {
      docs: DOCS, edits: TOTAL_EDITS, typingEdits: TYPING_EDITS, publishes,
      typingLatencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), max: Math.max(...latencies) },
      serverPeakRssMiB: peakKb(client.process.pid!) / 1024,
    };
    mkdirSync(join(root, '.test-artifacts'), { recursive: true });
    writeFileSync(join(root, '.test-artifacts', 'load.json'), `${JSON.stringify(figures, null, 1)}\n`);
    console.log(`load: ${JSON.stringify(figures)}`);
    // Every burst collapsed: far fewer publishes than edits (the debounce dropped the stale work).
    expect(publishes).toBeLessThan(TOTAL_EDITS / 4);
  });
});
