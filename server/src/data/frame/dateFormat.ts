/**
 * Dates in an explicit format, for the forms that cannot be guessed (`01/02/2000` is January 2 in the USA and
 * February 1 elsewhere). Tokens: `YYYY`, `YY` (2000 + yy), `MM`/`M` (month number), `MMM` (month name, `Jan` or
 * `January`), `DD`/`D`, `HH`, `mm`, `ss`; every other character stands for itself. Results are UTC milliseconds.
 */
import { parseDate } from '../dates';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TOKENS: [string, string][] = [
  ['YYYY', '(\\d{4})'], ['MMM', '([A-Za-z]{3,9}\\.?)'], ['YY', '(\\d{2})'], ['MM', '(\\d{2})'], ['DD', '(\\d{2})'],
  ['HH', '(\\d{2})'], ['mm', '(\\d{2})'], ['ss', '(\\d{2})'], ['M', '(\\d{1,2})'], ['D', '(\\d{1,2})'],
];

/**
 * A parser for one explicit format.
 * @returns text → UTC ms, or undefined when the text does not match or names no real day.
 * @throws Error when the format has no year, month or day token.
 */
export function dateParser(format: string): (text: string) => number | undefined {
  let pattern = '';
  const fields: string[] = [];
  for (let i = 0; i < format.length;) {
    const tok = TOKENS.find(([t]) => format.startsWith(t, i));
    if (tok) { pattern += tok[1]; fields.push(tok[0]); i += tok[0].length; } else { pattern += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); i++; }
  }
  if (!fields.some((f) => f.startsWith('Y')) || !fields.some((f) => f.startsWith('M') && f !== 'mm') || !fields.some((f) => f.startsWith('D'))) {
    throw new Error(`date format '${format}' needs a year (YYYY), a month (MM or MMM) and a day (DD)`);
  }
  const re = new RegExp(`^${pattern}$`);
  return (text) => {
    const m = re.exec(text.trim());
    if (!m) return undefined;
    let [y, mo, d, h, mi, s] = [0, -1, 0, 0, 0, 0];
    fields.forEach((f, k) => {
      const v = m[k + 1]!;
      if (f === 'YYYY') y = Number(v);
      else if (f === 'YY') y = 2000 + Number(v);
      else if (f === 'MMM') mo = MONTHS.indexOf(v.slice(0, 3).toLowerCase());
      else if (f === 'MM' || f === 'M') mo = Number(v) - 1;
      else if (f === 'DD' || f === 'D') d = Number(v);
      else if (f === 'HH') h = Number(v);
      else if (f === 'mm') mi = Number(v);
      else s = Number(v);
    });
    if (mo < 0 || mo > 11 || h > 23 || mi > 59 || s > 59) return undefined;
    const t = Date.UTC(y, mo, d, h, mi, s);
    const dt = new Date(t);
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo && dt.getUTCDate() === d ? t : undefined;
  };
}

/** The explicit format's parser, or the common forms of `parseDate` when no format is given. */
export function dateParserFor(format: string | undefined): (text: string) => number | undefined {
  return format ? dateParser(format) : parseDate;
}
