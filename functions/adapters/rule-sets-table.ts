import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { type RuleSet, readRuleSet } from '../../contract/rules.js';

/** A published version of a rule set, with who published it, when, and why early if it was urgent. */
export interface PublishedRuleSet {
  readonly ruleSet: RuleSet;
  readonly publishedAt: string;
  readonly publishedBy: string;
  /** Set when the version was published with less than the stage's lead time (`rules publish --urgent`). */
  readonly urgentReason?: string;
}

export class RuleSetVersionExistsError extends Error {
  override readonly name = 'RuleSetVersionExistsError';
}

/**
 * Rule sets in the registry table (see docs/data-model.md): `RULESET` / `<id>#v<version, 6 digits>`, the
 * rule set kept as its JSON text (exactly as published), so every version of every rule is one Query
 * and a version sorts after the one before. Versions are written once and never changed.
 */
const PK = 'RULESET';
const sortKey = (id: string, version: number) => `${id}#v${String(version).padStart(6, '0')}`;

export interface RuleSetsTable {
  /** Every published version of every rule set. */
  list(): Promise<PublishedRuleSet[]>;
  /** Writes a new version; RuleSetVersionExistsError if that id and version exist (versions are immutable). */
  publish(published: PublishedRuleSet): Promise<void>;
}

const readItem = (item: Record<string, unknown>): PublishedRuleSet | undefined => {
  const { document, publishedAt, publishedBy, urgentReason } = item;
  if (typeof document !== 'string' || typeof publishedAt !== 'string' || typeof publishedBy !== 'string') {
    return undefined;
  }
  let ruleSet: RuleSet | undefined;
  try {
    ruleSet = readRuleSet(JSON.parse(document));
  } catch {
    return undefined;
  }
  if (!ruleSet) return undefined;
  return {
    ruleSet,
    publishedAt,
    publishedBy,
    ...(typeof urgentReason === 'string' ? { urgentReason } : {}),
  };
};

export const makeRuleSetsTable = (client: DynamoDBDocumentClient, tableName: string): RuleSetsTable => ({
  async list() {
    const found: PublishedRuleSet[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PK },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const published = readItem(item);
        // An item that is not a rule set any more (a newer format, a hand edit) is skipped, not fatal:
        // the other rules still apply.
        if (published) found.push(published);
      }
    }
    return found;
  },

  async publish({ ruleSet, publishedAt, publishedBy, urgentReason }) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: PK,
            sk: sortKey(ruleSet.id, ruleSet.version),
            document: JSON.stringify(ruleSet),
            publishedAt,
            publishedBy,
            ...(urgentReason === undefined ? {} : { urgentReason }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new RuleSetVersionExistsError(`${ruleSet.id} version ${ruleSet.version} is already published.`);
      }
      throw error;
    }
  },
});
