/**
 * Checkpoint rules as data: which tests a checkpoint accepts, for how long after sampling, in which
 * province and mode, from when. One code for the API (publishing, verify) and the page (offline checks).
 * Dependency-free: a rule set is read by hand and evaluated with the contract's verdict rule.
 */
import { isJsonObject } from './identity.js';
import { decideVerdict, hours, type ValidityWindows, type VerdictInput } from './verdict.js';
import { type Outcome, outcomes, type TestType, testTypes } from './vocabulary.js';

export interface AcceptedTest {
  readonly testType: TestType;
  /** Hours after sampling that a negative result of this type stays valid. */
  readonly hours: number;
}

export interface RuleTestResult {
  readonly testType: TestType;
  readonly result: Outcome;
  readonly sampledAt: string;
  readonly resultedAt?: string;
  readonly labId?: string;
}

/** One worked example the rule set must answer as stated: given results and a check time. */
export interface RuleTest {
  readonly name: string;
  readonly checkedAt: string;
  readonly results: readonly RuleTestResult[];
  readonly expect: { readonly verdict: 'VALID' | 'NOT_VALID'; readonly validUntil?: string };
}

export interface RuleSet {
  /** The rule's line, e.g. `QN-ENTRY`; versions of one id supersede each other. */
  readonly id: string;
  readonly version: number;
  /** ISO 3166-2 code of the province (`VN-13` is Quảng Ninh), or `VN` for the whole country. */
  readonly jurisdiction: string;
  /** The checkpoint's use, e.g. `ENTRY`, `FREIGHT`. */
  readonly mode: string;
  /** RFC 3339; the rule applies from this instant, and until `validTo` (excluded) when given. */
  readonly validFrom: string;
  readonly validTo?: string;
  /** The document that orders it, e.g. `5630/UBND-XD6`. */
  readonly legalBasis: string;
  readonly description: { readonly vi: string; readonly en: string };
  readonly accept: readonly AcceptedTest[];
  /** When given, only results from these labs count. */
  readonly labIds?: readonly string[];
  readonly tests: readonly RuleTest[];
}

/** What every answer says of the rule that decided it. */
export interface RuleReference {
  readonly id: string;
  readonly version: number;
  readonly legalBasis: string;
}

export interface RuleProblem {
  readonly path: string;
  readonly message: string;
}

const RULE_ID = /^[A-Z0-9][A-Z0-9-]{1,39}$/;
const JURISDICTION = /^VN(-[0-9A-Z]{2,3})?$/;
const MODE = /^[A-Z][A-Z_]{1,29}$/;

/**
 * A jurisdiction code's form: an ISO 3166-2 code of Vietnam (`VN-13`), or `VN` for the whole country. What
 * is read back (a stored rule set, a device's profile) is judged by its form only, so data written before
 * a stricter check never stops reading; what is written now must be a province in force.
 */
export const isJurisdiction = (value: unknown): value is string =>
  typeof value === 'string' && JURISDICTION.test(value);

/** A checkpoint's use, such as `ENTRY` or `FREIGHT`. */
export const isMode = (value: unknown): value is string => typeof value === 'string' && MODE.test(value);

/** The country-wide rule line every install has (written at first start and at deploy). */
export const DEFAULT_RULE_ID = 'DEFAULT';
/** What a device registered without a jurisdiction or mode (every device from before rules) checks for. */
export const NATIONAL = 'VN';
export const DEFAULT_MODE = 'ENTRY';
const LAB_ID = /^lab_[0-9a-f]{16}$/;
/** RFC 3339 with seconds and `Z` or an offset, as the rest of the contract writes instants. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_HOURS = 24 * 30;
const MAX_TESTS = 200;
const MEMBERS = [
  'id',
  'version',
  'jurisdiction',
  'mode',
  'validFrom',
  'validTo',
  'legalBasis',
  'description',
  'accept',
  'labIds',
  'tests',
];

const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max;

const isTestType = (value: unknown): value is TestType => (testTypes as readonly unknown[]).includes(value);
const isOutcome = (value: unknown): value is Outcome => (outcomes as readonly unknown[]).includes(value);

const unknownMembers = (value: Record<string, unknown>, known: readonly string[], path: string) =>
  Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({ path: path === '' ? key : `${path}.${key}`, message: 'is not a known field' }));

const resultProblems = (value: unknown, path: string): RuleProblem[] => {
  if (!isJsonObject(value)) return [{ path, message: 'must be an object' }];
  const problems: RuleProblem[] = [];
  if (!isTestType(value.testType))
    problems.push({ path: `${path}.testType`, message: `must be one of ${testTypes.join(', ')}` });
  if (!isOutcome(value.result))
    problems.push({ path: `${path}.result`, message: `must be one of ${outcomes.join(', ')}` });
  if (!isInstant(value.sampledAt))
    problems.push({ path: `${path}.sampledAt`, message: 'must be an RFC 3339 instant' });
  if (value.resultedAt !== undefined && !isInstant(value.resultedAt))
    problems.push({ path: `${path}.resultedAt`, message: 'must be an RFC 3339 instant' });
  if (value.labId !== undefined && (typeof value.labId !== 'string' || !LAB_ID.test(value.labId)))
    problems.push({ path: `${path}.labId`, message: 'must be a lab id such as lab_0123456789abcdef' });
  return [
    ...problems,
    ...unknownMembers(value, ['testType', 'result', 'sampledAt', 'resultedAt', 'labId'], path),
  ];
};

const testProblems = (value: unknown, path: string): RuleProblem[] => {
  if (!isJsonObject(value)) return [{ path, message: 'must be an object' }];
  const problems: RuleProblem[] = [];
  if (!isText(value.name, 200)) problems.push({ path: `${path}.name`, message: 'must be 1-200 characters' });
  if (!isInstant(value.checkedAt))
    problems.push({ path: `${path}.checkedAt`, message: 'must be an RFC 3339 instant' });
  if (!Array.isArray(value.results) || value.results.length > 50) {
    problems.push({ path: `${path}.results`, message: 'must be a list of at most 50 results' });
  } else {
    value.results.forEach((result, i) => {
      problems.push(...resultProblems(result, `${path}.results[${i}]`));
    });
  }
  const expected = value.expect;
  if (!isJsonObject(expected) || (expected.verdict !== 'VALID' && expected.verdict !== 'NOT_VALID')) {
    problems.push({ path: `${path}.expect.verdict`, message: 'must be VALID or NOT_VALID' });
  } else {
    if (expected.verdict === 'VALID' && !isInstant(expected.validUntil))
      problems.push({
        path: `${path}.expect.validUntil`,
        message: 'must be given for VALID, as an RFC 3339 instant',
      });
    if (expected.verdict === 'NOT_VALID' && expected.validUntil !== undefined)
      problems.push({ path: `${path}.expect.validUntil`, message: 'must not be given for NOT_VALID' });
    problems.push(...unknownMembers(expected, ['verdict', 'validUntil'], `${path}.expect`));
  }
  return [...problems, ...unknownMembers(value, ['name', 'checkedAt', 'results', 'expect'], path)];
};

/** Every problem of a rule set's shape (empty when it is one), with paths like the API's errors. */
export const ruleSetProblems = (value: unknown): RuleProblem[] => {
  if (!isJsonObject(value)) return [{ path: '(root)', message: 'must be a JSON object' }];
  const problems: RuleProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (typeof value.id !== 'string' || !RULE_ID.test(value.id))
    add('id', 'must be 2-40 of A-Z, 0-9 and -, e.g. QN-ENTRY');
  if (!Number.isSafeInteger(value.version) || (value.version as number) < 1)
    add('version', 'must be a whole number from 1');
  if (!isJurisdiction(value.jurisdiction))
    add('jurisdiction', 'must be an ISO 3166-2 code of a province such as VN-13, or VN');
  if (typeof value.mode !== 'string' || !MODE.test(value.mode))
    add('mode', 'must be 2-30 of A-Z and _, e.g. ENTRY');
  if (!isInstant(value.validFrom)) add('validFrom', 'must be an RFC 3339 instant');
  if (value.validTo !== undefined) {
    if (!isInstant(value.validTo)) add('validTo', 'must be an RFC 3339 instant');
    else if (isInstant(value.validFrom) && Date.parse(value.validTo) <= Date.parse(value.validFrom))
      add('validTo', 'must be after validFrom');
  }
  if (!isText(value.legalBasis, 200))
    add('legalBasis', 'must be 1-200 characters, the document that orders the rule');
  const description = value.description;
  if (!isJsonObject(description) || !isText(description.vi, 1000) || !isText(description.en, 1000)) {
    add('description', 'must give the rule in Vietnamese (vi) and English (en), 1-1000 characters each');
  } else problems.push(...unknownMembers(description, ['vi', 'en'], 'description'));
  if (!Array.isArray(value.accept) || value.accept.length === 0) {
    add('accept', 'must list at least one accepted test type');
  } else {
    const seen = new Set<unknown>();
    value.accept.forEach((entry: unknown, i) => {
      const path = `accept[${i}]`;
      if (!isJsonObject(entry)) {
        add(path, 'must be an object');
        return;
      }
      if (!isTestType(entry.testType)) add(`${path}.testType`, `must be one of ${testTypes.join(', ')}`);
      else if (seen.has(entry.testType)) add(`${path}.testType`, 'is listed twice');
      seen.add(entry.testType);
      if (
        !Number.isSafeInteger(entry.hours) ||
        (entry.hours as number) < 1 ||
        (entry.hours as number) > MAX_HOURS
      )
        add(`${path}.hours`, `must be a whole number of hours from 1 to ${MAX_HOURS}`);
      problems.push(...unknownMembers(entry, ['testType', 'hours'], path));
    });
  }
  if (value.labIds !== undefined) {
    if (!Array.isArray(value.labIds) || value.labIds.length === 0)
      add('labIds', 'must be a non-empty list when given');
    else
      value.labIds.forEach((lab: unknown, i) => {
        if (typeof lab !== 'string' || !LAB_ID.test(lab))
          add(`labIds[${i}]`, 'must be a lab id such as lab_0123456789abcdef');
      });
  }
  if (!Array.isArray(value.tests) || value.tests.length === 0 || value.tests.length > MAX_TESTS) {
    add('tests', `must give 1 to ${MAX_TESTS} worked examples`);
  } else {
    value.tests.forEach((test, i) => {
      problems.push(...testProblems(test, `tests[${i}]`));
    });
  }
  return [...problems, ...unknownMembers(value, MEMBERS, '')];
};

/** The rule set, when the value is one; undefined otherwise (ruleSetProblems says why). */
export const readRuleSet = (value: unknown): RuleSet | undefined =>
  ruleSetProblems(value).length === 0 ? (value as unknown as RuleSet) : undefined;

export const referenceOf = (rule: RuleSet): RuleReference => ({
  id: rule.id,
  version: rule.version,
  legalBasis: rule.legalBasis,
});

/** Which of two rules decides when both are in force: the latest to start, the highest version, the first id. */
const outranks = (rule: RuleSet, other: RuleSet): boolean => {
  const from = Date.parse(rule.validFrom) - Date.parse(other.validFrom);
  if (from !== 0) return from > 0;
  if (rule.version !== other.version) return rule.version > other.version;
  return rule.id < other.id;
};

/**
 * The rule in force for a jurisdiction and mode at an instant. Of each id, only the highest version whose
 * `validFrom` has come counts: a new version replaces the one before from its start, for good, so an
 * earlier version never applies again, not even after the newer one's `validTo` (the id then has no
 * rule). Among the ids left, the latest to start, then the highest version, then the first id in
 * alphabetical order, so the answer never depends on the order the versions were read in. Versions a
 * reader dropped as superseded or ended (`liveVersions`) therefore change nothing: the server, which reads
 * the live versions, and a page holding an older document answer alike.
 */
export const ruleInForce = (
  rules: readonly RuleSet[],
  jurisdiction: string,
  mode: string,
  at: Date,
): RuleSet | undefined => {
  const now = at.getTime();
  const started = new Map<string, RuleSet>();
  for (const rule of rules) {
    if (rule.jurisdiction !== jurisdiction || rule.mode !== mode) continue;
    if (Date.parse(rule.validFrom) > now) continue;
    const held = started.get(rule.id);
    if (held === undefined || rule.version > held.version) started.set(rule.id, rule);
  }
  let best: RuleSet | undefined;
  for (const rule of started.values()) {
    if (rule.validTo !== undefined && Date.parse(rule.validTo) <= now) continue;
    if (best === undefined || outranks(rule, best)) best = rule;
  }
  return best;
};

const endOf = (rule: RuleSet): number =>
  rule.validTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(rule.validTo);

/**
 * The versions that may still decide something from `now` on: every version in force or scheduled.
 * Dropped: versions whose `validTo` is past, and versions superseded by a later version of the same id
 * whose `validFrom` is past (it has taken over, and `ruleInForce` never goes back to an older version).
 * So for every instant from `now` on, `ruleInForce` over these answers as over all versions ever
 * published: what the signed rules document holds and what verify reads (the live copies of the rule
 * sets table). Ordered by id, then version.
 */
export const liveVersions = (ruleSets: readonly RuleSet[], now: Date): RuleSet[] => {
  const at = now.getTime();
  const live = ruleSets.filter((rule) => endOf(rule) > at);
  return live
    .filter(
      (rule) =>
        !ruleSets.some(
          (other) =>
            other.id === rule.id && other.version > rule.version && Date.parse(other.validFrom) <= at,
        ),
    )
    .sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
};

/** The rule's windows: accepted test types keep their hours; others can never make a holder VALID. */
const windowsOf = (rule: RuleSet): ValidityWindows => {
  const windows: Record<TestType, number> = { RT_PCR: 0, RAPID_ANTIGEN: 0 };
  for (const entry of rule.accept) windows[entry.testType] = hours(entry.hours);
  return windows;
};

/**
 * The contract's verdict rule with this rule set's windows: a negative of a test type it does not accept,
 * or from a lab it does not list, never makes a holder VALID; a positive from any lab still counts.
 */
export const evaluateRule = <R extends VerdictInput & { readonly labId?: string }>(
  rule: RuleSet,
  results: readonly R[],
  checkedAt: Date,
) => {
  const labs = rule.labIds;
  const counted =
    labs === undefined
      ? results
      : results.filter((r) => r.result !== 'NEGATIVE' || (r.labId !== undefined && labs.includes(r.labId)));
  return decideVerdict(counted, checkedAt, windowsOf(rule));
};

export interface RuleTestFailure {
  readonly rule: RuleReference;
  readonly test: string;
  /** The example's place in its rule set's `tests`. */
  readonly index: number;
  readonly expected: RuleTest['expect'];
  readonly actual: RuleTest['expect'];
}

const outcomeOf = (rule: RuleSet, test: RuleTest): RuleTest['expect'] => {
  const verdict = evaluateRule(rule, test.results, new Date(test.checkedAt));
  return verdict.verdict === 'VALID'
    ? { verdict: 'VALID', validUntil: verdict.validUntil.toISOString() }
    : { verdict: 'NOT_VALID' };
};

const sameOutcome = (a: RuleTest['expect'], b: RuleTest['expect']): boolean =>
  a.verdict === b.verdict &&
  (a.verdict === 'NOT_VALID' || Date.parse(a.validUntil ?? '') === Date.parse(b.validUntil ?? ''));

/** The rule set's own worked examples that it does not answer as stated. */
export const failingTests = (rule: RuleSet): RuleTestFailure[] =>
  rule.tests.flatMap((test, index) => {
    const actual = outcomeOf(rule, test);
    return sameOutcome(actual, test.expect)
      ? []
      : [{ rule: referenceOf(rule), test: test.name, index, expected: test.expect, actual }];
  });

const hoursFor = (rule: RuleSet, testType: TestType): number | undefined =>
  rule.accept.find((entry) => entry.testType === testType)?.hours;

const sameLabs = (a: RuleSet, b: RuleSet): boolean =>
  (a.labIds ?? []).join(',') === (b.labIds ?? []).join(',');

/**
 * Whether an earlier version's example still says something about `candidate`: every test type in it is
 * accepted for the same hours by both (or by neither), and both count the same labs. Then the candidate
 * must answer it as the earlier version did; an example about what the new version changes does not apply.
 */
const stillApplies = (earlier: RuleSet, candidate: RuleSet, test: RuleTest): boolean =>
  sameLabs(earlier, candidate) &&
  test.results.every((r) => hoursFor(earlier, r.testType) === hoursFor(candidate, r.testType));

/** Earlier versions' examples (same id) that still apply and that `candidate` answers differently. */
export const brokenEarlierTests = (candidate: RuleSet, published: readonly RuleSet[]): RuleTestFailure[] =>
  published
    .filter((rule) => rule.id === candidate.id && rule.version < candidate.version)
    .flatMap((rule) =>
      rule.tests.flatMap((test, index) => {
        if (!stillApplies(rule, candidate, test)) return [];
        const actual = outcomeOf(candidate, test);
        return sameOutcome(actual, test.expect)
          ? []
          : [{ rule: referenceOf(rule), test: test.name, index, expected: test.expect, actual }];
      }),
    );

/**
 * The rule a device applies at an instant, in this order: its jurisdiction's rule for the mode; else the
 * country's (`VN`) rule for that mode; else the country's `ENTRY` rule (the default rule set). So a
 * province with no rule of its own checks what the whole country checks.
 */
export const ruleFor = (
  rules: readonly RuleSet[],
  jurisdiction: string,
  mode: string,
  at: Date,
): RuleSet | undefined =>
  ruleInForce(rules, jurisdiction, mode, at) ??
  ruleInForce(rules, NATIONAL, mode, at) ??
  ruleInForce(rules, NATIONAL, DEFAULT_MODE, at);

/**
 * Whether a checkpoint of `jurisdiction` may ask for `mode`: a version in force or scheduled (the live
 * versions verify reads) of a rule of that jurisdiction or of the country names it, or it is the default
 * mode. A mode nobody wrote a rule for is a typing mistake, refused rather than silently judged by
 * another rule.
 */
export const isModeKnown = (rules: readonly RuleSet[], jurisdiction: string, mode: string): boolean =>
  mode === DEFAULT_MODE ||
  rules.some(
    (rule) => rule.mode === mode && (rule.jurisdiction === jurisdiction || rule.jurisdiction === NATIONAL),
  );

/** Validity windows in whole hours per test type, as deployments configured them before rule sets. */
export interface WindowHours {
  readonly RT_PCR: number;
  readonly RAPID_ANTIGEN: number;
}

const at = (base: string, plusHours: number): string =>
  new Date(Date.parse(base) + hours(plusHours)).toISOString();

/**
 * The default rule set: the deployment's windows as a rule (`DEFAULT`, version 1, `VN`/`ENTRY`, in force
 * since 1970), so an install that had only windows answers exactly as before. Its worked examples are
 * computed from the windows it was made from.
 */
export const defaultRuleSet = (windows: WindowHours): RuleSet => {
  const sampled = '2021-07-01T01:00:00.000Z';
  return {
    id: DEFAULT_RULE_ID,
    version: 1,
    jurisdiction: NATIONAL,
    mode: DEFAULT_MODE,
    validFrom: '1970-01-01T00:00:00Z',
    legalBasis: 'Cấu hình triển khai / deployment configuration',
    description: {
      vi: `Kết quả âm tính còn giá trị: RT-PCR trong ${windows.RT_PCR} giờ, test nhanh kháng nguyên trong ${windows.RAPID_ANTIGEN} giờ kể từ khi lấy mẫu; kết quả dương tính sau đó làm mất giá trị.`,
      en: `A negative result is valid: RT-PCR for ${windows.RT_PCR} hours, rapid antigen for ${windows.RAPID_ANTIGEN} hours from sampling; a later positive voids it.`,
    },
    accept: [
      { testType: 'RT_PCR', hours: windows.RT_PCR },
      { testType: 'RAPID_ANTIGEN', hours: windows.RAPID_ANTIGEN },
    ],
    tests: [
      {
        name: 'an RT-PCR negative is valid until its window ends',
        checkedAt: at(sampled, windows.RT_PCR - 1),
        results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: sampled }],
        expect: { verdict: 'VALID', validUntil: at(sampled, windows.RT_PCR) },
      },
      {
        name: 'an RT-PCR negative is no longer valid when its window ends',
        checkedAt: at(sampled, windows.RT_PCR),
        results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: sampled }],
        expect: { verdict: 'NOT_VALID' },
      },
      {
        name: 'a rapid antigen negative is valid until its window ends',
        checkedAt: at(sampled, windows.RAPID_ANTIGEN - 1),
        results: [{ testType: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: sampled }],
        expect: { verdict: 'VALID', validUntil: at(sampled, windows.RAPID_ANTIGEN) },
      },
      {
        name: 'a later positive voids a negative',
        checkedAt: at(sampled, 1),
        results: [
          { testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: sampled },
          { testType: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: at(sampled, 0.5) },
        ],
        expect: { verdict: 'NOT_VALID' },
      },
    ],
  };
};
