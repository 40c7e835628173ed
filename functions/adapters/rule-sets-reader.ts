import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../contract/clock.js';
import { DEFAULT_RULE_ID, defaultRuleSet, type RuleSet } from '../../contract/rules.js';
import { makeRuleCache, type RuleCache } from '../domain/rule-cache.js';
import { LIVE_COMPLETE_SK, LIVE_PK, ruleSetOfDocument, VERSIONS_PK } from './rule-set-keys.js';

const readPartition = async (client: DynamoDBClient, tableName: string, pk: string) => {
  const rules: RuleSet[] = [];
  let complete = false;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ProjectionExpression: '#sk, #document',
        ExpressionAttributeNames: { '#sk': 'sk', '#document': 'document' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk?.S === LIVE_COMPLETE_SK) complete = true;
      const rule = ruleSetOfDocument(item.document?.S);
      if (rule) rules.push(rule);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { rules, complete };
};

/**
 * The published rule sets that may still decide something (see rule-set-keys.ts): the live copies, one
 * Query the size of what is in force or scheduled, however many versions were ever published. An install
 * whose versions predate the copies (no marker yet) reads every version instead, which answers the same.
 * Read with the low-level client the verify function already has: no DocumentClient in its bundle. An
 * item that is not a rule set (a newer format, a hand edit) is skipped, as the table's own reader does.
 */
export const readRuleSets = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<{ readonly rules: RuleSet[]; readonly fromCopies: boolean }> => {
  const copies = await readPartition(client, tableName, LIVE_PK);
  if (copies.complete) return { rules: copies.rules, fromCopies: true };
  return { rules: (await readPartition(client, tableName, VERSIONS_PK)).rules, fromCopies: false };
};

/**
 * The rule sets a function judges with, held and refreshed as domain/rule-cache.ts says: the published
 * ones, with the deployment's windows standing in as DEFAULT v1 when no DEFAULT is among them (not yet
 * written, or an operator's later version of it has ended), so a function never lacks a VN/ENTRY rule. Reading starts at once (cold start), in parallel with the rest.
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
      const { rules } = await readRuleSets(client, config.REGISTRY_TABLE);
      return rules.some((rule) => rule.id === DEFAULT_RULE_ID) ? rules : [fallbackRule, ...rules];
    },
    clock: systemClock,
    onError,
  });
  void cache.current().catch(() => undefined);
  return { ...cache, fallback: fallbackRule };
};
