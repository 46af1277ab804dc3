import { describe, expect, it } from 'vitest';
import { completionsAt } from '../../../server/src/spec/complete';

const labels = (text: string, line: number, character: number) =>
  completionsAt(text, { line, character }).map((c) => [c.label, c.insertText, c.range.start.character, c.range.end.character]);

describe('completionsAt', () => {
  it('offers the keys of the enclosing map that are not written yet', () => {
    expect(labels('version: 1\nname: x\ntraining:\n  optimizer: adam\n  \n', 4, 2)).toEqual([
      ['learning_rate', 'learning_rate: ', 2, 2], ['loss', 'loss: ', 2, 2], ['epochs', 'epochs: ', 2, 2],
      ['batch_size', 'batch_size: ', 2, 2], ['seed', 'seed: ', 2, 2],
    ]);
  });

  it('replaces the part of the key already typed, and finds the map by indentation', () => {
    expect(labels('preprocessing:\n  - lags:\n      column: p\n      co\n', 3, 8)).toEqual([['count', 'count: ', 6, 8], ['group_by', 'group_by: ', 6, 8]]);
  });

  it('offers the step kinds on a new list item, without a trailing space for maps', () => {
    expect(labels('version: 1\npreprocessing:\n  - lags: {column: p, count: 2}\n  - \n', 3, 4)).toEqual([
      ['lags', 'lags:', 4, 4], ['split', 'split:', 4, 4], ['standardize', 'standardize:', 4, 4],
    ]);
  });

  it('offers the allowed values of an enum, a boolean and an anyOf', () => {
    expect(labels('training:\n  optimizer: ad\n', 1, 15)).toEqual([['adam', 'adam', 13, 15], ['sgd', 'sgd', 13, 15], ['rmsprop', 'rmsprop', 13, 15]]);
    expect(labels('preprocessing:\n  - standardize:\n      target: \n', 2, 14).map((x) => x[0])).toEqual(['true', 'false']);
    expect(labels('preprocessing:\n  - standardize:\n      columns: \n', 2, 15).map((x) => x[0])).toEqual(['features']);
  });

  it('offers nothing inside free text or comments', () => {
    expect(labels('name: my pipe', 0, 13)).toEqual([]);
    expect(labels('# a comment', 0, 5)).toEqual([]);
  });
});
