import { readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { projectRoot } from '../../../lib/paths.js';
import { initialState, update } from '../../../web/src/checkpoint-controller.js';
import { aResult } from '../../support/fixtures.js';
import { adminIn, eventually, startStack, type TestStack } from '../../support/local-stack.js';
import { makeTempDir } from '../../support/temp.js';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const bulkSchema = z.object({
  devices: z.array(z.object({ id: z.string(), name: z.string(), credential: z.string() })),
  sheet: z.string().nullable(),
});
const deviceListSchema = z.object({
  devices: z.array(z.object({ id: z.string(), name: z.string(), lastUsedAt: z.string().nullable() })),
});
const auditSchema = z.object({
  entries: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      subject: z.string(),
      changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    }),
  ),
});

/** The QR texts of a pairing sheet, decoded from its images as a phone camera would read them. */
const decodeSheet = async (html: string): Promise<string[]> => {
  const images = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"/g)].map((m) =>
    Buffer.from(m[1] ?? '', 'base64'),
  );
  const texts: string[] = [];
  for (const png of images) {
    const [first] = await readBarcodes(new Uint8Array(png), { formats: ['QRCode'], maxNumberOfSymbols: 1 });
    texts.push(first?.text ?? '');
  }
  return texts;
};

describe('operator corrections and onboarding at scale, on the local stack', () => {
  let stack: TestStack;
  let dir: string;
  const admin = (...args: string[]) => adminIn(stack.dataDir, args);
  /** The registered devices, as `device list --json` gives them. */
  const registeredDevices = async () =>
    deviceListSchema.parse((await admin('device', 'list', '--json')).json()).devices;

  beforeAll(async () => {
    // Offline: the reader's WebAssembly from node_modules, never from a CDN.
    const wasm = await readFile(join(projectRoot, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'));
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer }, fireImmediately: true });
    stack = await startStack();
    dir = await makeTempDir('sheet');
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('device add --count writes a sheet whose QR codes the page pairs with; device list shows which were used', async () => {
    const sheet = join(dir, 'ql18.html');

    const out = await admin(
      'device',
      'add',
      '--count',
      '3',
      '--name-prefix',
      'Chốt QL18 ',
      '--sheet',
      sheet,
      '--json',
    );

    expect(out.code).toBe(0);
    const { devices } = bulkSchema.parse(out.json());
    expect(devices.map((d) => d.name)).toEqual(['Chốt QL18 001', 'Chốt QL18 002', 'Chốt QL18 003']);
    expect((await stat(sheet)).mode & 0o777).toBe(0o600);
    const html = await readFile(sheet, 'utf8');
    expect(html).toContain('Chốt QL18 002');
    const texts = await decodeSheet(html);
    expect(texts).toEqual(devices.map((d) => `RGDEV:${d.credential}`));

    // The page's own pairing path: "Scan pairing QR", the decoded text, then the probe it sends.
    const now = new Date();
    const scanning = update(
      initialState({ language: 'vi', credential: null, online: true }),
      { type: 'pairScanToggled' },
      now,
    );
    const scanned = update(scanning.state, { type: 'scanned', text: texts[1] ?? '' }, now);
    const probe = scanned.effects.find((effect) => effect.type === 'verify');
    if (probe?.type !== 'verify') throw new Error('the page did not try to pair');
    expect(probe.credential).toBe(devices[1]?.credential);
    const answer = await stack.call('POST', '/v1/verify', probe.credential, probe.request);
    expect(answer.status).toBe(200);

    const listed = await registeredDevices();
    const lastUsed = (id: string | undefined) => listed.find((d) => d.id === id)?.lastUsedAt;
    await eventually(async () => {
      const again = await registeredDevices();
      return typeof again.find((d) => d.id === devices[1]?.id)?.lastUsedAt === 'string';
    }, 5_000);
    expect(lastUsed(devices[0]?.id)).toBeNull();
    const table = await admin('device', 'list');
    expect(table.stdout).toMatch(/last used/);
    expect(table.stdout).toMatch(
      new RegExp(`${devices[1]?.id}\\s+Chốt QL18 002\\s+ACTIVE\\s+\\S+\\s+20\\d\\d-`),
    );

    // A second batch goes on numbering; a used device cannot be removed, an unused one can.
    const more = bulkSchema.parse(
      (await admin('device', 'add', '--count', '1', '--name-prefix', 'Chốt QL18 ', '--json')).json(),
    );
    expect(more.devices.map((d) => d.name)).toEqual(['Chốt QL18 004']);
    const refused = await admin('device', 'remove', devices[1]?.id ?? '', '--json');
    expect(refused.code).toBe(1);
    expect(errorSchema.parse(refused.json()).error).toMatchObject({
      code: 'IN_USE',
      message: expect.stringContaining('device revoke'),
    });
    const removed = await admin('device', 'remove', devices[0]?.id ?? '');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      new RegExp(
        `^Đã xoá thiết bị ${devices[0]?.id}: mã truy cập của nó không còn dùng được\\. / ` +
          `device ${devices[0]?.id} removed: its credential no longer works\\.\\n`,
      ),
    );
    expect((await stack.call('POST', '/v1/verify', devices[0]?.credential, probe.request)).status).toBe(401);
  });

  it('device add --sheet never replaces a file, and registers nothing then', async () => {
    const sheet = join(dir, 'taken.html');
    await writeFile(sheet, 'keep me');
    const before = (await registeredDevices()).length;

    const out = await admin(
      'device',
      'add',
      '--count',
      '2',
      '--name-prefix',
      'Chốt X ',
      '--sheet',
      sheet,
      '--json',
    );

    expect(out.code).toBe(2);
    expect(errorSchema.parse(out.json()).error.message).toBe(
      `${sheet} đã có và không bao giờ bị ghi đè: hãy chọn tên khác cho --sheet. / ` +
        `${sheet} already exists and is never replaced: choose another --sheet.`,
    );
    expect(await readFile(sheet, 'utf8')).toBe('keep me');
    expect(await registeredDevices()).toHaveLength(before);
  });

  it.each([
    [
      'a merged province',
      ['--jurisdiction', 'VN-61'],
      'jurisdiction',
      /^jurisdiction VN-61 là mã của tỉnh Hải Dương cũ, .*hãy dùng VN-HP\. \/ jurisdiction VN-61 was the code of the former province Hải Dương, .*use VN-HP\.$/,
    ],
    ['a mode of the wrong form', ['--mode', 'FREI GHT'], 'mode', /^mode phải .* \/ mode must be/],
  ])(
    'device add --count refuses %s before the sheet exists or a device is registered (exit 1)',
    async (_, scope, field, message) => {
      const sheet = join(dir, `refused-${field}.html`);
      const before = (await registeredDevices()).length;

      const out = await admin(
        'device',
        'add',
        '--count',
        '3',
        '--name-prefix',
        'Chốt HD ',
        ...scope,
        '--sheet',
        sheet,
        '--json',
      );

      expect(out.code).toBe(1);
      const { error } = errorSchema.parse(out.json());
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(message);
      await expect(stat(sheet)).rejects.toThrow(/ENOENT/);
      expect(await registeredDevices()).toHaveLength(before);
    },
  );

  it('lab add refuses a province not in the list (suggesting the right one) and a duplicate name without --force', async () => {
    const noDiacritics = await admin(
      'lab',
      'add',
      '--name',
      'CDC Hải Phòng',
      '--province',
      'Hai Phong',
      '--json',
    );
    const first = await admin('lab', 'add', '--name', 'CDC Hải Phòng', '--province', 'VN-HP');
    const duplicate = await admin(
      'lab',
      'add',
      '--name',
      'cdc hải phòng',
      '--province',
      'Hải Phòng',
      '--json',
    );
    const forced = await admin(
      'lab',
      'add',
      '--name',
      'cdc hải phòng',
      '--province',
      'Hải Phòng',
      '--force',
      '--json',
    );

    expect(noDiacritics.code).toBe(1);
    expect(errorSchema.parse(noDiacritics.json()).error.message).toContain('did you mean: Hải Phòng?');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Các bước tiếp nhận cơ sở xét nghiệm / Lab onboarding checklist:');
    expect(duplicate.code).toBe(2);
    expect(errorSchema.parse(duplicate.json()).error).toMatchObject({
      code: 'DUPLICATE_NAME',
      message: expect.stringContaining('Đã có cơ sở cùng tên ở Hải Phòng'),
    });
    expect(forced.code).toBe(0);
  });

  it('lab update corrects the public list, lab remove refuses a lab with results, and audit list shows who did what', async () => {
    const started = new Date().toISOString();
    const lab = await stack.addLab('Phòng khám Tokyo');

    const updated = await admin(
      'lab',
      'update',
      lab.id,
      '--province',
      'VN-HP',
      '--name',
      'Phòng khám Lạch Tray',
      '--json',
    );
    expect(updated.code).toBe(0);
    expect(updated.json()).toMatchObject({
      id: lab.id,
      changes: { province: { from: 'Quảng Ninh', to: 'Hải Phòng' } },
      cacheFlushed: true,
    });
    const facilities = z
      .object({ facilities: z.array(z.object({ id: z.string(), name: z.string(), province: z.string() })) })
      .parse((await stack.call('GET', '/v1/facilities')).body);
    expect(facilities.facilities.find((f) => f.id === lab.id)).toMatchObject({
      name: 'Phòng khám Lạch Tray',
      province: 'Hải Phòng',
    });

    expect((await stack.call('POST', '/v1/results', lab.credential, { results: [aResult()] })).status).toBe(
      202,
    );
    await eventually(async () => {
      const labs = z
        .object({ labs: z.array(z.object({ id: z.string(), integratedSince: z.string().nullable() })) })
        .parse((await admin('lab', 'list', '--json')).json()).labs;
      return labs.find((l) => l.id === lab.id)?.integratedSince !== null;
    });
    const refused = await admin('lab', 'remove', lab.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`lab suspend ${lab.id}`);
    await admin('lab', 'suspend', lab.id);

    const audit = auditSchema.parse((await admin('audit', 'list', '--since', started, '--json')).json());
    const mine = audit.entries.filter((e) => e.subject === lab.id);
    expect(mine.map((e) => e.action)).toEqual(['lab.add', 'lab.update', 'lab.suspend']);
    expect(mine[1]?.changes).toEqual({
      name: { from: 'Phòng khám Tokyo', to: 'Phòng khám Lạch Tray' },
      province: { from: 'Quảng Ninh', to: 'Hải Phòng' },
    });
    expect(mine.every((e) => e.actor === userInfo().username)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(lab.credential);
    const text = await admin('audit', 'list', '--since', started);
    expect(text.stdout).toMatch(
      new RegExp(`lab\\.update\\s+${lab.id}\\s+name: Phòng khám Tokyo → Phòng khám Lạch Tray`),
    );
    expect((await admin('audit', 'list', '--since', '2999-01-01', '--json')).json()).toEqual({ entries: [] });
  });

  it('app update renames an app backend and app remove deletes an unused one', async () => {
    const app = await stack.addApp('Bluezon');

    const renamed = await admin('app', 'update', app.id, '--name', 'Bluezone');
    const unchanged = await admin('app', 'update', app.id, '--name', 'Bluezone');
    const removed = await admin('app', 'remove', app.id, '--json');

    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain('name "Bluezon" → "Bluezone"');
    expect(unchanged.stdout).toBe(
      `Không có gì thay đổi: ứng dụng ${app.id} đã có sẵn các giá trị này. / ` +
        `nothing to change: app ${app.id} already has these values.\n`,
    );
    expect(removed.json()).toEqual({ id: app.id, removed: true, cacheFlushed: true });
    expect((await stack.call('POST', '/v1/passes', app.credential, {})).status).toBe(401);
  });
});
