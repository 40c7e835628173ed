import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type RuleSet, readRuleSet } from '../../contract/rules.js';

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
