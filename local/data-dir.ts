import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { buildJwks, publicKeyEntryFromPem } from '../functions/adapters/public-keys.js';

/**
 * The local stack's data directory (RESULTGATE_DATA_DIR, default .resultgate/):
 *   dynamodb/         dynalite's LevelDB files (results and registry)
 *   pepper            the local pepper (hex), generated once
 *   signing-key.pem   the local pass-signing key (P-256, PKCS#8), generated once
 *   rules-signing-key.pem
 *                     the local key that signs the rules document of GET /v1/rules (P-256, PKCS#8),
 *                     generated once; never signs passes
 *   previous-signing-key.pem
 *                     optional: a retired signing key (private or public PEM) whose passes are still
 *                     accepted and whose public key is still published, as during a rotation in the cloud
 *   queue-journal.ndjson
 *                     the write-ahead journal of the local SQS queues (results and DLQ): every message is
 *                     appended and fsynced before SQS acknowledges it (so before the gateway answers 202),
 *                     deletions and DLQ moves follow; replayed and compacted at each start, so a kill -9
 *                     loses nothing acknowledged (local/durable-queues.ts)
 *   queues.json       from older versions only (queues saved at a clean stop): sent into the queues at
 *                     the next start, then removed
 *   stack.json        endpoints of the running stack and its control token, for the admin CLI;
 *                     removed at stop
 */
export const dataPaths = (dataDir: string) => ({
  dynamodb: join(dataDir, 'dynamodb'),
  pepper: join(dataDir, 'pepper'),
  signingKey: join(dataDir, 'signing-key.pem'),
  previousSigningKey: join(dataDir, 'previous-signing-key.pem'),
  rulesSigningKey: join(dataDir, 'rules-signing-key.pem'),
  queues: join(dataDir, 'queues.json'),
  queueJournal: join(dataDir, 'queue-journal.ndjson'),
  stack: join(dataDir, 'stack.json'),
});

const readIfExists = (path: string) => readFile(path, 'utf8').catch(() => undefined);

export interface LocalSecrets {
  /** Hex. */
  readonly pepper: string;
  /** The PEM file that signs new passes (SIGNING_KEY_FILE). */
  readonly signingKeyFile: string;
  /** The JWKS of the signing key and of the previous one, if any (SIGNING_PUBLIC_KEYS). */
  readonly signingPublicKeys: string;
  /** The PEM file that signs the rules document (RULES_SIGNING_KEY_FILE). */
  readonly rulesSigningKeyFile: string;
  /** The JWKS of the rules-signing key (RULES_PUBLIC_KEYS). */
  readonly rulesPublicKeys: string;
}

/** A P-256 private key (PKCS#8 PEM) kept in `path`, created on first use. */
const ensureKeyFile = async (path: string): Promise<string> => {
  const existing = await readIfExists(path);
  if (existing !== undefined) return existing;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  return pem;
};

const publicKeyOfFile = (path: string, pem: string) => {
  try {
    return publicKeyEntryFromPem(pem);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

/**
 * Creates the directory, the pepper and the signing key on first use; returns them with the JWKS that
 * the verify and keys functions read, made from the key files as the cloud makes it from KMS.
 */
export const ensureDataDir = async (dataDir: string): Promise<LocalSecrets> => {
  const paths = dataPaths(dataDir);
  await mkdir(paths.dynamodb, { recursive: true, mode: 0o700 });
  let pepper = (await readIfExists(paths.pepper))?.trim();
  if (!pepper) {
    pepper = randomBytes(32).toString('hex');
    await writeFile(paths.pepper, `${pepper}\n`, { mode: 0o600, flag: 'wx' });
  }
  const signingKey = await ensureKeyFile(paths.signingKey);
  const rulesSigningKey = await ensureKeyFile(paths.rulesSigningKey);
  const previousKey = await readIfExists(paths.previousSigningKey);
  const keyFiles: [string, string][] = [[paths.signingKey, signingKey]];
  if (previousKey !== undefined) keyFiles.push([paths.previousSigningKey, previousKey]);
  const publicKeys = keyFiles.map(([path, pem]) => publicKeyOfFile(path, pem));
  return {
    pepper,
    signingKeyFile: paths.signingKey,
    signingPublicKeys: JSON.stringify(buildJwks(publicKeys)),
    rulesSigningKeyFile: paths.rulesSigningKey,
    rulesPublicKeys: JSON.stringify(buildJwks([publicKeyOfFile(paths.rulesSigningKey, rulesSigningKey)])),
  };
};

export const stackInfoSchema = z.object({
  pid: z.number().int(),
  url: z.string(),
  dynamodbEndpoint: z.string(),
  sqsEndpoint: z.string(),
  resultsTable: z.string(),
  registryTable: z.string(),
  resultsQueueUrl: z.string(),
  deadLetterQueueUrl: z.string(),
  /** Sent as X-Local-Control-Token to POST /_local/flush-authorizer-cache; random per start. */
  controlToken: z.string().min(1),
});

export type StackInfo = z.infer<typeof stackInfoSchema>;

export const writeStackInfo = (dataDir: string, info: StackInfo) =>
  writeFile(dataPaths(dataDir).stack, JSON.stringify(info, null, 2), { mode: 0o600 });

export const removeStackInfo = (dataDir: string) => rm(dataPaths(dataDir).stack, { force: true });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export class LocalStackNotRunningError extends Error {
  override readonly name = 'LocalStackNotRunningError';
}

/** The running local stack's endpoints, or an error that says how to start it. */
export const readStackInfo = async (dataDir: string): Promise<StackInfo> => {
  const text = await readIfExists(dataPaths(dataDir).stack);
  const parsed = text === undefined ? undefined : stackInfoSchema.safeParse(parseJson(text));
  if (!parsed?.success || !isAlive(parsed.data.pid)) {
    throw new LocalStackNotRunningError(
      `The local stack is not running (no live stack in ${dataDir}). Start it with \`npm start\` first.`,
    );
  }
  return parsed.data;
};
