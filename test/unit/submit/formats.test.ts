import { describe, expect, it } from 'vitest';
import {
  columnOf,
  idTypeSpellings,
  readDate,
  readIdType,
  readResult,
  readTestType,
  readTime,
  resultSpellings,
  spellingKey,
  testTypeSpellings,
} from '../../../cli/submit/formats.js';

const value = (v: string) => ({ ok: true, value: v });
const problem = (code: string) => ({ ok: false, code });

describe('reading a birth date', () => {
  it.each([
    ['12/03/1985', '1985-03-12'],
    ['2/3/1985', '1985-03-02'],
    ['1985-03-12', '1985-03-12'],
    [' 29/02/2000 ', '2000-02-29'],
    ['31/12/1999', '1999-12-31'],
  ])('reads %s day first as %s', (raw, expected) => {
    expect(readDate(raw)).toEqual(value(expected));
  });

  it.each(['31/02/1985', '29/02/1900', '29/02/2023', '00/01/1990', '12/13/1990', '1990-02-30'])(
    'says that %s does not exist',
    (raw) => {
      expect(readDate(raw)).toEqual(problem('DATE_NOT_EXIST'));
    },
  );

  it.each(['12/03/85', '12.03.1985', '1985/03/12', 'March 12, 1985', '12-03-1985'])(
    'cannot read %s',
    (raw) => {
      expect(readDate(raw)).toEqual(problem('DATE_UNREADABLE'));
    },
  );

  it('says an empty cell is empty', () => {
    expect(readDate('  ')).toEqual(problem('EMPTY'));
  });
});

describe('reading a time of sampling or result', () => {
  it.each([
    ['12/03/2021 08:30', '2021-03-12T08:30:00+07:00'],
    ['2/3/2021 8:05', '2021-03-02T08:05:00+07:00'],
    ['12/03/2021 08:30:15', '2021-03-12T08:30:15+07:00'],
    ['2021-03-12 08:30', '2021-03-12T08:30:00+07:00'],
    ['2021-03-12T08:30:00', '2021-03-12T08:30:00+07:00'],
    ['2021-03-12T23:59:59', '2021-03-12T23:59:59+07:00'],
    ['2021-03-12T00:00:00', '2021-03-12T00:00:00+07:00'],
  ])('reads %s without an offset as Vietnam time: %s', (raw, expected) => {
    expect(readTime(raw)).toEqual(value(expected));
  });

  it.each([
    ['2021-03-12T08:30:00+07:00', '2021-03-12T08:30:00+07:00'],
    ['2021-03-12T01:30:00Z', '2021-03-12T01:30:00Z'],
    ['2021-03-12T01:30:00.250z', '2021-03-12T01:30:00.250Z'],
    ['2021-03-12T08:30:00-05:00', '2021-03-12T08:30:00-05:00'],
  ])('keeps the offset of %s', (raw, expected) => {
    expect(readTime(raw)).toEqual(value(expected));
  });

  it.each(['12/03/2021 24:00', '2021-03-12T24:00:00', '2021-03-12 08:60', '2021-03-12T08:30:60'])(
    'says that the time of day %s does not exist',
    (raw) => {
      expect(readTime(raw)).toEqual(problem('TIME_NOT_EXIST'));
    },
  );

  it.each(['31/02/2021 08:30', '2021-02-29T08:30:00', '2021-04-31 10:00'])(
    'says that the day of %s does not exist',
    (raw) => {
      expect(readTime(raw)).toEqual(problem('TIME_DATE_NOT_EXIST'));
    },
  );

  it.each([
    '12/03/2021',
    '08:30',
    'hôm qua',
    '2021-03-12T08:30:00+7',
    '12/03/21 08:30',
    '2021-03-12T08:30:00+25:00',
  ])('cannot read %s', (raw) => {
    expect(readTime(raw)).toEqual(problem('TIME_UNREADABLE'));
  });
});

describe('reading spellings', () => {
  it.each([
    ['RT-PCR', 'RT_PCR'],
    ['RT_PCR', 'RT_PCR'],
    ['rt pcr', 'RT_PCR'],
    ['PCR', 'RT_PCR'],
    ['Test nhanh kháng nguyên', 'RAPID_ANTIGEN'],
    ['test nhanh', 'RAPID_ANTIGEN'],
    ['Kháng nguyên nhanh', 'RAPID_ANTIGEN'],
    ['KHANG NGUYEN NHANH', 'RAPID_ANTIGEN'],
    ['RAPID_ANTIGEN', 'RAPID_ANTIGEN'],
    ['Rapid antigen', 'RAPID_ANTIGEN'],
    ['Test nhanh kháng nguyên'.normalize('NFD'), 'RAPID_ANTIGEN'],
  ])('reads the test type %s as %s', (raw, expected) => {
    expect(readTestType(raw)).toEqual(value(expected));
  });

  it.each([
    ['Âm tính', 'NEGATIVE'],
    ['âm tính', 'NEGATIVE'],
    ['Am tinh', 'NEGATIVE'],
    ['Âm tính'.normalize('NFD'), 'NEGATIVE'],
    ['Negative', 'NEGATIVE'],
    ['NEGATIVE', 'NEGATIVE'],
    ['Dương tính', 'POSITIVE'],
    ['DƯƠNG TÍNH', 'POSITIVE'],
    ['Positive', 'POSITIVE'],
    ['Không xác định', 'INVALID'],
    ['Invalid', 'INVALID'],
  ])('reads the result %s as %s', (raw, expected) => {
    expect(readResult(raw)).toEqual(value(expected));
  });

  it.each([
    ['CCCD', 'CCCD'],
    ['cccd', 'CCCD'],
    ['Căn cước công dân', 'CCCD'],
    ['CMND', 'CMND'],
    ['Hộ chiếu', 'PASSPORT'],
    ['Passport', 'PASSPORT'],
  ])('reads the ID type %s as %s', (raw, expected) => {
    expect(readIdType(raw)).toEqual(value(expected));
  });

  it('names an unknown spelling as unknown, and an empty cell as empty', () => {
    expect(readTestType('PCR nhanh')).toEqual(problem('TEST_TYPE_UNKNOWN'));
    expect(readResult('âm')).toEqual(problem('RESULT_UNKNOWN'));
    expect(readResult('Nghi ngờ')).toEqual(problem('RESULT_UNKNOWN'));
    expect(readIdType('Bằng lái')).toEqual(problem('ID_TYPE_UNKNOWN'));
    expect(readResult('')).toEqual(problem('EMPTY'));
  });

  it('never lets two words share a spelling once case and diacritics are ignored', () => {
    for (const table of [testTypeSpellings, resultSpellings, idTypeSpellings]) {
      const owners = new Map<string, string>();
      for (const [word, forms] of Object.entries(table)) {
        for (const form of forms) {
          const key = spellingKey(form);
          expect(owners.get(key) ?? word).toBe(word);
          owners.set(key, word);
        }
      }
    }
  });
});

describe('reading header names', () => {
  it.each([
    ['Mã mẫu', 'sampleId'],
    ['sampleId', 'sampleId'],
    ['SAMPLEID', 'sampleId'],
    ['Loại giấy tờ', 'idType'],
    ['Số giấy tờ', 'idNumber'],
    ['Họ và tên', 'fullName'],
    ['Họ tên', 'fullName'],
    ['Ngày sinh', 'dateOfBirth'],
    ['Số điện thoại', 'phone'],
    ['Loại xét nghiệm', 'testType'],
    ['Kết quả', 'result'],
    ['Thời điểm lấy mẫu', 'sampledAt'],
    ['Thời điểm có kết quả', 'resultedAt'],
    ['Thời điểm có kết quả'.normalize('NFD'), 'resultedAt'],
    ['  kết QUẢ ', 'result'],
  ])('reads the header %s as %s', (raw, expected) => {
    expect(columnOf(raw)).toBe(expected);
  });

  it('ignores a column it does not use', () => {
    expect(columnOf('Ghi chú')).toBeUndefined();
  });
});
