/**
 * Stand-ins for the `--vscode-*` CSS variables that VS Code gives a webview, for pages shown outside VS Code
 * (report.html) and for tests. Values are VS Code's "Light Modern" and "Dark Modern" themes; only the variables the
 * flowchart, the report charts (`charts-*`) and their `@vscode-elements` controls read are listed.
 */
export const LIGHT_MODERN: Readonly<Record<string, string>> = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  foreground: '#3b3b3b', 'editor-foreground': '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b',
  'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', 'sideBar-background': '#f8f8f8',
  focusBorder: '#005fb8', errorForeground: '#f85149', 'panel-border': '#e5e5e5',
  'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b',
  'settings-dropdownListBorder': '#c8c8c8', 'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxBorder': '#cecece',
  'settings-checkboxForeground': '#3b3b3b', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece',
  'checkbox-foreground': '#3b3b3b', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'list-hoverBackground': '#f2f2f2', 'list-focusOutline': '#005fb8', 'widget-shadow': 'rgba(0, 0, 0, 0.16)',
  'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
  'textLink-foreground': '#005fb8', 'textBlockQuote-background': '#f8f8f8',
  'charts-foreground': '#616161', 'charts-lines': 'rgba(97, 97, 97, 0.5)', 'charts-red': '#e51400', 'charts-blue': '#1a85ff',
  'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
};

export const DARK_MODERN: Readonly<Record<string, string>> = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  foreground: '#cccccc', 'editor-foreground': '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d',
  'editorWidget-background': '#202020', 'editorWidget-border': '#313131', 'sideBar-background': '#181818',
  focusBorder: '#0078d4', errorForeground: '#f85149', 'panel-border': '#2b2b2b',
  'settings-dropdownBackground': '#313131', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc',
  'settings-dropdownListBorder': '#454545', 'settings-checkboxBackground': '#313131', 'settings-checkboxBorder': '#3c3c3c',
  'settings-checkboxForeground': '#cccccc', 'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c',
  'checkbox-foreground': '#cccccc', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'list-hoverBackground': '#2a2d2e', 'list-focusOutline': '#0078d4', 'widget-shadow': 'rgba(0, 0, 0, 0.36)',
  'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
  'textLink-foreground': '#4daafc', 'textBlockQuote-background': '#2b2b2b',
  'charts-foreground': '#cccccc', 'charts-lines': 'rgba(204, 204, 204, 0.5)', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
  'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
};

/** CSS declarations `--vscode-<name>: <value>;` for one theme. */
export function themeVarDeclarations(vars: Readonly<Record<string, string>>): string {
  return Object.entries(vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
}
