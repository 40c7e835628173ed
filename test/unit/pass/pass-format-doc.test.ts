import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePass, InvalidPassClaimsError } from '../../../functions/domain/pass-codec.js';
import { passClaimsSchema, passHeaderSchema } from '../../../functions/openapi/schemas.js';
import { birthDateCheck, citizenKey, claimsAt, newLocalSigner, snapshot } from './fixtures.js';

const signer = newLocalSigner();

/** Whether the issuer's hand reader accepts the claims (it refuses what no verifier would take). */
const issuerAccepts = async (claims: unknown): Promise<boolean> =>
  encodePass(claims as never, signer).then(
    () => true,
    (error: unknown) => {
      if (error instanceof InvalidPassClaimsError) return false;
      throw error;
    },
  );

/** Values a claim or snapshot member may be replaced with: each member's good and bad neighbours. */
const candidates = [
  undefined,
  1,
  2,
  -1,
  0,
  1.5,
  1899,
  1990,
  253_402_300_800,
  '1',
  '',
  '1990-05-01',
  citizenKey,
  birthDateCheck,
  birthDateCheck.toUpperCase(),
  'RT_PCR',
  'PCR',
  '2021-09-09T01:30:00Z',
  '2021-02-30T01:30:00Z',
  '2021-09-10T08:30:00+07:00',
  'N***** T** Á**',
  null,
];

describe('the OpenAPI description of a pass holds to the readers', () => {
  it('describes the claims the API signs, and only those (times apart, which JSON Schema cannot order)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('v', 'sub', 'bdc', 'kv', 'iat', 'snap', 'extra'),
        fc.constantFrom('testType', 'sampledAt', 'validUntil', 'maskedName', 'birthYear', 'extra'),
        fc.constantFrom(...candidates),
        fc.boolean(),
        async (member, snapMember, value, inSnapshot) => {
          const base = claimsAt();
          const claims = inSnapshot
            ? { ...base, snap: { ...snapshot, [snapMember]: value } }
            : { ...base, [member]: value };
          const wire = JSON.parse(JSON.stringify(claims));

          expect(passClaimsSchema.safeParse(wire).success).toBe(await issuerAccepts(wire));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('describes the header the API writes', () => {
    expect(passHeaderSchema.safeParse({ alg: 'ES256', kid: signer.kid, typ: 'JWT' }).success).toBe(true);
    expect(passHeaderSchema.safeParse({ alg: 'ES256', kid: signer.kid, typ: 'JWT', jku: 'x' }).success).toBe(
      false,
    );
  });
});
