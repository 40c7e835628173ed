import * as z from 'zod';
import { testTypes } from './common.js';

/**
 * GET /v1/facilities: the public registry of labs, as the contract publishes it. The single source of
 * the response type and of its OpenAPI description; nothing here is credential material.
 */
export const facilitySchema = z.strictObject({
  id: z.string().describe('The lab id, e.g. lab_3f9a1c2b4d5e6f70'),
  name: z.string(),
  province: z.string(),
  testTypes: z.array(z.enum(testTypes)).describe('The test types the lab is registered for'),
  status: z
    .enum(['ACTIVE', 'SUSPENDED', 'REVOKED'])
    .describe(
      'SUSPENDED: the lab is registered but its results are currently refused. REVOKED: the authority ' +
        'revoked results of the lab (fraud response); they count for no verdict. Shown until results ' +
        'sampled in the revoked period have expired (its end plus the retention period, 30 days by default).',
    ),
  integratedSince: z.iso
    .datetime()
    .nullable()
    .describe('When the first result of the lab was stored (UTC); null before any'),
  lastResultAt: z.iso
    .datetime()
    .nullable()
    .describe('When the latest result of the lab was stored (UTC); null before any'),
});

export const facilityListSchema = z.strictObject({
  updatedAt: z.iso
    .datetime()
    .describe(
      'When this list was read from the registry (UTC). Every field is current as of this instant; ' +
        'caches may serve the list for up to 60 s after it.',
    ),
  facilities: z
    .array(facilitySchema)
    .describe(
      'Every registered lab, ordered by province, then name (Vietnamese collation), then id. ' +
        'Checkpoint devices and app backends never appear.',
    ),
});

export type Facility = z.infer<typeof facilitySchema>;
export type FacilityList = z.infer<typeof facilityListSchema>;
