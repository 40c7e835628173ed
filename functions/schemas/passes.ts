import * as z from 'zod';
import type { Clock } from '../../contract/clock.js';
import { holderIdentitySchema } from './holder-identity-schema.js';

/**
 * POST /v1/passes: the citizen-app backend names its signed-in user by document and birth date. The same
 * rules as a manual entry at a checkpoint.
 */
export const passRequestSchema = (clock: Clock) =>
  holderIdentitySchema(clock).check(
    z.meta({
      description:
        'The holder: identity document and date of birth, with the same rules as POST /v1/results. Unknown fields are rejected.',
    }),
  );

export const issuedPassSchema = z
  .strictObject({
    qr: z.string().startsWith('RG1:').meta({
      description:
        'RG1:<compact JWS>: header PassHeader (ES256, low-S, kid) and payload PassClaims: the pseudonymous holder key, the keyed birth-date check bdc, iat, exp and (when VALID at issue for that birth date) a snapshot for offline checks. Passes without bdc, issued before it existed, are refused (PASS_INVALID).',
    }),
    expiresAt: z.iso.datetime().meta({ description: 'UTC; 7 days after issue by default.' }),
    svg: z.string().meta({ description: 'The QR code as an SVG document.' }),
  })
  .meta({ description: 'A signed QR pass.' });
