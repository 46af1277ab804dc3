/**
 * The automatic explanation report: a plain-language Markdown summary of a run's explanations — which
 * features matter, in which direction, how sure we are, what the decision paths of the chosen samples say —
 * and the caveats that limit them (correlated inputs, a low-fidelity surrogate, a failed sanity check, an
 * incomplete integrated-gradients sum, sampled rather than exact SHAP values).
 */
import type { PermutationImportanceResult } from '../../../protocol/protocol';
import type { ExplanationSection } from './sections';

export interface ExplanationReportInput {
  name: string;
  task: string;
  importance?: PermutationImportanceResult;
  sections: readonly ExplanationSection[];
}

/** Surrogate fidelity below this is reported as a caveat. */
export const LOW_FIDELITY = 0.8;

const fmt = (v: number, digits = 3): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(digits));
const list = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** Markdown text of the report (GitHub-flavoured: headings, lists, tables). */
export function explanationMarkdown(input: ExplanationReportInput): string {
  const out: string[] = [`# Explanation report: ${input.name}`, ''];
  const caveats: string[] = [];
  const sure: string[] = [];
  const find = <M extends ExplanationSection['method']>(m: M) => input.sections.filter((s): s is Extract<ExplanationSection, { method: M }> => s.method === m);

  out.push('## Which features matter', '');
  const imp = input.importance;
  if (imp) {
    const level = Math.round((imp.confidenceLevel ?? 0.95) * 100);
    const direction = ['r2', 'accuracy', 'balanced_accuracy'].includes(imp.metric) ? 'drops' : 'grows';
    out.push(`Shuffling one feature at a time on the ${imp.split} rows (${imp.repeats} shuffles each), the ${imp.metric.toUpperCase()} ${direction} by:`, '');
    out.push('| feature | importance | ' + `${level} % interval |`, '| --- | ---: | --- |');
    for (const f of imp.features) out.push(`| ${f.feature} | ${fmt(f.mean)} | ${f.ci ? `${fmt(f.ci[0])} … ${fmt(f.ci[1])}` : `± ${fmt(f.std)} (std)`} |`);
    out.push('');
    const clear = imp.features.filter((f) => f.ci && f.ci[0] > 0).map((f) => f.feature);
    const unclear = imp.features.filter((f) => f.ci && f.ci[0] <= 0).map((f) => f.feature);
    if (clear.length) out.push(`The model clearly relies on ${list(clear.map((f) => `**${f}**`))}.`);
    if (unclear.length) out.push(`For ${list(unclear)} the effect cannot be told apart from zero at this confidence level.`);
    out.push('');
    sure.push(`Permutation importance: ${level} % Student-t intervals over ${imp.repeats} shuffles, ${imp.evaluations} model evaluations.`);
  }
  for (const s of find('shap')) {
    const top = s.ranking.slice(0, 5);
    out.push(`SHAP (${s.algorithm.replace('_', ' ')}, output ${s.output}, ${s.values.length} samples): the largest mean |SHAP value| is ${list(top.map((f) => `${f.feature} (${fmt(f.meanAbs)})`))}; every prediction is the average prediction ${fmt(s.baseValue)} plus these contributions.`, '');
    if (!s.exact) caveats.push(`Kernel SHAP sampled its coalitions (not all 2^M were evaluated): its values are estimates.`);
    sure.push(`SHAP: ${s.exact ? 'exact values' : 'sampled coalitions'}; the contributions add up to each prediction within ${fmt(s.maxEfficiencyGap)}.`);
  }
  for (const s of find('sobol')) {
    const sorted = [...s.indices].sort((a, b) => b.total - a.total);
    // First-order and total indices closer than 0.05 are the same up to estimation noise: no interaction to report.
    const share = (i: (typeof sorted)[number]): string => (Math.abs(i.total - i.first) < 0.05
      ? `${i.feature} ≈ ${fmt(50 * (i.first + i.total), 2)} %`
      : `${i.feature} ${fmt(100 * i.first, 2)} % alone and ${fmt(100 * i.total, 2)} % with its interactions`);
    out.push(`Variance decomposition (Sobol indices, N = ${s.samples}): the share of the prediction's variance due to ${list(sorted.slice(0, 5).map(share))}.`);
    const inter = sorted.filter((i) => i.total - i.first > 0.05).map((i) => i.feature);
    if (inter.length) out.push(`${list(inter)} act${inter.length === 1 ? 's' : ''} largely through interactions with other features.`);
    out.push('');
    if (s.correlated) caveats.push(`The inputs are correlated (largest |r| = ${fmt(s.maxAbsCorrelation ?? 0, 2)}, between ${s.correlatedPair?.join(' and ')}): Sobol indices assume independent inputs, so they were computed on independently resampled features, which the model may never have seen together.`);
    sure.push('Sobol indices: bootstrap intervals in report.json.');
  }
  for (const s of find('integrated_gradients')) {
    const top = s.ranking.slice(0, 5);
    out.push(`Integrated gradients (from the ${s.baseline} baseline, ${s.points} points): the largest mean |attribution| is ${list(top.map((f) => `${f.feature} (${fmt(f.meanAbs)})`))}.`, '');
    sure.push(`Integrated gradients: the attributions add up to f(x) − f(baseline) within ${fmt(100 * s.completenessGap, 2)} % overall (worst sample ${fmt(100 * s.maxRelativeGap, 2)} %).`);
    if (s.completenessGap > 0.01) caveats.push(`Integrated gradients are incomplete by ${fmt(100 * s.completenessGap, 2)} % (more than 1 %): raise steps.`);
  }

  const pd = find('partial_dependence');
  if (pd.length) {
    out.push('## In which direction', '');
    for (const s of pd) for (const c of s.curves) {
      const first = c.average[0]!;
      const last = c.average[c.average.length - 1]!;
      const diffs = c.average.slice(1).map((v, k) => v - c.average[k]!);
      const monotone = diffs.every((d) => d >= -1e-12) || diffs.every((d) => d <= 1e-12);
      const dir = last > first ? 'higher' : 'lower';
      out.push(`- Raising **${c.feature}** from ${fmt(c.grid[0]!)} to ${fmt(c.grid[c.grid.length - 1]!)} gives a ${dir} ${s.output} on average (${fmt(first)} → ${fmt(last)})${monotone ? '' : ', but not steadily: the curve changes direction'}.`);
    }
    out.push('');
  }

  const paths = find('decision_paths');
  if (paths.length) {
    out.push('## Decision paths of chosen samples', '');
    for (const s of paths) {
      if (s.source === 'surrogate' && s.surrogate) {
        out.push(`A depth-${s.surrogate.depth} tree imitating the model (${s.surrogate.leaves} leaves) agrees with it with ${s.surrogate.fidelityMetric === 'r2' ? 'R²' : 'agreement'} ${fmt(s.surrogate.fidelityHeldOut)} on held-out rows:`, '');
        if (s.surrogate.fidelityHeldOut < LOW_FIDELITY) caveats.push(`The surrogate tree's fidelity is low (${fmt(s.surrogate.fidelityHeldOut)} < ${LOW_FIDELITY}): its paths describe the model only roughly.`);
      } else out.push('The tree\'s own decision paths:', '');
      s.text.forEach((t, j) => out.push(`${j + 1}. ${t}`));
      out.push('');
      for (const r of s.relu ?? []) {
        out.push(`Sample ${r.row + 1} in the network: ${r.activeUnits.join(' and ')} units active; its output ${fmt(r.output)} = ${fmt(r.pathTotal)} from input paths ${r.biasTotal < 0 ? '−' : '+'} ${fmt(Math.abs(r.biasTotal))} from biases. Strongest paths: ${r.topPaths.slice(0, 3).map((p) => `${p.path} (${fmt(p.contribution)})`).join('; ')}.`);
      }
      if (s.relu?.length) out.push('');
    }
  }

  for (const s of find('sanity_check')) {
    if (s.flagged) caveats.push(`The sanity check failed for ${s.explainer.replace('_', ' ')}: ${s.reasons.join('; ')}.`);
    sure.push(`Sanity check (${s.explainer.replace('_', ' ')} vs random weights): mean rank correlation ${fmt(s.meanRankCorrelation, 2)} — ${s.flagged ? 'FLAGGED' : 'the explanation depends on what the model learned'}.`);
  }

  if (sure.length) out.push('## How sure we are', '', ...sure.map((s) => `- ${s}`), '');
  out.push('## Caveats', '');
  if (caveats.length) out.push(...caveats.map((c) => `- ${c}`));
  else out.push('- None found by the checks that ran.');
  out.push('');
  return out.join('\n');
}
