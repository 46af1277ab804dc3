/**
 * The Report webview: a run's metrics against the baseline, training curves, importance bars with intervals, the
 * SHAP summary and one sample's waterfall, partial dependence with ICE, and the Markdown explanation report.
 *
 * Startup: the state saved with `setState` is drawn at once (hide/show and window reload), then `{type:'ready'}`
 * is posted and the host answers with a `report` (or `empty`) message. Messages are validated on receipt
 * (`isHostToReportMessage`); anything else is dropped and logged. Every data-derived text is set with
 * `textContent` or drawn by Plot as SVG text; the Markdown goes through markdown-it with HTML off.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { isHostToReportMessage, type HostToReportMessage, type ReportState, type ReportToHostMessage, type RunReport } from '../../../protocol/protocol';
import { formatNumber } from '../common/format';
import { beeswarmChart, CHART_COLORS, importanceChart, partialDependenceChart, trainingCurvesChart, waterfallChart } from './charts';
import {
  baselineName, beeswarmPoints, crossValidationView, importanceSeries, metricRows, pdCurves, pdOutput, shapSection, trainingCurves, waterfall,
} from './data';
import { renderMarkdown } from './markdown';
import { REPORT_CSS } from './styles';

interface VsCodeApi { postMessage(message: ReportToHostMessage): void; getState(): unknown; setState(state: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;
type Select = HTMLElement & { value: string };

const vscode = acquireVsCodeApi();
/**
 * report.html embeds the run as `<script type="application/json" id="xai-report-data">` (a report message) below
 * its own header, metric table and explanation text: the view then draws the charts only.
 */
const embedded = readEmbedded();
let state: ReportState = embedded ? { message: embedded } : readState();

const style = document.createElement('style');
style.textContent = REPORT_CSS;
document.head.appendChild(style);

const root = document.getElementById('xai-report') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('xai-report');
// Static markup only: nothing from the data goes through innerHTML here.
root.innerHTML = `
  <header><h1 class="xai-title">Run report</h1><p class="xai-meta xai-run"></p><p class="xai-meta xai-data"></p></header>
  <p class="xai-empty" role="status">Waiting for the run's report…</p>
  <section class="xai-s-metrics" aria-labelledby="xai-h-metrics" hidden>
    <h2 id="xai-h-metrics">Validation metrics</h2>
    <table class="xai-metrics"><thead><tr><th scope="col">metric</th><th scope="col" class="num xai-model-head">model</th>
      <th scope="col" class="num xai-baseline-head">baseline</th><th scope="col" class="num">model − baseline</th></tr></thead><tbody></tbody></table>
    <p class="xai-caption xai-metrics-note"></p>
  </section>
  <section class="xai-s-cv" aria-labelledby="xai-h-cv" hidden>
    <h2 id="xai-h-cv">k-fold cross-validation</h2>
    <table class="xai-cv"><thead><tr><th scope="col">metric</th><th scope="col" class="num xai-cv-model-head">model</th>
      <th scope="col" class="num xai-cv-baseline-head">baseline</th><th scope="col">model, per fold</th></tr></thead><tbody></tbody></table>
    <p class="xai-caption xai-cv-note"></p>
  </section>
  <section class="xai-s-curves" aria-labelledby="xai-h-curves" hidden>
    <h2 id="xai-h-curves">Training curves</h2>
    <div class="xai-legend" aria-hidden="true"><span><span class="xai-swatch" style="background:${CHART_COLORS.blue}"></span>loss</span>
      <span><span class="xai-swatch" style="background:${CHART_COLORS.orange}"></span>validation loss</span></div>
    <div class="xai-chart xai-curves" role="figure" aria-labelledby="xai-h-curves"></div>
  </section>
  <section class="xai-s-importance" aria-labelledby="xai-h-importance" hidden>
    <h2 id="xai-h-importance">Feature importance</h2>
    <div class="xai-controls"><vscode-single-select class="xai-importance-method" aria-label="Importance method"></vscode-single-select></div>
    <p class="xai-caption xai-importance-caption"></p>
    <div class="xai-chart xai-importance" role="figure" aria-labelledby="xai-h-importance"></div>
  </section>
  <section class="xai-s-shap" aria-labelledby="xai-h-shap" hidden>
    <h2 id="xai-h-shap">SHAP summary</h2>
    <p class="xai-caption xai-shap-caption"></p>
    <div class="xai-legend xai-legend-sign" aria-hidden="true"><span><span class="xai-swatch dot" style="background:${CHART_COLORS.red}"></span>raises the prediction</span>
      <span><span class="xai-swatch dot" style="background:${CHART_COLORS.blue}"></span>lowers it</span></div>
    <div class="xai-legend xai-legend-value" aria-hidden="true" hidden><span>feature value:</span>
      <span><span class="xai-swatch dot" style="background:${CHART_COLORS.blue}"></span>low</span>
      <span class="xai-gradient" style="background:linear-gradient(to right, ${CHART_COLORS.blue}, ${CHART_COLORS.red})"></span>
      <span><span class="xai-swatch dot" style="background:${CHART_COLORS.red}"></span>high</span></div>
    <div class="xai-chart xai-beeswarm" role="figure" aria-labelledby="xai-h-shap"></div>
    <h2 id="xai-h-waterfall">Attribution of one sample</h2>
    <div class="xai-controls">
      <vscode-button class="xai-prev" secondary aria-label="Previous sample">Previous</vscode-button>
      <vscode-single-select class="xai-sample" aria-label="Sample"></vscode-single-select>
      <vscode-button class="xai-next" secondary aria-label="Next sample">Next</vscode-button>
    </div>
    <p class="xai-caption xai-waterfall-caption" aria-live="polite"></p>
    <div class="xai-chart xai-waterfall" role="figure" aria-labelledby="xai-h-waterfall"></div>
    <table class="xai-sr-only xai-waterfall-table"><caption>Waterfall values</caption>
      <thead><tr><th scope="col">step</th><th scope="col">value</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="xai-s-pd" aria-labelledby="xai-h-pd" hidden>
    <h2 id="xai-h-pd">Partial dependence and ICE</h2>
    <div class="xai-controls"><vscode-single-select class="xai-pd-feature" aria-label="Partial dependence feature"></vscode-single-select></div>
    <p class="xai-caption xai-pd-caption"></p>
    <div class="xai-chart xai-pd" role="figure" aria-labelledby="xai-h-pd"></div>
  </section>
  <section class="xai-s-explanation" aria-labelledby="xai-h-explanation" hidden>
    <h2 id="xai-h-explanation">Explanation report</h2>
    <div class="xai-markdown"></div>
  </section>`;

const $ = <T extends Element = HTMLElement>(sel: string): T => root.querySelector<T>(sel)!;
const importanceSelect = $<Select>('.xai-importance-method');
const sampleSelect = $<Select>('.xai-sample');
const pdSelect = $<Select>('.xai-pd-feature');

/** Chart width: the report's content width, at least 360 px. */
const chartWidth = (): number => Math.max(360, Math.min(1160, root.clientWidth - 40));

function save(): void {
  if (!embedded) vscode.setState(state);
}

function readEmbedded(): Extract<HostToReportMessage, { type: 'report' }> | undefined {
  const el = document.getElementById('xai-report-data');
  if (!el) return undefined;
  try {
    const m = JSON.parse(el.textContent ?? '') as unknown;
    if (isHostToReportMessage(m) && m.type === 'report') return m;
  } catch { /* fall through */ }
  console.warn('[report] the embedded report is not a valid report message');
  return undefined;
}

function readState(): ReportState {
  const s = vscode.getState() as ReportState | undefined;
  if (!s || typeof s !== 'object') return {};
  // A state from an older build, or damaged: keep only what still validates.
  return s.message && !isHostToReportMessage(s.message) ? { ...s, message: undefined } : s;
}

/** Replaces a select's options; each label goes in as text. */
function fillSelect(select: Select, options: { value: string; label: string }[], chosen: string | undefined): string | undefined {
  select.replaceChildren(...options.map((o) => {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', o.value);
    option.textContent = o.label;
    if (o.value === chosen) option.setAttribute('selected', '');
    return option;
  }));
  const value = options.some((o) => o.value === chosen) ? chosen : options[0]?.value;
  if (value !== undefined) select.value = value;
  return value;
}

function show(section: string, visible: boolean): void {
  $(section).hidden = !visible;
}

function drawMetrics(report: RunReport): void {
  const rows = metricRows(report);
  // A k-fold run's metrics come from its out-of-fold predictions: every row predicted by the model that did not see it.
  $('#xai-h-metrics').textContent = report.crossValidation ? 'Out-of-fold metrics (every row, predicted by the fold model that did not see it)' : 'Validation metrics';
  $('.xai-model-head').textContent = `model (${report.model.type})`;
  $('.xai-baseline-head').textContent = `baseline (${baselineName(report)})`;
  $('table.xai-metrics tbody').replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.metric = r.label;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = r.label;
    const cell = (v: number | null, cls = 'num'): HTMLTableCellElement => {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = v === null ? '—' : formatNumber(v);
      if (v !== null) td.dataset.value = String(v);
      return td;
    };
    const diff = r.model !== null && r.baseline !== null ? r.model - r.baseline : null;
    const better = diff === null || diff === 0 ? '' : (diff < 0) === (r.better === 'lower') ? ' xai-better' : ' xai-worse';
    tr.append(th, cell(r.model), cell(r.baseline), cell(diff, `num${better}`));
    return tr;
  }));
  $('.xai-metrics-note').textContent = report.task === 'classification'
    ? 'Higher accuracy, precision, recall, F1 and ROC AUC are better; lower log loss is better.'
    : `Lower RMSE and MAE are better; R² closer to 1 is better. Errors are in ${report.target}'s units.`;
  show('.xai-s-metrics', true);
}

/** A k-fold run's scores over the folds (mean ± population std, and each fold's), model beside baseline. */
function drawCrossValidation(report: RunReport): void {
  const cv = crossValidationView(report);
  show('.xai-s-cv', !!cv && cv.rows.length > 0);
  if (!cv) return;
  $('#xai-h-cv').textContent = `${cv.k}-fold cross-validation${cv.stratified ? ' (stratified)' : ''}`;
  $('.xai-cv-model-head').textContent = `model (${report.model.type}), mean ± std`;
  $('.xai-cv-baseline-head').textContent = `baseline (${cv.baselineName}), mean ± std`;
  const cell = (m: { mean: number; std: number } | null): HTMLTableCellElement => {
    const td = document.createElement('td');
    td.className = 'num';
    td.textContent = m ? `${formatNumber(m.mean)} ± ${formatNumber(m.std)}` : '—';
    if (m) { td.dataset.mean = String(m.mean); td.dataset.std = String(m.std); }
    return td;
  };
  $('table.xai-cv tbody').replaceChildren(...cv.rows.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.metric = r.label;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = r.label;
    const folds = document.createElement('td');
    folds.className = 'xai-folds';
    folds.textContent = r.model.values.map(formatNumber).join(', ');
    tr.append(th, cell(r.model), cell(r.baseline), folds);
    return tr;
  }));
  $('.xai-cv-note').textContent = `Each of the ${cv.k} models was trained on the other folds and scored on its own (seed ${cv.seed}); std is over the folds (population). ${cv.finalModel.charAt(0).toUpperCase()}${cv.finalModel.slice(1)}`;
}

function drawCurves(report: RunReport): void {
  const points = trainingCurves(report);
  show('.xai-s-curves', points.length > 0);
  const box = $('.xai-curves');
  box.replaceChildren();
  if (points.length) box.append(trainingCurvesChart(points, chartWidth(), 'loss'));
}

function drawImportance(report: RunReport, refill: boolean): void {
  const all = importanceSeries(report);
  show('.xai-s-importance', all.length > 0);
  if (!all.length) return;
  if (refill) state.importance = fillSelect(importanceSelect, all.map((s) => ({ value: s.kind, label: s.label })), state.importance);
  const series = all.find((s) => s.kind === state.importance) ?? all[0]!;
  $('.xai-importance-caption').textContent = series.caption;
  $('.xai-importance').replaceChildren(importanceChart(series, chartWidth()));
}

function drawShap(report: RunReport, refill: boolean): void {
  const shap = shapSection(report);
  show('.xai-s-shap', !!shap && shap.values.length > 0);
  if (!shap || !shap.values.length) return;
  const { order, points } = beeswarmPoints(shap);
  $('.xai-shap-caption').textContent = `${shap.algorithm.replace(/_/g, ' ')} values of ${shap.output} for ${shap.values.length} samples ` +
    `(${points.length} dots); features by decreasing mean |SHAP value|. Each prediction = the base value ${formatNumber(shap.baseValue)} + its SHAP values.` +
    (shap.x ? ' Colour: the feature\'s value in the sample, from its lowest (blue) to its highest (red) among these samples.' : '');
  $('.xai-legend-value').hidden = !shap.x;
  $('.xai-legend-sign').hidden = !!shap.x;
  $('.xai-beeswarm').replaceChildren(beeswarmChart(order, points, shap.values.length, chartWidth(), shap.output));
  if (refill) {
    const chosen = fillSelect(sampleSelect, shap.rows.map((row, i) => ({
      value: String(i), label: `sample ${i + 1} (row ${row} of the split) · prediction ${formatNumber(shap.predictions[i]!)}`,
    })), state.sample !== undefined ? String(state.sample) : undefined);
    state.sample = chosen === undefined ? 0 : Number(chosen);
  }
  drawWaterfall(report);
}

function drawWaterfall(report: RunReport): void {
  const shap = shapSection(report);
  if (!shap || !shap.values.length) return;
  const i = Math.min(Math.max(0, state.sample ?? 0), shap.values.length - 1);
  const w = waterfall(shap, i);
  $('.xai-waterfall-caption').textContent = `Sample ${i + 1} of ${shap.values.length} (row ${shap.rows[i]} of the split): ` +
    `base value ${formatNumber(w.base)} + the SHAP values below = prediction ${formatNumber(w.prediction)}.`;
  $('.xai-waterfall').replaceChildren(waterfallChart(w.base, w.prediction, w.steps, chartWidth(), shap.output));
  const row = (label: string, value: number, kind: string): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    tr.dataset.kind = kind;
    const th = document.createElement('th'); th.scope = 'row'; th.textContent = label;
    const td = document.createElement('td'); td.textContent = formatNumber(value); td.dataset.value = String(value);
    tr.append(th, td);
    return tr;
  };
  $('.xai-waterfall-table tbody').replaceChildren(row('base value', w.base, 'base'), ...w.steps.map((s) => row(s.feature, s.phi, 'contribution')),
    row('prediction', w.prediction, 'prediction'));
}

function drawPd(report: RunReport, refill: boolean): void {
  const curves = pdCurves(report);
  show('.xai-s-pd', curves.length > 0);
  if (!curves.length) return;
  if (refill) state.pdFeature = fillSelect(pdSelect, curves.map((c) => ({ value: c.feature, label: c.feature })), state.pdFeature);
  const c = curves.find((x) => x.feature === state.pdFeature) ?? curves[0]!;
  const ice = Array.isArray(c.ice) ? c.ice.filter((l) => Array.isArray(l)) : [];
  $('.xai-pd-caption').textContent = `Average prediction of ${pdOutput(report)} as ${c.feature} moves over its grid, the other features kept` +
    (ice.length ? `; thin lines: ${ice.length} individual samples (ICE).` : ' (this run computed no ICE curves: set ice: true).');
  $('.xai-pd').replaceChildren(partialDependenceChart(c.feature, c.grid, c.average, ice, chartWidth(), pdOutput(report)));
}

function drawExplanation(markdown: string | null): void {
  show('.xai-s-explanation', !!markdown);
  $('.xai-markdown').innerHTML = markdown ? renderMarkdown(markdown) : '';
}

/** Draws everything from the state's report message; `refill` rebuilds the pickers (a new report). */
function render(refill: boolean): void {
  const m = state.message;
  if (!m) return;
  const r = m.report;
  $('.xai-empty').hidden = true;
  $('.xai-title').textContent = `${r.spec?.name ?? 'Run'}: run report`;
  $('.xai-run').textContent = `Run ${r.runId} · ${r.createdAt ?? ''} · ${r.model?.type ?? ''} · backend ${r.backend ?? ''} · seed ${r.seed ?? ''}${m.pinned ? ' · this run folder' : ' · latest run'}`;
  const split = r.crossValidation ? `${r.crossValidation.k}-fold cross-validation` : `${r.data?.trainRows ?? '?'} training, ${r.data?.validationRows ?? '?'} validation`;
  $('.xai-data').textContent = `Data ${r.data?.path ?? ''}: ${r.data?.rows ?? '?'} rows (${split}) · ` +
    `target ${r.target} · ${r.features.length} features`;
  const steps: [string, () => void][] = [
    ['cross-validation', () => drawCrossValidation(r)], ['training curves', () => drawCurves(r)], ['importance', () => drawImportance(r, refill)],
    ['SHAP', () => drawShap(r, refill)], ['partial dependence', () => drawPd(r, refill)],
    // report.html shows these itself.
    ...(embedded ? [] : [['metrics', () => drawMetrics(r)], ['explanation', () => drawExplanation(m.explanationMarkdown)]] as [string, () => void][]),
  ];
  $('header').hidden = !!embedded;
  // One section that cannot be drawn (an odd report) must not take the others with it.
  for (const [name, draw] of steps) {
    try { draw(); } catch (e) { reportError(`the ${name} section could not be drawn: ${e instanceof Error ? e.message : String(e)}`); }
  }
}

function reportError(message: string): void {
  console.warn(`[report] ${message}`);
  vscode.postMessage({ type: 'error', message: message.slice(0, 2000) });
}

function onMessage(message: HostToReportMessage): void {
  if (message.type === 'empty') {
    state = { ...state, message: undefined, specUri: message.specUri ?? state.specUri };
    save();
    for (const s of ['.xai-s-metrics', '.xai-s-cv', '.xai-s-curves', '.xai-s-importance', '.xai-s-shap', '.xai-s-pd', '.xai-s-explanation']) show(s, false);
    const empty = $('.xai-empty');
    empty.hidden = false;
    empty.textContent = message.message;
    return;
  }
  const sameRun = state.message?.runDir === message.runDir;
  state = { ...state, message, specUri: message.specUri ?? state.specUri, pinnedRunDir: message.pinned ? message.runDir : undefined };
  // A new run: its samples and features may differ; keep the choices only where they still exist (fillSelect).
  if (!sameRun) state.sample = 0;
  save();
  render(true);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToReportMessage(event.data)) {
    let preview: string;
    try { preview = JSON.stringify(event.data)?.slice(0, 200) ?? String(event.data); } catch { preview = typeof event.data; }
    console.warn(`[report] dropped an invalid message: ${preview}`);
    return;
  }
  onMessage(event.data);
});

importanceSelect.addEventListener('change', () => {
  state.importance = importanceSelect.value; save();
  if (state.message) drawImportance(state.message.report, false);
});
const pickSample = (i: number): void => {
  const n = state.message ? shapSection(state.message.report)?.values.length ?? 0 : 0;
  if (!n || !state.message) return;
  state.sample = ((i % n) + n) % n; save();
  sampleSelect.value = String(state.sample);
  drawWaterfall(state.message.report);
};
sampleSelect.addEventListener('change', () => pickSample(Number(sampleSelect.value)));
$('.xai-prev').addEventListener('click', () => pickSample((state.sample ?? 0) - 1));
$('.xai-next').addEventListener('click', () => pickSample((state.sample ?? 0) + 1));
pdSelect.addEventListener('change', () => {
  state.pdFeature = pdSelect.value; save();
  if (state.message) drawPd(state.message.report, false);
});

// Redraw at the new width when the panel is resized (debounced: a drag fires many events).
let lastWidth = chartWidth();
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (chartWidth() !== lastWidth) { lastWidth = chartWidth(); render(false); } }, 150);
}).observe(root);

if (state.message) render(true);
vscode.postMessage({ type: 'ready' });
