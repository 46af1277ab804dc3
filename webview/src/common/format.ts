/** Number formatting shared by the webviews and report.html. */

/** A number with 3 significant digits; exponent notation only below 0.001 or from 1e6 (in absolute value). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
