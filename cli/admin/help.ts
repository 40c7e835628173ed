import { type Command, commands, nouns } from './commands/index.js';

const NOUN_TITLES: Record<string, string> = {
  lab: 'Labs',
  device: 'Checkpoint devices',
  app: 'Citizen-app backends',
  audit: 'Audit (who changed the registry, when, what)',
  keys: 'API keys (one per lab, device and app: its own request limit)',
  cache: "The gateway's credential cache",
  dlq: 'Dead-letter queue (results that failed to store)',
  rules: 'Checkpoint rules (versioned rule sets per province and mode)',
};

const PREFIX = 'npm run admin --';

const usageLine = (c: Command) => `${c.noun} ${c.verb}${c.synopsis ? ` ${c.synopsis}` : ''}`;

const commandLines = (list: readonly Command[]) =>
  list.map((c) => {
    const usage = usageLine(c);
    return usage.length <= 30
      ? `  ${usage.padEnd(30)}  ${c.summary}`
      : `  ${usage}\n  ${' '.repeat(30)}  ${c.summary}`;
  });

export const GLOBAL_OPTIONS = `Target (default: the local stack that \`npm start\` runs):
  --data-dir <dir>                the local stack's data dir (default: RESULTGATE_DATA_DIR or .resultgate)
  --stack <name>                  a deployed stack instead, e.g. ResultGate-prod (or RESULTGATE_STACK);
                                  found from its CloudFormation outputs with your own AWS credentials
  --region <region>               the deployed stack's region (default: AWS_REGION or your profile's)

Output:
  --json                          one JSON document on stdout, errors too ({"error": {"code", "message"}})
  -h, --help                      this help; \`<command> --help\` for one command`;

export const EXIT_CODES = `Exit codes:
  0  done
  1  refused: unknown id, invalid value (e.g. a province not in the list), removing one already used,
     redrive refused by the queue
  2  usage error, or nothing to act on: local stack not running, stack not found, no AWS credentials;
     a lab name already used in the province (DUPLICATE_NAME) without --force
  3  unexpected failure (an AWS error such as AccessDenied)`;

/** The global help: every command, grouped, then the target and output options. */
export const globalHelp = (): string =>
  [
    'ResultGate admin: register labs, checkpoint devices and app backends; handle results that failed to store.',
    '',
    `Usage: ${PREFIX} <command> [options]`,
    ...nouns.flatMap((noun) => [
      '',
      `${NOUN_TITLES[noun] ?? noun}:`,
      ...commandLines(commands.filter((c) => c.noun === noun)),
    ]),
    '',
    GLOBAL_OPTIONS,
    '',
    EXIT_CODES,
    '',
    'Reference: docs/admin.md',
    '',
  ].join('\n');

/** The commands of one noun (`lab --help`). */
export const nounHelp = (noun: string): string =>
  [
    `${NOUN_TITLES[noun] ?? noun}:`,
    ...commandLines(commands.filter((c) => c.noun === noun)),
    '',
    `\`${PREFIX} ${noun} <command> --help\` tells more about one; \`${PREFIX} --help\` lists all.`,
    '',
  ].join('\n');

/** One command's help: usage, what it does, its options and examples. */
export const commandHelp = (c: Command): string =>
  [
    `${c.noun} ${c.verb}: ${c.summary}`,
    '',
    `Usage: ${PREFIX} ${usageLine(c)} [--json] [--data-dir <dir> | --stack <name> [--region <region>]]`,
    '',
    c.description,
    ...(c.options.length === 0
      ? []
      : ['', 'Options:', ...c.options.map((o) => `  ${o.usage.padEnd(30)}  ${o.help}`)]),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
    `Targets, --json and exit codes: ${PREFIX} --help`,
    '',
  ].join('\n');
