import * as z from 'zod';

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
