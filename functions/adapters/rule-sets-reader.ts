import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../contract/clock.js';
import { DEFAULT_RULE_ID, defaultRuleSet, type RuleSet, readRuleSet } from '../../contract/rules.js';
import { makeRuleCache, type RuleCache } from '../domain/rule-cache.js';

/**
 * Every published rule set version (`RULESET` items of the registry table, see rule-sets-table.ts), read
 * with the low-level client the verify function already has: no DocumentClient in its bundle. Projected to
 * the document; an item that is not a rule set (a newer format, a hand edit) is skipped, as the table's
 * own reader does.
 */
export const readRuleSets = async (client: DynamoDBClient, tableName: string): Promise<RuleSet[]> => {
  const found: RuleSet[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'RULESET' } },
        ProjectionExpression: '#document',
        ExpressionAttributeNames: { '#document': 'document' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const text = item.document?.S;
      if (text === undefined) continue;
      let rule: RuleSet | undefined;
      try {
        rule = readRuleSet(JSON.parse(text));
      } catch {
        rule = undefined;
      }
      if (rule) found.push(rule);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return found;
};

/**
 * The rule sets a function judges with, held and refreshed as domain/rule-cache.ts says: the published
 * ones, with the deployment's windows standing in as DEFAULT v1 should that item be missing, so a
 * function never lacks a VN/ENTRY rule. Reading starts at once (cold start), in parallel with the rest.
 */
export const ruleSetsFromConfig = (
  client: DynamoDBClient,
  config: {
    readonly REGISTRY_TABLE: string;
    readonly VALIDITY_RT_PCR_HOURS: number;
    readonly VALIDITY_RAPID_ANTIGEN_HOURS: number;
  },
  onError: (error: unknown) => void,
): RuleCache & { readonly fallback: RuleSet } => {
  const fallbackRule = defaultRuleSet({
    RT_PCR: config.VALIDITY_RT_PCR_HOURS,
    RAPID_ANTIGEN: config.VALIDITY_RAPID_ANTIGEN_HOURS,
  });
  const cache = makeRuleCache({
    load: async () => {
      const rules = await readRuleSets(client, config.REGISTRY_TABLE);
      return rules.some((rule) => rule.id === DEFAULT_RULE_ID) ? rules : [fallbackRule, ...rules];
    },
    clock: systemClock,
    onError,
  });
  void cache.current().catch(() => undefined);
  return { ...cache, fallback: fallbackRule };
};
