/**
 * Colour arithmetic for overlays: sequential scales and WCAG relative luminance. Pure functions, no DOM.
 */

export type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb` or `#rrggbbaa` (alpha ignored) into 0–255 channels; undefined otherwise. */
export function parseHex(hex: string): Rgb | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(hex.trim());
  if (!m) return undefined;
  let h = m[1]!;
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** Parses `rgb(r, g, b)` / `rgba(r, g, b, a)` as getComputedStyle returns it, or a hex colour. */
export function parseColor(text: string): Rgb | undefined {
  const hex = parseHex(text);
  if (hex) return hex;
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function toHex([r, g, b]: Rgb): string {
  const h = (v: number): string => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** WCAG 2 relative luminance of an sRGB colour, in [0, 1]. */
export function relativeLuminance([r, g, b]: Rgb): number {
  const lin = (v: number): number => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever contrasts more with `background` (WCAG contrast ratio). */
export function textColorOn(background: Rgb): string {
  const l = relativeLuminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/**
 * A sequential colour scale: piecewise-linear interpolation in sRGB between `stops` for t ∈ [0, 1] (clamped).
 * When every channel of the stops is monotone in the same direction, luminance is monotone in t, so the order
 * of the shades is the order of the values.
 */
export function sequentialScale(stops: readonly string[]): (t: number) => string {
  const rgb = stops.map((s) => parseHex(s)!);
  return (t: number): string => {
    const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(x));
    const f = x - i;
    const a = rgb[i]!;
    const b = rgb[i + 1]!;
    return toHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
  };
}

/**
 * The importance scales: ColorBrewer "Blues" (Brewer, colorbrewer2.org). On light themes higher importance is
 * darker; on dark themes it is brighter: either way more important means more contrast with the background.
 */
export const IMPORTANCE_STOPS = {
  light: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
  dark: ['#172a3f', '#1f4b7a', '#2c6fad', '#4292c6', '#6baed6', '#9ecae1', '#c6dbef', '#e3eef9'],
} as const;
