import type { Clock } from '../../contract/clock.js';
import { byProvinceThenName } from '../../contract/facilities-order.js';
import type { Facility, FacilityList } from '../schemas/facilities.js';
import type { Principal, Registry } from './registry.js';
import { publishedWindows, type Revocations } from './revocations.js';

export interface FacilitiesDeps {
  readonly registry: Pick<Registry, 'list'>;
  readonly clock: Clock;
  /** The operators' revocations (none when left out) and the retention that bounds how long they show. */
  readonly revocations?: Pick<Revocations, 'list'>;
  readonly retentionDays?: number;
}

/** A REVOKED lab is no longer registered: it has left the list, not been suspended. */
const isPublished = (lab: Principal): lab is Principal & { status: 'ACTIVE' | 'SUSPENDED' } =>
  lab.role === 'lab' && (lab.status === 'ACTIVE' || lab.status === 'SUSPENDED');

/** Exactly the contract's fields, named one by one, so nothing else of the registry (the hash) can leak. */
const toFacility = (lab: Principal & { status: 'ACTIVE' | 'SUSPENDED' }, revoked: boolean): Facility => ({
  id: lab.id,
  name: lab.name,
  province: lab.province ?? '',
  testTypes: [...(lab.testTypes ?? [])],
  // Results revoked for fraud outrank a suspension: it is what a reader of the list must learn.
  status: revoked ? 'REVOKED' : lab.status,
  integratedSince: lab.integratedSince ?? null,
  lastResultAt: lab.lastResultAt ?? null,
});

/**
 * The public facilities list: every registered lab, ordered by province then name. `updatedAt` is the
 * time the registry was read, so a reader of a cached copy knows how old it is. A lab shows REVOKED while
 * an operator's window revocation of its results is published (until results sampled in the window have
 * expired: its end plus the retention period); revoking one sample does not mark the lab.
 */
export const listFacilities = async ({
  registry,
  clock,
  revocations,
  retentionDays = 30,
}: FacilitiesDeps): Promise<FacilityList> => {
  const now = clock.now();
  const [labs, records] = await Promise.all([registry.list('lab'), revocations?.list() ?? []]);
  const revoked = new Set(publishedWindows(records, now, retentionDays).map((w) => w.labId));
  return {
    updatedAt: now.toISOString(),
    facilities: labs
      .filter(isPublished)
      .map((lab) => toFacility(lab, revoked.has(lab.id)))
      .sort(byProvinceThenName),
  };
};
