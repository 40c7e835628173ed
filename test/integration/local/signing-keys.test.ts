import { readFile, rename, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSigningPublicKeys, publicKeyEntryFromPem } from '../../../functions/adapters/public-keys.js';
import { dataPaths, ensureDataDir } from '../../../local/data-dir.js';
import { makeTempDir } from '../../support/temp.js';

const kidsOf = (jwks: string) => parseSigningPublicKeys(jwks).map((entry) => entry.kid);
const kidOfFile = async (path: string) => publicKeyEntryFromPem(await readFile(path, 'utf8')).kid;

describe('the local signing keys', () => {
  let dataDir = '';
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes the generated key as SIGNING_PUBLIC_KEYS, and the same key at the next start', async () => {
    dataDir = await makeTempDir('keys');

    const first = await ensureDataDir(dataDir);
    const second = await ensureDataDir(dataDir);

    expect(first.signingKeyFile).toBe(dataPaths(dataDir).signingKey);
    expect(kidsOf(first.signingPublicKeys)).toEqual([await kidOfFile(first.signingKeyFile)]);
    expect(second.signingPublicKeys).toBe(first.signingPublicKeys);
  });

  it('after a local rotation publishes a new key first and the previous one after it', async () => {
    dataDir = await makeTempDir('keys');
    const paths = dataPaths(dataDir);
    await ensureDataDir(dataDir);
    const previousKid = await kidOfFile(paths.signingKey);

    await rename(paths.signingKey, paths.previousSigningKey);
    const rotated = await ensureDataDir(dataDir);

    const currentKid = await kidOfFile(paths.signingKey);
    expect(currentKid).not.toBe(previousKid);
    expect(kidsOf(rotated.signingPublicKeys)).toEqual([currentKid, previousKid]);
  });
});
