/** The Decision Path page's stylesheet: colours from --vscode-* variables only (light, dark and high contrast). */
export const PATHS_CSS = `
:root { color-scheme: light dark; }
body {
  margin: 0; padding: 8px 12px;
  color: var(--vscode-foreground, #1f1f1f);
  background: var(--vscode-editor-background, #ffffff);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
}
.xai-picker { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 8px; }
.xai-picker [hidden] { display: none; }
.xai-picker > span { display: inline-flex; gap: 6px; align-items: center; }
.xai-picker vscode-textfield { width: 110px; }
.xai-busy, .xai-step-detail, caption { color: var(--vscode-descriptionForeground, #616161); }
h2 { font-size: 1.05em; margin: 12px 0 6px; }
.xai-message { color: var(--vscode-descriptionForeground, #616161); }
.xai-message[role="alert"] { color: var(--vscode-errorForeground, #a1260d); }
.xai-columns { display: flex; flex-wrap: wrap; gap: 24px; }
.xai-columns > section { flex: 1 1 320px; min-width: 0; }
.xai-steps { padding-left: 22px; margin: 0; }
.xai-step { margin: 0 0 8px; padding-left: 6px; border-left: 3px solid var(--vscode-charts-orange, #d18616); }
.xai-step > span { display: block; }
.xai-step-test { font-family: var(--vscode-editor-font-family, monospace); }
.xai-leaf .xai-step-test { font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 10px; }
caption { text-align: left; padding-bottom: 4px; }
th, td { padding: 2px 8px; text-align: left; border-bottom: 1px solid var(--vscode-editorWidget-border, #c8c8c8); }
.xai-num { text-align: right; font-variant-numeric: tabular-nums; }
tr.xai-current td { background: var(--vscode-list-activeSelectionBackground, #e4e6f1); color: var(--vscode-list-activeSelectionForeground, inherit); }
button.xai-pick-row {
  font: inherit; cursor: pointer; border: none; padding: 0 4px; background: transparent;
  color: var(--vscode-textLink-foreground, #006ab1); text-decoration: underline;
}
button.xai-pick-row:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0078d4); }
.xai-bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 3px 8px; align-items: center; }
.xai-bar-row { display: contents; }
.xai-bar-track { display: block; height: 12px; background: var(--vscode-editorWidget-background, #f3f3f3); }
.xai-bar { display: block; height: 100%; }
.xai-pos { background: var(--vscode-charts-red, #e51400); }
.xai-neg { background: var(--vscode-charts-blue, #1a85ff); }
`;
