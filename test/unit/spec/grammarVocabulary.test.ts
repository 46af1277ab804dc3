/**
 * The TextMate grammar (syntaxes/xai-pipeline.tmLanguage.json) highlights the spec's own vocabulary; the schema is
 * the one source of truth for it. This keeps them in step: every preprocessing step, explanation method, model
 * type and task the schema accepts is in the grammar's alternations, and nothing else is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaAt, specSchema } from '../../../server/src/spec/schema';

const grammar = JSON.parse(readFileSync(join(__dirname, '../../../syntaxes/xai-pipeline.tmLanguage.json'), 'utf8')) as {
  repository: Record<string, { match?: string; patterns?: { match: string }[] }>;
};

/** The words of the first `(a|b|c)` group after the lookbehind of a grammar pattern. */
function alternation(match: string): string[] {
  const m = /\)\(([\w|]+)\)\(\?=/.exec(match) ?? /^\(\?<!\[\\w-\]\)\(([\w|]+)\)/.exec(match);
  if (!m) throw new Error(`no alternation in ${match}`);
  return m[1]!.split('|').sort();
}
const valuePattern = (lookbehind: string): string[] => {
  const p = grammar.repository['vocabulary-value']!.patterns!.find((x) => x.match.startsWith(lookbehind));
  if (!p) throw new Error(`no value pattern ${lookbehind}`);
  return alternation(p.match);
};
const keys = (node: { properties?: Record<string, unknown> } | undefined): string[] => Object.keys(node?.properties ?? {}).sort();

describe('the grammar and the schema name the same vocabulary', () => {
  it('sections, preprocessing steps and explanation methods', () => {
    expect(alternation(grammar.repository['section-key']!.match!)).toEqual(keys(specSchema));
    expect(alternation(grammar.repository['step-key']!.match!)).toEqual(keys(schemaAt(['preprocessing', 0])));
    expect(alternation(grammar.repository['explainer-key']!.match!)).toEqual(keys(schemaAt(['explanation', 0])));
  });

  it('model types, tasks, activations and optimizers', () => {
    expect(valuePattern('(?<=\\btype:[\\t ])(mlp')).toEqual([...(schemaAt(['model', 'type'])!.enum as string[])].sort());
    expect(valuePattern('(?<=\\btask:')).toEqual([...(schemaAt(['task'])!.enum as string[])].sort());
    expect(valuePattern('(?<=activation:')).toEqual([...(schemaAt(['model', 'hidden_layers', 0, 'activation'])!.enum as string[])].sort());
    expect(valuePattern('(?<=\\boptimizer:')).toEqual([...(schemaAt(['training', 'optimizer'])!.enum as string[])].sort());
  });
});
