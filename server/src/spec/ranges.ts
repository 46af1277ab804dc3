/**
 * Maps paths in a spec's data (['preprocessing', 0, 'lags']) to the ranges of the YAML nodes that hold them,
 * so that a diagnostic lands on the exact key or value the user typed.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Range } from '../../../protocol/protocol';

export type SpecPath = (string | number)[];

/** A text edit: `newText` replaces `range`. */
export interface TextEdit { range: Range; newText: string }

/**
 * The line starts of a text as an LSP client counts lines (`\n`, `\r\n` and a lone `\r` each end one), with
 * `linePos` shaped like yaml's LineCounter (1-based). Built from the text itself: yaml's LineCounter only learns
 * the line breaks its lexer reaches, and misses some inside a broken flow collection.
 */
export class TextLines {
  readonly lineStarts: number[] = [0];
  /** Where each line's content ends (its line break starts). */
  private readonly lineEnds: number[] = [];
  constructor(private readonly length: number, text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        this.lineEnds.push(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
    this.lineEnds.push(text.length);
  }

  /** 1-based line and column of an offset (clamped into the text). */
  linePos(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a line break (e.g. on the \n of \r\n) is the end of its line.
    return { line: lo + 1, col: Math.min(o, this.lineEnds[lo]!) - this.lineStarts[lo]! + 1 };
  }
}

export function textLines(text: string): TextLines {
  return new TextLines(text.length, text);
}

/** Zero-based LSP range from character offsets [start, end) in the text. */
export function offsetsToRange(lineCounter: TextLines, start: number, end: number): Range {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(end);
  return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
}

interface Located { key?: Node; value?: Node | null }

export class SpecRanges {
  constructor(private readonly doc: Document, private readonly lineCounter: TextLines, private readonly text: string) {}

  /** The key node and value node at a path; undefined when the path is not in the document. */
  locate(path: readonly (string | number)[]): Located | undefined {
    let node: unknown = this.doc.contents;
    let key: Node | undefined;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return undefined;
        key = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node)) {
        const index = typeof seg === 'number' ? seg : Number(seg);
        if (!Number.isInteger(index) || index < 0 || index >= node.items.length) return undefined;
        key = undefined;
        node = node.items[index];
      } else return undefined;
    }
    return { key, value: (node ?? null) as Node | null };
  }

  /** Range of a node's own text (without trailing comments); undefined when it has none. */
  nodeRange(node: Node | null | undefined): Range | undefined {
    const r = node?.range;
    if (!r) return undefined;
    return offsetsToRange(this.lineCounter, r[0], r[1]);
  }

  /** Range of the key (`part: 'key'`) or the value (default) at a path, exactly as the nodes span. */
  rangeOf(path: readonly (string | number)[], part: 'key' | 'value' = 'value'): Range | undefined {
    const loc = this.locate(path);
    if (!loc) return undefined;
    return this.nodeRange(part === 'key' ? loc.key : loc.value);
  }

  /**
   * Where to show a problem with the value at a path: the value's first line; the key when the value is
   * empty (`data:` with nothing after it); the item's first line for a list item.
   */
  valueRange(path: readonly (string | number)[]): Range {
    const loc = this.locate(path);
    const value = this.nodeRange(loc?.value);
    if (value && !isEmpty(value)) return this.firstLineOf(value);
    const key = this.nodeRange(loc?.key);
    if (key) return key;
    if (value) return value;
    return path.length ? this.valueRange(path.slice(0, -1)) : this.firstLine();
  }

  /** Where to show a problem with the key at a path (the key itself; the value's line for a list item). */
  keyRange(path: readonly (string | number)[]): Range {
    const loc = this.locate(path);
    const key = this.nodeRange(loc?.key);
    return key ?? (path.length ? this.valueRange(path) : this.firstLine());
  }

  /**
   * The edit that deletes item `index` of the list at `listPath`: its whole line for a block list (`- x`), the item
   * and its separating comma for a flow list (`[a, b]`); the whole key and list when it is the only item.
   * Undefined when the item is not in the document.
   */
  removeListItem(listPath: readonly (string | number)[], index: number): TextEdit | undefined {
    const list = this.locate(listPath);
    if (!isSeq(list?.value)) return undefined;
    const items = list.value.items as (Node | null)[];
    const item = items[index];
    if (!item?.range) return undefined;
    if (items.length === 1 && list.key?.range) {
      // The key goes too: an empty list is not a valid value.
      return this.edit(this.lineStartOf(list.key.range[0]), this.lineEndAfter(list.value.range?.[1] ?? item.range[1]), '');
    }
    if (!list.value.flow) return this.edit(this.lineStartOf(item.range[0]), this.lineEndAfter(item.range[1]), '');
    const prev = items[index - 1];
    const next = items[index + 1];
    if (prev?.range) return this.edit(prev.range[1], item.range[1], '');
    if (next?.range) return this.edit(item.range[0], next.range[0], '');
    return this.edit(item.range[0], item.range[1], '');
  }

  /** The edit that appends `block` (whole lines of YAML) at the end of the document. */
  appendAtEnd(block: string): TextEdit {
    const end = this.text.length;
    const sep = end === 0 || this.text.endsWith('\n') ? '' : '\n';
    return this.edit(end, end, `${sep}${block.endsWith('\n') ? block : `${block}\n`}`);
  }

  /**
   * The edit that adds `key: value` as the first key of the block map at `parentPath` (same indentation as its
   * first key); undefined for a flow map or when the map is not in the document.
   */
  insertKey(parentPath: readonly (string | number)[], key: string, value: string): TextEdit | undefined {
    const parent = this.locate(parentPath);
    const map = parent?.value;
    if (!isMap(map) || map.flow || !map.items.length) return undefined;
    const first = map.items[0]!.key as Node | null;
    if (!first?.range) return undefined;
    const at = first.range[0];
    const lineStart = this.lineStartOf(at);
    const indent = this.text.slice(lineStart, at);
    // A map inside a list item starts on the `- ` line: the new key goes on its own line after it.
    if (/^\s*$/.test(indent)) return this.edit(lineStart, lineStart, `${indent}${key}: ${value}\n`);
    const lineEnd = this.lineEndAfter(at);
    const pad = ' '.repeat(indent.length);
    return this.edit(lineEnd, lineEnd, `${pad}${key}: ${value}\n`);
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    return { range: offsetsToRange(this.lineCounter, start, end), newText };
  }

  private lineStartOf(offset: number): number {
    const i = this.text.lastIndexOf('\n', offset - 1);
    return i + 1;
  }

  /** The offset just after the line break that ends the line holding `offset` (the text's end when none). */
  private lineEndAfter(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i < 0 ? this.text.length : i + 1;
  }

  /** The spec's first line (for problems with the whole document). */
  firstLine(): Range {
    const end = this.text.search(/\r|\n|$/);
    return { start: { line: 0, character: 0 }, end: { line: 0, character: end } };
  }

  /** A range cut at the end of its first line (a multi-line block is marked on its first line only). */
  private firstLineOf(range: Range): Range {
    if (range.end.line === range.start.line) return range;
    const lineStart = this.lineCounter.lineStarts[range.start.line] ?? 0;
    const rest = this.text.slice(lineStart);
    const lineLength = rest.search(/\r|\n|$/);
    return { start: range.start, end: { line: range.start.line, character: lineLength } };
  }
}

function isEmpty(r: Range): boolean {
  return r.start.line === r.end.line && r.start.character === r.end.character;
}
