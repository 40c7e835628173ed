import { KMSClient } from '@aws-sdk/client-kms';

/** The one KMS client of a function instance. */
export const kms = new KMSClient({});
