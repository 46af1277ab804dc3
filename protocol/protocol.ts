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

/** A metric over the folds: its mean, its population standard deviation (ddof 0, as `numpy.std`) and each fold's value. */
export interface FoldMetric { mean: number; std: number; values: number[] }

/** k-fold evaluation as scikit-learn's `cross_validate` reports it (server/src/pipeline/crossValidate.ts). */
export interface CrossValidationReport {
  method: 'kfold';
  k: number;
  seed: number;
  /** Classification: the folds keep the class shares (within one row per class). */
  stratified: boolean;
  /** How the saved model was fitted (every row), so that nobody mistakes these metrics for its own. */
  finalModel: string;
  folds: { trainRows: number; validationRows: number; model: Record<string, number>; baseline: Record<string, number> }[];
  /** Per metric (classification: accuracy, balancedAccuracy, precision, recall, f1, logLoss, rocAuc; regression: rmse, mae, r2). */
  model: Record<string, FoldMetric>;
  baseline: { name: string; metrics: Record<string, FoldMetric> };
}

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
  /** A `split: {method: kfold}` run: per-fold scores; `metrics` then come from the out-of-fold predictions. */
  crossValidation?: CrossValidationReport;
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

export type FlowNodeKind = 'source' | 'step' | 'feature' | 'target' | 'model' | 'layer' | 'tree' | 'output' | 'explainer' | 'spec';

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
  /** For kind 'tree': the node's index in the run's tree (`DecisionPathStep.node`), for the path overlay. */
  treeNode?: number;
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

/** Notification client → server: the workspace became trusted (it starts untrusted when initializationOptions say so). */
export const WorkspaceTrustNotification = 'xai/workspaceTrust';
export interface WorkspaceTrustParams { trusted: boolean }

/** Request: a first spec for a CSV file (New Pipeline): the guessed target and task, and the spec text. */
export const NewPipelineRequest = 'xai/newPipeline';
export interface NewPipelineParams {
  /** The CSV file. */
  csvUri: string;
  /** The spec file that will hold the text (its folder makes `data.source` relative). */
  specUri: string;
}
export type NewPipelineResult =
  | { ok: true; text: string; target: string; task: 'regression' | 'classification'; features: string[] }
  | { ok: false; message: string };

/**
 * Request: explain a saved model (a run folder, its `model/` folder, a `model.json` or a tree/linear model JSON)
 * in the worker. A run whose spec still exists is explained with that spec (its data and fitted preprocessing);
 * otherwise `dataUri` names the CSV, and without it the answer is `needsData` so that the client asks for one.
 */
export const ExplainModelFileRequest = 'xai/explainModelFile';
export interface ExplainModelFileParams { uri: string; dataUri?: string; target?: string }
export interface ExplainModelFileResult extends RunResult {
  /** Set when the model has no data of its own: ask the user for a CSV and send the request again with `dataUri`. */
  needsData?: boolean;
  /** For a model without a run folder: the Markdown summary written beside it (`<model>.explanation.md`). */
  markdownPath?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Webview messages

/** The importance the flowchart's overlay shades by: each is offered when the run's report holds it. */
export type ImportanceMethod = 'permutation_importance' | 'sobol_first' | 'sobol_total' | 'mean_abs_shap';
export const IMPORTANCE_METHODS: readonly ImportanceMethod[] = ['permutation_importance', 'sobol_first', 'sobol_total', 'mean_abs_shap'];

export type HostToWebviewMessage =
  /** `specUri` lets the webview keep it in its state (FlowchartState) so that the panel can be restored. */
  | { type: 'graph'; graph: FlowGraph; report?: RunReport | null; specUri?: string }
  | { type: 'highlight'; nodeId: string | null }
  /** The decision path of the sample picked in the Decision Path panel (null clears the path overlay). */
  | { type: 'path'; sample: DecisionPathSample | null };

export type WebviewToHostMessage =
  | { type: 'ready' }
  | { type: 'reveal'; range: Range }
  /** Save the drawing: `data` is the SVG's text, or the PNG's bytes in base64. */
  | { type: 'export'; format: 'svg' | 'png'; data: string }
  | { type: 'error'; message: string };

/** Largest export a webview may post (characters of SVG text or base64). */
export const MAX_EXPORT_CHARS = 50_000_000;

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
  const m = v as { type?: unknown; range?: unknown; message?: unknown; format?: unknown; data?: unknown };
  switch (m.type) {
    case 'ready': return true;
    case 'reveal': return isRange(m.range);
    case 'export': return (m.format === 'svg' || m.format === 'png') && typeof m.data === 'string' && m.data.length > 0 && m.data.length <= MAX_EXPORT_CHARS;
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
    case 'path': return (v as { sample?: unknown }).sample === null || isDecisionPathSample((v as { sample?: unknown }).sample);
    default: return false;
  }
}

/** The webview's persisted state (vscode.setState), restored by the panel serializer. */
export interface FlowchartState { specUri?: string; graph?: FlowGraph; report?: RunReport | null; path?: DecisionPathSample | null }

// ---------------------------------------------------------------------------------------------------------------
// Decision paths of one sample (the Decision Path panel and the flowchart's path overlay)

/** Which sample to explain: a row index, the first row a filter matches, or the n-th worst-predicted row. */
export type SampleSelector =
  /** `row`: 0-based index among the usable samples (after filters and windows), in file order. */
  | { by: 'row'; row: number }
  /** Rows whose raw `column` (a feature or the target) compares to `value`; `pick`: which match (default 0). */
  | { by: 'filter'; column: string; op: FilterOp; value: string; pick?: number }
  /** Validation rows by decreasing loss (|error| for regression, 1 − p(true class) for classification); `rank` 0 = worst. */
  | { by: 'worst'; rank: number };
export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export const FILTER_OPS: readonly FilterOp[] = ['=', '!=', '<', '<=', '>', '>='];

/** A sample as the picker lists it. */
export interface SampleSummary {
  /** Index among the usable samples (SampleSelector 'row'). */
  row: number;
  /** 1-based line of the data file. */
  line: number;
  split: 'train' | 'validation' | 'test';
  /** The true target (class label or number as text) and the model's prediction. */
  actual: string;
  predicted: string;
  /** |error| (regression, target units) or 1 − p(true class) (classification). */
  loss: number;
}

/** One node of a decision path, root first; `feature`/`threshold`/`value` are absent at the leaf. */
export interface PathStepView {
  /** Node index in the (model's or surrogate's) tree. */
  node: number;
  feature?: string;
  threshold?: number;
  /** The sample's value, in the data's units like the threshold (the model's scale undone; see `features[].value`). */
  value?: number;
  side: 'left' | 'right' | 'leaf';
  /** The node's prediction: class fractions or the mean target, in `outputs` order. */
  prediction: number[];
  /** The node's prediction in words: the top class with its share, or the value. */
  predicted: string;
  samples: number;
}

/** A ReLU network's path of one sample: the active units per hidden layer and the strongest input → output paths. */
export interface ReluPathView {
  outputName: string;
  /** The explained output (pre-activation of the output layer), = pathTotal + biasTotal. */
  output: number;
  layers: { units: number; active: number[] }[];
  topPaths: { feature: string; units: number[]; contribution: number }[];
  pathTotal: number;
  biasTotal: number;
}

export interface DecisionPathSample extends SampleSummary {
  runId: string;
  /** The sample's feature values: model scale (`value`) and as in the data (`raw`). */
  features: { name: string; value: number; raw: number }[];
  /** 'tree': the model's own path; 'surrogate': the path of a shallow tree fitted to the model's predictions. */
  path: { kind: 'tree' | 'surrogate'; outputs: string[]; steps: PathStepView[]; fidelity?: { metric: 'r2' | 'agreement'; heldOut: number; train: number } };
  relu?: ReluPathView;
  /**
   * Attribution of the predicted output: TreeSHAP, linear SHAP, the ReLU region's local linear model (w·x), or for
   * other networks occlusion (the output's change when the feature is set to its training mean).
   */
  attribution: { method: 'tree_shap' | 'linear_shap' | 'relu_local_linear' | 'occlusion'; output: string; base: number; values: { feature: string; value: number }[] };
}

/** Request: the decision path of one sample of the spec's latest run (computed from the run's saved artifacts). */
export const DecisionPathRequest = 'xai/decisionPath';
export interface DecisionPathParams extends TextDocumentParams { selector: SampleSelector }
export interface DecisionPathResult {
  ok: boolean;
  /** When not ok: why, in one sentence (no run yet, no row matches…). */
  message?: string;
  sample?: DecisionPathSample;
  /** Filter and worst selectors: the matching samples (at most 50), for the picker. */
  candidates?: SampleSummary[];
  /** Columns a filter may name (features and target), and how many usable samples there are. */
  columns?: string[];
  rows?: number;
}

/** Validates a selector (from a webview or a client). */
export function isSampleSelector(v: unknown): v is SampleSelector {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { by?: unknown; row?: unknown; rank?: unknown; column?: unknown; op?: unknown; value?: unknown; pick?: unknown };
  const index = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0 && (x as number) < 1e9;
  switch (s.by) {
    case 'row': return index(s.row);
    case 'worst': return index(s.rank);
    case 'filter': return typeof s.column === 'string' && s.column.length <= 1000 && FILTER_OPS.includes(s.op as FilterOp) &&
      typeof s.value === 'string' && s.value.length <= 1000 && (s.pick === undefined || index(s.pick));
    default: return false;
  }
}

const isNum = (x: unknown): x is number => typeof x === 'number';

/** Checks the parts of a DecisionPathSample the views read (it crosses two process boundaries). */
export function isDecisionPathSample(v: unknown): v is DecisionPathSample {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<DecisionPathSample>;
  const path = s.path as Partial<DecisionPathSample['path']> | undefined;
  const att = s.attribution as Partial<DecisionPathSample['attribution']> | undefined;
  return Number.isInteger(s.row) && Number.isInteger(s.line) && typeof s.actual === 'string' && typeof s.predicted === 'string' &&
    Array.isArray(s.features) && s.features.every((f) => typeof f?.name === 'string' && isNum(f.value)) &&
    typeof path === 'object' && path !== null && (path.kind === 'tree' || path.kind === 'surrogate') && Array.isArray(path.outputs) &&
    Array.isArray(path.steps) && path.steps.every((st) => Number.isInteger(st?.node) && ['left', 'right', 'leaf'].includes(st.side) && Array.isArray(st.prediction)) &&
    typeof att === 'object' && att !== null && Array.isArray(att.values) && att.values.every((a) => typeof a?.feature === 'string' && isNum(a.value)) &&
    (s.relu === undefined || (typeof s.relu === 'object' && s.relu !== null && Array.isArray(s.relu.layers) && Array.isArray(s.relu.topPaths)));
}

/** Host → Decision Path webview. */
export type HostToPathsMessage =
  | { type: 'decisionPath'; result: DecisionPathResult; selector: SampleSelector; specUri?: string }
  | { type: 'busy'; selector: SampleSelector };

/** Decision Path webview → host. */
export type PathsToHostMessage =
  | { type: 'ready' }
  | { type: 'pick'; selector: SampleSelector }
  | { type: 'error'; message: string };

export function isPathsToHostMessage(v: unknown): v is PathsToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; selector?: unknown; message?: unknown };
  switch (m.type) {
    case 'ready': return true;
    case 'pick': return isSampleSelector(m.selector);
    case 'error': return typeof m.message === 'string' && m.message.length <= 10_000;
    default: return false;
  }
}

export function isHostToPathsMessage(v: unknown): v is HostToPathsMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; selector?: unknown; result?: { ok?: unknown; sample?: unknown } };
  switch (m.type) {
    case 'busy': return isSampleSelector(m.selector);
    case 'decisionPath': return isSampleSelector(m.selector) && typeof m.result === 'object' && m.result !== null &&
      typeof m.result.ok === 'boolean' && (m.result.sample === undefined || isDecisionPathSample(m.result.sample));
    default: return false;
  }
}

/** The Decision Path webview's persisted state. */
export interface PathsState { specUri?: string; selector?: SampleSelector; result?: DecisionPathResult }

// ---------------------------------------------------------------------------------------------------------------
// The run report panel (metrics, training curves, importance, SHAP, partial dependence, the explanation report)

/**
 * Request: a run's report for the Report panel. `runDir` (a `file:` URI of a run folder, or of its report.json)
 * names the run; without it the spec at `uri`'s latest run is meant.
 */
export const RunReportRequest = 'xai/runReport';
export interface RunReportParams { uri?: string; runDir?: string }
export type RunReportResult =
  /** `explanationMarkdown`: the run's explanation.md (raw Markdown from the run; the view renders it without HTML). */
  | { ok: true; runDir: string; report: RunReport; explanationMarkdown: string | null }
  | { ok: false; message: string };

/** Host → Report webview. `specUri` and `runDir` let the webview keep them in its state for the serializer. */
export type HostToReportMessage =
  | { type: 'report'; runDir: string; report: RunReport; explanationMarkdown: string | null; specUri?: string; pinned?: boolean }
  | { type: 'empty'; message: string; specUri?: string };

/** Report webview → host. */
export type ReportToHostMessage =
  | { type: 'ready' }
  | { type: 'error'; message: string };

const isStr = (x: unknown): x is string => typeof x === 'string';

/** Checks the parts of a RunReport the report view reads (it crosses two process boundaries and a file). */
export function isRunReport(v: unknown): v is RunReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<RunReport>;
  const m = r.metrics as Partial<RunReport['metrics']> | undefined;
  return r.reportVersion === 1 && isStr(r.runId) && (r.task === 'regression' || r.task === 'classification') && isStr(r.target) &&
    Array.isArray(r.features) && r.features.every(isStr) && Array.isArray(r.history) &&
    r.history.every((e) => typeof e === 'object' && e !== null && isNum(e.epoch) && isNum(e.loss)) &&
    typeof m === 'object' && m !== null && typeof m.model === 'object' && m.model !== null && typeof m.baseline === 'object' && m.baseline !== null &&
    (r.importance === undefined || (typeof r.importance === 'object' && r.importance !== null && Array.isArray(r.importance.features) &&
      r.importance.features.every((f) => isStr(f?.feature) && isNum(f.mean) && isNum(f.std)))) &&
    (r.explanations === undefined || (Array.isArray(r.explanations) && r.explanations.every((s) => typeof s === 'object' && s !== null && isStr(s.method))));
}

export function isHostToReportMessage(v: unknown): v is HostToReportMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; runDir?: unknown; report?: unknown; explanationMarkdown?: unknown; message?: unknown; specUri?: unknown };
  const spec = m.specUri === undefined || isStr(m.specUri);
  switch (m.type) {
    case 'report': return spec && isStr(m.runDir) && isRunReport(m.report) &&
      (m.explanationMarkdown === null || (isStr(m.explanationMarkdown) && m.explanationMarkdown.length <= 2_000_000));
    case 'empty': return spec && isStr(m.message) && m.message.length <= 10_000;
    default: return false;
  }
}

export function isReportToHostMessage(v: unknown): v is ReportToHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; message?: unknown };
  switch (m.type) {
    case 'ready': return true;
    case 'error': return isStr(m.message) && m.message.length <= 10_000;
    default: return false;
  }
}

/** The Report webview's persisted state (vscode.setState), restored by the panel serializer. */
export interface ReportState {
  specUri?: string;
  /** Set when the panel shows one given run folder rather than following the spec's latest run. */
  pinnedRunDir?: string;
  message?: Extract<HostToReportMessage, { type: 'report' }>;
  /** The chosen SHAP sample (index into the SHAP section's rows), importance method and partial-dependence feature. */
  sample?: number;
  importance?: string;
  pdFeature?: string;
}
