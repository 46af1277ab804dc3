/**
 * The one typed protocol of XAI Pipelines, imported by the client, the server, the worker and the webviews.
 *
 * It holds plain types and string constants only: no `vscode`, no LSP library, no Node module, so that the
 * webview bundle can import it too. Custom LSP methods use the `xai/` prefix; webview messages are
 * discriminated by `type` and validated on receipt (`isWebviewToHostMessage`).
 */

// ---------------------------------------------------------------------------------------------------------------
// Positions (structurally identical to LSP's, zero-based line and UTF-16 character)

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

// ---------------------------------------------------------------------------------------------------------------
// Run report: what `report.json` holds, what the CLI prints and what the panels draw.

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface RegressionMetrics {
  /** Root mean squared error, in the target's units. */
  rmse: number;
  /** Mean absolute error, in the target's units. */
  mae: number;
  /** Coefficient of determination (1 − SSE/SST), unitless. */
  r2: number;
}

/** Classification metrics; precision, recall and F1 are macro averages over the classes. */
export interface ClassificationMetrics {
  /** Fraction of rows whose predicted class (argmax) is the true one. */
  accuracy: number;
  /** Mean over classes of the recall (insensitive to class imbalance). */
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Area under the ROC curve: binary, or one-vs-rest macro average; null when a class has no validation row. */
  rocAuc: number | null;
  /** Mean cross-entropy of the predicted probabilities (natural log, probabilities clipped to [1e-15, 1 − 1e-15]). */
  logLoss: number;
  /** confusion[i][j]: rows of true class i predicted as class j, in `classes` order. */
  confusion: number[][];
  classes: string[];
}

export interface FeatureImportance {
  feature: string;
  /** Mean increase of the metric over the repeats when this feature is permuted (target units for rmse/mae). */
  mean: number;
  /** Standard deviation of that increase over the repeats. */
  std: number;
  /** One increase per repeat. */
  values: number[];
  /** Confidence interval of the mean (Student t over the repeats), at the result's `confidenceLevel`. */
  ci?: [number, number];
  /** For a group of features permuted together: the columns of the group (`feature` is then the group's name). */
  columns?: string[];
}

export interface PermutationImportanceResult {
  method: 'permutation_importance';
  /** Importance is the loss increase: for a higher-is-better metric (r2, accuracy) the score's DECREASE. */
  metric: 'rmse' | 'mae' | 'mse' | 'r2' | 'accuracy' | 'balanced_accuracy' | 'log_loss';
  split: 'validation' | 'train';
  /** Level of each feature's `ci` (e.g. 0.95). */
  confidenceLevel?: number;
  repeats: number;
  /** The metric of the unpermuted data. */
  baselineScore: number;
  /** Sorted by decreasing mean. */
  features: FeatureImportance[];
  /** Model evaluations (rows predicted) spent. */
  evaluations: number;
}

/** One explanation method's result in report.json (full shapes: server/src/explain/sections.ts). */
export interface ExplanationSectionJson {
  method: 'shap' | 'integrated_gradients' | 'sobol' | 'partial_dependence' | 'decision_paths' | 'sanity_check';
  /** Rows the model predicted (gradient rows included). */
  evaluations: number;
  wallMs: number;
  [key: string]: unknown;
}

export interface StepAccount {
  step: string;
  rowsIn: number;
  rowsOut: number;
  detail: string;
  /** Cells filled in by an imputer (all rows). */
  imputed?: number;
  /** Cells moved to a clipping bound. */
  clipped?: number;
  /** Columns the step added, in order. */
  added?: string[];
  /** Columns the step removed, each with its reason. */
  dropped?: { column: string; reason: string }[];
}

export interface EpochRecord { epoch: number; loss: number; valLoss?: number }

export interface RunReport {
  reportVersion: 1;
  runId: string;
  createdAt: string;
  spec: { name: string; path: string; sha256: string };
  /** `rows`: rows left for the model after filters and windows (train + validation + test); the file's own count is the `load` step's. */
  data: { path: string; sha256: string; rows: number; trainRows: number; validationRows: number };
  task: 'regression' | 'classification';
  target: string;
  features: string[];
  /** Classification: the class labels in label-encoding order (the model's outputs). */
  classes?: string[];
  backend: BackendName;
  seed: number;
  /**
   * `layers`: the MLP's dense layers ([] for other families); `parameters`: fitted numbers (a tree: its nodes).
   */
  model: { type: 'mlp' | 'decision_tree' | 'linear_svm' | 'linear_regression' | 'logistic_regression'; layers: { units: number; activation: string }[]; parameters: number };
  metrics: {
    split: 'validation';
    /**
     * Regression: in the target's units. Classification: of the class probabilities against the one-hot
     * truth (so RMSE² is the Brier score divided by the number of classes); see `classification` for the rest.
     */
    model: RegressionMetrics;
    baseline: RegressionMetrics & { name: string };
    /** Classification only: the model and the majority-class baseline (training class frequencies). */
    classification?: { model: ClassificationMetrics; baseline: ClassificationMetrics & { name: string } };
  };
  history: EpochRecord[];
  importance?: PermutationImportanceResult;
  /**
   * Results of the spec's other explanation methods (shap, integrated_gradients, sobol, partial_dependence,
   * decision_paths, sanity_check), in spec order; shapes in server/src/explain/sections.ts.
   */
  explanations?: ExplanationSectionJson[];
  steps: StepAccount[];
  timings: { loadMs: number; preprocessMs: number; trainMs: number; explainMs: number; totalMs: number };
  versions: { xaiPipelines: string; tfjs: string; node: string };
  /**
   * Paths relative to the run folder; `explanation`: the Markdown explanation report, written when the spec
   * lists methods beyond permutation importance.
   */
  artifacts: { model: string; preprocessing: string; report: string; html: string; explanation?: string };
  /**
   * Inputs (spec, data file) edited or deleted on disk while the run went: the run used the snapshot it read at
   * start, whose hashes are `spec.sha256` and `data.sha256`. Absent when nothing changed.
   */
  inputsChangedDuringRun?: { path: string; now: 'modified' | 'deleted' }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Flow graph: the pipeline as a graph, built by the engine from the spec, drawn by the webview with Mermaid.

export type FlowNodeKind = 'source' | 'step' | 'feature' | 'target' | 'model' | 'layer' | 'output' | 'explainer' | 'spec';

export interface FlowNode {
  /** Stable, Mermaid-safe id ([A-Za-z0-9_] only). */
  id: string;
  kind: FlowNodeKind;
  /** Raw text (may come from data, e.g. a CSV header); the renderer escapes it. */
  label: string;
  /** A second line of raw text, escaped likewise. */
  detail?: string;
  /** Where this node is defined in the spec, for reveal and cursor sync. */
  range?: Range;
  /** For kind 'feature': the feature's name as in the report. */
  feature?: string;
}

export interface FlowEdge { from: string; to: string; label?: string }

export interface FlowGraph { specName: string; nodes: FlowNode[]; edges: FlowEdge[] }

// ---------------------------------------------------------------------------------------------------------------
// Custom LSP methods (client ⇄ server)

export interface TextDocumentParams { uri: string }

/** Request: the flow graph of the spec as it is now in the editor. */
export const FlowGraphRequest = 'xai/flowGraph';
export type FlowGraphParams = TextDocumentParams;
export type FlowGraphResult = FlowGraph | null;

/** Request: train (and explain) the spec in the worker; progress arrives as work-done progress. */
export const TrainRequest = 'xai/train';
/** Request: explain the spec's latest trained run without training again. */
export const ExplainRequest = 'xai/explain';
export interface RunParams extends TextDocumentParams { workDoneToken?: string | number }
export interface RunResult {
  ok: boolean;
  /** Set when ok: the run folder and its report. */
  runDir?: string;
  report?: RunReport;
  /** Set when not ok: why, in one sentence a user can act on. */
  message?: string;
  cancelled?: boolean;
  /** Set when ok but worth a word, e.g. an input file changed during the run (the run used its snapshot). */
  warning?: string;
}

/** Request: cancel the spec's running job (kills the worker process). */
export const CancelRequest = 'xai/cancel';
export type CancelParams = TextDocumentParams;

/** Request: the latest finished run of a spec, if any. */
export const LatestRunRequest = 'xai/latestRun';
export type LatestRunParams = TextDocumentParams;
export type LatestRunResult = { runDir: string; report: RunReport } | null;

/** Notification server → client: a run finished (after training or explaining). */
export const RunFinishedNotification = 'xai/runFinished';
export interface RunFinishedParams { uri: string; result: RunResult }

// ---------------------------------------------------------------------------------------------------------------
// Webview messages

export type ImportanceMethod = 'permutation_importance';

export type HostToWebviewMessage =
  /** `specUri` lets the webview keep it in its state (FlowchartState) so that the panel can be restored. */
  | { type: 'graph'; graph: FlowGraph; report?: RunReport | null; specUri?: string }
  | { type: 'highlight'; nodeId: string | null };

export type WebviewToHostMessage =
  | { type: 'ready' }
  | { type: 'reveal'; range: Range }
  | { type: 'error'; message: string };

function isPosition(v: unknown): v is Position {
  const p = v as Position;
  return typeof p === 'object' && p !== null && Number.isInteger(p.line) && Number.isInteger(p.character) &&
    p.line >= 0 && p.character >= 0;
}

function isRange(v: unknown): v is Range {
  const r = v as Range;
  return typeof r === 'object' && r !== null && isPosition(r.start) && isPosition(r.end);
}

/** Validates a message a webview posted; anything else is dropped by the host. */
export function isWebviewToHostMessage(v: unknown): v is WebviewToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; range?: unknown; message?: unknown };
  switch (m.type) {
    case 'ready': return true;
    case 'reveal': return isRange(m.range);
    case 'error': return typeof m.message === 'string' && m.message.length <= 10_000;
    default: return false;
  }
}

/** Validates a message the host posted to a webview. */
export function isHostToWebviewMessage(v: unknown): v is HostToWebviewMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; graph?: { nodes?: unknown; edges?: unknown }; nodeId?: unknown };
  switch (m.type) {
    case 'graph': return typeof m.graph === 'object' && m.graph !== null && Array.isArray(m.graph.nodes) && Array.isArray(m.graph.edges);
    case 'highlight': return m.nodeId === null || typeof m.nodeId === 'string';
    default: return false;
  }
}

/** The webview's persisted state (vscode.setState), restored by the panel serializer. */
export interface FlowchartState { specUri?: string; graph?: FlowGraph; report?: RunReport | null }
