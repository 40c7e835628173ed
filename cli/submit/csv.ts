import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import * as z from 'zod';
import { CsvFileError } from './errors.js';
import {
  columns as allColumns,
  type Column,
  columnOf,
  type Read,
  readDate,
  readIdType,
  readResult,
  readTestType,
  readTime,
} from './formats.js';
import { type RowProblem, text } from './messages.js';

/** One result as `POST /v1/results` takes it, in the contract's words; the server validates the rest. */
export interface TestResultInput {
  sampleId: string;
  citizen: { idType: string; idNumber: string; fullName: string; dateOfBirth: string; phone?: string };
  testType: string;
  result: string;
  sampledAt: string;
  resultedAt: string;
}

/** A data row, identified by the line of the file where it starts (the header is line 1). */
export type CsvRow =
  | {
      readonly kind: 'result';
      readonly line: number;
      readonly bytesRead: number;
      readonly result: TestResultInput;
    }
  /** A row that cannot become a result (wrong number of fields, a cell that cannot be read); reported, never sent. */
  | {
      readonly kind: 'unusable';
      readonly line: number;
      readonly bytesRead: number;
      readonly sampleId: string;
      readonly errors: readonly RowProblem[];
    };

/** Legitimate rows are well under 1 KiB; this bounds memory when a quote is never closed. */
const maxRecordBytes = 64 * 1024;

/** The parser's stream is untyped, so what it hands over is checked. */
const parsedRecord = z.array(z.string());

const lineBreaks = /\r\n|\r|\n/g;
const countLineBreaks = (fields: readonly string[]): number =>
  fields.reduce((total, field) => total + (field.match(lineBreaks)?.length ?? 0), 0);

export const separators = [',', ';', '\t'] as const;
export type Separator = (typeof separators)[number];

/**
 * The separator of a header line: whichever of comma, semicolon and tab occurs most often outside
 * quotes. Header names contain none of them, so the right one is the only one present; a line with none
 * (a one-column file) is read with commas, and its missing columns are then reported.
 */
export const detectSeparator = (headerLine: string): Separator => {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Separator = ',';
  for (const separator of separators) {
    if ((counts.get(separator) ?? 0) > (counts.get(best) ?? 0)) best = separator;
  }
  return best;
};

const asBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(typeof chunk === 'string' ? chunk : String(chunk));

/** A ZIP archive, which is what an .xlsx workbook is. */
const isZip = (bytes: Buffer): boolean => bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

/**
 * The file's bytes, checked to be UTF-8 as they pass (a fatal decoder throws on the first byte that is
 * not), and its header line, read ahead so that the parser can be made with the right separator. A file
 * in another encoding is refused, not guessed at: a Windows-1258 name read as anything else would be
 * stored garbled on someone's result.
 */
const checkedSource = async (
  source: Readable,
): Promise<{ readonly headerLine: string; readonly bytes: Readable }> => {
  const iterator: AsyncIterator<unknown> = source[Symbol.asyncIterator]();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (chunk: Buffer | undefined): void => {
    try {
      if (chunk === undefined) decoder.decode();
      else decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvFileError(text.notUtf8());
    }
  };
  const head: Buffer[] = [];
  let ended = false;
  try {
    for (let size = 0; ; ) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      const chunk = asBuffer(next.value);
      if (size === 0 && isZip(chunk)) throw new CsvFileError(text.xlsx());
      check(chunk);
      head.push(chunk);
      size += chunk.length;
      if (chunk.includes(0x0a) || chunk.includes(0x0d) || size > maxRecordBytes) break;
    }
    if (ended) check(undefined);
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  const headerLine = Buffer.concat(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r|\n/, 1)[0];

  async function* rest(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) break;
        const chunk = asBuffer(next.value);
        check(chunk);
        yield chunk;
      }
      check(undefined);
    } finally {
      // Stopping early (a fatal answer from the server) closes the file.
      await iterator.return?.();
    }
  }
  return { headerLine: headerLine ?? '', bytes: Readable.from(rest(), { objectMode: false }) };
};

/**
 * Reads the whole file once to check that it is UTF-8 (and not a workbook) before any row is sent, so
 * that a Windows-1258 export is refused with nothing uploaded, however far into the file its first
 * non-ASCII byte is. Memory holds one chunk at a time.
 */
export const assertUtf8 = async (source: Readable): Promise<void> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of source) {
      const bytes = asBuffer(chunk);
      if (first && isZip(bytes)) throw new CsvFileError(text.xlsx());
      first = false;
      decoder.decode(bytes, { stream: true });
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    if (error instanceof TypeError) throw new CsvFileError(text.notUtf8());
    if (error instanceof Error && 'code' in error)
      throw new CsvFileError(text.readFailed(String(error.code)));
    throw error;
  }
};

const columnIndexes = (header: readonly string[]): ReadonlyMap<Column, number> => {
  const found = new Map<Column, number>();
  const repeated: string[] = [];
  const unexpected: string[] = [];
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (name === '') return;
    const column = columnOf(name);
    if (column === undefined) unexpected.push(name);
    else if (found.has(column)) repeated.push(name);
    else found.set(column, index);
  });
  if (repeated.length > 0) throw new CsvFileError(text.headerRepeats(repeated));
  const missing = allColumns.filter((column) => !found.has(column));
  if (missing.length > 0) throw new CsvFileError(text.headerMissing(missing, unexpected));
  return found;
};

type Columns = ReadonlyMap<Column, number>;

const cell = (record: readonly string[], columns: Columns, column: Column): string =>
  // Spreadsheets pad cells and macOS can write decomposed diacritics; the contract wants NFC text.
  (record[columns.get(column) ?? -1] ?? '').trim().normalize('NFC');

/** Each cell in the contract's form, or the problems found; the contract's path names each problem. */
const toResult = (
  record: readonly string[],
  columns: Columns,
): { readonly result: TestResultInput } | { readonly errors: RowProblem[] } => {
  const value = (column: Column): string => cell(record, columns, column);
  const errors: RowProblem[] = [];
  const read = (path: string, outcome: Read<string>): string => {
    if (outcome.ok) return outcome.value;
    errors.push({ path, code: outcome.code });
    return '';
  };
  const idType = read('citizen.idType', readIdType(value('idType')));
  const dateOfBirth = read('citizen.dateOfBirth', readDate(value('dateOfBirth')));
  const testType = read('testType', readTestType(value('testType')));
  const result = read('result', readResult(value('result')));
  const sampledAt = read('sampledAt', readTime(value('sampledAt')));
  const resultedAt = read('resultedAt', readTime(value('resultedAt')));
  if (errors.length > 0) return { errors };
  const phone = value('phone');
  return {
    result: {
      sampleId: value('sampleId'),
      citizen: {
        idType,
        idNumber: value('idNumber'),
        fullName: value('fullName'),
        dateOfBirth,
        // An empty phone cell means the citizen gave none: the key is left out, not sent as "".
        ...(phone === '' ? {} : { phone }),
      },
      testType,
      result,
      sampledAt,
      resultedAt,
    },
  };
};

/**
 * Streams the rows of a lab's CSV export: comma, semicolon or tab separated (detected from the header),
 * UTF-8 with or without a BOM, headers and values in Vietnamese or English (formats.ts). Rows are parsed
 * only as fast as the consumer pulls them, so a file of any size is never held in memory. Blank lines (and
 * rows of empty cells, which spreadsheets export) are skipped; a bad header or a file that is not UTF-8
 * throws {@link CsvFileError}, the header before any row is yielded.
 *
 * Line numbers are counted here rather than taken from csv-parse's `info.lines`, which counts a CRLF
 * inside a quoted field as two lines. Every record ends with exactly one record delimiter, and the line
 * breaks inside it are exactly those left in its field values, so the next record starts at
 * `start + 1 + breaks`.
 */
export async function* readRows(source: Readable): AsyncGenerator<CsvRow> {
  const { headerLine, bytes } = await checkedSource(source);
  // The line where the next record starts. Kept up to date in `on_record`, which runs as the parser
  // goes, so it still names the right line when the parser fails on a later record. Each record's own
  // line and byte offset wait in `positions`, in the order the records come out of the parser.
  let nextLine = 1;
  const positions: { line: number; bytesRead: number }[] = [];
  const parser = parse({
    bom: true,
    delimiter: detectSeparator(headerLine),
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: maxRecordBytes,
    record_delimiter: ['\r\n', '\n', '\r'],
    on_record: (record, context) => {
      positions.push({ line: nextLine, bytesRead: context.bytes });
      nextLine += 1 + countLineBreaks(record);
      return record;
    },
  });
  // pipeline() forwards a read error of the file to the parser and closes the file when we stop early.
  pipeline(bytes, parser, () => {});

  let columns: Columns | undefined;
  let headerWidth = 0;
  try {
    for await (const chunk of parser) {
      const record = parsedRecord.parse(chunk);
      const position = positions.shift();
      if (position === undefined) throw new Error('csv-parse emitted a record it did not number');
      const { line, bytesRead } = position;
      if (record.every((field) => field.trim() === '')) continue;
      if (columns === undefined) {
        columns = columnIndexes(record);
        headerWidth = record.length;
        continue;
      }
      const sampleId = cell(record, columns, 'sampleId');
      if (record.length !== headerWidth) {
        const params = { found: String(record.length), expected: String(headerWidth) };
        yield {
          kind: 'unusable',
          line,
          bytesRead,
          sampleId,
          errors: [{ path: '', code: 'FIELD_COUNT', params }],
        };
        continue;
      }
      const converted = toResult(record, columns);
      if ('errors' in converted)
        yield { kind: 'unusable', line, bytesRead, sampleId, errors: converted.errors };
      else yield { kind: 'result', line, bytesRead, result: converted.result };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse messages quote the offending field, which may be a name: only its code is shown.
      throw new CsvFileError(text.csvBroken(nextLine, error.code));
    }
    if (error instanceof Error && 'syscall' in error && 'code' in error) {
      throw new CsvFileError(text.readFailed(String(error.code)));
    }
    throw error;
  } finally {
    bytes.destroy();
  }
  if (columns === undefined) throw new CsvFileError(text.emptyFile());
}
