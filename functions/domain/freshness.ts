import type { Clock } from '../../contract/clock.js';
import type { Principal, Registry } from './registry.js';

const HOUR_MS = 3_600_000;

export interface StaleLab {
  readonly id: string;
  /** lastResultAt, or createdAt for a lab that has never had a result stored. */
  readonly silentSince: string;
  /** Whole hours of silence; null when the timestamp cannot be read. */
  readonly silentHours: number | null;
}

/**
 * The freshness rule: an ACTIVE lab is stale when its latest stored result — or, before any, its
 * registration — is strictly older than `staleAfterHours`. Exactly at the threshold it is not stale yet.
 * Suspended (and revoked) labs are expected to be silent and are never reported.
 */
export const findStaleLabs = (labs: readonly Principal[], now: Date, staleAfterHours: number): StaleLab[] => {
  const threshold = staleAfterHours * HOUR_MS;
  return labs.flatMap((lab) => {
    if (lab.role !== 'lab' || lab.status !== 'ACTIVE') return [];
    const silentSince = lab.lastResultAt ?? lab.createdAt;
    const silentMs = now.getTime() - Date.parse(silentSince);
    // An unparsable timestamp reads as stale: better a call to the lab than a silent gap.
    if (Number.isNaN(silentMs) || silentMs > threshold) {
      return [
        {
          id: lab.id,
          silentSince,
          silentHours: Number.isNaN(silentMs) ? null : Math.floor(silentMs / HOUR_MS),
        },
      ];
    }
    return [];
  });
};

export interface FreshnessDeps {
  readonly registry: Pick<Registry, 'list'>;
  readonly clock: Clock;
  readonly staleAfterHours: number;
}

export interface FreshnessReport {
  readonly checkedAt: string;
  /** Active labs looked at. */
  readonly activeLabs: number;
  readonly stale: StaleLab[];
}

/** Reads every lab (one paginated Query) and applies the freshness rule at the clock's time. */
export const checkFreshness = async ({
  registry,
  clock,
  staleAfterHours,
}: FreshnessDeps): Promise<FreshnessReport> => {
  const now = clock.now();
  const labs = await registry.list('lab');
  return {
    checkedAt: now.toISOString(),
    activeLabs: labs.filter((lab) => lab.status === 'ACTIVE').length,
    stale: findStaleLabs(labs, now, staleAfterHours),
  };
};
