import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../server/src/spec/parse';
import { SPEC_V1 } from './fixture';

const root = join(__dirname, '../../..');
const example = SPEC_V1;

/** The example with one line replaced; fails loudly when the line is not there. */
function edit(from: string, to: string): string {
  expect(example).toContain(from);
  return example.replace(from, to);
}

const brief = (text: string) => parseSpec(text).diagnostics.map((d) => ({
  code: d.code, line: d.range.start.line, from: d.range.start.character, to: d.range.end.character,
  endLine: d.range.end.line, message: d.message,
}));

describe('parseSpec', () => {
  it('parses the real example with no diagnostics', () => {
    const parsed = parseSpec(readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.spec?.name).toBe('stock-price');
    expect(parsed.spec?.preprocessing?.[0]).toEqual({ lags: { column: 'price', count: 10 } });
  });

  it('parses the founding example (v1 fixture) with no diagnostics and applies the defaults', () => {
    const parsed = parseSpec(example);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.spec).toEqual({
      version: 1, name: 'stock-price', task: 'regression',
      data: { source: '../data/stocks.csv', filter: [{ column: 'symbol', equals: 'MSFT' }], sort: { column: 'date', type: 'date' }, target: 'price' },
      preprocessing: [
        { lags: { column: 'price', count: 10 } },
        { split: { method: 'chronological', validation: 0.2 } },
        { standardize: { columns: 'features', target: false } },
      ],
      model: { type: 'mlp', hidden_layers: [{ units: 10, activation: 'relu' }], output_activation: 'linear' },
      training: { optimizer: 'adam', learning_rate: 0.01, loss: 'mse', epochs: 300, batch_size: 16, seed: 42 },
      explanation: [{ permutation_importance: { repeats: 10, split: 'validation', metric: 'rmse' } }],
    });
  });

  it('fills omitted keys with their defaults', () => {
    const spec = parseSpec([
      'version: 1', 'name: tiny', 'data: {source: d.csv, target: y, sort: {column: t}}',
      'preprocessing:', '  - split: {}', '  - standardize: {}',
      'model: {type: mlp, hidden_layers: [{units: 3}]}', 'training: {epochs: 5}', 'explanation:', '  - permutation_importance: {}',
    ].join('\n')).spec;
    expect(spec).not.toBeNull();
    expect(spec!.task).toBe('regression');
    expect(spec!.data.sort).toEqual({ column: 't', type: 'text' });
    expect(spec!.preprocessing).toEqual([{ split: { method: 'chronological', validation: 0.2 } }, { standardize: { columns: 'features', target: false } }]);
    expect(spec!.model).toEqual({ type: 'mlp', hidden_layers: [{ units: 3, activation: 'relu' }], output_activation: 'linear' });
    expect(spec!.training).toEqual({ optimizer: 'adam', learning_rate: 0.001, loss: 'mse', epochs: 5, batch_size: 32, seed: 42 });
    expect(spec!.explanation).toEqual([{ permutation_importance: { repeats: 10, split: 'validation', metric: 'rmse' } }]);
    expect(spec!.data.filter).toBeUndefined();
    expect(spec!.data.features).toBeUndefined();
  });

  it('marks a misspelled key on the key, with a did-you-mean, and does not also call the right key missing', () => {
    expect(brief(edit('  target: price', '  targt: price'))).toEqual([
      { code: 'unknown-key', line: 13, from: 2, to: 7, endLine: 13, message: "Unknown key 'targt' in 'data'; did you mean 'target'?" },
    ]);
  });

  it('carries the did-you-mean as a replacement for quick fixes', () => {
    expect(parseSpec(edit('  target: price', '  targt: price')).diagnostics[0]?.replacement).toBe('target');
    expect(parseSpec(edit('optimizer: adam', 'optimizer: adamw')).diagnostics[0]?.replacement).toBe('adam');
    expect(parseSpec(edit('epochs: 300', 'epochs: lots')).diagnostics[0]?.replacement).toBeUndefined();
  });

  it('lists the known keys when an unknown key is not close to any', () => {
    expect(brief(edit('  seed: 42', '  seed: 42\n  colour: red'))).toEqual([
      { code: 'unknown-key', line: 39, from: 2, to: 8, endLine: 39,
        message: "Unknown key 'colour' in 'training'; expected one of: optimizer, learning_rate, loss, epochs, batch_size, seed, momentum, learning_rate_decay, early_stopping, class_weight." },
    ]);
  });

  it('resolves a single-key step by its key: a misspelled step is one diagnostic on its key', () => {
    expect(brief(edit('  - standardize:', '  - standardise:'))).toEqual([
      { code: 'unknown-key', line: 22, from: 4, to: 15, endLine: 22, message: "Unknown key 'standardise' in 'preprocessing[2]'; did you mean 'standardize'?" },
    ]);
  });

  it('marks a value of the wrong type on the value', () => {
    expect(brief(edit('epochs: 300', 'epochs: lots'))).toEqual([
      { code: 'wrong-type', line: 36, from: 10, to: 14, endLine: 36, message: "'training.epochs' must be a whole number, not the text \"lots\"." },
    ]);
    expect(brief(edit('epochs: 300', 'epochs: 12.5'))[0]).toMatchObject({ code: 'wrong-type', message: "'training.epochs' must be a whole number, not 12.5." });
  });

  it('marks an enum value and an out-of-range number on the value', () => {
    expect(brief(edit('optimizer: adam', 'optimizer: adamw'))).toEqual([
      { code: 'invalid-value', line: 33, from: 13, to: 18, endLine: 33, message: "'training.optimizer' must be one of adam, sgd, rmsprop, not the text \"adamw\"; did you mean 'adam'?" },
    ]);
    expect(brief(edit('validation: 0.2', 'validation: 1.5'))).toEqual([
      { code: 'invalid-value', line: 21, from: 18, to: 21, endLine: 21, message: "'preprocessing[1].split.validation' must be less than 1, not 1.5." },
    ]);
    expect(brief(edit('      count: 10', '      count: 0'))).toEqual([
      { code: 'invalid-value', line: 18, from: 13, to: 14, endLine: 18, message: "'preprocessing[0].lags.count' must be at least 1, not 0." },
    ]);
  });

  it('marks a missing key on its parent key, and at the top level on the first line', () => {
    expect(brief(edit('      column: price\n      count: 10', '      column: price'))).toEqual([
      { code: 'missing-key', line: 16, from: 4, to: 8, endLine: 16, message: "Missing required key 'count' in 'preprocessing[0].lags'." },
    ]);
    expect(brief(edit('name: stock-price\n', ''))).toEqual([
      { code: 'missing-key', line: 0, from: 0, to: example.indexOf('\n'), endLine: 0, message: "Missing required key 'name' in the spec." },
    ]);
  });

  it('reports an empty section once, on its key', () => {
    expect(brief('version: 1\nname: x\ndata:\nmodel: {type: mlp, hidden_layers: [{units: 1}]}\ntraining: {}\n')).toEqual([
      { code: 'wrong-type', line: 2, from: 0, to: 4, endLine: 2, message: "'data' must be a map of keys (key: value), not empty." },
    ]);
  });

  it('reports a step with two keys once, on the second key', () => {
    expect(brief(edit('  - split:', '    split:'))).toEqual([
      { code: 'invalid-value', line: 19, from: 4, to: 9, endLine: 19,
        message: "A preprocessing step has exactly one key, but this one has 2 (lags, split); start each step with '- '." },
    ]);
  });

  it('folds anyOf branches into one diagnostic', () => {
    expect(brief(edit('columns: features', 'columns: 5'))).toEqual([
      { code: 'invalid-value', line: 23, from: 15, to: 16, endLine: 23,
        message: "'preprocessing[2].standardize.columns' must be features (all model inputs) or a list of column names, not 5." },
    ]);
  });

  it('names an unsupported version', () => {
    expect(brief(edit('version: 1', 'version: 2'))).toEqual([
      { code: 'invalid-value', line: 1, from: 9, to: 10, endLine: 1, message: 'Unsupported spec version 2; this version of XAI Pipelines reads version 1.' },
    ]);
  });

  it('reports YAML syntax errors at their position and no schema noise', () => {
    const d = brief('version: 1\nname: [unclosed\n');
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x) => x.code === 'yaml-syntax')).toBe(true);
    expect(d[0]!.line).toBe(2);
    const dup = brief(example + '\nname: again\n');
    expect(dup).toEqual([expect.objectContaining({ code: 'yaml-syntax', line: 46, from: 0, to: 1, message: 'Map keys must be unique' })]);
    expect(parseSpec('version: 1\nname: [unclosed\n').spec).toBeNull();
  });

  it('reports an empty document and a non-map document on the first line', () => {
    expect(brief('')).toEqual([{ code: 'wrong-type', line: 0, from: 0, to: 0, endLine: 0, message: 'The spec is empty; it needs the keys version, name, data, model and training.' }]);
    expect(brief('- a\n- b\n')[0]).toMatchObject({ code: 'wrong-type', line: 0, from: 0, to: 3, message: 'The spec must be a map of keys (version, name, data, …), not a list.' });
  });

  it('turns a billion-laughs document into an error instead of a hang', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(10).fill('*' + prev).join(', ')}]`);
    }
    const parsed = parseSpec(levels.join('\n') + '\n');
    expect(parsed.spec).toBeNull();
    expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-aliases', severity: 'error' })]);
    expect(parsed.diagnostics[0]!.message).toMatch(/aliases expand too far/);
  });

  it('gives ranges of keys and values by path', () => {
    const parsed = parseSpec(example);
    expect(parsed.rangeOf(['preprocessing', 0, 'lags'], 'key')).toEqual({ start: { line: 16, character: 4 }, end: { line: 16, character: 8 } });
    expect(parsed.rangeOf(['data', 'source'])).toEqual({ start: { line: 6, character: 10 }, end: { line: 6, character: 28 } });
    expect(parsed.rangeOf(['nope'])).toBeUndefined();
  });
});
