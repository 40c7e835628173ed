import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { projectRoot } from '../../../lib/paths.js';
import { adminIn, startStack, type TestStack } from '../../support/local-stack.js';

const RUNBOOK = join(projectRoot, 'docs', 'guides', 'operator.en.md');
const RULES = join(projectRoot, 'docs', 'rules', 'quang-ninh-2021');
const errorSchema = z.object({ error: z.object({ code: z.string() }) });

/** The admin commands of the runbook's code blocks, as written (a trailing `\` joins the next line). */
const runbookCommands = (): string[] => {
  const markdown = readFileSync(RUNBOOK, 'utf8');
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('npm run admin -- '));
};

/** Splits a command line into words: double-quoted strings and `<placeholders>` are one word each. */
const words = (line: string): string[] =>
  [...line.matchAll(/"([^"]*)"|(<[^>]*>)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

/**
 * The runbook's commands, run as written against `npm start`: `--stack ResultGate-prod` becomes this
 * stack's data dir, each `<… id>` a principal registered for the command, and a rule file the one of
 * the same name in docs/rules. Every command must work; the one exception is publishing a 2021 rule
 * file today, which the CLI must refuse as a rule (not as a usage mistake).
 */
describe("the operator runbook's commands, on the local stack", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('run as written, each with the exit code the runbook leads one to expect', async () => {
    const commands = runbookCommands();
    expect(commands.length).toBeGreaterThanOrEqual(12);

    for (const command of commands) {
      const args = words(command.slice('npm run admin -- '.length));
      const stackAt = args.indexOf('--stack');
      if (stackAt >= 0) args.splice(stackAt, 2);
      const [noun] = args;
      const resolved: string[] = [];
      for (const arg of args) {
        if (arg === '<device id>') resolved.push((await stack.addDevice()).id);
        else if (arg === '<app id>') resolved.push((await stack.addApp()).id);
        else if (arg === '<lab id>' || (arg === '<id>' && (noun === 'lab' || noun === 'results')))
          resolved.push((await stack.addLab()).id);
        else if (arg.endsWith('.json')) resolved.push(join(RULES, arg));
        else resolved.push(arg);
      }
      expect(resolved.filter((arg) => arg.startsWith('<'))).toEqual([]);

      const out = await adminIn(stack.dataDir, [...resolved, '--json']);
      if (noun === 'rules' && resolved[1] === 'publish') {
        expect({ command, code: out.code }).toEqual({ command, code: 1 });
        expect(errorSchema.parse(out.json()).error.code).toMatch(/^RULE_/);
      } else {
        expect({ command, code: out.code, stderr: out.code === 0 ? '' : out.stderr }).toEqual({
          command,
          code: 0,
          stderr: '',
        });
      }
    }
  });
});
