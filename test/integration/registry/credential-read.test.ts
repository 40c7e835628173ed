import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistryTable, type RegistryTable } from '../../../functions/adapters/registry-table.js';
import { authenticate } from '../../../functions/domain/authenticate.js';
import { hashCredential, makeRegistryCommands } from '../../../functions/domain/registry.js';
import { localDynamoClient } from '../../../local/emulators.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';

let emulators: TestEmulators;
let registry: RegistryTable;
let reads: string[] = [];

beforeAll(async () => {
  emulators = await startTestEmulators();
  // A client of its own that records each DynamoDB operation the registry sends.
  const client = localDynamoClient(emulators.env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
  client.middlewareStack.add(
    (next, context) => (args) => {
      reads.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  registry = makeRegistryTable(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    emulators.names.registryTable,
  );
});
afterAll(() => emulators.stop());

const bearer = (credential: string) => `Bearer ${credential}`;

describe('the authorizer reads a credential once', () => {
  it('resolves a credential to its principal with one GetItem', async () => {
    const commands = makeRegistryCommands(registry);
    const lab = await commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    reads = [];
    const principal = await authenticate(bearer(lab.credential), registry);
    expect(reads).toEqual(['GetItemCommand']);
    expect(principal).toMatchObject({
      id: lab.id,
      role: 'lab',
      name: 'Bệnh viện Bãi Cháy',
      status: 'ACTIVE',
      testTypes: ['RT_PCR'],
    });
  });

  it('sees suspend, resume, revoke and rotate on that one read', async () => {
    const commands = makeRegistryCommands(registry);
    const lab = await commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    await commands.suspendLab(lab.id);
    await expect(authenticate(bearer(lab.credential), registry)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await commands.resumeLab(lab.id);
    await expect(authenticate(bearer(lab.credential), registry)).resolves.toMatchObject({ id: lab.id });

    const rotated = await commands.rotate(lab.id, 'lab');
    await expect(authenticate(bearer(lab.credential), registry)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(authenticate(bearer(rotated.credential), registry)).resolves.toMatchObject({ id: lab.id });

    const device = await commands.addDevice('Chốt Km 5');
    await commands.revoke(device.id, 'checkpoint');
    reads = [];
    await expect(authenticate(bearer(device.credential), registry)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(reads).toEqual(['GetItemCommand']);
  });

  it('still reads credential items written before the copy, with a second read of the principal', async () => {
    const commands = makeRegistryCommands(registry);
    const device = await commands.addDevice('Chốt Km 6');
    const hash = hashCredential(device.credential);
    // The old item shape: only the principal id and role.
    await emulators.dynamo.send(
      new PutCommand({
        TableName: emulators.names.registryTable,
        Item: { pk: `CREDENTIAL#${hash}`, sk: 'CREDENTIAL', principalId: device.id, role: 'checkpoint' },
      }),
    );
    reads = [];
    await expect(authenticate(bearer(device.credential), registry)).resolves.toMatchObject({ id: device.id });
    expect(reads).toEqual(['GetItemCommand', 'GetItemCommand']);

    await commands.revoke(device.id, 'checkpoint');
    await expect(authenticate(bearer(device.credential), registry)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
