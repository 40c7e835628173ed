import * as z from 'zod';
import { makeDeadLetters } from '../../../functions/adapters/dead-letters.js';
import { viEn } from '../bilingual.js';
import { orDash, table } from '../output.js';
import { type Command, define } from './define.js';

const maxOption = z
  .string()
  .regex(/^[1-9]\d*$/, viEn('--max nhận một số nguyên dương', '--max takes a positive whole number'))
  .transform(Number)
  .optional();

/** The `dlq` commands. */
export const dlqCommands: readonly Command[] = [
  define({
    noun: 'dlq',
    verb: 'list',
    summary: {
      vi: 'liệt kê các kết quả không lưu được (chỉ các id, không bao giờ hiện nội dung kết quả)',
      en: 'list the results that failed to store (ids only, never the result)',
    },
    synopsis: '[--max <n>]',
    description: {
      vi:
        'Liệt kê các thư trong hàng đợi thư lỗi: các kết quả lưu không thành công 5 lần. Lệnh chỉ hiện id phòng xét\n' +
        'nghiệm và mã mẫu. SQS không có cách xem thư mà không nhận (peek): mỗi thư được nhận rồi cho hiện lại\n' +
        'ngay, việc này chỉ làm số lần nhận (receive count) của thư tăng thêm một, ngoài ra không đổi gì.',
      en:
        'Lists the messages in the dead-letter queue: results that failed to store 5 times. It shows the lab\n' +
        'and sample ids only. SQS has no peek: each message is received and made visible again at once, which\n' +
        'adds one to its receive count and nothing else.',
    },
    options: [
      {
        option: 'max',
        usage: '--max <n>',
        help: {
          vi: 'liệt kê nhiều nhất n thư (mặc định 1000)',
          en: 'list at most n messages (default 1000)',
        },
      },
    ],
    examples: ['npm run admin -- dlq list', 'npm run admin -- dlq list --max 50 --json'],
    schema: z.object({ max: maxOption }),
    run: async ({ max }, target) => {
      const messages = await makeDeadLetters(target.sqs, target).list(max === undefined ? {} : { max });
      const rows = messages.map((m) => ({
        'message id': m.messageId,
        lab: orDash(m.labId),
        sample: orDash(m.sampleId),
        receives: String(m.receiveCount),
        'first sent': orDash(m.sentAt),
      }));
      const columns = ['message id', 'lab', 'sample', 'receives', 'first sent'];
      return {
        json: { count: messages.length, messages },
        text: `${table(rows, columns)}${viEn(
          `Có ${messages.length} thư trong hàng đợi thư lỗi.`,
          `${messages.length} message(s) in the dead-letter queue.`,
        )}\n`,
      };
    },
  }),
  define({
    noun: 'dlq',
    verb: 'redrive',
    summary: {
      vi: 'chuyển các kết quả lỗi về lại hàng đợi kết quả để lưu lại',
      en: 'move the failed results back to the results queue to be stored again',
    },
    synopsis: '[--max <n>]',
    description: {
      vi:
        'Chuyển các thư lỗi về lại hàng đợi kết quả, sau khi đã khắc phục nguyên nhân gây lỗi. Mỗi thư được gửi\n' +
        'đi trước rồi mới bị xoá khỏi hàng đợi thư lỗi, và lưu cùng một kết quả nhiều lần cũng như lưu một lần,\n' +
        'nên chạy (lại) lệnh này luôn an toàn.',
      en:
        'Moves the dead letters back to the results queue, once the cause of the failures is fixed. Each is\n' +
        'sent before it is deleted from the dead-letter queue, and storing is idempotent, so a redrive is\n' +
        'always safe to run (again).',
    },
    options: [
      {
        option: 'max',
        usage: '--max <n>',
        help: {
          vi: 'chuyển nhiều nhất n thư (mặc định: tất cả)',
          en: 'move at most n messages (default: all)',
        },
      },
    ],
    examples: ['npm run admin -- dlq redrive', 'npm run admin -- dlq redrive --max 10 --json'],
    schema: z.object({ max: maxOption }),
    run: async ({ max }, target) => {
      const report = await makeDeadLetters(target.sqs, target).redrive(max === undefined ? {} : { max });
      const notes = [
        report.failed > 0
          ? viEn(
              `${report.failed} thư không gửi được và vẫn nằm trong hàng đợi thư lỗi.`,
              `${report.failed} could not be sent and stay in the dead-letter queue.`,
            )
          : '',
        report.duplicated > 0
          ? viEn(
              `${report.duplicated} thư đã được gửi nhưng chưa xoá được: chúng nằm ở cả hai hàng đợi; lưu hai lần không gây hại gì.`,
              `${report.duplicated} were sent but not deleted: they are in both queues; storing twice is harmless.`,
            )
          : '',
      ].filter((note) => note !== '');
      const moved = viEn(
        `Đã chuyển ${report.moved} thư về lại hàng đợi kết quả.`,
        `Moved ${report.moved} message(s) back to the results queue.`,
      );
      return {
        json: report,
        text: `${moved}\n${notes.map((n) => `${n}\n`).join('')}`,
      };
    },
  }),
];
