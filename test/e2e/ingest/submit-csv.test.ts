import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { runSubmit } from '../../../cli/submit/run.js';
import { cccdFor } from '../../support/fixtures.js';
import { eventually, startStack, type TestStack } from '../../support/local-stack.js';
import { makeTempDir } from '../../support/temp.js';
import { collector } from '../../unit/submit/fakes.js';

const HEADER = 'sampleId,idType,idNumber,fullName,dateOfBirth,phone,testType,result,sampledAt,resultedAt';

const reportSchema = z.object({
  status: z.enum(['completed', 'failed']),
  rows: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  rejectedRows: z.array(
    z.object({
      line: z.number(),
      sampleId: z.string().nullable(),
      errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
    }),
  ),
});

/** A CSV row of a valid result sampled 3 hours ago, its times written in Vietnam's offset (+07:00). */
const row = (sampleId: string, fullName: string, overrides: { idNumber?: string; phone?: string } = {}) => {
  const sampled = new Date(Date.now() - 3 * 3_600_000);
  const local = (at: Date) =>
    new Date(at.getTime() + 7 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+07:00');
  const resulted = new Date(sampled.getTime() + 3_600_000);
  const dateOfBirth = '1988-11-20';
  const quoted = fullName.includes(',') ? `"${fullName}"` : fullName;
  return [
    sampleId,
    'CCCD',
    overrides.idNumber ?? cccdFor(dateOfBirth),
    quoted,
    dateOfBirth,
    overrides.phone ?? '',
    'RT_PCR',
    'NEGATIVE',
    local(sampled),
    local(resulted),
  ].join(',');
};

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
};

const forwardedBodySchema = z.object({ results: z.array(z.object({ sampleId: z.string() })) });

/**
 * A proxy in front of the stack that answers 503 to the first POST (without forwarding it) and forwards
 * everything else, keeping the sampleIds of the items it forwarded.
 */
const startFlakyProxy = async (target: string) => {
  const forwarded: string[] = [];
  let refused = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'POST' && refused === 0) {
        refused += 1;
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Service unavailable (simulated).' } }));
        return;
      }
      if (req.method === 'POST') {
        forwarded.push(
          ...forwardedBodySchema.parse(JSON.parse(body.toString('utf8'))).results.map((r) => r.sampleId),
        );
      }
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers: Object.fromEntries(
          ['authorization', 'content-type'].flatMap((name) => {
            const value = req.headers[name];
            return typeof value === 'string' ? [[name, value]] : [];
          }),
        ),
        ...(body.byteLength > 0 ? { body: body.toString('utf8') } : {}),
      });
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    refused: () => refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The CSV uploader (`npm run submit`), in-process, against the real local stack. */
describe('npm run submit against the local stack', () => {
  let stack: TestStack;
  let dir: string;

  beforeAll(async () => {
    stack = await startStack();
    dir = await makeTempDir('csv');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const isStored = async (credential: string, sampleId: string) =>
    (await stack.call('GET', `/v1/results/${sampleId}`, credential)).status === 200;

  it('uploads the valid rows, reports the rejected ones by line number, and exits 1', async () => {
    // Given a lab and its CSV export with valid and invalid rows
    const lab = await stack.addLab();
    const file = join(dir, 'mixed.csv');
    await writeFile(
      file,
      [
        HEADER,
        row('CSV-1', 'Nguyễn Thị Ánh', { phone: '0912345678' }),
        row('CSV-2', 'Trần Văn, Bình'),
        row('CSV-3', 'Lê Văn Cường', { idNumber: '12345' }),
        row('CSV-4', 'Phạm Thị Hồng Nhung'.normalize('NFD')),
        row('CSV-5', 'Đỗ Ý', { phone: '0201234567' }),
        '',
      ].join('\r\n'),
    );
    const stdout = collector();
    const stderr = collector();

    // When the lab runs the uploader
    const code = await runSubmit({
      file,
      url: stack.url,
      credential: lab.credential,
      json: true,
      lang: 'en',
      stdout,
      stderr,
      sleep: async () => undefined,
    });

    // Then the report names the rejected rows by line and the exit code says some were rejected
    const report = reportSchema.parse(JSON.parse(stdout.text()));
    expect(code).toBe(1);
    expect(report).toMatchObject({ status: 'completed', rows: 5, accepted: 3, rejected: 2 });
    expect(report.rejectedRows).toEqual([
      {
        line: 4,
        sampleId: 'CSV-3',
        errors: [
          {
            path: 'citizen.idNumber',
            code: 'ID_NUMBER_CCCD',
            message: expect.stringMatching(/^a CCCD number has 12 digits/),
          },
        ],
      },
      {
        line: 6,
        sampleId: 'CSV-5',
        errors: [{ path: 'citizen.phone', code: 'PHONE_INVALID', message: expect.stringMatching(/mobile/) }],
      },
    ]);
    expect(stdout.text()).not.toContain('Lê Văn');

    // And the valid rows are stored
    for (const sampleId of ['CSV-1', 'CSV-2', 'CSV-4']) {
      await eventually(() => isStored(lab.credential, sampleId));
    }
    expect(await isStored(lab.credential, 'CSV-3')).toBe(false);
  });

  it('retries after a 503 without losing a row or sending an accepted one twice', async () => {
    // Given a lab, a CSV of 7 valid rows, and a proxy that answers the first POST with 503
    const lab = await stack.addLab();
    const sampleIds = Array.from({ length: 7 }, (_, i) => `RETRY-${i + 1}`);
    const file = join(dir, 'retry.csv');
    await writeFile(file, [HEADER, ...sampleIds.map((id) => row(id, 'Vũ Thị Thu Hà')), ''].join('\n'));
    const proxy = await startFlakyProxy(stack.url);
    const stdout = collector();
    const stderr = collector();

    // When the lab uploads it in batches of 3 through the proxy
    const code = await runSubmit({
      file,
      url: proxy.url,
      credential: lab.credential,
      json: true,
      batchSize: 3,
      stdout,
      stderr,
      sleep: async () => undefined,
    });
    await proxy.stop();

    // Then everything was accepted, after one retry, and each row reached the stack exactly once
    expect(code).toBe(0);
    expect(reportSchema.parse(JSON.parse(stdout.text()))).toMatchObject({ accepted: 7, rejected: 0 });
    expect(proxy.refused()).toBe(1);
    expect(stderr.text()).toMatch(/^thử lại sau [\d,]+ giây \(lần 2\/8\): HTTP 503 \(INTERNAL\)\n/m);
    expect([...proxy.forwarded].sort()).toEqual([...sampleIds].sort());
    for (const sampleId of sampleIds) await eventually(() => isStored(lab.credential, sampleId));
  });

  it('uploads an Excel-style export (semicolons, BOM, Vietnamese headers and values, local times) and reports in Vietnamese', async () => {
    // Given a lab and its export as Excel writes "CSV UTF-8" on a Vietnamese Windows: a BOM, semicolons
    // (the list separator there), CRLF, day-first dates and times in local time without an offset.
    // Times are made relative to now, so that they stay within the retention period.
    const lab = await stack.addLab();
    const vn = (at: Date) => {
      const local = new Date(at.getTime() + 7 * 3_600_000);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
    };
    const sampled = new Date(Math.floor((Date.now() - 5 * 3_600_000) / 60_000) * 60_000);
    const resulted = new Date(sampled.getTime() + 2 * 3_600_000);
    const lines = [
      'STT;Mã mẫu;Loại giấy tờ;Số giấy tờ;Họ và tên;Ngày sinh;Số điện thoại;Loại xét nghiệm;Kết quả;Thời điểm lấy mẫu;Thời điểm có kết quả;Ghi chú',
      `1;XL-1;CCCD;${cccdFor('1985-03-12')};Nguyễn Thị Ánh;12/03/1985;0912345678;RT-PCR;Âm tính;${vn(sampled)};${vn(resulted)};`,
      `2;XL-2;Hộ chiếu;B1234567;"Trần Văn; Bình";2/3/1990;;Test nhanh kháng nguyên;Dương tính;${vn(sampled)};${vn(resulted)};đã báo`,
      `3;XL-3;CCCD;${cccdFor('1979-11-30')};${'Phạm Thu Hà'.normalize('NFD')};30/11/1979;;Kháng nguyên nhanh;${'Âm tính'.normalize('NFD')};${vn(sampled)};${vn(resulted)};`,
      `4;XL-4;CCCD;${cccdFor('1985-03-12')};Lê Văn Cường;31/02/1985;;RT-PCR;Âm tính;${vn(sampled)};${vn(resulted)};`,
      `5;XL-5;CCCD;${cccdFor('1985-03-12')};Đỗ Văn Dũng;12/03/1985;;PCR;Âm tính;hôm nay 8 giờ;${vn(resulted)};`,
      `6;XL-6;CCCD;1185012345;Võ Thị Sáu;12/03/1985;;RT_PCR;Negative;${vn(sampled)};${vn(resulted)};`,
      '',
    ];
    const file = join(dir, 'excel-export.csv');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]),
    );
    const stdout = collector();
    const stderr = collector();

    // When the lab runs the uploader with its defaults (Vietnamese)
    const code = await runSubmit({
      file,
      url: stack.url,
      credential: lab.credential,
      stdout,
      stderr,
      sleep: async () => undefined,
    });

    // Then the readable rows are stored as the contract's values, in Vietnam time
    expect(code).toBe(1);
    for (const sampleId of ['XL-1', 'XL-2', 'XL-3'])
      await eventually(() => isStored(lab.credential, sampleId));
    const stored = await stack.call('GET', '/v1/results/XL-2', lab.credential);
    expect(stored.body).toMatchObject({
      testType: 'RAPID_ANTIGEN',
      result: 'POSITIVE',
      sampledAt: sampled.toISOString(),
      resultedAt: resulted.toISOString(),
    });
    const third = await stack.call('GET', '/v1/results/XL-3', lab.credential);
    expect(third.body).toMatchObject({ testType: 'RAPID_ANTIGEN', result: 'NEGATIVE' });
    for (const sampleId of ['XL-4', 'XL-5', 'XL-6'])
      expect(await isStored(lab.credential, sampleId)).toBe(false);

    // And the report, in Vietnamese, names each real problem by line and sampleId, and nothing personal
    const report = stdout.text();
    expect(report).toContain(`${file}: đã đọc 6 dòng, 3 được nhận, 3 bị từ chối.`);
    expect(report).toContain(
      '  dòng 5, mã mẫu XL-4\n    Ngày sinh: ngày này không có trên lịch (ví dụ 31/02 hoặc tháng 13)\n',
    );
    expect(report).toContain(
      '  dòng 6, mã mẫu XL-5\n    Thời điểm lấy mẫu: không đọc được thời điểm; các dạng được chấp nhận:',
    );
    expect(report).toContain(
      '  dòng 7, mã mẫu XL-6\n    Số giấy tờ: số CCCD phải có 12 chữ số (nếu Excel đã bỏ số 0 ở đầu',
    );
    expect(report).toContain('Gửi lại tệp đã sửa là an toàn');
    const printed = report + stderr.text();
    for (const personal of ['Cường', 'Dũng', 'Võ Thị', '1185012345', '31/02/1985', '0912345678']) {
      expect(printed).not.toContain(personal);
    }
    expect(stderr.text()).toContain('đã gửi 4 dòng · 3 được nhận');
  });
});
