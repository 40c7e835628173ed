import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/paths.js';
import { en, vi } from '../../web/src/i18n.js';
import { eventually, startStack, type TestStack } from '../support/local-stack.js';
import { makeTempDir } from '../support/temp.js';
import { launchChromium } from './web/support/browser.js';

const run = promisify(execFile);
const guides = join(projectRoot, 'docs/guides');

/** A fenced block marked `<!-- runnable: name -->` (bash to run) or `<!-- file: name -->` (a file to write). */
interface Block {
  readonly kind: 'runnable' | 'file';
  readonly name: string;
  readonly code: string;
}

const blocksOf = (markdown: string): Block[] =>
  [...markdown.matchAll(/<!-- (runnable|file): (\S+) -->\n\n```\w*\n([\s\S]*?)```/g)].map((match) => ({
    kind: match[1] === 'file' ? 'file' : 'runnable',
    name: match[2] ?? '',
    code: match[3] ?? '',
  }));

/** The statuses a block documents, in order: its `# → 202` lines. */
const documentedStatuses = (code: string): number[] =>
  [...code.matchAll(/^# → (\d{3})\b/gm)].map((match) => Number(match[1]));

/** curl's `-w '\n%{http_code}\n'` output: a body line, then a status line. */
const answersOf = (output: string): { status: number; body: unknown }[] => {
  const lines = output.split('\n');
  const answers: { status: number; body: unknown }[] = [];
  lines.forEach((line, index) => {
    if (/^\d{3}$/.test(line))
      answers.push({
        status: Number(line),
        // A 204 has no body: curl prints an empty line before the status.
        body: lines[index - 1] ? JSON.parse(lines[index - 1] ?? '') : undefined,
      });
  });
  return answers;
};

/** dd/mm/yyyy of yesterday in Vietnam: the CSV example's 2021 dates moved inside the retention period. */
const yesterdayInVietnam = (): string => {
  const vietnam = new Date(Date.now() + 7 * 3600_000 - 24 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(vietnam.getUTCDate())}/${two(vietnam.getUTCMonth() + 1)}/${vietnam.getUTCFullYear()}`;
};

/**
 * The lab guides' examples, run as written against `npm start`: every `runnable` block of a guide in one
 * bash session (later blocks use earlier variables), in a folder holding its `file` blocks. Only the
 * environment differs (the stack's URL, a fresh lab's credential, the tool folder), and the CSV example's
 * 2021 dates, which would now be older than the retention period.
 */
describe("the lab guides' examples", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  const runGuide = async (file: string, labName: string) => {
    const markdown = await readFile(join(guides, file), 'utf8');
    const blocks = blocksOf(markdown);
    const lab = await stack.addLab(labName);
    const dir = await makeTempDir('guide');
    for (const block of blocks.filter((b) => b.kind === 'file')) {
      const text = block.name.endsWith('.csv')
        ? block.code.replaceAll('12/03/2021', yesterdayInVietnam())
        : block.code;
      await writeFile(join(dir, block.name), text);
    }
    const runnable = blocks.filter((b) => b.kind === 'runnable');
    const script = runnable.map((b) => `echo '@@ ${b.name}'\n${b.code}`).join('\n');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      env: {
        ...process.env,
        RESULTGATE_URL: stack.url,
        RESULTGATE_CREDENTIAL: lab.credential,
        RESULTGATE_HOME: projectRoot,
      },
      timeout: 150_000,
    });
    const sections = new Map<string, string>();
    for (const part of stdout.split(/^@@ /m).slice(1)) {
      const newline = part.indexOf('\n');
      sections.set(part.slice(0, newline), part.slice(newline + 1));
    }
    return { blocks: runnable, sections, credential: lab.credential };
  };

  it.each([
    ['lab-integration.vi.md', 'Bệnh viện Đa khoa tỉnh Quảng Ninh'],
    ['lab-integration.en.md', 'Quảng Ninh Provincial General Hospital'],
  ])(
    '%s: every curl answer has the documented status, and the Java and CSV examples store their results',
    async (file, labName) => {
      const { blocks, sections, credential } = await runGuide(file, labName);
      expect(blocks.map((b) => b.name)).toEqual([
        'send',
        'check',
        'resend',
        'withdraw',
        'withdraw-delete',
        'errors',
        'java',
        'csv',
      ]);

      for (const block of blocks.filter((b) => !['java', 'csv'].includes(b.name))) {
        const statuses = answersOf(sections.get(block.name) ?? '').map((a) => a.status);
        expect(statuses, block.name).toEqual(documentedStatuses(block.code));
      }

      const answers = (name: string) => answersOf(sections.get(name) ?? '').map((a) => a.body);
      expect(answers('send')).toMatchObject([{ accepted: 2, rejected: 0 }]);
      expect(answers('check')).toMatchObject([
        { sampleId: 'QN-2021-0001', status: 'STORED', testType: 'RT_PCR', result: 'NEGATIVE' },
        { error: { code: 'NOT_FOUND' } },
      ]);
      expect(answers('resend')).toMatchObject([{ accepted: 2, rejected: 0 }]);
      expect(answers('withdraw')).toMatchObject([
        { accepted: 1 },
        { sampleId: 'QN-2021-0002', status: 'STORED', result: 'INVALID' },
      ]);
      expect(answers('withdraw-delete')).toEqual([
        undefined,
        expect.objectContaining({ sampleId: 'QN-2021-0002', status: 'WITHDRAWN' }),
      ]);
      expect(answers('errors')).toMatchObject([
        {
          accepted: 1,
          rejected: 1,
          items: [
            { index: 0, status: 'ACCEPTED' },
            {
              index: 1,
              status: 'REJECTED',
              errors: [{ path: 'citizen.idNumber' }, { path: 'testType' }],
            },
          ],
        },
        { error: { code: 'VALIDATION_FAILED' } },
        { error: { code: 'MALFORMED_JSON' } },
        { error: { code: 'UNAUTHENTICATED' } },
        { error: { code: 'PAYLOAD_TOO_LARGE' } },
      ]);
      const invalid = answers('errors')[1];
      expect(JSON.stringify(invalid)).toContain('"path":"results[0].sampleId"');
      expect(JSON.stringify(invalid)).toContain('"path":"results[0].citizen.dateOfBirth"');

      expect(sections.get('java')).toMatch(/^POST \/v1\/results -> 202 \{"accepted":1,"rejected":0/m);
      expect(sections.get('java')).toMatch(/^GET \/v1\/results\/QN-2021-0100 -> 200 .*"status":"STORED"/m);

      expect(sections.get('csv')).toMatch(
        file.endsWith('.vi.md')
          ? /đã đọc 3 dòng, 3 được nhận, 0 bị từ chối\./
          : /3 rows read, 3 accepted, 0 rejected\./,
      );
      // A passport holder's positive result, its time read as Vietnam time.
      await eventually(
        async () => (await stack.call('GET', '/v1/results/QN-2021-0203', credential)).status === 200,
      );
      const fromCsv = await stack.call('GET', '/v1/results/QN-2021-0203', credential);
      expect(fromCsv.body).toMatchObject({
        result: 'POSITIVE',
        testType: 'RT_PCR',
        sampledAt: expect.stringMatching(/T02:40:00\.000Z$/),
      });
    },
  );

  it('both guides carry the same Java program and the same CSV file', async () => {
    const [vi, en] = await Promise.all(
      ['lab-integration.vi.md', 'lab-integration.en.md'].map(async (f) =>
        blocksOf(await readFile(join(guides, f), 'utf8')).filter((b) => b.kind === 'file'),
      ),
    );
    expect(vi).toHaveLength(2);
    expect(en).toEqual(vi);
  });
});

/**
 * The officer guide quotes the page's own words (every `.ui` and `.v` text is one of web/src/i18n.ts's
 * texts, `{placeholders}` filled with anything) and prints on one A4 side per language, Vietnamese first.
 */
describe('the checkpoint officer guide', () => {
  const guide = join(guides, 'checkpoint-officer.html');

  it('quotes only texts the checkpoint page shows, in the language of its page', async () => {
    const html = await readFile(guide, 'utf8');
    const pages = html.split('<section class="page" lang="').slice(1);
    expect(pages.map((page) => page.slice(0, 2))).toEqual(['vi', 'en']);
    const matchesOneOf = (texts: Record<string, string>, quoted: string) =>
      Object.values(texts).some((text) =>
        new RegExp(`^${text.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.+')}$`).test(quoted),
      );
    for (const [index, page] of pages.entries()) {
      const quoted = [...page.matchAll(/<span class="(?:ui|v \w+)">([\s\S]*?)<\/span>/g)].map((m) =>
        (m[1] ?? '').replace(/\s+/g, ' ').replace(/&#39;|&apos;/g, "'"),
      );
      expect(quoted.length).toBeGreaterThan(20);
      const language = index === 0 ? vi : en;
      const wrong = quoted.filter((text) => !matchesOneOf(language, text) && !matchesOneOf(vi, text));
      expect(wrong).toEqual([]);
    }
  });

  it('prints on two A4 pages in Chromium: one per language', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(guide).href);
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      const pageObjects = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
      expect(pageObjects).toHaveLength(2);
    } finally {
      await browser.close();
    }
  });
});
