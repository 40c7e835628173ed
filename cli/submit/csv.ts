import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import * as z from 'zod';
import { CsvFileError } from './errors.js';

/** The CSV columns of a lab export, in the contract's order (the file may order them freely). */
export const csvColumns = [
  'sampleId',
  'idType',
  'idNumber',
  'fullName',
  'dateOfBirth',
  'phone',
  'testType',
  'result',
  'sampledAt',
  'resultedAt',
] as const;
type Column = (typeof csvColumns)[number];

/** One result as `POST /v1/results` takes it. Values are sent as strings; the server validates them. */
export interface TestResultInput {
  sampleId: string;
  citizen: { idType: string; idNumber: string; fullName: string; dateOfBirth: string; phone?: string };
  testType: string;
  result: string;
  sampledAt: string;
  resultedAt: string;
}

export interface FieldError {
  /** A field path inside one result (`citizen.idNumber`), or '' for the row as a whole. */
  readonly path: string;
  readonly message: string;
}

/** A data row, identified by the line of the file where it starts (the header is line 1). */
export type CsvRow =
  | {
      readonly kind: 'result';
      readonly line: number;
      readonly bytesRead: number;
      readonly result: TestResultInput;
    }
  /** A row that cannot become a result at all (wrong number of fields); it is reported, never sent. */
  | {
      readonly kind: 'unusable';
      readonly line: number;
      readonly bytesRead: number;
      readonly sampleId: string;
      readonly errors: readonly FieldError[];
    };

/** Legitimate rows are well under 1 KiB; this bounds memory when a quote is never closed. */
const maxRecordBytes = 64 * 1024;

/** The parser's stream is untyped, so what it hands over is checked. */
const parsedRecord = z.array(z.string());

const lineBreaks = /\r\n|\r|\n/g;
const countLineBreaks = (fields: readonly string[]): number =>
  fields.reduce((total, field) => total + (field.match(lineBreaks)?.length ?? 0), 0);

const csvProblem = (code: string): string => {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${maxRecordBytes} bytes (is a quote left open?)`;
    default:
      return `the file is not valid CSV (${code})`;
  }
};

const columnIndexes = (header: readonly string[]): ReadonlyMap<string, number> => {
  const names = header.map((name) => name.trim());
  const duplicates = names.filter((name, index) => name !== '' && names.indexOf(name) !== index);
  if (duplicates.length > 0) {
    throw new CsvFileError(`The header row repeats the column ${[...new Set(duplicates)].join(', ')}.`);
  }
  const missing = csvColumns.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    const known: readonly string[] = csvColumns;
    const unknown = names.filter((name) => name !== '' && !known.includes(name));
    const hint = unknown.length > 0 ? ` Unexpected columns: ${unknown.join(', ')}.` : '';
    throw new CsvFileError(
      `The header row is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ` +
        `Expected columns (any order): ${csvColumns.join(', ')}.${hint}`,
    );
  }
  return new Map(names.map((name, index) => [name, index]));
};

const cell = (record: readonly string[], columns: ReadonlyMap<string, number>, column: Column): string =>
  // Spreadsheets pad cells and macOS can write decomposed diacritics; the contract wants NFC text.
  (record[columns.get(column) ?? -1] ?? '').trim().normalize('NFC');

const toResult = (record: readonly string[], columns: ReadonlyMap<string, number>): TestResultInput => {
  const value = (column: Column): string => cell(record, columns, column);
  const phone = value('phone');
  return {
    sampleId: value('sampleId'),
    citizen: {
      idType: value('idType'),
      idNumber: value('idNumber'),
      fullName: value('fullName'),
      dateOfBirth: value('dateOfBirth'),
      // An empty phone cell means the citizen gave none: the key is left out, not sent as "".
      ...(phone === '' ? {} : { phone }),
    },
    testType: value('testType'),
    result: value('result'),
    sampledAt: value('sampledAt'),
    resultedAt: value('resultedAt'),
  };
};

/**
 * Streams the rows of a lab's CSV export. Rows are parsed only as fast as the consumer pulls them, so a
 * file of any size is never held in memory. Blank lines (and rows of empty cells, which spreadsheets
 * export) are skipped; a missing header column throws {@link CsvFileError} before any row is yielded.
 *
 * Line numbers are counted here rather than taken from csv-parse's `info.lines`, which counts a CRLF
 * inside a quoted field as two lines. Every record ends with exactly one record delimiter, and the line
 * breaks inside it are exactly those left in its field values, so the next record starts at
 * `start + 1 + breaks`.
 */
export async function* readRows(source: Readable): AsyncGenerator<CsvRow> {
  // The line where the next record starts. Kept up to date in `on_record`, which runs as the parser
  // goes, so it still names the right line when the parser fails on a later record. Each record's own
  // line and byte offset wait in `positions`, in the order the records come out of the parser.
  let nextLine = 1;
  const positions: { line: number; bytesRead: number }[] = [];
  const parser = parse({
    bom: true,
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
  pipeline(source, parser, () => {});

  let columns: ReadonlyMap<string, number> | undefined;
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
      if (record.length !== headerWidth) {
        const sampleId = cell(record, columns, 'sampleId');
        const message = `has ${record.length} fields but the header has ${headerWidth}`;
        yield { kind: 'unusable', line, bytesRead, sampleId, errors: [{ path: '', message }] };
        continue;
      }
      yield { kind: 'result', line, bytesRead, result: toResult(record, columns) };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // csv-parse messages quote the offending field, which may be a name: only its code is shown.
      throw new CsvFileError(`Line ${nextLine}: ${csvProblem(error.code)}.`);
    }
    if (error instanceof Error && 'syscall' in error && 'code' in error) {
      throw new CsvFileError(`The file cannot be read (${String(error.code)}).`);
    }
    throw error;
  }
  if (columns === undefined) {
    throw new CsvFileError('The file is empty: a header row naming the columns is required.');
  }
}
