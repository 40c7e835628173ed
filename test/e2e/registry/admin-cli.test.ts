import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { projectRoot } from '../../../lib/paths.js';
import { dataPaths, readStackInfo } from '../../../local/data-dir.js';
import { localSqsClient } from '../../../local/emulators.js';
import { aResult } from '../../support/fixtures.js';
import { adminIn, eventually, startStack, type TestStack } from '../../support/local-stack.js';
import { makeTempDir } from '../../support/temp.js';

const issuedSchema = z.strictObject({ id: z.string(), credential: z.string() });
const errorSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });
const labSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  integratedSince: z.string().nullable(),
  lastResultAt: z.string().nullable(),
});

const adminProcess = async (args: readonly string[], env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bin/admin.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, RESULTGATE_STACK: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  return { code: Number(code), stdout, stderr };
};

/** A result as the ingest function queues it (pseudonymised), for a message that lands in the DLQ. */
const queuedResult = (lab: { id: string; name: string }, sampleId: string) => {
  const hex = () => randomBytes(32).toString('hex');
  const sampledAt = new Date(Date.now() - 3_600_000).toISOString();
  return {
    v: 1,
    labId: lab.id,
    labName: lab.name,
    sampleId,
    holderKey: hex(),
    keyVersion: 1,
    maskedName: 'N***** V** A*',
    birthYear: 1990,
    birthDateCheck: hex(),
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt,
    resultedAt: sampledAt,
    receivedAt: new Date().toISOString(),
    contentDigest: hex(),
  };
};

describe('the admin CLI on the local stack', () => {
  let stack: TestStack;
  const admin = (...args: string[]) => adminIn(stack.dataDir, args);

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  describe('labs', () => {
    it('lab add prints the id and credential as one JSON document, and the credential works', async () => {
      const out = await admin('lab', 'add', '--name', 'CDC Quảng Ninh', '--province', 'Quảng Ninh', '--json');

      expect(out.code).toBe(0);
      const lab = issuedSchema.parse(out.json());
      expect(lab.id).toMatch(/^lab_[0-9a-f]{16}$/);
      const submitted = await stack.call('POST', '/v1/results', lab.credential, { results: [aResult()] });
      expect(submitted.status).toBe(202);
    });

    it('lab add prints the credential for people with a warning that it is shown once', async () => {
      const out = await admin('lab', 'add', '--name', 'Bệnh viện Bãi Cháy', '--province', 'Quảng Ninh');

      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(
        /^Đã đăng ký phòng xét nghiệm (lab_[0-9a-f]{16}) \/ lab \1 registered\ncredential: rg_lab_\S+\n/,
      );
      expect(out.stdout).toContain(
        'Hãy giữ kỹ: mã truy cập chỉ hiện một lần này và chỉ được lưu dưới dạng băm. / ' +
          'Keep it safe: it is shown only this once and stored only as a hash.\n',
      );
      expect(out.stderr).toMatch(
        /^lab add trên ngăn xếp cục bộ tại http:\/\/127\.0\.0\.1:\d+ \(dữ liệu trong .+\) \/ lab add on the local stack at http:\/\/127\.0\.0\.1:\d+ \(data in .+\)\n/,
      );
    });

    it('lab add takes the test types and refuses unknown ones with exit 2', async () => {
      const rapid = await admin(
        'lab',
        'add',
        '--name',
        'Test nhanh',
        '--province',
        'Quảng Ninh',
        '--test-types',
        'RAPID_ANTIGEN',
        '--json',
      );
      const wrong = await admin(
        'lab',
        'add',
        '--name',
        'X',
        '--province',
        'Y',
        '--test-types',
        'PCR',
        '--json',
      );

      const { id } = issuedSchema.parse(rapid.json());
      const listed = z
        .object({ labs: z.array(z.object({ id: z.string(), testTypes: z.array(z.string()) })) })
        .parse((await admin('lab', 'list', '--json')).json());
      expect(listed.labs.find((lab) => lab.id === id)?.testTypes).toEqual(['RAPID_ANTIGEN']);
      expect(wrong.code).toBe(2);
      expect(errorSchema.parse(wrong.json()).error.message).toBe(
        'lab add: --test-types nhận RT_PCR, RAPID_ANTIGEN hoặc cả hai, cách nhau bằng dấu phẩy. Xem lab add --help. / ' +
          'lab add: --test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated. See lab add --help.',
      );
    });

    it('lab list shows each lab once, with null times before any result (JSON) and a table for people', async () => {
      const lab = await stack.addLab('Trung tâm Y tế Vân Đồn');

      const json = await admin('lab', 'list', '--json');
      const text = await admin('lab', 'list');

      const labs = z.object({ labs: z.array(labSchema) }).parse(json.json()).labs;
      expect(labs.filter((l) => l.id === lab.id)).toEqual([
        {
          id: lab.id,
          name: 'Trung tâm Y tế Vân Đồn',
          province: 'Quảng Ninh',
          testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
          status: 'ACTIVE',
          createdAt: expect.any(String),
          integratedSince: null,
          lastResultAt: null,
        },
      ]);
      expect(JSON.stringify(json.json())).not.toContain('credentialHash');
      const [header, rule, ...rows] = text.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^id\s+name\s+province\s+status\s+test types\s+integrated since\s+last result$/);
      expect(rule).toMatch(/^-+( +-+)+$/);
      expect(rows.find((row) => row.startsWith(lab.id))).toMatch(
        /Trung tâm Y tế Vân Đồn\s+Quảng Ninh\s+ACTIVE\s+RT_PCR,RAPID_ANTIGEN\s+-\s+-$/,
      );
    });

    it("lab suspend refuses the lab's results with 403, and lab resume accepts them again", async () => {
      const lab = await stack.addLab('Phòng khám Hạ Long');

      const suspended = await admin('lab', 'suspend', lab.id, '--json');
      const refused = await stack.call('POST', '/v1/results', lab.credential, { results: [aResult()] });
      const resumed = await admin('lab', 'resume', lab.id);
      const accepted = await stack.call('POST', '/v1/results', lab.credential, { results: [aResult()] });

      expect(suspended.json()).toEqual({
        id: lab.id,
        status: 'SUSPENDED',
        cacheFlushed: true,
      });
      expect(refused.status).toBe(403);
      expect(resumed.stdout).toContain(
        `Phòng xét nghiệm ${lab.id} hiện ở trạng thái ACTIVE (đang hoạt động). / lab ${lab.id} is now ACTIVE.`,
      );
      expect(accepted.status).toBe(202);
    });

    it('lab rotate issues a new credential and the old one stops working', async () => {
      const lab = await stack.addLab('Bệnh viện Cẩm Phả');

      const rotated = issuedSchema.parse((await admin('lab', 'rotate', lab.id, '--json')).json());

      expect(rotated.id).toBe(lab.id);
      expect(rotated.credential).not.toBe(lab.credential);
      expect((await stack.call('POST', '/v1/results', lab.credential, { results: [aResult()] })).status).toBe(
        401,
      );
      expect(
        (await stack.call('POST', '/v1/results', rotated.credential, { results: [aResult()] })).status,
      ).toBe(202);
    });

    it('refuses an unknown lab id with exit 1 and a message naming it', async () => {
      const out = await admin('lab', 'suspend', 'lab_0000000000000000', '--json');

      expect(out.code).toBe(1);
      expect(out.json()).toEqual({
        error: {
          code: 'NOT_FOUND',
          message:
            'Không có cơ sở xét nghiệm với id lab_0000000000000000. / No lab with id lab_0000000000000000.',
        },
      });
    });

    it('refuses a device id given to a lab command with exit 1', async () => {
      const device = await stack.addDevice();

      const out = await admin('lab', 'suspend', device.id);

      expect(out.code).toBe(1);
      expect(out.stderr).toContain(
        `error: Không có cơ sở xét nghiệm với id ${device.id}. / No lab with id ${device.id}.`,
      );
    });

    it('asks for the id when it is missing, with exit 2 and nothing changed', async () => {
      const out = await admin('lab', 'rotate', '--json');

      expect(out.code).toBe(2);
      expect(errorSchema.parse(out.json()).error).toEqual({
        code: 'USAGE',
        message:
          'lab rotate: thiếu id của phòng xét nghiệm (xem `lab list`). Xem lab rotate --help. / ' +
          'lab rotate: the lab id (see `lab list`) is required. See lab rotate --help.',
      });
    });
  });

  describe('checkpoint devices and app backends', () => {
    it('device add, device list and device revoke: a revoked device is refused at verify', async () => {
      const device = issuedSchema.parse(
        (await admin('device', 'add', '--name', 'Chốt Km 5 — máy 2', '--json')).json(),
      );
      const before = await stack.call('POST', '/v1/verify', device.credential, { qr: 'RG1:x' });

      const revoked = await admin('device', 'revoke', device.id, '--json');
      const listed = await admin('device', 'list', '--json');
      const after = await stack.call('POST', '/v1/verify', device.credential, { qr: 'RG1:x' });

      expect(before.status).toBe(200);
      expect(revoked.json()).toEqual({ id: device.id, status: 'REVOKED', cacheFlushed: true });
      expect(listed.json()).toMatchObject({
        devices: expect.arrayContaining([expect.objectContaining({ id: device.id, status: 'REVOKED' })]),
      });
      expect(after.status).toBe(401);
    });

    it('device list prints a table of devices for people, with the province and mode each checks for', async () => {
      const device = await stack.addDevice('Chốt cảng Cái Lân');

      const out = await admin('device', 'list');
      const listed = await admin('device', 'list', '--json');

      expect(out.stdout.split('\n')[0]).toMatch(/^id\s+name\s+status\s+scope\s+createdAt\s+last used$/);
      expect(out.stdout).toMatch(new RegExp(`${device.id}\\s+Chốt cảng Cái Lân\\s+ACTIVE\\s+VN/ENTRY`));
      expect(listed.json()).toMatchObject({
        devices: expect.arrayContaining([
          expect.objectContaining({ id: device.id, jurisdiction: 'VN', mode: 'ENTRY' }),
        ]),
      });
    });

    it('device add says, in its text, the province and mode it registered the device for', async () => {
      const out = await admin('device', 'add', '--name', 'Chốt Bắc Luân', '--jurisdiction', 'vn-13');

      expect(out.code).toBe(0);
      expect(out.stdout.split('\n')[1]).toBe(
        'địa bàn và loại chốt: VN-13/ENTRY / jurisdiction and mode: VN-13/ENTRY',
      );
    });

    it('app add, app list and app rotate', async () => {
      const app = issuedSchema.parse((await admin('app', 'add', '--name', 'Bluezone', '--json')).json());

      const listed = await admin('app', 'list', '--json');
      const rotated = issuedSchema.parse((await admin('app', 'rotate', app.id, '--json')).json());

      expect(listed.json()).toMatchObject({
        apps: expect.arrayContaining([expect.objectContaining({ id: app.id, name: 'Bluezone' })]),
      });
      expect(rotated).toMatchObject({ id: app.id });
      expect(rotated.credential).not.toBe(app.credential);
    });

    it('device revoke of an unknown id exits 1', async () => {
      const out = await admin('device', 'revoke', 'dev_0000000000000000');

      expect(out.code).toBe(1);
      expect(out.stderr).toContain('No device with id dev_0000000000000000.');
    });
  });

  describe('the dead-letter queue', () => {
    it('dlq list shows a failed result by its ids, and dlq redrive gets it stored', async () => {
      // Given a lab whose result ended up in the dead-letter queue
      const lab = await stack.addLab('Bệnh viện Vân Đồn');
      const info = await readStackInfo(stack.dataDir);
      const sqs = localSqsClient(info.sqsEndpoint);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: info.deadLetterQueueUrl,
          MessageBody: JSON.stringify(queuedResult({ id: lab.id, name: 'Bệnh viện Vân Đồn' }, 'DLQ-1')),
        }),
      );
      sqs.destroy();

      // When the operator lists it, then redrives it
      const listed = await admin('dlq', 'list', '--json');
      const table = await admin('dlq', 'list');
      const redriven = await admin('dlq', 'redrive', '--json');

      // Then the listing names the lab and sample only, and the result is stored after the redrive
      expect(listed.json()).toMatchObject({ count: 1, messages: [{ labId: lab.id, sampleId: 'DLQ-1' }] });
      expect(listed.stdout).not.toContain('holderKey');
      expect(table.stdout).toMatch(new RegExp(`${lab.id}\\s+DLQ-1`));
      expect(table.stdout).toContain(
        'Có 1 thư trong hàng đợi thư lỗi. / 1 message(s) in the dead-letter queue.\n',
      );
      expect(redriven.json()).toEqual({ moved: 1, failed: 0, duplicated: 0 });
      await eventually(
        async () => (await stack.call('GET', '/v1/results/DLQ-1', lab.credential)).status === 200,
      );
      expect((await admin('dlq', 'list', '--json')).json()).toEqual({ count: 0, messages: [] });
    });

    it('dlq redrive on an empty queue moves nothing, for people', async () => {
      const out = await admin('dlq', 'redrive');

      expect(out.code).toBe(0);
      expect(out.stdout).toBe(
        'Đã chuyển 0 thư về lại hàng đợi kết quả. / Moved 0 message(s) back to the results queue.\n',
      );
    });
  });

  describe('usage', () => {
    it('prints the global help with every command of the contract, Vietnamese first, exit 0', async () => {
      const out = await admin('--help');
      const [vi = '', en = ''] = out.stdout.split('\n---\n');

      expect(out.code).toBe(0);
      expect(vi).toMatch(/^Quản trị ResultGate: /);
      expect(en).toContain('ResultGate admin: ');
      for (const command of [
        'lab add',
        'lab list',
        'lab suspend',
        'lab resume',
        'lab rotate',
        'device add',
        'device revoke',
        'device rotate',
        'app add',
        'app rotate',
        'keys sync',
        'cache flush',
        'dlq list',
        'dlq redrive',
      ]) {
        expect(vi).toContain(`  ${command}`);
        expect(en).toContain(`  ${command}`);
      }
      expect(vi).toContain('--stack <name>');
      expect(en).toContain('--stack <name>');
    });

    it("prints one command's help with its options and examples, Vietnamese first", async () => {
      const out = await admin('lab', 'add', '--help');
      const [vi = '', en = ''] = out.stdout.split('\n---\n');

      expect(out.code).toBe(0);
      expect(vi).toMatch(/^lab add: đăng ký một phòng xét nghiệm/);
      expect(vi).toContain('Cách dùng: npm run admin -- lab add --name <name> --province <province>');
      expect(vi).toContain('--test-types <types>');
      expect(vi).toContain('Ví dụ:');
      expect(en).toContain('Usage: npm run admin -- lab add --name <name> --province <province>');
      expect(en).toContain('--test-types <types>');
      expect(en).toContain('Examples:');
    });

    it('refuses an unknown command and an option the command does not take, with exit 2', async () => {
      const unknown = await admin('lab', 'delete', 'lab_1', '--json');
      const wrongOption = await admin('lab', 'list', '--name', 'x', '--json');

      expect(unknown.code).toBe(2);
      expect(errorSchema.parse(unknown.json()).error.message).toBe(
        'Không có lệnh lab delete. Xem lab --help. / Unknown command: lab delete. See lab --help.',
      );
      expect(wrongOption.code).toBe(2);
      expect(errorSchema.parse(wrongOption.json()).error.message).toBe(
        'Lệnh lab list không nhận --name. Xem lab list --help. / lab list does not take --name. See lab list --help.',
      );
    });
  });

  describe('when the local stack is not running', () => {
    it('says how to start it, with exit 2 and one JSON document', async () => {
      const empty = await makeTempDir('empty');

      const out = await adminIn(empty, ['lab', 'list', '--json']);

      expect(out.code).toBe(2);
      expect(errorSchema.parse(out.json()).error).toEqual({
        code: 'LOCAL_STACK_NOT_RUNNING',
        message: expect.stringContaining('Start it with `npm start`'),
      });
    });

    it('treats a stack.json left by a stopped stack as not running', async () => {
      const dataDir = await makeTempDir('stale');
      const info = await readStackInfo(stack.dataDir);
      await writeFile(dataPaths(dataDir).stack, JSON.stringify({ ...info, pid: 2 ** 22 + 1 }));

      const out = await adminIn(dataDir, ['lab', 'list']);

      expect(out.code).toBe(2);
      expect(out.stderr).toContain('The local stack is not running');
    });
    it('treats a stack whose emulators no longer answer as not running', async () => {
      const dataDir = await makeTempDir('gone');
      const info = await readStackInfo(stack.dataDir);
      const closedPort = 'http://127.0.0.1:9';
      await writeFile(
        dataPaths(dataDir).stack,
        JSON.stringify({ ...info, pid: process.pid, dynamodbEndpoint: closedPort, sqsEndpoint: closedPort }),
      );

      const out = await adminIn(dataDir, ['lab', 'list', '--json']);

      expect(out.code).toBe(2);
      expect(errorSchema.parse(out.json()).error).toEqual({
        code: 'LOCAL_STACK_NOT_RUNNING',
        message:
          `Ngăn xếp cục bộ trong ${dataDir} không trả lời: nó đã dừng. Hãy khởi động bằng \`npm start\`. / ` +
          `The local stack in ${dataDir} does not answer: it has stopped. Start it with \`npm start\`.`,
      });
    });
  });

  describe('as a process', () => {
    it('exits 2 when the local stack is not running', async () => {
      const empty = await makeTempDir('empty');

      const out = await adminProcess(['lab', 'list', '--json'], { RESULTGATE_DATA_DIR: empty });

      expect(out.code).toBe(2);
      expect(errorSchema.parse(JSON.parse(out.stdout)).error.code).toBe('LOCAL_STACK_NOT_RUNNING');
    });

    it('exits 1 on an unknown lab id, and 0 on lab list, against RESULTGATE_DATA_DIR', async () => {
      const unknown = await adminProcess(['lab', 'resume', 'lab_0000000000000000'], {
        RESULTGATE_DATA_DIR: stack.dataDir,
      });
      const list = await adminProcess(['lab', 'list', '--json'], { RESULTGATE_DATA_DIR: stack.dataDir });

      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(
        'error: Không có cơ sở xét nghiệm với id lab_0000000000000000. / No lab with id lab_0000000000000000.',
      );
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toHaveProperty('labs');
    });
  });
});
