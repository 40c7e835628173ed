import * as z from 'zod';
import { testTypes } from '../schemas/common.js';

/**
 * Response bodies that have no schema of their own elsewhere (their handlers build them from typed
 * values), described here for the OpenAPI document only.
 */
export const healthResponseSchema = z.strictObject({ status: z.literal('ok') });

export const jwksResponseSchema = z
  .strictObject({
    keys: z.array(
      z.strictObject({
        kty: z.literal('EC'),
        crv: z.literal('P-256'),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.literal('ES256'),
        use: z.literal('sig'),
      }),
    ),
  })
  .meta({
    description: 'The current pass-signing public key first, then the previous one (during a rotation).',
  });

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string() })
  .meta({ description: 'This OpenAPI 3.1 document.' });

/*
 * The signed QR pass (`RG1:` + compact JWS). Verifiers read it by hand (functions/domain/pass-codec.ts, web/src/jws.ts; rules in contract/pass-format.ts),
 * to keep the checkpoint's cold start lean; these schemas describe the same rules for the document, and
 * a test holds them to the hand reader.
 */
const hmacHex = z.string().regex(/^[0-9a-f]{64}$/);
const unixSeconds = z.int().min(0).max(253_402_300_799);

export const passHeaderSchema = z
  .strictObject({
    alg: z.literal('ES256'),
    kid: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/)
      .meta({ description: 'RFC 7638 thumbprint of the signing key, as in GET /v1/keys.' }),
    typ: z.literal('JWT'),
  })
  .meta({
    description:
      'The JWS header of a pass. The signature is ES256 (ECDSA P-256, SHA-256) as raw r‖s (64 bytes), low-S only: a signature with s > n/2 is refused (PASS_INVALID), so a pass has exactly one valid signature.',
  });

export const passSnapshotSchema = z
  .strictObject({
    testType: z.enum(testTypes),
    sampledAt: z.iso.datetime().meta({ description: 'UTC.' }),
    validUntil: z.iso.datetime().meta({ description: 'UTC; the holder was VALID until then at issue.' }),
    maskedName: z.string().min(1).max(200),
    birthYear: z.int().min(1900).max(9999),
  })
  .meta({
    description:
      'What a checkpoint can check offline: present only when results for the birth date the pass was issued for made the holder VALID at issue.',
  });

export const passClaimsSchema = z
  .strictObject({
    v: z.literal(1).meta({ description: 'Pass format version.' }),
    sub: hmacHex.meta({
      description: 'The holder pseudonym: HMAC-SHA256(pepper, "idType:normalisedIdNumber"), hex.',
    }),
    bdc: hmacHex.meta({
      description:
        'Birth-date check: HMAC-SHA256(pepper, "dob:" + sub + ":" + dateOfBirth), hex, for the birth date the pass was asked for (never the date itself). A scan counts only results stored with the same check, as a manual entry does, so a pass asked for with a wrong birth date answers NOT_VALID NO_VALID_RESULT, like an unknown holder. A pass without bdc (issued before passes carried it, at most 7 days earlier) is refused as PASS_INVALID: the holder asks a new one.',
    }),
    kv: z.int().min(0).meta({ description: 'Version of the pepper that made sub and bdc.' }),
    iat: unixSeconds.meta({ description: 'Issued at, Unix seconds (up to 60 s in the future accepted).' }),
    exp: unixSeconds.meta({ description: 'Expires at, Unix seconds; later than iat.' }),
    snap: passSnapshotSchema.optional(),
  })
  .meta({ description: 'The JWS payload of a pass. Unknown members make the pass invalid.' });
