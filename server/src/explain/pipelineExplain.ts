/**
 * The pipeline's hook into the explanation engine: runs the spec's explanation methods (beyond permutation
 * importance) on the trained model and writes the Markdown explanation report. For an MLP, the sanity check's
 * random-weight twin is the same architecture built with another seed and left untrained; linear models and
 * trees get theirs from `randomTwin`.
 */
import type { PermutationImportanceResult } from '../../../protocol/protocol';
import { buildMlp } from '../models/mlp';
import { MlpFitted } from '../models/mlpModel';
import type { FittedModel } from '../models/model';
import type { PipelineSpec } from '../spec/types';
import { randomTwin } from './randomTwin';
import { explanationMarkdown } from './report';
import { runExplanations } from './run';
import type { ExplanationSection } from './sections';

export interface SpecExplanations { sections: ExplanationSection[]; markdown: string }

/**
 * Runs `spec.explanation` (all but permutation_importance) on x in MODEL scale.
 * @param dataUnits per feature, the model's scale → the data's units, for the values the sections report
 *   (`ExplainInputs.dataUnits`)
 * @returns undefined when the spec lists no such method; else the sections and the Markdown report.
 * @throws Error naming the method that does not fit the model or fails.
 */
export async function explainSpecMethods(
  spec: PipelineSpec, model: FittedModel, features: readonly string[], trainX: number[][], validationX: number[][],
  importance: PermutationImportanceResult | undefined, onProgress?: (fraction: number, message: string) => void,
  dataUnits?: readonly ((v: number) => number)[],
): Promise<SpecExplanations | undefined> {
  const steps = (spec.explanation ?? []).filter((s) => !('permutation_importance' in s));
  if (steps.length === 0) return undefined;
  let randomized: FittedModel | undefined;
  let network: MlpFitted | undefined;
  if (steps.some((s) => 'sanity_check' in s)) {
    if (spec.model.type === 'mlp' && model.family === 'mlp') {
      const nClasses = model.task === 'classification' ? model.outputs.length : undefined;
      randomized = network = new MlpFitted(buildMlp(spec.model, features.length, spec.training.seed + 7919, { nClasses }), model.outputs, model.task);
    } else randomized = randomTwin(model, trainX, spec.training.seed + 7919);
  }
  try {
    const sections = await runExplanations(steps, {
      model, randomized, features, train: { x: trainX }, validation: { x: validationX }, seed: spec.training.seed, dataUnits, onProgress,
    });
    return { sections, markdown: explanationMarkdown({ name: spec.name, task: spec.task, importance, sections }) };
  } finally {
    network?.dispose();
  }
}
