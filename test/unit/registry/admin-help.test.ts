import { describe, expect, it } from 'vitest';
import { commands, nouns } from '../../../cli/admin/commands/index.js';
import { HELP_SEPARATOR } from '../../../cli/admin/help.js';
import { runAdmin } from '../../../cli/admin/main.js';

/** `npm run admin -- <args>` in-process: help never touches a stack. */
const admin = async (args: readonly string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
    target: () => Promise.reject(new Error('help must not resolve a stack')),
  });
  return { code, stdout, stderr };
};

/** The help as printed, in its two blocks: Vietnamese first, then English. */
const blocks = async (args: readonly string[]) => {
  const out = await admin(args);
  expect(out.code).toBe(0);
  expect(out.stderr).toBe('');
  const parts = out.stdout.split(HELP_SEPARATOR);
  expect(parts).toHaveLength(2);
  const [vi = '', en = ''] = parts;
  return { text: out.stdout, vi, en: en.replace(/^\n/, '') };
};

/** Letters only Vietnamese writes (NFC): a block without them was not translated. */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu;

/** The block without its examples, which are what the operator types and may hold Vietnamese names. */
const prose = (block: string) =>
  block
    .split('\n')
    .filter((line) => !line.startsWith('  npm run admin --'))
    .join('\n');

/** The commands a help lists, one per line as `  <noun> <verb>`, in order. */
const listed = (block: string) =>
  block
    .split('\n')
    .map((line) => /^ {2}([a-z]+) ([a-z]+)(?: |$)/.exec(line))
    .filter((match) => match !== null && nouns.includes(match[1] ?? ''))
    .map((match) => `${match?.[1]} ${match?.[2]}`);

const ENGLISH_HEADINGS = /^(Usage|Options|Examples|Target \(|Output|Exit codes|Reference):?/m;

describe('admin --help, Vietnamese first, then English', () => {
  it('the overview: a Vietnamese block with diacritics, then the English one, listing the same commands', async () => {
    const { text, vi, en } = await blocks(['--help']);

    expect(vi.normalize('NFC')).toBe(vi);
    expect(vi).toMatch(/^Quản trị ResultGate: /);
    expect(vi).toContain('Cách dùng: npm run admin -- <command> [options]');
    expect(vi).toContain('Mã thoát:');
    expect(prose(vi)).toMatch(VIETNAMESE);
    expect(vi).not.toMatch(ENGLISH_HEADINGS);
    expect(en).toMatch(/^ResultGate admin: /);
    expect(en).toContain('Usage: npm run admin -- <command> [options]');
    expect(en).toContain('Exit codes:');
    expect(text.indexOf('Cách dùng:')).toBeLessThan(text.indexOf('Usage:'));

    const all = commands.map((c) => `${c.noun} ${c.verb}`);
    expect(listed(en)).toEqual(all);
    expect(listed(vi)).toEqual(listed(en));
    for (const option of ['--data-dir <dir>', '--stack <name>', '--region <region>', '--json', '-h, --help'])
      for (const block of [vi, en]) expect(block).toContain(`  ${option}`);
    // Each command's own summary, in its language: the blocks cannot drift apart.
    for (const c of commands) {
      expect(vi).toContain(c.summary.vi);
      expect(vi).not.toContain(c.summary.en);
      expect(en).toContain(c.summary.en);
    }
  });

  it.each(nouns)('`%s --help`: its commands in both blocks, Vietnamese first', async (noun) => {
    const { vi, en } = await blocks([noun, '--help']);
    const own = commands.filter((c) => c.noun === noun).map((c) => `${c.noun} ${c.verb}`);

    expect(prose(vi)).toMatch(VIETNAMESE);
    expect(vi).toContain(`\`npm run admin -- ${noun} <command> --help\` cho biết chi tiết một lệnh`);
    expect(en).toContain(`\`npm run admin -- ${noun} <command> --help\` tells more about one`);
    expect(listed(en)).toEqual(own);
    expect(listed(vi)).toEqual(own);
  });

  it.each(commands.map((c) => [`${c.noun} ${c.verb}`, c] as const))(
    '`%s --help`: usage, description, options and examples in both blocks, Vietnamese first',
    async (name, c) => {
      const { vi, en } = await blocks([c.noun, c.verb, '--help']);
      const usage = `npm run admin -- ${name}${c.synopsis ? ` ${c.synopsis}` : ''} [--json]`;

      expect(vi.normalize('NFC')).toBe(vi);
      expect(vi.split('\n')[0]).toBe(`${name}: ${c.summary.vi}`);
      expect(c.summary.vi).toMatch(VIETNAMESE);
      expect(c.description.vi).toMatch(VIETNAMESE);
      expect(vi).toContain(`Cách dùng: ${usage}`);
      expect(vi).toContain(c.description.vi);
      expect(vi).not.toContain(c.description.en);
      expect(vi).toContain('Ví dụ:');
      expect(vi).toContain('Chọn ngăn xếp, --json và mã thoát: npm run admin -- --help');
      expect(vi).not.toMatch(ENGLISH_HEADINGS);

      expect(en.split('\n')[0]).toBe(`${name}: ${c.summary.en}`);
      expect(en).toContain(`Usage: ${usage}`);
      expect(en).toContain(c.description.en);
      expect(en).toContain('Examples:');
      expect(en).toContain('Targets, --json and exit codes: npm run admin -- --help');

      if (c.options.length > 0) {
        expect(vi).toContain('Tuỳ chọn:');
        expect(en).toContain('Options:');
      }
      for (const option of c.options) {
        expect(option.help.vi).toMatch(VIETNAMESE);
        expect(option.help.vi).not.toBe(option.help.en);
        expect(vi).toContain(`  ${option.usage.padEnd(30)}  ${option.help.vi}`);
        expect(en).toContain(`  ${option.usage.padEnd(30)}  ${option.help.en}`);
      }
      // The examples are what the operator types: the same in both blocks.
      for (const example of c.examples) {
        expect(vi).toContain(`  ${example}\n`);
        expect(en).toContain(`  ${example}\n`);
      }
    },
  );

  it('answers `help <command>`, `-h` and --json with the same bilingual text', async () => {
    const flag = await admin(['rules', 'publish', '--help']);
    const word = await admin(['help', 'rules', 'publish']);
    const short = await admin(['rules', 'publish', '-h']);
    const json = await admin(['rules', 'publish', '--help', '--json']);

    expect(flag.stdout).toMatch(/^rules publish: công bố một phiên bản mới của bộ quy tắc/);
    expect(word.stdout).toBe(flag.stdout);
    expect(short.stdout).toBe(flag.stdout);
    expect(JSON.parse(json.stdout)).toEqual({ help: flag.stdout });
  });
});
