import type { ViEnText } from './bilingual.js';
import { type Command, commands, nouns } from './commands/index.js';

/**
 * The `--help` texts. Each is printed as the submit CLI prints its own: the whole Vietnamese block, a
 * line `---`, then the same text in English. Command names, options and placeholders (`<id>`) are what
 * the operator types: they stay the same in both blocks.
 */
type Lang = keyof ViEnText;

const PREFIX = 'npm run admin --';

/** Between the Vietnamese block and the English one. */
export const HELP_SEPARATOR = '\n---\n';

const bothBlocks = (block: (lang: Lang) => string): string =>
  `${block('vi')}${HELP_SEPARATOR}\n${block('en')}`;

const NOUN_TITLES: Readonly<Record<string, ViEnText>> = {
  lab: { vi: 'Phòng xét nghiệm', en: 'Labs' },
  device: { vi: 'Thiết bị tại chốt kiểm soát', en: 'Checkpoint devices' },
  app: { vi: 'Máy chủ (backend) của ứng dụng cho người dân', en: 'Citizen-app backends' },
  audit: {
    vi: 'Nhật ký thay đổi (ai đã thay đổi sổ đăng ký, khi nào, thay đổi gì)',
    en: 'Audit (who changed the registry, when, what)',
  },
  // The English title has always been the noun itself.
  results: {
    vi: 'Kết quả xét nghiệm (thu hồi khi phát hiện gian lận)',
    en: 'Test results (revoked when fraud is found)',
  },
  keys: {
    vi: 'Khoá API (mỗi phòng xét nghiệm, thiết bị và ứng dụng một khoá: giới hạn lượt gọi riêng)',
    en: 'API keys (one per lab, device and app: its own request limit)',
  },
  cache: { vi: 'Bộ nhớ đệm mã truy cập của cổng API', en: "The gateway's credential cache" },
  dlq: {
    vi: 'Hàng đợi thư lỗi (các kết quả không lưu được)',
    en: 'Dead-letter queue (results that failed to store)',
  },
  rules: {
    vi: 'Quy tắc tại chốt kiểm soát (các bộ quy tắc có phiên bản, theo tỉnh và loại chốt)',
    en: 'Checkpoint rules (versioned rule sets per province and mode)',
  },
};

const titleOf = (noun: string, lang: Lang): string => NOUN_TITLES[noun]?.[lang] ?? noun;

/** The words around the commands' own texts. */
const WORDS = {
  intro: {
    vi: 'Quản trị ResultGate: đăng ký phòng xét nghiệm, thiết bị tại chốt kiểm soát và máy chủ ứng dụng; xử lý các kết quả không lưu được.',
    en: 'ResultGate admin: register labs, checkpoint devices and app backends; handle results that failed to store.',
  },
  usage: { vi: 'Cách dùng', en: 'Usage' },
  options: { vi: 'Tuỳ chọn', en: 'Options' },
  examples: { vi: 'Ví dụ', en: 'Examples' },
  reference: { vi: 'Tài liệu tham khảo', en: 'Reference' },
  more: {
    vi: (noun: string) =>
      `\`${PREFIX} ${noun} <command> --help\` cho biết chi tiết một lệnh; \`${PREFIX} --help\` liệt kê mọi lệnh.`,
    en: (noun: string) =>
      `\`${PREFIX} ${noun} <command> --help\` tells more about one; \`${PREFIX} --help\` lists all.`,
  },
  seeGlobal: { vi: 'Chọn ngăn xếp, --json và mã thoát', en: 'Targets, --json and exit codes' },
} as const;

const usageLine = (c: Command) => `${c.noun} ${c.verb}${c.synopsis ? ` ${c.synopsis}` : ''}`;

const commandLines = (list: readonly Command[], lang: Lang) =>
  list.map((c) => {
    const usage = usageLine(c);
    return usage.length <= 30
      ? `  ${usage.padEnd(30)}  ${c.summary[lang]}`
      : `  ${usage}\n  ${' '.repeat(30)}  ${c.summary[lang]}`;
  });

export const GLOBAL_OPTIONS: ViEnText = {
  vi: `Chọn ngăn xếp (mặc định: ngăn xếp cục bộ do \`npm start\` chạy):
  --data-dir <dir>                thư mục dữ liệu của ngăn xếp cục bộ (mặc định: RESULTGATE_DATA_DIR hoặc .resultgate)
  --stack <name>                  một ngăn xếp đã triển khai thay cho ngăn xếp cục bộ, ví dụ ResultGate-prod (hoặc
                                  RESULTGATE_STACK); được tìm qua các output CloudFormation của nó, bằng thông tin
                                  xác thực AWS của chính bạn
  --region <region>               khu vực của ngăn xếp đã triển khai (mặc định: AWS_REGION hoặc khu vực trong hồ sơ AWS)

Đầu ra:
  --json                          in đúng một tài liệu JSON ra stdout, kể cả khi lỗi ({"error": {"code", "message"}})
  -h, --help                      hướng dẫn này; \`<command> --help\` cho từng lệnh`,
  en: `Target (default: the local stack that \`npm start\` runs):
  --data-dir <dir>                the local stack's data dir (default: RESULTGATE_DATA_DIR or .resultgate)
  --stack <name>                  a deployed stack instead, e.g. ResultGate-prod (or RESULTGATE_STACK);
                                  found from its CloudFormation outputs with your own AWS credentials
  --region <region>               the deployed stack's region (default: AWS_REGION or your profile's)

Output:
  --json                          one JSON document on stdout, errors too ({"error": {"code", "message"}})
  -h, --help                      this help; \`<command> --help\` for one command`,
};

export const EXIT_CODES: ViEnText = {
  vi: `Mã thoát:
  0  hoàn tất
  1  bị từ chối: id không tồn tại, giá trị không hợp lệ (ví dụ tỉnh không có trong danh sách), xoá một mục
     đã được sử dụng, hàng đợi từ chối chuyển lại thư (redrive)
  2  sai cách dùng, hoặc không có gì để thao tác: ngăn xếp cục bộ chưa chạy, không tìm thấy ngăn xếp, không có
     thông tin xác thực AWS; tên phòng xét nghiệm đã có trong tỉnh (DUPLICATE_NAME) mà không có --force
  3  lỗi ngoài dự kiến (lỗi từ AWS, ví dụ AccessDenied)`,
  en: `Exit codes:
  0  done
  1  refused: unknown id, invalid value (e.g. a province not in the list), removing one already used,
     redrive refused by the queue
  2  usage error, or nothing to act on: local stack not running, stack not found, no AWS credentials;
     a lab name already used in the province (DUPLICATE_NAME) without --force
  3  unexpected failure (an AWS error such as AccessDenied)`,
};

/** The global help: every command, grouped, then the target and output options. */
export const globalHelp = (): string =>
  bothBlocks((lang) =>
    [
      WORDS.intro[lang],
      '',
      `${WORDS.usage[lang]}: ${PREFIX} <command> [options]`,
      ...nouns.flatMap((noun) => [
        '',
        `${titleOf(noun, lang)}:`,
        ...commandLines(
          commands.filter((c) => c.noun === noun),
          lang,
        ),
      ]),
      '',
      GLOBAL_OPTIONS[lang],
      '',
      EXIT_CODES[lang],
      '',
      `${WORDS.reference[lang]}: docs/admin.md`,
      '',
    ].join('\n'),
  );

/** The commands of one noun (`lab --help`). */
export const nounHelp = (noun: string): string =>
  bothBlocks((lang) =>
    [
      `${titleOf(noun, lang)}:`,
      ...commandLines(
        commands.filter((c) => c.noun === noun),
        lang,
      ),
      '',
      WORDS.more[lang](noun),
      '',
    ].join('\n'),
  );

/** One command's help: usage, what it does, its options and examples. */
export const commandHelp = (c: Command): string =>
  bothBlocks((lang) =>
    [
      `${c.noun} ${c.verb}: ${c.summary[lang]}`,
      '',
      `${WORDS.usage[lang]}: ${PREFIX} ${usageLine(c)} [--json] [--data-dir <dir> | --stack <name> [--region <region>]]`,
      '',
      c.description[lang],
      ...(c.options.length === 0
        ? []
        : [
            '',
            `${WORDS.options[lang]}:`,
            ...c.options.map((o) => `  ${o.usage.padEnd(30)}  ${o.help[lang]}`),
          ]),
      '',
      `${WORDS.examples[lang]}:`,
      ...c.examples.map((e) => `  ${e}`),
      '',
      `${WORDS.seeGlobal[lang]}: ${PREFIX} --help`,
      '',
    ].join('\n'),
  );
