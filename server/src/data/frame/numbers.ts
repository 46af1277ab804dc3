/**
 * Number parsing from CSV cell texts: the fast path of Clinger (1990, "How to read floating point numbers
 * accurately"): a decimal with at most 15 significant digits and a power of ten up to 10^22 is exactly
 * `mantissa × 10^e` or `mantissa / 10^−e` in one correctly rounded IEEE operation, so the result equals
 * `Number(text)` bit for bit. Longer forms fall back to `Number`. Scanning the characters once is cheaper than a
 * regular expression followed by `Number`, and it rejects the forms `Number` accepts but a CSV number is not.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The number a trimmed cell text writes (ASCII decimal: sign, digits, point, exponent), or NaN when the text is not
 * such a number (`NaN`, `1,5`, `0x10`, `Infinity`, `.` and `` are not).
 */
export function parseNumberText(t: string): number {
  const end = t.length;
  let p = 0;
  let neg = false;
  let b = t.charCodeAt(0);
  if (b === 45 || b === 43) { neg = b === 45; p++; }
  let mant = 0;
  let digits = 0;
  let significant = 0;
  while (p < end && (b = t.charCodeAt(p)) >= 48 && b <= 57) {
    mant = mant * 10 + (b - 48);
    digits++;
    if (significant > 0 || b !== 48) significant++;
    p++;
  }
  let frac = 0;
  if (p < end && t.charCodeAt(p) === 46) {
    p++;
    while (p < end && (b = t.charCodeAt(p)) >= 48 && b <= 57) {
      mant = mant * 10 + (b - 48);
      digits++; frac++;
      if (significant > 0 || b !== 48) significant++;
      p++;
    }
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (p < end && ((b = t.charCodeAt(p)) === 101 || b === 69)) {
    p++;
    let eneg = false;
    if (p < end && ((b = t.charCodeAt(p)) === 45 || b === 43)) { eneg = b === 45; p++; }
    let ed = 0;
    while (p < end && (b = t.charCodeAt(p)) >= 48 && b <= 57) { exp = exp * 10 + (b - 48); ed++; p++; if (exp > 100000) exp = 100000; }
    if (ed === 0) return NaN;
    if (eneg) exp = -exp;
  }
  if (p !== end) return NaN;
  const e10 = exp - frac;
  if (significant <= 15 && digits <= 30 && e10 >= -22 && e10 <= 22) {
    const v = e10 < 0 ? mant / POW10[-e10]! : mant * POW10[e10]!;
    return neg ? -v : v;
  }
  return Number(t);
}
