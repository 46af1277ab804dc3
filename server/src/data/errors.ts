/**
 * Errors about the data, located in the CSV file so that a user can open the file at the offending cell.
 */

/** A problem with the data: a cell, a row, a column or the whole file. */
export class DataError extends Error {
  /** The CSV file the problem is in. */
  readonly file: string;
  /** 1-based line of the file (the header is line 1), when the problem is in a row. */
  readonly line?: number;
  /** The column's name, when the problem is in a column. */
  readonly column?: string;

  constructor(message: string, where: { file: string; line?: number; column?: string }) {
    const at = [where.line !== undefined ? `line ${where.line}` : '', where.column !== undefined ? `column '${where.column}'` : '']
      .filter(Boolean).join(', ');
    super(`${where.file}${at ? ` (${at})` : ''}: ${message}`);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
