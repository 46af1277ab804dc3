/** The loader (papaparse over streamed chunks, with our line tracking) reads back any table written as RFC 4180 text, at any read size. */
import fc from 'fast-check';
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
  it('the loader reads back the cells of arbitrary RFC 4180 text (quotes, doubled quotes, delimiters and line breaks in fields, CRLF), across chunk borders', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 4 }).chain((cols) => fc.tuple(
        fc.constant(cols), fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 40 }),
      )),
      ([cols, rows, eol, chunkBytes]) => {
        const header = Array.from({ length: cols }, (_, j) => `c${j}`);
        const text = encode([header, ...rows], eol);
        // The written cells are the oracle: what was encoded must come back, row by row.
        const expected = rows;
        const types = Object.fromEntries(header.map((h) => [h, 'categorical' as const]));
        const { frame } = parseCsvFrame(text, 'p.csv', { delimiter: ',', missing: [], types, chunkBytes });
        const got = expected.map((_, i) => frame.columns.map((c) => cellText(c, i) ?? null));
        expect(got).toEqual(expected.map((r) => r.map((c) => c.trim())));
        expect(frame.lines.length).toBe(expected.length);
        // Each row starts one line after the previous one ended (line breaks inside its quoted fields counted).
        let line = 2;
        const lines = rows.map((r) => { const at = line; line += 1 + r.join('').split('\n').length - 1; return at; });
        expect(Array.from(frame.lines)).toEqual(lines);
      },
    ), { numRuns: 300, seed: 4 });
  });
});
