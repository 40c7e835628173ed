import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { provinces as inForce } from '../../../contract/provinces.js';
import { type RuleSet, readRuleSet, ruleInForce } from '../../../contract/rules.js';
import { LIVE_PK, VERSIONS_PK, versionSortKey } from '../../../functions/adapters/rule-set-keys.js';
import { readRuleSets } from '../../../functions/adapters/rule-sets-reader.js';
import { makeRuleSetsTable, RuleSetVersionExistsError } from '../../../functions/adapters/rule-sets-table.js';
import { ensureDefaultRuleSet } from '../../../functions/domain/rule-publishing.js';
import { projectRoot } from '../../../lib/paths.js';
import { ensureTables, LOCAL_NAMES, localDynamoClient, startDynalite } from '../../../local/emulators.js';

/**
 * Verify reads the live copies of the rule sets (one Query the size of what is in force or scheduled),
 * not every version ever published: what the copies hold as the history grows, when a copy retires, and
 * how an install from before the copies, or a publication cut off halfway, becomes whole.
 */
const example: RuleSet = (() => {
  const text = readFileSync(
    join(projectRoot, 'docs', 'rules', 'quang-ninh-2021', 'qn-entry-v1.json'),
    'utf8',
  );
  const rule = readRuleSet(JSON.parse(text));
  if (!rule) throw new Error('example is not a rule set');
  return rule;
})();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2021-07-13T00:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
const version = (id: string, n: number, validFrom: number, jurisdiction = 'VN-13'): RuleSet => ({
  ...example,
  id,
  version: n,
  jurisdiction,
  validFrom: at(validFrom),
});
const windows = { RT_PCR: 72, RAPID_ANTIGEN: 48 };

describe('the live copies of the rule sets', () => {
  let db: Awaited<ReturnType<typeof startDynalite>>;
  let raw: ReturnType<typeof localDynamoClient>;
  let client: DynamoDBDocumentClient;
  let tables = 0;

  /** A registry table of its own for each test: the copies' marker is per table. */
  const freshTable = async () => {
    tables += 1;
    const names = { ...LOCAL_NAMES, resultsTable: `results-${tables}`, registryTable: `registry-${tables}` };
    await ensureTables(raw, names);
    return { name: names.registryTable, rules: makeRuleSetsTable(client, names.registryTable) };
  };
  const sortKeys = async (table: string, pk: string) =>
    (
      (
        await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
          }),
        )
      ).Items ?? []
    ).map((item) => item.sk);
  const publish = (rules: ReturnType<typeof makeRuleSetsTable>, ruleSet: RuleSet, publishedAt: number) =>
    rules.publish({ ruleSet, publishedAt: at(publishedAt), publishedBy: 'ops' });
  /** A version item written the way releases before the copies wrote it: no copy. */
  const writeVersionOnly = (table: string, ruleSet: RuleSet) =>
    client.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: VERSIONS_PK,
          sk: versionSortKey(ruleSet.id, ruleSet.version),
          document: JSON.stringify(ruleSet),
          publishedAt: at(T0),
          publishedBy: 'ops',
        },
      }),
    );
  const labels = (rules: readonly RuleSet[]) => rules.map((r) => `${r.id}#${r.version}`).sort();

  beforeAll(async () => {
    db = await startDynalite();
    raw = localDynamoClient(db.endpoint);
    client = DynamoDBDocumentClient.from(raw);
  });

  afterAll(async () => {
    client.destroy();
    await db.close();
  });

  it('stays the size of what is in force or scheduled while the history grows, and answers alike', async () => {
    const { name, rules } = await freshTable();
    // A new version every day, each published the evening before it starts.
    for (let n = 1; n <= 40; n += 1)
      await publish(rules, version('QN-ENTRY', n, T0 + n * DAY), T0 + n * DAY - 5 * HOUR);
    const sends = vi.spyOn(raw, 'send');

    const read = await readRuleSets(raw, name);
    const queries = sends.mock.calls.length;
    sends.mockRestore();

    expect(await sortKeys(name, VERSIONS_PK)).toHaveLength(40);
    // Version 38 took over a day before the last publication; 39 is in force; 40 is scheduled.
    expect(await sortKeys(name, LIVE_PK)).toEqual([
      '#COMPLETE',
      'QN-ENTRY#v000038',
      'QN-ENTRY#v000039',
      'QN-ENTRY#v000040',
    ]);
    expect(queries).toBe(1);
    expect(read.fromCopies).toBe(true);
    expect(labels(await rules.listLive())).toEqual(labels(read.rules));
    const all = (await rules.list()).map((p) => p.ruleSet);
    for (const instant of [T0 + 39 * DAY, T0 + 40 * DAY - 1, T0 + 40 * DAY, T0 + 400 * DAY]) {
      expect(ruleInForce(read.rules, 'VN-13', 'ENTRY', new Date(instant))).toEqual(
        ruleInForce(all, 'VN-13', 'ENTRY', new Date(instant)),
      );
    }
  });

  it('retires a superseded copy a day after, so a publisher whose clock runs ahead takes nothing early', async () => {
    const { name, rules } = await freshTable();
    await publish(rules, version('QN-ENTRY', 1, T0), T0 - DAY);
    await publish(rules, version('QN-ENTRY', 2, T0 + 2 * HOUR), T0 + HOUR);

    // By this publisher's clock version 2 took over an hour ago: version 1 stays, for now.
    await publish(rules, version('HP-ENTRY', 1, T0, 'VN-HP'), T0 + 3 * HOUR);
    const anHourOn = await sortKeys(name, LIVE_PK);
    await publish(rules, version('HP-ENTRY', 2, T0 + 30 * HOUR, 'VN-HP'), T0 + 26 * HOUR + 1);
    const aDayOn = await sortKeys(name, LIVE_PK);

    expect(anHourOn).toContain('QN-ENTRY#v000001');
    expect(aDayOn).not.toContain('QN-ENTRY#v000001');
    expect(aDayOn).toEqual(
      expect.arrayContaining(['QN-ENTRY#v000002', 'HP-ENTRY#v000001', 'HP-ENTRY#v000002']),
    );
    expect(await sortKeys(name, VERSIONS_PK)).toHaveLength(4);
  });

  it('reads every version of an install from before the copies, and gives it copies at its next start', async () => {
    const { name, rules } = await freshTable();
    for (const ruleSet of [
      version('QN-ENTRY', 1, T0),
      version('QN-ENTRY', 2, T0 + DAY),
      version('DEFAULT', 1, T0, 'VN'),
    ])
      await writeVersionOnly(name, ruleSet);

    const before = await readRuleSets(raw, name);
    const wrote = await ensureDefaultRuleSet(
      rules,
      windows,
      { now: new Date(T0 + 10 * DAY), publishedBy: 'deployment' },
      () => false,
    );
    const after = await readRuleSets(raw, name);

    expect(before.fromCopies).toBe(false);
    expect(labels(before.rules)).toEqual(['DEFAULT#1', 'QN-ENTRY#1', 'QN-ENTRY#2']);
    expect(wrote).toBe(false);
    expect(after.fromCopies).toBe(true);
    expect(labels(after.rules)).toEqual(['DEFAULT#1', 'QN-ENTRY#2']);
  });

  it('completes at the next start a publication cut off between its version and its copy', async () => {
    const { name, rules } = await freshTable();
    await ensureDefaultRuleSet(rules, windows, { now: new Date(T0), publishedBy: 'deployment' }, () => false);
    await writeVersionOnly(name, version('QN-ENTRY', 1, T0 + DAY));

    const cutOff = labels((await readRuleSets(raw, name)).rules);
    await ensureDefaultRuleSet(
      rules,
      windows,
      { now: new Date(T0 + HOUR), publishedBy: 'deployment' },
      () => false,
    );
    const whole = labels((await readRuleSets(raw, name)).rules);

    expect(cutOff).toEqual(['DEFAULT#1']);
    expect(whole).toEqual(['DEFAULT#1', 'QN-ENTRY#1']);
  });

  it('keeps every copy when provinces publish at the same moment', async () => {
    const { name, rules } = await freshTable();
    await publish(rules, version('DEFAULT', 1, T0, 'VN'), T0);
    const provinces = Array.from({ length: 12 }, (_, i) =>
      version(`P${i}-ENTRY`, 1, T0 + DAY, inForce[i]?.iso),
    );

    await Promise.all(provinces.map((ruleSet) => publish(rules, ruleSet, T0 + HOUR)));

    expect(labels((await readRuleSets(raw, name)).rules)).toEqual(
      labels([version('DEFAULT', 1, T0, 'VN'), ...provinces]),
    );
  });

  it('refuses a version already published and leaves its copy as it was', async () => {
    const { name, rules } = await freshTable();
    await publish(rules, version('QN-ENTRY', 1, T0), T0 - DAY);

    await expect(
      publish(rules, { ...version('QN-ENTRY', 1, T0), legalBasis: 'changed' }, T0 - DAY),
    ).rejects.toThrow(RuleSetVersionExistsError);
    expect((await readRuleSets(raw, name)).rules.map((r) => r.legalBasis)).toEqual([example.legalBasis]);
  });
});
