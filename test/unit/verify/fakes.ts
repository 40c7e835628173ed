import type { Clock } from '../../../contract/clock.js';
import { maskName } from '../../../contract/identity.js';
import { defaultRuleSet } from '../../../contract/rules.js';
import type { ValidityWindows } from '../../../contract/verdict.js';
import type { HolderResult } from '../../../functions/domain/holder-result.js';
import type { PassRequestCounter } from '../../../functions/domain/issue-pass.js';
import { birthDateCheck, holderKey, type Pepper } from '../../../functions/domain/pseudonym.js';
import type { HolderResults } from '../../../functions/domain/verify-holder.js';

export const pepper: Pepper = { secret: Buffer.alloc(32, 7), version: 2 };
export const windows: ValidityWindows = { RT_PCR: 72 * 3_600_000, RAPID_ANTIGEN: 48 * 3_600_000 };
/** The same windows as the default rule set, and a device that checks by it (VN/ENTRY). */
export const rule = defaultRuleSet({ RT_PCR: 72, RAPID_ANTIGEN: 48 });
export const scope = { rules: [rule], jurisdiction: 'VN', mode: 'ENTRY' };

export const identity = { idType: 'CCCD', idNumber: '001190012345', dateOfBirth: '1990-05-17' } as const;
export const key = holderKey(pepper, identity.idType, identity.idNumber);
export const fullName = 'Nguyễn Thị Ánh';

/** A stored result of the holder, by default an RT-PCR negative sampled at `sampledAt`. */
export const stored = (sampledAt: string, overrides: Partial<HolderResult> = {}): HolderResult => ({
  labId: 'lab-1',
  labName: 'CDC Quảng Ninh',
  sampleId: `S-${sampledAt}`,
  testType: 'RT_PCR',
  result: 'NEGATIVE',
  sampledAt: new Date(sampledAt).toISOString(),
  resultedAt: new Date(Date.parse(sampledAt) + 3_600_000).toISOString(),
  maskedName: maskName(fullName),
  birthYear: 1990,
  birthDateCheck: birthDateCheck(pepper, key, identity.dateOfBirth),
  ...overrides,
});

/** The results port over an in-memory table; counts reads to pin the one-round-trip rule. */
export const memoryHolders = (byKey: Record<string, HolderResult[]> = {}) => {
  const reads: string[] = [];
  const port: HolderResults = {
    forHolder: async (holder) => {
      reads.push(holder);
      return byKey[holder] ?? [];
    },
  };
  return { port, reads, byKey };
};

export const clockAt = (iso: string): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (next) => {
      now = new Date(next);
    },
  };
};

/** The pass-request counter over memory: per holder and UTC day, as adapters/pass-requests.ts keeps it. */
export const memoryPassRequests = (): PassRequestCounter & { readonly counts: Map<string, number> } => {
  const counts = new Map<string, number>();
  return {
    counts,
    count: async (holder, at) => {
      const slot = `${holder}/${at.toISOString().slice(0, 10)}`;
      const next = (counts.get(slot) ?? 0) + 1;
      counts.set(slot, next);
      return next;
    },
  };
};
