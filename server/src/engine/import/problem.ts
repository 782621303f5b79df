/**
 * Why a file cannot be imported, and where: the 1-based line of a text file or the 1-based record
 * of a binary one. Parsers throw it; the importer reports it per file and writes nothing of that file.
 */
export class ImportProblem extends Error {
  override readonly name = 'ImportProblem';

  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** What a parser kept or skipped besides the bars themselves. */
export interface ParseNotes {
  /** Bars kept as they are although their prices are out of order (open/close outside [low, high], or high < low). */
  anomalies: number;
  firstAnomalyLine?: number;
  /** Rows skipped because a mapped value was missing (`None`, empty, `-`); CSV only. */
  skipped: number;
  firstSkippedLine?: number;
}

export function emptyNotes(): ParseNotes {
  return { anomalies: 0, skipped: 0 };
}

/** Counts a bar whose prices are out of order (kept: real data has them, see the tests). */
export function noteAnomaly(notes: ParseNotes, open: number, high: number, low: number, close: number, line: number): void {
  if (high < low || open > high || open < low || close > high || close < low) {
    if (notes.anomalies++ === 0) notes.firstAnomalyLine = line;
  }
}
