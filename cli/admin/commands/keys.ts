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
    summary: 'give every active lab, device and app its own API key (after an upgrade); idempotent',
    synopsis: '',
    description:
      "Makes sure every lab, device and app that is not revoked has its own API key on its role's usage plan\n" +
      '(its own request limit), and that no revoked one keeps a key. The add commands do this for new\n' +
      'principals; run it once after deploying a stack that had shared keys per role, and whenever an add\n' +
      'or revoke reported a key it could not make or delete. Safe to run again. The local stack has no keys.',
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
