/**
 * The public list's pure parts: reading GET /v1/facilities, grouping by province, marking stale labs, and
 * the search box's matching. No DOM here, so unit tests cover it all.
 */
import { byProvinceThenName } from '../../../contract/facilities-order.js';
import { isRecord, stringField } from '../guards.js';

export interface PublicFacility {
  readonly id: string;
  readonly name: string;
  readonly province: string;
  readonly testTypes: readonly string[];
  /** ACTIVE or SUSPENDED today; kept as text so a status added later (REVOKED) still shows. */
  readonly status: string;
  readonly integratedSince: string | null;
  readonly lastResultAt: string | null;
}

export interface PublicFacilityList {
  readonly updatedAt: string;
  readonly facilities: readonly PublicFacility[];
}

const instantOrNull = (value: unknown): string | null | undefined =>
  value === null ? null : typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;

const readFacility = (value: unknown): PublicFacility | undefined => {
  if (!isRecord(value)) return undefined;
  const id = stringField(value, 'id');
  const name = stringField(value, 'name');
  const province = stringField(value, 'province');
  const status = stringField(value, 'status');
  const integratedSince = instantOrNull(value.integratedSince);
  const lastResultAt = instantOrNull(value.lastResultAt);
  const testTypes = Array.isArray(value.testTypes)
    ? value.testTypes.filter((type): type is string => typeof type === 'string')
    : undefined;
  if (id === undefined || name === undefined || province === undefined || status === undefined)
    return undefined;
  if (testTypes === undefined || integratedSince === undefined || lastResultAt === undefined)
    return undefined;
  return { id, name, province, testTypes, status, integratedSince, lastResultAt };
};

/** The answer of GET /v1/facilities, or undefined when it is not one (a lab entry it cannot read is left out). */
export function readFacilityList(value: unknown): PublicFacilityList | undefined {
  if (!isRecord(value) || !Array.isArray(value.facilities)) return undefined;
  const updatedAt = instantOrNull(value.updatedAt);
  if (typeof updatedAt !== 'string') return undefined;
  const facilities = value.facilities
    .map(readFacility)
    .filter((facility): facility is PublicFacility => facility !== undefined);
  return { updatedAt, facilities };
}

export interface ProvinceGroup {
  /** The province as the registry holds it; '' when none was given. */
  readonly province: string;
  readonly facilities: readonly PublicFacility[];
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/**
 * Facilities grouped by province, in the API's order (contract/facilities-order.ts). A group holds one
 * exact spelling: "Hai Phong" and "Hải Phòng" sort together but stay two groups (an operator fixes the
 * spelling; the page does not guess), side by side and each in one piece.
 */
export function groupByProvince(facilities: readonly PublicFacility[]): ProvinceGroup[] {
  const groups = new Map<string, PublicFacility[]>();
  for (const facility of [...facilities].sort(byProvinceThenName)) {
    const group = groups.get(facility.province);
    if (group) group.push(facility);
    else groups.set(facility.province, [facility]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([province, members]) => ({ province, facilities: members }));
}

export type Freshness = 'FRESH' | 'STALE' | 'NO_RESULT';

/**
 * Whether the lab sends results: STALE when its latest result is more than `staleHours` before `now` (the
 * stage's `staleLabHours`, the same threshold as the operators' freshness alarm), NO_RESULT before its
 * first. Only an ACTIVE lab is judged: a suspended lab's results are refused anyway (undefined then).
 */
export function freshnessOf(facility: PublicFacility, now: Date, staleHours: number): Freshness | undefined {
  if (facility.status !== 'ACTIVE') return undefined;
  if (facility.lastResultAt === null) return 'NO_RESULT';
  return now.getTime() - Date.parse(facility.lastResultAt) > staleHours * 3_600_000 ? 'STALE' : 'FRESH';
}

/**
 * Text as the search box compares it: without diacritics (đ is d), lower case, single spaces, so
 * "hai phong" finds "Hải Phòng" and "HẢI  PHÒNG" finds it too.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a facility answers the search: its name or its province contains the query (empty finds all). */
export function matchesSearch(facility: PublicFacility, query: string): boolean {
  const key = searchKey(query);
  return key === '' || searchKey(facility.name).includes(key) || searchKey(facility.province).includes(key);
}
