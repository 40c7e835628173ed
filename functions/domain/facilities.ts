import type { Clock } from '../../contract/clock.js';
import { byProvinceThenName } from '../../contract/facilities-order.js';
import type { Facility, FacilityList } from '../schemas/facilities.js';
import type { Principal, Registry } from './registry.js';

export interface FacilitiesDeps {
  readonly registry: Pick<Registry, 'list'>;
  readonly clock: Clock;
}

/** A REVOKED lab is no longer registered: it has left the list, not been suspended. */
const isPublished = (lab: Principal): lab is Principal & { status: Facility['status'] } =>
  lab.role === 'lab' && (lab.status === 'ACTIVE' || lab.status === 'SUSPENDED');

/** Exactly the contract's fields, named one by one, so nothing else of the registry (the hash) can leak. */
const toFacility = (lab: Principal & { status: Facility['status'] }): Facility => ({
  id: lab.id,
  name: lab.name,
  province: lab.province ?? '',
  testTypes: [...(lab.testTypes ?? [])],
  status: lab.status,
  integratedSince: lab.integratedSince ?? null,
  lastResultAt: lab.lastResultAt ?? null,
});

/**
 * The public facilities list: every registered lab, ordered by province then name. `updatedAt` is the
 * time the registry was read, so a reader of a cached copy knows how old it is.
 */
export const listFacilities = async ({ registry, clock }: FacilitiesDeps): Promise<FacilityList> => {
  const updatedAt = clock.now().toISOString();
  const labs = await registry.list('lab');
  return { updatedAt, facilities: labs.filter(isPublished).map(toFacility).sort(byProvinceThenName) };
};
