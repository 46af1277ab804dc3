/**
 * A minimal LSP client for tests: spawns the built server (`dist/server/server.js --stdio`) as a child process and
 * speaks the real protocol to it with vscode-languageserver-protocol. It records what a client would see:
 * published diagnostics, log messages, shown messages, work-done progress and custom notifications.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  InitializedNotification, InitializeRequest, LogMessageNotification, PublishDiagnosticsNotification,
  ShowMessageNotification, WorkDoneProgressCreateRequest, type LogMessageParams,
  type PublishDiagnosticsParams, type ShowMessageParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export const root = join(__dirname, '../..');

/** Builds the bundles the server needs (the server, and the worker it forks). */
export function buildServer(targets: string[] = ['server', 'worker']): void {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), ...targets], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}${r.stdout}`);
}

export const fileUri = (path: string): string => pathToFileURL(path).href;

interface Waiter<T> { test: (v: T) => boolean; resolve: (v: T) => void }

/** Values that arrive over time, with a way to wait for the first one that matches. */
class Stream<T> {
  readonly all: T[] = [];
  private waiters: Waiter<T>[] = [];
  push(v: T): void {
    this.all.push(v);
    this.waiters = this.waiters.filter((w) => (w.test(v) ? (w.resolve(v), false) : true));
  }
  /** The first value (already seen after `from`, or yet to come) that passes `test`. */
  next(test: (v: T) => boolean, from = 0): Promise<T> {
    const seen = this.all.slice(from).find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

export interface ProgressEvent { token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number; cancellable?: boolean } }

export class TestClient {
  readonly diagnostics = new Stream<PublishDiagnosticsParams>();
  readonly logs = new Stream<LogMessageParams>();
  readonly shown = new Stream<ShowMessageParams>();
  readonly progress = new Stream<ProgressEvent>();
  readonly notifications = new Stream<{ method: string; params: unknown }>();
  readonly stderr: string[] = [];
  private versions = new Map<string, number>();

  private constructor(readonly process: ChildProcess, readonly connection: ProtocolConnection) {}

  /** Spawns the server, initializes it (with work-done progress support) and returns the client. */
  static async start(init: { workspaceFolders?: string[]; initializationOptions?: unknown } = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [join(root, 'dist/server/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, connection);
    child.stderr!.on('data', (b: Buffer) => client.stderr.push(b.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => client.diagnostics.push(p));
    connection.onNotification(LogMessageNotification.type, (p) => client.logs.push(p));
    connection.onNotification(ShowMessageNotification.type, (p) => client.shown.push(p));
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    // Progress tokens are made by the server, so every $/progress is "unhandled" by token here.
    (connection as unknown as MessageConnection).onUnhandledProgress((p) => client.progress.push(p as ProgressEvent));
    connection.onUnhandledNotification((m) => client.notifications.push({ method: m.method, params: m.params }));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null,
      workspaceFolders: init.workspaceFolders?.map((dir) => ({ uri: fileUri(dir), name: basename(dir) })) ?? null,
      ...(init.initializationOptions !== undefined ? { initializationOptions: init.initializationOptions } : {}),
      capabilities: { window: { workDoneProgress: true }, textDocument: { codeLens: {}, publishDiagnostics: {} } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'xai-pipeline', version: 1, text },
    });
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The diagnostics published for `uri` at `version` (or for any version when omitted) from now on or already. */
  diagnosticsFor(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.next((p) => p.uri === uri && (version === undefined || p.version === version));
  }

  /** Shuts the server down politely, then makes sure the process is gone. */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.connection.sendNotification('exit');
    } catch { /* already gone */ }
    this.connection.dispose();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await Promise.race([new Promise((r) => this.process.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    }
  }
}
