/**
 * Every text the submit CLI prints, in Vietnamese and English (`--lang vi|en`, Vietnamese by default).
 * Texts name rows by line number and sampleId only: never an ID number, a name, a phone number or a
 * birth date, not even to say what is wrong with it.
 */
import { outcomes, testTypes } from '../../contract/vocabulary.js';
import {
  type Column,
  columnNames,
  columns,
  dateForms,
  idTypeSpellings,
  type ProblemCode,
  resultSpellings,
  testTypeSpellings,
  timeForms,
} from './formats.js';

export const langs = ['vi', 'en'] as const;
export type Lang = (typeof langs)[number];
export const isLang = (value: unknown): value is Lang => value === 'vi' || value === 'en';

/** A text in both languages. */
export interface Localized {
  readonly vi: string;
  readonly en: string;
}
export const both = (vi: string, en: string): Localized => ({ vi, en });

/** What is wrong with one row, as a code the report renders in the chosen language. */
export type RowProblemCode =
  | ProblemCode
  | 'FIELD_COUNT'
  | 'TOO_LARGE'
  | 'NO_DETAILS'
  | 'SAMPLE_ID_FORMAT'
  | 'SAMPLE_ID_REPEATED'
  | 'ID_TYPE_INVALID'
  | 'ID_NUMBER_EMPTY'
  | 'ID_NUMBER_TOO_LONG'
  | 'ID_NUMBER_CCCD'
  | 'ID_NUMBER_CMND'
  | 'ID_NUMBER_PASSPORT'
  | 'ID_NUMBER_CENTURY'
  | 'ID_NUMBER_YEAR'
  | 'NAME_EMPTY'
  | 'NAME_TOO_LONG'
  | 'NAME_HIDDEN_CHARACTERS'
  | 'NAME_CONTROL_CHARACTERS'
  | 'DATE_INVALID'
  | 'DATE_TOO_EARLY'
  | 'DATE_FUTURE'
  | 'PHONE_INVALID'
  | 'TEST_TYPE_INVALID'
  | 'TEST_TYPE_NOT_REGISTERED'
  | 'RESULT_INVALID'
  | 'TIME_INVALID'
  | 'TIME_FUTURE'
  | 'TIME_TOO_OLD'
  | 'RESULTED_BEFORE_SAMPLED'
  | 'UNKNOWN_FIELD'
  | 'SERVER_OTHER';

export interface RowProblem {
  /** A field path inside one result (`citizen.idNumber`), or '' for the row as a whole. */
  readonly path: string;
  readonly code: RowProblemCode;
  /** Values the message needs: counts, a test type, a number of days; never citizen data. */
  readonly params?: Readonly<Record<string, string>>;
}

const list = (items: readonly string[]): string => items.join(', ');
const spellingList = (table: Readonly<Record<string, readonly string[]>>, keys: readonly string[]): string =>
  keys.map((key) => `${list(table[key] ?? [])} (${key})`).join('; ');

const testTypeList = spellingList(testTypeSpellings, testTypes);
const resultList = spellingList(resultSpellings, outcomes);
const idTypeList = spellingList(idTypeSpellings, ['CCCD', 'CMND', 'PASSPORT']);

const problemTexts: Readonly<
  Record<RowProblemCode, (params: Readonly<Record<string, string>>) => Localized>
> = {
  EMPTY: () => both('ô này trống', 'the cell is empty'),
  DATE_UNREADABLE: () =>
    both(
      `không đọc được ngày; các dạng được chấp nhận: ${list(dateForms)}`,
      `cannot read the date; accepted forms: ${list(dateForms)}`,
    ),
  DATE_NOT_EXIST: () =>
    both(
      'ngày này không có trên lịch (ví dụ 31/02 hoặc tháng 13)',
      'this date does not exist (such as 31/02 or month 13)',
    ),
  TIME_UNREADABLE: () =>
    both(
      `không đọc được thời điểm; các dạng được chấp nhận: ${list(timeForms)}; không ghi múi giờ nghĩa là giờ Việt Nam (UTC+07:00)`,
      `cannot read the time; accepted forms: ${list(timeForms)}; without an offset it is Vietnam time (UTC+07:00)`,
    ),
  TIME_DATE_NOT_EXIST: () =>
    both(
      'ngày của thời điểm này không có trên lịch (ví dụ 31/02)',
      'the date of this time does not exist (such as 31/02)',
    ),
  TIME_NOT_EXIST: () =>
    both(
      'giờ này không tồn tại: giờ từ 00 đến 23, phút và giây từ 00 đến 59 (24:00 là 00:00 của ngày hôm sau)',
      'this time of day does not exist: hours 00 to 23, minutes and seconds 00 to 59 (24:00 is 00:00 of the next day)',
    ),
  ID_TYPE_UNKNOWN: () =>
    both(
      `không nhận ra loại giấy tờ; cách viết được chấp nhận: ${idTypeList}`,
      `unknown ID type; accepted spellings: ${idTypeList}`,
    ),
  TEST_TYPE_UNKNOWN: () =>
    both(
      `không nhận ra loại xét nghiệm; cách viết được chấp nhận: ${testTypeList}`,
      `unknown test type; accepted spellings: ${testTypeList}`,
    ),
  RESULT_UNKNOWN: () =>
    both(
      `không nhận ra kết quả; cách viết được chấp nhận: ${resultList}`,
      `unknown result; accepted spellings: ${resultList}`,
    ),
  FIELD_COUNT: ({ found = '?', expected = '?' }) =>
    both(
      `dòng có ${found} ô nhưng dòng tiêu đề có ${expected} cột`,
      `the row has ${found} fields but the header has ${expected}`,
    ),
  TOO_LARGE: () =>
    both(
      'dòng quá lớn để gửi, kể cả khi gửi riêng (HTTP 413)',
      'the row is too large for a request on its own (HTTP 413)',
    ),
  NO_DETAILS: () => both('máy chủ từ chối mà không nêu lý do', 'rejected by the server without details'),
  SAMPLE_ID_FORMAT: () =>
    both(
      'mã mẫu phải có 1 đến 64 ký tự, chỉ gồm A-Z a-z 0-9 . _ : -',
      'the sampleId must be 1 to 64 characters of A-Z a-z 0-9 . _ : -',
    ),
  SAMPLE_ID_REPEATED: () =>
    both(
      'mã mẫu này đã dùng cho một dòng trước đó trong cùng lần gửi',
      'this sampleId is used by an earlier row of the same request',
    ),
  ID_TYPE_INVALID: () =>
    both('loại giấy tờ phải là CCCD, CMND hoặc Hộ chiếu', 'the ID type must be CCCD, CMND or PASSPORT'),
  ID_NUMBER_EMPTY: () => both('số giấy tờ trống', 'the ID number is empty'),
  ID_NUMBER_TOO_LONG: () => both('số giấy tờ quá dài', 'the ID number is too long'),
  ID_NUMBER_CCCD: () =>
    both(
      'số CCCD phải có 12 chữ số (nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản)',
      'a CCCD number has 12 digits (if Excel dropped the leading zeros, format the column as Text)',
    ),
  ID_NUMBER_CMND: () =>
    both(
      'số CMND phải có 9 hoặc 12 chữ số (nếu Excel đã bỏ số 0 ở đầu, hãy định dạng cột là Văn bản)',
      'a CMND number has 9 or 12 digits (if Excel dropped the leading zeros, format the column as Text)',
    ),
  ID_NUMBER_PASSPORT: () =>
    both(
      'số hộ chiếu phải có 6 đến 12 chữ cái A-Z hoặc chữ số',
      'a passport number has 6 to 12 letters A-Z or digits',
    ),
  ID_NUMBER_CENTURY: () =>
    both(
      'chữ số thứ 4 của số CCCD (thế kỷ và giới tính) không khớp với ngày sinh',
      'digit 4 of the CCCD number (century and gender) does not agree with the date of birth',
    ),
  ID_NUMBER_YEAR: () =>
    both(
      'chữ số thứ 5-6 của số CCCD (năm sinh) không khớp với ngày sinh',
      'digits 5-6 of the CCCD number (birth year) do not agree with the date of birth',
    ),
  NAME_EMPTY: () => both('họ và tên trống', 'the name is empty'),
  NAME_TOO_LONG: () => both('họ và tên dài quá 100 ký tự', 'the name is longer than 100 characters'),
  NAME_HIDDEN_CHARACTERS: () =>
    both(
      'họ và tên chứa ký tự định dạng ẩn (như U+202E, U+200B): hãy gõ lại tên',
      'the name contains hidden formatting characters (such as U+202E, U+200B): type it again',
    ),
  NAME_CONTROL_CHARACTERS: () =>
    both(
      'họ và tên chứa ký tự điều khiển hoặc xuống dòng',
      'the name contains control characters or line breaks',
    ),
  DATE_INVALID: () =>
    both('ngày sinh không phải một ngày có thật', 'the date of birth is not a calendar date'),
  DATE_TOO_EARLY: () => both('ngày sinh trước 01/01/1900', 'the date of birth is before 1900-01-01'),
  DATE_FUTURE: () => both('ngày sinh ở tương lai', 'the date of birth is in the future'),
  PHONE_INVALID: () =>
    both(
      'số điện thoại phải là số di động Việt Nam, như 0912345678 hoặc +84912345678 (để trống nếu không có)',
      'the phone must be a Vietnamese mobile number such as 0912345678 or +84912345678 (leave it empty if none)',
    ),
  TEST_TYPE_INVALID: () =>
    both(
      `không nhận ra loại xét nghiệm; cách viết được chấp nhận: ${testTypeList}`,
      `unknown test type; accepted spellings: ${testTypeList}`,
    ),
  TEST_TYPE_NOT_REGISTERED: ({ testType = '?' }) =>
    both(
      `cơ sở xét nghiệm chưa được đăng ký loại xét nghiệm ${testType}; hãy liên hệ đơn vị vận hành`,
      `the lab is not registered for ${testType} tests; ask the operator`,
    ),
  RESULT_INVALID: () =>
    both(
      `không nhận ra kết quả; cách viết được chấp nhận: ${resultList}`,
      `unknown result; accepted spellings: ${resultList}`,
    ),
  TIME_INVALID: () =>
    both(
      `không đọc được thời điểm; các dạng được chấp nhận: ${list(timeForms)}`,
      `cannot read the time; accepted forms: ${list(timeForms)}`,
    ),
  TIME_FUTURE: () =>
    both(
      'thời điểm ở tương lai (quá 5 phút so với đồng hồ máy chủ); giờ không ghi múi giờ được hiểu là giờ Việt Nam',
      'the time is in the future (more than 5 minutes ahead of the server); a time without an offset is read as Vietnam time',
    ),
  TIME_TOO_OLD: ({ days = '?' }) =>
    both(
      `thời điểm lấy mẫu cũ hơn thời hạn lưu trữ (${days} ngày)`,
      `the sampling time is older than the retention period (${days} days)`,
    ),
  RESULTED_BEFORE_SAMPLED: () =>
    both(
      'thời điểm có kết quả sớm hơn thời điểm lấy mẫu',
      'the time of the result is before the time of sampling',
    ),
  UNKNOWN_FIELD: () => both('máy chủ không biết trường này', 'the server does not know this field'),
  SERVER_OTHER: ({ server = '' }) =>
    both(`máy chủ từ chối (thông báo gốc: ${server})`, `rejected by the server (${server})`),
};

export const problemText = (problem: RowProblem, lang: Lang): string =>
  problemTexts[problem.code](problem.params ?? {})[lang];

const fieldColumns: Readonly<Record<string, Column>> = Object.fromEntries(
  columns.map((column) => [
    ['idType', 'idNumber', 'fullName', 'dateOfBirth', 'phone'].includes(column)
      ? `citizen.${column}`
      : column,
    column,
  ]),
);

/** The column a path names: its Vietnamese header in Vietnamese, the contract's name in English. */
export const fieldLabel = (path: string, lang: Lang): string => {
  if (path === '') return lang === 'vi' ? 'dòng' : 'row';
  const column = fieldColumns[path];
  if (column === undefined) return path;
  return lang === 'vi' ? columnNames[column][0] : column;
};

/**
 * The API's details, whose messages are English, as problems this CLI renders in the chosen language.
 * Matched on the item path and the server's wording (functions/schemas/*); a unit test runs the server's
 * own schema on bad items so that a changed wording shows up. What is not recognised keeps the server's
 * text (which never carries citizen data) under SERVER_OTHER rather than being lost.
 */
const serverRules: readonly { path: RegExp; message: RegExp; code: RowProblemCode; param?: string }[] = [
  { path: /^sampleId$/, message: /earlier item/, code: 'SAMPLE_ID_REPEATED' },
  { path: /^sampleId$/, message: /./, code: 'SAMPLE_ID_FORMAT' },
  { path: /^citizen\.idType$/, message: /./, code: 'ID_TYPE_INVALID' },
  { path: /^citizen\.idNumber$/, message: /must not be empty/, code: 'ID_NUMBER_EMPTY' },
  { path: /^citizen\.idNumber$/, message: /at most/, code: 'ID_NUMBER_TOO_LONG' },
  { path: /^citizen\.idNumber$/, message: /^a CCCD number/, code: 'ID_NUMBER_CCCD' },
  { path: /^citizen\.idNumber$/, message: /^a CMND number/, code: 'ID_NUMBER_CMND' },
  { path: /^citizen\.idNumber$/, message: /^a passport number/, code: 'ID_NUMBER_PASSPORT' },
  { path: /^citizen\.idNumber$/, message: /^digit 4/, code: 'ID_NUMBER_CENTURY' },
  { path: /^citizen\.idNumber$/, message: /^digits 5-6/, code: 'ID_NUMBER_YEAR' },
  { path: /^citizen\.fullName$/, message: /must not be empty/, code: 'NAME_EMPTY' },
  { path: /^citizen\.fullName$/, message: /at most/, code: 'NAME_TOO_LONG' },
  { path: /^citizen\.fullName$/, message: /invisible|surrogate/, code: 'NAME_HIDDEN_CHARACTERS' },
  { path: /^citizen\.fullName$/, message: /control characters/, code: 'NAME_CONTROL_CHARACTERS' },
  { path: /^citizen\.dateOfBirth$/, message: /calendar date/, code: 'DATE_INVALID' },
  { path: /^citizen\.dateOfBirth$/, message: /before/, code: 'DATE_TOO_EARLY' },
  { path: /^citizen\.dateOfBirth$/, message: /future/, code: 'DATE_FUTURE' },
  { path: /^citizen\.phone$/, message: /./, code: 'PHONE_INVALID' },
  {
    path: /^testType$/,
    message: /not registered for (\w+)/,
    code: 'TEST_TYPE_NOT_REGISTERED',
    param: 'testType',
  },
  { path: /^testType$/, message: /^must be/, code: 'TEST_TYPE_INVALID' },
  { path: /^result$/, message: /^must be/, code: 'RESULT_INVALID' },
  { path: /^(sampledAt|resultedAt)$/, message: /RFC 3339/, code: 'TIME_INVALID' },
  { path: /^(sampledAt|resultedAt)$/, message: /future/, code: 'TIME_FUTURE' },
  { path: /^sampledAt$/, message: /retention period \((\d+) days\)/, code: 'TIME_TOO_OLD', param: 'days' },
  { path: /^resultedAt$/, message: /before sampledAt/, code: 'RESULTED_BEFORE_SAMPLED' },
  { path: /./, message: /is not a known field|unknown field/, code: 'UNKNOWN_FIELD' },
];

export const fromServer = (detail: { readonly path: string; readonly message: string }): RowProblem => {
  for (const rule of serverRules) {
    if (!rule.path.test(detail.path)) continue;
    const match = rule.message.exec(detail.message);
    if (match === null) continue;
    const value = match[1];
    const params = rule.param === undefined || value === undefined ? undefined : { [rule.param]: value };
    return { path: detail.path, code: rule.code, ...(params === undefined ? {} : { params }) };
  }
  return { path: detail.path, code: 'SERVER_OTHER', params: { server: detail.message } };
};

/** How to save a spreadsheet as UTF-8, for a file in another encoding. */
const saveAsUtf8 = both(
  'Trong Excel: Tệp > Lưu thành > chọn "CSV UTF-8 (Comma delimited) (*.csv)". ' +
    'Trong LibreOffice Calc: Tệp > Lưu thành > Văn bản CSV (.csv), đánh dấu "Sửa thiết lập bộ lọc", ' +
    'chọn Bộ ký tự "Unicode (UTF-8)".',
  'In Excel: File > Save As > choose "CSV UTF-8 (Comma delimited) (*.csv)". ' +
    'In LibreOffice Calc: File > Save As > Text CSV (.csv), tick "Edit filter settings", ' +
    'choose Character set "Unicode (UTF-8)".',
);

const columnList = (lang: Lang): string =>
  columns
    .map((column) => {
      const names = columnNames[column];
      return lang === 'vi'
        ? `    ${list(names)}`
        : `    ${column} (${list(names.filter((n) => n !== column))})`;
    })
    .join('\n');

/** The general texts of the CLI. */
export const text = {
  notUtf8: () =>
    both(
      `Tệp không phải văn bản UTF-8 (có thể là Windows-1258 hoặc bảng mã khác), nên tên tiếng Việt sẽ bị sai. Không có dòng nào được gửi. Hãy lưu lại tệp dưới dạng UTF-8. ${saveAsUtf8.vi}`,
      `The file is not UTF-8 text (perhaps Windows-1258 or another code page), so Vietnamese names would be garbled. Nothing was sent. Save the file as UTF-8 again. ${saveAsUtf8.en}`,
    ),
  xlsx: () =>
    both(
      `Đây là tệp Excel (.xlsx), chưa được hỗ trợ. Hãy lưu thành CSV UTF-8. ${saveAsUtf8.vi}`,
      `This is an Excel workbook (.xlsx), which is not supported yet. Save it as CSV UTF-8. ${saveAsUtf8.en}`,
    ),
  emptyFile: () =>
    both(
      'Tệp trống: cần một dòng tiêu đề ghi tên các cột.',
      'The file is empty: a header row naming the columns is required.',
    ),
  headerRepeats: (names: readonly string[]) =>
    both(
      `Dòng tiêu đề có cột trùng nhau: ${list(names)}.`,
      `The header row names the same column twice: ${list(names)}.`,
    ),
  headerMissing: (missing: readonly Column[], unexpected: readonly string[]) =>
    both(
      `Dòng tiêu đề thiếu cột ${list(missing.map((c) => `${columnNames[c][0]} (${c})`))}.` +
        (unexpected.length > 0 ? ` Cột không nhận ra: ${list(unexpected)}.` : '') +
        ' Xem các tên cột được chấp nhận trong --help.',
      `The header row is missing the column${missing.length > 1 ? 's' : ''} ${list(missing)}.` +
        (unexpected.length > 0 ? ` Unexpected columns: ${list(unexpected)}.` : '') +
        ' See --help for the accepted column names.',
    ),
  csvBroken: (line: number, code: string) => {
    switch (code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return both(
          `Dòng ${line}: một ô có dấu ngoặc kép mở mà không đóng.`,
          `Line ${line}: a quoted field is never closed.`,
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
        return both(
          `Dòng ${line}: sau dấu ngoặc kép đóng còn ký tự khác.`,
          `Line ${line}: a closing quote is followed by other characters.`,
        );
      case 'CSV_MAX_RECORD_SIZE':
        return both(
          `Dòng ${line}: dòng dài quá 64 KiB (có dấu ngoặc kép nào chưa đóng không?).`,
          `Line ${line}: a row is longer than 64 KiB (is a quote left open?).`,
        );
      default:
        return both(
          `Dòng ${line}: tệp không phải CSV hợp lệ (${code}).`,
          `Line ${line}: the file is not valid CSV (${code}).`,
        );
    }
  },
  cannotRead: (file: string, code: string) =>
    code === 'ENOENT'
      ? both(`Không có tệp ${file}.`, `The file ${file} does not exist.`)
      : both(`Không đọc được tệp ${file} (${code}).`, `The file ${file} cannot be read (${code}).`),
  readFailed: (code: string) => both(`Không đọc được tệp (${code}).`, `The file cannot be read (${code}).`),
  notAFile: (file: string) => both(`${file} không phải là một tệp.`, `${file} is not a file.`),
  unauthenticated: () =>
    both(
      'Máy chủ từ chối mã truy cập (thiếu, không đúng hoặc đã bị thu hồi). Hãy kiểm tra RESULTGATE_CREDENTIAL.',
      'The server refused the credential (missing, unknown or revoked). Check RESULTGATE_CREDENTIAL.',
    ),
  forbidden: () =>
    both(
      'Mã truy cập hợp lệ nhưng không được gửi kết quả (không phải mã của cơ sở xét nghiệm, hoặc cơ sở đang bị tạm dừng).',
      'The credential is valid but may not submit results (not a lab credential, or the lab is suspended).',
    ),
  noAnswer: (why: string) => both(`máy chủ không trả lời (${why})`, `no answer from the server (${why})`),
  httpStatus: (status: number, code: string | undefined) =>
    both(
      `HTTP ${status}${code === undefined ? '' : ` (${code})`}`,
      `HTTP ${status}${code === undefined ? '' : ` (${code})`}`,
    ),
  partlyConfirmed: (confirmed: number, total: number) =>
    both(
      `máy chủ chỉ xác nhận ${confirmed} trên ${total} dòng`,
      `the server confirmed only ${confirmed} of ${total} items`,
    ),
  gaveUp: (attempts: number, reason: Localized) =>
    both(
      `Đã dừng sau ${attempts} lần thử; lần cuối lỗi: ${reason.vi}.`,
      `Gave up after ${attempts} attempts; the last one failed with ${reason.en}.`,
    ),
  retrying: (seconds: string, attempt: number, max: number, reason: Localized) =>
    both(
      `thử lại sau ${seconds.replace('.', ',')} giây (lần ${attempt}/${max}): ${reason.vi}`,
      `retrying in ${seconds} s (attempt ${attempt} of ${max}): ${reason.en}`,
    ),
  unexpectedAnswer: (status: number, code: string | undefined) =>
    both(
      `Máy chủ trả lời HTTP ${status}${code === undefined ? '' : ` (${code})`}, ngoài dự kiến.${status === 404 ? ' RESULTGATE_URL có đúng là địa chỉ API ResultGate không?' : ''}`,
      `The server answered HTTP ${status}${code === undefined ? '' : ` (${code})`}.${status === 404 ? ' Is RESULTGATE_URL the ResultGate API?' : ''}`,
    ),
  badAcceptedAnswer: () =>
    both(
      'Máy chủ trả lời 202 mà không có danh sách dòng hợp lệ.',
      'The server answered 202 without a valid list of items.',
    ),
  itemOutOfRange: (index: number, count: number) =>
    both(
      `Máy chủ trả lời về dòng số ${index} của một yêu cầu chỉ có ${count} dòng.`,
      `The server answered about item ${index} of a request of ${count} items.`,
    ),
  unexpected: (message: string) => both(`Lỗi ngoài dự kiến: ${message}`, `Unexpected error: ${message}`),
  error: (message: string, lang: Lang) => (lang === 'vi' ? `lỗi: ${message}\n` : `error: ${message}\n`),
  saveAsUtf8,
  columnList,
};

/** `--help`, Vietnamese first, then English. Every accepted form comes from the reader's own tables. */
export const helpText = (
  maxItems: number,
): string => `Cách dùng: npm run submit -- --file <kết-quả.csv> [--lang vi|en] [--batch-size <n>] [--json]

Gửi tệp CSV kết quả xét nghiệm của cơ sở xét nghiệm lên ResultGate (POST /v1/results), theo từng lô.

Tùy chọn:
  --file <đường dẫn>  tệp CSV (bắt buộc), có dòng tiêu đề
  --lang vi|en        ngôn ngữ của thông báo và báo cáo (mặc định vi)
  --batch-size <n>    số kết quả mỗi lần gửi, 1 đến ${maxItems} (mặc định ${maxItems})
  --json              in báo cáo dưới dạng một tài liệu JSON trên stdout
  --help              hiện hướng dẫn này

Tệp được chấp nhận:
  Dấu phân cách: dấu phẩy (,), dấu chấm phẩy (;) hoặc tab, tự nhận ra từ dòng tiêu đề.
  Bảng mã: UTF-8, có hoặc không có BOM (Excel "CSV UTF-8"). Tệp bảng mã khác (như Windows-1258)
  bị từ chối, không dòng nào được gửi. Tệp .xlsx chưa được hỗ trợ: hãy lưu thành CSV UTF-8.
  Cột (thứ tự tùy ý, không phân biệt hoa thường và dấu; cột khác bị bỏ qua; số điện thoại để trống
  nghĩa là không có):
${columnList('vi')}
  Ngày sinh: ${list(dateForms)}.
  Thời điểm lấy mẫu / có kết quả: ${list(timeForms)}.
    Không ghi múi giờ nghĩa là giờ Việt Nam (UTC+07:00, không có giờ mùa hè).
  Loại giấy tờ: ${idTypeList}.
  Loại xét nghiệm: ${testTypeList}.
  Kết quả: ${resultList}.
  (Không phân biệt chữ hoa thường, có dấu hay không dấu.)

Biến môi trường:
  RESULTGATE_CREDENTIAL   mã truy cập của cơ sở xét nghiệm (bắt buộc)
  RESULTGATE_URL          địa chỉ API (mặc định http://localhost:3000)

Mã thoát: 0 mọi dòng được nhận, 1 có dòng bị từ chối (xem báo cáo), 2 dừng giữa chừng (tệp lỗi,
mã truy cập bị từ chối, không kết nối được máy chủ). Gửi lại cùng một tệp là an toàn.

---

Usage: npm run submit -- --file <results.csv> [--lang vi|en] [--batch-size <n>] [--json]

Uploads a lab's CSV export of test results to ResultGate (POST /v1/results), in batches.

Options:
  --file <path>       the CSV file (required), with a header row
  --lang vi|en        language of the messages and the report (default vi)
  --batch-size <n>    results per request, 1 to ${maxItems} (default ${maxItems})
  --json              print the report as one JSON document on stdout
  --help              show this help

Accepted files:
  Separator: comma (,), semicolon (;) or tab, detected from the header row.
  Encoding: UTF-8, with or without a BOM (Excel's "CSV UTF-8"). A file in another encoding (such as
  Windows-1258) is refused and nothing is sent. .xlsx is not supported yet: save as CSV UTF-8.
  Columns (any order, case and diacritics ignored; other columns are ignored; an empty phone means none):
${columnList('en')}
  Date of birth: ${list(dateForms)}.
  Sampling / result time: ${list(timeForms)}.
    Without an offset a time is Vietnam time (UTC+07:00, no daylight saving time).
  ID type: ${idTypeList}.
  Test type: ${testTypeList}.
  Result: ${resultList}.
  (Case and diacritics are ignored.)

Environment:
  RESULTGATE_CREDENTIAL   the lab's credential (required)
  RESULTGATE_URL          the API's base URL (default http://localhost:3000)

Exit codes: 0 every row accepted, 1 some rows rejected (see the report), 2 the run stopped
(bad file, refused credential, server unreachable). Running the same file again is safe.
`;
