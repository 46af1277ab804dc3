/**
 * The flowchart page's stylesheet, injected as one <style> element (the panel's CSP allows inline styles because
 * Mermaid injects its own). Colours come from --vscode-* variables only; the fallbacks serve report.html.
 */
export const FLOWCHART_CSS = `
:root { color-scheme: light dark; }
body {
  margin: 0; padding: 0;
  color: var(--vscode-foreground, #1f1f1f);
  background: var(--vscode-editor-background, #ffffff);
  font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: var(--vscode-font-size, 13px);
}
.xai-root { display: flex; flex-direction: column; gap: 8px; padding: 8px 12px; }
.xai-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
.xai-toolbar vscode-single-select { min-width: 190px; }
.xai-status { color: var(--vscode-descriptionForeground, #616161); }
.xai-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; color: var(--vscode-descriptionForeground, #616161); }
.xai-legend[hidden] { display: none; }
.xai-legend-bar {
  width: 180px; height: 12px; border-radius: 2px;
  border: 1px solid var(--vscode-editorWidget-border, #c8c8c8);
}
.xai-error {
  padding: 6px 8px; border-radius: 2px;
  color: var(--vscode-errorForeground, #a1260d);
  background: var(--vscode-inputValidation-errorBackground, transparent);
  border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
}
.xai-error[hidden] { display: none; }
.xai-empty { color: var(--vscode-descriptionForeground, #616161); }
.xai-diagram { overflow: auto; }
.xai-diagram svg { display: block; margin: 0 auto; height: auto; }
.xai-diagram g.node[data-xai-range], .xai-diagram g.cluster[data-xai-range] { cursor: pointer; }
.xai-diagram g.node:focus { outline: none; }
.xai-diagram g.node:focus-visible > :is(rect, polygon, path, circle, ellipse) {
  stroke: var(--vscode-focusBorder, #0078d4) !important; stroke-width: 2px !important;
}
.xai-diagram g.node.xai-highlight > :is(rect, polygon, path, circle, ellipse),
.xai-diagram g.node.xai-highlight > g > :is(rect, polygon, path, circle, ellipse),
.xai-diagram g.cluster.xai-highlight > rect {
  stroke: var(--vscode-focusBorder, #0078d4) !important; stroke-width: 3px !important;
}
.xai-path-info {
  padding: 4px 8px; border-left: 3px solid var(--vscode-charts-orange, #d18616);
  color: var(--vscode-foreground, #1f1f1f);
}
.xai-path-info[hidden] { display: none; }
.xai-path-info p { margin: 2px 0; }
vscode-button[hidden] { display: none; }
/* The decision path: its nodes and edges in the charts' orange, the tree's other nodes faded. */
.xai-diagram svg.xai-has-path g.node.xai-path > :is(rect, polygon, path, circle, ellipse),
.xai-diagram svg.xai-has-path g.node.xai-path > g > :is(rect, polygon, path, circle, ellipse) {
  stroke: var(--vscode-charts-orange, #d18616) !important; stroke-width: 3px !important;
}
.xai-diagram svg.xai-has-path g.node[data-xai-kind="tree"]:not(.xai-path) { opacity: 0.4; }
.xai-diagram svg.xai-has-path path.flowchart-link.xai-path-edge {
  stroke: var(--vscode-charts-orange, #d18616) !important; stroke-width: 3px !important;
}
`;
