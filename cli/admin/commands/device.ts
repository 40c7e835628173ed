import * as z from 'zod';
import { isModeKnown } from '../../../contract/rules.js';
import { requireDeviceScope } from '../../../functions/domain/registry.js';
import { ValidationFailedError } from '../../../functions/errors.js';
import { viEn } from '../bilingual.js';
import type { Target } from '../target.js';
import { addDevices, bulkAddSchema, nameUpdate } from './bulk-devices.js';
import { type Command, define, idOf } from './define.js';
import {
  listOf,
  registered,
  registryOf,
  removed,
  removeKey,
  rotated,
  statusChanged,
  TAKES_EFFECT,
  updated,
} from './principal-output.js';

/**
 * A mode that no rule set in force or scheduled names for the device's province or the country is a typing
 * mistake (`FRIEGHT`): refused, as verify refuses it in a request, rather than registered and then
 * silently judged by the country's ENTRY rule. Publish the rule set first, then register its devices.
 */
const requireKnownMode = async (target: Target, scope: { jurisdiction: string; mode: string }) => {
  // The form first, as the registry checks it: before the bulk form claims its sheet or registers one.
  requireDeviceScope(scope);
  if (isModeKnown(await target.ruleSets.listLive(), scope.jurisdiction, scope.mode)) return;
  throw new ValidationFailedError(
    `Không bộ quy tắc nào của ${scope.jurisdiction} hay của toàn quốc có loại chốt ${scope.mode}; hãy kiểm tra chính tả, hoặc công bố bộ quy tắc trước (rules list) / No rule set of ${scope.jurisdiction} or of the country has mode ${scope.mode}; check the spelling, or publish the rule set first (rules list).`,
    [{ path: 'mode', message: `is not a mode of ${scope.jurisdiction} (see rules list)` }],
  );
};

/** The `device` commands. */
export const deviceCommands: readonly Command[] = [
  define({
    noun: 'device',
    verb: 'add',
    summary: {
      vi: 'đăng ký thiết bị tại chốt kiểm soát, một hoặc nhiều thiết bị; in id và mã truy cập (chỉ hiện một lần)',
      en: 'register checkpoint devices, one or many; prints ids and credentials (shown once)',
    },
    synopsis:
      '--name <name> | --count <n> --name-prefix <prefix> [--sheet <file.html>]; [--jurisdiction <code>] [--mode <mode>]',
    description: {
      vi:
        'Đăng ký một thiết bị tại chốt kiểm soát (điện thoại, máy tính bảng hoặc một bản cài ứng dụng tại chốt)\n' +
        'và cấp mã truy cập cho nó. Với --count N (1-500) và --name-prefix P, lệnh đăng ký N thiết bị tên P001,\n' +
        'P002, … (đánh số tiếp sau số P### lớn nhất đã đăng ký), và với --sheet thì ghi một trang A4 để in các\n' +
        'mã QR ghép nối của chúng (RGDEV:<credential>, đúng nội dung mà nút "Quét mã QR ghép nối" của trang chốt\n' +
        'đọc). Tờ này chứa các mã truy cập: tệp được ghi sao cho chỉ bạn đọc được, và không bao giờ ghi đè một\n' +
        'tệp đã có. Trên AWS, mỗi thiết bị còn được tạo khoá API riêng, giãn nhịp dưới giới hạn 5 yêu cầu/giây\n' +
        'của CreateApiKey, tiến độ hiện trên stderr. Khi kiểm tra, hệ thống áp dụng bộ quy tắc đang có hiệu lực\n' +
        'cho địa bàn và loại chốt của thiết bị (xem `rules list`).',
      en:
        'Registers a checkpoint device (phone, tablet or checkpoint app install) and issues its credential.\n' +
        'With --count N (1-500) and --name-prefix P it registers N devices named P001, P002, … (numbering\n' +
        'goes on after the highest P### already registered), and with --sheet writes a printable A4 page of\n' +
        'their pairing QR codes (RGDEV:<credential>, what the page\'s "Scan pairing QR" reads). The sheet\n' +
        'holds the credentials: it is written readable by you only, and an existing file is never replaced.\n' +
        "Against AWS each device also gets its API key, paced under CreateApiKey's 5 requests/s, with\n" +
        "progress on stderr. Verify applies the rule set in force for the devices' jurisdiction and mode\n" +
        '(see `rules list`).',
    },
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: {
          vi: 'chốt nào và máy nào, ví dụ "Chốt Km 5 — máy 1"',
          en: 'which checkpoint and device, e.g. "Chốt Km 5 — máy 1"',
        },
      },
      {
        option: 'jurisdiction',
        usage: '--jurisdiction <code>',
        help: {
          vi: 'tỉnh của thiết bị, mã ISO 3166-2, ví dụ VN-13 (Quảng Ninh) (mặc định: VN, toàn quốc)',
          en: 'its province, ISO 3166-2, e.g. VN-13 (Quảng Ninh) (default: VN, the whole country)',
        },
      },
      {
        option: 'mode',
        usage: '--mode <mode>',
        help: {
          vi: 'loại chốt mặc định, ví dụ ENTRY (vào tỉnh), FREIGHT (vận tải hàng hoá) (mặc định: ENTRY)',
          en: 'its default use, e.g. ENTRY, FREIGHT (default: ENTRY)',
        },
      },
      {
        option: 'count',
        usage: '--count <n>',
        help: { vi: 'số thiết bị cần đăng ký, từ 1 đến 500', en: 'how many devices to register, 1-500' },
      },
      {
        option: 'name-prefix',
        usage: '--name-prefix <prefix>',
        help: {
          vi: 'phần đầu tên của các thiết bị, ví dụ "Chốt QL18 "',
          en: 'their names\' start, e.g. "Chốt QL18 "',
        },
      },
      {
        option: 'sheet',
        usage: '--sheet <file.html>',
        help: { vi: 'ghi tờ mã ghép nối để in vào tệp này', en: 'write the printable pairing sheet there' },
      },
    ],
    examples: [
      'npm run admin -- device add --name "Chốt Km 5 — máy 1"',
      'npm run admin -- device add --count 40 --name-prefix "Chốt QL18 " --sheet ql18.html',
      'npm run admin -- device add --name "Cầu Bắc Luân — máy 2" --jurisdiction VN-13 --mode FREIGHT',
    ],
    schema: bulkAddSchema,
    run: async (args, target) => {
      await requireKnownMode(target, args.scope);
      if (args.kind === 'many') return addDevices(args, target);
      const out = await registered(
        target,
        'device',
        'checkpoint',
        await registryOf(target).addDevice(args.name, args.scope),
      );
      // The JSON stays {id, credential}; the text says what the device was registered for.
      const scope = `${args.scope.jurisdiction}/${args.scope.mode}`;
      const [first, ...rest] = out.text.split('\n');
      return {
        ...out,
        text: [
          first,
          viEn(`địa bàn và loại chốt: ${scope}`, `jurisdiction and mode: ${scope}`),
          ...rest,
        ].join('\n'),
      };
    },
  }),
  define({
    noun: 'device',
    verb: 'update',
    summary: { vi: 'sửa tên một thiết bị', en: "correct a device's name" },
    synopsis: '<id> --name <name>',
    description: {
      vi:
        'Đổi tên một thiết bị tại chốt kiểm soát; id và mã truy cập của nó giữ nguyên. Được ghi vào nhật ký\n' +
        'thay đổi cùng tên cũ và tên mới.',
      en:
        'Renames a checkpoint device; its id and credential stay. Recorded in the audit with old and new\n' +
        'names.',
    },
    options: [{ option: 'name', usage: '--name <name>', help: { vi: 'tên mới', en: 'the new name' } }],
    examples: ['npm run admin -- device update dev_9a8b7c6d5e4f3a2b --name "Chốt QL18 — máy 2"'],
    schema: nameUpdate('device'),
    run: async ({ id, name }, target) =>
      updated(target, 'device', id, await registryOf(target).update(id, 'checkpoint', { name })),
  }),
  define({
    noun: 'device',
    verb: 'remove',
    summary: {
      vi: 'xoá một thiết bị đăng ký nhầm (chỉ khi chưa từng được dùng)',
      en: 'delete a device registered by mistake (only one never used)',
    },
    synopsis: '<id>',
    description: {
      vi:
        'Xoá một thiết bị tại chốt kiểm soát và mã truy cập của nó, chỉ khi mã truy cập chưa từng được dùng\n' +
        '(device list không ghi lần dùng nào): thiết bị bị đăng ký hai lần hoặc đăng ký nhầm. Thiết bị đã được\n' +
        'dùng thì bị từ chối (mã thoát 1, IN_USE): hãy dùng device revoke. Được ghi vào nhật ký thay đổi.\n' +
        TAKES_EFFECT.vi,
      en:
        'Deletes a checkpoint device and its credential, only if its credential was never used (no last\n' +
        'use in device list): one registered twice or by mistake. A device that was used is refused (exit\n' +
        `1, IN_USE): use device revoke. Recorded in the audit. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- device remove dev_9a8b7c6d5e4f3a2b'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'checkpoint');
      return removed(target, 'device', id);
    },
  }),
  define({
    noun: 'device',
    verb: 'list',
    summary: {
      vi: 'liệt kê các thiết bị tại chốt kiểm soát, trạng thái và lần dùng gần nhất',
      en: 'list the checkpoint devices, their status and last use',
    },
    synopsis: '',
    description: {
      vi:
        'Liệt kê mọi thiết bị tại chốt kiểm soát, ACTIVE (đang hoạt động) hoặc REVOKED (đã thu hồi), theo tên,\n' +
        'kèm thời điểm mã truy cập được dùng gần nhất (lastUsedAt: ghi lại khi cổng API kiểm tra mã truy cập,\n' +
        'nhiều nhất một lần mỗi 300 giây, nên có thể chậm tới 5 phút; - nếu chưa từng dùng).',
      en:
        'Lists every checkpoint device, ACTIVE or REVOKED, by name, with when its credential was last used\n' +
        '(lastUsedAt: recorded when the gateway checks the credential, at most once per 300 s, so up to\n' +
        '5 minutes behind; - when never used).',
    },
    options: [],
    examples: ['npm run admin -- device list'],
    schema: z.object({}),
    run: async (_args, target) => listOf('checkpoint', 'devices')(target),
  }),
  define({
    noun: 'device',
    verb: 'revoke',
    summary: {
      vi: 'thu hồi thiết bị: mã truy cập của nó hết hiệu lực (khi thiết bị bị mất hoặc bị lấy cắp)',
      en: "the device's credential stops working (for a lost or stolen device)",
    },
    synopsis: '<id>',
    description: {
      vi: `Thu hồi vĩnh viễn một thiết bị tại chốt kiểm soát: mã truy cập của nó bị từ chối (401). ${TAKES_EFFECT.vi}`,
      en: `Revokes a checkpoint device for good: its credential is refused (401). ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- device revoke dev_9a8b7c6d5e4f3a2b'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) => {
      await registryOf(target).revoke(id, 'checkpoint');
      return statusChanged(target, 'device', id, 'REVOKED', await removeKey(target, id));
    },
  }),
  define({
    noun: 'device',
    verb: 'rotate',
    summary: {
      vi: 'cấp mã truy cập mới cho một thiết bị; mã cũ hết hiệu lực',
      en: 'issue a new credential for a device; the old one stops working',
    },
    synopsis: '<id>',
    description: {
      vi:
        'Cấp một mã truy cập mới cho thiết bị tại chốt kiểm soát (chỉ hiện một lần) và vô hiệu hoá mã cũ ngay\n' +
        'lập tức: dùng khi mã truy cập có thể đã bị sao chép nhưng thiết bị vẫn nằm trong tay người được giao.\n' +
        TAKES_EFFECT.vi,
      en:
        'Issues a new credential for a checkpoint device (shown once) and retires the old one at once: for a\n' +
        `credential that may have been copied while the device itself is still in good hands. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- device rotate dev_9a8b7c6d5e4f3a2b --json'],
    schema: idOf('device', 'device list'),
    run: async ({ id }, target) =>
      rotated(target, 'device', await registryOf(target).rotate(id, 'checkpoint')),
  }),
];
