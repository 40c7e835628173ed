/**
 * What the scan screen says about the signed rules the phone holds: when they were signed and until when
 * offline checks may use them, so an officer whose phone has not refreshed them learns it before the first
 * CANNOT CHECK at a checkpoint without network.
 */
import { formatVietnamTime } from './format.js';
import type { MessageKey } from './i18n.js';

/** The held rules document as the scan screen needs it (epoch ms). */
export interface HeldRules {
  readonly signedAt: number;
  /** `signedAt` plus the stage's `offlineRulesMaxAgeHours`. */
  readonly usableUntil: number;
}

/** Under this much time left the line turns into a warning: time to find a network. */
export const RULES_WARNING_MS = 6 * 3_600_000;

export interface RulesAgeLine {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, string>>;
  readonly warning: boolean;
}

export function rulesAgeLine(rules: HeldRules | undefined, now: Date): RulesAgeLine {
  if (rules === undefined) return { key: 'rulesNone', params: {}, warning: true };
  const params = {
    signed: formatVietnamTime(new Date(rules.signedAt)),
    until: formatVietnamTime(new Date(rules.usableUntil)),
  };
  const left = rules.usableUntil - now.getTime();
  if (left <= 0) return { key: 'rulesExpired', params, warning: true };
  return { key: 'rulesAsOf', params, warning: left < RULES_WARNING_MS };
}
