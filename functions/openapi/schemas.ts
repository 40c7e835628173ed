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
        signs: z.literal('rules').optional().meta({
          description:
            'Present (`rules`) on the key that signs the rules document of GET /v1/rules: accept it for rules only, never for passes. Keys without it sign passes only.',
        }),
      }),
    ),
  })
  .meta({
    description:
      'The current pass-signing public key first, then the previous one (during a rotation), then the rules-signing key (`"signs": "rules"`).',
  });

/*
 * The signed rules document of GET /v1/rules (contract/rules-document.ts; rule sets: contract/rules.ts).
 * Read by hand there, like passes; these schemas describe the same shapes for the document.
 */
const instant = z.string().meta({ description: 'RFC 3339 instant with `Z` or an offset.' });

export const ruleSetSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/)
      .meta({ description: 'The rule’s line, e.g. `QN-ENTRY`.' }),
    version: z.int().min(1).meta({ description: 'Increasing per id; a published version never changes.' }),
    jurisdiction: z
      .string()
      .regex(/^VN(-[0-9A-Z]{2,3})?$/)
      .meta({ description: 'ISO 3166-2 code of the province (`VN-13` is Quảng Ninh), or `VN`.' }),
    mode: z
      .string()
      .regex(/^[A-Z][A-Z_]{1,29}$/)
      .meta({ description: 'The checkpoint’s use, e.g. `ENTRY`, `FREIGHT`.' }),
    validFrom: instant,
    validTo: instant.optional().meta({ description: 'Excluded; absent when open-ended.' }),
    legalBasis: z.string().min(1).max(200).meta({ description: 'The document that orders it.' }),
    description: z.strictObject({ vi: z.string().min(1).max(1000), en: z.string().min(1).max(1000) }),
    accept: z
      .array(z.strictObject({ testType: z.enum(testTypes), hours: z.int().min(1).max(720) }))
      .min(1)
      .meta({ description: 'Accepted test types and how many hours after sampling a negative stays valid.' }),
    labIds: z
      .array(z.string().regex(/^lab_[0-9a-f]{16}$/))
      .min(1)
      .optional(),
    tests: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(200),
          checkedAt: instant,
          results: z.array(
            z.strictObject({
              testType: z.enum(testTypes),
              result: z.enum(['NEGATIVE', 'POSITIVE']),
              sampledAt: instant,
              resultedAt: instant.optional(),
              labId: z.string().optional(),
            }),
          ),
          expect: z.strictObject({
            verdict: z.enum(['VALID', 'NOT_VALID']),
            validUntil: instant.optional(),
          }),
        }),
      )
      .min(1)
      .meta({ description: 'Worked examples the rule answers as stated.' }),
  })
  .meta({ description: 'One version of a checkpoint rule set.' });

export const rulesResponseSchema = z
  .strictObject({
    jws: z.string().meta({
      description:
        'A compact JWS: header RulesDocumentHeader, payload RulesDocumentClaims, ES256 signature (raw r‖s, low-S only) by the key of GET /v1/keys marked `"signs": "rules"`.',
    }),
    servedAt: z.iso.datetime().meta({
      description:
        'When the server answered (UTC; a cache may hand it on up to a minute later). Not signed: a checkpoint compares it with its own clock and does not judge offline while the two are more than 10 minutes apart.',
    }),
  })
  .meta({
    description:
      'The signed rules document. Every rule set in force or scheduled: versions whose validTo is past, and versions superseded by a later version of the same id whose validFrom is past, are left out. Signed at most once a minute per change of the versions it holds.',
  });

export const rulesDocumentHeaderSchema = z
  .strictObject({
    alg: z.literal('ES256'),
    kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    typ: z.literal('rg-rules+jwt').meta({ description: 'Never `JWT` (a pass): a pass reader refuses it.' }),
  })
  .meta({ description: 'The JWS header of the rules document.' });

export const rulesDocumentClaimsSchema = z
  .strictObject({
    v: z.literal(1),
    iat: z
      .int()
      .min(0)
      .meta({ description: 'Signed at, Unix seconds: how old the rules a checkpoint holds are.' }),
    exp: z.int().min(0).meta({
      description:
        'iat + 60: ask again after it when online. A checkpoint without network keeps applying the document until iat + its stage’s offlineRulesMaxAgeHours (24 by default), then says CANNOT CHECK.',
    }),
    ruleSets: z.array(ruleSetSchema).meta({ description: 'Ordered by id, then version.' }),
    revoked: z
      .array(
        z.strictObject({
          labId: z.string().min(1),
          from: z.iso.datetime().meta({ description: 'UTC, inclusive.' }),
          to: z.iso.datetime().meta({ description: 'UTC, exclusive.' }),
        }),
      )
      .min(1)
      .optional()
      .meta({
        description:
          'Labs whose results the authority revoked (fraud response), sampled in [from, to), listed while results sampled then may still be retained (to + the retention period, 30 days by default). A pass whose snapshot names the lab (`snap.labId`) with a `sampledAt` in a window is NOT VALID offline. Absent when there is none, so that a checkpoint page too old to read it refuses only documents it would misapply.',
      }),
  })
  .meta({ description: 'The JWS payload of the rules document. Unknown members make it invalid.' });

export const deviceProfileSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    jurisdiction: z.string().meta({
      description: 'ISO 3166-2 code the device was registered for; `VN` when it was registered without one.',
    }),
    mode: z.string().meta({ description: 'The device’s default mode; `ENTRY` when registered without one.' }),
  })
  .meta({ description: 'The calling checkpoint device, as registered.' });

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
    labId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional()
      .meta({
        description:
          'The lab of the result the snapshot comes from, so an offline checkpoint can refuse a pass whose result falls in a revoked window of GET /v1/rules (`revoked`). Absent in passes issued before it existed.',
      }),
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
