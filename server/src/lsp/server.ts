/**
 * The XAI Pipelines language server: diagnostics and code lenses for `*.xai.yaml` specs, and the custom
 * `xai/*` requests that train, explain and draw them. Started by the extension over IPC (`--node-ipc`) and by
 * tests over stdio (`--stdio`); `createConnection` picks the transport from the command line.
 */
import {
  CodeActionKind, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { specCodeActions } from './codeActions';
import { specCodeLenses } from './codeLens';
import { specCompletions } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { listenDecisionPath } from './decisionPath';
import { listenRunReport } from './runReport';
import { listenFlowGraph } from './flowGraph';
import { specHover } from './hover';
import { specInlayHints } from './inlayHints';
import { listenOutline } from './outline';
import { listenPipelineFiles } from './pipelineFiles';
import { RunService } from './runs';
import { setWorkspaceTrusted, specPathOf } from './specDocuments';
import { setDataAccessPolicy } from '../spec/dataAccess';
import { invalidateDataProfile } from '../spec/dataProfile';
import { invalidateLatestRuns, recordRunOutcome } from '../spec/latestRun';
import type { BackendChoice } from '../worker/jobs';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const diagnostics = new DiagnosticsPublisher(connection, documents);
// After a job the data or runs on disk may have changed: re-check the open specs.
const runs = new RunService(connection, documents, (specPath, result, specText) => {
  // A finished run brings feedback (diverged, over-fitting, importance): re-read runs, re-check, re-draw hints.
  invalidateLatestRuns();
  recordRunOutcome(specPath, result, specText);
  diagnostics.refreshAll();
  void connection.languages.inlayHint.refresh().catch(() => undefined);
}, process.env.XAI_WORKER_PATH || undefined);

const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
/** Takes a backend setting when it is one we know; anything else keeps the current choice. */
function setBackend(value: unknown): void {
  if (BACKENDS.includes(value as BackendChoice)) runs.backend = value as BackendChoice;
}

connection.onInitialize((params): InitializeResult => {
  const options = params.initializationOptions as { diagnosticsDebounceMs?: unknown; backend?: unknown; workspaceTrusted?: unknown; data?: unknown } | undefined;
  // Untrusted (the client says so): diagnostics, completion and hover on the spec text only; no file is read or run.
  setWorkspaceTrusted(options?.workspaceTrusted !== false);
  const debounce = options?.diagnosticsDebounceMs;
  if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0) diagnostics.debounceMs = debounce;
  setBackend(options?.backend);
  runs.applySettings(options);
  workspaceRoots = (params.workspaceFolders ?? []).map((f) => specPathOf(f.uri)).filter((p): p is string => p !== undefined);
  applyDataAccess(options?.data);
  // Where a slow first diagnostic comes from: the process's own start (performance.now() counts from it).
  connection.console.log(`[xai] language server initialized ${performance.now().toFixed(0)} ms after its process started`);
  return initializeResult;
});
// The client syncs the `xaiPipelines` settings section (vscode-languageclient `synchronize.configurationSection`).
connection.onDidChangeConfiguration((p) => {
  const section = (p.settings as { xaiPipelines?: { backend?: unknown } } | null)?.xaiPipelines;
  setBackend(section?.backend);
  runs.applySettings(section);
  applyDataAccess((section as { data?: unknown } | undefined)?.data);
  diagnostics.refreshAll();
});

/** Workspace folders (paths) from `initialize`: data sources must lie inside them (spec/dataAccess.ts). */
let workspaceRoots: string[] = [];
/** `xaiPipelines.data.allowOutsideWorkspace` (initialization options or a settings change) → the data-access policy. */
function applyDataAccess(data: unknown): void {
  const allowOutside = (data as { allowOutsideWorkspace?: unknown } | undefined)?.allowOutsideWorkspace === true;
  setDataAccessPolicy({ roots: workspaceRoots, allowOutside });
}

const initializeResult: InitializeResult = {
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
    codeLensProvider: { resolveProvider: false },
    hoverProvider: true,
    completionProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    definitionProvider: true,
    inlayHintProvider: { resolveProvider: false },
  },
  serverInfo: { name: 'xai-pipelines', version: '0.1.0' },
};

connection.onCodeLens(specCodeLenses);
connection.onHover((p) => specHover(documents, p));
connection.onCompletion((p) => specCompletions(documents, p));
connection.onCodeAction(specCodeActions);
connection.languages.inlayHint.on((p) => specInlayHints(documents, p));
diagnostics.listen();
runs.listen();
listenFlowGraph(connection, documents);
listenPipelineFiles(connection, runs, () => diagnostics.refreshAll());
listenDecisionPath(connection);
listenRunReport(connection);
listenOutline(connection, documents);
// The client watches data files (CSV): a data source that appears, vanishes or changes is re-checked.
connection.onDidChangeWatchedFiles((p) => {
  // Dropped explicitly: an edit that keeps the size within the mtime's resolution would pass the cache's check.
  for (const change of p.changes) {
    const path = specPathOf(change.uri);
    if (path) invalidateDataProfile(path);
  }
  diagnostics.refreshAll();
});
connection.onShutdown(() => runs.cancelAll());

documents.listen(connection);
connection.listen();
