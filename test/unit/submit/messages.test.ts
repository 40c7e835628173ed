import { describe, expect, it } from 'vitest';
import { helpText } from '../../../cli/submit/args.js';
import { fieldLabel, fromServer, problemText, type RowProblem } from '../../../cli/submit/messages.js';
import { issuesToDetails } from '../../../functions/schemas/common.js';
import { testResultSchema } from '../../../functions/schemas/results.js';
import { aResult, cccdFor } from '../../support/fixtures.js';

const now = new Date('2021-09-10T12:00:00Z');
const schema = testResultSchema({ clock: { now: () => now }, retentionDays: 30 });

/** What the real server schema says about an item, as the API would put it in `details`. */
const serverDetails = (item: unknown) => {
  const parsed = schema.safeParse(item);
  if (parsed.success) throw new Error('the item was meant to be invalid');
  return issuesToDetails(parsed.error.issues);
};

const bad = (overrides: Parameters<typeof aResult>[0]) => aResult(overrides, now);
const withCitizen = (citizen: Record<string, unknown>) => {
  const item = bad({});
  return { ...item, citizen: { ...item.citizen, ...citizen } };
};

describe('messages for the API’s refusals', () => {
  it.each([
    ['a bad sampleId', bad({ sampleId: 'S 1/ä' }), 'SAMPLE_ID_FORMAT'],
    ['a bad ID type', withCitizen({ idType: 'DRIVER' }), 'ID_TYPE_INVALID'],
    ['a short CCCD', bad({ idNumber: '12345' }), 'ID_NUMBER_CCCD'],
    ['a short CMND', bad({ idType: 'CMND', idNumber: '123' }), 'ID_NUMBER_CMND'],
    ['a bad passport', bad({ idType: 'PASSPORT', idNumber: 'A-1' }), 'ID_NUMBER_PASSPORT'],
    ['a CCCD of another century', bad({ idNumber: cccdFor('2001-01-01') }), 'ID_NUMBER_CENTURY'],
    ['a CCCD of another year', bad({ idNumber: cccdFor('1991-05-01') }), 'ID_NUMBER_YEAR'],
    ['an empty ID number', bad({ idNumber: ' ' }), 'ID_NUMBER_EMPTY'],
    ['an empty name', bad({ fullName: '  ' }), 'NAME_EMPTY'],
    ['a long name', bad({ fullName: 'A'.repeat(101) }), 'NAME_TOO_LONG'],
    ['a name with a bidi control', bad({ fullName: 'An\u202E' }), 'NAME_HIDDEN_CHARACTERS'],
    ['a name with a line break', bad({ fullName: 'An\nB' }), 'NAME_CONTROL_CHARACTERS'],
    ['a birth date that is not a date', withCitizen({ dateOfBirth: '1990-02-30' }), 'DATE_INVALID'],
    [
      'a birth date before 1900',
      withCitizen({ dateOfBirth: '1899-12-31', idType: 'PASSPORT', idNumber: 'B1234567' }),
      'DATE_TOO_EARLY',
    ],
    [
      'a birth date in the future',
      withCitizen({ dateOfBirth: '2030-01-01', idType: 'PASSPORT', idNumber: 'B1234567' }),
      'DATE_FUTURE',
    ],
    ['a landline', bad({ phone: '0241234567' }), 'PHONE_INVALID'],
    ['a bad test type', { ...bad({}), testType: 'PCR' }, 'TEST_TYPE_INVALID'],
    ['a bad result', { ...bad({}), result: 'NEG' }, 'RESULT_INVALID'],
    ['an unreadable time', bad({ sampledAt: '2021-09-10 08:30' }), 'TIME_INVALID'],
    ['a time in the future', bad({ sampledAt: '2021-09-10T20:00:00Z' }), 'TIME_FUTURE'],
    ['a time past retention', bad({ sampledAt: '2021-08-01T00:00:00Z' }), 'TIME_TOO_OLD'],
    [
      'a result before its sample',
      bad({ resultedAt: '2021-09-10T10:00:00Z', sampledAt: '2021-09-10T11:00:00Z' }),
      'RESULTED_BEFORE_SAMPLED',
    ],
    ['an unknown field', { ...bad({}), note: 'x' }, 'UNKNOWN_FIELD'],
  ])('recognises the server’s words for %s', (_, item, code) => {
    const problems = serverDetails(item).map(fromServer);

    expect(problems.map((p) => p.code)).toContain(code);
    expect(problems.map((p) => p.code)).not.toContain('SERVER_OTHER');
  });

  it('recognises the ingest refusals that are not in the schema', () => {
    expect(fromServer({ path: 'sampleId', message: 'is used by an earlier item of this batch' })).toEqual({
      path: 'sampleId',
      code: 'SAMPLE_ID_REPEATED',
    });
    expect(
      fromServer({ path: 'testType', message: 'this lab is not registered for RAPID_ANTIGEN tests' }),
    ).toEqual({ path: 'testType', code: 'TEST_TYPE_NOT_REGISTERED', params: { testType: 'RAPID_ANTIGEN' } });
  });

  it('keeps a refusal it does not know, in the server’s words, rather than losing it', () => {
    const problem = fromServer({ path: 'citizen.fullName', message: 'a rule added later' });

    expect(problemText(problem, 'vi')).toBe('máy chủ từ chối (thông báo gốc: a rule added later)');
    expect(problemText(problem, 'en')).toBe('rejected by the server (a rule added later)');
  });
});

describe('problem texts', () => {
  const say = (problem: RowProblem) => [problemText(problem, 'vi'), problemText(problem, 'en')];

  it('says that a time cannot be read and shows the accepted forms, not that it is in the future', () => {
    const [vi, en] = say({ path: 'sampledAt', code: 'TIME_UNREADABLE' });

    expect(vi).toMatch(
      /^không đọc được thời điểm; các dạng được chấp nhận: dd\/mm\/yyyy HH:MM \(12\/03\/2021 08:30\)/,
    );
    expect(vi).toContain('giờ Việt Nam (UTC+07:00)');
    expect(en).toMatch(/^cannot read the time; accepted forms: dd\/mm\/yyyy HH:MM/);
    expect(`${vi} ${en}`).not.toMatch(/future|tương lai/);
  });

  it('says that a date does not exist', () => {
    expect(say({ path: 'citizen.dateOfBirth', code: 'DATE_NOT_EXIST' })).toEqual([
      'ngày này không có trên lịch (ví dụ 31/02 hoặc tháng 13)',
      'this date does not exist (such as 31/02 or month 13)',
    ]);
  });

  it('lists the accepted spellings of an unknown test type and result', () => {
    const [testVi, testEn] = say({ path: 'testType', code: 'TEST_TYPE_UNKNOWN' });
    const [resultVi] = say({ path: 'result', code: 'RESULT_UNKNOWN' });

    expect(testVi).toContain('RT-PCR, PCR, Xét nghiệm PCR, RT_PCR, Real-time PCR (RT_PCR)');
    expect(testVi).toContain('Test nhanh kháng nguyên');
    expect(testEn).toMatch(/^unknown test type; accepted spellings: /);
    expect(resultVi).toContain('Âm tính, NEGATIVE, Negative (NEGATIVE); Dương tính');
  });

  it('names a field by its Vietnamese column header in Vietnamese and by its contract name in English', () => {
    expect(fieldLabel('citizen.idNumber', 'vi')).toBe('Số giấy tờ');
    expect(fieldLabel('citizen.idNumber', 'en')).toBe('idNumber');
    expect(fieldLabel('sampledAt', 'vi')).toBe('Thời điểm lấy mẫu');
    expect(fieldLabel('', 'vi')).toBe('dòng');
  });

  it('writes Vietnamese texts in NFC with their diacritics', () => {
    const [vi] = say({ path: 'resultedAt', code: 'RESULTED_BEFORE_SAMPLED' });

    expect(vi).toBe('thời điểm có kết quả sớm hơn thời điểm lấy mẫu');
    expect(vi).toBe(vi?.normalize('NFC'));
  });
});

describe('--help', () => {
  it('lists every accepted form, Vietnamese first, then English', () => {
    const vi = helpText.slice(0, helpText.indexOf('\n---\n'));
    const en = helpText.slice(helpText.indexOf('\n---\n'));

    for (const part of [vi, en]) {
      for (const form of [
        'dd/mm/yyyy (12/03/1985)',
        'd/m/yyyy',
        'yyyy-mm-dd',
        '2021-03-12T08:30:00',
        'UTC+07:00',
        'UTF-8',
        'Windows-1258',
        'Test nhanh kháng nguyên',
        'Kháng nguyên nhanh',
        'Rapid antigen',
        'Âm tính',
        'Dương tính',
        'Không xác định',
        'Mã mẫu',
        'Thời điểm có kết quả',
        'resultedAt',
        '.xlsx',
        '--lang vi|en',
      ]) {
        expect(part).toContain(form);
      }
    }
    expect(vi).toMatch(/^Cách dùng:/);
    expect(vi).toContain('dấu chấm phẩy (;) hoặc tab');
    expect(en).toContain('comma (,), semicolon (;) or tab');
  });
});
