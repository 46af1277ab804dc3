/**
 * Helpers for LSP tests of the spec language: variants of the frozen example spec, exact ranges of tokens in
 * them, and a workspace folder with the real stock CSV (`examples/data/stocks.csv`) beside the specs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { fileUri, root, type TestClient } from './lspClient';

export const range = (l1: number, c1: number, l2: number, c2: number): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
export function variant(from: string, to: string, text = SPEC_V1): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`'${from}' must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** Applies several `variant`s in order. */
export function variants(pairs: [string, string][], text = SPEC_V1): string {
  return pairs.reduce((t, [a, b]) => variant(a, b, t), text);
}

/**
 * The range of the `nth` occurrence of `token` on the only line of `text` that contains `line` (a fragment).
 */
export function tokenRange(text: string, line: string, token: string, nth = 0): Range {
  const lines = text.split('\n');
  const hits = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes(line));
  if (hits.length !== 1) throw new Error(`'${line}' must be on exactly one line, found ${hits.length}`);
  const [l, i] = hits[0]!;
  let at = -1;
  for (let k = 0; k <= nth; k++) at = l.indexOf(token, at + 1);
  if (at < 0) throw new Error(`'${token}' not on line ${i}: ${l}`);
  return range(i, at, i, at + token.length);
}

/** A temp workspace: `data/stocks.csv` (the real file) and `specs/` for the spec files. */
export function makeWorkspace(prefix: string): { dir: string; specUri(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'specs'));
  copyFileSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
  return {
    dir,
    specUri(name, text) {
      const path = join(dir, 'specs', `${name}.xai.yaml`);
      writeFileSync(path, text);
      return fileUri(path);
    },
  };
}

/** Opens a document and returns its first published diagnostics. */
export async function openAndDiagnose(client: TestClient, uri: string, text: string): Promise<Diagnostic[]> {
  await client.open(uri, text);
  return (await client.diagnosticsFor(uri, 1)).diagnostics;
}

/** The diagnostics with one of the codes, for tests of a check among unrelated schema errors. */
export const withCode = (ds: Diagnostic[], ...codes: string[]): Diagnostic[] => ds.filter((d) => codes.includes(String(d.code)));
