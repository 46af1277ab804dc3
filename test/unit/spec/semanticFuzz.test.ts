/**
 * Must-show 2 (in-process volume): 10 000+ generated and mutated specs through the whole spec language against
 * the real stock CSV: parse, schema, data-aware checks, run feedback, completion, hover lookup, outline and
 * folding. Properties: nothing throws, every call returns (a hang fails the test by its timeout), every range
 * (diagnostics, quick-fix edits, symbols, completion) lies inside the document, and a spec with no error has
 * a typed model.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunReport } from '../../../protocol/protocol';
import { checkSpec } from '../../../server/src/spec/check';
import { completionsAt } from '../../../server/src/spec/complete';
import { scalarAt } from '../../../server/src/spec/locate';
import { specFoldingRanges, specSymbols, type SpecSymbol } from '../../../server/src/spec/outline';
import { parseSpec } from '../../../server/src/spec/parse';
import { runFeedback, specSha256 } from '../../../server/src/spec/runFeedback';
import { completionData } from '../../../server/src/spec/specData';
import { SPEC_V1 } from './fixture';
import { edits, expectInside, lineLengths, mutate, specObject } from './specArbitraries';

const root = join(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xai-spec-fuzz-'));
mkdirSync(join(dir, 'data'));
mkdirSync(join(dir, 'specs'));
copyFileSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
const specPath = join(dir, 'specs/fuzz.xai.yaml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = JSON.parse(JSON.stringify({
  reportVersion: 1, runId: 'r', createdAt: 'now', spec: { sha256: '' }, data: { sha256: '' }, target: 'price', features: ['price_lag1', 'price_lag2', 'symbol'],
  metrics: { model: { r2: 0.999 } },
  history: Array.from({ length: 30 }, (_, i) => ({ epoch: i + 1, loss: i === 25 ? NaN : 1 / (i + 1), valLoss: Math.abs(i - 10) / 10 })),
  importance: { metric: 'rmse', repeats: 3, features: [{ feature: 'price_lag1', mean: 5, std: 0.1, values: [5, 5.1, 4.9] }, { feature: 'price_lag2', mean: 0, std: 1, values: [1, -1, 0] }, { feature: 'symbol', mean: 0.01, std: 0.1, values: [0, 0.1, -0.07] }] },
})) as RunReport;

let checked = 0;
/** Every engine entry point on one text; throws (failing the property) when a property breaks. */
function exercise(text: string, probe: number): void {
  const lengths = lineLengths(text);
  const parsed = parseSpec(text);
  const diagnostics = [...parsed.diagnostics, ...checkSpec(parsed, specPath)];
  for (const d of diagnostics) {
    if (!d.message || !d.code) throw new Error(`empty diagnostic ${JSON.stringify(d)}`);
    expectInside(text, lengths, d.range, d.code);
    for (const f of d.fixes ?? []) for (const e of f.edits) expectInside(text, lengths, e.range, `${d.code} fix`);
  }
  if (parsed.diagnostics.some((d) => d.severity === 'error') !== (parsed.spec === null)) throw new Error('spec/diagnostics disagree');
  // Feedback against a report that matches this text (so the non-stale path runs) and one that does not.
  for (const sha of [specSha256(text), 'other']) {
    const fb = runFeedback(parsed, { ...report, spec: { ...report.spec, sha256: sha } }, undefined, { specSha256: sha, message: 'training diverged at epoch 3: the loss is NaN; lower it' });
    for (const d of fb.diagnostics) expectInside(text, lengths, d.range, d.code);
    for (const h of fb.hints) expectInside(text, lengths, { start: h.position, end: h.position }, 'inlay hint');
  }
  // Completion, value lookup at a position derived from the probe.
  const line = probe % lengths.length;
  const position = { line, character: Math.floor(probe / lengths.length) % (lengths[line]! + 1) };
  for (const c of completionsAt(text, position, completionData(text, specPath))) expectInside(text, lengths, c.range, `completion ${c.label}`);
  const at = scalarAt(text, position);
  if (at) expectInside(text, lengths, at.range, 'scalarAt');
  const walk = (s: SpecSymbol): void => { expectInside(text, lengths, s.range, 'symbol'); expectInside(text, lengths, s.selectionRange, 'symbol'); s.children.forEach(walk); };
  specSymbols(text).forEach(walk);
  for (const f of specFoldingRanges(text)) if (!(f.startLine < f.endLine && f.endLine < lengths.length)) throw new Error(`fold ${JSON.stringify(f)}`);
  checked++;
}

describe('the spec language on 10 000+ generated and mutated specs', () => {
  it('generated specs (the vocabulary, with real, misspelled and generated columns) never throw and keep ranges in the text', () => {
    fc.assert(fc.property(specObject, fc.nat(), (o, probe) => exercise(stringify(o), probe)), { numRuns: 4000, seed: 3 });
  });

  it('generated specs with corrupted text (insertions, deletions of YAML-significant characters)', () => {
    fc.assert(fc.property(specObject, edits, fc.nat(), (o, es, probe) => exercise(mutate(stringify(o), es), probe)), { numRuns: 3000, seed: 4 });
  });

  it('the founding example, corrupted', () => {
    fc.assert(fc.property(edits, fc.nat(), (es, probe) => exercise(mutate(SPEC_V1, es), probe)), { numRuns: 3000, seed: 5 });
  });

  it('ran at least 10 000 specs in all', () => {
    expect(checked).toBeGreaterThanOrEqual(10_000);
    // The data file is untouched by all of it.
    expect(readFileSync(join(dir, 'data/stocks.csv'), 'utf8')).toBe(readFileSync(join(root, 'examples/data/stocks.csv'), 'utf8'));
  });
});
