/**
 * The checkpoint rules the public page shows: for each jurisdiction (province, or VN for the whole
 * country) and mode, the rule in force now and the versions scheduled to take over later, chosen with the
 * code the API and the checkpoint page use (contract/rules.ts `ruleInForce`).
 */
import { type RuleSet, ruleInForce } from '../../../contract/rules.js';

export interface ModeRules {
  readonly mode: string;
  readonly inForce: RuleSet | undefined;
  /** Each version that will be in force from its `validFrom`, earliest first. */
  readonly scheduled: readonly RuleSet[];
}

export interface JurisdictionRules {
  readonly jurisdiction: string;
  readonly modes: readonly ModeRules[];
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rules of one jurisdiction and mode at `now`; undefined when none is in force or scheduled. */
function modeRules(
  ruleSets: readonly RuleSet[],
  jurisdiction: string,
  mode: string,
  now: Date,
): ModeRules | undefined {
  const inForce = ruleInForce(ruleSets, jurisdiction, mode, now);
  const starts = [
    ...new Set(
      ruleSets
        .filter((rule) => rule.jurisdiction === jurisdiction && rule.mode === mode)
        .map((rule) => Date.parse(rule.validFrom))
        .filter((start) => start > now.getTime()),
    ),
  ].sort((a, b) => a - b);
  // A version starting later counts only if it is the one in force at its own start.
  const scheduled = starts
    .map((start) => ruleInForce(ruleSets, jurisdiction, mode, new Date(start)))
    .filter((rule): rule is RuleSet => rule !== undefined && Date.parse(rule.validFrom) > now.getTime());
  const unique = scheduled.filter((rule, i) => scheduled.indexOf(rule) === i);
  return inForce === undefined && unique.length === 0 ? undefined : { mode, inForce, scheduled: unique };
}

/**
 * Every jurisdiction and mode with a rule in force or scheduled at `now`: the whole country (VN) first,
 * then provinces by code, modes by name. Rules that have ended are left out.
 */
export function summarizeRules(ruleSets: readonly RuleSet[], now: Date): JurisdictionRules[] {
  const jurisdictions = [...new Set(ruleSets.map((rule) => rule.jurisdiction))].sort((a, b) =>
    a === 'VN' ? -1 : b === 'VN' ? 1 : byCode(a, b),
  );
  return jurisdictions
    .map((jurisdiction) => {
      const modes = [
        ...new Set(ruleSets.filter((rule) => rule.jurisdiction === jurisdiction).map((rule) => rule.mode)),
      ]
        .sort(byCode)
        .map((mode) => modeRules(ruleSets, jurisdiction, mode, now))
        .filter((entry): entry is ModeRules => entry !== undefined);
      return { jurisdiction, modes };
    })
    .filter((entry) => entry.modes.length > 0);
}

/** A province of the official list, as far as this page needs it. */
export interface ProvinceEntry {
  readonly code: string;
  readonly name: string;
}

/**
 * The name to show for a jurisdiction code: the province's name from the official list when given one,
 * else the code itself (the list is data kept elsewhere; this page keeps no copy of it).
 */
export function jurisdictionName(code: string, provinces: readonly ProvinceEntry[]): string {
  return provinces.find((province) => province.code === code)?.name ?? code;
}
