import { readFile } from 'node:fs/promises';
import { RuleRefusedError } from '../../functions/domain/rule-publishing.js';
import { viEn } from './bilingual.js';
import { UsageError } from './errors.js';

/**
 * Reading a rule set file for `rules check` and `rules publish`: its JSON as any value (the rule set's own
 * checks say what is wrong with it), or a refusal that says where a broken file breaks.
 */

const JSON_LITERALS = new Set(['true', 'false', 'null']);

/**
 * Where JSON.parse stopped: its own position when it gives one; else the end for a cut-off text, or the
 * first thing outside a string that JSON has no place for (a bare word, a ‘curly’ or 'single' quote).
 */
const jsonErrorIndex = (text: string, message: string): number | undefined => {
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return Number(at);
  if (/end of JSON input/i.test(message)) return text.length;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (/[a-zA-Z_]/.test(c)) {
      const word = /^[a-zA-Z_]\w*/.exec(text.slice(i))?.[0] ?? c;
      if (!JSON_LITERALS.has(word) && !/^[eE]\d*$/.test(word)) return i;
      i += word.length - 1;
    } else if (!/[\s{}[\],:0-9.+-]/.test(c)) return i;
  }
  return undefined;
};

/** Where a character of a text is, as an editor counts (1-based). */
const lineAndColumn = (text: string, index: number | undefined) => {
  if (index === undefined) return undefined;
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
};

/** The file's JSON (any value: the rule set's own checks say what is wrong with it). */
export const readRuleFile = async (path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new UsageError(
      viEn(`Không đọc được tệp ${path} (${reason}).`, `Cannot read the file ${path} (${reason}).`),
    );
  }
  // Windows editors save UTF-8 with a byte order mark, which JSON.parse refuses.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (json.trim() === '')
    throw new RuleRefusedError('RULE_INVALID', `Tệp ${path} trống / The file ${path} is empty.`);
  try {
    return JSON.parse(json);
  } catch (error) {
    const where = lineAndColumn(json, jsonErrorIndex(json, error instanceof Error ? error.message : ''));
    throw new RuleRefusedError(
      'RULE_INVALID',
      where === undefined
        ? `Tệp ${path} không phải JSON / The file ${path} is not JSON.`
        : `Tệp ${path} không phải JSON: lỗi ở dòng ${where.line}, cột ${where.column} / The file ${path} is not JSON: error at line ${where.line}, column ${where.column}.`,
    );
  }
};
