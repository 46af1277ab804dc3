/**
 * Column building while the CSV streams, and type inference when it ends.
 *
 * Rules (a column's non-missing cells decide): all numbers → numeric; all texts → boolean when every text is
 * true/false or yes/no (any case), date when every distinct text parses as a date (forms of ../dates.ts, or the
 * column's explicit format), else categorical. Numbers AND texts: when the numbers are the majority the texts
 * are reported as errors (a text in a numeric column, with row and column), else the column is categorical with
 * the numbers as texts. A declared type is enforced: a cell that does not fit is an error with row and column.
 */
import { DataError } from '../errors';
import { dateParserFor } from './dateFormat';
import type { Column, ColumnKind } from './frame';
import type { LoadOptions } from './load';

const BOOLEAN_WORDS = new Map([['true', 1], ['false', 0], ['yes', 1], ['no', 0]]);

/** One column's cells as they arrive: numbers in a Float64Array, texts dictionary-encoded. */
export class ColumnBuilder {
  values = new Float64Array(1024);
  codes: Int32Array | null = null;
  readonly dict = new Map<string, number>();
  readonly categories: string[] = [];
  missing = 0;
  numbers = 0;
  texts = 0;
  firstText: { line: number; text: string } | undefined;
  /** False when every cell must stay text (declared categorical or date): numbers are then not parsed. */
  readonly wantsNumbers: boolean;

  constructor(readonly name: string, readonly declared: ColumnKind | undefined, readonly hasFormat: boolean) {
    this.wantsNumbers = !(declared === 'categorical' || declared === 'date' || declared === 'boolean' || hasFormat);
  }

  get hasText(): boolean { return this.codes !== null; }

  private ensure(row: number): void {
    if (row < this.values.length) return;
    const v = new Float64Array(this.values.length * 2);
    v.set(this.values);
    this.values = v;
    if (this.codes) {
      const c = new Int32Array(this.values.length).fill(-1);
      c.set(this.codes);
      this.codes = c;
    }
  }

  private code(text: string): number {
    let c = this.dict.get(text);
    if (c === undefined) { c = this.categories.length; this.categories.push(text); this.dict.set(text, c); }
    return c;
  }

  addMissing(row: number): void {
    this.ensure(row);
    this.values[row] = NaN;
    if (this.codes) this.codes[row] = -1;
    this.missing++;
  }

  /** A number; `text` is its spelling, needed only once the column also holds texts. */
  addNumber(row: number, v: number, text: string | undefined): void {
    this.ensure(row);
    this.values[row] = v;
    this.numbers++;
    if (this.codes) this.codes[row] = this.code(text ?? String(v));
  }

  /** A text; returns its code. */
  addText(row: number, text: string, line: number): number {
    this.ensure(row);
    if (!this.codes) {
      // The first text: earlier numbers get their texts too (as String(v): `1.50` becomes `1.5`).
      this.codes = new Int32Array(this.values.length).fill(-1);
      for (let i = 0; i < row; i++) if (this.values[i] === this.values[i]) this.codes[i] = this.code(String(this.values[i]));
    }
    const code = this.code(text);
    this.values[row] = NaN;
    this.codes[row] = code;
    this.texts++;
    this.firstText ??= { line, text };
    return code;
  }
}

/** The line of the first row whose code is `code`. */
function lineOfCode(codes: Int32Array, code: number, lines: Int32Array): number | undefined {
  const i = codes.indexOf(code);
  return i >= 0 ? lines[i] : undefined;
}

/**
 * The finished column of `n` rows, typed by the rules above.
 * @throws DataError at the row (line) and column of a cell that does not fit the declared or inferred type.
 */
export function finishColumn(b: ColumnBuilder, n: number, lines: Int32Array, file: string, options: LoadOptions): Column {
  const name = b.name;
  const format = options.dateFormats?.[name];
  const declared = b.declared ?? (format ? 'date' : undefined);
  const values = b.values.slice(0, n);
  if (!b.codes) {
    if (declared === undefined || declared === 'numeric') return { name, kind: 'numeric', values };
    // No text seen (every cell missing) in a column declared otherwise.
    if (declared === 'categorical') return { name, kind: 'categorical', codes: new Int32Array(n).fill(-1), categories: [] };
    return { name, kind: declared, values };
  }
  const codes = b.codes.slice(0, n);
  const where = (line: number | undefined) => ({ file, line, column: name });
  if (declared === 'numeric' || (declared === undefined && b.numbers > 0 && b.numbers >= b.texts)) {
    const t = b.firstText!;
    const hint = declared === 'numeric' ? '' : ` (${b.numbers} numbers and ${b.texts} texts: add '${t.text}' to the missing-value tokens, or declare the column categorical)`;
    throw new DataError(`'${t.text}' is not a number${hint}`, where(t.line));
  }
  if (declared === 'boolean' || (declared === undefined && b.numbers === 0 && b.categories.every((c) => BOOLEAN_WORDS.has(c.toLowerCase())))) {
    const map = b.categories.map((c) => BOOLEAN_WORDS.get(c.toLowerCase()));
    const bad = map.findIndex((v) => v === undefined);
    if (bad >= 0) throw new DataError(`'${b.categories[bad]}' is not a boolean (true/false, yes/no)`, where(lineOfCode(codes, bad, lines)));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = codes[i]! < 0 ? NaN : map[codes[i]!]!;
    return { name, kind: 'boolean', values: out };
  }
  if (declared === 'date' || (declared === undefined && b.numbers === 0)) {
    let parse: (text: string) => number | undefined;
    try { parse = dateParserFor(format); } catch (e) { throw new DataError((e as Error).message, where(undefined)); }
    const times = b.categories.map((c) => parse(c));
    const bad = times.findIndex((t) => t === undefined);
    if (bad < 0 && b.categories.length > 0) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = codes[i]! < 0 ? NaN : times[codes[i]!]!;
      return { name, kind: 'date', values: out };
    }
    if (declared === 'date') {
      const expected = format ? `the format ${format}` : 'a form like 2012-01-31, 2012/01/31 or Jan 31 2012';
      throw new DataError(`'${b.categories[bad]}' is not a date (expected ${expected})`, where(lineOfCode(codes, bad, lines)));
    }
  }
  return { name, kind: 'categorical', codes, categories: [...b.categories] };
}
