/**
 * `xai/runReport` over the real protocol (the built server as a child process): the Report panel's only way to a
 * run. A real run made by the built CLI (the diabetes example: ridge, SHAP, Sobol, PD, decision paths) is served
 * by spec (latest run), by run folder and by its report.json, with explanation.md; missing, broken and foreign
 * folders get a clear message; an untrusted workspace reads nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReportResult } from '../../protocol/protocol';
import { buildServer, fileUri, root, TestClient } from './lspClient';

const tmp = mkdtempSync(join(tmpdir(), 'xai-lsp-report-'));
const spec = join(tmp, 'diabetes/diabetes.xai.yaml');
let runDir: string;
let client: TestClient;

beforeAll(async () => {
  buildServer(['server', 'cli']);
  cpSync(join(root, 'examples/diabetes'), join(tmp, 'diabetes'), { recursive: true, filter: (s) => !s.includes('/.xai') });
  cpSync(join(root, 'examples/data'), join(tmp, 'data'), { recursive: true });
  const out = execFileSync(process.execPath, [join(root, 'dist/cli/xai.js'), 'run', spec], { encoding: 'utf8' });
  runDir = /Report: (.+)\/report\.html/.exec(out)![1]!;
  client = await TestClient.start();
});
afterAll(async () => {
  await client?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const ask = (params: unknown): Promise<RunReportResult> => client.connection.sendRequest('xai/runReport', params) as Promise<RunReportResult>;

describe('xai/runReport', () => {
  it('serves the latest run of a spec, a run folder and its report.json alike, with the explanation report', async () => {
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { runId: string };
    const markdown = readFileSync(join(runDir, 'explanation.md'), 'utf8');
    for (const params of [{ uri: fileUri(spec) }, { runDir: fileUri(runDir) }, { runDir: fileUri(join(runDir, 'report.json')) }]) {
      const r = await ask(params);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.runDir).toBe(runDir);
      expect(r.report.runId).toBe(report.runId);
      expect(r.report.explanations!.map((s) => s.method)).toEqual(['shap', 'integrated_gradients', 'sobol', 'partial_dependence', 'decision_paths', 'sanity_check']);
      expect(r.explanationMarkdown).toBe(markdown);
    }
  });

  it('says why when there is nothing to show', async () => {
    const other = join(tmp, 'diabetes/untrained.xai.yaml');
    writeFileSync(other, readFileSync(spec, 'utf8'));
    expect(await ask({ uri: fileUri(other) })).toEqual({ ok: false, message: 'untrained.xai.yaml has no finished run yet: train it first' });
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(await ask({ runDir: fileUri(empty) })).toEqual({ ok: false, message: `${empty} is not a run folder: it has no readable report.json` });
    writeFileSync(join(empty, 'report.json'), '{"reportVersion": 1,');
    expect(await ask({ runDir: fileUri(empty) })).toMatchObject({ ok: false, message: expect.stringMatching(/report\.json is not valid JSON \(/) });
    writeFileSync(join(empty, 'report.json'), '{"name": "not a report"}');
    expect(await ask({ runDir: fileUri(empty) })).toEqual({ ok: false, message: `${join(empty, 'report.json')} is not an XAI Pipelines run report (version 1)` });
    expect(await ask({ runDir: 'untitled:x' })).toEqual({ ok: false, message: 'the run folder must be a file: URI, got untitled:x' });
    expect(await ask({})).toEqual({ ok: false, message: 'the report needs a spec saved as a file, or a run folder' });
  });

  it('reads no run files in an untrusted workspace (report and decision paths)', async () => {
    const untrusted = await TestClient.start({ initializationOptions: { workspaceTrusted: false } });
    try {
      const r = await untrusted.connection.sendRequest('xai/runReport', { runDir: fileUri(runDir) }) as RunReportResult;
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.message).toMatch(/^This workspace is not trusted/);
      // The Decision Path panel's request reads the run's model and data: refused the same way.
      const p = await untrusted.connection.sendRequest('xai/decisionPath', { uri: fileUri(spec), selector: { by: 'row', row: 0 } }) as { ok: boolean; message?: string };
      expect(p).toEqual({ ok: false, message: expect.stringMatching(/^This workspace is not trusted/) });
    } finally {
      await untrusted.stop();
    }
  });
});
