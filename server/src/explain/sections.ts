/**
 * The compact, JSON-ready results of the explanation methods a spec asks for, as they go into report.json
 * (`explanations`) and into the Markdown explanation report. Matrices are cut to the explained samples.
 */

interface SectionBase {
  /** Rows the model predicted (gradient rows included) for this method. */
  evaluations: number;
  wallMs: number;
}

export interface RankedFeature { feature: string; meanAbs: number; mean: number }

export interface ShapSection extends SectionBase {
  method: 'shap';
  algorithm: 'tree_shap' | 'linear_shap' | 'kernel_shap';
  output: string;
  baseValue: number;
  /** Mean |φ| ranking over the explained samples, with the mean signed φ (direction). */
  ranking: RankedFeature[];
  /** Row indices (in the explained split) and their values [n_samples, n_features]. */
  rows: number[];
  values: number[][];
  /** The explained rows' feature values in the data's units [n_samples, n_features], for the summary plot's colours. */
  x?: number[][];
  predictions: number[];
  maxEfficiencyGap: number;
  exact: boolean;
}

export interface IntegratedGradientsSection extends SectionBase {
  method: 'integrated_gradients';
  output: string;
  baseline: string;
  quadrature: string;
  points: number;
  ranking: RankedFeature[];
  rows: number[];
  values: number[][];
  /** Σ|gap| / Σ|f(x) − f(x′)|, and the worst sample's relative gap. */
  completenessGap: number;
  maxRelativeGap: number;
}

export interface SobolSection extends SectionBase {
  method: 'sobol';
  output: string;
  samples: number;
  indices: { feature: string; first: number; total: number; firstCi?: [number, number]; totalCi?: [number, number] }[];
  maxAbsCorrelation?: number;
  correlatedPair?: [string, string];
  correlated?: boolean;
}

export interface PartialDependenceSection extends SectionBase {
  method: 'partial_dependence';
  output: string;
  /** `grid`: the feature's values in the data's units; `average` (and each ICE line) the output at each. */
  curves: { feature: string; grid: number[]; average: number[]; range: number; ice?: number[][] }[];
}

/** One step of a path; `value` and `threshold` in the data's units. */
export interface PathStepJson { node: number; feature?: string; threshold?: number; value?: number; side: 'left' | 'right' | 'leaf'; prediction: number[] }

export interface DecisionPathsSection extends SectionBase {
  method: 'decision_paths';
  /** 'tree' (the model itself), 'surrogate' (a shallow tree imitating it) or both with 'relu' paths. */
  source: 'tree' | 'surrogate';
  outputs: string[];
  rows: number[];
  paths: PathStepJson[][];
  /** Text of each path, e.g. `x = 1.2 ≤ 2 → …`. */
  text: string[];
  surrogate?: { fidelityMetric: 'r2' | 'agreement'; fidelityHeldOut: number; fidelityTrain: number; depth: number; leaves: number };
  relu?: { row: number; activeUnits: number[]; output: number; pathTotal: number; biasTotal: number; topPaths: { path: string; contribution: number }[] }[];
}

export interface SanityCheckSection extends SectionBase {
  method: 'sanity_check';
  explainer: string;
  meanRankCorrelation: number;
  globalRankCorrelation: number;
  flagged: boolean;
  reasons: string[];
}

export type ExplanationSection =
  | ShapSection | IntegratedGradientsSection | SobolSection | PartialDependenceSection | DecisionPathsSection | SanityCheckSection;
