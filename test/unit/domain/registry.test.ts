import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../functions/domain/authenticate.js';
import { hashCredential, makeRegistryCommands } from '../../../functions/domain/registry.js';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationFailedError,
} from '../../../functions/errors.js';
import { inMemoryRegistry } from '../../support/fakes.js';

const setup = () => {
  const registry = inMemoryRegistry();
  return {
    registry,
    commands: makeRegistryCommands(registry, { now: () => new Date('2021-09-10T00:00:00Z') }),
  };
};

describe('registry commands', () => {
  it('issues a lab credential that is stored only as its hash', async () => {
    const { registry, commands } = setup();

    const lab = await commands.addLab({
      name: ' Bệnh viện Bãi Cháy ',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });

    const stored = registry.principals.get(lab.id);
    expect(lab.id).toMatch(/^lab_[0-9a-f]{16}$/);
    expect(stored).toMatchObject({
      role: 'lab',
      name: 'Bệnh viện Bãi Cháy',
      status: 'ACTIVE',
      testTypes: ['RT_PCR'],
    });
    expect(stored?.credentialHash).toBe(hashCredential(lab.credential));
    expect(JSON.stringify(stored)).not.toContain(lab.credential);
  });

  it.each([
    ['a bidi override', 'Bệnh viện \u202EyáhC iãB'],
    ['a zero-width space', 'Bệnh\u200Bviện'],
    ['an unpaired surrogate', 'Bệnh viện \uD800'],
  ])('refuses a name with %s, which an officer would misread', async (_, name) => {
    const { registry, commands } = setup();

    await expect(commands.addLab({ name, province: 'Quảng Ninh', testTypes: ['RT_PCR'] })).rejects.toThrow(
      ValidationFailedError,
    );
    await expect(commands.addDevice(name)).rejects.toThrow(/invisible formatting characters/);
    expect(registry.principals.size).toBe(0);
  });

  it.each([
    ['a line break', 'Bệnh viện\nBãi Cháy'],
    ['a Unicode line separator', 'Bệnh viện\u2028Bãi Cháy'],
    ['an ESC sequence that recolours the operator’s terminal', 'Bệnh viện \u001b[31mBãi Cháy'],
    ['a next-line control (NEL)', 'Bệnh viện\u0085Bãi Cháy'],
    ['a DEL', 'Bệnh viện\u007f'],
  ])('refuses a name with %s: a name is one line of text', async (_, name) => {
    const { registry, commands } = setup();

    await expect(commands.addLab({ name, province: 'Quảng Ninh', testTypes: ['RT_PCR'] })).rejects.toThrow(
      /control characters or line breaks/,
    );
    await expect(commands.addDevice(name)).rejects.toThrow(/control characters or line breaks/);
    await expect(commands.addApp(name)).rejects.toThrow(ValidationFailedError);
    expect(registry.principals.size).toBe(0);
  });

  it('revokes an app backend for good', async () => {
    const { registry, commands } = setup();
    const app = await commands.addApp('Bluezone');

    await commands.revoke(app.id, 'app');

    await expect(authenticate(`Bearer ${app.credential}`, registry)).rejects.toThrow(UnauthenticatedError);
    await expect(commands.rotate(app.id, 'app')).rejects.toThrow(NotFoundError);
  });

  it('registers a device with its jurisdiction and mode, VN/ENTRY when none is given', async () => {
    const { registry, commands } = setup();

    const scoped = await commands.addDevice('Cầu Bắc Luân', { jurisdiction: 'VN-13', mode: 'FREIGHT' });
    const plain = await commands.addDevice('Chốt Km 5');

    expect(registry.principals.get(scoped.id)).toMatchObject({ jurisdiction: 'VN-13', mode: 'FREIGHT' });
    expect(registry.principals.get(plain.id)).toMatchObject({ jurisdiction: 'VN', mode: 'ENTRY' });
    expect(await authenticate(`Bearer ${scoped.credential}`, registry)).toMatchObject({
      jurisdiction: 'VN-13',
      mode: 'FREIGHT',
    });
  });

  it.each([
    [
      'a jurisdiction that is not ISO 3166-2 of Vietnam',
      { jurisdiction: 'Quảng Ninh', mode: 'ENTRY' },
      'jurisdiction',
    ],
    ['a well-formed code of no province', { jurisdiction: 'VN-99', mode: 'ENTRY' }, 'jurisdiction'],
    ['the code of a province merged in 2025', { jurisdiction: 'VN-61', mode: 'ENTRY' }, 'jurisdiction'],
    ['a lower-case mode', { jurisdiction: 'VN-13', mode: 'entry' }, 'mode'],
  ])('refuses %s', async (_case, scope, path) => {
    const { commands } = setup();
    await expect(commands.addDevice('Chốt', scope)).rejects.toThrow(ValidationFailedError);
    await expect(commands.addDevice('Chốt', scope)).rejects.toMatchObject({ details: [{ path }] });
  });

  it('refuses an unknown id, or an id of another role', async () => {
    const { commands } = setup();
    const device = await commands.addDevice('Chốt Km 5');

    await expect(commands.suspendLab('lab_0000000000000000')).rejects.toThrow(NotFoundError);
    await expect(commands.suspendLab(device.id)).rejects.toThrow(NotFoundError);
  });
});

describe('authenticate', () => {
  it('refuses a real credential padded with anything (each padding would be a new cache entry)', async () => {
    const { registry, commands } = setup();
    const device = await commands.addDevice('Chốt Km 5');

    for (const padded of [
      `Bearer ${device.credential}\u00a0`,
      `Bearer ${device.credential}\u00a0\u00a0\u00a0`,
      `\u00a0Bearer ${device.credential}`,
      `Bearer ${device.credential}\n`,
      `Bearer  ${device.credential}`,
      `bearer ${device.credential}`,
    ]) {
      await expect(authenticate(padded, registry)).rejects.toThrow(UnauthenticatedError);
    }
  });

  it('maps a credential to its principal', async () => {
    const { registry, commands } = setup();
    const device = await commands.addDevice('Chốt Km 5');

    const principal = await authenticate(`Bearer ${device.credential}`, registry);

    expect(principal).toMatchObject({ id: device.id, role: 'checkpoint' });
  });

  it.each([undefined, '', 'Basic abc', 'Bearer ', 'Bearer short', `Bearer rg_dev_${'x'.repeat(43)}`])(
    'refuses %j as unauthenticated',
    async (header) => {
      const { registry } = setup();

      await expect(authenticate(header, registry)).rejects.toThrow(UnauthenticatedError);
    },
  );

  it('refuses a rotated-away or revoked credential, and a suspended lab as forbidden', async () => {
    const { registry, commands } = setup();
    const lab = await commands.addLab({ name: 'Lab', province: 'Quảng Ninh', testTypes: ['RT_PCR'] });
    const device = await commands.addDevice('Chốt');

    const rotated = await commands.rotate(lab.id, 'lab');
    await commands.revoke(device.id, 'checkpoint');

    await expect(authenticate(`Bearer ${lab.credential}`, registry)).rejects.toThrow(UnauthenticatedError);
    await expect(authenticate(`Bearer ${device.credential}`, registry)).rejects.toThrow(UnauthenticatedError);
    await expect(authenticate(`Bearer ${rotated.credential}`, registry)).resolves.toMatchObject({
      id: lab.id,
    });
    await commands.suspendLab(lab.id);
    await expect(authenticate(`Bearer ${rotated.credential}`, registry)).rejects.toThrow(ForbiddenError);
  });
});
