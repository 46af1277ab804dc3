/**
 * Fuzz (issue #9, must-show 1): the CSV loader on mutated real files and generated tables. Property: it returns a
 * frame whose columns all have one value per row and whose row lines increase, or throws a DataError that names
 * the file (and the line when a row is at fault). Any other exception, a hang (the test's timeout) or a
 * mismatched frame fails the case; fast-check shrinks it and prints its seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../server/src/data/errors';
import { parseCsvFrame } from '../../server/src/data/frame/load';
import { mutateBytes, mutations, recordCount } from './mutations';

const dataDir = join(__dirname, '../../examples/data');
const files = readdirSync(dataDir).filter((f) => f.endsWith('.csv')).map((f) => ({ name: f, bytes: readFileSync(join(dataDir, f)) }));
const counts: Record<string, number> = {};

/** Loads `bytes`; throws (failing the property) when the loader breaks its contract. */
function load(bytes: Buffer, chunkBytes?: number): void {
  try {
    const { frame, info } = parseCsvFrame(bytes, 'fuzz.csv', chunkBytes ? { chunkBytes } : {});
    const n = frame.lines.length;
    if (info.rows !== n) throw new Error(`info.rows ${info.rows} != ${n} lines`);
    for (const c of frame.columns) {
      const len = c.kind === 'categorical' ? c.codes.length : c.values.length;
      if (len !== n) throw new Error(`column ${c.name}: ${len} values for ${n} rows`);
      if (c.kind === 'categorical') for (const k of c.codes) if (k < -1 || k >= c.categories.length) throw new Error(`column ${c.name}: code ${k}`);
    }
    for (let i = 1; i < n; i++) if (!(frame.lines[i]! > frame.lines[i - 1]!)) throw new Error(`row lines not increasing at ${i}`);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    if (!e.message.startsWith('fuzz.csv') || e.file !== 'fuzz.csv') throw new Error(`a DataError without its file: ${e.message}`);
    if (e.line !== undefined && !(Number.isInteger(e.line) && e.line >= 1)) throw new Error(`bad line ${e.line}`);
  }
}

/** A header plus a window of rows from a real file, so that mutations land everywhere, not only in row 1. */
const window = fc.record({ file: fc.nat({ max: files.length - 1 }), start: fc.nat(), rows: fc.integer({ min: 0, max: 40 }) }).map(({ file, start, rows }) => {
  const text = files[file]!.bytes.toString('latin1');
  const lines = text.split('\n');
  const s = 1 + (start % Math.max(1, lines.length - 1));
  return Buffer.from([lines[0], ...lines.slice(s, s + rows)].join('\n'), 'latin1');
});

describe('the CSV loader on hostile bytes', () => {
  it('mutated windows of every real CSV (30 000 cases)', () => {
    fc.assert(fc.property(window, mutations, (w, ms) => { load(mutateBytes(w, ms)); }), { numRuns: 30_000, seed: 901 });
    counts['mutated real CSVs'] = 30_000;
  });

  it('the same across chunk borders (small reads: 7 bytes), 3 000 cases', () => {
    fc.assert(fc.property(window, mutations, (w, ms) => { load(mutateBytes(w, ms), 7); }), { numRuns: 3_000, seed: 902 });
    counts['mutated, 7-byte chunks'] = 3_000;
  });

  it('generated tables of hostile cells (8 000 cases)', () => {
    const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', 'NA', '"', '""', '"a,b"', '"x\ny"', '1e400', '-', '.', 'true', '2012-01-01', 'Jan 1 2000', '\uFEFF', '=cmd|x'), fc.double().map(String));
    const table = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 12 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n', '\r'));
    fc.assert(fc.property(table, ([w, rows, d, nl]) => {
      const header = Array.from({ length: w }, (_, i) => `c${i}`).join(d);
      load(Buffer.from([header, ...rows.map((r) => r.join(d))].join(nl)));
    }), { numRuns: 8_000, seed: 903 });
    counts['generated tables'] = 8_000;
  });

  it('shapes that exhaust naive loaders: 10 000 columns, one 100 MB line, ragged rows, an unclosed quote', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 10_000 }, (_, i) => String(i)).join(',');
    const { frame } = parseCsvFrame(`${wide}\n${row}\n${row}\n`, 'wide.csv');
    expect(frame.columns.length).toBe(10_000);
    expect(frame.columns[9_999]!.kind === 'numeric' && frame.columns[9_999]!.values[1]).toBe(9_999);
    // One 100 MB line and nothing else: a header of one enormous name, loaded in linear time, no rows.
    const big = Buffer.alloc(100 * 2 ** 20, 'a');
    expect(parseCsvFrame(big, 'big.csv').frame.lines.length).toBe(0);
    expect(() => parseCsvFrame('a,b\n1,2\n3\n', 'ragged.csv')).toThrow(/ragged\.csv \(line 3[^)]*\): malformed CSV: this row has 1 field, the header has 2/);
    expect(() => parseCsvFrame('a,b\n1,"2\n3,4\n', 'quote.csv')).toThrow(/quote\.csv \(line 2, column 'b'\): malformed CSV: a quoted field is not closed/);
    counts['hostile shapes'] = 4;
  });

  it('writes the case count', () => {
    recordCount('csv', counts);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(41_000);
  });
});
