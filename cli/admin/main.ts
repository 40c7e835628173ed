import { parseArgs } from 'node:util';
import { LocalStackNotRunningError } from '../../local/data-dir.js';
import { viEn } from './bilingual.js';
import { COMMAND_OPTIONS, type CommandOption, findCommand, nouns, type RawInput } from './commands/index.js';
import { classify, EXIT, isConnectionRefused, UsageError } from './errors.js';
import { commandHelp, globalHelp, nounHelp } from './help.js';
import type { Output } from './output.js';
import { resolveTarget, type Target, type TargetSelection } from './target.js';

export { UsageError } from './errors.js';

export interface AdminIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** RESULTGATE_DATA_DIR and RESULTGATE_STACK are read from here (the AWS SDK reads its own settings). */
  readonly env: Record<string, string | undefined>;
  /** Resolves the target; tests may pass their own. */
  readonly target?: (selection: TargetSelection) => Promise<Target>;
  /** Waits (between the two flushes of a deployed stage's authorizer cache); a timer by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'data-dir': { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  name: { type: 'string' },
  province: { type: 'string' },
  'test-types': { type: 'string' },
  max: { type: 'string' },
  jurisdiction: { type: 'string' },
  mode: { type: 'string' },
  file: { type: 'string' },
  urgent: { type: 'string' },
  version: { type: 'string' },
  force: { type: 'boolean' },
  count: { type: 'string' },
  'name-prefix': { type: 'string' },
  sheet: { type: 'string' },
  since: { type: 'string' },
  lab: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  reason: { type: 'string' },
  sample: { type: 'string' },
} as const;

const isCommandOption = (key: string): key is CommandOption =>
  (COMMAND_OPTIONS as readonly string[]).includes(key);

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** node:util's complaint in Vietnamese, from its code and the option it quotes ('--name <value>'). */
const parseProblemVi = (error: unknown, message: string): string => {
  const option = /'([^']+)'/.exec(message)?.[1]?.replace(/ <value>$/, '');
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  if (option !== undefined && code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Không có tuỳ chọn ${option}`;
  if (option !== undefined && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take an argument/.test(message)
      ? `Tuỳ chọn ${option} không nhận giá trị`
      : `Tuỳ chọn ${option} cần một giá trị`;
  return 'Dòng lệnh không hợp lệ';
};

const parse = (argv: readonly string[]) => {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A value that starts with a dash ("- Công văn 5630…", pasted from a list) reads as another option.
    const dashed = /'(--[a-z-]+)' argument is ambiguous/.exec(message)?.[1];
    // …unless that next word is one of the options: then the value was forgotten (`--urgent --file x`).
    const next = dashed === undefined ? undefined : argv[argv.indexOf(dashed) + 1];
    const nextOption = next === undefined ? undefined : /^--([a-z-]+)(=|$)/.exec(next)?.[1];
    const forgotten = next === '-h' || (nextOption !== undefined && nextOption in OPTIONS);
    if (dashed !== undefined && forgotten)
      throw new UsageError(
        viEn(
          `Tuỳ chọn ${dashed} cần một giá trị. Xem --help.`,
          `Option ${dashed} needs a value. See --help.`,
        ),
      );
    if (dashed !== undefined)
      throw new UsageError(
        viEn(
          `Giá trị của ${dashed} bắt đầu bằng dấu "-": hãy viết ${dashed}="-…" (có dấu bằng).`,
          `The value of ${dashed} starts with "-": write ${dashed}="-…" (with the equals sign).`,
        ),
      );
    // node:util's messages are long-winded; the first sentence names the problem ("Unknown option '--nmae'").
    const problem = message.split(/\.\s/)[0]?.replace(/\.$/, '');
    throw new UsageError(viEn(`${parseProblemVi(error, message)}. Xem --help.`, `${problem}. See --help.`));
  }
  // node:util keeps the last of an option given twice; a command that cannot be undone (rules publish
  // --file a --file b) must not pick one silently. A flag repeated (--json --json) says nothing twice.
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (seen.has(token.name))
      throw new UsageError(
        viEn(
          `Tuỳ chọn --${token.name} được nêu hai lần; chỉ nêu một lần.`,
          `--${token.name} is given twice; give it once.`,
        ),
      );
    seen.add(token.name);
  }
  return parsed;
};

const selectTarget = (values: Values, env: AdminIo['env']): TargetSelection => {
  if (values.stack !== undefined && values['data-dir'] !== undefined)
    throw new UsageError(
      viEn(
        'Chỉ dùng một trong hai: --stack (ngăn xếp đã triển khai) hoặc --data-dir (ngăn xếp cục bộ), không dùng cả hai.',
        'Give either --stack (a deployed stack) or --data-dir (the local stack), not both.',
      ),
    );
  const stackName = values.stack ?? (values['data-dir'] === undefined ? env.RESULTGATE_STACK : undefined);
  if (stackName !== undefined && stackName.trim() !== '')
    return { kind: 'aws', stackName: stackName.trim(), region: values.region };
  if (values.region !== undefined)
    throw new UsageError(
      viEn(
        '--region chỉ dùng cho ngăn xếp đã triển khai: hãy thêm --stack <name>.',
        '--region applies to a deployed stack: add --stack <name>.',
      ),
    );
  return { kind: 'local', dataDir: values['data-dir'] ?? env.RESULTGATE_DATA_DIR ?? '.resultgate' };
};

/** The change was made but its audit entry was not written: say so, and exit 3 (done only in part). */
const withAuditFailures = (output: Output, failures: readonly string[]): Output => {
  if (failures.length === 0) return output;
  const warnings = failures.map(
    (failure) =>
      `Đã thay đổi nhưng không ghi được nhật ký / changed, but the audit entry was not written (${failure}).`,
  );
  const text = `${output.text}${warnings.map((w) => `${w}\n`).join('')}`;
  const document = output.json;
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { json: document, text, exitCode: EXIT.FAILED };
  const earlier: unknown = Reflect.get(document, 'warnings');
  const json = { ...document, warnings: [...(Array.isArray(earlier) ? earlier : []), ...warnings] };
  return { json, text, exitCode: EXIT.FAILED };
};

/**
 * Runs one admin command and returns its exit code (see EXIT). With --json, stdout gets exactly one JSON
 * document, the answer or `{"error": {"code", "message"}}`; messages for people go to stderr.
 */
export const runAdmin = async (argv: readonly string[], io: AdminIo): Promise<number> => {
  const json = argv.includes('--json');
  const emit = (document: unknown, text: string) =>
    io.stdout(json ? `${JSON.stringify(document, null, 2)}\n` : text);
  let selection: TargetSelection | undefined;
  try {
    const { values, positionals } = parse(argv);
    const [first, ...rest] = positionals;
    const words = first === 'help' ? rest : positionals;
    const [noun, verb, ...extra] = words;
    const command = findCommand(noun, verb);

    if (values.help || first === 'help') {
      const text = command
        ? commandHelp(command)
        : noun && nouns.includes(noun)
          ? nounHelp(noun)
          : globalHelp();
      emit({ help: text }, text);
      return EXIT.OK;
    }
    if (noun === undefined) {
      if (!json) io.stderr(globalHelp());
      throw new UsageError(viEn('Chưa nhập lệnh nào. Xem --help.', 'No command given. See --help.'));
    }
    if (command === undefined) {
      if (nouns.includes(noun)) {
        if (!json) io.stderr(nounHelp(noun));
        throw new UsageError(
          verb === undefined
            ? viEn(`Thiếu lệnh sau ${noun}.`, `${noun} needs a command.`)
            : viEn(
                `Không có lệnh ${noun} ${verb}. Xem ${noun} --help.`,
                `Unknown command: ${noun} ${verb}. See ${noun} --help.`,
              ),
        );
      }
      throw new UsageError(
        viEn(
          `Không có lệnh ${noun}. Các lệnh bắt đầu bằng ${nouns.join(', ')}. Xem --help.`,
          `Unknown command: ${noun}. Commands start with ${nouns.join(', ')}. See --help.`,
        ),
      );
    }

    const name = `${command.noun} ${command.verb}`;
    const allowed = new Set(command.options.map((o) => o.option));
    const input: { id: string | undefined } & Partial<Record<CommandOption, string>> = { id: extra[0] };
    for (const [key, value] of Object.entries(values)) {
      if (!isCommandOption(key)) continue;
      if (!allowed.has(key))
        throw new UsageError(
          viEn(
            `Lệnh ${name} không nhận --${key}. Xem ${name} --help.`,
            `${name} does not take --${key}. See ${name} --help.`,
          ),
        );
      if (typeof value === 'string') input[key] = value;
      else if (value === true) input[key] = 'true';
    }
    if (extra.length > (command.takesId ? 1 : 0)) {
      const unexpected = extra.slice(command.takesId ? 1 : 0).join(' ');
      throw new UsageError(
        viEn(
          `Lệnh ${name} không nhận thêm đối số: ${unexpected}.`,
          `Unexpected argument(s) for ${name}: ${unexpected}.`,
        ),
      );
    }
    const run = command.prepare(input satisfies RawInput);

    selection = selectTarget(values, io.env);
    const resolved = await (io.target ?? ((chosen) => resolveTarget(chosen, io.sleep)))(selection);
    const target = { ...resolved, progress: io.stderr };
    try {
      if (!json)
        io.stderr(
          `${viEn(`${name} trên ${target.descriptionVi}`, `${name} on the ${target.description}`)}\n`,
        );
      const output = withAuditFailures(await run(target), target.auditFailures());
      emit(output.json, output.text);
      return output.exitCode ?? EXIT.OK;
    } finally {
      target.dispose();
    }
  } catch (thrown) {
    const error =
      selection?.kind === 'local' && isConnectionRefused(thrown)
        ? new LocalStackNotRunningError(
            viEn(
              `Ngăn xếp cục bộ trong ${selection.dataDir} không trả lời: nó đã dừng. Hãy khởi động bằng \`npm start\`.`,
              `The local stack in ${selection.dataDir} does not answer: it has stopped. Start it with \`npm start\`.`,
            ),
          )
        : thrown;
    const failure = classify(error);
    if (json)
      io.stdout(`${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`);
    io.stderr(`error: ${failure.message}\n`);
    return failure.exit;
  }
};
