import { appCommands } from './app.js';
import { auditCommands } from './audit.js';
import { cacheCommands } from './cache.js';
import type { Command } from './define.js';
import { deviceCommands } from './device.js';
import { dlqCommands } from './dlq.js';
import { keysCommands } from './keys.js';
import { labCommands } from './lab.js';
import { resultsCommands } from './results.js';
import { rulesCommands } from './rules.js';

export { COMMAND_OPTIONS, type Command, type CommandOption, type RawInput } from './define.js';

/** Every command, one file per noun, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  ...labCommands,
  ...deviceCommands,
  ...appCommands,
  ...auditCommands,
  ...resultsCommands,
  ...keysCommands,
  ...cacheCommands,
  ...dlqCommands,
  ...rulesCommands,
];

export const nouns = [...new Set(commands.map((c) => c.noun))];

export const findCommand = (noun: string | undefined, verb: string | undefined): Command | undefined =>
  commands.find((c) => c.noun === noun && c.verb === verb);
