/** The loader (papaparse over streamed chunks, with our line tracking) agrees with csv-parse on arbitrary RFC 4180 text, at any read size. */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cellText } from '../../../server/src/data/frame/frame';
import { parseCsvFrame } from '../../../server/src/data/frame/load';

const cell = fc.stringMatching(/^[ab,";\n\té\r]{0,6}$/)
  // Cells keep no outer spaces (the loader trims them) and no lone CR (a line end of its own in RFC 4180 files).
  .map((s) => s.replace(/\r(?!\n)/g, '').replace(/^\s+|\s+$/g, ''));

function encode(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(eol) + eol;
}

describe('CSV loader property', () => {
  it('the loader agrees with csv-parse on arbitrary RFC 4180 text: reads what csv-parse reads (quotes, doubled quotes, delimiters and line breaks in fields, CRLF), across chunk borders', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }).chain((cols) => fc.tuple(
        fc.constant(cols), fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 40 }),
      )),
      ([cols, rows, eol, chunkBytes]) => {
        const header = Array.from({ length: cols }, (_, j) => `c${j}`);
        const text = encode([header, ...rows], eol);
        const expected = (parse(text, { bom: true }) as string[][]).slice(1);
        const types = Object.fromEntries(header.map((h) => [h, 'categorical' as const]));
        const { frame } = parseCsvFrame(text, 'p.csv', { delimiter: ',', missing: [], types, chunkBytes });
        const got = expected.map((_, i) => frame.columns.map((c) => cellText(c, i) ?? null));
        expect(got).toEqual(expected.map((r) => r.map((c) => c.trim())));
        expect(frame.lines.length).toBe(expected.length);
      },
    ), { numRuns: 300, seed: 4 });
  });
});
