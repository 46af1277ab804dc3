/**
 * What sits at a position of a spec: the path of the key under the cursor (for hover and, later, completion).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Position, Range } from '../../../protocol/protocol';
import { offsetsToRange } from './ranges';

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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
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
