import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { buildJwks, publicKeyEntryFromPem } from '../functions/adapters/public-keys.js';
import { generateSigningKeyPem } from '../functions/adapters/signer.js';
import { errorCode, StartupError } from './startup-errors.js';

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
 *   running.lock      {"pid"} of the process using this directory; removed at stop, taken over when stale
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
  lock: join(dataDir, 'running.lock'),
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
  const pem = generateSigningKeyPem();
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
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
};

const dataDirError = (error: unknown, shownAs: string, path: string): unknown => {
  const fix = {
    vi: 'Hãy đặt RESULTGATE_DATA_DIR là một thư mục bạn ghi được.',
    en: 'Set RESULTGATE_DATA_DIR to a folder you can write to.',
  };
  switch (errorCode(error)) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new StartupError(
        `RESULTGATE_DATA_DIR (${shownAs}) không phải thư mục: ${path} hoặc một thư mục cha là tệp. ${fix.vi} / ` +
          `RESULTGATE_DATA_DIR (${shownAs}) is not a directory: ${path} or a parent is a file. ${fix.en}`,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOENT':
      return new StartupError(
        `RESULTGATE_DATA_DIR (${shownAs}) không ghi được (${errorCode(error)}). ${fix.vi} / ` +
          `RESULTGATE_DATA_DIR (${shownAs}) is not writable (${errorCode(error)}). ${fix.en}`,
      );
    default:
      return error;
  }
};

const lockSchema = z.object({ pid: z.number().int().positive() });

export interface DataDirLock {
  release(): Promise<void>;
}

/** The file operations the lock needs; tests replace them to play an unwritable directory. */
export interface LockFs {
  mkdir(path: string): Promise<unknown>;
  writeFile(path: string, text: string): Promise<void>;
  link(existing: string, path: string): Promise<void>;
}

const nodeLockFs: LockFs = {
  mkdir: (path) => mkdir(path, { recursive: true, mode: 0o700 }),
  writeFile: (path, text) => writeFile(path, text, { mode: 0o600 }),
  link,
};

/**
 * Makes the data directory and takes its lock before anything opens it, so a second `npm start` on the
 * same directory stops with one clear line instead of failing inside the database. The lock holds the
 * PID; a lock whose process is gone (kill -9, power cut) is taken over. It is written to a private file
 * first and then hard-linked into place, which fails atomically when the lock exists, so a reader never
 * sees a half-written lock. Two starts taking over the same stale lock at the same instant are not told
 * apart here; the database's own lock still stops the second one.
 * `shownAs` is the directory as the operator wrote it (RESULTGATE_DATA_DIR), for the messages.
 */
export const lockDataDir = async (
  dataDir: string,
  shownAs = dataDir,
  fs = nodeLockFs,
): Promise<DataDirLock> => {
  const paths = dataPaths(dataDir);
  try {
    await fs.mkdir(dataDir);
    if (!(await stat(dataDir)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw dataDirError(error, shownAs, dataDir);
  }
  const mine = `${paths.lock}.${process.pid}`;
  try {
    await fs.writeFile(mine, JSON.stringify({ pid: process.pid }));
  } catch (error) {
    throw dataDirError(error, shownAs, dataDir);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fs.link(mine, paths.lock);
        return { release: () => rm(paths.lock, { force: true }) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw dataDirError(error, shownAs, dataDir);
      }
      const holder = lockSchema.safeParse(parseJson((await readIfExists(paths.lock)) ?? ''));
      if (holder.success && isAlive(holder.data.pid)) {
        const info = stackInfoSchema.safeParse(parseJson((await readIfExists(paths.stack)) ?? ''));
        const url = info.success && info.data.pid === holder.data.pid ? info.data.url : 'still starting';
        throw new StartupError(
          `ResultGate đang chạy trên thư mục dữ liệu này (${shownAs}): ${url}, PID ${holder.data.pid}. ` +
            'Hãy dừng nó trước, hoặc đặt RESULTGATE_DATA_DIR là thư mục khác. / ' +
            `ResultGate is already running on this data dir (${shownAs}): ${url}, PID ${holder.data.pid}. ` +
            'Stop it first, or set RESULTGATE_DATA_DIR to another folder.',
        );
      }
      // Stale (its process is gone) or unreadable: take it over.
      await rm(paths.lock, { force: true });
    }
    throw new StartupError(
      `Một lần khởi động khác đang giữ khoá ${paths.lock} cùng lúc; hãy thử lại. / ` +
        `Another start is taking the lock ${paths.lock} at the same time; try again.`,
    );
  } finally {
    await rm(mine, { force: true });
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
      `Ngăn xếp cục bộ chưa chạy (không có ngăn xếp nào đang chạy trong ${dataDir}). Hãy khởi động bằng \`npm start\` trước. / ` +
        `The local stack is not running (no live stack in ${dataDir}). Start it with \`npm start\` first.`,
    );
  }
  return parsed.data;
};
