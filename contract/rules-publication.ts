/**
 * What `rules check`, `rules publish` and `device add` hold new data to, beyond the shape that every reader
 * of rules accepts (contract/rules.ts): a province in force, instants that exist as written, texts on one
 * line with nothing hidden, and the country's default without an end. Kept apart so that readers (verify,
 * the page) neither apply these to data published before them nor carry the list of provinces.
 */
import { hasControlCharacters, hasHiddenCharacters, isJsonObject } from './identity.js';
import { formerCodeAdvice, provinces } from './provinces.js';
import {
  DEFAULT_MODE,
  DEFAULT_RULE_ID,
  INSTANT,
  isJurisdiction,
  NATIONAL,
  type RuleProblem,
  ruleSetProblems,
} from './rules.js';

const PROVINCE_CODES: ReadonlySet<string> = new Set(provinces.map((province) => province.iso));

/**
 * The ISO 3166-2 code of a province in force (contract/provinces.ts, e.g. `VN-13` for Quảng Ninh), or `VN`:
 * what `device add` and `rules publish` take. A well-formed code of no province in force (`VN-99`, or
 * `VN-61` of Hải Dương, merged into Hải Phòng `VN-HP` in 2025) is a mistake: a rule for it would never
 * apply, and a device of it would silently check the country's rules.
 */
export const isJurisdictionInForce = (value: unknown): value is string =>
  isJurisdiction(value) && (value === NATIONAL || PROVINCE_CODES.has(value));

/**
 * Why a jurisdiction is not one in force, in English (callers add the Vietnamese): the code of a former
 * unit (VN-61, Hải Dương) is answered with the code to use (VN-HP), any other with what is expected.
 */
export const jurisdictionNotInForce = (value: unknown): string =>
  (typeof value === 'string' ? formerCodeAdvice(value)?.en : undefined) ??
  'must be the ISO 3166-2 code of a province in force, such as VN-13, or VN';
/**
 * An RFC 3339 instant whose date and time exist as written: `Date.parse` alone rolls 31 September over
 * to 1 October and takes 24:00, so a typo would move a rule's start without a word (publication only).
 */
const isExactInstant = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const parts = INSTANT.exec(value);
  if (parts === null || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day, hour, minute, second] = value.slice(0, 19).split(/[-T:]/).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const offset = parts[2] === 'Z' ? [0, 0] : (parts[2] ?? '').slice(1).split(':').map(Number);
  return (
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    calendar.getUTCHours() === hour &&
    calendar.getUTCMinutes() === minute &&
    calendar.getUTCSeconds() === second &&
    (offset[0] ?? 0) <= 23 &&
    (offset[1] ?? 0) <= 59
  );
};
/** Text an officer or the public reads (legal basis, descriptions): one line, nothing hidden. */
const isPlainLine = (value: unknown): boolean =>
  typeof value === 'string' && !hasHiddenCharacters(value) && !hasControlCharacters(value);
/**
 * Every problem `rules check` and `rules publish` refuse: the shape (ruleSetProblems), and what is asked
 * of a version published now and not of one read back (so a version published before a check existed
 * still reads, and the rule in force never changes under a checkpoint because the code got stricter):
 * a province in force, instants that exist as written, texts on one line with nothing hidden, and the
 * country's default (`DEFAULT`) `VN`/`ENTRY` without an end, since every device falls back to it.
 */
export const publicationProblems = (value: unknown): RuleProblem[] => {
  const problems = ruleSetProblems(value);
  if (problems.length > 0 || !isJsonObject(value)) return problems;
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isJurisdictionInForce(value.jurisdiction))
    add('jurisdiction', jurisdictionNotInForce(value.jurisdiction));
  if (!isExactInstant(value.validFrom)) add('validFrom', 'must be an instant that exists (RFC 3339)');
  if (value.validTo !== undefined && !isExactInstant(value.validTo))
    add('validTo', 'must be an instant that exists (RFC 3339)');
  if (!isPlainLine(value.legalBasis))
    add('legalBasis', 'must be one line, without control or invisible formatting characters');
  const description = isJsonObject(value.description) ? value.description : {};
  if (!isPlainLine(description.vi) || !isPlainLine(description.en))
    add(
      'description',
      'must be one line in each language, without control or invisible formatting characters',
    );
  const tests = Array.isArray(value.tests) ? value.tests : [];
  const named = new Map<unknown, number>();
  tests.forEach((test: unknown, i) => {
    if (!isJsonObject(test)) return;
    // A refusal names the failing example: two of one name could not be told apart.
    const twin = named.get(test.name);
    if (twin !== undefined)
      add(`tests[${i}].name`, `is tests[${twin}]'s name too: each example needs its own`);
    else named.set(test.name, i);
    if (!isExactInstant(test.checkedAt))
      add(`tests[${i}].checkedAt`, 'must be an instant that exists (RFC 3339)');
    const results = Array.isArray(test.results) ? test.results : [];
    results.forEach((result: unknown, k) => {
      if (isJsonObject(result) && !isExactInstant(result.sampledAt))
        add(`tests[${i}].results[${k}].sampledAt`, 'must be an instant that exists (RFC 3339)');
    });
  });
  // The country's default is the last rule every device falls back to (`ruleFor`): it is VN/ENTRY and
  // never ends, or a device of a province with no rule of its own would have none at all.
  if (value.id === DEFAULT_RULE_ID) {
    if (value.jurisdiction !== NATIONAL || value.mode !== DEFAULT_MODE)
      add(
        'jurisdiction',
        `${DEFAULT_RULE_ID} is the country's ${DEFAULT_MODE} rule: ${NATIONAL}/${DEFAULT_MODE} only`,
      );
    if (value.validTo !== undefined)
      add(
        'validTo',
        `${DEFAULT_RULE_ID} never ends (every device falls back to it): publish a new version instead`,
      );
  }
  return problems;
};
