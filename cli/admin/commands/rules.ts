import * as z from 'zod';
import { formerCodeAdvice } from '../../../contract/provinces.js';
import { isJurisdiction, type RuleSet, readRuleSet, ruleInForce } from '../../../contract/rules.js';
import {
  RuleSetChangedMeanwhileError,
  RuleSetVersionExistsError,
} from '../../../functions/adapters/rule-sets-table.js';
import {
  checkRuleSet,
  type PublishedVersion,
  planPublish,
  RuleRefusedError,
  refusalOf,
  requireKnownLabs,
} from '../../../functions/domain/rule-publishing.js';
import { type ViEnText, viEn } from '../bilingual.js';
import { orDash, table } from '../output.js';
import { readRuleFile } from '../rule-file.js';
import { clockOffProblem } from '../service-clock.js';
import type { Target } from '../target.js';
import { type Command, define } from './define.js';

/**
 * `rules check|publish|list|show`: checkpoint rules as data (contract/rules.ts), published as immutable
 * versions in the registry table.
 */

const fileOption = z
  .string({ error: viEn('thiếu --file <rule set JSON>', '--file <rule set JSON> is required') })
  .trim()
  .min(1, viEn('--file không được để trống', '--file must not be empty'));

const FILE_HELP: ViEnText = { vi: 'bộ quy tắc, dạng JSON', en: 'the rule set, as JSON' };

/** The registered labs' ids, read only for a rule that lists labs. */
const registeredLabs = async (target: Target, rule: RuleSet): Promise<ReadonlySet<string>> =>
  rule.labIds === undefined ? new Set() : new Set((await target.registry.list('lab')).map((lab) => lab.id));

type Status = 'IN_FORCE' | 'SCHEDULED' | 'SUPERSEDED' | 'ENDED';

/**
 * A version a higher one of its id overtakes before it starts: that one has started by then and outranks
 * it (`ruleInForce` takes an id's highest started version), so it never applies.
 */
const overtaken = (rule: RuleSet, all: readonly RuleSet[]): boolean =>
  all.some(
    (other) =>
      other.id === rule.id &&
      other.version > rule.version &&
      Date.parse(other.validFrom) <= Date.parse(rule.validFrom),
  );

/**
 * The scheduled versions of `rule`'s id that it alone overtakes (no other higher version did already):
 * publishing it means they will never apply.
 */
const cancelledBy = (rule: RuleSet, published: readonly PublishedVersion[], now: Date) => {
  const others = published
    .map((p) => p.ruleSet)
    .filter((r) => r.id === rule.id && r.version !== rule.version);
  return others
    .filter((r) => r.version < rule.version && Date.parse(r.validFrom) > now.getTime())
    .filter((r) => overtaken(r, [rule]) && !overtaken(r, others))
    .map((r) => ({ version: r.version, validFrom: r.validFrom }));
};

const cancelNotes = (id: string, cancels: readonly { version: number; validFrom: string }[]): string =>
  cancels
    .map(
      (c) =>
        `CHÚ Ý / NOTE: ${id} v${c.version} (đã lên lịch từ / scheduled from ${c.validFrom}) sẽ không bao giờ áp dụng / will now never apply.\n`,
    )
    .join('');

/**
 * Whether a version not started yet will ever decide: `ruleInForce` picks it at its start or at a later
 * instant when another rule of its jurisdiction and mode starts or ends (the only instants the pick can
 * change), before its own end.
 */
const willApply = (rule: RuleSet, all: readonly RuleSet[]): boolean => {
  const from = Date.parse(rule.validFrom);
  const to = rule.validTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(rule.validTo);
  const instants = all
    .filter((other) => other.jurisdiction === rule.jurisdiction && other.mode === rule.mode)
    .flatMap((other) => [other.validFrom, ...(other.validTo === undefined ? [] : [other.validTo])])
    .map(Date.parse)
    .filter((at) => at > from && at < to);
  return [from, ...instants].some((at) => {
    const picked = ruleInForce(all, rule.jurisdiction, rule.mode, new Date(at));
    return picked?.id === rule.id && picked.version === rule.version;
  });
};

/** Where a version stands now among the published rules of its jurisdiction and mode. */
const statusOf = (rule: RuleSet, all: readonly RuleSet[], now: Date): Status => {
  if (Date.parse(rule.validFrom) > now.getTime()) return willApply(rule, all) ? 'SCHEDULED' : 'SUPERSEDED';
  if (rule.validTo !== undefined && Date.parse(rule.validTo) <= now.getTime()) return 'ENDED';
  const inForce = ruleInForce(all, rule.jurisdiction, rule.mode, now);
  return inForce?.id === rule.id && inForce.version === rule.version ? 'IN_FORCE' : 'SUPERSEDED';
};

const versionView = (published: PublishedVersion, all: readonly RuleSet[], now: Date) => ({
  id: published.ruleSet.id,
  version: published.ruleSet.version,
  jurisdiction: published.ruleSet.jurisdiction,
  mode: published.ruleSet.mode,
  validFrom: published.ruleSet.validFrom,
  validTo: published.ruleSet.validTo ?? null,
  legalBasis: published.ruleSet.legalBasis,
  status: statusOf(published.ruleSet, all, now),
  publishedAt: published.publishedAt,
  publishedBy: published.publishedBy,
  urgentReason: published.urgentReason ?? null,
});

const byScope = (a: PublishedVersion, b: PublishedVersion): number =>
  a.ruleSet.jurisdiction.localeCompare(b.ruleSet.jurisdiction) ||
  a.ruleSet.mode.localeCompare(b.ruleSet.mode) ||
  a.ruleSet.id.localeCompare(b.ruleSet.id) ||
  a.ruleSet.version - b.ruleSet.version;

const checkedText = (rule: RuleSet): string =>
  `${rule.id} v${rule.version} (${rule.jurisdiction}/${rule.mode}, từ / from ${rule.validFrom}): ` +
  `${rule.tests.length} ví dụ đúng / examples hold; không phá ví dụ nào của phiên bản trước / breaks no ` +
  'earlier example; bộ đánh giá vẫn đúng với mọi phiên bản đã công bố / the evaluator still honours every ' +
  'published version.\n';

export const rulesCommands: readonly Command[] = [
  define({
    noun: 'rules',
    verb: 'check',
    summary: {
      vi: 'kiểm tra một tệp bộ quy tắc: cấu trúc, các ví dụ của chính nó và ví dụ của các phiên bản trước',
      en: 'check a rule set file: its shape, its own examples, and earlier versions’ examples',
    },
    synopsis: '--file <rule.json>',
    description: {
      vi:
        'Kiểm tra một tệp bộ quy tắc mà không công bố: cấu trúc của nó (contract/rules.ts); nó cho đúng kết quả\n' +
        'đã ghi ở từng ví dụ của chính nó; nó cho cùng kết quả như trước ở mọi ví dụ còn áp dụng của các phiên\n' +
        'bản đã công bố trước đó cùng id (cùng số giờ cho các loại xét nghiệm trong đó, cùng phòng xét nghiệm);\n' +
        'và bộ đánh giá vẫn cho đúng các ví dụ của mọi phiên bản đã công bố. Tệp mẫu: docs/rules/quang-ninh-2021/.',
      en:
        'Checks a rule set file without publishing it: its shape (contract/rules.ts), that it answers each of\n' +
        'its own worked examples as stated, that it answers every example of the earlier published versions of\n' +
        'its id that still applies (same hours for the test types in it, same labs) as they did, and that the\n' +
        'evaluator still answers every published version’s own examples. Example files: docs/rules/quang-ninh-2021/.',
    },
    options: [{ option: 'file', usage: '--file <rule.json>', help: FILE_HELP }],
    examples: [
      'npm run admin -- rules check --file docs/rules/quang-ninh-2021/qn-entry-v1.json',
      'npm run admin -- rules check --file qn-entry-v5.json --stack ResultGate-prod --json',
    ],
    schema: z.object({ file: fileOption }),
    run: async ({ file }, target) => {
      const value = await readRuleFile(file);
      const check = checkRuleSet(value, await target.ruleSets.list());
      const refused = refusalOf(check);
      const rule = readRuleSet(value);
      if (refused || rule === undefined) throw refused;
      requireKnownLabs(rule, await registeredLabs(target, rule));
      return {
        json: { ok: true, id: rule.id, version: rule.version, examples: rule.tests.length },
        text: checkedText(rule),
      };
    },
  }),
  define({
    noun: 'rules',
    verb: 'publish',
    summary: {
      vi: 'công bố một phiên bản mới của bộ quy tắc (sau mọi bước kiểm tra của `rules check`)',
      en: 'publish a new version of a rule set (after every check of `rules check`)',
    },
    synopsis: '--file <rule.json> [--urgent "<reason>"]',
    description: {
      vi:
        'Công bố một phiên bản bộ quy tắc, một lần và vĩnh viễn: phiên bản đã công bố không bao giờ bị sửa (hãy\n' +
        'công bố một phiên bản cao hơn). Lệnh từ chối: mọi tệp mà `rules check` từ chối; phiên bản không cao hơn\n' +
        'phiên bản gần nhất cùng id; địa bàn hoặc loại chốt khác với các phiên bản trước (hãy dùng id mới);\n' +
        'validFrom cách thời điểm hiện tại chưa đủ thời gian báo trước của stage (ruleLeadTimeHours: 24 giờ ở\n' +
        'prod, 1 giờ ở dev và trên máy cục bộ), trừ khi --urgent nêu lý do; đồng hồ máy này lệch quá 2 phút so\n' +
        'với dịch vụ (mọi mốc thời gian ở đây tính theo nó). Người công bố, thời điểm và lý do\n' +
        'khẩn được ghi cùng phiên bản. Mọi hàm verify có phiên bản này trong vòng 60 giây và áp dụng đúng từ\n' +
        'thời điểm validFrom. Công bố lại cùng một tệp không thay đổi gì và an toàn (ví dụ sau một lỗi mạng):\n' +
        'lệnh hoàn tất phần dữ liệu mà verify đọc.',
      en:
        'Publishes a rule set version, once and for good: a published version is never changed (publish a\n' +
        'higher version instead). Refused: anything `rules check` refuses; a version not above the last of its\n' +
        'id; a jurisdiction or mode other than the earlier versions’ (use a new id); a validFrom less than the\n' +
        'stage’s lead time ahead (ruleLeadTimeHours: 24 h in prod, 1 h in dev and locally) unless --urgent\n' +
        'gives a reason; this computer’s clock more than 2 min off the service’s (every time here goes by\n' +
        'it). Who published, when, and the urgent reason are recorded with the version. Every\n' +
        'verify function applies it within 60 s, and exactly from its validFrom. Publishing the same file again\n' +
        'changes nothing and is safe (after a network error, say): it completes what verify reads.',
    },
    options: [
      { option: 'file', usage: '--file <rule.json>', help: FILE_HELP },
      {
        option: 'urgent',
        usage: '--urgent "<reason>"',
        help: {
          vi: 'công bố khi còn ít hơn thời gian báo trước, vì lý do này (được ghi lại)',
          en: 'publish with less than the lead time, for this (recorded) reason',
        },
      },
    ],
    examples: [
      'npm run admin -- rules publish --file qn-entry-v2.json',
      'npm run admin -- rules publish --file qn-entry-v2.json --urgent "Công văn 5630/UBND-XD6 hiệu lực từ 18h 20/8"',
    ],
    schema: z.object({ file: fileOption, urgent: z.string().optional() }),
    run: async ({ file, urgent }, target) => {
      const value = await readRuleFile(file);
      const [published, publishedBy] = await Promise.all([target.ruleSets.list(), target.whoAmI()]);
      // Every decision below goes by this instant; a computer whose own clock is more than 2 min off the
      // table's is refused (the message shows both clocks, so it is given the computer's own).
      const now = target.serviceClock.now();
      const clockOff = clockOffProblem(target.serviceClock.offsetMs(), new Date());
      if (clockOff !== undefined) throw new RuleRefusedError('RULE_CLOCK_OFF', clockOff);
      const again = published.find((p) => JSON.stringify(p.ruleSet) === JSON.stringify(value));
      if (again) {
        // The same file published again, say after a network error cut the first run off between the
        // version and its live copy: nothing new to write, but the copy verify reads is made sure of.
        await target.ruleSets.syncLive(now);
        const view = versionView(
          again,
          published.map((p) => p.ruleSet),
          now,
        );
        const cancels = cancelledBy(again.ruleSet, published, now);
        return {
          json: { ...view, cancels, alreadyPublished: true },
          text:
            `Đã công bố từ trước, y hệt tệp này / Already published, exactly as this file: ${view.id} v${view.version} ` +
            `(${view.publishedAt} ${view.publishedBy}). Bản verify đọc đã được kiểm tra / the copy verify reads is checked.\n` +
            cancelNotes(view.id, cancels),
        };
      }
      const version = planPublish({
        value,
        published,
        now,
        leadTimeHours: target.ruleLeadTimeHours,
        urgentReason: urgent,
        publishedBy,
      });
      requireKnownLabs(version.ruleSet, await registeredLabs(target, version.ruleSet));
      const { id, version: number } = version.ruleSet;
      // Written only if the last version of the id is still the one checked against here.
      const after = Math.max(
        0,
        ...published.filter((p) => p.ruleSet.id === id).map((p) => p.ruleSet.version),
      );
      try {
        await target.ruleSets.publish(version, { after });
      } catch (error) {
        if (error instanceof RuleSetChangedMeanwhileError)
          throw new RuleRefusedError('RULE_CHANGED_MEANWHILE', error.message);
        if (!(error instanceof RuleSetVersionExistsError)) throw error;
        throw new RuleRefusedError(
          'RULE_VERSION_NOT_ABOVE',
          `${id} phiên bản ${number} vừa được công bố bởi người khác / ${id} version ${number} was just published by someone else.`,
        );
      }
      const all = [...published.map((p) => p.ruleSet), version.ruleSet];
      const view = versionView(version, all, now);
      // Said, not refused: an urgent version replacing a scheduled one is how a province brings a change forward.
      const cancelled = cancelledBy(version.ruleSet, published, now);
      const until = view.validTo === null ? '' : ` đến / until ${view.validTo}`;
      return {
        json: { ...view, cancels: cancelled },
        text:
          `Đã công bố / Published ${id} v${number} (${view.jurisdiction}/${view.mode}), ${view.status}, ` +
          `hiệu lực từ / in force from ${view.validFrom}${until}${view.urgentReason ? ` — KHẨN / URGENT: ${view.urgentReason}` : ''}.\n` +
          (view.status === 'SUPERSEDED'
            ? `CHÚ Ý / NOTE: một bộ quy tắc khác của ${view.jurisdiction}/${view.mode} được ưu tiên hơn lúc này (rules list) / another rule set of ${view.jurisdiction}/${view.mode} takes precedence now (rules list).\n`
            : '') +
          cancelNotes(id, cancelled) +
          'Mọi hàm verify áp dụng trong vòng 60 giây / every verify function has it within 60 s.\n',
      };
    },
  }),
  define({
    noun: 'rules',
    verb: 'list',
    summary: {
      vi: 'liệt kê mọi phiên bản bộ quy tắc đã công bố: đang có hiệu lực, đã lên lịch hoặc đã bị thay thế',
      en: 'list every published rule set version, in force, scheduled or superseded',
    },
    synopsis: '[--jurisdiction <code>]',
    description: {
      vi:
        'Liệt kê mọi phiên bản đã công bố theo địa bàn, loại chốt, id và phiên bản, kèm trạng thái hiện tại\n' +
        '(IN_FORCE, SCHEDULED, SUPERSEDED, ENDED), người công bố, thời điểm công bố, và lý do nếu công bố khẩn.',
      en:
        'Lists every published version by jurisdiction, mode, id and version, with its status now (IN_FORCE,\n' +
        'SCHEDULED, SUPERSEDED, ENDED), who published it and when, and the reason of an urgent publication.',
    },
    options: [
      {
        option: 'jurisdiction',
        usage: '--jurisdiction <code>',
        help: {
          vi: 'chỉ địa bàn này, ví dụ VN-13 (Quảng Ninh) hoặc VN',
          en: 'only this jurisdiction, e.g. VN-13 (Quảng Ninh) or VN',
        },
      },
    ],
    examples: ['npm run admin -- rules list', 'npm run admin -- rules list --jurisdiction VN-13 --json'],
    schema: z.object({
      // A name or a typo would list nothing, which reads as "no rules there": refused instead.
      jurisdiction: z
        .string()
        .trim()
        .toUpperCase()
        .refine(
          isJurisdiction,
          viEn(
            '--jurisdiction nhận một mã ISO 3166-2, ví dụ VN-13 (Quảng Ninh), hoặc VN',
            '--jurisdiction takes an ISO 3166-2 code, e.g. VN-13 (Quảng Ninh), or VN',
          ),
        )
        .optional(),
    }),
    run: async ({ jurisdiction }, target) => {
      const published = await target.ruleSets.list();
      const all = published.map((p) => p.ruleSet);
      const now = target.serviceClock.now();
      const rules = published
        .filter((p) => jurisdiction === undefined || p.ruleSet.jurisdiction === jurisdiction)
        .sort(byScope)
        .map((p) => versionView(p, all, now));
      // A former province's code (VN-61) is listed as asked: a device registered with it before the
      // check, and rule sets published for it, still exist. The text says which code new data uses.
      const advice = jurisdiction === undefined ? undefined : formerCodeAdvice(jurisdiction);
      const note =
        advice === undefined
          ? ''
          : `CHÚ Ý / NOTE: ${jurisdiction} ${advice.vi}. / ${jurisdiction} ${advice.en}.\n`;
      return {
        json: { rules },
        text: `${table(
          rules.map((r) => ({
            id: r.id,
            version: String(r.version),
            scope: `${r.jurisdiction}/${r.mode}`,
            'valid from': r.validFrom,
            'valid to': orDash(r.validTo),
            status: r.status,
            'legal basis': r.legalBasis,
            published: `${r.publishedAt} ${r.publishedBy}${r.urgentReason ? ' (URGENT)' : ''}`,
          })),
          ['id', 'version', 'scope', 'valid from', 'valid to', 'status', 'legal basis', 'published'],
        )}${note}`,
      };
    },
  }),
  define({
    noun: 'rules',
    verb: 'show',
    summary: {
      vi: 'hiện một phiên bản bộ quy tắc đúng như đã công bố (phiên bản mới nhất, trừ khi có --version)',
      en: 'show one rule set version as published (the latest unless --version)',
    },
    synopsis: '<id> [--version <n>]',
    description: {
      vi:
        'Hiện đầy đủ một phiên bản đã công bố: bộ quy tắc đúng như khi công bố, kèm trạng thái hiện tại, người\n' +
        'công bố, thời điểm công bố, và lý do khẩn nếu có.',
      en:
        'Shows a published version in full: the rule set exactly as published, with its status now, who\n' +
        'published it, when, and the urgent reason if any.',
    },
    options: [
      {
        option: 'version',
        usage: '--version <n>',
        help: { vi: 'phiên bản này (mặc định: mới nhất)', en: 'this version (default: the latest)' },
      },
    ],
    examples: [
      'npm run admin -- rules show QN-ENTRY',
      'npm run admin -- rules show DEFAULT --version 1 --json',
    ],
    schema: z.object({
      id: z
        .string({
          error: viEn(
            'thiếu id của bộ quy tắc (xem `rules list`)',
            'the rule set id is required (see `rules list`)',
          ),
        })
        .trim()
        .min(1, viEn('id của bộ quy tắc không được để trống', 'the rule set id must not be empty'))
        // Ids are upper case (contract/rules.ts), as --jurisdiction is read: `rules show qn-entry` finds it.
        .toUpperCase(),
      version: z
        .string()
        .regex(
          /^[1-9]\d{0,15}$/,
          viEn('--version nhận một số nguyên dương', '--version takes a positive whole number'),
        )
        .transform(Number)
        .refine(
          Number.isSafeInteger,
          viEn('--version nhận một số nguyên dương', '--version takes a positive whole number'),
        )
        .optional(),
    }),
    run: async ({ id, version }, target) => {
      const published = await target.ruleSets.list();
      const versions = published.filter((p) => p.ruleSet.id === id);
      const found =
        version === undefined
          ? versions.sort((a, b) => b.ruleSet.version - a.ruleSet.version)[0]
          : versions.find((p) => p.ruleSet.version === version);
      if (found === undefined)
        throw new RuleRefusedError(
          'RULE_NOT_FOUND',
          viEn(
            `Không có bộ quy tắc ${id}${version === undefined ? '' : ` phiên bản ${version}`} (xem rules list).`,
            `No rule set ${id}${version === undefined ? '' : ` version ${version}`} (see rules list).`,
          ),
        );
      const view = versionView(
        found,
        published.map((p) => p.ruleSet),
        target.serviceClock.now(),
      );
      return {
        json: { ...view, ruleSet: found.ruleSet },
        text:
          `${view.id} v${view.version} ${view.status} (${view.jurisdiction}/${view.mode})\n` +
          `${viEn(`công bố lúc ${view.publishedAt} bởi ${view.publishedBy}`, `published ${view.publishedAt} by ${view.publishedBy}`)}` +
          // The reason is the publisher's own words: once, after both halves.
          `${view.urgentReason ? `, ${viEn('KHẨN', 'URGENT')}: ${view.urgentReason}` : ''}\n` +
          `${JSON.stringify(found.ruleSet, null, 2)}\n`,
      };
    },
  }),
];
