/**
 * Streams a CSV file into a columnar Frame. The file is read in chunks (never whole) and decoded as UTF-8; records
 * are tokenized by papaparse's core `Papa.Parser` (RFC 4180: quoted fields with delimiters, doubled quotes and line
 * breaks), one chunk at a time, the incomplete last record carried over to the next chunk exactly as papaparse's
 * own streamers do (`parse(text, 0, ignoreLastRow)`, carry from `meta.cursor`). We add what papaparse leaves to its
 * caller: the UTF-8 BOM, the delimiter (`,` `;` or tab, from the header line) and the line-end kind (LF, CRLF or CR,
 * the first line's: one kind per file), the file line of each record (line breaks counted in the records
 * consumed), errors with that line and the column name, and the cells: trimmed, missing tokens, numbers
 * (./numbers.ts), texts dictionary-encoded on the fly. Column types are inferred at the end (./infer.ts) unless
 * declared.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import { DataError } from '../errors';
import type { ColumnKind, Frame } from './frame';
import { ColumnBuilder, finishColumn } from './infer';
import { parseNumberText } from './numbers';

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
  /** Read size in bytes (tests use a small one to cross chunk borders). Default 1 MiB (4 MiB measured slower). */
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

type Newline = '\n' | '\r\n' | '\r';

/** Where the header line ends (outside quotes) and with which line end; undefined while it may not be complete. */
function headerLine(text: string, final: boolean): { end: number; newline: Newline } | undefined {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && c === 10) return { end: i, newline: '\n' };
    else if (!inQuotes && c === 13) {
      if (i + 1 === text.length && !final) return undefined;
      return { end: i, newline: text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r' };
    }
  }
  return final ? { end: text.length, newline: '\n' } : undefined;
}

/** The most frequent of `,` `;` tab outside quotes in the header line, `,` on ties. */
function detectDelimiter(line: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [ch, n] of counts) if (n > counts.get(best)!) best = ch;
  return best;
}

/** Line breaks inside a field: LF, CRLF, or a lone CR. */
function breaks(t: string): number {
  let n = 0;
  for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++;
  if (t.indexOf('\r') >= 0) for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 13 && t.charCodeAt(i + 1) !== 10) n++;
  return n;
}

/** A byte source: reads into `into[0, size)`, returns the count (0 at the end). */
interface Source { read(into: Buffer, size: number): number; close(): void }

function fileSource(path: string): Source {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(`cannot read the data file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  return { read: (into, size) => readSync(fd, into, 0, size, null), close: () => closeSync(fd) };
}

function bufferSource(bytes: Buffer): Source {
  let pos = 0;
  return {
    read: (into, size) => {
      const n = Math.min(size, bytes.length - pos);
      bytes.copy(into, 0, pos, pos + n);
      pos += n;
      return n;
    },
    close: () => undefined,
  };
}

/**
 * Loads a CSV file into a Frame of `[n_rows]` columns (numbers in Float64Arrays, texts as codes into categories),
 * with the file line of every row.
 * @throws DataError (file, line, column): unreadable or empty file, a header with an empty or duplicate name, an
 *   unclosed quote, a closing quote followed by other characters, a row with the wrong number of fields, an unknown
 *   column in `options.columns`, and the type errors of infer.ts (text in a numeric column, a date that does not
 *   parse).
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

interface PapaError { code: string; message: string; row?: number; index?: number }
interface PapaResult { data: string[][]; errors: PapaError[]; meta: { cursor: number } }

class CsvReader {
  private delim: string | undefined;
  private newline: Newline = '\n';
  private line = 1;
  private header: string[] | undefined;
  private builders: ColumnBuilder[] = [];
  /** file column index → builder, or undefined when the column is not kept. */
  private slot: (ColumnBuilder | undefined)[] = [];
  private lines = new Int32Array(1024);
  private rows = 0;
  private readonly missing: Set<string>;
  /** The longest missing token: longer cells skip the set lookup (hashing every cell text costs ~10 % of a load). */
  private readonly missingMaxLength: number;
  private readonly numericMissing: Set<number>;

  constructor(private readonly file: string, private readonly options: LoadOptions) {
    this.missing = new Set(options.missing ?? DEFAULT_MISSING);
    this.missingMaxLength = Math.max(0, ...[...this.missing].map((t) => t.length));
    // Tokens such as -999 read as numbers first, so they are also matched by value.
    this.numericMissing = new Set([...this.missing].filter((t) => t.trim() !== '').map(Number).filter(Number.isFinite));
    if (options.delimiter !== undefined) {
      if (![',', ';', '\t'].includes(options.delimiter)) throw new DataError(`the delimiter must be ',', ';' or a tab, not '${options.delimiter}'`, { file });
      this.delim = options.delimiter;
    }
  }

  run(src: Source): { frame: Frame; info: LoadInfo } {
    const chunk = Math.max(1, this.options.chunkBytes ?? 1 << 20);
    let buf = Buffer.allocUnsafe(chunk);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let bomChecked = false;
    let parser: Papa.Parser | undefined;
    for (;;) {
      // Read at least as much as is carried over, so that a record longer than a chunk costs linear time.
      const size = Math.max(chunk, carry.length);
      if (size > buf.length) buf = Buffer.allocUnsafe(size);
      const n = src.read(buf, size);
      const final = n === 0;
      let text = carry + (final ? decoder.end() : decoder.write(buf.subarray(0, n)));
      if (!bomChecked && text.length > 0) {
        bomChecked = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (!parser) {
        const head = headerLine(text, final);
        if (!head) { carry = text; continue; }
        this.delim ??= detectDelimiter(text.slice(0, head.end));
        this.newline = head.newline;
        parser = new Papa.Parser({ delimiter: this.delim, newline: this.newline, quoteChar: '"', skipEmptyLines: false });
      }
      const result = parser.parse(text, 0, !final) as PapaResult;
      this.consume(result, text, final);
      if (final) break;
      carry = text.substring(result.meta.cursor);
    }
    if (!this.header) throw new DataError('the file is empty: a header row is expected', { file: this.file });
    const columns = this.builders.map((b) => finishColumn(b, this.rows, this.lines, this.file, this.options));
    const frame: Frame = { file: this.file, columns, lines: this.lines.slice(0, this.rows) };
    const info: LoadInfo = {
      delimiter: this.delim!, rows: this.rows,
      missing: Object.fromEntries(this.builders.map((b) => [b.name, b.missing])),
      types: Object.fromEntries(columns.map((c) => [c.name, c.kind])),
    };
    return { frame, info };
  }

  /** Feeds the complete records of one parsed chunk, counting lines; throws at the first record with an error. */
  private consume(result: PapaResult, text: string, final: boolean): void {
    const data = result.data;
    // Errors of the carried-over record (not in data) are papaparse seeing an incomplete record: not errors yet.
    let errorRow = data.length;
    let error: PapaError | undefined;
    for (const e of result.errors) if (e.row !== undefined && e.row < errorRow) { errorRow = e.row; error = e; }
    // Only quoted fields hold line breaks, and only `""` on a line of its own looks like an empty line.
    const quoted = text.indexOf('"') >= 0;
    const ambiguous = text.indexOf('""') >= 0;
    let starts: number[] | undefined;
    for (let i = 0; i < data.length; i++) {
      const rec = data[i]!;
      if (i === errorRow) this.fail(error!, text, final, (starts ??= this.recordStarts(text, final))[i]!);
      if (rec.length === 1 && rec[0] === '') {
        starts ??= ambiguous ? this.recordStarts(text, final) : undefined;
        const raw = starts ? (starts[i + 1] ?? text.length) - starts[i]! : 0;
        if (raw <= this.newline.length) { this.line++; continue; } // an empty line, not a quoted empty cell
      }
      const start = this.line;
      let extra = 0;
      if (quoted) for (let k = 0; k < rec.length; k++) { const t = rec[k]!; if (t.length > 0) extra += breaks(t); }
      this.record(rec, start);
      this.line = start + 1 + extra;
    }
    if (error && errorRow === data.length && final) this.fail(error, text, final, (starts ??= this.recordStarts(text, final))[errorRow] ?? 0);
  }

  /** Offsets in `text` where each record starts (then the end of the last), by papaparse with a step callback: the slow path for errors and ambiguous records. */
  private recordStarts(text: string, final: boolean): number[] {
    const starts = [0];
    const p = new Papa.Parser({ delimiter: this.delim, newline: this.newline, quoteChar: '"', skipEmptyLines: false, step: (r) => { starts.push(r.meta.cursor); } });
    p.parse(text, 0, !final);
    return starts;
  }

  /** Throws a papaparse error at the line and column where the faulty field starts. */
  private fail(e: PapaError, text: string, final: boolean, recordStart: number): never {
    const fieldStart = Math.max(recordStart, (e.index ?? recordStart + 1) - 1);
    const before = new Papa.Parser({ delimiter: this.delim, newline: this.newline, quoteChar: '"' }).parse(text.slice(recordStart, fieldStart), 0, false) as PapaResult;
    const k = Math.max(0, (before.data[0]?.length ?? 1) - 1);
    const line = this.line + breaks(text.slice(recordStart, fieldStart));
    const column = this.header?.[k];
    const what = e.code === 'MissingQuotes' ? 'a quoted field is not closed before the end of the file'
      : e.code === 'InvalidQuotes' ? 'a closing quote is followed by other characters than a delimiter or a line end'
        : e.message;
    throw new DataError(`malformed CSV: ${what}`, { file: this.file, line, column });
  }

  private record(rec: string[], line: number): void {
    if (!this.header) {
      this.setHeader(rec.map((c) => c.trim()), line);
      return;
    }
    const nf = rec.length;
    if (nf !== this.header.length) {
      // Located at the first column without a field, or (too many fields) the last column, past which they run.
      const h = this.header.length;
      const at = nf < h ? `no field for the column '${this.header[nf]}'` : `${nf - h} field${nf - h === 1 ? '' : 's'} after the last column '${this.header[h - 1]}'`;
      throw new DataError(`malformed CSV: this row has ${nf} field${nf === 1 ? '' : 's'}, the header has ${h}: ${at}`, { file: this.file, line, column: this.header[Math.min(nf, h - 1)] });
    }
    const row = this.rows++;
    if (row === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[row] = line;
    for (let k = 0; k < nf; k++) {
      const builder = this.slot[k];
      if (!builder) continue;
      let t = rec[k]!;
      const n = t.length;
      if (n > 0 && (t.charCodeAt(0) <= 32 || t.charCodeAt(n - 1) <= 32)) t = t.trim();
      if (t.length <= this.missingMaxLength && this.missing.has(t)) { builder.addMissing(row); continue; }
      const v = builder.wantsNumbers ? parseNumberText(t) : NaN;
      if (v !== v) builder.addText(row, t, line);
      else if (this.numericMissing.size && this.numericMissing.has(v)) builder.addMissing(row);
      else builder.addNumber(row, v, builder.hasText ? t : undefined);
    }
  }

  private setHeader(names: string[], line: number): void {
    names.forEach((c, i) => {
      if (c === '') throw new DataError(`column ${i + 1} of the header has no name`, { file: this.file, line });
      const j = names.indexOf(c);
      if (j !== i) throw new DataError(`the column name '${c}' appears twice in the header (columns ${j + 1} and ${i + 1})`, { file: this.file, line });
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
