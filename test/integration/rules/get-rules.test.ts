import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSet } from '../../../contract/rules.js';
import { isRulesDocumentHeader, readRulesDocumentClaims } from '../../../contract/rules-document.js';
import { buildJwks, publicKeyEntryFromPem } from '../../../functions/adapters/public-keys.js';
import { makeRuleSetsTable } from '../../../functions/adapters/rule-sets-table.js';
import { generateSigningKeyPem } from '../../../functions/adapters/signer.js';
import { decodePass } from '../../../functions/domain/pass-codec.js';
import { parseJwks } from '../../../web/src/jws.js';
import { verifyRulesDocument } from '../../../web/src/offline-rules.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { apiEvent, lambdaContext } from '../../support/fixtures.js';
import { makeTempDir } from '../../support/temp.js';

/**
 * GET /v1/rules over dynalite: the published versions a checkpoint may need, signed with the rules key,
 * verifiable with GET /v1/keys (the key marked for rules, and only it); GET /v1/devices/me.
 */

const RULES_KEY_PEM = generateSigningKeyPem();
let emulators: TestEmulators;
type Handler = (
  event: ReturnType<typeof apiEvent>,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{
  statusCode: number;
  headers?: Record<string, unknown>;
  body: string;
}>;
let getRules: Handler;
let getKeys: Handler;
let getDeviceMe: Handler;

const hour = 3600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const rule = (version: number, validFrom: string, validTo?: string): RuleSet => ({
  id: 'QN-ENTRY',
  version,
  jurisdiction: 'VN-13',
  mode: 'ENTRY',
  validFrom,
  ...(validTo === undefined ? {} : { validTo }),
  legalBasis: `doc-${version}`,
  description: { vi: 'Xét nghiệm RT-PCR', en: 'RT-PCR test' },
  accept: [{ testType: 'RT_PCR', hours: 72 }],
  tests: [
    {
      name: 'negative',
      checkedAt: validFrom,
      results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: validFrom }],
      expect: { verdict: 'VALID', validUntil: new Date(Date.parse(validFrom) + 72 * hour).toISOString() },
    },
  ],
});

beforeAll(async () => {
  emulators = await startTestEmulators();
  const dir = await makeTempDir('rules');
  const keyFile = join(dir, 'rules-signing-key.pem');
  await writeFile(keyFile, RULES_KEY_PEM);
  emulators.applyEnv();
  process.env.RULES_SIGNING_KEY_FILE = keyFile;
  process.env.RULES_PUBLIC_KEYS = JSON.stringify(buildJwks([publicKeyEntryFromPem(RULES_KEY_PEM)]));
  const table = makeRuleSetsTable(emulators.dynamo, emulators.names.registryTable);
  const publish = (ruleSet: RuleSet) =>
    table.publish({ ruleSet, publishedAt: new Date().toISOString(), publishedBy: 'test' });
  // v1 superseded by v2 (in force), v3 scheduled, and an ended line of its own.
  await publish(rule(1, at(-10 * 24 * hour)));
  await publish(rule(2, at(-hour)));
  await publish(rule(3, at(5 * hour)));
  await publish({ ...rule(1, at(-48 * hour), at(-24 * hour)), id: 'QN-OLD' });
  ({ handler: getRules } = (await import('../../../functions/handlers/get-rules.js')) as {
    handler: Handler;
  });
  ({ handler: getKeys } = (await import('../../../functions/handlers/get-keys.js')) as { handler: Handler });
  ({ handler: getDeviceMe } = (await import('../../../functions/handlers/get-device-me.js')) as {
    handler: Handler;
  });
});

afterAll(async () => {
  await emulators?.stop();
});

const json = (body: string): unknown => JSON.parse(body);

describe('GET /v1/rules', () => {
  it('answers the versions in force or scheduled, signed, verifiable with the rules key of GET /v1/keys', async () => {
    const answer = await getRules(apiEvent({ method: 'GET', path: '/v1/rules' }), lambdaContext());
    const keys = await getKeys(apiEvent({ method: 'GET', path: '/v1/keys' }), lambdaContext());

    expect(answer.statusCode).toBe(200);
    // A fresh document's minute (a second may tick between signing it and answering).
    const maxAge = (headers: typeof answer.headers) =>
      Number(/^public, max-age=(\d+)$/.exec(String(headers?.['Cache-Control']))?.[1]);
    expect(maxAge(answer.headers)).toBeGreaterThanOrEqual(59);
    expect(maxAge(answer.headers)).toBeLessThanOrEqual(60);
    // The same document a little later is cacheable only for what is left of its minute.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await getRules(apiEvent({ method: 'GET', path: '/v1/rules' }), lambdaContext());
    expect((json(again.body) as { jws: string }).jws).toBe((json(answer.body) as { jws: string }).jws);
    // When the server answered, for the phone's clock check (not signed).
    expect(Date.parse((json(again.body) as { servedAt: string }).servedAt)).toBeGreaterThan(
      Date.parse((json(answer.body) as { servedAt: string }).servedAt),
    );
    expect(again.headers?.['Cache-Control']).toMatch(/^public, max-age=(5[0-9])$/);
    expect(maxAge(again.headers)).toBeLessThan(maxAge(answer.headers));
    const body = json(answer.body) as { jws: string };
    const jwks = parseJwks(json(keys.body));
    expect(jwks.filter((key) => key.signs === 'rules')).toHaveLength(1);
    expect(jwks.filter((key) => key.signs === undefined)).toHaveLength(1);
    const claims = await verifyRulesDocument(body.jws, jwks);
    expect(claims?.ruleSets.map((r) => `${r.id}#${r.version}`)).toEqual(['QN-ENTRY#2', 'QN-ENTRY#3']);
    expect(claims && claims.exp - claims.iat).toBe(60);
    expect(Math.abs((claims?.iat ?? 0) * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('is refused as a pass, and its header is never a pass header', async () => {
    const answer = await getRules(apiEvent({ method: 'GET', path: '/v1/rules' }), lambdaContext());
    const { jws } = json(answer.body) as { jws: string };
    const [header = ''] = jws.split('.');
    const passKeys = new Map([
      [publicKeyEntryFromPem(RULES_KEY_PEM).kid, publicKeyEntryFromPem(RULES_KEY_PEM).key],
    ]);

    expect(isRulesDocumentHeader(JSON.parse(Buffer.from(header, 'base64url').toString()))).toBe(true);
    // Even a verifier holding the rules key as a pass key refuses it: the header is not a pass's.
    expect(decodePass(`RG1:${jws}`, passKeys, new Date())).toMatchObject({ ok: false });
    expect(readRulesDocumentClaims({ v: 1, iat: 1, exp: 2, ruleSets: [{ id: 'x' }] })).toBeUndefined();
  });
});

describe('GET /v1/devices/me', () => {
  it('answers the device with its jurisdiction and mode, VN / ENTRY when it was registered without', async () => {
    const plain = await getDeviceMe(
      apiEvent({
        method: 'GET',
        path: '/v1/devices/me',
        caller: { principalId: 'dev_1', role: 'checkpoint', name: 'Km 5' },
      }),
      lambdaContext(),
    );
    const registered = await getDeviceMe(
      apiEvent({
        method: 'GET',
        path: '/v1/devices/me',
        caller: {
          principalId: 'dev_2',
          role: 'checkpoint',
          name: 'Móng Cái',
          ...{ jurisdiction: 'VN-13', mode: 'FREIGHT' },
        },
      }),
      lambdaContext(),
    );
    const lab = await getDeviceMe(
      apiEvent({ method: 'GET', path: '/v1/devices/me', caller: { principalId: 'lab_1', role: 'lab' } }),
      lambdaContext(),
    );

    expect(json(plain.body)).toEqual({ id: 'dev_1', name: 'Km 5', jurisdiction: 'VN', mode: 'ENTRY' });
    expect(json(registered.body)).toEqual({
      id: 'dev_2',
      name: 'Móng Cái',
      jurisdiction: 'VN-13',
      mode: 'FREIGHT',
    });
    expect(lab.statusCode).toBe(403);
  });
});
