/**
 * Starts the XAI Pipelines language server (dist/server/server.js) over Node IPC and connects it to the
 * `xai-pipeline` documents. The client id `xaiPipelines` makes vscode-languageclient read the
 * `xaiPipelines.trace.server` setting by itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const LANGUAGE_ID = 'xai-pipeline';
export const CLIENT_ID = 'xaiPipelines';

/** The options the server reads in `initialize` (`initializationOptions`). */
export interface XaiInitializationOptions {
  /** TensorFlow.js backend preference from the `xaiPipelines.backend` setting. */
  backend: 'auto' | 'wasm' | 'cpu';
}

/** Creates (does not start) the language client. */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const initializationOptions: XaiInitializationOptions = {
    backend: vscode.workspace.getConfiguration('xaiPipelines').get<'auto' | 'wasm' | 'cpu'>('backend', 'auto'),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    outputChannel: output,
    diagnosticCollectionName: LANGUAGE_ID,
    initializationOptions,
    synchronize: {
      // The server re-checks `data.source` when CSV files appear or vanish, and sees setting changes.
      configurationSection: 'xaiPipelines',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{csv,tsv}'),
    },
  };
  return new LanguageClient(CLIENT_ID, 'XAI Pipelines', serverOptions, clientOptions);
}
