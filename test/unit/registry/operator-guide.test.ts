import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, findCommand, nouns } from '../../../cli/admin/commands/index.js';
import { projectRoot } from '../../../lib/paths.js';

/** The options every command takes (cli/admin/main.ts). */
const GLOBAL_OPTIONS = ['stack', 'region', 'data-dir', 'json', 'help'];

const guide = (language: 'vi' | 'en') =>
  readFileSync(join(projectRoot, 'docs', 'guides', `operator.${language}.md`), 'utf8');

/**
 * Every admin command a guide writes: after `npm run admin -- ` in a code block, or as inline code that
 * starts with a noun (`lab suspend <id>`). Each with the options it gives.
 */
const commandsIn = (markdown: string) => {
  const nounPattern = nouns.join('|');
  const written = [
    ...[...markdown.matchAll(/npm run admin -- ([^\n`#]+?(?:\\\n[^\n`#]+?)*)\s*(?:#|`|\n)/g)].map(
      (m) => m[1] ?? '',
    ),
    ...[...markdown.matchAll(new RegExp(`\`((?:${nounPattern}) [a-z]+[^\`]*)\``, 'g'))].map(
      (m) => m[1] ?? '',
    ),
  ];
  return written
    .map((text) => text.replace(/\\\n/g, ' '))
    .filter((text) => !text.startsWith('--help') && !text.startsWith('<'))
    .map((text) => {
      const [noun = '', verb = ''] = text.trim().split(/\s+/);
      const options = [...text.matchAll(/(?:^|\s)--([a-z-]+)/g)].map((m) => m[1] ?? '');
      return { text: text.trim(), noun, verb, options };
    });
};

describe('the operator runbook', () => {
  it.each(['vi', 'en'] as const)(
    '(%s) writes only commands that exist, with options they take',
    (language) => {
      const written = commandsIn(guide(language));

      expect(written.length).toBeGreaterThanOrEqual(20);
      for (const { text, noun, verb, options } of written) {
        const command = findCommand(noun, verb);
        expect({ text, exists: command !== undefined }).toEqual({ text, exists: true });
        const taken = [...(command?.options.map((o) => o.option) ?? []), ...GLOBAL_OPTIONS];
        expect({ text, unknown: options.filter((option) => !taken.includes(option)) }).toEqual({
          text,
          unknown: [],
        });
      }
    },
  );

  it('says the same in both languages: the same commands and the same alarms', () => {
    const used = (language: 'vi' | 'en') =>
      [...new Set(commandsIn(guide(language)).map(({ noun, verb }) => `${noun} ${verb}`))].sort();
    const alarms = (language: 'vi' | 'en') =>
      [...guide(language).matchAll(/^\| `([^`]+)` +\|/gm)]
        // `Throttles-<function>` is written `Throttles-<hàm>` in Vietnamese: one alarm per function.
        .map((m) => (m[1] ?? '').replace(/^Throttles-<.+>$/, 'Throttles-*'))
        .sort();

    expect(used('vi')).toEqual(used('en'));
    expect(alarms('vi')).toEqual(alarms('en'));
    expect(alarms('en').length).toBeGreaterThanOrEqual(11);
    // The commands a tired operator needs most are there.
    for (const needed of [
      'device revoke',
      'lab suspend',
      'results revoke',
      'dlq redrive',
      'rules publish',
      'cache flush',
    ]) {
      expect(used('vi')).toContain(needed);
    }
    expect(commands.length).toBeGreaterThan(0);
  });
});
