/**
 * Streams a CSV file into a columnar Frame: the file is read in chunks (never whole), records are tokenized from
 * the bytes (RFC 4180: quoted fields with delimiters, doubled quotes and line breaks; UTF-8 BOM; LF, CRLF or CR),
 * numbers are parsed without making strings (./numbers.ts), texts are dictionary-encoded on the fly. Column types
 * are inferred at the end (./infer.ts) unless declared.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from '../errors';
import type { ColumnKind, Frame } from './frame';
import { ColumnBuilder, finishColumn, hashBytes, MISSING } from './infer';
import { parseNumberBytes } from './numbers';

/** Cells that mean "no value" unless the options say otherwise (compared after trimming; case-sensitive). */
export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '.'];

export interface LoadOptions {
  /** `,`, `;` or a tab; detected from the header line when omitted (the most frequent of the three, `,` on ties). */
  delimiter?: string;
  /** Missing-value tokens; default DEFAULT_MISSING. */
  missing?: readonly string[];
  /** Declared column types; the others are inferred. */
  types?: Readonly<Record<string, ColumnKind>>;
  /** Explicit date formats per column (see dateFormat.ts); such columns are dates. */
  dateFormats?: Readonly<Record<string, string>>;
  /** Keep only these columns (the others are tokenized but not stored). */
  columns?: readonly string[];
  /** Read size in bytes (tests use a small one to cross chunk borders). Default 4 MiB. */
  chunkBytes?: number;
}

/** What the loader saw, for the per-step account. */
export interface LoadInfo {
  delimiter: string;
  /** Data rows read (not counting the header and empty lines). */
  rows: number;
  /** Missing cells per kept column. */
  missing: Record<string, number>;
  types: Record<string, ColumnKind>;
}

const QUOTE = 34, LF = 10, CR = 13, SPACE = 32, TAB = 9;

function detectDelimiter(buf: Uint8Array, end: number): string {
  const counts = new Map<number, number>([[44, 0], [59, 0], [TAB, 0]]);
  let inQuotes = false;
  for (let i = 0; i < end; i++) {
    const b = buf[i]!;
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (b === LF || b === CR)) break;
    else if (!inQuotes && counts.has(b)) counts.set(b, counts.get(b)! + 1);
  }
  let best = 44;
  for (const [b, n] of counts) if (n > counts.get(best)!) best = b;
  return String.fromCharCode(best);
}

/** A byte source: successive chunks appended after the carried-over bytes. */
interface Source { read(into: Buffer, offset: number): number; close(): void }

function fileSource(path: string): Source {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  return { read: (into, offset) => readSync(fd, into, offset, into.length - offset, null), close: () => closeSync(fd) };
}

function bufferSource(bytes: Buffer): Source {
  let pos = 0;
  return {
    read: (into, offset) => {
      const n = Math.min(into.length - offset, bytes.length - pos);
      bytes.copy(into, offset, pos, pos + n);
      pos += n;
      return n;
    },
    close: () => undefined,
  };
}

/**
 * Loads a CSV file into a Frame.
 * @throws DataError (file, line, column): unreadable or empty file, a header with an empty or duplicate name, an
 *   unclosed quote, a row with the wrong number of fields, a quote in the middle of a field, an unknown column in
 *   `options.columns`, and the type errors of infer.ts (text in a numeric column, a date that does not parse).
 */
export function loadCsvFrame(path: string, options: LoadOptions = {}): { frame: Frame; info: LoadInfo } {
  return parseSource(fileSource(path), path, options);
}

/** As loadCsvFrame, from text already in memory (tests, editors). */
export function parseCsvFrame(text: string | Buffer, file: string, options: LoadOptions = {}): { frame: Frame; info: LoadInfo } {
  return parseSource(bufferSource(typeof text === 'string' ? Buffer.from(text, 'utf8') : text), file, options);
}

function parseSource(src: Source, file: string, options: LoadOptions): { frame: Frame; info: LoadInfo } {
  try {
    return new CsvReader(file, options).run(src);
  } finally {
    src.close();
  }
}

class CsvReader {
  private delim = -1;
  private line = 1;
  private header: string[] | undefined;
  private builders: ColumnBuilder[] = [];
  /** file column index → builder, or undefined when the column is not kept. */
  private slot: (ColumnBuilder | undefined)[] = [];
  private lines = new Int32Array(1024);
  private rows = 0;
  // One record's fields: start, end, flags (1 quoted, 2 has doubled quotes).
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
  private ff = new Uint8Array(64);
  private readonly missing: Set<string>;
  private readonly numericMissing: Set<number>;

  constructor(private readonly file: string, private readonly options: LoadOptions) {
    this.missing = new Set(options.missing ?? DEFAULT_MISSING);
    // Tokens such as -999 read as numbers first, so they are also matched by value.
    this.numericMissing = new Set([...this.missing].filter((t) => t.trim() !== '').map(Number).filter(Number.isFinite));
    if (options.delimiter !== undefined) {
      if (![',', ';', '\t'].includes(options.delimiter)) throw new DataError(`the delimiter must be ',', ';' or a tab, not '${options.delimiter}'`, { file });
      this.delim = options.delimiter.charCodeAt(0);
    }
  }

  run(src: Source): { frame: Frame; info: LoadInfo } {
    let buf = Buffer.allocUnsafe(Math.max(64, this.options.chunkBytes ?? 4 << 20));
    let have = 0;
    let first = true;
    for (;;) {
      const n = src.read(buf, have);
      const final = n === 0;
      have += n;
      let start = 0;
      if (first && have >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      if (first && (have - start >= 3 || final)) first = false; else if (first) continue;
      if (this.delim < 0) this.delim = detectDelimiter(buf.subarray(start, have), have - start).charCodeAt(0);
      const used = this.records(buf, start, have, final);
      if (final) break;
      // Carry the incomplete record over; grow the buffer when one record fills it.
      const carry = have - used;
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, used, have);
        buf = bigger;
      } else buf.copy(buf, 0, used, have);
      have = carry;
    }
    if (!this.header) throw new DataError('the file is empty: a header row is expected', { file: this.file });
    const columns = this.builders.map((b) => finishColumn(b, this.rows, this.lines, this.file, this.options));
    const frame: Frame = { file: this.file, columns, lines: this.lines.slice(0, this.rows) };
    const info: LoadInfo = {
      delimiter: String.fromCharCode(this.delim), rows: this.rows,
      missing: Object.fromEntries(this.builders.map((b) => [b.name, b.missing])),
      types: Object.fromEntries(columns.map((c) => [c.name, c.kind])),
    };
    return { frame, info };
  }

  /** Tokenizes whole records in buf[pos, end); returns where the first incomplete record starts. */
  private records(buf: Buffer, pos: number, end: number, final: boolean): number {
    const delim = this.delim;
    let i = pos;
    while (i < end) {
      const recStart = i;
      const recLine = this.line;
      let b = buf[i]!;
      if (b === LF) { i++; this.line++; continue; }
      if (b === CR) {
        if (i + 1 >= end && !final) return recStart;
        i += buf[i + 1] === LF ? 2 : 1; this.line++; continue;
      }
      let nf = 0;
      for (;;) {
        if (nf === this.fs.length) this.growFields();
        let flags = 0;
        let fStart: number, fEnd: number;
        if (buf[i] === QUOTE) {
          let j = i + 1;
          let lines = 0;
          for (;;) {
            if (j >= end) {
              if (!final) { this.line = recLine; return recStart; }
              throw new DataError('malformed CSV: a quoted field is not closed before the end of the file', { file: this.file, line: recLine });
            }
            b = buf[j]!;
            if (b === QUOTE) {
              if (j + 1 >= end && !final) { this.line = recLine; return recStart; }
              if (buf[j + 1] === QUOTE) { flags |= 2; j += 2; continue; }
              break;
            }
            if (b === LF || (b === CR && buf[j + 1] !== LF)) lines++;
            j++;
          }
          fStart = i + 1; fEnd = j; flags |= 1;
          i = j + 1;
          this.line += lines;
          if (i < end && buf[i] !== delim && buf[i] !== LF && buf[i] !== CR) {
            throw new DataError('malformed CSV: a closing quote is followed by other characters than a delimiter or a line end', { file: this.file, line: this.line, column: this.columnName(nf) });
          }
        } else {
          let j = i;
          while (j < end && (b = buf[j]!) !== delim && b !== LF && b !== CR) j++;
          if (j >= end && !final) { this.line = recLine; return recStart; }
          fStart = i; fEnd = j; i = j;
        }
        this.fs[nf] = fStart; this.fe[nf] = fEnd; this.ff[nf] = flags; nf++;
        if (i >= end) {
          if (!final) { this.line = recLine; return recStart; }
          break;
        }
        b = buf[i]!;
        if (b === delim) { i++; if (i >= end && !final) { this.line = recLine; return recStart; } if (i >= end) { this.fs[nf] = i; this.fe[nf] = i; this.ff[nf] = 0; nf++; break; } continue; }
        if (b === CR) {
          if (i + 1 >= end && !final) { this.line = recLine; return recStart; }
          i += buf[i + 1] === LF ? 2 : 1;
        } else i++;
        this.line++;
        break;
      }
      this.record(buf, nf, recLine);
    }
    return i;
  }

  private columnName(k: number): string | undefined {
    return this.header?.[k];
  }

  private growFields(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(a.length * 2); b.set(a); return b; };
    this.fs = grow(this.fs); this.fe = grow(this.fe); this.ff = grow(this.ff);
  }

  private fieldText(buf: Buffer, k: number): string {
    const t = buf.toString('utf8', this.fs[k], this.fe[k]);
    return this.ff[k]! & 2 ? t.replaceAll('""', '"') : t;
  }

  private record(buf: Buffer, nf: number, line: number): void {
    if (!this.header) {
      this.setHeader(Array.from({ length: nf }, (_, k) => this.fieldText(buf, k).trim()));
      return;
    }
    if (nf !== this.header.length) {
      throw new DataError(`malformed CSV: this row has ${nf} field${nf === 1 ? '' : 's'}, the header has ${this.header.length}`, { file: this.file, line });
    }
    const row = this.rows++;
    if (row === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[row] = line;
    const notSpace = this.delim === TAB ? (c: number) => c !== SPACE : (c: number) => c !== SPACE && c !== TAB;
    for (let k = 0; k < nf; k++) {
      const builder = this.slot[k];
      if (!builder) continue;
      if (this.ff[k]! & 1) {
        const text = this.fieldText(buf, k).trim();
        if (this.missing.has(text)) builder.addMissing(row);
        else builder.addText(row, text, line);
        continue;
      }
      let s = this.fs[k]!;
      let e = this.fe[k]!;
      while (s < e && !notSpace(buf[s]!)) s++;
      while (e > s && !notSpace(buf[e - 1]!)) e--;
      if (s === e) {
        if (this.missing.has('')) builder.addMissing(row); else builder.addText(row, '', line);
        continue;
      }
      const v = builder.wantsNumbers ? parseNumberBytes(buf, s, e) : NaN;
      if (v === v) {
        if (this.numericMissing.size && this.numericMissing.has(v)) builder.addMissing(row);
        else builder.addNumber(row, v, builder.hasText ? buf.toString('utf8', s, e) : undefined);
        continue;
      }
      const h = hashBytes(buf, s, e);
      const hit = builder.lookup(buf, s, e, h);
      if (hit === MISSING) { builder.addMissing(row); continue; }
      if (hit !== undefined) { builder.addCode(row, hit); continue; }
      const text = buf.toString('utf8', s, e);
      if (this.missing.has(text)) { builder.addMissing(row); builder.remember(buf, s, e, h, MISSING); }
      else builder.remember(buf, s, e, h, builder.addText(row, text, line));
    }
  }

  private setHeader(names: string[]): void {
    names.forEach((c, i) => {
      if (c === '') throw new DataError(`column ${i + 1} of the header has no name`, { file: this.file, line: 1 });
      const j = names.indexOf(c);
      if (j !== i) throw new DataError(`the column name '${c}' appears twice in the header (columns ${j + 1} and ${i + 1})`, { file: this.file, line: 1 });
    });
    const keep = this.options.columns;
    for (const c of keep ?? []) {
      if (!names.includes(c)) throw new DataError(`no column '${c}'; the columns are ${names.map((x) => `'${x}'`).join(', ')}`, { file: this.file });
    }
    this.header = names;
    this.slot = names.map((name) => {
      if (keep && !keep.includes(name)) return undefined;
      const b = new ColumnBuilder(name, this.options.types?.[name], this.options.dateFormats?.[name] !== undefined);
      this.builders.push(b);
      return b;
    });
  }
}
