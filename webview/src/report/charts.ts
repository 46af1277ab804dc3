/**
 * The report's charts, drawn with Observable Plot (SVG; d3 underneath, the same d3 Mermaid already brings). Every
 * colour is a `--vscode-charts-*` variable, so a theme switch recolours the SVG without a redraw; every text from
 * the data (feature names, class names) reaches the SVG through d3's `.text()`, i.e. as text, never as markup.
 */
import * as Plot from '@observablehq/plot';
import { formatNumber } from '../common/format';
import type { BeeswarmPoint, EpochPoint, ImportanceSeries, WaterfallStep } from './data';

/** Theme colours, with VS Code's Light Modern values as fallbacks for pages without the variables. */
export const CHART_COLORS = {
  fg: 'var(--vscode-charts-foreground, #616161)',
  lines: 'var(--vscode-charts-lines, rgba(97, 97, 97, 0.5))',
  blue: 'var(--vscode-charts-blue, #1a85ff)',
  red: 'var(--vscode-charts-red, #e51400)',
  orange: 'var(--vscode-charts-orange, #d18616)',
  green: 'var(--vscode-charts-green, #388a34)',
} as const;

const STYLE = { background: 'transparent', color: CHART_COLORS.fg, fontSize: '12px', fontFamily: 'var(--vscode-font-family, system-ui, sans-serif)' };

/** Left margin that fits the longest label (about 7 px per character at 12 px), capped so a long header cannot take the chart. */
function labelMargin(labels: readonly string[]): number {
  const longest = labels.reduce((m, l) => Math.max(m, Array.from(l).length), 0);
  return Math.min(260, Math.max(60, 7 * longest + 16));
}

/** Labels longer than this are cut on the axis (the full text stays in the element's tooltip). */
const AXIS_LABEL_CHARS = 36;
const cut = (s: string): string => (Array.from(s).length > AXIS_LABEL_CHARS ? `${Array.from(s).slice(0, AXIS_LABEL_CHARS - 1).join('')}…` : s);
const signed = (x: number): string => (x >= 0 ? `+${formatNumber(x)}` : formatNumber(x));

/** Loss and validation loss per epoch; a log scale when the loss spans more than two decades. */
export function trainingCurvesChart(points: readonly EpochPoint[], width: number, lossName: string): SVGSVGElement | HTMLElement {
  const values = points.map((p) => p.value);
  const positive = values.every((v) => v > 0);
  const log = positive && Math.max(...values) / Math.min(...values) > 100;
  const series = (name: EpochPoint['series'], stroke: string, dash?: string) => Plot.line(points.filter((p) => p.series === name), {
    x: 'epoch', y: 'value', stroke, strokeWidth: 2, ...(dash ? { strokeDasharray: dash } : {}), ariaDescription: name,
    className: name === 'loss' ? 'xai-curve-loss' : 'xai-curve-validation',
  });
  return Plot.plot({
    width, height: 260, style: STYLE, marginLeft: 60,
    ariaLabel: `Training curves: ${lossName} per epoch`,
    x: { label: 'epoch', grid: true },
    y: { label: `${lossName}${log ? ' (log scale)' : ''}`, type: log ? 'log' : 'linear', grid: true },
    marks: [series('loss', CHART_COLORS.blue), series('validation loss', CHART_COLORS.orange, '6,3')],
  });
}

/** Horizontal bars by decreasing value with their intervals as error bars (whiskers with caps). */
export function importanceChart(series: ImportanceSeries, width: number): SVGSVGElement | HTMLElement {
  const bars = series.bars;
  const withCi = bars.filter((b) => b.lo !== undefined && b.hi !== undefined);
  const domain = bars.map((b) => b.feature);
  return Plot.plot({
    width, height: Math.max(120, 26 * bars.length + 50), style: STYLE, marginLeft: labelMargin(domain.map(cut)), marginRight: 24,
    ariaLabel: `${series.label} per feature, largest first`,
    y: { domain, label: null, tickFormat: cut },
    x: { label: series.label, grid: true },
    marks: [
      Plot.barX(bars, {
        y: 'feature', x1: () => 0, x2: 'value', fill: CHART_COLORS.blue, insetTop: 3, insetBottom: 3,
        ariaLabel: (d: (typeof bars)[number]) => d.feature, title: (d: (typeof bars)[number]) => `${d.feature}: ${formatNumber(d.value)}` +
          (d.lo !== undefined && d.hi !== undefined ? ` [${formatNumber(d.lo)}, ${formatNumber(d.hi)}]` : ''),
        className: 'xai-importance-bar',
      }),
      Plot.ruleY(withCi, { y: 'feature', x1: 'lo', x2: 'hi', stroke: CHART_COLORS.fg, strokeWidth: 1.5, className: 'xai-error-bar' }),
      Plot.tickX(withCi, { y: 'feature', x: 'lo', stroke: CHART_COLORS.fg, insetTop: 7, insetBottom: 7 }),
      Plot.tickX(withCi, { y: 'feature', x: 'hi', stroke: CHART_COLORS.fg, insetTop: 7, insetBottom: 7 }),
      Plot.ruleX([0], { stroke: CHART_COLORS.fg }),
    ],
  });
}

/**
 * The colour of a summary-plot dot: with the feature's value, a mix from blue (the feature's lowest explained
 * value) to red (its highest), as in SHAP's summary plot (CSS color-mix of the theme's colours, so a theme switch
 * recolours it); without, red when the SHAP value raises the prediction and blue when it lowers it.
 */
export function beeswarmColor(d: BeeswarmPoint): string {
  if (d.level === undefined) return d.phi >= 0 ? CHART_COLORS.red : CHART_COLORS.blue;
  return `color-mix(in srgb, ${CHART_COLORS.red} ${Math.round(100 * d.level)}%, ${CHART_COLORS.blue})`;
}

/**
 * The SHAP summary (beeswarm): one row per feature, by decreasing mean |SHAP|; one dot per (sample, feature) at
 * its SHAP value, stacked where dots would overlap (Plot's dodge), coloured by the feature's value (beeswarmColor).
 */
export function beeswarmChart(order: readonly string[], points: readonly BeeswarmPoint[], samples: number, width: number, output: string): SVGSVGElement | HTMLElement {
  const r = samples > 200 ? 2 : 3;
  const rowHeight = Math.min(110, Math.max(30, 14 + 2 * r * Math.ceil(Math.sqrt(samples) * 1.5)));
  return Plot.plot({
    width, height: rowHeight * order.length + 50, style: STYLE, marginLeft: labelMargin(order.map(cut)), marginRight: 24,
    ariaLabel: `SHAP summary: the SHAP value of each explained sample for each feature, features by decreasing mean absolute SHAP value`,
    fy: { domain: order as string[], label: null, axis: 'left', tickFormat: cut },
    x: { label: `SHAP value (impact on ${output})`, grid: true },
    color: { type: 'identity' },
    marks: [
      Plot.ruleX([0], { stroke: CHART_COLORS.lines }),
      Plot.dot(points, Plot.dodgeY('middle', {
        x: 'phi', fy: 'feature', r, fill: beeswarmColor, stroke: 'none', className: 'xai-beeswarm-dot',
        title: (d: BeeswarmPoint) => `${d.feature}, sample ${d.sample + 1}: ${signed(d.phi)}${d.value !== undefined ? ` (value ${formatNumber(d.value)})` : ''}`,
      })),
    ],
  });
}

/**
 * One sample's waterfall: from the base value (the average prediction) each feature's SHAP value as a bar from
 * the running total to the next, largest |φ| at the top; the last bar ends at the prediction.
 */
export function waterfallChart(base: number, prediction: number, steps: readonly WaterfallStep[], width: number, output: string): SVGSVGElement | HTMLElement {
  const domain = steps.map((s) => s.feature);
  const lo = Math.min(base, prediction, ...steps.map((s) => Math.min(s.start, s.end)));
  const hi = Math.max(base, prediction, ...steps.map((s) => Math.max(s.start, s.end)));
  const pad = (hi - lo || 1) * 0.12;
  return Plot.plot({
    width, height: Math.max(140, 28 * steps.length + 70), style: STYLE, marginLeft: labelMargin(domain.map(cut)), marginRight: 24, marginTop: 28,
    ariaLabel: `SHAP waterfall of ${output}: from the base value ${formatNumber(base)} to the prediction ${formatNumber(prediction)}`,
    y: { domain, label: null, tickFormat: cut },
    x: { label: output, grid: true, domain: [lo - pad, hi + pad] },
    color: { type: 'identity' },
    marks: [
      Plot.ruleX([base], { stroke: CHART_COLORS.lines, strokeDasharray: '4,3' }),
      Plot.ruleX([prediction], { stroke: CHART_COLORS.fg }),
      Plot.text([base], { x: (d: number) => d, frameAnchor: 'top', dy: -16, text: () => `base ${formatNumber(base)}`, fill: CHART_COLORS.fg }),
      Plot.text([prediction], { x: (d: number) => d, frameAnchor: 'top', dy: -4, text: () => `f(x) = ${formatNumber(prediction)}`, fill: CHART_COLORS.fg }),
      Plot.barX(steps, {
        y: 'feature', x1: 'start', x2: 'end', fill: (d: WaterfallStep) => (d.phi >= 0 ? CHART_COLORS.red : CHART_COLORS.blue), insetTop: 3, insetBottom: 3,
        title: (d: WaterfallStep) => `${d.feature}: ${signed(d.phi)}`, className: 'xai-waterfall-bar',
      }),
      Plot.text(steps, {
        y: 'feature', x: (d: WaterfallStep) => Math.max(d.start, d.end), text: (d: WaterfallStep) => signed(d.phi), dx: 4, textAnchor: 'start', fill: CHART_COLORS.fg,
      }),
    ],
  });
}

/** Partial dependence (thick) over its ICE curves (thin, one per sample), for one feature. */
export function partialDependenceChart(feature: string, grid: readonly number[], average: readonly number[], ice: readonly (readonly number[])[], width: number, output: string): SVGSVGElement | HTMLElement {
  const avg = grid.map((x, i) => ({ x, y: average[i]! }));
  const lines = ice.flatMap((curve, line) => (curve.length === grid.length ? curve.map((y, i) => ({ x: grid[i]!, y, line })) : []))
    .filter((p) => Number.isFinite(p.y));
  return Plot.plot({
    width, height: 280, style: STYLE, marginLeft: 60,
    ariaLabel: `Partial dependence of ${output} on ${feature}${ice.length ? `, with ${ice.length} ICE curves` : ''}`,
    x: { label: `${feature} (as the model sees it)`, grid: true },
    y: { label: `${output}`, grid: true },
    marks: [
      ...(lines.length ? [Plot.line(lines, { x: 'x', y: 'y', z: 'line', stroke: CHART_COLORS.lines, strokeOpacity: 0.5, strokeWidth: 1, className: 'xai-ice-line' })] : []),
      Plot.line(avg, { x: 'x', y: 'y', stroke: CHART_COLORS.orange, strokeWidth: 3, className: 'xai-pd-line' }),
      Plot.dot(avg, { x: 'x', y: 'y', r: 2.5, fill: CHART_COLORS.orange }),
    ],
  });
}
