import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { runAdmin } from '../../../cli/admin/main.js';
import { localTarget } from '../../../cli/admin/target.js';
import { HEAD_PK } from '../../../functions/adapters/rule-set-keys.js';
import { projectRoot } from '../../../lib/paths.js';
import { readStackInfo } from '../../../local/data-dir.js';
import { localDynamoClient } from '../../../local/emulators.js';
import { adminIn, startStack, type TestStack } from '../../support/local-stack.js';
import { makeTempDir } from '../../support/temp.js';

const issuedSchema = z.strictObject({ id: z.string(), credential: z.string() });
const errorSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });
const EXAMPLE = join(projectRoot, 'docs', 'rules', 'quang-ninh-2021', 'qn-entry-v1.json');
const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;

describe('publishing rules with the admin CLI on the local stack', () => {
  let stack: TestStack;
  let files: string;
  const admin = (...args: string[]) => adminIn(stack.dataDir, args);
  const fileWith = async (name: string, changes: Record<string, unknown>) => {
    const path = join(files, name);
    await writeFile(path, JSON.stringify({ ...example, ...changes }));
    return path;
  };
  const refusal = async (...args: string[]) => {
    const out = await admin(...args, '--json');
    return { code: out.code, error: errorSchema.parse(out.json()).error };
  };

  beforeAll(async () => {
    stack = await startStack();
    files = await makeTempDir('rules');
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('has the default rule set from the first start, in force, published by the OS user', async () => {
    const out = await admin('rules', 'list', '--json');

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({
      rules: [
        expect.objectContaining({
          id: 'DEFAULT',
          version: 1,
          jurisdiction: 'VN',
          mode: 'ENTRY',
          status: 'IN_FORCE',
          publishedBy: userInfo().username,
          urgentReason: null,
        }),
      ],
    });
  });

  it('checks an example file, exit 0', async () => {
    const out = await admin('rules', 'check', '--file', EXAMPLE, '--json');

    expect(out.code).toBe(0);
    expect(out.json()).toEqual({ ok: true, id: 'QN-ENTRY', version: 1, examples: 3 });
  });

  it('refuses, exit 1, a file whose own example fails, in Vietnamese then English', async () => {
    const tests = example.tests as Array<Record<string, unknown>>;
    const wrong = await fileWith('wrong.json', {
      tests: [{ ...tests[1], expect: { verdict: 'VALID', validUntil: '2021-07-15T08:00:00+07:00' } }],
    });

    const out = await refusal('rules', 'publish', '--file', wrong);

    expect(out.code).toBe(1);
    expect(out.error.code).toBe('RULE_TEST_FAILED');
    expect(out.error.message).toMatch(/ví dụ .* \/ .* examples answer otherwise/);
  });

  it('refuses a validFrom within the lead time unless --urgent gives a reason, which is recorded', async () => {
    const early = await refusal('rules', 'publish', '--file', EXAMPLE);
    const emptyReason = await refusal('rules', 'publish', '--file', EXAMPLE, '--urgent', ' ');
    const published = await admin(
      'rules',
      'publish',
      '--file',
      EXAMPLE,
      '--urgent',
      'Thử nghiệm / a test',
      '--json',
    );
    const shown = await admin('rules', 'show', 'QN-ENTRY', '--json');
    const shownText = await admin('rules', 'show', 'QN-ENTRY');
    const typedLower = await admin('rules', 'show', 'qn-entry', '--json');

    expect(early).toMatchObject({ code: 1, error: { code: 'RULE_LEAD_TIME' } });
    expect(emptyReason).toMatchObject({ code: 1, error: { code: 'RULE_URGENT_REASON_EMPTY' } });
    expect(published.code).toBe(0);
    expect(shown.json()).toMatchObject({
      id: 'QN-ENTRY',
      version: 1,
      status: 'IN_FORCE',
      urgentReason: 'Thử nghiệm / a test',
      publishedBy: userInfo().username,
      ruleSet: example,
    });
    expect(typedLower.json()).toEqual(shown.json());
    expect(shownText.stdout.split('\n')[1]).toMatch(
      new RegExp(
        `^công bố lúc (\\S+) bởi ${userInfo().username} / published \\1 by ${userInfo().username}, ` +
          'KHẨN / URGENT: Thử nghiệm / a test$',
      ),
    );
  });

  it('refuses, exit 1, to show a rule set it does not have, in Vietnamese then English', async () => {
    const out = await refusal('rules', 'show', 'NO-SUCH-RULE', '--version', '2');

    expect(out).toEqual({
      code: 1,
      error: {
        code: 'RULE_NOT_FOUND',
        message:
          'Không có bộ quy tắc NO-SUCH-RULE phiên bản 2 (xem rules list). / ' +
          'No rule set NO-SUCH-RULE version 2 (see rules list).',
      },
    });
  });

  it('takes the same file again as done, and refuses another text for that version or another jurisdiction', async () => {
    const again = await admin('rules', 'publish', '--file', EXAMPLE, '--urgent', 'again', '--json');
    const changed = await refusal(
      'rules',
      'publish',
      '--file',
      await fileWith('changed.json', { legalBasis: '6258/UBND-XD6' }),
      '--urgent',
      'changed',
    );
    const moved = await refusal(
      'rules',
      'publish',
      '--file',
      await fileWith('moved.json', { version: 2, jurisdiction: 'VN-01' }),
      '--urgent',
      'moved',
    );

    // A run repeated after a network error: exit 0, the first publication's record unchanged.
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({
      id: 'QN-ENTRY',
      version: 1,
      alreadyPublished: true,
      urgentReason: 'Thử nghiệm / a test',
    });
    expect(changed).toMatchObject({ code: 1, error: { code: 'RULE_VERSION_NOT_ABOVE' } });
    expect(moved).toMatchObject({ code: 1, error: { code: 'RULE_SCOPE_CHANGED' } });
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-13', '--json')).json()).toEqual({
      rules: [expect.objectContaining({ id: 'QN-ENTRY', version: 1 })],
    });
  });

  it('refuses, exit 1, while another publication of the same id is under way, and writes nothing', async () => {
    // Someone else's publication has moved the id's head (its version is being written).
    const info = await readStackInfo(stack.dataDir);
    const dynamo = localDynamoClient(info.dynamodbEndpoint);
    await dynamo.send(
      new PutItemCommand({
        TableName: info.registryTable,
        Item: {
          pk: { S: HEAD_PK },
          sk: { S: 'HP-ENTRY' },
          version: { N: '1' },
          digest: { S: 'theirs' },
          movedAt: { S: new Date().toISOString() },
        },
      }),
    );
    dynamo.destroy();

    const raced = await refusal(
      'rules',
      'publish',
      '--file',
      await fileWith('raced.json', { id: 'HP-ENTRY', jurisdiction: 'VN-HP' }),
      '--urgent',
      'raced',
    );

    expect(raced).toMatchObject({ code: 1, error: { code: 'RULE_CHANGED_MEANWHILE' } });
    expect(raced.error.message).toMatch(/^Một phiên bản khác của HP-ENTRY .* \/ Another version of HP-ENTRY/);
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-HP', '--json')).json()).toEqual({ rules: [] });
  });

  it("rules list for a former province's code lists what it holds and says which code new data uses", async () => {
    const listed = await admin('rules', 'list', '--jurisdiction', 'vn-61');

    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(
      '(không có / none)\n' +
        'CHÚ Ý / NOTE: VN-61 là mã của tỉnh Hải Dương cũ, đã nhập vào Hải Phòng từ 01/07/2025: hãy dùng VN-HP. / ' +
        'VN-61 was the code of the former province Hải Dương, merged into Hải Phòng on 1 July 2025: use VN-HP.\n',
    );
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-61', '--json')).json()).toEqual({ rules: [] });
  });

  it.each([
    [
      'a day ahead of',
      -86_400_000,
      /^Đồng hồ máy này nhanh 1440 phút .* \/ This computer's clock is 1440 min ahead of/,
    ],
    ['3 minutes behind', 180_000, /^Đồng hồ máy này chậm 3 phút .* \/ This computer's clock is 3 min behind/],
  ])(
    'refuses, exit 1, to publish from a computer %s the table, and writes nothing',
    async (_, offset, message) => {
      let stdout = '';
      const code = await runAdmin(
        [
          'rules',
          'publish',
          '--file',
          await fileWith('clock.json', { id: 'DN-ENTRY', jurisdiction: 'VN-DN' }),
          '--urgent',
          'clock',
          '--data-dir',
          stack.dataDir,
          '--json',
        ],
        {
          stdout: (text) => {
            stdout += text;
          },
          stderr: () => undefined,
          env: {},
          // The real local stack, its responses' time read as if this computer's clock were off by `offset`.
          target: async () => ({
            ...(await localTarget(stack.dataDir)),
            serviceClock: {
              offsetMs: () => offset,
              now: () => new Date(Date.now() + offset),
              observe: () => undefined,
            },
          }),
        },
      );

      expect(code).toBe(1);
      const { error } = errorSchema.parse(JSON.parse(stdout));
      expect(error.code).toBe('RULE_CLOCK_OFF');
      expect(error.message).toMatch(message);
      // Both clocks shown: this computer's own, and the service's, `offset` apart.
      const [here, service] = /\(máy: (\S+), dịch vụ: (\S+)\)/.exec(error.message)?.slice(1) ?? [];
      expect(Math.abs(Date.parse(here ?? '') - Date.now())).toBeLessThan(60_000);
      expect(Date.parse(service ?? '') - Date.parse(here ?? '')).toBe(offset);
      expect((await admin('rules', 'list', '--jurisdiction', 'VN-DN', '--json')).json()).toEqual({
        rules: [],
      });
    },
  );

  it("reads the service's time from the local table's answers: this computer's own clock, within seconds", async () => {
    const target = await localTarget(stack.dataDir);
    await target.ruleSets.list();
    const offset = target.serviceClock.offsetMs();
    target.dispose();

    expect(offset).toBeDefined();
    expect(Math.abs(offset ?? Number.NaN)).toBeLessThan(2_000);
  });

  it('reads a file saved with a byte order mark, and says where a broken one breaks or that it is empty', async () => {
    const bom = join(files, 'bom.json');
    await writeFile(bom, `\uFEFF${readFileSync(EXAMPLE, 'utf8')}`);
    const comma = join(files, 'comma.json');
    await writeFile(comma, '{\n  "id": "QN-ENTRY",\n}\n');
    const empty = join(files, 'empty.json');
    await writeFile(empty, ' \n');

    expect((await admin('rules', 'check', '--file', bom, '--json')).json()).toMatchObject({ ok: true });
    expect(await refusal('rules', 'check', '--file', comma)).toEqual({
      code: 1,
      error: {
        code: 'RULE_INVALID',
        message: `Tệp ${comma} không phải JSON: lỗi ở dòng 3, cột 1 / The file ${comma} is not JSON: error at line 3, column 1.`,
      },
    });
    expect((await refusal('rules', 'check', '--file', empty)).error.message).toBe(
      `Tệp ${empty} trống / The file ${empty} is empty.`,
    );
  });

  it.each([
    ['a bare word', '{\r\n  "id": QN-ENTRY\r\n}', 2, 9],
    ['Word’s curly quotes', '{\n  "legalBasis": "Công văn",\n  “id”: 1\n}', 3, 3],
    ['single quotes', "{\n  'id': 1\n}", 2, 3],
    ['a cut-off file', '{\n  "id": "QN-ENTRY",\n  "ver', 3, 7],
  ])('says where a file with %s stops being JSON', async (_, text, line, column) => {
    const broken = join(files, 'broken.json');
    await writeFile(broken, text);

    expect((await refusal('rules', 'check', '--file', broken)).error.message).toContain(
      `lỗi ở dòng ${line}, cột ${column} / The file ${broken} is not JSON: error at line ${line}, column ${column}.`,
    );
  });

  it('refuses a version already ended, which would take its id out of force, and says a validFrom is past', async () => {
    const old = await fileWith('old.json', { id: 'CT-ENTRY', jurisdiction: 'VN-CT' });
    const ended = await fileWith('ended.json', {
      id: 'CT-ENTRY',
      jurisdiction: 'VN-CT',
      validTo: '2021-09-20T00:00:00+07:00',
    });

    const early = await refusal('rules', 'publish', '--file', old);
    const gone = await refusal('rules', 'publish', '--file', ended, '--urgent', 'copied file');

    expect(early.error.code).toBe('RULE_LEAD_TIME');
    expect(early.error.message).toMatch(
      /^validFrom 2021-07-13T00:00:00\+07:00 đã qua .* \/ validFrom .* is already past/,
    );
    expect(gone).toMatchObject({ code: 1, error: { code: 'RULE_ALREADY_ENDED' } });
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-CT', '--json')).json()).toEqual({ rules: [] });
  });

  it('calls a scheduled version an urgent higher one overtakes SUPERSEDED, and says so when publishing', async () => {
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const v1From = inHours(48);
    const scheduled = await fileWith('sn-v1.json', {
      id: 'SN-ENTRY',
      jurisdiction: 'VN-SG',
      validFrom: v1From,
    });
    const urgent = await fileWith('sn-v2.json', {
      id: 'SN-ENTRY',
      version: 2,
      jurisdiction: 'VN-SG',
      validFrom: inHours(-1),
    });

    expect((await admin('rules', 'publish', '--file', scheduled, '--json')).json()).toMatchObject({
      status: 'SCHEDULED',
      cancels: [],
    });
    const published = await admin('rules', 'publish', '--file', urgent, '--urgent', 'brought forward');

    expect(published.code).toBe(0);
    expect(published.stdout).toContain(
      `CHÚ Ý / NOTE: SN-ENTRY v1 (đã lên lịch từ / scheduled from ${v1From}) sẽ không bao giờ áp dụng / will now never apply.`,
    );
    expect(published.stdout).toMatch(/Published SN-ENTRY v2 \(VN-SG\/ENTRY\), IN_FORCE,/);
    // Run again (after a network error, say): the same version, and the same word on what it cancelled.
    expect(
      (await admin('rules', 'publish', '--file', urgent, '--urgent', 'brought forward', '--json')).json(),
    ).toMatchObject({ version: 2, alreadyPublished: true, cancels: [{ version: 1, validFrom: v1From }] });
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-SG', '--json')).json()).toEqual({
      rules: [
        expect.objectContaining({ version: 1, status: 'SUPERSEDED' }),
        expect.objectContaining({ version: 2, status: 'IN_FORCE' }),
      ],
    });
  });

  it('refuses a rule listing a lab that is not registered, which would make every negative NOT_VALID', async () => {
    const lab = issuedSchema.parse(
      (await admin('lab', 'add', '--name', 'CDC Cần Thơ', '--province', 'Cần Thơ', '--json')).json(),
    );
    const typo = `${lab.id.slice(0, -1)}${lab.id.endsWith('0') ? '1' : '0'}`;
    // The examples' results come from the registered lab, so they answer as before.
    const tests = (example.tests as Array<{ results: object[] }>).map((test) => ({
      ...test,
      results: test.results.map((result) => ({ ...result, labId: lab.id })),
    }));
    const listing = (labIds: string[]) =>
      fileWith(`labs-${labIds.length}.json`, { id: 'CTL-ENTRY', jurisdiction: 'VN-CT', labIds, tests });

    const checked = await refusal('rules', 'check', '--file', await listing([lab.id, typo]));
    const published = await refusal(
      'rules',
      'publish',
      '--file',
      await listing([lab.id, typo]),
      '--urgent',
      'x',
    );
    const right = await admin('rules', 'check', '--file', await listing([lab.id]), '--json');

    expect(checked).toMatchObject({ code: 1, error: { code: 'RULE_UNKNOWN_LAB' } });
    expect(checked.error.message).toMatch(
      new RegExp(
        `^labIds nêu phòng xét nghiệm chưa đăng ký: ${typo};.* / labIds names labs not registered: ${typo};`,
      ),
    );
    expect(published).toMatchObject({ code: 1, error: { code: 'RULE_UNKNOWN_LAB' } });
    expect(right.code).toBe(0);
    expect((await admin('rules', 'list', '--jurisdiction', 'VN-CT', '--json')).json()).toEqual({ rules: [] });
  });

  it('calls a scheduled version that another rule set of its province and mode beats for good SUPERSEDED', async () => {
    const from = new Date(Date.now() + 48 * 3_600_000).toISOString();
    // Same start, neither ends: the first id decides (contract/rules.ts `outranks`), the other never.
    for (const id of ['HNA-ENTRY', 'HNB-ENTRY'])
      expect(
        (
          await admin(
            'rules',
            'publish',
            '--file',
            await fileWith(`${id}.json`, { id, jurisdiction: 'VN-HN', validFrom: from }),
          )
        ).code,
      ).toBe(0);

    expect((await admin('rules', 'list', '--jurisdiction', 'VN-HN', '--json')).json()).toEqual({
      rules: [
        expect.objectContaining({ id: 'HNA-ENTRY', status: 'SCHEDULED' }),
        expect.objectContaining({ id: 'HNB-ENTRY', status: 'SUPERSEDED' }),
      ],
    });
  });

  it('registers devices with a jurisdiction and mode, whose verify answers name the rule that applied', async () => {
    const quangNinh = issuedSchema.parse(
      (
        await admin(
          'device',
          'add',
          '--name',
          'Cầu Bắc Luân',
          '--jurisdiction',
          'VN-13',
          '--mode',
          'ENTRY',
          '--json',
        )
      ).json(),
    );
    const elsewhere = issuedSchema.parse(
      (await admin('device', 'add', '--name', 'Chốt Km 5', '--json')).json(),
    );
    const refused = await refusal('device', 'add', '--name', 'Chốt', '--jurisdiction', 'Quảng Ninh');
    // A mode no rule set of the province or the country names: a typo, refused for one device or many.
    const typo = await refusal(
      'device',
      'add',
      '--name',
      'Chốt',
      '--jurisdiction',
      'VN-13',
      '--mode',
      'FRIEGHT',
    );
    const typoMany = await refusal(
      'device',
      'add',
      '--count',
      '2',
      '--name-prefix',
      'Chốt ',
      '--jurisdiction',
      'VN-13',
      '--mode',
      'frieght',
    );
    const holder = { idType: 'CCCD', idNumber: '022090001234', dateOfBirth: '1990-05-01' };

    const inQuangNinh = await stack.call('POST', '/v1/verify', quangNinh.credential, holder);
    const inTheCountry = await stack.call('POST', '/v1/verify', elsewhere.credential, holder);

    expect(refused).toMatchObject({ code: 1, error: { code: 'VALIDATION_FAILED' } });
    for (const mistake of [typo, typoMany]) {
      expect(mistake).toMatchObject({ code: 1, error: { code: 'VALIDATION_FAILED' } });
      expect(mistake.error.message).toMatch(/^Không bộ quy tắc nào của VN-13 .* \/ No rule set of VN-13/);
    }
    expect(
      (await admin('device', 'list', '--json')).json() as { devices: { name: string }[] },
    ).not.toMatchObject({ devices: expect.arrayContaining([expect.objectContaining({ name: 'Chốt 001' })]) });
    expect(inQuangNinh.body).toMatchObject({
      verdict: 'NOT_VALID',
      rule: { id: 'QN-ENTRY', version: 1, legalBasis: example.legalBasis },
    });
    expect(inTheCountry.body).toMatchObject({
      verdict: 'NOT_VALID',
      rule: { id: 'DEFAULT', version: 1, legalBasis: 'Cấu hình triển khai / deployment configuration' },
    });
  });
});
