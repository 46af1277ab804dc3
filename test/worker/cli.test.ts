/**
 * The built `xai` CLI as a user runs it: a real process, the real worker, the real CSV.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli/xai.js');

function exampleCopy(edit: (spec: string) => string): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xai-cli-'));
  mkdirSync(join(dir, 'stock-price'));
  mkdirSync(join(dir, 'data'));
  cpSync(join(root, 'examples/data/stocks.csv'), join(dir, 'data/stocks.csv'));
  const spec = join(dir, 'stock-price/stock-price.xai.yaml');
  writeFileSync(spec, edit(readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8')));
  return { dir, spec };
}

const xai = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });

describe('xai CLI', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'worker', 'cli'], { cwd: root, stdio: 'pipe' });
  });

  it('xai run prints progress, model vs baseline, the importance of all 10 lags, the backend and report.html', () => {
    const { dir, spec } = exampleCopy((s) => s.replace(/epochs: \d+/, 'epochs: 20'));
    const r = xai(['run', spec, '--runs', join(dir, 'runs')], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Not a TTY: one line per tenth of the epochs.
    expect(r.stdout.match(/^epoch +\d+\/20 +loss [\d.]+ +val_loss [\d.]+$/gm)).toHaveLength(11);
    expect(r.stdout).toMatch(/│ MLP +│ +\d+\.\d{4} │ +\d+\.\d{4} │ +-?\d+\.\d{4} │/);
    expect(r.stdout).toMatch(/│ baseline: last value \(price_lag1\) │ 1\.7163 +│ 1\.4261 +│ 0\.8338 +│/);
    for (let k = 1; k <= 10; k++) expect(r.stdout).toMatch(new RegExp(`│ +\\d+ │ price_lag${k} +│ +-?\\d+\\.\\d{4} │ +\\d+\\.\\d{4} │`));
    expect(r.stdout).toMatch(/^Backend: wasm /m);
    const html = /^Report: (.+report\.html)$/m.exec(r.stdout)?.[1];
    expect(html).toContain(join(dir, 'runs', 'stock-price'));
    expect(existsSync(html!)).toBe(true);

    const again = xai(['explain', spec, '--runs', join(dir, 'runs'), '--backend', 'wasm'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`Report: ${html}`);
  });

  it('xai run stops a worker that hangs (no heartbeat) after --watchdog seconds, says so, and refuses a watchdog that is not a number', () => {
    const { dir, spec } = exampleCopy((s) => s.replace(/epochs: \d+/, 'epochs: 20'));
    // The worker's test hook (server/src/worker/testHooks.ts) blocks its main thread after epoch 2 of this spec.
    const env = { ...process.env, NODE_ENV: 'test', XAI_WORKER_TEST_HANG: 'stock-price.xai.yaml:2' };
    const r = spawnSync(process.execPath, [cli, 'run', spec, '--runs', join(dir, 'runs'), '--watchdog', '2'], { cwd: dir, encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: The worker hung: it sent no heartbeat for \d+(\.\d)? s during "Epoch 2\/20.*", so the watchdog \(--watchdog = 2\) stopped it; the previous run is intact\.$/m);
    expect(existsSync(join(dir, 'runs', 'stock-price', 'latest'))).toBe(false);
    const bad = xai(['run', spec, '--watchdog', 'soon'], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("error: option '--watchdog <seconds>' argument 'soon' is invalid. expected a number of seconds, 0 or more, not 'soon'");
    const badMemory = xai(['run', spec, '--memory-limit', '0'], dir);
    expect(badMemory.status).toBe(1);
    expect(badMemory.stderr).toContain("argument '0' is invalid. expected a number of MB, 64 or more, not '0'");
  });

  it('xai check and xai run print file:line:col diagnostics and exit 1 on errors', () => {
    const { dir, spec } = exampleCopy((s) => s.replace('epochs: 300', 'epochs: lots').replace('../data/stocks.csv', '../data/nope.csv'));
    const check = xai(['check', 'stock-price/stock-price.xai.yaml'], dir);
    expect(check.status).toBe(1);
    const lines = check.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    // xai check: file:line:col: severity code message (issue 3).
    // The source value's position in the example (1-based line; the value starts after `  source: `).
    const sourceLine = readFileSync(spec, 'utf8').split('\n').findIndex((l) => l.startsWith('  source: ')) + 1;
    expect(lines[0]).toMatch(new RegExp(`^stock-price/stock-price\\.xai\\.yaml:${sourceLine}:11: error data-file-missing .*nope\\.csv`));
    expect(lines[1]).toMatch(/^stock-price\/stock-price\.xai\.yaml:\d+:\d+: error wrong-type .*epochs/);
    const run = xai(['run', spec], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toMatch(/epoch/);
    const ok = exampleCopy((s) => s);
    expect(xai(['check', ok.spec], ok.dir)).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});
