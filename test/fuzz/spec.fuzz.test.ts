/**
 * Fuzz (issue #9, must-show 1): the spec parser and every check on hostile text: arbitrary and binary strings,
 * YAML punctuation soups, mutated real specs (the four examples and the test fixture), alias bombs, deep nesting and
 * huge documents. Property: parse and check never throw, every diagnostic has a code, a message and a range inside
 * the text, and a spec with a syntax or schema error has no typed model. A hang fails by the test's timeout.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec } from '../../server/src/spec/check';
import { parseSpec } from '../../server/src/spec/parse';
import { SPEC_V1 } from '../unit/spec/fixture';
import { expectInside, lineLengths } from '../unit/spec/specArbitraries';
import { mutateBytes, mutations, recordCount } from './mutations';

const root = join(__dirname, '../..');
// A workspace like the examples': specs in one folder, the real CSVs in ../data.
const ws = mkdtempSync(join(tmpdir(), 'xai-spec-fuzz9-'));
mkdirSync(join(ws, 'data'));
mkdirSync(join(ws, 'specs'));
for (const f of readdirSync(join(root, 'examples/data'))) copyFileSync(join(root, 'examples/data', f), join(ws, 'data', f));
const specPath = join(ws, 'specs/fuzz.xai.yaml');
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const examples = [SPEC_V1, ...readdirSync(join(root, 'examples'))
  .filter((d) => d !== 'data' && d !== 'walkthrough')
  .flatMap((d) => readdirSync(join(root, 'examples', d)).filter((f) => f.endsWith('.xai.yaml')).map((f) => readFileSync(join(root, 'examples', d, f), 'utf8')))];
const counts: Record<string, number> = {};

function exercise(text: string): void {
  const lengths = lineLengths(text);
  const parsed = parseSpec(text);
  for (const d of [...parsed.diagnostics, ...checkSpec(parsed, specPath)]) {
    if (!d.message || !d.code) throw new Error(`a diagnostic without code or message: ${JSON.stringify(d)}`);
    expectInside(text, lengths, d.range, d.code);
  }
  if (parsed.diagnostics.some((d) => d.severity === 'error') !== (parsed.spec === null)) throw new Error('spec/diagnostics disagree');
}

const soup = fc.array(fc.constantFrom(' ', '  ', '\n', ':', ': ', '- ', '[', ']', '{', '}', '&a ', '*a', '!!str ', '!<tag:x> ', '#', '"', "'", '|', '>', 'data', 'model', 'source', '1', '\t', '? ', ',', '---\n', '...\n', '%YAML 1.2\n', '<<: *a\n', '\uFEFF', '\0'), { maxLength: 120 }).map((a) => a.join(''));

/** Alias bombs: `width` aliases per level, `depth` levels, optionally as merge keys. */
const bomb = fc.record({ width: fc.integer({ min: 2, max: 12 }), depth: fc.integer({ min: 1, max: 14 }), merge: fc.boolean() }).map(({ width, depth, merge }) => {
  const lines = ['l0: &l0 [x, x]'];
  for (let i = 1; i <= depth; i++) {
    lines.push(merge ? `l${i}: &l${i}\n${Array.from({ length: width }, (_, k) => `  <<: *l${i - 1}\n  k${k}: *l${i - 1}`).join('\n')}` : `l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
  }
  return `version: 1\n${lines.join('\n')}\nmodel: *l${depth}\n`;
});

/** Deep nesting in flow and block style. */
const deep = fc.record({ depth: fc.integer({ min: 1, max: 20_000 }), block: fc.boolean() }).map(({ depth, block }) =>
  // Block nesting costs indentation: 400 levels are 80 kB of spaces (one 2 000-level case is in hostileSpecs.test.ts).
  block ? Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') : `model: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);

describe('the spec parser and checks on hostile text', () => {
  it('arbitrary strings, binary included (12 000 cases)', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 })), exercise), { numRuns: 12_000, seed: 911 });
    counts['arbitrary strings'] = 12_000;
  });

  it('YAML punctuation soups (8 000 cases)', () => {
    fc.assert(fc.property(soup, exercise), { numRuns: 8_000, seed: 912 });
    counts['YAML soups'] = 8_000;
  });

  it('mutated real specs (10 000 cases)', () => {
    fc.assert(fc.property(fc.nat({ max: examples.length - 1 }), mutations, (i, ms) => {
      exercise(mutateBytes(Buffer.from(examples[i]!, 'utf8'), ms).toString('utf8'));
    }), { numRuns: 10_000, seed: 913 });
    counts['mutated real specs'] = 10_000;
  });

  it('alias bombs and deep nesting (1 200 cases)', () => {
    fc.assert(fc.property(bomb, exercise), { numRuns: 600, seed: 914 });
    fc.assert(fc.property(deep, exercise), { numRuns: 600, seed: 915 });
    counts['alias bombs, deep nesting'] = 1_200;
  });

  it('huge documents: 5 MB of keys, a 1 MB line, a billion-laughs bomb', () => {
    const many = `${SPEC_V1}\n${Array.from({ length: 150_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`;
    exercise(many);
    exercise(`name: ${'x'.repeat(2 ** 20)}\n${SPEC_V1}`);
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, k) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[k]}`).join(',')}]`)].join('\n');
    const parsed = parseSpec(laughs);
    expect(parsed.diagnostics.map((d) => d.message).join('\n')).toMatch(/aliases expand too far/);
    counts['huge documents'] = 3;
  });

  it('writes the case count', () => {
    recordCount('spec', counts);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(31_000);
  });
});
