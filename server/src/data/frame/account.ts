/**
 * The per-step account of the data steps, as it goes into the report's `steps`: rows in and out, and what the
 * step did to the columns and the values (so that no row or column disappears without a word).
 */
import type { StepAccount } from '../../../../protocol/protocol';

export interface DataStepAccount extends StepAccount {
  /** Cells filled in by an imputer (all rows, training and validation). */
  imputed?: number;
  /** Cells moved to a clipping bound. */
  clipped?: number;
  /** Columns the step added, in order. */
  added?: string[];
  /** Columns the step removed, each with its reason. */
  dropped?: { column: string; reason: string }[];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
