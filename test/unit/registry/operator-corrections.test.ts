import { describe, expect, it } from 'vitest';
import { findProvince, provinces } from '../../../contract/provinces.js';
import { authenticate } from '../../../functions/domain/authenticate.js';
import {
  type Audit,
  DuplicateNameError,
  InUseError,
  makeRegistryCommands,
} from '../../../functions/domain/registry.js';
import { NotFoundError, UnauthenticatedError, ValidationFailedError } from '../../../functions/errors.js';
import { inMemoryAuditLog, inMemoryRegistry } from '../../support/fakes.js';

const setup = () => {
  const registry = inMemoryRegistry();
  const log = inMemoryAuditLog();
  const audit: Audit = { log, actor: async () => 'alice' };
  const commands = makeRegistryCommands(registry, { now: () => new Date('2021-09-10T00:00:00Z') }, audit);
  return { registry, log, commands };
};

const aLab = { name: 'CDC Hải Phòng', province: 'Hải Phòng', testTypes: ['RT_PCR' as const] };

describe('the province list (contract/provinces.ts)', () => {
  it('holds the 34 units in force since 1 July 2025, each name and ISO code once', () => {
    expect(provinces).toHaveLength(34);
    expect(new Set(provinces.map((p) => p.name)).size).toBe(34);
    expect(new Set(provinces.map((p) => p.iso)).size).toBe(34);
    expect(provinces.filter((p) => p.kind === 'city').map((p) => p.name)).toEqual([
      'Cần Thơ',
      'Đà Nẵng',
      'Hà Nội',
      'Hải Phòng',
      'Hồ Chí Minh',
      'Huế',
    ]);
    for (const p of provinces) expect(p.iso, p.name).toMatch(/^VN-([0-9]{2}|[A-Z]{2})$/);
  });

  it.each([
    ['Quảng Ninh', 'Quảng Ninh'],
    ['VN-13', 'Quảng Ninh'],
    ['vn-hp', 'Hải Phòng'],
    ['Thành phố Hồ Chí Minh', 'Hồ Chí Minh'],
    ['  tỉnh  quảng ninh ', 'Quảng Ninh'],
    ['Qua\u0309ng Ninh', 'Quảng Ninh'], // NFD input
  ])('finds %j as %s', (input, name) => {
    expect(findProvince(input)).toEqual({ found: true, province: expect.objectContaining({ name }) });
  });

  it.each([
    ['Hai Phong', ['Hải Phòng']],
    ['Hải Dương', ['Hải Phòng']], // merged into Hải Phòng
    ['Thừa Thiên Huế', ['Huế']],
    ['Quang Nin', ['Quảng Ninh']],
    ['Tokyo', []],
  ])('does not take %j, and suggests %j', (input, suggestions) => {
    expect(findProvince(input)).toEqual({ found: false, suggestions });
  });
});

describe('lab add: province and duplicate names', () => {
  it('refuses a province not in the list, naming the closest in Vietnamese and English', async () => {
    const { commands, registry } = setup();

    const adding = commands.addLab({ ...aLab, province: 'Hai Phong' });

    await expect(adding).rejects.toThrow(ValidationFailedError);
    await expect(adding).rejects.toThrow(
      /Không có tỉnh\/thành "Hai Phong".*có phải: Hải Phòng\?.*did you mean: Hải Phòng\?/,
    );
    expect(registry.principals.size).toBe(0);
  });

  it('stores the official name when the ISO code is given', async () => {
    const { commands, registry } = setup();

    const { id } = await commands.addLab({ ...aLab, province: 'VN-HP' });

    expect(registry.principals.get(id)?.province).toBe('Hải Phòng');
  });

  it('refuses the same name in the same province (any case, any Unicode form) unless forced', async () => {
    const { commands, registry } = setup();
    const first = await commands.addLab(aLab);

    const again = commands.addLab(
      { ...aLab, name: 'cdc ha\u0309i pho\u0300ng' },
      { refuseDuplicateName: true },
    );
    await expect(again).rejects.toThrow(DuplicateNameError);
    await expect(again).rejects.toThrow(first.id);
    const forced = await commands.addLab({ ...aLab, name: 'cdc hải phòng' }, { refuseDuplicateName: false });
    const elsewhere = await commands.addLab(
      { ...aLab, province: 'Quảng Ninh' },
      { refuseDuplicateName: true },
    );

    expect(registry.principals.has(forced.id)).toBe(true);
    expect(registry.principals.has(elsewhere.id)).toBe(true);
  });
});

describe('update', () => {
  it("corrects a lab's name, province and test types, on the principal and for the authorizer", async () => {
    const { commands, registry } = setup();
    const lab = await commands.addLab(aLab);

    const changes = await commands.update(lab.id, 'lab', {
      name: 'CDC Quảng Ninh',
      province: 'VN-13',
      testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
    });

    expect(changes).toEqual({
      name: ['CDC Hải Phòng', 'CDC Quảng Ninh'],
      province: ['Hải Phòng', 'Quảng Ninh'],
      testTypes: [['RT_PCR'], ['RT_PCR', 'RAPID_ANTIGEN']],
    });
    const principal = await authenticate(`Bearer ${lab.credential}`, registry);
    expect(principal).toMatchObject({ name: 'CDC Quảng Ninh', province: 'Quảng Ninh' });
  });

  it('refuses a rename onto another lab of the province unless forced, and an unknown province', async () => {
    const { commands } = setup();
    await commands.addLab(aLab);
    const other = await commands.addLab({ ...aLab, name: 'Bệnh viện Việt Tiệp' });

    const refuse = { refuseDuplicateName: true };
    await expect(commands.update(other.id, 'lab', { name: 'CDC HẢI PHÒNG' }, refuse)).rejects.toThrow(
      DuplicateNameError,
    );
    await expect(commands.update(other.id, 'lab', { province: 'Tokyo' })).rejects.toThrow(
      ValidationFailedError,
    );
    await expect(
      commands.update(other.id, 'lab', { name: 'CDC HẢI PHÒNG' }, { refuseDuplicateName: false }),
    ).resolves.toEqual({ name: ['Bệnh viện Việt Tiệp', 'CDC HẢI PHÒNG'] });
  });

  it('changes and records nothing when the values are the same', async () => {
    const { commands, log } = setup();
    const lab = await commands.addLab(aLab);

    const changes = await commands.update(lab.id, 'lab', { name: 'CDC Hải Phòng', province: 'VN-HP' });

    expect(changes).toEqual({});
    expect(log.entries.map((e) => e.action)).toEqual(['lab.add']);
  });

  it('renames a device, and refuses a revoked one or an id of another kind', async () => {
    const { commands, registry } = setup();
    const device = await commands.addDevice('Chốt Km 5');
    const lab = await commands.addLab(aLab);

    await commands.update(device.id, 'checkpoint', { name: 'Chốt Km 6' });
    expect(registry.principals.get(device.id)?.name).toBe('Chốt Km 6');
    await expect(commands.update(lab.id, 'checkpoint', { name: 'x' })).rejects.toThrow(NotFoundError);
    await commands.revoke(device.id, 'checkpoint');
    await expect(commands.update(device.id, 'checkpoint', { name: 'y' })).rejects.toThrow(/revoked/);
  });
});

describe('remove', () => {
  it('deletes a lab that never sent a result; its credential is refused from then on', async () => {
    const { commands, registry } = setup();
    const lab = await commands.addLab(aLab);

    await commands.remove(lab.id, 'lab');

    expect(registry.principals.has(lab.id)).toBe(false);
    await expect(authenticate(`Bearer ${lab.credential}`, registry)).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses a lab that sent results and points to lab suspend', async () => {
    const { commands, registry } = setup();
    const lab = await commands.addLab(aLab);
    const stored = registry.principals.get(lab.id);
    if (stored) registry.principals.set(lab.id, { ...stored, integratedSince: '2021-09-10T01:00:00Z' });

    const removing = commands.remove(lab.id, 'lab');

    await expect(removing).rejects.toThrow(InUseError);
    await expect(removing).rejects.toThrow(`lab suspend ${lab.id}`);
    expect(registry.principals.has(lab.id)).toBe(true);
  });

  it('refuses a device whose credential was used and points to device revoke', async () => {
    const { commands, registry } = setup();
    const device = await commands.addDevice('Chốt Km 5');
    const stored = registry.principals.get(device.id);
    if (stored) registry.principals.set(device.id, { ...stored, lastUsedAt: '2021-09-10T01:00:00Z' });

    await expect(commands.remove(device.id, 'checkpoint')).rejects.toThrow(`device revoke ${device.id}`);
  });
});

describe('the audit trail', () => {
  it('records every change with who, when, and old and new values, never a credential', async () => {
    const { commands, log } = setup();
    const lab = await commands.addLab(aLab);
    const device = await commands.addDevice('Chốt Km 5');
    const app = await commands.addApp('Bluezone');

    await commands.suspendLab(lab.id);
    await commands.resumeLab(lab.id);
    const rotated = await commands.rotate(lab.id, 'lab');
    await commands.update(lab.id, 'lab', { name: 'CDC HP' });
    await commands.revoke(device.id, 'checkpoint');
    await commands.remove(app.id, 'app');

    expect(log.entries.map((e) => [e.action, e.subject])).toEqual([
      ['lab.add', lab.id],
      ['device.add', device.id],
      ['app.add', app.id],
      ['lab.suspend', lab.id],
      ['lab.resume', lab.id],
      ['lab.rotate', lab.id],
      ['lab.update', lab.id],
      ['device.revoke', device.id],
      ['app.remove', app.id],
    ]);
    expect(log.entries.every((e) => e.actor === 'alice' && e.at === '2021-09-10T00:00:00.000Z')).toBe(true);
    expect(log.entries[3]?.changes).toEqual({ status: ['ACTIVE', 'SUSPENDED'] });
    expect(log.entries[6]?.changes).toEqual({ name: ['CDC Hải Phòng', 'CDC HP'] });
    const text = JSON.stringify(log.entries);
    for (const secret of [lab.credential, rotated.credential, device.credential, app.credential])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[0-9a-f]{64}/); // no credential hash either
  });
});
