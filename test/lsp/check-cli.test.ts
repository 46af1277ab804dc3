/**
 * `xai check SPEC…` (the built CLI as a child process) prints the same diagnostics as the language server, one per
 * line as `file:line:col: severity code message`, for several files at once, and exits 1 when any has an error.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_V1 } from '../unit/spec/fixture';
import { buildServer, root } from './lspClient';
import { makeWorkspace, variant, variants } from './specHelpers';

const ws = makeWorkspace('xai-check-cli-');
const xai = (args: string[]) => spawnSync(process.execPath, [join(root, 'dist/cli/xai.js'), ...args], { cwd: ws.dir, encoding: 'utf8' });

beforeAll(() => buildServer(['cli']));
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

describe('xai check', () => {
  it('checks several specs: errors on stderr, warnings on stdout, exit 1', () => {
    ws.specUri('clean', SPEC_V1);
    ws.specUri('typo', variant('target: price', 'target: prise'));
    ws.specUri('hot', variants([['learning_rate: 0.01', 'learning_rate: 3'], ['batch_size: 16', 'batch_size: 100']]));
    const r = xai(['check', 'specs/clean.xai.yaml', 'specs/typo.xai.yaml', 'specs/hot.xai.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      "specs/typo.xai.yaml:14:11: error unknown-column No column 'prise' (target) in stocks.csv; did you mean 'price'? Columns: symbol, date, price.",
    ]);
    expect(r.stdout.trim().split('\n')).toEqual([
      'specs/hot.xai.yaml:35:18: warning learning-rate-high A learning rate of 3 is above 1: gradient steps this large usually make the loss diverge (NaN); try 0.001 to 0.01.',
      'specs/hot.xai.yaml:38:15: warning batch-exceeds-training A batch of 100 rows is larger than the training part (90 rows): every step is one full batch of 90.',
    ]);
  });

  it('exits 0 when only warnings remain, and 1 for a spec that does not exist', () => {
    expect(xai(['check', 'specs/clean.xai.yaml', 'specs/hot.xai.yaml']).status).toBe(0);
    const missing = xai(['check', 'specs/clean.xai.yaml', 'specs/nope.xai.yaml']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^specs\/nope\.xai\.yaml:1:1: error spec-file-unreadable Cannot read the spec .*nope\.xai\.yaml: ENOENT/);
  });
});
