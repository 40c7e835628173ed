import * as z from 'zod';
import { viEn } from '../bilingual.js';
import { table } from '../output.js';
import { type Command, define } from './define.js';
import { registryOf } from './principal-output.js';

const SINCE_USAGE = viEn(
  '--since nhận một ngày hoặc thời điểm, ví dụ 2021-09-10 hoặc 2021-09-10T08:00:00+07:00',
  '--since takes a date or time, e.g. 2021-09-10 or 2021-09-10T08:00:00+07:00',
);

const show = (value: unknown): string =>
  value === null ? '-' : Array.isArray(value) ? value.join(',') : String(value);

/** The `audit` commands. */
export const auditCommands: readonly Command[] = [
  define({
    noun: 'audit',
    verb: 'list',
    summary: {
      vi: 'liệt kê các thay đổi đã ghi của sổ đăng ký: ai, khi nào, thay đổi gì (giá trị cũ và mới)',
      en: 'list the recorded registry changes: who, when, what (old and new values)',
    },
    synopsis: '[--since <time>]',
    description: {
      vi:
        'Mọi thay đổi mà lệnh quản trị đã thực hiện với phòng xét nghiệm, thiết bị và ứng dụng (add, update,\n' +
        'remove, suspend, resume, rotate, revoke), cũ nhất xếp trước: khi nào, ai (trên máy cục bộ là người dùng\n' +
        'hệ điều hành; trên AWS là access key id, hồ sơ AWS và người dùng hệ điều hành), thao tác, id, và từng\n' +
        'trường đã đổi dưới dạng cũ → mới. Không bao giờ ghi mã truy cập: lần cấp mã mới chỉ cho biết việc đó\n' +
        'đã diễn ra. Lưu trong bảng sổ đăng ký, không có hạn xoá.',
      en:
        'Every change an admin command made to labs, devices and apps (add, update, remove, suspend, resume,\n' +
        'rotate, revoke), oldest first: when, who (the OS user locally; against AWS the access key id,\n' +
        'profile and OS user), the action, the id, and each changed field as old → new. Never a credential:\n' +
        'a rotation shows only that it happened. Kept in the registry table without expiry.',
    },
    options: [
      {
        option: 'since',
        usage: '--since <time>',
        help: { vi: 'chỉ các thay đổi từ thời điểm này trở đi', en: 'only changes at or after this time' },
      },
    ],
    examples: [
      'npm run admin -- audit list --since 2021-09-10',
      'npm run admin -- audit list --json | jq \'.entries[] | select(.action == "lab.update")\'',
    ],
    schema: z.object({
      since: z
        .string()
        .optional()
        .refine((value) => value === undefined || !Number.isNaN(Date.parse(value)), { error: SINCE_USAGE })
        .transform((value) => (value === undefined ? undefined : new Date(Date.parse(value)).toISOString())),
    }),
    run: async ({ since }, target) => {
      const entries = await registryOf(target).auditLog(since);
      return {
        json: {
          entries: entries.map((e) => ({
            ...e,
            changes: Object.fromEntries(
              Object.entries(e.changes).map(([k, [from, to]]) => [k, { from, to }]),
            ),
          })),
        },
        text: table(
          entries.map((e) => ({
            at: e.at,
            who: e.actor,
            action: e.action,
            id: e.subject,
            changes: Object.entries(e.changes)
              .map(([field, [from, to]]) => `${field}: ${show(from)} → ${show(to)}`)
              .join('; '),
          })),
          ['at', 'who', 'action', 'id', 'changes'],
        ),
      };
    },
  }),
];
