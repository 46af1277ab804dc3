/**
 * Publishes a spec's diagnostics (parse + schema + data-file check) as the user types: debounced per document,
 * always from the latest text, and dropped when the document changed while they were computed.
 */
import { DiagnosticSeverity, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { byPosition, checkSpec, specDataProfile } from '../spec/check';
import { failedRun, latestRunSync } from '../spec/latestRun';
import { parseSpec, type ParsedSpec, type Severity, type SpecDiagnostic } from '../spec/parse';
import { runFeedback, type SpecInlayHint } from '../spec/runFeedback';
import { dataCheckPathOf, isWorkspaceTrusted, specPathOf, UNTRUSTED_DATA_MESSAGE } from './specDocuments';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** A spec diagnostic as LSP sends it (source `xai-pipelines`; a did-you-mean goes in `data.replacement`, other quick fixes in `data.fixes`). */
export function toLspDiagnostic(d: SpecDiagnostic): Diagnostic {
  const lsp: Diagnostic = { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: 'xai-pipelines', message: d.message };
  if (d.replacement !== undefined || d.fixes?.length) {
    lsp.data = { ...(d.replacement !== undefined ? { replacement: d.replacement } : {}), ...(d.fixes?.length ? { fixes: d.fixes } : {}) };
  }
  return lsp;
}

/**
 * Every diagnostic of a spec's text; `uri` locates the data file (non-file URIs skip that check) and the latest
 * run, whose feedback (`runFeedback.ts`) joins the checks.
 */
export function specDiagnostics(text: string, uri: string): SpecDiagnostic[] {
  return specAnalysis(text, uri).diagnostics;
}

/** The diagnostics and the importance inlay hints of a spec's text (see `specDiagnostics`). */
export function specAnalysis(text: string, uri: string): { diagnostics: SpecDiagnostic[]; hints: SpecInlayHint[] } {
  const parsed = parseSpec(text);
  const path = dataCheckPathOf(uri);
  if (!path) return { diagnostics: byPosition([...parsed.diagnostics, ...untrustedNotice(parsed, uri)]), hints: [] };
  const run = latestRunSync(path);
  const failure = failedRun(path);
  const feedback = run || failure ? runFeedback(parsed, run?.report ?? null, dataSha(parsed, path), failure) : undefined;
  return {
    diagnostics: byPosition([...parsed.diagnostics, ...checkSpec(parsed, path), ...(feedback?.diagnostics ?? [])]),
    hints: feedback?.hints ?? [],
  };
}

/**
 * In an untrusted workspace, one information diagnostic on `data.source` (code `untrusted-workspace`): the spec is
 * checked from its text only, and says why its data checks are missing.
 */
function untrustedNotice(parsed: ParsedSpec, uri: string): SpecDiagnostic[] {
  if (isWorkspaceTrusted() || !specPathOf(uri)) return [];
  const range = parsed.rangeOf(['data', 'source']) ?? parsed.rangeOf(['data', 'source'], 'key');
  if (!range) return [];
  return [{ range, severity: 'information', code: 'untrusted-workspace', message: UNTRUSTED_DATA_MESSAGE }];
}

function dataSha(parsed: ParsedSpec, specPath: string): string | undefined {
  const p = specDataProfile(parsed, specPath);
  return p && !('error' in p) ? p.sha256 : undefined;
}

/** Debounce after an edit, in ms: long enough to skip intermediate keystrokes, short enough to feel immediate. */
export const CHANGE_DEBOUNCE_MS = 150;

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Documents just opened: TextDocuments fires a content change right after the open, which must not delay it. */
  private readonly opening = new Set<string>();
  /** The debounce after an edit; a client may set it (`initializationOptions.diagnosticsDebounceMs`, e.g. 0 for benchmarks). */
  debounceMs = CHANGE_DEBOUNCE_MS;

  constructor(private readonly connection: Connection, private readonly documents: TextDocuments<TextDocument>) {}

  /** Wires the publisher to the document events: open → at once, change → debounced, close → cleared. */
  listen(): void {
    this.documents.onDidOpen((e) => { this.opening.add(e.document.uri); this.schedule(e.document.uri, 0); });
    this.documents.onDidChangeContent((e) => {
      if (this.opening.delete(e.document.uri)) return;
      this.schedule(e.document.uri, this.debounceMs);
    });
    this.documents.onDidClose((e) => this.clear(e.document.uri));
  }

  /** (Re)starts the document's timer: only the last of a burst of edits is computed. */
  schedule(uri: string, delayMs: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => this.publish(uri), delayMs));
  }

  /** Re-publishes every open document (e.g. after a run, when files on disk may have changed). */
  refreshAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
  }

  private publish(uri: string): void {
    this.timers.delete(uri);
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = specDiagnostics(doc.getText(), uri).map(toLspDiagnostic);
    } catch (err) {
      // parseSpec never throws by contract; if it ever does, say so in the log rather than crash the server.
      this.connection.console.error(`diagnostics for ${uri} failed: ${(err as Error).stack ?? String(err)}`);
      return;
    }
    // Stale: the text changed while computing; the newer change has its own timer.
    if (this.documents.get(uri)?.version !== version) return;
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  private clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
