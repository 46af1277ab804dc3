/**
 * Issue #9, security: a spec's data source outside the workspace (`../…`, an absolute path, a symbolic link that
 * leads out) is refused by the real language server unless `xaiPipelines.data.allowOutsideWorkspace` is on. The
 * diagnostic says so, the file is not read (no column completion, no profile), and Train refuses.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainRequest } from '../../protocol/protocol';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, fileUri, root, TestClient } from './lspClient';

const base = mkdtempSync(join(tmpdir(), 'xai-data-access-'));
const ws = join(base, 'workspace');
const outside = join(base, 'outside');
let client: TestClient;

beforeAll(async () => {
  for (const d of [join(ws, 'specs'), join(ws, 'data'), outside]) mkdirSync(d, { recursive: true });
  copyFileSync(join(root, 'examples/data/stocks.csv'), join(ws, 'data/stocks.csv'));
  copyFileSync(join(root, 'examples/data/stocks.csv'), join(outside, 'stocks.csv'));
  symlinkSync(join(outside, 'stocks.csv'), join(ws, 'data/linked.csv'));
  symlinkSync(outside, join(ws, 'data/linked-dir'));
  buildServer(['server']);
  client = await TestClient.start({ workspaceFolders: [ws] });
});
afterAll(async () => {
  await client?.stop();
  rmSync(base, { recursive: true, force: true });
});

const specWith = (source: string): string => SPEC_V1.replace(/source: .*/, `source: ${source}`);
let n = 0;
async function diagnose(source: string): Promise<{ uri: string; codes: string[]; messages: string[] }> {
  const path = join(ws, 'specs', `s${n++}.xai.yaml`);
  writeFileSync(path, specWith(source));
  const uri = fileUri(path);
  await client.open(uri, specWith(source));
  const { diagnostics } = await client.diagnosticsFor(uri, 1);
  return { uri, codes: diagnostics.map((d) => String(d.code)), messages: diagnostics.map((d) => d.message) };
}

describe('data sources outside the workspace', () => {
  it('reads a source inside the workspace as before', async () => {
    expect((await diagnose('../data/stocks.csv')).codes).toEqual([]);
  });

  it('refuses ../, absolute paths and symbolic links that lead out, and says how to allow them', async () => {
    for (const source of ['../../outside/stocks.csv', join(outside, 'stocks.csv'), '../data/linked.csv', '../data/linked-dir/stocks.csv', '/etc/passwd']) {
      const { codes, messages } = await diagnose(source);
      expect(codes, source).toEqual(['data-outside-workspace']);
      expect(messages[0], source).toMatch(/is outside the workspace \(.+\); XAI Pipelines reads data only inside the workspace folders unless the setting xaiPipelines\.data\.allowOutsideWorkspace is on\.$/);
    }
  });

  it('refuses to train on it, naming the reason', async () => {
    const { uri } = await diagnose('../../outside/stocks.csv');
    const result = await client.connection.sendRequest(TrainRequest, { uri });
    expect(JSON.stringify(result)).toMatch(/outside the workspace/);
  });

  it('allows them once the setting is on, and refuses again when it is off', async () => {
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { xaiPipelines: { data: { allowOutsideWorkspace: true } } } });
    expect((await diagnose('../../outside/stocks.csv')).codes).toEqual([]);
    expect((await diagnose('../data/linked.csv')).codes).toEqual([]);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { xaiPipelines: { data: { allowOutsideWorkspace: false } } } });
    expect((await diagnose('../data/linked.csv')).codes).toEqual(['data-outside-workspace']);
  });
});
