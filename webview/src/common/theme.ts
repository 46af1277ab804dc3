/**
 * The editor's theme as the webview sees it: VS Code puts `vscode-light`, `vscode-dark`, `vscode-high-contrast`
 * (and `vscode-high-contrast-light`) on <body> and defines `--vscode-*` CSS variables. Outside VS Code
 * (report.html) there is no class and the page's own fallbacks apply; the scheme then follows
 * `prefers-color-scheme`. Browser only.
 */
import { parseColor, toHex, type Rgb } from './color';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  if (c.contains('vscode-light')) return 'light';
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function isDark(kind: ThemeKind): boolean {
  return kind === 'dark' || kind === 'high-contrast';
}

/**
 * Resolves a `--vscode-*` variable to `#rrggbb` (Mermaid's colour maths needs concrete colours, not `var()`).
 * A translucent value is composited over `over` (default: the editor background). Falls back to `fallback`.
 */
export function cssColor(variable: string, fallback: string, over?: Rgb): string {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  probe.style.color = `var(${variable}, ${fallback})`;
  document.body.appendChild(probe);
  const value = getComputedStyle(probe).color;
  probe.remove();
  const rgb = parseColor(value) ?? parseColor(fallback) ?? [128, 128, 128];
  const alpha = /rgba\([^)]*,\s*([\d.]+)\s*\)/.exec(value);
  if (alpha && over) {
    const a = Number(alpha[1]);
    return toHex([rgb[0] * a + over[0] * (1 - a), rgb[1] * a + over[1] * (1 - a), rgb[2] * a + over[2] * (1 - a)]);
  }
  return toHex(rgb);
}

function cssValue(variable: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return v.length ? v : fallback;
}

/** Mermaid theme settings: the `base` theme (the one Mermaid lets us colour) fed from the --vscode-* variables. */
export function mermaidTheme(kind: ThemeKind = themeKind()): { theme: 'base'; darkMode: boolean; themeVariables: Record<string, string | boolean> } {
  const dark = isDark(kind);
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const background = cssColor('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const bg = parseColor(background)!;
  const foreground = cssColor('--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f', bg);
  const border = hc
    ? cssColor('--vscode-contrastBorder', dark ? '#6fc3df' : '#0f4a85', bg)
    : cssColor('--vscode-editorWidget-border', dark ? '#454545' : '#c8c8c8', bg);
  const nodeFill = cssColor('--vscode-editorWidget-background', dark ? '#252526' : '#f3f3f3', bg);
  const groupFill = cssColor('--vscode-sideBar-background', dark ? '#1b1b1c' : '#f8f8f8', bg);
  const line = cssColor('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#616161', bg);
  return {
    theme: 'base',
    darkMode: dark,
    themeVariables: {
      darkMode: dark,
      background,
      fontFamily: cssValue('--vscode-font-family', 'system-ui, -apple-system, "Segoe UI", sans-serif'),
      fontSize: cssValue('--vscode-font-size', '13px'),
      primaryColor: nodeFill,
      primaryTextColor: foreground,
      primaryBorderColor: border,
      secondaryColor: groupFill,
      tertiaryColor: groupFill,
      lineColor: line,
      textColor: foreground,
      nodeTextColor: foreground,
      titleColor: foreground,
      clusterBkg: groupFill,
      clusterBorder: border,
      edgeLabelBackground: background,
    },
  };
}
