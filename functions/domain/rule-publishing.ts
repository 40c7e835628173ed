import { hasControlCharacters, hasHiddenCharacters } from '../../contract/identity.js';
import {
  brokenEarlierTests,
  DEFAULT_RULE_ID,
  defaultRuleSet,
  failingTests,
  liveVersions,
  type RuleProblem,
  type RuleSet,
  type RuleTestFailure,
  readRuleSet,
  type WindowHours,
} from '../../contract/rules.js';
import { MAX_RULES_DOCUMENT_LENGTH } from '../../contract/rules-document.js';
import { publicationProblems } from '../../contract/rules-publication.js';
import { hours } from '../../contract/verdict.js';
import { problemInVietnamese } from './rule-problems-vi.js';

/**
 * Publishing a rule set safely (`rules check` and `rules publish`): pure, with the published versions,
 * the instant and the stage's lead time passed in. Every refusal is one line, Vietnamese then English.
 */

/** A published version, as the rule sets table keeps it (functions/adapters/rule-sets-table.ts). */
export interface PublishedVersion {
  readonly ruleSet: RuleSet;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly urgentReason?: string;
}

export type RuleRefusal =
  | 'RULE_INVALID'
  | 'RULE_TEST_FAILED'
  | 'RULE_EARLIER_TEST_BROKEN'
  | 'RULE_PUBLISHED_TEST_FAILED'
  | 'RULE_VERSION_NOT_ABOVE'
  | 'RULE_CHANGED_MEANWHILE'
  | 'RULE_DOCUMENT_TOO_LARGE'
  | 'RULE_VERSION_TOO_LARGE'
  | 'RULE_SCOPE_CHANGED'
  | 'RULE_LEAD_TIME'
  | 'RULE_ALREADY_ENDED'
  | 'RULE_UNKNOWN_LAB'
  | 'RULE_CLOCK_OFF'
  | 'RULE_URGENT_REASON_EMPTY'
  | 'RULE_URGENT_REASON_INVALID'
  | 'RULE_URGENT_NOT_NEEDED'
  | 'RULE_NOT_FOUND';

/** A rule set refused by `rules check` or `rules publish`; the admin CLI shows its code and message. */
export class RuleRefusedError extends Error {
  override readonly name = 'RuleRefusedError';
  constructor(
    readonly code: RuleRefusal,
    message: string,
    readonly details: readonly unknown[] = [],
  ) {
    super(message);
  }
}

export interface RuleCheck {
  /** Shape problems; when any, the rest is empty. */
  readonly problems: readonly RuleProblem[];
  /** The rule set's text as stored (UTF-8 bytes of its JSON); 0 when it has shape problems. */
  readonly bytes: number;
  /** The file's own worked examples it does not answer as stated. */
  readonly failing: readonly RuleTestFailure[];
  /** Earlier versions' examples that still apply and that the file answers differently. */
  readonly brokenEarlier: readonly RuleTestFailure[];
  /** Published versions whose own examples the evaluator no longer answers as stated (a code change). */
  readonly publishedFailing: readonly RuleTestFailure[];
}

/** An instant in Vietnam time (UTC+07:00 all year), as rule files write them: the two sides compare at a glance. */
const inVietnamTime = (instant: string | undefined): string => {
  const at = Date.parse(instant ?? '');
  if (!Number.isFinite(at)) return String(instant);
  return new Date(at + 7 * 3_600_000).toISOString().replace('.000Z', 'Z').replace('Z', '+07:00');
};

const outcomeText = (outcome: RuleTestFailure['expected']) =>
  outcome.verdict === 'VALID' ? `VALID until ${inVietnamTime(outcome.validUntil)}` : outcome.verdict;

/** Which example, where (`tests[i]`), what it states → what the rule answers. */
const describeFailure = (f: RuleTestFailure) =>
  `${f.rule.id} v${f.rule.version} tests[${f.index}] "${f.test}": ${outcomeText(f.expected)} → ${outcomeText(f.actual)}`;

/** Everything `rules check` looks at. */
export const checkRuleSet = (value: unknown, published: readonly PublishedVersion[]): RuleCheck => {
  const rules = published.map((p) => p.ruleSet);
  const publishedFailing = rules.flatMap(failingTests);
  // Stricter than reading back (publicationProblems): what is published now must hold today's checks.
  const problems = publicationProblems(value);
  const candidate = problems.length === 0 ? readRuleSet(value) : undefined;
  if (candidate === undefined)
    return { problems, bytes: 0, failing: [], brokenEarlier: [], publishedFailing };
  return {
    problems,
    bytes: Buffer.byteLength(JSON.stringify(candidate)),
    failing: failingTests(candidate),
    brokenEarlier: brokenEarlierTests(candidate, rules),
    publishedFailing,
  };
};

/** The first reason a check refuses, as a RuleRefusedError; undefined when the check passes. */
export const refusalOf = (check: RuleCheck): RuleRefusedError | undefined => {
  if (check.problems.length > 0) {
    const vi = check.problems.map((p) => `${p.path} ${problemInVietnamese(p)}`).join('; ');
    const en = check.problems.map((p) => `${p.path} ${p.message}`).join('; ');
    return new RuleRefusedError(
      'RULE_INVALID',
      `Tệp không phải là một bộ quy tắc hợp lệ: ${vi}. / The file is not a valid rule set: ${en}.`,
      check.problems,
    );
  }
  if (check.bytes > MAX_RULE_SET_BYTES)
    return new RuleRefusedError(
      'RULE_VERSION_TOO_LARGE',
      `Bộ quy tắc dài ${Math.ceil(check.bytes / 1024)} KB khi lưu, quá ${MAX_RULE_SET_BYTES / 1024} KB cho một phiên bản: hãy bớt các ví dụ (tests) / The rule set is ${Math.ceil(check.bytes / 1024)} KB as stored, over ${MAX_RULE_SET_BYTES / 1024} KB for one version: use fewer worked examples (tests).`,
    );
  if (check.failing.length > 0)
    return new RuleRefusedError(
      'RULE_TEST_FAILED',
      `${check.failing.length} ví dụ của chính tệp cho kết quả khác / ${check.failing.length} of the file's own examples answer otherwise: ${check.failing.map(describeFailure).join('; ')}.`,
      check.failing,
    );
  if (check.brokenEarlier.length > 0)
    return new RuleRefusedError(
      'RULE_EARLIER_TEST_BROKEN',
      `${check.brokenEarlier.length} ví dụ của phiên bản trước vẫn áp dụng nhưng cho kết quả khác / ${check.brokenEarlier.length} earlier versions' examples that still apply answer otherwise: ${check.brokenEarlier.map(describeFailure).join('; ')}.`,
      check.brokenEarlier,
    );
  if (check.publishedFailing.length > 0)
    return new RuleRefusedError(
      'RULE_PUBLISHED_TEST_FAILED',
      `Bộ đánh giá không còn cho đúng ${check.publishedFailing.length} ví dụ của các phiên bản đã công bố / The evaluator no longer answers ${check.publishedFailing.length} examples of published versions as stated: ${check.publishedFailing.map(describeFailure).join('; ')}.`,
      check.publishedFailing,
    );
  return undefined;
};

export interface PublishRequest {
  /** The file's content, parsed as JSON. */
  readonly value: unknown;
  readonly published: readonly PublishedVersion[];
  readonly now: Date;
  /** The stage's `ruleLeadTimeHours`: how far ahead of `now` a `validFrom` must be. */
  readonly leadTimeHours: number;
  /** `--urgent "<reason>"`: publish with less lead time, for this reason (recorded). */
  readonly urgentReason: string | undefined;
  /** Who publishes: the OS user locally, the caller's AWS identity against a stack. */
  readonly publishedBy: string;
}

/**
 * The version to write, or a RuleRefusedError for the first reason it may not be published: a shape
 * problem or a failing example (as `rules check`), a version not above the last of its id, a
 * jurisdiction or mode other than the earlier versions', or a `validFrom` less than the lead time ahead
 * without an urgent reason. The table's conditional put keeps versions immutable against a race.
 */
export const planPublish = (request: PublishRequest): PublishedVersion => {
  const { value, published, now, leadTimeHours, urgentReason, publishedBy } = request;
  const check = checkRuleSet(value, published);
  const refused = refusalOf(check);
  if (refused) throw refused;
  const rule = readRuleSet(value);
  if (rule === undefined) throw new RuleRefusedError('RULE_INVALID', 'unreachable: the check passed');
  const earlier = published.map((p) => p.ruleSet).filter((r) => r.id === rule.id);
  const last = Math.max(0, ...earlier.map((r) => r.version));
  if (rule.version <= last)
    throw new RuleRefusedError(
      'RULE_VERSION_NOT_ABOVE',
      `Phiên bản ${rule.version} của ${rule.id} không lớn hơn phiên bản đã công bố gần nhất (${last}); phiên bản đã công bố không sửa được / Version ${rule.version} of ${rule.id} is not above the last published (${last}); published versions cannot change.`,
    );
  const first = earlier.find((r) => r.jurisdiction !== rule.jurisdiction || r.mode !== rule.mode);
  if (first)
    throw new RuleRefusedError(
      'RULE_SCOPE_CHANGED',
      `${rule.id} đã công bố cho ${first.jurisdiction}/${first.mode}, không đổi sang ${rule.jurisdiction}/${rule.mode} được; hãy dùng một id mới / ${rule.id} is published for ${first.jurisdiction}/${first.mode} and cannot move to ${rule.jurisdiction}/${rule.mode}; use a new id.`,
    );
  const reason = urgentReason?.trim();
  if (reason !== undefined && (hasHiddenCharacters(reason) || hasControlCharacters(reason)))
    throw new RuleRefusedError(
      'RULE_URGENT_REASON_INVALID',
      '--urgent cần một lý do trên một dòng, không có ký tự điều khiển hay ký tự định dạng vô hình / --urgent needs a reason on one line, without control or invisible formatting characters.',
    );
  if (reason !== undefined && reason.length > MAX_URGENT_REASON_LENGTH)
    throw new RuleRefusedError(
      'RULE_URGENT_REASON_INVALID',
      `--urgent cần một lý do tối đa ${MAX_URGENT_REASON_LENGTH} ký tự (lý do này dài ${reason.length}); hãy nêu số và ngày của văn bản / --urgent needs a reason of at most ${MAX_URGENT_REASON_LENGTH} characters (this one has ${reason.length}); name the document's number and date.`,
    );
  if (urgentReason !== undefined && reason === '')
    throw new RuleRefusedError(
      'RULE_URGENT_REASON_EMPTY',
      '--urgent cần một lý do, ví dụ --urgent "Công văn 5630/UBND-XD6 có hiệu lực ngay" / --urgent needs a reason, e.g. --urgent "Doc 5630/UBND-XD6 in force at once".',
    );
  // Ended before it is published, it would decide nothing, yet take every earlier version of its id out
  // of force at once (a copied file whose old dates were left in). To end a rule now, give validTo a few
  // minutes ahead, with --urgent.
  if (rule.validTo !== undefined && Date.parse(rule.validTo) <= now.getTime())
    throw new RuleRefusedError(
      'RULE_ALREADY_ENDED',
      `validTo ${rule.validTo} đã qua: phiên bản này sẽ không quyết định gì mà lại đưa mọi phiên bản trước của ${rule.id} ra khỏi hiệu lực ngay; để chấm dứt một quy tắc, hãy đặt validTo cách hiện tại vài phút và dùng --urgent / validTo ${rule.validTo} is already past: this version would decide nothing, yet take every earlier version of ${rule.id} out of force at once; to end a rule, set validTo a few minutes from now, with --urgent.`,
    );
  const earliest = now.getTime() + hours(leadTimeHours);
  const past = Date.parse(rule.validFrom) <= now.getTime();
  if (Date.parse(rule.validFrom) < earliest && reason === undefined)
    throw new RuleRefusedError(
      'RULE_LEAD_TIME',
      past
        ? `validFrom ${rule.validFrom} đã qua (bây giờ là ${now.toISOString()}), không còn đủ ${leadTimeHours} giờ báo trước: kiểm tra lại các ngày trong tệp; dùng --urgent "<lý do>" chỉ khi quy tắc phải áp dụng ngay / validFrom ${rule.validFrom} is already past (it is ${now.toISOString()}), not ${leadTimeHours} h ahead: check the file's dates; use --urgent "<reason>" only if the rule must apply at once.`
        : `validFrom ${rule.validFrom} sớm hơn ${leadTimeHours} giờ kể từ bây giờ (sớm nhất ${new Date(earliest).toISOString()}); dùng --urgent "<lý do>" nếu thật sự cần / validFrom ${rule.validFrom} is less than ${leadTimeHours} h ahead (earliest ${new Date(earliest).toISOString()}); use --urgent "<reason>" if it truly must.`,
    );
  // An urgent reason is kept with the version for good and flags it in every `rules list`: recorded only
  // when the lead time was really cut short, or the audit would call an ordinary change urgent.
  if (reason !== undefined && Date.parse(rule.validFrom) >= earliest)
    throw new RuleRefusedError(
      'RULE_URGENT_NOT_NEEDED',
      `validFrom ${rule.validFrom} đã đủ ${leadTimeHours} giờ báo trước: hãy công bố không có --urgent (lý do khẩn được lưu cùng phiên bản mãi mãi) / validFrom ${rule.validFrom} is already ${leadTimeHours} h or more ahead: publish without --urgent (an urgent reason is kept with the version for good).`,
    );
  const size = signedDocumentLength(liveVersions([...published.map((p) => p.ruleSet), rule], now));
  if (size > DOCUMENT_BUDGET)
    throw new RuleRefusedError(
      'RULE_DOCUMENT_TOO_LARGE',
      `Với phiên bản này, tài liệu quy định đã ký (GET /v1/rules) sẽ dài khoảng ${size} ký tự, quá ${DOCUMENT_BUDGET} (80% giới hạn mà điện thoại tại chốt chấp nhận): hãy bớt các ví dụ (tests) / With this version the signed rules document (GET /v1/rules) would be about ${size} characters, over ${DOCUMENT_BUDGET} (80% of what checkpoint phones accept): use fewer worked examples (tests).`,
    );
  return {
    ruleSet: rule,
    publishedAt: now.toISOString(),
    publishedBy,
    ...(reason === undefined ? {} : { urgentReason: reason }),
  };
};

/**
 * The most one version's text may weigh as stored (UTF-8 JSON). A DynamoDB item holds 400 KB, and the
 * version's item also holds who published it, when and why; a larger set is refused by `rules check`
 * already, not by the table halfway through a publication.
 */
export const MAX_RULE_SET_BYTES = 300 * 1024;

/** An urgent reason names a document and why; it is kept with the version for good and printed by `rules list`. */
export const MAX_URGENT_REASON_LENGTH = 500;

/**
 * What checkpoint phones accept (MAX_RULES_DOCUMENT_LENGTH) less room for the revoked windows and the
 * versions a day of retirement keeps: a publication that would pass it is refused, since every phone
 * would refuse the document and stop judging offline once the one it holds is too old.
 */
const DOCUMENT_BUDGET = Math.floor(MAX_RULES_DOCUMENT_LENGTH * 0.8);

/** About the length of the compact JWS GET /v1/rules signs for these rule sets (header and signature included). */
const signedDocumentLength = (ruleSets: readonly RuleSet[]): number => {
  const payload = JSON.stringify({ v: 1, iat: 0, exp: 0, ruleSets });
  return Math.ceil((new TextEncoder().encode(payload).length * 4) / 3) + 200;
};

/** The port ensureDefaultRuleSet writes through (functions/adapters/rule-sets-table.ts). */
export interface RuleSetStore {
  list(): Promise<PublishedVersion[]>;
  publish(published: PublishedVersion): Promise<void>;
  /** Brings the live copies (what verify reads) up to date with the versions; idempotent. */
  syncLive(now: Date): Promise<void>;
}

/**
 * Writes the default rule set (contract/rules.ts, defaultRuleSet) from the deployment's windows when no
 * version of `DEFAULT` exists: at the local stack's first start and at every deploy, so an install that
 * had only windows answers as before. Never replaces a DEFAULT already there (an operator may have
 * published later versions). Returns whether it wrote.
 */
export const ensureDefaultRuleSet = async (
  store: RuleSetStore,
  windows: WindowHours,
  by: { readonly now: Date; readonly publishedBy: string },
  isVersionTaken: (error: unknown) => boolean,
): Promise<boolean> => {
  const published = await store.list();
  if (published.some((p) => p.ruleSet.id === DEFAULT_RULE_ID)) {
    // Each start, and each deploy that runs this, also makes the live copies whole: an install from
    // before them gets them here, and a publication cut off between its version and its copy is completed.
    await store.syncLive(by.now);
    return false;
  }
  try {
    await store.publish({
      ruleSet: defaultRuleSet(windows),
      publishedAt: by.now.toISOString(),
      publishedBy: by.publishedBy,
    });
    return true;
  } catch (error) {
    // Another start or deploy wrote it first: the same rule, kept once by the conditional put.
    if (isVersionTaken(error)) return false;
    throw error;
  }
};

/**
 * A rule listing labs counts only their negatives: a lab id mistyped or not yet registered means the lab
 * meant has none of its negatives counted at that province's checkpoints. Refused by `rules check` and `publish`;
 * register the lab first. A suspended lab is still a lab (its results stored before still count).
 */
export const requireKnownLabs = (rule: RuleSet, labIds: ReadonlySet<string>): void => {
  const unknown = (rule.labIds ?? []).filter((id) => !labIds.has(id));
  if (unknown.length === 0) return;
  throw new RuleRefusedError(
    'RULE_UNKNOWN_LAB',
    `labIds nêu phòng xét nghiệm chưa đăng ký: ${unknown.join(', ')}; kết quả âm tính của phòng định nêu sẽ không được tính: kiểm tra id (lab list) hoặc đăng ký phòng trước / labIds names labs not registered: ${unknown.join(', ')}; the intended lab's negatives would not count: check the ids (lab list) or register the labs first.`,
    unknown.map((id) => ({ path: 'labIds', message: `${id} is not a registered lab` })),
  );
};
