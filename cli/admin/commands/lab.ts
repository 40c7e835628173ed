import * as z from 'zod';
import { byProvinceThenName } from '../../../contract/facilities-order.js';
import { PROVINCES_SOURCE } from '../../../contract/provinces.js';
import type { Principal } from '../../../functions/domain/registry.js';
import { testTypes } from '../../../functions/schemas/common.js';
import { type ViEnText, viEn } from '../bilingual.js';
import { checklistText } from '../onboarding-checklist.js';
import { orDash, table } from '../output.js';
import { type Command, define, flag, idOf, required, requiredId } from './define.js';
import {
  registered,
  registryOf,
  removed,
  rotated,
  statusChanged,
  TAKES_EFFECT,
  updated,
} from './principal-output.js';

const TEST_TYPES_USAGE = viEn(
  '--test-types nhận RT_PCR, RAPID_ANTIGEN hoặc cả hai, cách nhau bằng dấu phẩy',
  '--test-types takes RT_PCR, RAPID_ANTIGEN or both, comma-separated',
);
const testTypesList = z
  .string()
  .transform((value) => value.split(',').map((t) => t.trim().toUpperCase()))
  .pipe(z.array(z.enum(testTypes, { error: TEST_TYPES_USAGE })).min(1, TEST_TYPES_USAGE));
const testTypesOption = z.string().default(testTypes.join(',')).pipe(testTypesList);

const PROVINCE_HELP: ViEnText = {
  vi:
    'một trong 34 đơn vị hành chính cấp tỉnh có hiệu lực từ 1/7/2025, ghi tên có dấu ("Hải Phòng")\n' +
    `${' '.repeat(34)}hoặc mã ISO (VN-HP); nếu không khớp, lệnh gợi ý tên gần nhất (contract/provinces.ts)`,
  en:
    'one of the 34 provincial units in force since 1 July 2025, by its name with diacritics ("Hải Phòng")\n' +
    `${' '.repeat(34)}or ISO code (VN-HP); a miss names the closest (contract/provinces.ts)`,
};
const FORCE_HELP: ViEnText = {
  vi: 'vẫn đăng ký dù trong tỉnh đã có phòng xét nghiệm cùng tên',
  en: 'register it even if a lab of the same name is in the province',
};

/** A principal as printed: never its credential hash. */
const labView = (lab: Principal) => ({
  id: lab.id,
  name: lab.name,
  province: lab.province ?? '',
  testTypes: [...(lab.testTypes ?? [])],
  status: lab.status,
  createdAt: lab.createdAt,
  integratedSince: lab.integratedSince ?? null,
  lastResultAt: lab.lastResultAt ?? null,
});

/** The labs as `lab list` prints them: in the order of GET /v1/facilities. */
export const listedLabs = (labs: readonly Principal[]) => [...labs].sort(byProvinceThenName).map(labView);

/** The `lab` commands. */
export const labCommands: readonly Command[] = [
  define({
    noun: 'lab',
    verb: 'add',
    summary: {
      vi: 'đăng ký một phòng xét nghiệm; in id và mã truy cập của nó (chỉ hiện một lần)',
      en: 'register a testing lab; prints its id and credential (shown once)',
    },
    synopsis: '--name <name> --province <province> [--test-types RT_PCR,RAPID_ANTIGEN] [--force]',
    description: {
      vi:
        'Đăng ký một phòng xét nghiệm và cấp mã truy cập cho nó. Hãy trao mã truy cập cho phòng xét nghiệm\n' +
        'qua một kênh an toàn: mã chỉ hiện lúc này và chỉ được lưu dưới dạng băm. Phòng xét nghiệm xuất hiện\n' +
        'ngay trong GET /v1/facilities, với integratedSince và lastResultAt để trống (null) cho đến khi kết quả\n' +
        `đầu tiên của nó được lưu. Tỉnh phải nằm trong danh sách (${PROVINCES_SOURCE}). Tên đã dùng trong tỉnh\n` +
        '(cùng các chữ cái, không phân biệt hoa thường) bị từ chối với mã thoát 2 (DUPLICATE_NAME), trừ khi có\n' +
        '--force. In ra các bước tiếp nhận phòng xét nghiệm.',
      en:
        'Registers a lab and issues its credential. Give the credential to the lab over a safe channel: it\n' +
        'is shown only now and stored only as a hash. The lab appears in GET /v1/facilities at once, with\n' +
        'null integratedSince and lastResultAt until its first result is stored. The province must be one of\n' +
        `the list (${PROVINCES_SOURCE}). A name already used in the province (same letters, any case) is\n` +
        'refused with exit 2 (DUPLICATE_NAME) unless --force. Prints the onboarding checklist.',
    },
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: {
          vi: 'tên công khai của phòng xét nghiệm, ví dụ "CDC Quảng Ninh" (1-200 ký tự)',
          en: 'the lab\'s public name, e.g. "CDC Quảng Ninh" (1-200 chars)',
        },
      },
      { option: 'province', usage: '--province <province>', help: PROVINCE_HELP },
      {
        option: 'test-types',
        usage: '--test-types <types>',
        help: {
          vi: 'RT_PCR, RAPID_ANTIGEN hoặc cả hai, cách nhau bằng dấu phẩy (mặc định: cả hai)',
          en: 'RT_PCR, RAPID_ANTIGEN or both, comma-separated (default: both)',
        },
      },
      { option: 'force', usage: '--force', help: FORCE_HELP },
    ],
    examples: [
      'npm run admin -- lab add --name "CDC Quảng Ninh" --province "Quảng Ninh"',
      'npm run admin -- lab add --name "Bệnh viện Bãi Cháy" --province "Quảng Ninh" --test-types RAPID_ANTIGEN --json',
    ],
    schema: z.object({
      name: required('--name <name>'),
      province: required('--province <province>'),
      'test-types': testTypesOption,
      force: flag,
    }),
    run: async (args, target) => {
      const output = await registered(
        target,
        'lab',
        'lab',
        await registryOf(target).addLab(
          { name: args.name, province: args.province, testTypes: args['test-types'] },
          { refuseDuplicateName: !args.force },
        ),
      );
      // --json stays {id, credential}: scripts (and strict parsers) read it as before.
      return { ...output, text: `${output.text}\n${checklistText()}` };
    },
  }),
  define({
    noun: 'lab',
    verb: 'update',
    summary: {
      vi: 'sửa tên, tỉnh hoặc loại xét nghiệm của một phòng xét nghiệm',
      en: "correct a lab's name, province or test types",
    },
    synopsis: '<id> [--name <name>] [--province <province>] [--test-types <types>] [--force]',
    description: {
      vi:
        'Sửa thông tin của một phòng xét nghiệm mà GET /v1/facilities hiển thị; id, mã truy cập và các kết quả\n' +
        'của nó giữ nguyên. Chỉ những tuỳ chọn được nhập mới thay đổi. Kiểm tra như lab add: tỉnh phải có\n' +
        'trong danh sách, và tên đã dùng trong tỉnh bị từ chối (mã thoát 2) trừ khi có --force. Được ghi vào\n' +
        'nhật ký thay đổi cùng giá trị cũ và mới. Cán bộ tại chốt thấy tên mới ở lần kiểm tra tiếp theo với\n' +
        'phòng xét nghiệm đó, sau khi bộ nhớ đệm mã truy cập hết hạn (300 giây).',
      en:
        'Corrects what GET /v1/facilities shows of a lab; its id, credential and results stay. Only the\n' +
        'options given change. The same checks as lab add: the province list, and a name already used in\n' +
        'the province is refused (exit 2) unless --force. Recorded in the audit with old and new values.\n' +
        'Officers see a new name on the next verify of that lab after the credential cache TTL (300 s).',
    },
    options: [
      {
        option: 'name',
        usage: '--name <name>',
        help: { vi: 'tên công khai mới', en: 'the new public name' },
      },
      { option: 'province', usage: '--province <province>', help: PROVINCE_HELP },
      {
        option: 'test-types',
        usage: '--test-types <types>',
        help: { vi: 'RT_PCR, RAPID_ANTIGEN hoặc cả hai', en: 'RT_PCR, RAPID_ANTIGEN or both' },
      },
      { option: 'force', usage: '--force', help: FORCE_HELP },
    ],
    examples: [
      'npm run admin -- lab update lab_3f9a1c2b4d5e6f70 --province "Hải Phòng"',
      'npm run admin -- lab update lab_3f9a1c2b4d5e6f70 --name "CDC Hải Phòng" --test-types RT_PCR',
    ],
    schema: z
      .object({
        id: requiredId('lab', 'lab list'),
        name: z.string().optional(),
        province: z.string().optional(),
        'test-types': testTypesList.optional(),
        force: flag,
      })
      .refine((a) => a.name !== undefined || a.province !== undefined || a['test-types'] !== undefined, {
        error: viEn(
          'hãy cho ít nhất một trong --name, --province, --test-types',
          'give at least one of --name, --province, --test-types',
        ),
      }),
    run: async (args, target) =>
      updated(
        target,
        'lab',
        args.id,
        await registryOf(target).update(
          args.id,
          'lab',
          { name: args.name, province: args.province, testTypes: args['test-types'] },
          { refuseDuplicateName: !args.force },
        ),
      ),
  }),
  define({
    noun: 'lab',
    verb: 'remove',
    summary: {
      vi: 'xoá một phòng xét nghiệm đăng ký nhầm (chỉ khi chưa từng gửi kết quả nào)',
      en: 'delete a lab registered by mistake (only one that never sent a result)',
    },
    synopsis: '<id>',
    description: {
      vi:
        'Xoá một phòng xét nghiệm và mã truy cập của nó, chỉ khi chưa có kết quả nào của nó được lưu (chưa có\n' +
        'integratedSince): phòng xét nghiệm bị đăng ký hai lần hoặc đăng ký nhầm. Phòng xét nghiệm đã gửi kết\n' +
        'quả thì bị từ chối (mã thoát 1, IN_USE): hãy dùng lab suspend, để các kết quả cũ vẫn mang tên của nó.\n' +
        `Được ghi vào nhật ký thay đổi.\n${TAKES_EFFECT.vi}`,
      en:
        'Deletes a lab and its credential, only if no result of it was ever stored (no integratedSince):\n' +
        'a lab registered twice or by mistake. A lab that has sent results is refused (exit 1, IN_USE): use\n' +
        `lab suspend, so its past results keep naming it. Recorded in the audit. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- lab remove lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).remove(id, 'lab');
      return removed(target, 'lab', id);
    },
  }),
  define({
    noun: 'lab',
    verb: 'list',
    summary: {
      vi: 'liệt kê các phòng xét nghiệm với trạng thái, loại xét nghiệm và lần gửi kết quả gần nhất',
      en: 'list the labs with status, test types and when they last sent results',
    },
    synopsis: '',
    description: {
      vi:
        'Liệt kê mọi phòng xét nghiệm đã đăng ký, theo tỉnh rồi theo tên: cùng danh sách với GET /v1/facilities,\n' +
        'thêm thời điểm đăng ký của từng phòng. integratedSince là thời điểm kết quả đầu tiên được lưu,\n' +
        'lastResultAt là thời điểm của kết quả gần nhất.',
      en:
        'Lists every registered lab, by province then name: the same labs as GET /v1/facilities, plus when\n' +
        'each was registered. integratedSince is the time of its first stored result, lastResultAt the latest.',
    },
    options: [],
    examples: [
      'npm run admin -- lab list',
      "npm run admin -- lab list --json | jq -r '.labs[] | select(.lastResultAt == null) | .id'",
    ],
    schema: z.object({}),
    run: async (_args, target) => {
      const labs = listedLabs(await registryOf(target).listLabs());
      return {
        json: { labs },
        text: table(
          labs.map((lab) => ({
            id: lab.id,
            name: lab.name,
            province: lab.province,
            status: lab.status,
            'test types': lab.testTypes.join(','),
            'integrated since': orDash(lab.integratedSince),
            'last result': orDash(lab.lastResultAt),
          })),
          ['id', 'name', 'province', 'status', 'test types', 'integrated since', 'last result'],
        ),
      };
    },
  }),
  define({
    noun: 'lab',
    verb: 'suspend',
    summary: {
      vi: 'tạm ngừng phòng xét nghiệm: từ chối kết quả của nó (403) cho đến khi cho hoạt động lại',
      en: "refuse the lab's results (403) until it is resumed",
    },
    synopsis: '<id>',
    description: {
      vi:
        'Tạm ngừng một phòng xét nghiệm: kết quả nó gửi bị trả lời 403 FORBIDDEN, và GET /v1/facilities hiển\n' +
        'thị nó ở trạng thái SUSPENDED (tạm ngừng). Các kết quả đã gửi trước đó vẫn còn giá trị.\n' +
        TAKES_EFFECT.vi,
      en:
        'Suspends a lab: its results are answered 403 FORBIDDEN, and GET /v1/facilities shows it SUSPENDED.\n' +
        'Results it sent before stay valid. ' +
        TAKES_EFFECT.en,
    },
    options: [],
    examples: ['npm run admin -- lab suspend lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).suspendLab(id);
      return statusChanged(target, 'lab', id, 'SUSPENDED');
    },
  }),
  define({
    noun: 'lab',
    verb: 'resume',
    summary: {
      vi: 'tiếp tục nhận kết quả của phòng xét nghiệm (cho hoạt động lại)',
      en: "accept the lab's results again",
    },
    synopsis: '<id>',
    description: {
      vi: `Đưa một phòng xét nghiệm đang tạm ngừng trở lại trạng thái ACTIVE (đang hoạt động), với mã truy cập nó đang có. ${TAKES_EFFECT.vi}`,
      en: `Makes a suspended lab ACTIVE again, with the credential it had. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- lab resume lab_3f9a1c2b4d5e6f70'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => {
      await registryOf(target).resumeLab(id);
      return statusChanged(target, 'lab', id, 'ACTIVE');
    },
  }),
  define({
    noun: 'lab',
    verb: 'rotate',
    summary: {
      vi: 'cấp mã truy cập mới cho phòng xét nghiệm; mã cũ hết hiệu lực',
      en: 'issue a new credential for the lab; the old one stops working',
    },
    synopsis: '<id>',
    description: {
      vi:
        'Cấp một mã truy cập mới (chỉ hiện một lần) và vô hiệu hoá mã cũ ngay lập tức. Dùng khi mã truy cập có\n' +
        `thể đã bị lộ, hoặc theo lịch định kỳ.\n${TAKES_EFFECT.vi}`,
      en:
        'Issues a new credential (shown once) and retires the old one at once. Use it when a credential may\n' +
        `have leaked, or on a schedule. ${TAKES_EFFECT.en}`,
    },
    options: [],
    examples: ['npm run admin -- lab rotate lab_3f9a1c2b4d5e6f70 --json'],
    schema: idOf('lab', 'lab list'),
    run: async ({ id }, target) => rotated(target, 'lab', await registryOf(target).rotate(id, 'lab')),
  }),
];
