import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../config.js';
import type { Pepper } from '../domain/pseudonym.js';
import { once } from '../once.js';

export interface PepperConfig {
  readonly PEPPER?: string | undefined;
  readonly PEPPER_SECRET_ID?: string | undefined;
  readonly PEPPER_VERSION: number;
}

/**
 * The pepper, read once per cold start: from Secrets Manager in the cloud, from configuration locally.
 * Returns a memoised loader, so a function that never needs it never reads it, and a failed read is
 * retried on the next invocation instead of being cached.
 */
export const pepperLoader = (
  config: PepperConfig,
  client: () => SecretsManagerClient,
): (() => Promise<Pepper>) =>
  once(async (): Promise<Pepper> => {
    if (config.PEPPER !== undefined)
      return { secret: Buffer.from(config.PEPPER, 'hex'), version: config.PEPPER_VERSION };
    if (config.PEPPER_SECRET_ID === undefined)
      throw new ConfigError('Set PEPPER_SECRET_ID (or PEPPER locally).');
    const out = await client().send(new GetSecretValueCommand({ SecretId: config.PEPPER_SECRET_ID }));
    if (!out.SecretString || out.SecretString.length < 32)
      throw new ConfigError('The pepper secret is empty or too short.');
    return { secret: Buffer.from(out.SecretString, 'utf8'), version: config.PEPPER_VERSION };
  });
