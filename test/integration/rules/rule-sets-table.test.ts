import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuleSet, readRuleSet } from '../../../contract/rules.js';
import { makeRuleSetsTable, RuleSetVersionExistsError } from '../../../functions/adapters/rule-sets-table.js';
import { projectRoot } from '../../../lib/paths.js';
import { ensureTables, LOCAL_NAMES, localDynamoClient, startDynalite } from '../../../local/emulators.js';

const example = (version: number): RuleSet => {
  const text = readFileSync(
    join(projectRoot, 'docs', 'rules', 'quang-ninh-2021', `qn-entry-v${version}.json`),
    'utf8',
  );
  const rule = readRuleSet(JSON.parse(text));
  if (!rule) throw new Error('example is not a rule set');
  return rule;
};

describe('the rule sets table', () => {
  let db: Awaited<ReturnType<typeof startDynalite>>;
  let client: DynamoDBDocumentClient;

  beforeAll(async () => {
    db = await startDynalite();
    const raw = localDynamoClient(db.endpoint);
    await ensureTables(raw);
    client = DynamoDBDocumentClient.from(raw);
  });

  afterAll(async () => {
    client.destroy();
    await db.close();
  });

  it('keeps every version as published, and refuses to write one twice', async () => {
    const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
    await table.publish({ ruleSet: example(2), publishedAt: '2021-08-19T10:00:00.000Z', publishedBy: 'ops' });
    await table.publish({
      ruleSet: example(1),
      publishedAt: '2021-07-12T10:00:00.000Z',
      publishedBy: 'ops',
      urgentReason: 'Công văn ký chiều nay',
    });

    await expect(
      table.publish({
        ruleSet: { ...example(2), legalBasis: 'changed' },
        publishedAt: 'x',
        publishedBy: 'y',
      }),
    ).rejects.toThrow(RuleSetVersionExistsError);
    const listed = await table.list();

    expect(listed.map((p) => p.ruleSet.version)).toEqual([1, 2]);
    expect(listed[0]).toEqual({
      ruleSet: example(1),
      publishedAt: '2021-07-12T10:00:00.000Z',
      publishedBy: 'ops',
      urgentReason: 'Công văn ký chiều nay',
    });
    expect(listed[1]?.ruleSet.legalBasis).toBe('5630/UBND-YT');
  });

  it('skips an item that is no longer a rule set, and keeps the others', async () => {
    const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
    await client.send(
      new PutCommand({
        TableName: LOCAL_NAMES.registryTable,
        Item: {
          pk: 'RULESET',
          sk: 'BROKEN#v000001',
          document: '{"id":1}',
          publishedAt: 'x',
          publishedBy: 'y',
        },
      }),
    );

    expect((await table.list()).map((p) => p.ruleSet.id)).toEqual(['QN-ENTRY', 'QN-ENTRY']);
  });
});
