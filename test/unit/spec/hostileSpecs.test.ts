/**
 * Crashes and stalls the fuzz suite (test/fuzz/spec.fuzz.test.ts) found in the spec parser, each held here.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FLOW_NESTING, parseSpec } from '../../../server/src/spec/parse';
import { MAX_SCHEMA_PROBLEMS } from '../../../server/src/spec/schemaErrors';
import { SPEC_V1 } from './fixture';

describe('specs built to exhaust the parser', () => {
  it('refuses bracket nesting beyond the limit before YAML parsing (2 000 levels, parsed three times, ended the process)', () => {
    const deep = `model: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
    for (let k = 0; k < 3; k++) {
      const p = parseSpec(deep);
      expect(p.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-nesting', severity: 'error', range: { start: { line: 0, character: 7 + MAX_FLOW_NESTING }, end: { line: 0, character: 8 + MAX_FLOW_NESTING } } })]);
      expect(p.spec).toBeNull();
    }
    // Brackets inside quotes and comments do not count; a few real levels are fine.
    expect(parseSpec(`${SPEC_V1}# ${'['.repeat(500)}\nx: "${'{'.repeat(500)}"\n`).diagnostics.map((d) => d.code)).toEqual(['unknown-key']);
  });

  it('reports 20 000 unknown keys as the first 100 and one count, in linear time (it took 16 s)', () => {
    const text = `${SPEC_V1}${Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`;
    const p = parseSpec(text);
    expect(p.diagnostics.length).toBe(MAX_SCHEMA_PROBLEMS + 1);
    expect(p.diagnostics.filter((d) => d.code === 'unknown-key').length).toBe(MAX_SCHEMA_PROBLEMS);
    expect(p.diagnostics.find((d) => d.code === 'too-many-problems')!.message).toBe('The spec has 20000 problems with its keys and values; the first 100 are shown.');
  });

  it('still finds duplicate keys (now in one pass of its own), at each repeat', () => {
    const p = parseSpec(`${SPEC_V1}name: again\nseed: 1\nseed: 2\n`);
    expect(p.diagnostics.map((d) => [d.code, d.range.start.line, d.message])).toEqual([
      ['yaml-syntax', 45, 'Map keys must be unique'],
      ['yaml-syntax', 47, 'Map keys must be unique'],
    ]);
  });
});

describe('deep block nesting', () => {
  it('parses 2 000 nested block maps (2 MB of indentation) without a crash', () => {
    const p = parseSpec(Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'));
    expect(p.spec).toBeNull();
    expect(p.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('nothing in a spec or a model file runs', () => {
  it('reads language-specific YAML tags as unknown data, never as code or objects', () => {
    (globalThis as { xaiRan?: boolean }).xaiRan = false;
    const tagged = SPEC_V1.replace('name: stock-price', 'name: !!js/function "function () { globalThis.xaiRan = true; }"')
      .replace('loss: mse', 'loss: !!python/object/apply:os.system ["touch /tmp/xai-pwned"]');
    const p = parseSpec(tagged);
    expect((globalThis as { xaiRan?: boolean }).xaiRan).toBe(false);
    // Each tag is reported where it stands; the values stay plain text that the schema then refuses or checks.
    expect(p.diagnostics.filter((d) => /tag/i.test(d.message)).length).toBeGreaterThanOrEqual(2);
    expect(p.spec).toBeNull();
  });

  it('parses a model file with __proto__ keys without polluting prototypes', async () => {
    const { parseJsonText } = await import('../../../server/src/models/readJsonFile');
    const { modelFromJson } = await import('../../../server/src/models/modelJson');
    const json = parseJsonText('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "format": "x"}', 'evil.json');
    expect(() => modelFromJson(json, 'evil.json')).toThrow(/evil\.json: format is "x"/);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('absurd numbers in the data-aware checks', () => {
  it('a lag count of 1e300 is a located diagnostic, not a crash of the row-count check (found by the semantic fuzz test)', async () => {
    const { checkSpec } = await import('../../../server/src/spec/check');
    const specPath = join(__dirname, '../../../examples/stock-price/stock-price.xai.yaml');
    const text = SPEC_V1.replace('count: 10', 'count: 1e300');
    const parsed = parseSpec(text);
    const all = [...parsed.diagnostics, ...checkSpec(parsed, specPath)];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((d) => d.range.start.line >= 0 && d.message.length > 0)).toBe(true);
  });
});
