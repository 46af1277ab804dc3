/**
 * Which explanation methods fit which model families. Most methods are model-agnostic (they only call
 * `predict`); gradient methods need a differentiable model, TreeSHAP and tree decision paths a tree, ReLU
 * activation paths a ReLU network. Names are the spec's explanation keys and `model.type` values; a name not
 * listed here is taken as model-agnostic (the schema reports unknown names).
 */

/** Model families with gradients of the output with respect to the inputs (`DifferentiableModel`). */
export const DIFFERENTIABLE_MODELS: readonly string[] = ['mlp', 'linear_regression', 'logistic_regression', 'linear_svm'];
export const TREE_MODELS: readonly string[] = ['decision_tree'];

type Requirement = 'differentiable' | 'tree' | 'mlp';

/** Family-specific explanation methods and what they need. */
export const EXPLAINER_REQUIREMENTS: Readonly<Record<string, Requirement>> = {
  integrated_gradients: 'differentiable',
  gradient_x_input: 'differentiable',
  gradient_times_input: 'differentiable',
  saliency: 'differentiable',
  tree_shap: 'tree',
  tree_path: 'tree',
  decision_path: 'tree',
  relu_paths: 'mlp',
  relu_path: 'mlp',
  activation_paths: 'mlp',
};

/**
 * Why `method` cannot explain a `model` model, in one sentence with the alternative; undefined when it fits.
 */
export function explainerFits(method: string, model: string): string | undefined {
  const need = EXPLAINER_REQUIREMENTS[method];
  if (!need) return undefined;
  if (need === 'differentiable' && !DIFFERENTIABLE_MODELS.includes(model)) {
    return `'${method}' needs the model's gradients, and a ${model} has none (it is piecewise constant); ` +
      `use shap (exact TreeSHAP on a tree), permutation_importance or decision_paths.`;
  }
  if (need === 'tree' && !TREE_MODELS.includes(model)) {
    return `'${method}' reads a decision tree's nodes and works only with model type decision_tree, not ${model}; ` +
      `use shap, or decision_paths (a surrogate tree for other models).`;
  }
  if (need === 'mlp' && model !== 'mlp') {
    return `'${method}' follows a ReLU network's activations and works only with model type mlp, not ${model}.`;
  }
  return undefined;
}

/** Model families that predict only one kind of target. */
export const REGRESSION_ONLY_MODELS: readonly string[] = ['linear_regression'];
export const CLASSIFICATION_ONLY_MODELS: readonly string[] = ['logistic_regression', 'linear_svm'];

/** Why a `model` model cannot serve `task`, in one sentence with the alternative; undefined when it can. */
export function modelFitsTask(model: string, task: string): string | undefined {
  if (task === 'classification' && REGRESSION_ONLY_MODELS.includes(model)) {
    return `A ${model} predicts numbers, not classes: for task: classification use logistic_regression, linear_svm, decision_tree or mlp.`;
  }
  if (task === 'regression' && CLASSIFICATION_ONLY_MODELS.includes(model)) {
    return `A ${model} predicts classes, not numbers: for task: regression use linear_regression, decision_tree or mlp.`;
  }
  return undefined;
}
