import { isSampleId } from '../../functions/schemas/results.js';
import type { Entry } from './batching.js';
import type { FieldError } from './csv.js';
import type { EntryOutcome } from './deliver.js';

/**
 * The report names rows only by line number and sampleId, with error paths and messages. It never holds
 * an ID number, a name or a phone number: those stay in the lab's file.
 */
export interface RejectedRow {
  readonly line: number;
  /** null when the cell is not a valid sampleId (it could be a misplaced name or ID number). */
  readonly sampleId: string | null;
  readonly errors: readonly FieldError[];
}

export interface SubmitReport {
  readonly file: string;
  readonly status: 'completed' | 'failed';
  /** Data rows read from the file (blank lines and the header excluded). */
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectedRows: readonly RejectedRow[];
  /** Why the run stopped early; null when it went through the file. */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** After a stop: the first line whose row may not have reached the server. */
  readonly unconfirmedFromLine: number | null;
}

/** Counts shown by the progress display. */
export interface Progress {
  readonly rows: number;
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly bytesRead: number;
}

/**
 * Accumulates a run's outcome: counts, the rejected rows, and the lines of the rows read but not yet
 * confirmed by the server (at most a batch).
 */
export class ReportBuilder {
  private rows = 0;
  private sent = 0;
  private accepted = 0;
  private bytesRead = 0;
  private readonly rejectedRows: RejectedRow[] = [];
  private readonly unconfirmed = new Set<number>();

  constructor(private readonly file: string) {}

  rowRead(bytesRead: number): void {
    this.rows += 1;
    this.bytesRead = bytesRead;
  }

  /** A row that will be sent: unconfirmed until the server's answer about it is recorded. */
  queued(line: number): void {
    this.unconfirmed.add(line);
  }

  /** A row refused before sending (it could not become a result). */
  rejectUnsent(line: number, sampleId: string, errors: readonly FieldError[]): void {
    this.rejectedRows.push({ line, sampleId: isSampleId(sampleId) ? sampleId : null, errors });
  }

  sending(entries: readonly Entry[]): void {
    this.sent += entries.length;
  }

  record(outcome: EntryOutcome): void {
    this.unconfirmed.delete(outcome.entry.line);
    if (outcome.status === 'ACCEPTED') this.accepted += 1;
    else this.rejectUnsent(outcome.entry.line, outcome.entry.sampleId, outcome.errors);
  }

  progress(): Progress {
    const { rows, sent, accepted, bytesRead } = this;
    return { rows, sent, accepted, rejected: this.rejectedRows.length, bytesRead };
  }

  finish(error?: { readonly code: string; readonly message: string }): SubmitReport {
    const unconfirmed = [...this.unconfirmed];
    return {
      file: this.file,
      status: error === undefined ? 'completed' : 'failed',
      rows: this.rows,
      accepted: this.accepted,
      rejected: this.rejectedRows.length,
      rejectedRows: [...this.rejectedRows].sort((a, b) => a.line - b.line),
      error: error === undefined ? null : { code: error.code, message: error.message },
      unconfirmedFromLine: error === undefined || unconfirmed.length === 0 ? null : Math.min(...unconfirmed),
    };
  }
}

/** Exit code: 0 when every row was accepted, 1 when some row was rejected, 2 when the run stopped. */
export const exitCodeOf = (report: SubmitReport): 0 | 1 | 2 => {
  if (report.status === 'failed') return 2;
  return report.rejected > 0 ? 1 : 0;
};

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * The report for a person reading a terminal. A run that stopped before reading any row has nothing to
 * report: its error, printed on stderr, says it all.
 */
export const formatHuman = (report: SubmitReport): string => {
  if (report.error !== null && report.rows === 0) return '';
  const lines = [
    `${report.file}: ${plural(report.rows, 'row')} read, ${count(report.accepted)} accepted, ` +
      `${count(report.rejected)} rejected.`,
  ];
  if (report.rejectedRows.length > 0) {
    lines.push('', 'Rejected rows:');
    for (const row of report.rejectedRows) {
      const sample =
        row.sampleId === null ? 'sampleId not shown (not a valid sampleId)' : `sampleId ${row.sampleId}`;
      lines.push(`  line ${row.line}, ${sample}`);
      for (const error of row.errors)
        lines.push(`    ${error.path === '' ? 'row' : error.path}: ${error.message}`);
    }
  }
  if (report.error !== null) {
    lines.push('', `Stopped: ${report.error.message}`);
    if (report.unconfirmedFromLine !== null) {
      lines.push(`Rows from line ${report.unconfirmedFromLine} on may not have reached the server.`);
    }
  }
  if (report.error !== null || report.rejected > 0) {
    lines.push(
      'Submitting the corrected file again is safe: results the server already accepted are not duplicated.',
    );
  }
  return `${lines.join('\n')}\n`;
};

/** The report as one JSON document, for scripts (`--json`). */
export const formatJson = (report: SubmitReport): string => `${JSON.stringify(report, null, 2)}\n`;
