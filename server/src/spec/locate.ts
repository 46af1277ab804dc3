/**
 * What sits at a position of a spec: the path of the key under the cursor (for hover and, later, completion).
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { offsetsToRange, textLines } from './ranges';

export interface KeyAt {
  /** Path of the key's value, e.g. ['training', 'epochs'] or ['preprocessing', 0, 'lags', 'count']. */
  path: (string | number)[];
  /** The key's range. */
  range: Range;
}

/**
 * The key at `position` (zero-based line and UTF-16 character), or the key whose value holds it, innermost first;
 * undefined when the position is on no key or value of a map (a comment, a blank line, a syntax error's ruins).
 */
export function keyAt(text: string, position: Position): KeyAt | undefined {
  const lineCounter = textLines(text);
  const doc = parseDocument(text, { keepSourceTokens: false });
  const offset = (lineCounter.lineStarts[position.line] ?? text.length) + position.character;
  const inside = (n: unknown): boolean => {
    const r = (n as Node | null | undefined)?.range;
    return !!r && r[0] <= offset && offset <= r[1];
  };
  let found: KeyAt | undefined;
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const here = [...path, String(pair.key.value)];
        if (inside(pair.key) || inside(pair.value)) {
          const r = pair.key.range!;
          found = { path: here, range: offsetsToRange(lineCounter, r[0], r[1]) };
          walk(pair.value, here);
          return;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => { if (inside(item)) walk(item, [...path, i]); });
    }
  };
  walk(doc.contents, []);
  return found;
}

export interface ScalarAt {
  /** Path of the scalar: ['data', 'target'] for a map value, ['data', 'features', 2] for a list item. */
  path: (string | number)[];
  /** The scalar's text as YAML reads it. */
  value: string;
  range: Range;
}

/**
 * The scalar VALUE at `position` (a map value or a list item, not a key), or undefined. For hover on column names.
 */
export function scalarAt(text: string, position: Position): ScalarAt | undefined {
  const lineCounter = textLines(text);
  const doc = parseDocument(text, { keepSourceTokens: false });
  const offset = (lineCounter.lineStarts[position.line] ?? text.length) + position.character;
  const inside = (n: Node | null | undefined): boolean => {
    const r = n?.range;
    return !!r && r[0] <= offset && offset <= r[1];
  };
  const walk = (node: unknown, path: (string | number)[]): ScalarAt | undefined => {
    if (isScalar(node)) {
      if (!inside(node) || node.value === null || typeof node.value === 'object') return undefined;
      return { path, value: String(node.value), range: offsetsToRange(lineCounter, node.range![0], node.range![1]) };
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        if (inside(pair.value as Node)) return walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) if (inside(node.items[i] as Node)) return walk(node.items[i], [...path, i]);
    }
    return undefined;
  };
  return walk(doc.contents, []);
}

/**
 * Where `placeholder` sits in `text` (a probe made by the completion code): the path of the scalar equal to it and
 * whether it is a map key or a value (map value or list item). Undefined when it is not a whole scalar.
 */
export function placeholderAt(text: string, placeholder: string): { path: (string | number)[]; role: 'key' | 'value'; doc: Document } | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const walk = (node: unknown, path: (string | number)[]): { path: (string | number)[]; role: 'key' | 'value' } | undefined => {
    if (isScalar(node)) return node.value === placeholder ? { path, role: 'value' } : undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === placeholder) return { path: [...path, key], role: 'key' };
        const found = walk(pair.value, [...path, key]);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = walk(node.items[i], [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  const found = walk(doc.contents, []);
  return found ? { ...found, doc } : undefined;
}
