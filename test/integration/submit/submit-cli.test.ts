import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { runSubmit } from '../../../cli/submit/run.js';
import { makeTempDir } from '../../support/temp.js';
import { collector } from '../../unit/submit/fakes.js';

const credential = 'lab-secret';

const requestSchema = z.object({
  results: z.array(
    z.object({
      sampleId: z.string(),
      citizen: z.object({
        idType: z.string(),
        idNumber: z.string(),
        fullName: z.string(),
        dateOfBirth: z.string(),
        phone: z.string().optional(),
      }),
      testType: z.string(),
      result: z.string(),
      sampledAt: z.string(),
      resultedAt: z.string(),
    }),
  ),
});
type Received = z.infer<typeof requestSchema>['results'];

/**
 * A stand-in for `POST /v1/results` that answers like the contract: it checks the bearer credential,
 * rejects a CCCD number that is not 12 digits, answers 202 when something is accepted and 400
 * VALIDATION_FAILED otherwise. It can fail the first N requests with 503.
 */
const fakeResultGate = (options: { failFirst?: number; status?: number } = {}) => {
  const requests: Received[] = [];
  const acceptedIds: string[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/results')
        return answer(404, { error: { code: 'NOT_FOUND', message: 'no route' } });
      if (req.headers.authorization !== `Bearer ${credential}`) {
        return answer(401, { error: { code: 'UNAUTHENTICATED', message: 'unknown credential' } });
      }
      if (options.status !== undefined)
        return answer(options.status, { error: { code: 'FORBIDDEN', message: 'lab suspended' } });
      const { results } = requestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      requests.push(results);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return answer(503, { error: { code: 'INTERNAL', message: 'try again' } }, { 'retry-after': '1' });
      }
      const items = results.map((result, index) => {
        const valid = result.citizen.idType !== 'CCCD' || /^\d{12}$/.test(result.citizen.idNumber);
        return valid
          ? { index, sampleId: result.sampleId, status: 'ACCEPTED' as const }
          : {
              index,
              sampleId: result.sampleId,
              status: 'REJECTED' as const,
              errors: [{ path: 'citizen.idNumber', message: 'a CCCD number has 12 digits' }],
            };
      });
      const accepted = items.filter((item) => item.status === 'ACCEPTED');
      acceptedIds.push(...accepted.map((item) => item.sampleId));
      if (accepted.length === 0) {
        return answer(400, {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'no result accepted',
            details: items.flatMap((item) =>
              item.status === 'REJECTED'
                ? item.errors.map((error) => ({
                    path: `results[${item.index}].${error.path}`,
                    message: error.message,
                  }))
                : [],
            ),
          },
        });
      }
      return answer(202, { accepted: accepted.length, rejected: items.length - accepted.length, items });
    });
  });
  return {
    requests,
    acceptedIds,
    start: async (): Promise<string> => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('the fake server has no port');
      return `http://127.0.0.1:${address.port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Runs the real entry point, as `npm run submit` does, and collects what it prints. */
const runCli = (args: readonly string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/submit.ts', ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const header = 'sampleId,idType,idNumber,fullName,dateOfBirth,phone,testType,result,sampledAt,resultedAt';
const labExport = [
  `\uFEFF${header}`,
  'S-001,CCCD,001190012345,Nguyễn Thị Ánh,1990-05-17,0912345678,RT_PCR,NEGATIVE,2021-09-10T08:30:00+07:00,2021-09-10T14:00:00+07:00',
  'S-002,CCCD,001090054321,"Trần Văn\nBình",1990-01-02,,RAPID_ANTIGEN,NEGATIVE,2021-09-10T08:31:00+07:00,2021-09-10T08:50:00+07:00',
  'S-003,PASSPORT,B1234567,"Lê, Thu Hà",1985-12-01,+84912345678,RT_PCR,POSITIVE,2021-09-10T08:32:00+07:00,2021-09-10T15:00:00+07:00',
  'S-004,CCCD,0011900999,Phạm Quốc Hùng,1990-03-03,0987654321,RT_PCR,NEGATIVE,2021-09-10T08:33:00+07:00,2021-09-10T15:10:00+07:00',
  '',
  'S-005,CCCD,001190077777,Đỗ Minh Châu,1990-07-07,,RT_PCR,NEGATIVE,2021-09-10T08:34:00+07:00,2021-09-10T15:20:00+07:00',
  'S-006,CCCD,12345,Võ Thị Sáu,1990-08-08,,RT_PCR,INVALID,2021-09-10T08:35:00+07:00,2021-09-10T15:30:00+07:00',
].join('\r\n');

describe('npm run submit against a fake ResultGate', () => {
  let dir: string;
  let file: string;
  let server: ReturnType<typeof fakeResultGate> | undefined;

  beforeEach(async () => {
    dir = await makeTempDir('submit');
    file = join(dir, 'results.csv');
    await writeFile(file, labExport, 'utf8');
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('given a flaky server, when a lab submits its export, then every valid row is accepted once and the rejected ones are reported by line', async () => {
    server = fakeResultGate({ failFirst: 1 });
    const url = await server.start();
    const stdout = collector();
    const stderr = collector();
    const sleeps: number[] = [];

    const exitCode = await runSubmit({
      file,
      url,
      credential,
      batchSize: 3,
      lang: 'en',
      stdout,
      stderr,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

    expect(exitCode).toBe(1);
    expect(sleeps).toEqual([1_000]);
    expect(server.requests.map((batch) => batch.map((r) => r.sampleId))).toEqual([
      ['S-001', 'S-002', 'S-003'],
      ['S-001', 'S-002', 'S-003'],
      ['S-004', 'S-005', 'S-006'],
    ]);
    expect(server.acceptedIds).toEqual(['S-001', 'S-002', 'S-003', 'S-005']);
    const [firstBatch] = server.requests;
    expect(firstBatch?.[0]?.citizen.fullName).toBe('Nguyễn Thị Ánh');
    expect(firstBatch?.[1]?.citizen).not.toHaveProperty('phone');
    expect(firstBatch?.[2]?.citizen.fullName).toBe('Lê, Thu Hà');
    expect(stdout.text()).toBe(
      [
        `${file}: 6 rows read, 4 accepted, 2 rejected.`,
        '',
        'Rejected rows:',
        '  line 6, sampleId S-004',
        '    idNumber: a CCCD number has 12 digits (if Excel dropped the leading zeros, format the column as Text)',
        '  line 9, sampleId S-006',
        '    idNumber: a CCCD number has 12 digits (if Excel dropped the leading zeros, format the column as Text)',
        'Submitting the corrected file again is safe: results the server already accepted are not duplicated.',
        '',
      ].join('\n'),
    );
    expect(stderr.text()).toContain('retrying in 1.0 s (attempt 2 of 8): HTTP 503');
  });

  it('given a batch where nothing is valid, then the 400 details name each row by its line', async () => {
    await writeFile(file, [header, labExport.split('\r\n')[7]].join('\n'), 'utf8');
    server = fakeResultGate();
    const url = await server.start();
    const stdout = collector();

    const exitCode = await runSubmit({ file, url, credential, json: true, stdout, stderr: collector() });

    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout.text())).toMatchObject({
      status: 'completed',
      rows: 1,
      accepted: 0,
      rejected: 1,
      rejectedRows: [{ line: 2, sampleId: 'S-006', errors: [{ path: 'citizen.idNumber' }] }],
    });
  });

  it('given a refused credential, then the run stops at the first request with exit code 2', async () => {
    server = fakeResultGate();
    const url = await server.start();
    const stderr = collector();

    const exitCode = await runSubmit({ file, url, credential: 'revoked', stdout: collector(), stderr });

    expect(exitCode).toBe(2);
    expect(server.requests).toEqual([]);
    expect(stderr.text()).toContain('lỗi: Máy chủ từ chối mã truy cập');
  });

  it('given a suspended lab, then the run stops with exit code 2 and says why', async () => {
    server = fakeResultGate({ status: 403 });
    const url = await server.start();
    const stdout = collector();

    const exitCode = await runSubmit({ file, url, credential, lang: 'en', stdout, stderr: collector() });

    expect(exitCode).toBe(2);
    expect(stdout.text()).toContain('Stopped: The credential is valid but may not submit results');
    expect(stdout.text()).toContain('Rows from line 2 on may not have reached the server.');
  });

  it('never writes ID numbers, names or phone numbers to either stream', async () => {
    server = fakeResultGate({ failFirst: 1 });
    const url = await server.start();
    const stdout = collector();
    const stderr = collector();

    await runSubmit({ file, url, credential, batchSize: 2, stdout, stderr, sleep: async () => {} });

    const output = stdout.text() + stderr.text();
    for (const secret of [
      '001190012345',
      '0011900999',
      '12345,',
      'Nguyễn',
      'Phạm',
      'Võ',
      '0912345678',
      '+8491',
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it('runs as `npm run submit` and prints one JSON document on stdout with --json', async () => {
    server = fakeResultGate();
    const url = await server.start();

    const run = await runCli(['--file', file, '--json'], {
      RESULTGATE_URL: url,
      RESULTGATE_CREDENTIAL: credential,
    });

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', rows: 6, accepted: 4, rejected: 2 });
    expect(run.stderr).toBe('submit: đã gửi 6 dòng · 4 được nhận · 2 bị từ chối (đã đọc 100% tệp)\n');
  });

  it('given an Excel-style export, when the lab runs `npm run submit`, then the readable rows are sent in the contract’s form and the report is in Vietnamese', async () => {
    const excel = [
      '\uFEFFMã mẫu;Loại giấy tờ;Số giấy tờ;Họ và tên;Ngày sinh;Số điện thoại;Loại xét nghiệm;Kết quả;Thời điểm lấy mẫu;Thời điểm có kết quả',
      'X-1;CCCD;001185012345;Nguyễn Thị Ánh;12/03/1985;0912 345 678;RT-PCR;Âm tính;12/03/2021 08:30;12/03/2021 14:00',
      'X-2;Hộ chiếu;B1234567;Trần Văn Bình;2/3/1990;;Test nhanh kháng nguyên;Dương tính;2021-03-12 09:00;2021-03-12T09:20:00',
      'X-3;CCCD;001185099999;Lê Thị Cúc;31/02/1985;;RT-PCR;Âm tính;12/03/2021 8h30;12/03/2021 14:00',
    ].join('\r\n');
    await writeFile(file, excel, 'utf8');
    server = fakeResultGate();
    const url = await server.start();

    const run = await runCli(['--file', file], { RESULTGATE_URL: url, RESULTGATE_CREDENTIAL: credential });

    expect(run.code).toBe(1);
    expect(server.requests).toEqual([
      [
        {
          sampleId: 'X-1',
          citizen: {
            idType: 'CCCD',
            idNumber: '001185012345',
            fullName: 'Nguyễn Thị Ánh',
            dateOfBirth: '1985-03-12',
            phone: '0912 345 678',
          },
          testType: 'RT_PCR',
          result: 'NEGATIVE',
          sampledAt: '2021-03-12T08:30:00+07:00',
          resultedAt: '2021-03-12T14:00:00+07:00',
        },
        {
          sampleId: 'X-2',
          citizen: {
            idType: 'PASSPORT',
            idNumber: 'B1234567',
            fullName: 'Trần Văn Bình',
            dateOfBirth: '1990-03-02',
          },
          testType: 'RAPID_ANTIGEN',
          result: 'POSITIVE',
          sampledAt: '2021-03-12T09:00:00+07:00',
          resultedAt: '2021-03-12T09:20:00+07:00',
        },
      ],
    ]);
    expect(run.stdout).toContain(`${file}: đã đọc 3 dòng, 2 được nhận, 1 bị từ chối.`);
    expect(run.stdout).toContain('  dòng 4, mã mẫu X-3\n    Ngày sinh: ngày này không có trên lịch');
    expect(run.stdout).toContain(
      '    Thời điểm lấy mẫu: không đọc được thời điểm; các dạng được chấp nhận: dd/mm/yyyy HH:MM',
    );
    expect(run.stdout).not.toMatch(/Lê Thị|001185099999|future/);
  });

  it('given a Windows-1258 export, then nothing is sent and the lab is told how to save it as UTF-8', async () => {
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from(`${header}\nS-1,CCCD,001190012345,Nguy`, 'latin1'),
        Buffer.from([0xea, 0xde, 0x6e]),
        Buffer.from(',1990-05-17,,RT_PCR,NEGATIVE,2021-09-10T08:30:00Z,2021-09-10T14:00:00Z\n', 'latin1'),
      ]),
    );
    server = fakeResultGate();
    const url = await server.start();

    const run = await runCli(['--file', file, '--lang', 'en'], {
      RESULTGATE_URL: url,
      RESULTGATE_CREDENTIAL: credential,
    });

    expect(run.code).toBe(2);
    expect(server.requests).toEqual([]);
    expect(run.stderr).toMatch(
      /^error: The file is not UTF-8 text .*In Excel: File > Save As > choose "CSV UTF-8/,
    );
  });
});
