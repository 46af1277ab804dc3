/**
 * The decision path of one chosen sample, for the Decision Path panel and the flowchart's path overlay: picks the
 * sample (a row index, a filter on a column, or the n-th worst-predicted validation row), then explains it with
 * what its model family offers:
 * - a CART tree: its own path root → leaf (`treeDecisionPaths`) and TreeSHAP (Lundberg et al. 2020);
 * - a linear model or SVM: the path of a depth-3 surrogate tree with its fidelity (`surrogateTree`) and linear SHAP;
 * - a ReLU network: the surrogate's path, the active units and top input → output paths (`reluPaths`) and the
 *   region's local linear model w·x as attribution (exact: Σ wᵢxᵢ + bias = the output's logit).
 * Pure: the caller loads the run (model, rows); nothing here reads files.
 */
import type {
  DecisionPathSample, FilterOp, PathStepView, SampleSelector, SampleSummary,
} from '../../../../protocol/protocol';
import type { DenseLayerWeights, FittedModel, LinearModel, MlpModel, TreeModel } from '../../models/model';
import { columnMeans } from '../common';
import { linearShap } from '../shap/linearShap';
import { treeShap } from '../shap/treeShap';
import { reluPaths } from './reluPaths';
import { surrogateTree, type SurrogateResult } from './surrogate';
import { treeDecisionPaths, type DecisionPathStep } from './treePath';

export type SplitName = SampleSummary['split'];

/** The usable samples of a run, in file order. */
export interface SampleSet {
  features: string[];
  target: string;
  /** Raw feature values [n_samples, n_features] (as in the data, after data steps). */
  raw: number[][];
  /** Model-scale inputs [n_samples, n_features] (after the fitted preprocessing). */
  x: number[][];
  /** Targets [n_samples]: class indices (classification) or raw values. */
  y: number[];
  /** 1-based data-file line of each sample, and the part it fell in. */
  lines: number[];
  splits: SplitName[];
  classes?: string[];
  /** Per feature, model scale → the data's units (data/frame/unscale.ts `dataUnits`): path tests are shown so. */
  toDataUnits?: readonly ((v: number) => number)[];
}

export type ExplainableModel = TreeModel | LinearModel | MlpModel;

/** Candidates listed for the picker at most. */
export const MAX_CANDIDATES = 50;

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));
const argmax = (row: readonly number[]): number => row.reduce((b, v, k) => (v > row[b]! ? k : b), 0);

/**
 * One run's samples and model, with the predictions of every sample computed once.
 * `toTargetUnits` maps a regression output from model scale to the target's units (identity when not standardized).
 */
export class RunSamples {
  private predictions: number[][] | undefined;
  private surrogate: SurrogateResult | undefined;

  constructor(
    readonly runId: string, readonly set: SampleSet, readonly model: ExplainableModel,
    private readonly toTargetUnits: (v: number) => number = (v) => v,
  ) {
    if (set.x.length !== set.y.length || set.x.length !== set.lines.length) throw new Error('samples: x, y and lines differ in length');
  }

  get classification(): boolean {
    return this.model.task === 'classification';
  }

  /** Predictions of all samples [n_samples, n_outputs] (one batched call). */
  async allPredictions(): Promise<number[][]> {
    this.predictions ??= await this.model.predict(this.set.x);
    return this.predictions;
  }

  private label(k: number): string {
    return this.set.classes?.[k] ?? this.model.outputs[k] ?? String(k);
  }

  private summary(i: number, p: readonly number[]): SampleSummary {
    const y = this.set.y[i]!;
    if (this.classification) {
      const k = argmax(p);
      return { row: i, line: this.set.lines[i]!, split: this.set.splits[i]!, actual: this.label(y), predicted: `${this.label(k)} (${fmt(p[k]!)})`, loss: 1 - (p[y] ?? 0) };
    }
    const yHat = this.toTargetUnits(p[0]!);
    return { row: i, line: this.set.lines[i]!, split: this.set.splits[i]!, actual: fmt(y), predicted: fmt(yHat), loss: Math.abs(y - yHat) };
  }

  /**
   * The sample a selector names, and for filter/worst selectors the matching samples (at most MAX_CANDIDATES).
   * @throws Error with a sentence for the user when nothing matches (row out of range, unknown column, no match).
   */
  async select(selector: SampleSelector): Promise<{ row: number; candidates?: SampleSummary[] }> {
    const n = this.set.x.length;
    const preds = await this.allPredictions();
    if (selector.by === 'row') {
      if (selector.row >= n) throw new Error(`row ${selector.row} does not exist: the run has ${n} samples (0–${n - 1})`);
      return { row: selector.row };
    }
    if (selector.by === 'worst') {
      const ranked = this.set.splits.map((s, i) => (s === 'validation' ? this.summary(i, preds[i]!) : null))
        .filter((s): s is SampleSummary => s !== null).sort((a, b) => b.loss - a.loss || a.row - b.row);
      if (!ranked.length) throw new Error('the run has no validation rows to rank');
      if (selector.rank >= ranked.length) throw new Error(`rank ${selector.rank + 1} does not exist: there are ${ranked.length} validation rows`);
      return { row: ranked[selector.rank]!.row, candidates: ranked.slice(0, MAX_CANDIDATES) };
    }
    const test = this.filterTest(selector.column, selector.op, selector.value);
    const matches: SampleSummary[] = [];
    for (let i = 0; i < n; i++) if (test(i)) matches.push(this.summary(i, preds[i]!));
    const pick = selector.pick ?? 0;
    if (!matches.length) throw new Error(`no sample has ${selector.column} ${selector.op} ${selector.value}`);
    if (pick >= matches.length) throw new Error(`match ${pick + 1} does not exist: ${matches.length} samples match`);
    return { row: matches[pick]!.row, candidates: matches.slice(0, MAX_CANDIDATES) };
  }

  /** A predicate on sample i: numbers compare as numbers; class labels (and other text) only with = and !=. */
  private filterTest(column: string, op: FilterOp, value: string): (i: number) => boolean {
    const isTarget = column === this.set.target;
    const j = this.set.features.indexOf(column);
    if (!isTarget && j < 0) throw new Error(`no column '${column}' among the features and the target (${[...this.set.features, this.set.target].join(', ')})`);
    const text = (i: number): string => (isTarget ? (this.set.classes ? this.label(this.set.y[i]!) : String(this.set.y[i])) : String(this.set.raw[i]![j]));
    const num = (i: number): number => (isTarget ? this.set.y[i]! : this.set.raw[i]![j]!);
    const target = Number(value);
    const numeric = value.trim() !== '' && Number.isFinite(target) && !(isTarget && this.set.classes);
    if (!numeric) {
      if (op !== '=' && op !== '!=') throw new Error(`'${value}' is not a number: only = and != compare text`);
      return op === '=' ? (i) => text(i) === value : (i) => text(i) !== value;
    }
    const cmp: Record<FilterOp, (a: number) => boolean> = {
      '=': (a) => a === target, '!=': (a) => a !== target, '<': (a) => a < target, '<=': (a) => a <= target, '>': (a) => a > target, '>=': (a) => a >= target,
    };
    return (i) => cmp[op](num(i));
  }

  /** The surrogate tree of a non-tree model, fitted once on the training samples' predictions. */
  private async surrogateTree(): Promise<SurrogateResult> {
    if (!this.surrogate) {
      const train = this.set.x.filter((_, i) => this.set.splits[i] === 'train');
      this.surrogate = await surrogateTree(this.model, train.length >= 4 ? train : this.set.x, { maxDepth: 3, seed: 0 });
    }
    return this.surrogate;
  }

  private stepView(s: DecisionPathStep, outputs: readonly string[]): PathStepView {
    const predicted = this.classification
      ? `${outputs[argmax(s.prediction)] ?? '?'} (${fmt(s.prediction[argmax(s.prediction)]!)})`
      : fmt(this.toTargetUnits(s.prediction[0]!));
    const view: PathStepView = { node: s.node, side: s.side, prediction: s.prediction, predicted, samples: s.samples };
    if (s.featureName !== undefined) {
      // In the data's units, like the sample's raw values (each map is increasing: the test reads the same).
      const unit = this.set.toDataUnits?.[s.feature!] ?? ((v: number) => v);
      Object.assign(view, { feature: s.featureName, threshold: unit(s.threshold!), value: unit(s.value!) });
    }
    return view;
  }

  /**
   * Explains sample `row`: its values, its decision path and its attribution.
   * @throws Error when the row does not exist.
   */
  async explain(row: number): Promise<DecisionPathSample> {
    const { set, model } = this;
    const xi = set.x[row];
    if (!xi) throw new Error(`row ${row} does not exist`);
    const preds = await this.allPredictions();
    const summary = this.summary(row, preds[row]!);
    const k = this.classification ? argmax(preds[row]!) : 0;
    const features = set.features;
    const base = { ...summary, runId: this.runId, features: features.map((name, j) => ({ name, value: xi[j]!, raw: set.raw[row]![j]! })) };

    if (model.family === 'decision_tree') {
      const tree = model as TreeModel;
      const p = treeDecisionPaths(tree, [xi], { features }).paths[0]!;
      const shap = treeShap(tree, [xi], { output: k, features });
      return {
        ...base,
        path: { kind: 'tree', outputs: [...model.outputs], steps: p.map((s) => this.stepView(s, model.outputs)) },
        attribution: { method: 'tree_shap', output: this.classification ? `P(${this.label(k)})` : set.target, base: shap.baseValues[0]!, values: features.map((f, j) => ({ feature: f, value: shap.values[0]![j]! })) },
      };
    }

    const s = await this.surrogateTree();
    const sp = treeDecisionPaths(s.tree, [xi], { features }).paths[0]!;
    const path = {
      kind: 'surrogate' as const, outputs: [...s.tree.outputs], steps: sp.map((st) => this.stepView(st, s.tree.outputs)),
      fidelity: { metric: s.fidelityMetric, heldOut: s.fidelityHeldOut, train: s.fidelityTrain },
    };

    if (model.family === 'mlp') {
      const mlp = model as MlpModel;
      const layers = mlp.denseLayers();
      if (!piecewiseLinear(layers)) {
        return { ...base, path, attribution: await this.occlusion(row, k) };
      }
      const r = (await reluPaths(mlp, [xi], { output: k, features, top: 8 })).samples[0]!;
      const outputName = this.classification ? `logit of ${this.label(k)}` : set.target;
      return {
        ...base, path,
        relu: {
          outputName, output: r.output, pathTotal: r.pathTotal, biasTotal: r.biasTotal,
          layers: r.pattern.map((on) => ({ units: on.length, active: on.flatMap((a, u) => (a ? [u] : [])) })),
          topPaths: r.topPaths.map((tp) => ({ feature: tp.feature, units: tp.units, contribution: tp.contribution })),
        },
        attribution: { method: 'relu_local_linear', output: outputName, base: r.localBias, values: features.map((f, j) => ({ feature: f, value: r.localWeights[j]! * xi[j]! })) },
      };
    }

    const linear = model as LinearModel;
    const scores = linear.linear.weights.length;
    const out = scores === 1 ? 0 : k;
    const train = set.x.filter((_, i) => set.splits[i] === 'train');
    const shap = linearShap(linear, [xi], { output: out, features, means: columnMeans(train.length ? train : set.x) });
    const outputName = linear.linear.link === 'identity' ? set.target
      : `score of ${this.label(scores === 1 ? Math.min(1, model.outputs.length - 1) : out)}`;
    return {
      ...base, path,
      attribution: { method: 'linear_shap', output: outputName, base: shap.baseValues[0]!, values: features.map((f, j) => ({ feature: f, value: shap.values[0]![j]! })) },
    };
  }

  /** For networks that are not piecewise linear: f(x) − f(x with feature j at its training mean), per feature. */
  private async occlusion(row: number, k: number): Promise<DecisionPathSample['attribution']> {
    const xi = this.set.x[row]!;
    const train = this.set.x.filter((_, i) => this.set.splits[i] === 'train');
    const means = columnMeans(train.length ? train : this.set.x);
    const rows = [xi, ...xi.map((_, j) => xi.map((v, m) => (m === j ? means[j]! : v)))];
    const p = await (this.model as FittedModel).predict(rows);
    return {
      method: 'occlusion', output: this.classification ? `P(${this.label(k)})` : this.set.target, base: 0,
      values: this.set.features.map((f, j) => ({ feature: f, value: p[0]![k]! - p[j + 1]![k]! })),
    };
  }
}

function piecewiseLinear(layers: readonly DenseLayerWeights[]): boolean {
  return layers.slice(0, -1).every((l) => l.activation === 'relu' || l.activation === 'linear');
}
