/**
 * How a lab's spreadsheet writes the contract's fields, and how each is read back into the contract's
 * form. Dependency-free: these tables also produce the `--help` lists, so help and reader cannot drift.
 */
import type { IdType, Outcome, TestType } from '../../contract/vocabulary.js';

/** A value read from a cell, or the reason it cannot be read (never the value itself). */
export type Read<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ProblemCode };

/** Problems the reader finds in a cell before anything is sent. Rendered by messages.ts. */
export type ProblemCode =
  | 'EMPTY'
  | 'DATE_UNREADABLE'
  | 'DATE_NOT_EXIST'
  | 'TIME_UNREADABLE'
  | 'TIME_DATE_NOT_EXIST'
  | 'TIME_NOT_EXIST'
  | 'ID_TYPE_UNKNOWN'
  | 'TEST_TYPE_UNKNOWN'
  | 'RESULT_UNKNOWN';

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(code: ProblemCode): Read<T> => ({ ok: false, code });

/**
 * The comparison key of a spelling: NFC, Vietnamese diacritics removed (đ → d), lower-case, and runs of
 * spaces, `-`, `_` and `/` made one space. Diacritic-insensitive matching is safe for these vocabularies
 * because no two accepted spellings share a key (checked by a unit test), so a missing accent can never
 * turn one result into another.
 */
export const spellingKey = (raw: string): string =>
  raw
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\s\-_/]+/g, ' ')
    .trim();

/** Accepted spellings, Vietnamese first. The contract's own word is always accepted too. */
export const testTypeSpellings: Readonly<Record<TestType, readonly string[]>> = {
  RT_PCR: ['RT-PCR', 'PCR', 'Xét nghiệm PCR', 'RT_PCR', 'Real-time PCR'],
  RAPID_ANTIGEN: [
    'Test nhanh kháng nguyên',
    'Test nhanh',
    'Kháng nguyên nhanh',
    'Xét nghiệm nhanh',
    'RAPID_ANTIGEN',
    'Rapid antigen',
    'Rapid antigen test',
    'Rapid test',
  ],
};

export const resultSpellings: Readonly<Record<Outcome, readonly string[]>> = {
  NEGATIVE: ['Âm tính', 'NEGATIVE', 'Negative'],
  POSITIVE: ['Dương tính', 'POSITIVE', 'Positive'],
  INVALID: ['Không xác định', 'Không hợp lệ', 'INVALID', 'Invalid'],
};

export const idTypeSpellings: Readonly<Record<IdType, readonly string[]>> = {
  CCCD: ['CCCD', 'Căn cước công dân', 'Căn cước'],
  CMND: ['CMND', 'Chứng minh nhân dân'],
  PASSPORT: ['Hộ chiếu', 'PASSPORT', 'Passport'],
};

const lookup = <K extends string>(spellings: Readonly<Record<K, readonly string[]>>): Map<string, K> => {
  const map = new Map<string, K>();
  for (const [word, forms] of Object.entries(spellings) as [K, readonly string[]][]) {
    for (const form of forms) map.set(spellingKey(form), word);
  }
  return map;
};

const testTypes = lookup(testTypeSpellings);
const results = lookup(resultSpellings);
const idTypes = lookup(idTypeSpellings);

const spelled =
  <K extends string>(table: ReadonlyMap<string, K>, unknown: ProblemCode) =>
  (raw: string): Read<K> => {
    if (raw.trim() === '') return fail('EMPTY');
    const word = table.get(spellingKey(raw));
    return word === undefined ? fail(unknown) : ok(word);
  };

export const readTestType = spelled(testTypes, 'TEST_TYPE_UNKNOWN');
export const readResult = spelled(results, 'RESULT_UNKNOWN');
export const readIdType = spelled(idTypes, 'ID_TYPE_UNKNOWN');

/** The header names of each column, Vietnamese first; matched like spellings, ignoring spaces too. */
export const columnNames = {
  sampleId: ['Mã mẫu', 'sampleId'],
  idType: ['Loại giấy tờ', 'idType'],
  idNumber: ['Số giấy tờ', 'idNumber'],
  fullName: ['Họ và tên', 'Họ tên', 'fullName'],
  dateOfBirth: ['Ngày sinh', 'dateOfBirth'],
  phone: ['Số điện thoại', 'Điện thoại', 'phone'],
  testType: ['Loại xét nghiệm', 'testType'],
  result: ['Kết quả', 'result'],
  sampledAt: ['Thời điểm lấy mẫu', 'Thời gian lấy mẫu', 'sampledAt'],
  resultedAt: ['Thời điểm có kết quả', 'Thời gian có kết quả', 'resultedAt'],
} as const;
export type Column = keyof typeof columnNames;
export const columns = Object.keys(columnNames) as Column[];

const headerKey = (raw: string): string => spellingKey(raw).replace(/ /g, '');
const headers = new Map<string, Column>(
  columns.flatMap((column) => columnNames[column].map((name) => [headerKey(name), column] as const)),
);

/** The column a header cell names, or undefined for a column the CLI does not use. */
export const columnOf = (raw: string): Column | undefined => headers.get(headerKey(raw));

/** A real calendar day, with month lengths and leap years. */
const isCalendarDay = (year: number, month: number, day: number): boolean => {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // a leap year: February has 29
  if (day > days) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return !(month === 2 && day === 29 && !leap);
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type Ymd = readonly [year: number, month: number, day: number];
const dateParts = (raw: string): Ymd | undefined => {
  const dayFirst = DAY_FIRST.exec(raw);
  if (dayFirst) return [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  const iso = ISO_DATE.exec(raw);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  return undefined;
};

/** Date forms, as `--help` lists them. */
export const dateForms = ['dd/mm/yyyy (12/03/1985)', 'd/m/yyyy (2/3/1985)', 'yyyy-mm-dd (1985-03-12)'];

/** A birth date, `dd/mm/yyyy`, `d/m/yyyy` or `yyyy-mm-dd`, as the contract's `YYYY-MM-DD`. */
export const readDate = (raw: string): Read<string> => {
  const value = raw.trim();
  if (value === '') return fail('EMPTY');
  const parts = dateParts(value);
  if (parts === undefined) return fail('DATE_UNREADABLE');
  const [year, month, day] = parts;
  if (!isCalendarDay(year, month, day)) return fail('DATE_NOT_EXIST');
  return ok(`${pad(year, 4)}-${pad(month)}-${pad(day)}`);
};

/** Vietnam's offset. Vietnam has kept UTC+07:00 all year since 1975: no daylight saving time. */
export const vietnamOffset = '+07:00';

/** Time forms, as `--help` lists them. */
export const timeForms = [
  'dd/mm/yyyy HH:MM (12/03/2021 08:30)',
  'dd/mm/yyyy HH:MM:SS (12/03/2021 08:30:00)',
  'yyyy-mm-dd HH:MM (2021-03-12 08:30)',
  'yyyy-mm-ddTHH:MM:SS (2021-03-12T08:30:00)',
  'RFC 3339 (2021-03-12T08:30:00+07:00, 2021-03-12T01:30:00Z)',
];

const TIME =
  /^(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * A time of sampling or of result. Without an offset it is Vietnam time (UTC+07:00), as a lab's
 * spreadsheet writes it; with `Z` or an offset it is taken as written. The answer is RFC 3339.
 * `24:00`, a 60th minute or second, and a day such as 31/02 do not exist and are refused as such.
 */
export const readTime = (raw: string): Read<string> => {
  const value = raw.trim();
  if (value === '') return fail('EMPTY');
  const match = TIME.exec(value);
  const parts = match?.[1] === undefined ? undefined : dateParts(match[1]);
  if (match === null || parts === undefined) return fail('TIME_UNREADABLE');
  const [year, month, day] = parts;
  if (!isCalendarDay(year, month, day)) return fail('TIME_DATE_NOT_EXIST');
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return fail('TIME_NOT_EXIST');
  const offset = match[6]?.toUpperCase() ?? vietnamOffset;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) {
    return fail('TIME_UNREADABLE');
  }
  const fraction = match[5] ?? '';
  return ok(
    `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${offset}`,
  );
};
