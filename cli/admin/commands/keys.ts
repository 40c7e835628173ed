import * as z from 'zod';
import { roles } from '../../../contract/vocabulary.js';
import { viEn } from '../bilingual.js';
import { type Command, define } from './define.js';
import { registryOf } from './principal-output.js';

/** The `keys` commands. */
export const keysCommands: readonly Command[] = [
  define({
    noun: 'keys',
    verb: 'sync',
    summary: {
      vi: 'cấp cho mỗi phòng xét nghiệm, thiết bị và ứng dụng đang hoạt động một khoá API riêng (sau khi nâng cấp); chạy lại vẫn an toàn',
      en: 'give every active lab, device and app its own API key (after an upgrade); idempotent',
    },
    synopsis: '',
    description: {
      vi:
        'Bảo đảm mọi phòng xét nghiệm, thiết bị và ứng dụng chưa bị thu hồi đều có khoá API riêng trong gói sử\n' +
        'dụng (usage plan) theo vai trò của nó (giới hạn lượt gọi riêng), và không mục nào đã bị thu hồi còn\n' +
        'giữ khoá. Các lệnh add tự làm việc này cho mục mới; hãy chạy lệnh này một lần sau khi triển khai một\n' +
        'ngăn xếp trước đây dùng chung khoá theo vai trò, và mỗi khi một lệnh add hoặc revoke báo không tạo hoặc\n' +
        'không xoá được khoá. Chạy lại vẫn an toàn. Ngăn xếp cục bộ không có khoá API.',
      en:
        "Makes sure every lab, device and app that is not revoked has its own API key on its role's usage plan\n" +
        '(its own request limit), and that no revoked one keeps a key. The add commands do this for new\n' +
        'principals; run it once after deploying a stack that had shared keys per role, and whenever an add\n' +
        'or revoke reported a key it could not make or delete. Safe to run again. The local stack has no keys.',
    },
    options: [],
    examples: ['npm run admin -- keys sync --stack ResultGate-prod', 'npm run admin -- keys sync --json'],
    schema: z.object({}),
    run: async (_args, target) => {
      const registry = registryOf(target);
      const principals = (await Promise.all(roles.map((role) => registry.list(role)))).flat();
      const report = await target.gateway.syncUsageKeys(principals);
      const text = `${
        target.kind === 'local'
          ? viEn(
              'Ngăn xếp cục bộ đếm lượt gọi của từng mã truy cập theo id: không có khoá API nào để đồng bộ.',
              'The local stack meters each credential by its id: there are no API keys to sync.',
            )
          : viEn(
              `Đã tạo ${report.created} khoá, gắn ${report.attached} khoá vào đúng gói sử dụng (usage plan), ` +
                `${report.present} khoá đã có sẵn, đã xoá ${report.deleted} khoá của phòng xét nghiệm, thiết bị, ứng dụng đã bị thu hồi.`,
              `${report.created} key(s) created, ${report.attached} put on their usage plan, ` +
                `${report.present} already in place, ${report.deleted} of revoked principals deleted.`,
            )
      }\n`;
      return { json: report, text };
    },
  }),
];
