/** What an admin command is, and `define`, which checks its input with its own schema before it runs. */
import * as z from 'zod';
import { halves, type ViEnText, viEn, viNoun } from '../bilingual.js';
import { UsageError } from '../errors.js';
import type { Output } from '../output.js';
import type { Target } from '../target.js';

/** The options a command may take, besides the global ones (--json and the target). */
export const COMMAND_OPTIONS = [
  'name',
  'province',
  'test-types',
  'max',
  'jurisdiction',
  'mode',
  'file',
  'urgent',
  'version',
  'force',
  'count',
  'name-prefix',
  'sheet',
  'since',
  'lab',
  'from',
  'to',
  'reason',
  'sample',
] as const;
export type CommandOption = (typeof COMMAND_OPTIONS)[number];

/** A command's input straight from the command line, before its own schema has checked it; a flag given is 'true'. */
export type RawInput = { readonly id: string | undefined } & Partial<Record<CommandOption, string>>;

export interface OptionHelp {
  readonly option: CommandOption;
  readonly usage: string;
  readonly help: ViEnText;
}

export interface Command {
  readonly noun: string;
  readonly verb: string;
  /** The help texts, Vietnamese and English (help.ts prints the Vietnamese block first). */
  readonly summary: ViEnText;
  /** Arguments after the command name, e.g. `<id>` or `--name <name>`. */
  readonly synopsis: string;
  readonly description: ViEnText;
  readonly takesId: boolean;
  readonly options: readonly OptionHelp[];
  /** What the operator types: the same in both blocks. */
  readonly examples: readonly string[];
  /** Checks the input (throws UsageError) and returns the run, so nothing touches a stack before. */
  prepare(input: RawInput): (target: Target) => Promise<Output>;
}

type Spec<S extends z.ZodType> = Omit<Command, 'prepare' | 'takesId'> & {
  readonly schema: S;
  readonly run: (args: z.output<S>, target: Target) => Promise<Output>;
};

export const define = <S extends z.ZodType>({ schema, run, ...spec }: Spec<S>): Command => ({
  ...spec,
  takesId: spec.synopsis.startsWith('<id>'),
  prepare: (input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      // Each problem is `viEn(vi, en)`: all the Vietnamese halves first, then all the English ones.
      const problems = [...new Set(parsed.error.issues.map((issue) => issue.message))].map(halves);
      const name = `${spec.noun} ${spec.verb}`;
      throw new UsageError(
        viEn(
          `${name}: ${problems.map((p) => p.vi).join('; ')}. Xem ${name} --help.`,
          `${name}: ${problems.map((p) => p.en).join('; ')}. See ${name} --help.`,
        ),
      );
    }
    return (target) => run(parsed.data, target);
  },
});

/**
 * A required option or id; each command's schema is the single source of its argument types. Its
 * problems are `viEn(vi, en)`, with `usageVi` (default: `usage`, right for an option such as `--name <name>`).
 */
export const required = (usage: string, usageVi = usage) =>
  z
    .string({ error: viEn(`thiếu ${usageVi}`, `${usage} is required`) })
    .trim()
    .min(1, viEn(`${usageVi} không được để trống`, `${usage} must not be empty`));

/** The id a command acts on: a lab, device or app, as `listCommand` lists them. */
export const requiredId = (what: string, listCommand: string) =>
  required(`the ${what} id (see \`${listCommand}\`)`, `id của ${viNoun(what)} (xem \`${listCommand}\`)`);

export const idOf = (what: string, listCommand: string) => z.object({ id: requiredId(what, listCommand) });

/** A flag such as --force: 'true' when given. */
export const flag = z
  .string()
  .optional()
  .transform((value) => value === 'true');
