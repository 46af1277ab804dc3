import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpec, loadSpecFile } from '../../../server/src/spec/check';
import { parseSpec } from '../../../server/src/spec/parse';
import { SPEC_V1 } from './fixture';

const root = join(__dirname, '../../..');
const exampleText = SPEC_V1;
const tmp = mkdtempSync(join(tmpdir(), 'xai-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('checkSpec and loadSpecFile', () => {
  it('accepts the example where it lives (its data is ../data/stocks.csv)', () => {
    const specPath = join(root, 'examples/stock-price/stock-price.xai.yaml');
    expect(checkSpec(parseSpec(readFileSync(specPath, 'utf8')), specPath)).toEqual([]);
    const { parsed, diagnostics } = loadSpecFile(specPath);
    expect(diagnostics).toEqual([]);
    expect(parsed.spec?.name).toBe('stock-price');
  });

  it('reports a missing data file on the source value, resolved against the spec folder', () => {
    const dir = join(tmp, 'alone');
    mkdirSync(dir);
    const specPath = join(dir, 'stock-price.xai.yaml');
    writeFileSync(specPath, exampleText);
    const { parsed, diagnostics } = loadSpecFile(specPath);
    expect(diagnostics).toEqual([{
      range: { start: { line: 6, character: 10 }, end: { line: 6, character: 28 } }, severity: 'error', code: 'data-file-missing',
      message: `Data file '../data/stocks.csv' does not exist (looked for ${join(tmp, 'data/stocks.csv')}).`,
    }]);
    expect(parsed.spec).toBeNull();
  });

  it('finds the data when the same relative layout is copied', () => {
    mkdirSync(join(tmp, 'copy/stock-price'), { recursive: true });
    mkdirSync(join(tmp, 'copy/data'));
    copyFileSync(join(root, 'examples/data/stocks.csv'), join(tmp, 'copy/data/stocks.csv'));
    writeFileSync(join(tmp, 'copy/stock-price/s.xai.yaml'), exampleText);
    expect(loadSpecFile(join(tmp, 'copy/stock-price/s.xai.yaml')).diagnostics).toEqual([]);
  });

  it('reports a folder or an unreadable file as the data source', () => {
    const specPath = join(tmp, 'copy/stock-price/s.xai.yaml');
    const folder = checkSpec(parseSpec(exampleText.replace('../data/stocks.csv', '../data')), specPath);
    expect(folder.map((d) => [d.code, d.message])).toEqual([['data-file-missing', `Data file '../data' is not a file (looked for ${join(tmp, 'copy/data')}).`]]);
    if (process.getuid?.() !== 0) { // root reads everything
      chmodSync(join(tmp, 'copy/data/stocks.csv'), 0o000);
      expect(checkSpec(parseSpec(exampleText), specPath)[0]?.message).toMatch(/cannot be read \(EACCES\)/);
      chmodSync(join(tmp, 'copy/data/stocks.csv'), 0o644);
    }
  });

  it('checks the data file alongside schema errors, and not when the source is not text', () => {
    const specPath = join(tmp, 'alone/stock-price.xai.yaml');
    const d = loadSpecFile(specPath);
    expect(d.diagnostics.map((x) => x.code)).toEqual(['data-file-missing']);
    expect(checkSpec(parseSpec(exampleText.replace('source: ../data/stocks.csv', 'source: [1]')), specPath)).toEqual([]);
  });

  it('turns an unreadable spec file into a diagnostic', () => {
    const { parsed, diagnostics } = loadSpecFile(join(tmp, 'nope.xai.yaml'));
    expect(parsed.spec).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'spec-file-unreadable', severity: 'error' });
  });
});
