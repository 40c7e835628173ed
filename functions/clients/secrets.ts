import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The one Secrets Manager client of a function instance; used once per cold start. */
export const secrets = new SecretsManagerClient({});
