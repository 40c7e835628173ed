/**
 * The checkpoint rules the public page shows: for each jurisdiction (province, or VN for the whole
 * country) and mode, the rule a checkpoint there applies now and each later change, chosen with the code
 * the API and the checkpoint page use (contract/rules.ts `ruleFor`): a province's own rule, else the
 * country's rule for the mode, else the country's default. So the page never says "no rule" where
 * checkpoints apply the country's, and it shows when a rule ends as well as when one starts.
 */
import { DEFAULT_MODE, NATIONAL, type RuleSet, ruleFor } from '../../../contract/rules.js';

/** A rule as a checkpoint of this jurisdiction and mode applies it; `fallback` when it is the country's. */
export interface AppliedRule {
  readonly rule: RuleSet;
  readonly fallback: boolean;
}

/** From `from` on, checkpoints apply `applied` (none: no rule at all). */
export interface RuleChange {
  readonly from: string;
  readonly applied: AppliedRule | undefined;
}

export interface ModeRules {
  readonly mode: string;
  readonly inForce: AppliedRule | undefined;
  /** Each later change of the rule applied, earliest first. */
  readonly scheduled: readonly RuleChange[];
}

export interface JurisdictionRules {
  readonly jurisdiction: string;
  readonly modes: readonly ModeRules[];
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rules of one jurisdiction and mode from `now` on; undefined when none of its own is live. */
function modeRules(
  ruleSets: readonly RuleSet[],
  jurisdiction: string,
  mode: string,
  now: Date,
): ModeRules | undefined {
  const own = (rule: RuleSet) => rule.jurisdiction === jurisdiction && rule.mode === mode;
  const inChain = (rule: RuleSet) =>
    own(rule) || (rule.jurisdiction === NATIONAL && (rule.mode === mode || rule.mode === DEFAULT_MODE));
  const appliedAt = (at: Date): AppliedRule | undefined => {
    const rule = ruleFor(ruleSets, jurisdiction, mode, at);
    return rule === undefined ? undefined : { rule, fallback: !own(rule) };
  };
  // The rule applied can change only where a rule of the chain starts or ends.
  const instants = [
    ...new Set(
      ruleSets
        .filter(inChain)
        .flatMap((rule) => [rule.validFrom, ...(rule.validTo === undefined ? [] : [rule.validTo])])
        .map((instant) => Date.parse(instant))
        .filter((instant) => instant > now.getTime()),
    ),
  ].sort((a, b) => a - b);
  const inForce = appliedAt(now);
  const scheduled: RuleChange[] = [];
  let current = inForce?.rule;
  for (const instant of instants) {
    const applied = appliedAt(new Date(instant));
    if (applied?.rule === current) continue;
    scheduled.push({ from: new Date(instant).toISOString(), applied });
    current = applied?.rule;
  }
  const hasOwn =
    inForce?.fallback === false || scheduled.some((change) => change.applied?.fallback === false);
  return hasOwn ? { mode, inForce, scheduled } : undefined;
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
