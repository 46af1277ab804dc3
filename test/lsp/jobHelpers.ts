/**
 * Helpers for the queue and fault tests over the real protocol: a temp copy of the stock example, jobs sent with
 * a client work-done token (as the extension sends them) and cancelled through request cancellation, the worker
 * pid the server logs, and the run folders visible on disk.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import type { RunResult } from '../../protocol/protocol';
import { fileUri, root, type ProgressEvent, type TestClient } from './lspClient';

export const EXAMPLE_SPEC = readFileSync(join(root, 'examples/stock-price/stock-price.xai.yaml'), 'utf8');

/** A temp folder with `data/stocks.csv` (the real file) and `stock-price/` for specs that read `../data/stocks.csv`. */
export function stockWorkspace(prefix: string): { dir: string; csv: string; spec(name: string, epochs: number, edit?: (t: string) => string): SpecFile } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'stock-price'));
  mkdirSync(join(dir, 'data'));
  const csv = join(dir, 'data/stocks.csv');
  copyFileSync(join(root, 'examples/data/stocks.csv'), csv);
  return {
    dir, csv,
    spec(name, epochs, edit = (t) => t) {
      const path = join(dir, 'stock-price', `${name}.xai.yaml`);
      const text = edit(EXAMPLE_SPEC.replace(/epochs: \d+/, `epochs: ${epochs}`));
      writeFileSync(path, text);
      return { path, uri: fileUri(path), text, runsDir: join(dir, 'stock-price/.xai/runs', name) };
    },
  };
}

export interface SpecFile { path: string; uri: string; text: string; runsDir: string }

let tokens = 0;

/** A train/explain request in flight, with its own progress token and a way to cancel the request. */
export interface SentJob {
  token: string;
  result: Promise<RunResult>;
  cancel(): void;
  /** This job's progress events so far. */
  events(): ProgressEvent['value'][];
  /** Resolves with the first of this job's progress events that passes `test`. */
  progress(test: (v: ProgressEvent['value']) => boolean): Promise<ProgressEvent['value']>;
  /** The worker's pid, once the server logs it. */
  pid(): Promise<number>;
}

/** Sends `xai/train` (or explain) for `spec` with a client work-done token, as the extension does. */
export function send(client: TestClient, kind: 'train' | 'explain', spec: SpecFile): SentJob {
  const token = `test-${kind}-${++tokens}`;
  const source = new CancellationTokenSource();
  const logFrom = client.logs.all.length;
  const progressFrom = client.progress.all.length;
  const result = client.connection.sendRequest(`xai/${kind}`, { uri: spec.uri, workDoneToken: token }, source.token) as Promise<RunResult>;
  const mine = (p: ProgressEvent): boolean => p.token === token;
  return {
    token, result,
    cancel: () => source.cancel(),
    events: () => client.progress.all.slice(progressFrom).filter(mine).map((p) => p.value),
    progress: async (test) => (await client.progress.next((p) => mine(p) && test(p.value), progressFrom)).value,
    pid: async () => {
      const started = await client.logs.next((m) => m.message.includes(`started: ${kind} ${spec.path}`), logFrom);
      return Number(/worker pid (\d+)/.exec(started.message)![1]);
    },
  };
}

/** The report of epoch `n` or later of this job. */
export const atEpoch = (n: number) => (v: ProgressEvent['value']): boolean => v.kind === 'report' && Number(/^epoch (\d+)\//.exec(v.message ?? '')?.[1] ?? 0) >= n;

/**
 * Whether the process still runs. A zombie (exited, not yet reaped: an orphan waits for PID 1 to reap it) does not
 * run: it holds no memory and executes nothing.
 */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    // /proc/PID/stat: "pid (comm) STATE …"; comm may hold spaces or parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until the process is gone (polling every 2 ms, at most `limitMs`); returns the ms waited. */
export async function waitGone(pid: number, limitMs = 15_000): Promise<number> {
  const t0 = performance.now();
  while (alive(pid) && performance.now() - t0 < limitMs) await new Promise((r) => setTimeout(r, 2));
  return performance.now() - t0;
}

/** The run folders a user sees (no hidden temp folders), each checked complete; and what `latest` names. */
export function visibleRuns(runsDir: string): { runs: string[]; latest: string | undefined; hidden: string[] } {
  if (!existsSync(runsDir)) return { runs: [], latest: undefined, hidden: [] };
  const names = readdirSync(runsDir);
  const runs = names.filter((n) => !n.startsWith('.') && n !== 'latest' && !n.startsWith('latest.')).sort();
  for (const r of runs) {
    for (const f of ['report.json', 'model/model.json', 'preprocessing.json', 'report.html']) {
      if (!existsSync(join(runsDir, r, f))) throw new Error(`visible run ${r} lacks ${f}`);
    }
  }
  const latest = existsSync(join(runsDir, 'latest')) ? readFileSync(join(runsDir, 'latest'), 'utf8').trim() : undefined;
  return { runs, latest, hidden: names.filter((n) => n.startsWith('.') || n.startsWith('latest.')) };
}

/** Sends `workspace/didChangeConfiguration` with the `xaiPipelines` section. */
export async function configure(client: TestClient, xaiPipelines: object): Promise<void> {
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { xaiPipelines } });
}
