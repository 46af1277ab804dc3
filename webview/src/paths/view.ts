/**
 * HTML of the Decision Path panel's sections, built from a DecisionPathResult. Every data-derived text goes
 * through `escapeHtml` here; numbers through `formatNumber`. Pure (strings in, a string out), so tests can read it.
 */
import type { DecisionPathResult, DecisionPathSample, PathStepView, SampleSummary } from '../../../protocol/protocol';
import { escapeHtml as h } from '../common/escape';
import { formatNumber as n } from '../common/format';

const SIDE = { left: '≤', right: '>' } as const;

/** The candidates (filter matches or worst rows) as a table whose rows pick the sample. */
export function candidatesHtml(candidates: readonly SampleSummary[] | undefined, current: number | undefined): string {
  if (!candidates?.length) return '';
  const rows = candidates.map((c) => `
    <tr${c.row === current ? ' class="xai-current" aria-current="true"' : ''}>
      <td><button class="xai-pick-row" data-row="${c.row}" aria-label="Show row ${c.row}">${c.row}</button></td>
      <td>${c.line}</td><td>${h(c.split)}</td><td>${h(c.actual)}</td><td>${h(c.predicted)}</td><td class="xai-num">${n(c.loss)}</td>
    </tr>`).join('');
  return `<table class="xai-candidates">
    <caption>${candidates.length} matching samples${candidates.length >= 50 ? ' (first 50)' : ''}</caption>
    <thead><tr><th scope="col">row</th><th scope="col">line</th><th scope="col">part</th><th scope="col">actual</th><th scope="col">predicted</th><th scope="col">loss</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function stepHtml(s: PathStepView, k: number): string {
  if (s.side === 'leaf') {
    return `<li class="xai-step xai-leaf" data-node="${s.node}"><span class="xai-step-test">Leaf: ${h(s.predicted)}</span>
      <span class="xai-step-detail">node ${s.node} · ${s.samples} training samples</span></li>`;
  }
  const went = s.side === 'left' ? 'yes' : 'no';
  return `<li class="xai-step" data-node="${s.node}">
    <span class="xai-step-test"><span class="xai-feature">${h(s.feature ?? '?')}</span> = <strong>${n(s.value ?? NaN)}</strong> ${SIDE[s.side]} ${n(s.threshold ?? NaN)}</span>
    <span class="xai-step-detail">${k === 0 ? 'root' : `node ${s.node}`}: ${h(s.feature ?? '?')} ≤ ${n(s.threshold ?? NaN)}? ${went} · here the prediction is ${h(s.predicted)} · ${s.samples} training samples</span></li>`;
}

/** The path root → leaf, with the surrogate's fidelity when the path is a surrogate's. */
export function pathHtml(sample: DecisionPathSample): string {
  const p = sample.path;
  const f = p.fidelity;
  const title = p.kind === 'tree' ? 'Decision path in the tree'
    : `Decision path in a depth-${Math.max(0, p.steps.length - 1)} surrogate tree${f ? ` (fidelity: ${f.metric === 'r2' ? 'R²' : 'agreement'} ${n(f.heldOut)} held out, ${n(f.train)} on its training rows)` : ''}`;
  return `<h2>${h(title)}</h2><ol class="xai-steps">${p.steps.map(stepHtml).join('')}</ol>`;
}

/** Active units per hidden layer and the strongest input → output paths of a ReLU network. */
export function reluHtml(sample: DecisionPathSample): string {
  const r = sample.relu;
  if (!r) return '';
  const layers = r.layers.map((l, i) => `<li>Hidden layer ${i + 1}: ${l.active.length} of ${l.units} units active (${l.active.map((u) => `#${u}`).join(', ') || 'none'})</li>`).join('');
  const paths = r.topPaths.map((tp) => `<tr><td>${h(tp.feature)}</td><td>${tp.units.slice(1, -1).map((u, l) => `h${l + 1}#${u}`).join(' → ')}</td><td class="xai-num">${n(tp.contribution)}</td></tr>`).join('');
  return `<h2>Network: active units and top paths</h2>
    <ul class="xai-layers">${layers}</ul>
    <p>${h(r.outputName)} = ${n(r.output)} = paths ${n(r.pathTotal)} + biases ${n(r.biasTotal)}</p>
    <table class="xai-paths"><caption>Strongest input → output paths</caption>
      <thead><tr><th scope="col">input</th><th scope="col">units</th><th scope="col">contribution</th></tr></thead><tbody>${paths}</tbody></table>`;
}

const METHOD_NAMES: Record<DecisionPathSample['attribution']['method'], string> = {
  tree_shap: 'TreeSHAP', linear_shap: 'linear SHAP', relu_local_linear: 'local linear model of the ReLU region', occlusion: 'occlusion (feature at its training mean)',
};

/** The sample's attribution as signed bars, largest |value| first. */
export function attributionHtml(sample: DecisionPathSample): string {
  const a = sample.attribution;
  const sorted = [...a.values].sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
  const max = Math.max(1e-12, ...sorted.map((v) => Math.abs(v.value)));
  const total = a.base + a.values.reduce((s, v) => s + v.value, 0);
  const bars = sorted.map((v) => {
    const width = (Math.abs(v.value) / max) * 100;
    return `<div class="xai-bar-row" role="listitem" aria-label="${h(v.feature)}: ${n(v.value)}">
      <span class="xai-bar-name">${h(v.feature)}</span>
      <span class="xai-bar-track"><span class="xai-bar ${v.value >= 0 ? 'xai-pos' : 'xai-neg'}" style="width:${width.toFixed(1)}%"></span></span>
      <span class="xai-num">${v.value >= 0 ? '+' : ''}${n(v.value)}</span></div>`;
  }).join('');
  return `<h2>Attribution of ${h(a.output)} (${h(METHOD_NAMES[a.method] ?? a.method)})</h2>
    <p>${a.method === 'occlusion' ? '' : `base ${n(a.base)} + contributions = ${n(total)}`}</p>
    <div class="xai-bars" role="list">${bars}</div>`;
}

/** The sample's feature values, raw and as the model sees them. */
export function featuresHtml(sample: DecisionPathSample): string {
  const scaled = sample.features.some((f) => f.raw !== f.value);
  const rows = sample.features.map((f) => `<tr><td>${h(f.name)}</td><td class="xai-num">${n(f.raw)}</td>${scaled ? `<td class="xai-num">${n(f.value)}</td>` : ''}</tr>`).join('');
  return `<table class="xai-features"><caption>Feature values</caption>
    <thead><tr><th scope="col">feature</th><th scope="col">value</th>${scaled ? '<th scope="col">model input</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** Everything below the picker for one result. */
export function resultHtml(result: DecisionPathResult): string {
  if (!result.ok || !result.sample) return `<p class="xai-message" role="alert">${h(result.message ?? 'No sample.')}</p>`;
  const s = result.sample;
  return `<p class="xai-summary">Row <strong>${s.row}</strong> (line ${s.line}, ${h(s.split)}) · actual <strong>${h(s.actual)}</strong> · predicted <strong>${h(s.predicted)}</strong> · run ${h(s.runId)}</p>
    ${candidatesHtml(result.candidates, s.row)}
    <div class="xai-columns"><section>${pathHtml(s)}${reluHtml(s)}</section><section>${attributionHtml(s)}${featuresHtml(s)}</section></div>`;
}
