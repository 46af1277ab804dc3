/**
 * Issue 8 over the real protocol: `xai/newPipeline` writes a first spec for a real CSV that checks without errors,
 * `xai/explainModelFile` explains a saved run with its spec and a model copied out of its run on a CSV (after
 * answering `needsData`), and an untrusted workspace checks the spec text only, reads no CSV and runs nothing.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainModelFileResult, NewPipelineResult, RunResult } from '../../protocol/protocol';
import { buildServer, fileUri, root, TestClient } from './lspClient';

const tmp = mkdtempSync(join(tmpdir(), 'xai-lsp-files-'));
let client: TestClient;

beforeAll(async () => {
  buildServer(['server', 'worker', 'cli']);
  cpSync(join(root, 'examples', 'data'), join(tmp, 'data'), { recursive: true });
  mkdirSync(join(tmp, 'iris'));
  cpSync(join(root, 'examples', 'iris', 'iris.xai.yaml'), join(tmp, 'iris', 'iris.xai.yaml'));
  // A saved run (a CART tree on iris), as an earlier Train would have left it.
  execFileSync(process.execPath, [join(root, 'dist', 'cli', 'xai.js'), 'run', join(tmp, 'iris', 'iris.xai.yaml')], { stdio: 'ignore', timeout: 120_000 });
  client = await TestClient.start({ workspaceFolders: [tmp] });
}, 180_000);
afterAll(async () => {
  await client?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function runDirOf(key: string): string {
  const dir = join(tmp, key, '.xai', 'runs', key);
  const id = readFileSync(join(dir, 'latest'), 'utf8').trim();
  return join(dir, id);
}

describe('New Pipeline over the protocol', () => {
  it('guesses Species (categories → classification) for penguins.csv, and the spec checks without errors', async () => {
    const specPath = join(tmp, 'data', 'penguins.xai.yaml');
    const r = await client.connection.sendRequest<NewPipelineResult>('xai/newPipeline', { csvUri: fileUri(join(tmp, 'data', 'penguins.csv')), specUri: fileUri(specPath) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.target).toBe('Species');
    expect(r.task).toBe('classification');
    expect(r.features).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(r.text).toContain('  source: penguins.csv\n');
    writeFileSync(specPath, r.text);
    await client.open(fileUri(specPath), r.text);
    expect((await client.diagnosticsFor(fileUri(specPath), 1)).diagnostics).toEqual([]);
  });

  it('guesses price (numbers → regression) for stocks.csv and leaves the date column out', async () => {
    const r = await client.connection.sendRequest<NewPipelineResult>('xai/newPipeline', { csvUri: fileUri(join(tmp, 'data', 'stocks.csv')), specUri: fileUri(join(tmp, 'stocks.xai.yaml')) });
    expect(r.ok && [r.target, r.task, r.features]).toEqual(['price', 'regression', ['symbol']]);
    expect(r.ok && r.text).toContain('  source: data/stocks.csv\n');
  });
});

describe('Explain Model File over the protocol', () => {
  it('explains the latest run of a spec with that spec (the same run folder, its report rewritten)', async () => {
    const runDir = runDirOf('iris');
    const r = await client.connection.sendRequest<ExplainModelFileResult>('xai/explainModelFile', { uri: fileUri(runDir) });
    expect(r.message).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.runDir).toBe(runDir);
    expect(r.report?.importance?.features.map((f) => f.feature).sort()).toEqual(['petal_length', 'petal_width', 'sepal_length', 'sepal_width']);
  }, 120_000);

  it('asks for a CSV for a model without its run, then explains it on that CSV and writes explanation.md', async () => {
    const modelDir = join(tmp, 'elsewhere', 'model');
    cpSync(join(runDirOf('iris'), 'model'), modelDir, { recursive: true });
    const uri = fileUri(join(modelDir, 'model.json'));
    const asked = await client.connection.sendRequest<ExplainModelFileResult>('xai/explainModelFile', { uri });
    expect(asked).toMatchObject({ ok: false, needsData: true });
    const r = await client.connection.sendRequest<ExplainModelFileResult>('xai/explainModelFile', { uri, dataUri: fileUri(join(tmp, 'data', 'iris.csv')) });
    expect(r.message).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.markdownPath).toBe(join(modelDir, 'explanation.md'));
    const md = readFileSync(r.markdownPath!, 'utf8');
    expect(md).toContain('target: species');
    expect(md).toContain('(150 rows)');
    // The tree splits on the petals: they lead the importance table.
    const firstRow = md.split('\n').find((l) => /^\| (sepal|petal)_/.test(l));
    expect(firstRow).toMatch(/^\| petal_/);
  }, 120_000);

  it('refuses a path that holds no model, saying what to give', async () => {
    const r = await client.connection.sendRequest<ExplainModelFileResult>('xai/explainModelFile', { uri: fileUri(join(tmp, 'data')) });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/no model\.json in .*data: give a run folder/);
  });
});

describe('an untrusted workspace', () => {
  it('checks the spec text only: the misspelled key is reported, the misspelled column is not (no CSV read); nothing runs', async () => {
    const untrusted = await TestClient.start({ workspaceFolders: [tmp], initializationOptions: { workspaceTrusted: false } });
    try {
      const specPath = join(tmp, 'iris', 'untrusted.xai.yaml');
      const text = readFileSync(join(tmp, 'iris', 'iris.xai.yaml'), 'utf8').replace(/^model:/m, 'modle:').replace(/^( {2}target:) species$/m, '$1 speceis');
      expect(text).toContain('speceis');
      writeFileSync(specPath, text);
      await untrusted.open(fileUri(specPath), text);
      const messages = (await untrusted.diagnosticsFor(fileUri(specPath), 1)).diagnostics.map((d) => d.message);
      expect(messages.some((m) => /unknown key 'modle'/i.test(m))).toBe(true);
      expect(messages.some((m) => m.includes('speceis'))).toBe(false);
      // …and says why, on data.source.
      const notice = (await untrusted.diagnosticsFor(fileUri(specPath), 1)).diagnostics.find((d) => d.code === 'untrusted-workspace');
      expect(notice?.message).toMatch(/^Not checked against its data: this workspace is not trusted/);
      expect(notice?.range.start.line).toBe(text.split('\n').findIndex((l) => /^ {2}source:/.test(l)));
      const before = readdirSync(join(tmp, 'iris', '.xai', 'runs', 'iris')).length;
      const train = await untrusted.connection.sendRequest<RunResult>('xai/train', { uri: fileUri(join(tmp, 'iris', 'iris.xai.yaml')) });
      expect(train.ok).toBe(false);
      expect(train.message).toMatch(/not trusted.*reads no data files, trains nothing and writes nothing/);
      const made = await untrusted.connection.sendRequest<NewPipelineResult>('xai/newPipeline', { csvUri: fileUri(join(tmp, 'data', 'wine.csv')), specUri: fileUri(join(tmp, 'data', 'wine.xai.yaml')) });
      expect(made.ok).toBe(false);
      expect(readdirSync(join(tmp, 'iris', '.xai', 'runs', 'iris')).length).toBe(before);
      expect(existsSync(join(tmp, 'data', 'wine.xai.yaml'))).toBe(false);
    } finally {
      await untrusted.stop();
    }
  }, 60_000);
});
