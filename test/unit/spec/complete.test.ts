import { describe, expect, it } from 'vitest';
import { completionsAt } from '../../../server/src/spec/complete';

const labels = (text: string, line: number, character: number) =>
  completionsAt(text, { line, character }).map((c) => [c.label, c.insertText, c.range.start.character, c.range.end.character]);

describe('completionsAt', () => {
  it('offers the keys of the enclosing map that are not written yet', () => {
    expect(labels('version: 1\nname: x\ntraining:\n  optimizer: adam\n  \n', 4, 2)).toEqual([
      ['learning_rate', 'learning_rate: ', 2, 2], ['loss', 'loss: ', 2, 2], ['epochs', 'epochs: ', 2, 2],
      ['batch_size', 'batch_size: ', 2, 2], ['seed', 'seed: ', 2, 2],
      ['momentum', 'momentum: ', 2, 2], ['learning_rate_decay', 'learning_rate_decay:', 2, 2], ['early_stopping', 'early_stopping:', 2, 2],
      ['class_weight', 'class_weight: ', 2, 2],
    ]);
  });

  it('replaces the part of the key already typed, and finds the map by indentation', () => {
    expect(labels('preprocessing:\n  - lags:\n      column: p\n      co\n', 3, 8)).toEqual([['count', 'count: ', 6, 8], ['group_by', 'group_by: ', 6, 8], ['horizon', 'horizon: ', 6, 8]]);
  });

  it('offers the step kinds on a new list item, without a trailing space for maps', () => {
    const items = labels('version: 1\npreprocessing:\n  - lags: {column: p, count: 2}\n  - \n', 3, 4);
    expect(items.slice(0, 3)).toEqual([['lags', 'lags:', 4, 4], ['split', 'split:', 4, 4], ['standardize', 'standardize:', 4, 4]]);
    expect(items).toHaveLength(2 * 17); // 17 step kinds (server/src/spec/dataSteps.ts adds 14), each a key and a snippet
    expect(items).toEqual(expect.arrayContaining([
      ['impute', 'impute:', 4, 4], ['one_hot', 'one_hot:', 4, 4],
      // Snippets: the whole step with its defaults as tab stops, indented under the step's key.
      ['lags …', 'lags:\n      column: ${1:price}\n      count: ${2:10}', 4, 4],
      ['split …', 'split:\n      method: ${1:chronological}\n      validation: ${2:0.2}', 4, 4],
      ['standardize …', 'standardize:\n      columns: ${1:features}', 4, 4],
    ]));
  });

  it('offers the allowed values of an enum, a boolean and an anyOf', () => {
    expect(labels('training:\n  optimizer: ad\n', 1, 15)).toEqual([['adam', 'adam', 13, 15], ['sgd', 'sgd', 13, 15], ['rmsprop', 'rmsprop', 13, 15]]);
    expect(labels('preprocessing:\n  - standardize:\n      target: \n', 2, 14).map((x) => x[0])).toEqual(['true', 'false']);
    expect(labels('preprocessing:\n  - standardize:\n      columns: \n', 2, 15).map((x) => x[0])).toEqual(['features']);
  });

  it('offers column names where a column is expected; for features also lag columns, without the target or listed ones', () => {
    const data = { columns: [{ name: 'symbol' }, { name: 'date' }, { name: 'price' }] };
    const at = (text: string, line: number, character: number) => completionsAt(text, { line, character }, data).map((c) => [c.label, c.range.start.character, c.range.end.character]);
    expect(at('data:\n  target: pr\n', 1, 12)).toEqual([['symbol', 10, 12], ['date', 10, 12], ['price', 10, 12]]);
    expect(at('data:\n  sort:\n    column: \n', 2, 12)).toEqual([['symbol', 12, 12], ['date', 12, 12], ['price', 12, 12]]);
    const spec = 'data:\n  target: price\n  features:\n    - sy\npreprocessing:\n  - lags: {column: price, count: 2}\n';
    expect(at(spec, 3, 8)).toEqual([['symbol', 6, 8], ['date', 6, 8], ['price_lag1', 6, 8], ['price_lag2', 6, 8]]);
    // Inside a flow list, half-typed: not the target, not a feature listed already.
    expect(at('data:\n  target: price\n  features: [symbol, da', 2, 23).map((x) => x[0])).toEqual(['date']);
  });

  it('offers folders and CSV files for data.source, relative to the typed folder', () => {
    const listDir = (dir: string) => (dir === '../' ? [{ name: 'data', isDirectory: true }, { name: 'notes.md', isDirectory: false }, { name: 'b.csv', isDirectory: false }] : []);
    const got = completionsAt('data:\n  source: ../', { line: 1, character: 13 }, { listDir }).map((c) => [c.label, c.kind, c.insertText]);
    expect(got).toEqual([['data/', 'folder', '../data/'], ['b.csv', 'file', '../b.csv'], ['../', 'folder', '../../']]);
  });

  it('offers a model section per model family as a snippet at the top level', () => {
    const model = completionsAt('version: 1\nmo', { line: 1, character: 2 }).filter((c) => c.kind === 'snippet');
    expect(model.map((c) => c.label)).toContain('model: mlp …');
    expect(model.find((c) => c.label === 'model: mlp …')!.insertText).toBe('model:\n  type: ${1:mlp}\n  hidden_layers:\n    - units: ${2:10}\n      activation: ${3:relu}');
  });

  it('offers nothing inside free text or comments', () => {
    expect(labels('name: my pipe', 0, 13)).toEqual([]);
    expect(labels('# a comment', 0, 5)).toEqual([]);
  });
});
