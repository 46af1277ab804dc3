/**
 * The per-step account of the data steps, as it goes into the report's `steps`: rows in and out, and what the
 * step did to the columns and the values (so that no row or column disappears without a word).
 */
import type { StepAccount } from '../../../../protocol/protocol';

/** The report's step account (protocol.ts), whose optional fields say what a data step did to values and columns. */
export type DataStepAccount = StepAccount;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
