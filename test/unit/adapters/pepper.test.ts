import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { pepperLoader } from '../../../functions/adapters/pepper.js';
import { ConfigError } from '../../../functions/config.js';

const secretsMock = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({});

describe('the pepper loader', () => {
  beforeEach(() => {
    secretsMock.reset();
  });

  it('reads the secret once per cold start', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'p'.repeat(64) });
    const load = pepperLoader({ PEPPER_SECRET_ID: 'arn:secret', PEPPER_VERSION: 3 }, client);

    const [first, second] = await Promise.all([load(), load()]);
    await load();

    expect(first).toEqual({ secret: Buffer.from('p'.repeat(64)), version: 3 });
    expect(second).toBe(first);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('tries again on the next call after a failed read', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'q'.repeat(64) });
    const load = pepperLoader({ PEPPER_SECRET_ID: 'arn:secret', PEPPER_VERSION: 1 }, client);

    await expect(load()).rejects.toThrow('throttled');
    await expect(load()).resolves.toMatchObject({ version: 1 });
  });

  it('uses the local pepper without calling Secrets Manager', async () => {
    const load = pepperLoader({ PEPPER: 'ab'.repeat(32), PEPPER_VERSION: 1 }, client);

    await expect(load()).resolves.toEqual({ secret: Buffer.from('ab'.repeat(32), 'hex'), version: 1 });
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('refuses to run without any pepper, or with a too short secret', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'short' });

    await expect(pepperLoader({ PEPPER_VERSION: 1 }, client)()).rejects.toThrow(ConfigError);
    await expect(pepperLoader({ PEPPER_SECRET_ID: 'arn', PEPPER_VERSION: 1 }, client)()).rejects.toThrow(
      ConfigError,
    );
  });
});
