import * as z from 'zod';
import { type RevokeOutcome, revokeResults } from '../../../functions/domain/revocations.js';
import { viEn } from '../bilingual.js';
import type { Output } from '../output.js';
import { type Command, define, required } from './define.js';

/**
 * `--from`/`--to`: RFC 3339 with `Z` or an offset, or a date `YYYY-MM-DD` read as 00:00 Vietnam time
 * (UTC+07:00), as the submit CLI reads local times.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const instant = (option: string) =>
  z
    .string()
    .trim()
    .refine((value) => (RFC3339.test(value) || DATE.test(value)) && !Number.isNaN(Date.parse(value)), {
      error: viEn(
        `${option} nhận một thời điểm như 2021-09-10T08:30:00+07:00 hoặc một ngày như 2021-09-10 (00:00 giờ Việt Nam)`,
        `${option} takes a time such as 2021-09-10T08:30:00+07:00 or a date such as 2021-09-10 (00:00 Vietnam time)`,
      ),
    })
    .transform((value) => new Date(DATE.test(value) ? `${value}T00:00:00+07:00` : value));

const printed = ({ revocation, created, found }: RevokeOutcome): Output => {
  const what =
    revocation.scope === 'WINDOW'
      ? `mọi kết quả lấy mẫu từ ${revocation.from} đến trước ${revocation.to} / every result sampled from ${revocation.from} to before ${revocation.to}`
      : `kết quả ${revocation.sampleId} / result ${revocation.sampleId}`;
  const repeat = created
    ? ''
    : `Lần thu hồi này đã được ghi lúc ${revocation.revokedAt} bởi ${revocation.revokedBy}; đã đánh dấu lại. / ` +
      `This revocation was recorded at ${revocation.revokedAt} by ${revocation.revokedBy}; marked again.\n`;
  return {
    json: { revocation, created, revoked: found },
    text:
      `Đã thu hồi ${found} kết quả của ${revocation.labId}: ${what}. / Revoked ${found} result(s) of ${revocation.labId}.\n` +
      repeat +
      'Từ yêu cầu kiểm tra tiếp theo, các kết quả này không còn được tính. / From the next check on, they count for no verdict.\n' +
      (revocation.scope === 'WINDOW'
        ? 'GET /v1/facilities hiển thị REVOKED và GET /v1/rules liệt kê khoảng thời gian này trong vòng 60 giây. / ' +
          'GET /v1/facilities shows the lab REVOKED and GET /v1/rules lists the window within 60 s.\n'
        : ''),
  };
};

/** The `results` commands: the operator's fraud response. */
export const resultsCommands: readonly Command[] = [
  define({
    noun: 'results',
    verb: 'revoke',
    summary: {
      vi: 'thu hồi một kết quả của phòng xét nghiệm, hoặc mọi kết quả lấy mẫu trong một khoảng thời gian, kèm lý do',
      en: 'revoke one result of a lab, or every result it sampled in a time window, with a reason',
    },
    synopsis: '--lab <id> (--from <time> --to <time> | --sample <sampleId>) --reason <text>',
    description: {
      vi:
        'Loại các kết quả khỏi mọi kết luận kiểm tra, khi phát hiện một phòng xét nghiệm cấp kết quả sai sự\n' +
        'thật hoặc một kết quả bị gửi nhầm người. Mỗi kết quả đã lưu được đánh dấu trước khi lệnh trả lời, nên\n' +
        'từ yêu cầu kiểm tra hoặc yêu cầu cấp thẻ QR tiếp theo, kết quả đó không còn được tính cho kết luận nào\n' +
        '(kết quả dương tính cũng không còn được tính); bản sửa sau này của cùng sampleId vẫn bị thu hồi. Thu\n' +
        'hồi theo khoảng thời gian (từ --from, tính cả, đến --to, không tính, theo thời điểm lấy mẫu) còn làm\n' +
        'GET /v1/facilities hiển thị phòng xét nghiệm ở trạng thái REVOKED và đưa khoảng thời gian đó vào\n' +
        'GET /v1/rules có chữ ký, để các chốt kiểm soát khi không có mạng từ chối thẻ QR từ các kết quả đó, cho\n' +
        'đến khi các kết quả lấy mẫu trong khoảng đó hết hạn (cuối khoảng cộng thời hạn lưu trữ). Hồ sơ thu hồi\n' +
        '(ai, khi nào, lý do, bao nhiêu kết quả) được lưu trong sổ đăng ký. Chạy lại vẫn an toàn: lệnh giữ hồ sơ\n' +
        'đầu tiên và đánh dấu những gì tìm thấy, ví dụ các kết quả lần đầu còn nằm trong hàng đợi. Kết quả phòng\n' +
        'xét nghiệm gửi sau đó không bị đánh dấu: hãy tạm ngừng cả phòng xét nghiệm (`lab suspend`).\n' +
        'Lệnh đọc toàn bộ bảng kết quả một lần (một lần Scan): tốn vài cent (USD) với quy mô một tỉnh.',
      en:
        'Takes results out of every verdict, for a lab found issuing false results or a result sent for the\n' +
        'wrong person. Each stored result is marked before the command answers, so from the next verify or\n' +
        'pass request on it counts for no verdict (a positive no longer counts either); a later correction\n' +
        'of the same sampleId stays revoked. A window revocation (--from, inclusive, to --to, exclusive, by\n' +
        'sampling time) also shows the lab REVOKED in GET /v1/facilities and lists the window in the signed\n' +
        'GET /v1/rules, so checkpoints offline refuse passes from it, until results sampled in it have expired\n' +
        '(its end plus the retention period). The record (who, when, why, how many) is kept in the registry.\n' +
        'Safe to run again: it keeps the first record and marks what it finds, e.g. results still queued the\n' +
        'first time. Results the lab sends later are not marked: suspend the lab too (`lab suspend`).\n' +
        "It reads the whole results table once (a Scan): a few cents at one province's size.",
    },
    options: [
      {
        option: 'lab',
        usage: '--lab <id>',
        help: { vi: 'phòng xét nghiệm (xem `lab list`)', en: 'the lab (see `lab list`)' },
      },
      {
        option: 'from',
        usage: '--from <time>',
        help: {
          vi: 'đầu khoảng thời gian lấy mẫu, tính cả thời điểm này: 2021-09-10T08:30:00+07:00, hoặc 2021-09-10 (00:00 giờ Việt Nam)',
          en: 'start of the sampling window, inclusive: 2021-09-10T08:30:00+07:00, or 2021-09-10 (00:00 VN time)',
        },
      },
      {
        option: 'to',
        usage: '--to <time>',
        help: {
          vi: 'cuối khoảng thời gian lấy mẫu, không tính thời điểm này (cùng các dạng như trên)',
          en: 'end of the sampling window, exclusive (same forms)',
        },
      },
      {
        option: 'sample',
        usage: '--sample <sampleId>',
        help: {
          vi: 'chỉ thu hồi một kết quả này, thay cho một khoảng thời gian',
          en: 'revoke this one result instead of a window',
        },
      },
      {
        option: 'reason',
        usage: '--reason <text>',
        help: {
          vi: 'lý do (1-500 ký tự), lưu cùng hồ sơ thu hồi',
          en: 'why (1-500 characters), kept with the record',
        },
      },
    ],
    examples: [
      'npm run admin -- results revoke --lab lab_3f9a1c2b4d5e6f70 --from 2021-09-01 --to 2021-09-11 --reason "Giấy xét nghiệm giả / forged certificates"',
      'npm run admin -- results revoke --lab lab_3f9a1c2b4d5e6f70 --sample QN-0001 --reason "Sai người / wrong person" --json',
    ],
    schema: z
      .object({
        lab: required('--lab <id>'),
        reason: z
          .string({ error: viEn('thiếu --reason <text>', '--reason <text> is required') })
          .trim()
          .min(1, viEn('--reason không được để trống', '--reason must not be empty')),
        from: instant('--from').optional(),
        to: instant('--to').optional(),
        sample: z
          .string()
          .trim()
          .min(1, viEn('--sample không được để trống', '--sample must not be empty'))
          .optional(),
      })
      .refine((args) => (args.sample === undefined) === (args.from !== undefined && args.to !== undefined), {
        error: viEn(
          'hãy dùng hoặc --from và --to (một khoảng thời gian), hoặc --sample (một kết quả)',
          'give either --from and --to (a window) or --sample (one result)',
        ),
      })
      .refine((args) => args.sample === undefined || (args.from === undefined && args.to === undefined), {
        error: viEn('--sample không đi cùng --from hay --to', '--sample does not take --from or --to'),
      })
      .refine((args) => args.from === undefined || args.to === undefined || args.from < args.to, {
        error: viEn('--from phải trước --to', '--from must be before --to'),
      }),
    run: async (args, target) => {
      const common = { labId: args.lab, reason: args.reason, revokedBy: await target.whoAmI() };
      const { sample, from, to } = args;
      // The schema's refinements make one of the two forms present.
      const request =
        from !== undefined && to !== undefined
          ? { ...common, from, to }
          : { ...common, sampleId: sample ?? '' };
      const outcome = await revokeResults(request, {
        registry: target.registry,
        samples: target.results,
        revocations: target.revocations,
        clock: target.serviceClock,
      });
      const { revocation } = outcome;
      await target.audit.log.appendAudit({
        at: revocation.revokedAt,
        actor: common.revokedBy,
        action: outcome.created ? 'results.revoke' : 'results.revoke.repeat',
        subject: revocation.labId,
        changes: {
          revocation: [
            null,
            {
              id: revocation.id,
              reason: revocation.reason,
              samples: outcome.found,
              ...(revocation.scope === 'WINDOW'
                ? { from: revocation.from, to: revocation.to }
                : { sampleId: revocation.sampleId }),
            },
          ],
        },
      });
      return printed(outcome);
    },
  }),
];
