import { isSampleId } from '../../functions/schemas/results.js';
import type { Entry } from './batching.js';
import type { EntryOutcome } from './deliver.js';
import { fieldLabel, type Lang, problemText, type RowProblem } from './messages.js';

/**
 * The report names rows only by line number and sampleId, with error paths and messages. It never holds
 * an ID number, a name or a phone number: those stay in the lab's file.
 */
export interface RejectedRow {
  readonly line: number;
  /** null when the cell is not a valid sampleId (it could be a misplaced name or ID number). */
  readonly sampleId: string | null;
  readonly errors: readonly RowProblem[];
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
  rejectUnsent(line: number, sampleId: string, errors: readonly RowProblem[]): void {
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

const count = (n: number, lang: Lang): string => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US');

const words = {
  vi: {
    summary: (file: string, rows: string, accepted: string, rejected: string) =>
      `${file}: đã đọc ${rows} dòng, ${accepted} được nhận, ${rejected} bị từ chối.`,
    rejectedRows: 'Các dòng bị từ chối:',
    line: (line: string, sample: string) => `  dòng ${line}, ${sample}`,
    sampleId: (id: string) => `mã mẫu ${id}`,
    hiddenSampleId: 'không hiện mã mẫu (không phải mã mẫu hợp lệ)',
    stopped: (message: string) => `Đã dừng: ${message}`,
    unconfirmed: (line: string) => `Các dòng từ dòng ${line} trở đi có thể chưa đến máy chủ.`,
    resend: 'Gửi lại tệp đã sửa là an toàn: kết quả máy chủ đã nhận sẽ không bị trùng.',
  },
  en: {
    summary: (file: string, rows: string, accepted: string, rejected: string, n = 0) =>
      `${file}: ${rows} row${n === 1 ? '' : 's'} read, ${accepted} accepted, ${rejected} rejected.`,
    rejectedRows: 'Rejected rows:',
    line: (line: string, sample: string) => `  line ${line}, ${sample}`,
    sampleId: (id: string) => `sampleId ${id}`,
    hiddenSampleId: 'sampleId not shown (not a valid sampleId)',
    stopped: (message: string) => `Stopped: ${message}`,
    unconfirmed: (line: string) => `Rows from line ${line} on may not have reached the server.`,
    resend:
      'Submitting the corrected file again is safe: results the server already accepted are not duplicated.',
  },
} as const;

/**
 * The report for a person reading a terminal, in the chosen language. A run that stopped before reading
 * any row has nothing to report: its error, printed on stderr, says it all.
 */
export const formatHuman = (report: SubmitReport, lang: Lang = 'vi'): string => {
  if (report.error !== null && report.rows === 0) return '';
  const say = words[lang];
  const n = (value: number): string => count(value, lang);
  const lines = [
    lang === 'vi'
      ? words.vi.summary(report.file, n(report.rows), n(report.accepted), n(report.rejected))
      : words.en.summary(report.file, n(report.rows), n(report.accepted), n(report.rejected), report.rows),
  ];
  if (report.rejectedRows.length > 0) {
    lines.push('', say.rejectedRows);
    for (const row of report.rejectedRows) {
      const sample = row.sampleId === null ? say.hiddenSampleId : say.sampleId(row.sampleId);
      lines.push(say.line(String(row.line), sample));
      for (const error of row.errors) {
        lines.push(`    ${fieldLabel(error.path, lang)}: ${problemText(error, lang)}`);
      }
    }
  }
  if (report.error !== null) {
    lines.push('', say.stopped(report.error.message));
    if (report.unconfirmedFromLine !== null) lines.push(say.unconfirmed(String(report.unconfirmedFromLine)));
  }
  if (report.error !== null || report.rejected > 0) lines.push(say.resend);
  return `${lines.join('\n')}\n`;
};

/**
 * The report as one JSON document, for scripts (`--json`). Each error keeps its contract path and a
 * stable code beside the message in the chosen language, so a script need not parse prose.
 */
export const formatJson = (report: SubmitReport, lang: Lang = 'vi'): string => {
  const rejectedRows = report.rejectedRows.map((row) => ({
    ...row,
    errors: row.errors.map((error) => ({
      path: error.path,
      code: error.code,
      message: problemText(error, lang),
    })),
  }));
  return `${JSON.stringify({ ...report, rejectedRows }, null, 2)}\n`;
};
