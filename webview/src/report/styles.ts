/** The report view's styles: VS Code's theme variables only, so light, dark and high-contrast themes just work. */
export const REPORT_CSS = `
body { margin: 0; padding: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
.xai-report { padding: 12px 20px 32px; max-width: 1200px; }
.xai-report h1 { font-size: 1.5em; font-weight: 600; margin: 0 0 4px; overflow-wrap: anywhere; }
.xai-report h2 { font-size: 1.15em; font-weight: 600; margin: 28px 0 6px; }
.xai-meta, .xai-caption { color: var(--vscode-descriptionForeground); margin: 0 0 6px; overflow-wrap: anywhere; }
.xai-controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0 8px; }
.xai-controls vscode-single-select { min-width: 220px; }
.xai-chart { overflow-x: auto; }
.xai-chart svg { max-width: 100%; height: auto; }
table.xai-metrics, table.xai-cv { border-collapse: collapse; min-width: 420px; }
table.xai-metrics th, table.xai-metrics td, table.xai-cv th, table.xai-cv td { padding: 4px 12px; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); text-align: left; }
table.xai-metrics td.num, table.xai-metrics th.num, table.xai-cv td.num, table.xai-cv th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.xai-cv td.xai-folds { color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
td.xai-better { color: var(--vscode-charts-green, var(--vscode-foreground)); }
td.xai-worse { color: var(--vscode-errorForeground); }
.xai-legend { display: flex; gap: 16px; margin: 2px 0; color: var(--vscode-descriptionForeground); }
.xai-swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 6px; }
.xai-swatch.dot { width: 9px; height: 9px; border-radius: 50%; }
.xai-gradient { display: inline-block; width: 80px; height: 8px; align-self: center; }
.xai-legend[hidden] { display: none; }
.xai-markdown { border-left: 3px solid var(--vscode-textBlockQuote-border, var(--vscode-panel-border)); padding: 0 12px; overflow-wrap: anywhere; }
.xai-markdown table { border-collapse: collapse; }
.xai-markdown th, .xai-markdown td { border: 1px solid var(--vscode-panel-border); padding: 2px 8px; }
.xai-markdown code { font-family: var(--vscode-editor-font-family, monospace); }
.xai-empty { color: var(--vscode-descriptionForeground); }
.xai-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
/* High contrast: outline bars and dots with the theme's contrast border so that they hold against any background. */
body:is(.vscode-high-contrast, .vscode-high-contrast-light) .xai-chart :is(rect, circle) { stroke: var(--vscode-contrastBorder); stroke-width: 1px; }
@media (forced-colors: active) { .xai-swatch { forced-color-adjust: none; } }
`;
