/**
 * Runs the explanation methods a spec lists (after training) on a fitted model and returns their compact
 * sections for report.json and the Markdown report. Permutation importance is run by the pipeline itself
 * (report.importance) and skipped here. Each method is checked against the model family it needs: TreeSHAP
 * and tree paths need a tree, integrated gradients a differentiable model, ReLU paths an MLP; SHAP picks the
 * exact algorithm of the family (tree, linear with identity link) and Kernel SHAP otherwise.
 */
import type { FittedModel, LinearModel, MlpModel, TreeModel, DifferentiableModel } from '../models/model';
import type { ExplanationStep } from '../spec/types';
import { kmeansBackground, sampledBackground } from './background';
import { integratedGradients } from './gradients';
import { partialDependence } from './partialDependence';
import { reluPaths } from './paths/reluPaths';
import { surrogateTree } from './paths/surrogate';
import { formatDecisionPath, treeDecisionPaths } from './paths/treePath';
import { sanityCheck } from './sanityCheck';
import type { DecisionPathsSection, ExplanationSection, RankedFeature } from './sections';
import { kernelShap } from './shap/kernelShap';
import { linearShap } from './shap/linearShap';
import { meanAbsAttribution } from './shap/globalShap';
import { treeShap } from './shap/treeShap';
import { sobolIndices } from './sobol';
import type { AttributionResult } from './types';

type Split = 'validation' | 'train';

/** The spec's explanation steps (permutation importance is skipped here: the pipeline runs it). */
export type ExplanationMethodStep = ExplanationStep;

export interface ExplainInputs {
  /** The fitted model; x in MODEL scale. */
  model: FittedModel;
  /** Same architecture with random weights (for the sanity check); absent → the sanity check is refused. */
  randomized?: FittedModel;
  features: readonly string[];
  train: { x: number[][] };
  validation: { x: number[][] };
  seed: number;
  /**
   * Per feature, the model's scale → the data's units (data/frame/unscale.ts `dataUnits`): the values a section
   * reports for people to read (partial-dependence grids, SHAP rows' feature values, decision-path values and
   * thresholds) are given in the data's units. Absent: as the model sees them.
   */
  dataUnits?: readonly ((v: number) => number)[];
  onProgress?(fraction: number, message: string): void;
  signal?: AbortSignal;
}

const isTree = (m: FittedModel): m is TreeModel => m.family === 'decision_tree' && 'tree' in m;
const isLinear = (m: FittedModel): m is LinearModel => 'linear' in m;
const isDifferentiable = (m: FittedModel): m is DifferentiableModel => typeof (m as Partial<DifferentiableModel>).gradient === 'function';
const isMlp = (m: FittedModel): m is MlpModel => typeof (m as Partial<MlpModel>).denseLayers === 'function';

function ranking(r: AttributionResult): RankedFeature[] { return meanAbsAttribution(r); }

const methodOf = (step: ExplanationMethodStep): string => Object.keys(step)[0]!;

/**
 * The output an attribution explains: the class named by the step's `output`; without one, a binary classifier's
 * second class (the positive one: scikit-learn's `predict_proba[:, 1]`), else the first output.
 * @throws Error for `output` on a regression model, or a class the model does not have (naming its classes).
 */
export function explainedOutput(model: FittedModel, output: string | undefined): number {
  if (output === undefined) return model.task === 'classification' && model.outputs.length === 2 ? 1 : 0;
  if (model.task !== 'classification') throw new Error(`output '${output}' names a class, but the model is a regression`);
  // Labels are trimmed when encoded (models/labels.ts), and the editor's check trims too.
  const k = model.outputs.indexOf(output.trim());
  if (k < 0) throw new Error(`the model has no class '${output}'; its classes: ${model.outputs.join(', ')}`);
  return k;
}

/**
 * Runs every method of `steps` in order.
 * @returns one section per method (permutation importance excluded), each with its evaluations and wall time.
 * @throws Error naming the method when it does not fit the model family or its options are invalid, or
 *   'explanation cancelled' when `signal` aborts between methods.
 */
export async function runExplanations(steps: readonly ExplanationMethodStep[], inputs: ExplainInputs): Promise<ExplanationSection[]> {
  const todo = steps.filter((s) => !('permutation_importance' in s));
  const out: ExplanationSection[] = [];
  for (const [i, step] of todo.entries()) {
    if (inputs.signal?.aborted) throw new Error('explanation cancelled');
    const name = methodOf(step);
    inputs.onProgress?.(i / todo.length, `Explaining: ${name.replace(/_/g, ' ')}`);
    const t0 = Date.now();
    try {
      const section = await runOne(step, inputs);
      section.wallMs = Date.now() - t0;
      out.push(section);
    } catch (e) {
      throw new Error(`explanation ${name}: ${(e as Error).message}`);
    }
  }
  inputs.onProgress?.(1, 'Explanations done');
  return out;
}

async function runOne(step: ExplanationMethodStep, inputs: ExplainInputs): Promise<ExplanationSection> {
  const { model, features, seed } = inputs;
  const unit = (j: number): ((v: number) => number) => inputs.dataUnits?.[j] ?? ((v) => v);
  const part = (split: Split | undefined) => (split === 'train' ? inputs.train.x : inputs.validation.x);
  if ('shap' in step) {
    const o = step.shap;
    const x = part(o.split);
    const rows = x.slice(0, o.samples ?? 10);
    const k = explainedOutput(model, o.output);
    let r: AttributionResult;
    let algorithm: 'tree_shap' | 'linear_shap' | 'kernel_shap';
    if (isTree(model)) { r = treeShap(model, rows, { output: k, features }); algorithm = 'tree_shap'; }
    else if (isLinear(model) && model.linear.link === 'identity') { r = linearShap(model, rows, { background: inputs.train.x, output: k, features }); algorithm = 'linear_shap'; }
    else {
      const size = o.background ?? 20;
      const background = (o.summarize ?? 'kmeans') === 'kmeans' ? kmeansBackground(inputs.train.x, size, seed) : sampledBackground(inputs.train.x, size, seed);
      r = await kernelShap(model, rows, { background, output: k, coalitions: o.coalitions, seed, features });
      algorithm = 'kernel_shap';
    }
    return {
      method: 'shap', algorithm, output: r.outputName, baseValue: r.baseValues[0]!, ranking: ranking(r), rows: rows.map((_, j) => j),
      values: r.values, x: rows.map((row) => row.map((v, j) => unit(j)(v))), predictions: r.predictions, maxEfficiencyGap: Math.max(...(r.gaps ?? [0])), exact: algorithm !== 'kernel_shap' || r.details.exact === true,
      evaluations: r.evaluations, wallMs: 0,
    };
  }
  if ('integrated_gradients' in step) {
    const o = step.integrated_gradients;
    if (!isDifferentiable(model)) throw new Error(`the ${model.family} model has no gradients; use shap instead`);
    const rows = part(o.split).slice(0, o.samples ?? 10);
    const r = await integratedGradients(model, rows, {
      baseline: o.baseline ?? 'zero', data: inputs.train.x, steps: o.steps, quadrature: o.quadrature, output: explainedOutput(model, o.output), features,
    });
    return {
      method: 'integrated_gradients', output: r.outputName, baseline: String(r.details.baseline), quadrature: String(r.details.quadrature),
      points: Number(r.details.points), ranking: ranking(r), rows: rows.map((_, j) => j), values: r.values,
      completenessGap: Number(r.details.completenessGap), maxRelativeGap: Number(r.details.maxRelativeGap), evaluations: r.evaluations, wallMs: 0,
    };
  }
  if ('sobol' in step) {
    const o = step.sobol;
    const r = await sobolIndices(model, {
      inputs: { kind: 'empirical', data: inputs.train.x }, samples: o.samples ?? 1024, bootstrap: o.bootstrap ?? 100, seed, output: explainedOutput(model, o.output), features,
    });
    return {
      method: 'sobol', output: model.outputs[r.output] ?? 'y', samples: r.samples, indices: r.indices,
      maxAbsCorrelation: r.maxAbsCorrelation, correlatedPair: r.correlatedPair, correlated: r.correlated, evaluations: r.evaluations, wallMs: 0,
    };
  }
  if ('partial_dependence' in step) {
    const o = step.partial_dependence;
    const x = part(o.split);
    const k = explainedOutput(model, o.output);
    const named = o.features?.length ? o.features : undefined;
    let r = await partialDependence(model, x, { features: named, featureNames: features, gridSize: o.grid ?? 20, ice: o.ice ?? false, output: k });
    let evaluations = r.evaluations;
    if (!named) {
      // No features named: keep the `top` ones by the range of their curve.
      const top = r.curves.sort((a, b) => b.range - a.range).slice(0, o.top ?? 3);
      if (o.ice) {
        r = await partialDependence(model, x, { features: top.map((c) => c.index), featureNames: features, gridSize: o.grid ?? 20, ice: true, output: k });
        evaluations += r.evaluations;
      } else r = { ...r, curves: top };
    }
    return {
      method: 'partial_dependence', output: model.outputs[k] ?? 'y', evaluations, wallMs: 0,
      curves: r.curves.map((c) => ({ feature: c.feature, grid: c.grid.map(unit(c.index)), average: c.average, range: c.range, ...(c.ice ? { ice: c.ice } : {}) })),
    };
  }
  if ('decision_paths' in step) {
    const o = step.decision_paths;
    const x = part(o.split);
    const rows = x.slice(0, o.samples ?? 3);
    let evaluations = 0;
    let section: DecisionPathsSection;
    // Values and thresholds in the data's units (each map is increasing: the tests read the same).
    const inUnits = (r: ReturnType<typeof treeDecisionPaths>): ReturnType<typeof treeDecisionPaths> => ({
      ...r, paths: r.paths.map((p) => p.map((s) => (s.side === 'leaf' ? s : { ...s, value: unit(s.feature!)(s.value!), threshold: unit(s.feature!)(s.threshold!) }))),
    });
    const toJson = (paths: ReturnType<typeof treeDecisionPaths>) => paths.paths.map((p) => p.map((s) => ({
      node: s.node, side: s.side, prediction: s.prediction,
      ...(s.side !== 'leaf' ? { feature: s.featureName!, threshold: s.threshold!, value: s.value! } : {}),
    })));
    if (isTree(model)) {
      const p = inUnits(treeDecisionPaths(model, rows, { features }));
      section = { method: 'decision_paths', source: 'tree', outputs: p.outputs, rows: rows.map((_, j) => j), paths: toJson(p), text: p.paths.map((q) => formatDecisionPath(q, p.outputs)), evaluations: 0, wallMs: 0 };
    } else {
      const s = await surrogateTree(model, inputs.train.x, { maxDepth: o.surrogate_depth ?? 3, seed });
      evaluations += s.evaluations;
      const p = inUnits(treeDecisionPaths(s.tree, rows, { features }));
      section = {
        method: 'decision_paths', source: 'surrogate', outputs: p.outputs, rows: rows.map((_, j) => j), paths: toJson(p),
        text: p.paths.map((q) => formatDecisionPath(q, p.outputs)), evaluations, wallMs: 0,
        surrogate: { fidelityMetric: s.fidelityMetric, fidelityHeldOut: s.fidelityHeldOut, fidelityTrain: s.fidelityTrain, depth: s.depth, leaves: s.leaves },
      };
      const layers = isMlp(model) ? model.denseLayers() : [];
      if (isMlp(model) && layers.length > 1 && layers.slice(0, -1).every((l) => l.activation === 'relu' || l.activation === 'linear')) {
        const r = await reluPaths(model, rows, { top: 5, features });
        section.evaluations += r.evaluations;
        section.relu = r.samples.map((smp, j) => ({
          row: j, activeUnits: smp.pattern.map((p) => p.filter(Boolean).length), output: smp.output, pathTotal: smp.pathTotal, biasTotal: smp.biasTotal,
          topPaths: smp.topPaths.map((tp) => ({ path: [tp.feature, ...tp.units.slice(1, -1).map((u, l) => `h${l + 1}.${u}`), model.outputs[tp.units[tp.units.length - 1]!] ?? 'out'].join(' → '), contribution: tp.contribution })),
        }));
      }
    }
    return section;
  }
  if ('sanity_check' in step) {
    const o = step.sanity_check;
    if (!inputs.randomized) throw new Error('needs the same architecture with random weights, which this model family does not provide');
    const explainer = o.explainer && o.explainer !== 'auto' ? o.explainer : isDifferentiable(model) ? 'integrated_gradients' : 'kernel_shap';
    const rows = inputs.validation.x.slice(0, o.samples ?? 20);
    let evaluations = 0;
    const background = kmeansBackground(inputs.train.x, 10, seed);
    const explain = async (m: FittedModel, x: readonly (readonly number[])[]) => {
      const r = explainer === 'integrated_gradients'
        ? await integratedGradients(m as DifferentiableModel, x, { steps: 20 })
        : await kernelShap(m, x, { background, seed, coalitions: 512 });
      evaluations += r.evaluations;
      return r.values;
    };
    if (explainer === 'integrated_gradients' && !isDifferentiable(model)) throw new Error(`the ${model.family} model has no gradients; use explainer: kernel_shap`);
    const r = await sanityCheck(explain, model, inputs.randomized, rows, { threshold: o.threshold });
    return {
      method: 'sanity_check', explainer, meanRankCorrelation: r.meanRankCorrelation, globalRankCorrelation: r.globalRankCorrelation,
      flagged: r.flagged, reasons: r.reasons, evaluations, wallMs: 0,
    };
  }
  throw new Error(`unknown explanation method ${methodOf(step)}`);
}
