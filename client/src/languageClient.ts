/**
 * Starts the XAI Pipelines language server (dist/server/server.js) over Node IPC and connects it to the
 * `xai-pipeline` documents. The client id `xaiPipelines` makes vscode-languageclient read the
 * `xaiPipelines.trace.server` setting by itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';

export const LANGUAGE_ID = 'xai-pipeline';
export const CLIENT_ID = 'xaiPipelines';

/** The options the server reads in `initialize` (`initializationOptions`). */
export interface XaiInitializationOptions {
  /** TensorFlow.js backend preference from the `xaiPipelines.backend` setting. */
  backend: 'auto' | 'wasm' | 'cpu';
  /** `xaiPipelines.worker.*`: the worker's heap limit (MB, 0 = Node's own) and hang watchdog (s, 0 = off). */
  worker: { memoryLimitMb: number; watchdogSeconds: number };
  /** `xaiPipelines.explain.maxRows`: rows per split the explanations may use (0 = all). */
  explain: { maxRows: number };
  /** `xaiPipelines.runsFolder`: where run folders go, relative to each spec's folder or absolute. */
  runsFolder: string;
  /** `xaiPipelines.data.allowOutsideWorkspace`: read data sources outside the workspace folders (off: refused). */
  data: { allowOutsideWorkspace: boolean };
  /** Workspace Trust: untrusted, the server checks the spec text only (no data or run files read, nothing run). */
  workspaceTrusted: boolean;
}

/** Creates (does not start) the language client. */
/** `middleware`: e.g. the status bar's view of the jobs' work-done progress. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel, middleware?: Middleware): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const config = vscode.workspace.getConfiguration('xaiPipelines');
  const initializationOptions: XaiInitializationOptions = {
    backend: config.get<'auto' | 'wasm' | 'cpu'>('backend', 'auto'),
    // Defaults as in package.json's contributes.configuration and the server's DEFAULT_RUN_SETTINGS.
    worker: { memoryLimitMb: config.get<number>('worker.memoryLimitMb', 4096), watchdogSeconds: config.get<number>('worker.watchdogSeconds', 120) },
    explain: { maxRows: config.get<number>('explain.maxRows', 10_000) },
    runsFolder: config.get<string>('runsFolder', '.xai/runs'),
    data: { allowOutsideWorkspace: config.get<boolean>('data.allowOutsideWorkspace', false) },
    workspaceTrusted: vscode.workspace.isTrusted,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    outputChannel: output,
    diagnosticCollectionName: LANGUAGE_ID,
    initializationOptions,
    ...(middleware ? { middleware } : {}),
    synchronize: {
      // The server re-checks `data.source` when CSV files appear or vanish, and sees setting changes.
      configurationSection: 'xaiPipelines',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{csv,tsv,parquet,pq}'),
    },
  };
  return new LanguageClient(CLIENT_ID, 'XAI Pipelines', serverOptions, clientOptions);
}
