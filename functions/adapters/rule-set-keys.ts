import { type RuleSet, readRuleSet } from '../../contract/rules.js';

/**
 * Where rule sets live in the registry table (docs/data-model.md), shared by the table's writer
 * (rule-sets-table.ts) and verify's reader (rule-sets-reader.ts), which must not bundle the writer's
 * DocumentClient.
 *
 * - `RULESET` / `<id>#v<version, 6 digits>`: every version ever published, written once, kept for audit.
 * - `RULESET#LIVE` / the same sort key: a copy of each version in force or scheduled (contract/rules.ts
 *   `liveVersions`), so a reader's Query stays the size of what is in force, however long the history.
 * - `RULESET#LIVE` / `#COMPLETE`: written once every live version has its copy. A reader that does not
 *   find it (an install whose versions predate the copies) reads every version instead.
 * - `RULESET#HEAD` / `<id>`: the id's last published version and its text's SHA-256, moved on condition
 *   before a version is written, so two publishers of one id at once cannot both succeed.
 */
export const VERSIONS_PK = 'RULESET';
/**
 * How rule sets are kept, as a property of the deploy-time custom resource (lib/constructs/default-rules.ts):
 * a deploy that changes it runs the writer, which brings the live copies up to date. Change it with the layout.
 */
export const RULE_STORAGE = 'versions+live-copies';
export const LIVE_PK = 'RULESET#LIVE';
export const LIVE_COMPLETE_SK = '#COMPLETE';
export const HEAD_PK = 'RULESET#HEAD';

export const versionSortKey = (id: string, version: number): string =>
  `${id}#v${String(version).padStart(6, '0')}`;

/**
 * The rule set an item's `document` holds, or undefined for an item that is not one any more (a newer
 * format, a hand edit): such an item is skipped, not fatal, so the other rules still apply.
 */
export const ruleSetOfDocument = (document: unknown): RuleSet | undefined => {
  if (typeof document !== 'string') return undefined;
  try {
    return readRuleSet(JSON.parse(document));
  } catch {
    return undefined;
  }
};
