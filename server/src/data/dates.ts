/**
 * Parses the date forms found in CSV files, to sort rows chronologically. Dates become UTC milliseconds.
 *
 * Accepted: ISO `2012-01-01` (optionally with a time `T12:30[:00[.000]][Z|±hh:mm]`), `2012/01/31`,
 * `Jan 1 2000` / `January 1, 2000`, `1 Jan 2000`. Day-first versus month-first slashed forms (`01/02/2000`) are
 * ambiguous and therefore refused rather than guessed.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '');
  const i = MONTHS.indexOf(n.slice(0, 3));
  if (i < 0) return -1;
  // Accept 'Jan', 'Jan.', 'January', 'Sept'; refuse 'Janxyz'.
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][i] ?? '';
  return n.length === 3 || full.startsWith(n) || n === 'sept' ? i : -1;
}

function utc(year: number, month: number, day: number): number | undefined {
  const t = Date.UTC(year, month, day);
  const d = new Date(t);
  // Date.UTC rolls Feb 30 into March: refuse such days instead.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return undefined;
  return t;
}

/**
 * A date text as UTC milliseconds since 1970, or undefined when the text is not one of the accepted forms or
 * names a day that does not exist.
 */
export function parseDate(text: string): number | undefined {
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const day = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (day === undefined) return undefined;
    if (m[4] === undefined) return day;
    const [h, min, sec, ms] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0'))];
    if (h > 23 || min > 59 || sec > 59) return undefined;
    let offsetMin = 0;
    const tz = m[8];
    if (tz && tz !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
      if (!z) return undefined;
      offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
    }
    return day + ((h * 60 + min - offsetMin) * 60 + sec) * 1000 + ms;
  }
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
  if (m) return utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(s);
  if (m) {
    const month = monthIndex(m[1] ?? '');
    return month < 0 ? undefined : utc(Number(m[3]), month, Number(m[2]));
  }
  m = /^(\d{1,2})\s+([A-Za-z]+\.?),?\s+(\d{4})$/.exec(s);
  if (m) {
    const month = monthIndex(m[2] ?? '');
    return month < 0 ? undefined : utc(Number(m[3]), month, Number(m[1]));
  }
  return undefined;
}
