import * as z from 'zod';
import { nameUpdate } from './bulk-devices.js';
import { type Command, define, idOf, required } from './define.js';
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

/** The `app` commands. */
export const appCommands: readonly Command[] = [
  define({
    noun: 'app',
    verb: 'add',
    summary: {
      vi: 'đăng ký một máy chủ ứng dụng cho người dân; in id và mã truy cập của nó (chỉ hiện một lần)',
      en: 'register a citizen-app backend; prints its id and credential (shown once)',
    },
    synopsis: '--name <name>',
    description: {
      vi: 'Đăng ký máy chủ (backend) của một ứng dụng cho người dân (máy chủ này xin cấp thẻ QR kết quả xét nghiệm) và cấp mã truy cập cho nó.',
      en: 'Registers a citizen-app backend (it asks for QR passes) and issues its credential.',
    },
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: { vi: 'tên ứng dụng, ví dụ "Bluezone"', en: 'the app, e.g. "Bluezone"' },
      },
    ],
    examples: ['npm run admin -- app add --name Bluezone'],
    schema: z.object({ name: required('--name <name>') }),
    run: async ({ name }, target) => registered(target, 'app', 'app', await registryOf(target).addApp(name)),
  }),
  define({
    noun: 'app',
    verb: 'update',
    summary: { vi: 'sửa tên một máy chủ ứng dụng', en: "correct an app backend's name" },
    synopsis: '<id> --name <name>',
    description: {
      vi: 'Đổi tên một máy chủ ứng dụng cho người dân; id và mã truy cập của nó giữ nguyên. Được ghi vào nhật ký thay đổi.',
      en: 'Renames a citizen-app backend; its id and credential stay. Recorded in the audit.',
    },
    options: [{ option: 'name', usage: '--name <name>', help: { vi: 'tên mới', en: 'the new name' } }],
    examples: ['npm run admin -- app update app_0a1b2c3d4e5f6a7b --name "PC-Covid"'],
    schema: nameUpdate('app'),
    run: async ({ id, name }, target) =>
      updated(target, 'app', id, await registryOf(target).update(id, 'app', { name })),
  }),
  define({
    noun: 'app',
    verb: 'remove',
    summary: {
      vi: 'xoá một máy chủ ứng dụng đăng ký nhầm (chỉ khi chưa từng được dùng)',
      en: 'delete an app backend registered by mistake (only one never used)',
    },
    synopsis: '<id>',
    description: {
      vi:
        'Xoá một máy chủ ứng dụng cho người dân và mã truy cập của nó, chỉ khi mã truy cập chưa từng được dùng;\n' +
        'nếu đã dùng thì bị từ chối (mã thoát 1, IN_USE): hãy dùng app revoke. Được ghi vào nhật ký thay đổi.\n' +
        TAKES_EFFECT.vi,
      en:
        'Deletes a citizen-app backend and its credential, only if the credential was never used; otherwise\n' +
        `refused (exit 1, IN_USE): use app revoke. Recorded in the audit. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- app remove app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'app');
      return removed(target, 'app', id);
    },
  }),
  define({
    noun: 'app',
    verb: 'list',
    summary: { vi: 'liệt kê các máy chủ ứng dụng cho người dân', en: 'list the citizen-app backends' },
    synopsis: '',
    description: {
      vi: 'Liệt kê mọi máy chủ ứng dụng cho người dân, theo tên.',
      en: 'Lists every citizen-app backend by name.',
    },
    options: [],
    examples: ['npm run admin -- app list --json'],
    schema: z.object({}),
    run: async (_args, target) => listOf('app', 'apps')(target),
  }),
  define({
    noun: 'app',
    verb: 'rotate',
    summary: {
      vi: 'cấp mã truy cập mới cho một máy chủ ứng dụng; mã cũ hết hiệu lực',
      en: 'issue a new credential for an app backend; the old one stops working',
    },
    synopsis: '<id>',
    description: {
      vi: `Cấp một mã truy cập mới cho máy chủ ứng dụng (chỉ hiện một lần) và vô hiệu hoá mã cũ. ${TAKES_EFFECT.vi}`,
      en: `Issues a new credential for an app backend (shown once) and retires the old one. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- app rotate app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => rotated(target, 'app', await registryOf(target).rotate(id, 'app')),
  }),
  define({
    noun: 'app',
    verb: 'revoke',
    summary: {
      vi: 'thu hồi máy chủ ứng dụng: mã truy cập của nó hết hiệu lực (máy chủ đã ngừng sử dụng hoặc bị xâm nhập)',
      en: "the app backend's credential stops working (a retired or compromised backend)",
    },
    synopsis: '<id>',
    description: {
      vi: `Thu hồi vĩnh viễn một máy chủ ứng dụng cho người dân: mã truy cập của nó bị từ chối (401). ${TAKES_EFFECT.vi}`,
      en: `Revokes a citizen-app backend for good: its credential is refused (401). ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- app revoke app_0a1b2c3d4e5f6a7b'],
    schema: idOf('app', 'app list'),
    run: async ({ id }, target) => {
      await registryOf(target).revoke(id, 'app');
      return statusChanged(target, 'app', id, 'REVOKED', await removeKey(target, id));
    },
  }),
];
