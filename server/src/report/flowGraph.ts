/**
 * Builds the pipeline's flow graph (the drawing the flowchart panel and report.html show) from a parsed spec.
 *
 * The graph follows the data: source → filter → sort → each preprocessing step → one node per feature → the
 * model's layers → the output (the target) → each explainer → the spec, with a feedback edge from the explainers
 * back to the spec labelled with its diagnostic count. It is built leniently: a half-typed spec (one being typed,
 * with errors) still yields every node that can be recognised, so the drawing does not flicker away while editing.
 * Labels are raw text (they may come from a CSV header); escaping is the renderer's job.
 */
import type { FlowEdge, FlowGraph, FlowNode, Range, RunReport } from '../../../protocol/protocol';
import type { ParsedSpec, SpecPath } from '../spec/parse';
import { featureNames, lagFeatureName } from '../spec/features';
import type { PreprocessingStep } from '../spec/types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Turns any text into the [A-Za-z0-9_] alphabet Mermaid ids allow (other characters become `_`). */
export function mermaidSafeId(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, '_');
  return id.length ? id : '_';
}

/** The last segment of a path written with / or \ (the data file's name). */
function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p.length);
  return parts[parts.length - 1] ?? path;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The model node of a tree or linear model: its family and main settings from the spec (raw, maybe partial). */
function familyLabel(type: string, model: Record<string, unknown>): string {
  const n = (k: string): number | undefined => (typeof model[k] === 'number' ? model[k] as number : undefined);
  const t = (k: string): string | undefined => (typeof model[k] === 'string' ? model[k] as string : undefined);
  switch (type) {
    case 'decision_tree': return `CART tree · ${t('criterion') ?? 'default criterion'}${n('max_depth') !== undefined ? ` · depth ≤ ${n('max_depth')}` : ''}`;
    case 'linear_svm': return `linear SVM · ${(t('loss') ?? 'squared_hinge').replace('_', ' ')} · C ${n('C') ?? 1}`;
    case 'logistic_regression': return `logistic regression · C ${n('C') ?? 1}`;
    case 'linear_regression': return n('alpha') ? `ridge regression · α ${n('alpha')}` : 'least squares';
    default: return type;
  }
}

function capitalize(s: string): string {
  return s.length ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The parts of a report the graph reads, checked, since reports come from disk. */
function isUsableReport(r: RunReport | null | undefined): r is RunReport {
  if (!isObj(r)) return false;
  const x = r as unknown as Obj;
  return Array.isArray(x.features) && x.features.every((f) => typeof f === 'string') &&
    isObj(x.data) && typeof x.data.path === 'string' && [x.data.rows, x.data.trainRows, x.data.validationRows].every((v) => typeof v === 'number') &&
    isObj(x.model) && typeof x.model.type === 'string' && Array.isArray(x.model.layers) && x.model.layers.every(isObj) &&
    isObj(x.metrics) && isObj(x.metrics.model) && isObj(x.metrics.baseline) &&
    typeof x.metrics.model.rmse === 'number' && typeof x.metrics.baseline.rmse === 'number' &&
    isObj(x.spec) && typeof x.target === 'string' && (x.importance === undefined || isObj(x.importance));
}

/** A fitted tree as the run saved it (`model/model.json` of a decision_tree run), enough to draw its top levels. */
export interface FlowTree {
  nodes: { feature: number; threshold: number; left: number; right: number; samples: number; value: number[] }[];
  features: string[];
  outputs: string[];
}

/** What the language server adds beyond the spec and report: the run's tree, the run's feedback count. */
export interface FlowGraphExtras {
  /** A decision_tree run's tree: its top `TREE_LEVELS` levels become nodes (the path overlay lights them). */
  tree?: FlowTree | null;
  /** Diagnostics the latest run fed back into the spec (runFeedback): the feedback edge's label. */
  runtimeDiagnostics?: number;
}

/** Tree levels drawn below the root (depth 0 … TREE_LEVELS): at most 2^(TREE_LEVELS+1) − 1 = 15 nodes. */
export const TREE_LEVELS = 3;

/** Most feature nodes drawn one by one. */
export const MAX_FEATURE_NODES = 100;

const ACTIVATION_NAMES: Record<string, string> = { relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', linear: 'linear', softmax: 'softmax' };

/**
 * Builds the flow graph of a spec.
 *
 * @param parsed the spec as `parseSpec` returns it; `parsed.spec` may be null, then `parsed.raw` is read leniently
 *   (unknown or mistyped parts are skipped); when both are null the graph holds the spec node and placeholders.
 * @param report the latest run's report, if any: its `features` (the columns the model really used) replace the
 *   names derived from the spec, and its metrics and data counts go into node details.
 * @returns nodes (ids `[A-Za-z0-9_]`, stable for a given spec, each with the `range` of its definition when it has
 *   one) and edges in pipeline order. A node of kind `model` groups the `layer` nodes (it has no edges of its own).
 *   Never throws.
 */
export function buildFlowGraph(parsed: ParsedSpec, givenReport?: RunReport | null, extras: FlowGraphExtras = {}): FlowGraph {
  // A report.json from another version (or half written) is ignored rather than trusted.
  const report = isUsableReport(givenReport) ? givenReport : null;
  const root: Obj = isObj(parsed.spec) ? (parsed.spec as unknown as Obj) : isObj(parsed.raw) ? parsed.raw : {};
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const taken = new Set<string>();
  const range = (path: SpecPath, part: 'key' | 'value' = 'value'): Range | undefined => parsed.rangeOf(path, part) ?? undefined;

  /** Adds a node, making its id unique (ids only clash when two features sanitize to the same text). */
  const add = (node: FlowNode): string => {
    let id = node.id;
    for (let k = 2; taken.has(id); k++) id = `${node.id}_${k}`;
    taken.add(id);
    const clean: FlowNode = { ...node, id };
    if (clean.range === undefined) delete clean.range;
    if (clean.detail === undefined) delete clean.detail;
    nodes.push(clean);
    return id;
  };
  const link = (from: string | undefined, to: string, label?: string): void => {
    if (from === undefined) return;
    edges.push(label === undefined ? { from, to } : { from, to, label });
  };

  const specName = str(root.name) ?? report?.spec.name ?? 'pipeline';
  const data: Obj = isObj(root.data) ? root.data : {};
  let last: string | undefined;

  // Data source: the file's name; the full path and row count as detail.
  const source = str(data.source);
  if (source !== undefined || report) {
    // The file's own row count (the load step's), not the rows left after filters and windows (report.data.rows).
    const loaded = report?.steps.find((st) => st.step === 'load')?.rowsOut;
    const rows = report ? `${loaded ?? report.data.rows} rows` : undefined;
    last = add({
      id: 'n_source', kind: 'source', label: source !== undefined ? fileName(source) : fileName(report!.data.path),
      detail: rows ?? (source !== undefined && source !== fileName(source) ? source : undefined),
      range: range(['data', 'source']) ?? range(['data'], 'key'),
    });
  }

  // Filter: one node for all conditions (they are applied together).
  const filters = arr(data.filter).filter(isObj);
  if (filters.length) {
    const conds = filters.map((f) => `${str(f.column) ?? '?'} = ${str(f.equals) ?? '?'}`);
    const id = add({ id: 'n_filter', kind: 'step', label: 'filter', detail: conds.join(' and '), range: range(['data', 'filter'], 'key') });
    link(last, id); last = id;
  }

  if (isObj(data.sort)) {
    const col = str(data.sort.column) ?? '?';
    const type = str(data.sort.type);
    const id = add({ id: 'n_sort', kind: 'step', label: 'sort', detail: `by ${col}${type ? ` (${type})` : ''}`, range: range(['data', 'sort'], 'key') });
    link(last, id); last = id;
  }

  // Preprocessing steps in order; lags steps also remember which features they generate (for feature ranges).
  const steps = arr(root.preprocessing);
  const featureRange = new Map<string, Range>();
  steps.forEach((step, i) => {
    if (!isObj(step)) return;
    const kind = Object.keys(step)[0];
    if (kind === undefined) return;
    const body: Obj = isObj(step[kind]) ? (step[kind] as Obj) : {};
    let detail: string | undefined;
    if (kind === 'lags') {
      const col = str(body.column);
      const count = num(body.count);
      detail = `${col ?? '?'} × ${count ?? '?'}${str(body.group_by) ? ` per ${str(body.group_by)}` : ''}`;
      // A lag feature reveals the count that generates it (one line), else the whole step.
      const r = range(['preprocessing', i, kind, 'count']) ?? range(['preprocessing', i, kind], 'key') ?? range(['preprocessing', i]);
      if (col !== undefined && count !== undefined && Number.isInteger(count) && r) {
        for (let k = 1; k <= Math.min(count, 10_000); k++) featureRange.set(lagFeatureName(col, k), r);
      }
    } else if (kind === 'split') {
      const method = str(body.method) ?? '?';
      const v = num(body.validation);
      detail = `${method} · ${v !== undefined ? `${Math.round(v * 1000) / 10} %` : '?'} validation`;
      if (report) detail += ` · ${report.data.trainRows}/${report.data.validationRows} rows`;
    } else if (kind === 'standardize') {
      const cols = body.columns;
      const what = cols === undefined || cols === 'features' ? 'features' : Array.isArray(cols) ? cols.map((c) => str(c) ?? '?').join(', ') : str(cols) ?? '?';
      detail = `${what}${body.target === true ? ' and target' : ''} · fit on training part`;
    }
    const id = add({ id: `n_step${i}_${mermaidSafeId(kind)}`, kind: 'step', label: kind, detail, range: range(['preprocessing', i, kind], 'key') ?? range(['preprocessing', i]) });
    link(last, id); last = id;
  });

  // Features: the report's (what the model used) or the spec's rule; explicit data.features get their own ranges.
  const target = str(data.target) ?? report?.target;
  const listed = arr(data.features);
  listed.forEach((f, j) => {
    const name = str(f);
    const r = range(['data', 'features', j]);
    if (name !== undefined && r) featureRange.set(name, r);
  });
  let features: string[];
  let featureCount: number;
  if (report) {
    features = [...report.features];
    featureCount = features.length;
  } else {
    const listedNames = listed.map(str).filter((s): s is string => s !== undefined);
    // Clamp lag counts first: a count being typed (say 1e9) must not make a billion names.
    const lenientSteps = steps.filter(isObj).map((st) => (isObj(st.lags) && typeof st.lags.count === 'number'
      ? { ...st, lags: { ...st.lags, count: Math.min(st.lags.count, MAX_FEATURE_NODES + 1) } } : st)) as unknown as PreprocessingStep[];
    features = featureNames({ data: { source: source ?? '', target: target ?? '', features: listedNames.length ? listedNames : undefined }, preprocessing: lenientSteps });
    const lagCount = steps.filter(isObj).reduce((n, st) => n + (isObj(st.lags) && typeof st.lags.column === 'string' && Number.isInteger(st.lags.count) ? Number(st.lags.count) : 0), 0);
    featureCount = listedNames.length || lagCount || features.length;
  }
  const featureIds: string[] = [];
  const fallbackFeatureRange = range(['data', 'features']) ?? range(['preprocessing']) ?? range(['data'], 'key');
  for (const name of features.slice(0, MAX_FEATURE_NODES)) {
    featureIds.push(add({ id: `n_feat_${mermaidSafeId(name)}`, kind: 'feature', label: name, feature: name, range: featureRange.get(name) ?? fallbackFeatureRange }));
  }
  if (featureCount > MAX_FEATURE_NODES) {
    // Past this a drawing is unreadable (and slow to lay out): the rest become one node.
    featureIds.push(add({ id: 'n_feat_more', kind: 'feature', label: `+${featureCount - MAX_FEATURE_NODES} features`, range: fallbackFeatureRange }));
  }
  if (!featureIds.length) {
    // Without lags or a feature list the model takes the CSV's numeric columns, which the spec alone cannot name.
    featureIds.push(add({ id: 'n_feat_numeric', kind: 'feature', label: 'numeric columns', detail: target ? `all but ${target}` : undefined, range: range(['data'], 'key') }));
  }
  for (const id of featureIds) link(last, id);

  // Model: a group node (kind 'model') and its layers, input → hidden → output.
  const model: Obj = isObj(root.model) ? root.model : {};
  const modelType = str(model.type) ?? report?.model.type;
  const training: Obj = isObj(root.training) ? root.training : {};
  const trainingBits = [str(training.optimizer), str(training.loss), num(training.epochs) !== undefined ? plural(num(training.epochs)!, 'epoch') : undefined].filter((s) => s !== undefined);
  const tree = modelType === 'decision_tree' && isFlowTree(extras.tree) ? extras.tree : null;
  add({
    id: 'n_model', kind: 'model', label: tree ? familyLabel('decision_tree', model) : modelType ? (modelType === 'mlp' ? 'MLP' : modelType) : 'model',
    // Optimizer, loss and epochs are the network's; the spec's defaults fill them in for other families too.
    detail: trainingBits.length && (modelType === undefined || modelType === 'mlp') ? trainingBits.join(' · ') : undefined, range: range(['model'], 'key'),
  });
  const nIn = featureCount || undefined;
  const inputId = add({ id: 'n_layer_in', kind: 'layer', label: `Input · ${nIn !== undefined ? plural(nIn, 'feature') : 'features'}`, range: range(['model', 'type']) ?? range(['model'], 'key') });
  for (const id of featureIds) link(id, inputId);
  last = inputId;
  // Trees and linear models have no layers: one node names the family and its main settings.
  const isMlp = modelType === undefined || modelType === 'mlp';
  const hidden = !isMlp ? [] : report ? report.model.layers.slice(0, -1) : arr(model.hidden_layers).map((l) => (isObj(l) ? { units: num(l.units), activation: str(l.activation) } : {}));
  hidden.forEach((layer, i) => {
    const units = (layer as { units?: number }).units;
    const act = (layer as { activation?: string }).activation;
    const id = add({
      id: `n_layer${i + 1}`, kind: 'layer', label: `Dense ${units ?? '?'} · ${act ? ACTIVATION_NAMES[act] ?? act : '?'}`,
      range: range(['model', 'hidden_layers', i]) ?? range(['model', 'hidden_layers'], 'key'),
    });
    link(last, id); last = id;
  });
  // A trained tree: its top levels, each split with its test, each leaf with its class (or value).
  const treeEnds: string[] = [];
  if (tree) {
    const treeRange = range(['model', 'max_depth']) ?? range(['model', 'type']) ?? range(['model'], 'key');
    const walk = (i: number, depth: number, from: string, edge: string): void => {
      const n = tree.nodes[i]!;
      const leaf = n.left < 0;
      const cut = !leaf && depth >= TREE_LEVELS;
      const id = add({
        id: `n_tree_${i}`, kind: 'tree', treeNode: i, range: treeRange,
        label: leaf ? treeValue(n.value, tree.outputs) : `${tree.features[n.feature] ?? `x${n.feature}`} ≤ ${fmt(n.threshold)}`,
        detail: `${plural(n.samples, 'sample')}${cut ? ` · ${subtreeSize(tree, i) - 1} nodes below` : leaf ? '' : ` · ${treeValue(n.value, tree.outputs)}`}`,
      });
      link(from, id, edge || undefined);
      if (leaf || cut) { treeEnds.push(id); return; }
      walk(n.left, depth + 1, id, 'yes');
      walk(n.right, depth + 1, id, 'no');
    };
    walk(0, 0, last, '');
  } else {
    const outAct = report ? report.model.layers[report.model.layers.length - 1]?.activation : str(model.output_activation) ?? 'linear';
    const outUnits = report ? report.model.layers[report.model.layers.length - 1]?.units ?? 1 : 1;
    const outLayer = add({
      id: 'n_layer_out', kind: 'layer', label: isMlp ? `Dense ${outUnits} · ${outAct ? ACTIVATION_NAMES[outAct] ?? outAct : 'linear'}` : familyLabel(modelType, model),
      range: (isMlp ? range(['model', 'output_activation'], 'key') : range(['model', 'type'])) ?? range(['model'], 'key'),
    });
    link(last, outLayer); last = outLayer;
  }

  // Output: the predicted target, with the validation RMSE beside the baseline's when there is a run.
  const m = report?.metrics;
  const output = add({
    id: 'n_output', kind: 'output', label: target ?? 'target',
    detail: m?.classification ? `accuracy ${fmt(m.classification.model.accuracy)} (baseline ${fmt(m.classification.baseline.accuracy)})`
      : m ? `RMSE ${fmt(m.model.rmse)} (baseline ${fmt(m.baseline.rmse)})` : 'prediction',
    range: range(['data', 'target']) ?? range(['data'], 'key'),
  });
  if (treeEnds.length) for (const id of treeEnds) link(id, output);
  else link(last, output);
  last = output;

  // Explainers, each fed by the output; they all feed back into the spec.
  const explainerIds: string[] = [];
  arr(root.explanation).forEach((step, i) => {
    if (!isObj(step)) return;
    const kind = Object.keys(step)[0];
    if (kind === undefined) return;
    const body: Obj = isObj(step[kind]) ? (step[kind] as Obj) : {};
    const bits: string[] = [];
    if (kind === 'permutation_importance') {
      const repeats = num(body.repeats) ?? report?.importance?.repeats;
      if (repeats !== undefined) bits.push(plural(repeats, 'repeat'));
      bits.push(str(body.split) ?? report?.importance?.split ?? 'validation');
      bits.push(report?.importance?.metric ?? str(body.metric) ?? (str(root.task) === 'classification' ? 'accuracy' : 'rmse'));
    }
    const id = add({
      id: `n_explain${i}_${mermaidSafeId(kind)}`, kind: 'explainer', label: capitalize(kind.replace(/_/g, ' ')),
      detail: bits.length ? bits.join(' · ') : undefined, range: range(['explanation', i, kind], 'key') ?? range(['explanation', i]),
    });
    link(output, id);
    explainerIds.push(id);
  });

  const spec = add({
    id: 'n_spec', kind: 'spec', label: specName, detail: 'spec',
    range: range(['name']) ?? range(['version']) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });
  // The loop's return edge: what the latest run fed back into the spec, else (no run) what the spec check found.
  const feedback = extras.runtimeDiagnostics !== undefined ? plural(extras.runtimeDiagnostics, 'runtime diagnostic')
    : plural(parsed.diagnostics.length, 'diagnostic');
  if (explainerIds.length) for (const id of explainerIds) link(id, spec, feedback);
  else link(output, spec, feedback);

  return { specName, nodes, edges };
}

function isFlowTree(t: FlowTree | null | undefined): t is FlowTree {
  return !!t && Array.isArray(t.nodes) && t.nodes.length > 0 && Array.isArray(t.features) && Array.isArray(t.outputs) &&
    t.nodes.every((n) => Number.isInteger(n.left) && Number.isInteger(n.right) && n.left < t.nodes.length && n.right < t.nodes.length &&
      (n.left < 0 || (n.left > 0 && n.right > 0)) && Array.isArray(n.value));
}

/** A node's prediction: the top class with its share (classification), else the mean value. */
function treeValue(value: readonly number[], outputs: readonly string[]): string {
  if (outputs.length <= 1 || value.length <= 1) return fmt(value[0] ?? NaN);
  const k = value.reduce((b, v, j) => (v > value[b]! ? j : b), 0);
  return `${outputs[k] ?? `class ${k}`} ${Math.round(value[k]! * 100)} %`;
}

/** Nodes in the subtree rooted at i (i included); a malformed tree that loops stops counting at depth 64. */
function subtreeSize(tree: FlowTree, i: number, depth = 0): number {
  const n = tree.nodes[i]!;
  return n.left < 0 || depth > 64 ? 1 : 1 + subtreeSize(tree, n.left, depth + 1) + subtreeSize(tree, n.right, depth + 1);
}

/** A number with 3 significant digits, without exponent for everyday magnitudes. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}
