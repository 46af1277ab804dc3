/**
 * The shape of a spec for the editor: its outline (document symbols: sections, steps, keys), its folding ranges
 * (every block map or list that spans lines) and where its references lead (go to definition: `data.source` to
 * the CSV, a column name to its place in the CSV header).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { resolveDataPath } from './check';
import { valueRole } from './columnPaths';
import { scalarAt } from './locate';
import { offsetsToRange, textLines } from './ranges';
import { sourceOf } from './specData';

export interface SpecSymbol {
  name: string;
  /** A short description shown beside the name (a scalar's value, a step's column). */
  detail?: string;
  kind: 'section' | 'step' | 'key' | 'item';
  /** The whole entry (key and value). */
  range: Range;
  /** The key (or the item's text). */
  selectionRange: Range;
  children: SpecSymbol[];
}

/** The outline: one symbol per key, list items named by their single key (`lags`) or their value (`price`). */
export function specSymbols(text: string): SpecSymbol[] {
  const lineCounter = textLines(text);
  const doc = parseDocument(text, { keepSourceTokens: false });
  // Ranges end at the last character with content (a block node's range reaches the next line's start).
  const trimEnd = (b: number): number => { while (b > 0 && /\s/.test(text[b - 1] ?? '')) b--; return b; };
  const r = (a: number, b: number): Range => offsetsToRange(lineCounter, a, Math.max(a, trimEnd(b)));
  const end = (n: unknown, fallback: number): number => (n as Node | null)?.range?.[1] ?? fallback;

  const walk = (node: unknown, depth: number): SpecSymbol[] => {
    if (isMap(node)) {
      return node.items.flatMap((pair): SpecSymbol[] => {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return [];
        const k = pair.key.range;
        const value = pair.value;
        const detail = isScalar(value) && value.value !== null ? String(value.value) : undefined;
        return [{
          name: String(pair.key.value), kind: depth === 0 ? 'section' : 'key', ...(detail !== undefined ? { detail } : {}),
          range: r(k[0], end(value, k[1])), selectionRange: r(k[0], k[1]), children: walk(value, depth + 1),
        }];
      });
    }
    if (isSeq(node)) {
      return node.items.flatMap((item, i): SpecSymbol[] => {
        const ir = (item as Node | null)?.range;
        if (!ir) return [];
        if (isMap(item) && item.items.length === 1 && isPair(item.items[0]) && isScalar(item.items[0].key)) {
          // A single-key step: named by its key, detailed by its first scalar (`lags` · `price`).
          const step = item.items[0];
          const inner = step.value;
          const first = isMap(inner) ? inner.items.find((p) => isScalar(p.value)) : undefined;
          const detail = first && isScalar(first.value) ? String(first.value.value) : undefined;
          return [{
            name: String((step.key as { value: unknown }).value), kind: 'step', ...(detail !== undefined ? { detail } : {}),
            range: r(ir[0], ir[1]), selectionRange: r((step.key as Node).range![0], (step.key as Node).range![1]), children: walk(inner, depth + 1),
          }];
        }
        const name = isScalar(item) ? String(item.value) : `[${i}]`;
        return [{ name, kind: 'item', range: r(ir[0], ir[1]), selectionRange: r(ir[0], ir[1]), children: walk(item, depth + 1) }];
      });
    }
    return [];
  };
  return walk(doc.contents, 0);
}

/** Folding ranges, `[startLine, endLine]` zero-based: every block map or list spanning more than one line. */
export function specFoldingRanges(text: string): { startLine: number; endLine: number }[] {
  const lineCounter = textLines(text);
  const doc = parseDocument(text, { keepSourceTokens: false });
  const out: { startLine: number; endLine: number }[] = [];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line - 1;
  const visit = (node: unknown, startOffset: number | undefined): void => {
    const nr = (node as Node | null)?.range;
    if ((isMap(node) || isSeq(node)) && nr && startOffset !== undefined) {
      // End on the last line with content (the node's range may reach the next line's start).
      let endOffset = nr[1];
      while (endOffset > 0 && /\s/.test(text[endOffset - 1] ?? '')) endOffset--;
      const startLine = lineOf(startOffset);
      const endLine = lineOf(Math.max(startOffset, endOffset - 1));
      if (endLine > startLine) out.push({ startLine, endLine });
    }
    if (isMap(node)) for (const p of node.items) if (isPair(p)) visit(p.value, (p.key as Node | null)?.range?.[0]);
    if (isSeq(node)) for (const item of node.items) if (isMap(item) && item.items.length) visit(item.items[0]!.value, (item.items[0]!.key as Node | null)?.range?.[0]);
  };
  visit(doc.contents, undefined);
  return out.sort((a, b) => a.startLine - b.startLine);
}

/**
 * Where the reference at `position` leads: on `data.source`, the data file (its first line); on a column name, the
 * column's name in the CSV header. Undefined elsewhere or when the file is missing.
 */
export function specDefinition(text: string, position: Position, specPath: string): { path: string; range: Range } | undefined {
  const at = scalarAt(text, position);
  const role = at ? valueRole(at.path) : undefined;
  // A class is a value in the data, not a column: nothing to go to.
  if (!at || !role || role === 'class') return undefined;
  const source = role === 'source' ? at.value : sourceOf(text);
  if (!source) return undefined;
  const path = resolveDataPath(specPath, source);
  let header: string;
  try {
    // The header only: a bounded prefix rather than a large file.
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(65536);
      const n = readSync(fd, buf, 0, buf.length, 0);
      header = buf.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (role === 'source') return { path, range: top };
  const bom = header.charCodeAt(0) === 0xfeff ? 1 : 0;
  let offset = bom;
  for (const cell of header.slice(bom).split(',')) {
    const name = cell.trim().replace(/^"(.*)"$/, '$1');
    if (name === at.value) {
      const lead = cell.length - cell.trimStart().length;
      return { path, range: { start: { line: 0, character: offset + lead }, end: { line: 0, character: offset + lead + cell.trim().length } } };
    }
    offset += cell.length + 1;
  }
  return undefined;
}
