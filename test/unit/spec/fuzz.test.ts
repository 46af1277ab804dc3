/** Property: any text, and any small corruption of a valid spec, gives diagnostics inside the text, never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../server/src/spec/parse';
import { SPEC_V1 } from './fixture';

function checkWellFormed(text: string): void {
  const parsed = parseSpec(text);
  const lines = text.split(/\r?\n|\r/);
  for (const d of parsed.diagnostics) {
    expect(d.message.length).toBeGreaterThan(0);
    for (const p of [d.range.start, d.range.end]) {
      expect(p.line).toBeGreaterThanOrEqual(0);
      expect(p.line).toBeLessThanOrEqual(lines.length);
      expect(p.character).toBeGreaterThanOrEqual(0);
    }
    expect(d.range.end.line > d.range.start.line || d.range.end.character >= d.range.start.character).toBe(true);
  }
  const hasErrors = parsed.diagnostics.some((d) => d.severity === 'error');
  expect(parsed.spec === null).toBe(hasErrors);
}

const yamlChars = fc.constantFrom(' ', '\n', ':', '-', '[', ']', '{', '}', '&', '*', '!', '#', '"', "'", '|', '>', 'a', '1', '\t', '?', ',');

describe('parseSpec on hostile input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => checkWellFormed(s)), { numRuns: 300 });
  });

  it('never throws on a corrupted example (insertions, deletions, replacements of YAML-significant characters)', () => {
    const edit = fc.record({ at: fc.nat({ max: SPEC_V1.length }), del: fc.nat({ max: 6 }), ins: fc.array(yamlChars, { maxLength: 4 }) });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let text = SPEC_V1;
      for (const e of edits) text = text.slice(0, e.at) + e.ins.join('') + text.slice(e.at + e.del);
      checkWellFormed(text);
    }), { numRuns: 400 });
  });
});
