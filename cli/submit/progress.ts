import type { Clock } from '../../contract/clock.js';
import type { Lang } from './messages.js';
import type { Progress } from './report.js';

/** Where text goes: `process.stderr` fits, and so does a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressDisplay {
  update(progress: Progress): void;
  /** A one-off message (a retry, a warning), kept clear of the bar. */
  note(message: string): void;
  done(progress: Progress): void;
}

export interface ProgressOptions {
  readonly sink: TextSink;
  /** The file's size, to show how far through it the run is. */
  readonly totalBytes: number;
  readonly clock: Clock;
  /** The language of the counts (default vi). */
  readonly lang?: Lang;
  /** Least time between two redraws of the bar. */
  readonly ttyIntervalMs?: number;
  /** Least time between two plain lines when the output is not a terminal (a log file, CI). */
  readonly plainIntervalMs?: number;
}

const barWidth = 24;
const count = (n: number, lang: Lang): string => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US');

const fraction = (progress: Progress, totalBytes: number): number =>
  totalBytes > 0 ? Math.min(1, progress.bytesRead / totalBytes) : 1;

const counts = (progress: Progress, lang: Lang): string => {
  const [sent, accepted, rejected] = [progress.sent, progress.accepted, progress.rejected].map((n) =>
    count(n, lang),
  );
  return lang === 'vi'
    ? `đã gửi ${sent} dòng · ${accepted} được nhận · ${rejected} bị từ chối`
    : `${sent} rows sent · ${accepted} accepted · ${rejected} rejected`;
};

export const renderBar = (progress: Progress, totalBytes: number, lang: Lang = 'vi'): string => {
  const done = fraction(progress, totalBytes);
  const filled = Math.round(done * barWidth);
  const percent = String(Math.floor(done * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}% ${counts(progress, lang)}`;
};

export const renderPlain = (progress: Progress, totalBytes: number, lang: Lang = 'vi'): string => {
  const percent = Math.floor(fraction(progress, totalBytes) * 100);
  return lang === 'vi'
    ? `submit: ${counts(progress, lang)} (đã đọc ${percent}% tệp)`
    : `submit: ${counts(progress, lang)} (${percent}% of the file read)`;
};

/**
 * A progress bar redrawn in place on a terminal; elsewhere, a plain line now and then, so that logs stay
 * readable. Writes only to its sink (stderr): stdout carries the report alone.
 */
export const createProgress = (options: ProgressOptions): ProgressDisplay => {
  const { sink, totalBytes, clock } = options;
  const lang = options.lang ?? 'vi';
  const tty = sink.isTTY === true;
  const interval = tty ? (options.ttyIntervalMs ?? 100) : (options.plainIntervalMs ?? 5_000);
  let last: number | undefined;
  let lastPlain: string | undefined;
  let barShown = false;

  const draw = (progress: Progress): void => {
    if (tty) {
      sink.write(`\r\u001b[2K${renderBar(progress, totalBytes, lang)}`);
      barShown = true;
      return;
    }
    const text = renderPlain(progress, totalBytes, lang);
    if (text !== lastPlain) sink.write(`${text}\n`);
    lastPlain = text;
  };

  return {
    update(progress) {
      const at = clock.now().getTime();
      if (last !== undefined && at - last < interval) return;
      last = at;
      draw(progress);
    },
    note(message) {
      if (barShown) sink.write('\r\u001b[2K');
      barShown = false;
      sink.write(`${message}\n`);
    },
    done(progress) {
      draw(progress);
      if (tty) sink.write('\n');
    },
  };
};
