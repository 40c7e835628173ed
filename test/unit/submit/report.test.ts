import { describe, expect, it } from 'vitest';
import { toEntry } from '../../../cli/submit/batching.js';
import { deliverBatch } from '../../../cli/submit/deliver.js';
import { exitCodeOf, formatHuman, formatJson, ReportBuilder } from '../../../cli/submit/report.js';
import { deliveryDeps, json, result, scriptedFetch } from './fakes.js';

const validationFailed = (): Response =>
  json(400, {
    error: {
      code: 'VALIDATION_FAILED',
      message: 'no result accepted',
      details: [
        { path: 'results[0].citizen.dateOfBirth', message: 'must not be in the future' },
        {
          path: 'results[1].citizen.idNumber',
          message: 'digits 5-6 of a CCCD number (birth year) do not agree with dateOfBirth',
        },
      ],
    },
  });

describe('report', () => {
  it('names rows rejected by a 400 by their CSV line and field path', async () => {
    // The second row started on line 3 but its quoted name spanned two lines, so the third starts on 5.
    const batch = [toEntry(2, result('S-1')), toEntry(3, result('S-2')), toEntry(5, result('S-3'))];
    const report = new ReportBuilder('results.csv');
    const server = scriptedFetch([validationFailed()]);

    await deliverBatch(batch, deliveryDeps(server.fetch), (outcome) => report.record(outcome));
    const english = formatHuman(report.finish(), 'en');
    const vietnamese = formatHuman(report.finish(), 'vi');

    expect(english).toContain(
      '  line 2, sampleId S-1\n    dateOfBirth: the date of birth is in the future\n',
    );
    expect(english).toContain(
      '  line 3, sampleId S-2\n    idNumber: digits 5-6 of the CCCD number (birth year) do not agree with the date of birth\n',
    );
    expect(english).toContain('  line 5, sampleId S-3\n    row: rejected by the server without details\n');
    expect(vietnamese).toContain('  dòng 2, mã mẫu S-1\n    Ngày sinh: ngày sinh ở tương lai\n');
    expect(vietnamese).toContain(
      '  dòng 3, mã mẫu S-2\n    Số giấy tờ: chữ số thứ 5-6 của số CCCD (năm sinh) không khớp với ngày sinh\n',
    );
    expect(vietnamese).toContain('  dòng 5, mã mẫu S-3\n    dòng: máy chủ từ chối mà không nêu lý do\n');
    expect(vietnamese).not.toMatch(/future|agree/);
  });

  it('never shows ID numbers, names or phone numbers', async () => {
    const report = new ReportBuilder('results.csv');
    const server = scriptedFetch([validationFailed()]);
    await deliverBatch(
      [toEntry(2, result('S-1')), toEntry(3, result('S-2'))],
      deliveryDeps(server.fetch),
      (o) => report.record(o),
    );

    const outputs = (['vi', 'en'] as const).flatMap((lang) => [
      formatHuman(report.finish(), lang),
      formatJson(report.finish(), lang),
    ]);

    for (const output of outputs) {
      expect(output).not.toContain('001190012345');
      expect(output).not.toContain('Nguyễn');
      expect(output).not.toContain('0912345678');
    }
  });

  it('hides a sampleId cell that is not a valid sampleId, since it may hold personal data', () => {
    const report = new ReportBuilder('results.csv');
    report.rejectUnsent(7, 'Nguyễn Văn An', [
      { path: '', code: 'FIELD_COUNT', params: { found: '9', expected: '10' } },
    ]);

    const finished = report.finish();

    expect(finished.rejectedRows).toEqual([{ line: 7, sampleId: null, errors: expect.any(Array) }]);
    expect(formatHuman(finished)).not.toContain('Nguyễn');
  });

  it('lists rejected rows in line order and counts them', () => {
    const report = new ReportBuilder('results.csv');
    for (const line of [9, 4]) {
      report.rowRead(0);
      report.rejectUnsent(line, `S-${line}`, [{ path: 'result', code: 'RESULT_UNKNOWN' }]);
    }

    const finished = report.finish();

    expect(finished).toMatchObject({ rows: 2, accepted: 0, rejected: 2, status: 'completed' });
    expect(finished.rejectedRows.map((row) => row.line)).toEqual([4, 9]);
  });

  it('says from which line rows may not have reached the server after a stop', () => {
    const report = new ReportBuilder('results.csv');
    report.rowRead(100);
    report.queued(2);
    report.rowRead(200);
    report.queued(3);
    report.record({ entry: toEntry(2, result('S-1')), status: 'ACCEPTED' });

    const finished = report.finish({ code: 'UNREACHABLE', message: 'Gave up after 8 attempts.' });

    expect(finished.unconfirmedFromLine).toBe(3);
    expect(formatHuman(finished, 'en')).toContain('Rows from line 3 on may not have reached the server.');
    expect(formatHuman(finished, 'vi')).toContain('Các dòng từ dòng 3 trở đi có thể chưa đến máy chủ.');
  });

  it('exits 0 when all rows were accepted, 1 when some were rejected, 2 when the run stopped', () => {
    const clean = new ReportBuilder('a.csv');
    const rejected = new ReportBuilder('b.csv');
    rejected.rejectUnsent(2, 'S-1', []);
    const stopped = new ReportBuilder('c.csv');

    expect(exitCodeOf(clean.finish())).toBe(0);
    expect(exitCodeOf(rejected.finish())).toBe(1);
    expect(exitCodeOf(stopped.finish({ code: 'FORBIDDEN', message: 'suspended' }))).toBe(2);
  });

  it('prints the JSON report as one parseable document', () => {
    const report = new ReportBuilder('results.csv');
    report.rejectUnsent(2, 'S-1', [{ path: 'testType', code: 'TEST_TYPE_UNKNOWN' }]);

    const parsed: unknown = JSON.parse(formatJson(report.finish(), 'en'));

    expect(parsed).toEqual({
      file: 'results.csv',
      status: 'completed',
      rows: 0,
      accepted: 0,
      rejected: 1,
      rejectedRows: [
        {
          line: 2,
          sampleId: 'S-1',
          errors: [
            {
              path: 'testType',
              code: 'TEST_TYPE_UNKNOWN',
              message: expect.stringMatching(/^unknown test type; accepted spellings: RT-PCR, PCR/),
            },
          ],
        },
      ],
      error: null,
      unconfirmedFromLine: null,
    });
  });
});
