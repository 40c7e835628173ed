import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuleSet, readRuleSet } from '../../../contract/rules.js';
import {
  makeRuleSetsTable,
  RuleSetChangedMeanwhileError,
  RuleSetVersionExistsError,
} from '../../../functions/adapters/rule-sets-table.js';
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

  describe('two people publishing one id at once', () => {
    /** The table's client, cut off (the network, the laptop) just before it writes the version item `sk`. */
    const cutBefore = (sk: string, failure: string | Error): DynamoDBDocumentClient => {
      const cut = Object.create(client) as DynamoDBDocumentClient;
      cut.send = (async (command: unknown) => {
        if (command instanceof PutCommand && command.input.Item?.sk === sk)
          throw typeof failure === 'string' ? new Error(failure) : failure;
        return client.send(command as PutCommand);
      }) as DynamoDBDocumentClient['send'];
      return cut;
    };
    const other = (id: string, version: number): RuleSet => ({ ...example(version), id });
    const by = (who: string) => ({ publishedAt: '2021-10-01T10:00:00.000Z', publishedBy: who });

    it('writes only the first of two versions checked against the same last version', async () => {
      const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
      await table.publish({ ruleSet: other('RACE-A', 1), ...by('ops') }, { after: 0 });
      // Both read v1 as the last. Alice's v3 lands first; Bob's v2 would never apply, and he would not know.
      await table.publish({ ruleSet: other('RACE-A', 3), ...by('alice') }, { after: 1 });

      await expect(
        table.publish({ ruleSet: other('RACE-A', 2), ...by('bob') }, { after: 1 }),
      ).rejects.toThrow(RuleSetChangedMeanwhileError);
      const versions = (await table.list()).filter((p) => p.ruleSet.id === 'RACE-A');
      expect(versions.map((p) => [p.ruleSet.version, p.publishedBy])).toEqual([
        [1, 'ops'],
        [3, 'alice'],
      ]);
    });

    it('refuses the higher one too when the lower landed first: its checks missed the other’s examples', async () => {
      const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
      await table.publish({ ruleSet: other('RACE-B', 1), ...by('ops') }, { after: 0 });
      await table.publish({ ruleSet: other('RACE-B', 2), ...by('bob') }, { after: 1 });

      await expect(
        table.publish({ ruleSet: other('RACE-B', 3), ...by('alice') }, { after: 1 }),
      ).rejects.toThrow(RuleSetChangedMeanwhileError);
      await table.publish({ ruleSet: other('RACE-B', 3), ...by('alice') }, { after: 2 });
      expect(
        (await table.list()).filter((p) => p.ruleSet.id === 'RACE-B').map((p) => p.ruleSet.version),
      ).toEqual([1, 2, 3]);
    });

    it.each([
      ['the first version of an id', 0],
      ['a later version', 1],
    ])(
      'gives the id back at once when the table refuses %s outright (too large: nothing written)',
      async (_, after) => {
        const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
        const id = `TOO-BIG-${after}`;
        if (after > 0) await table.publish({ ruleSet: other(id, 1), ...by('ops') }, { after: 0 });
        const big = { ...other(id, after + 1), legalBasis: 'x'.repeat(420 * 1024) };

        await expect(table.publish({ ruleSet: big, ...by('ops') }, { after })).rejects.toThrow(
          /maximum allowed size/,
        );
        // The corrected file goes through now, not 15 minutes later; what was written before is untouched.
        await table.publish({ ruleSet: other(id, after + 1), ...by('ops') }, { after });
        expect((await table.list()).filter((p) => p.ruleSet.id === id).map((p) => p.ruleSet.version)).toEqual(
          after > 0 ? [1, 2] : [1],
        );
      },
    );

    it('keeps the head of a version written by someone publishing the same text, when its own write is refused', async () => {
      const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
      await table.publish({ ruleSet: other('TWIN-A', 1), ...by('ops') }, { after: 0 });
      await table.publish({ ruleSet: other('TWIN-A', 2), ...by('alice') }, { after: 1 });
      // Bob sends the same text at once; the table refuses his write outright (as for an item too large).
      const refused = cutBefore(
        'TWIN-A#v000002',
        Object.assign(new Error('refused'), { name: 'ValidationException' }),
      );

      await expect(
        makeRuleSetsTable(refused, LOCAL_NAMES.registryTable).publish(
          { ruleSet: other('TWIN-A', 2), ...by('bob') },
          { after: 1 },
        ),
      ).rejects.toThrow('refused');
      // v2 stands, so a v3 checked against v1 alone is still refused.
      await expect(
        table.publish({ ruleSet: other('TWIN-A', 3), ...by('carol') }, { after: 1 }),
      ).rejects.toThrow(RuleSetChangedMeanwhileError);
    });

    it('completes a publication cut off after its head moved, when the same file is published again', async () => {
      const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
      await table.publish({ ruleSet: other('RACE-C', 1), ...by('ops') }, { after: 0 });
      const cut = cutBefore('RACE-C#v000002', 'connection reset');

      await expect(
        makeRuleSetsTable(cut, LOCAL_NAMES.registryTable).publish(
          { ruleSet: other('RACE-C', 2), ...by('ops') },
          { after: 1 },
        ),
      ).rejects.toThrow('connection reset');
      // The same text again passes the head; another text under that version does not.
      await expect(
        table.publish(
          { ruleSet: { ...other('RACE-C', 2), legalBasis: 'other' }, ...by('bob') },
          { after: 1 },
        ),
      ).rejects.toThrow(RuleSetChangedMeanwhileError);
      await table.publish({ ruleSet: other('RACE-C', 2), ...by('ops') }, { after: 1 });
      expect(
        (await table.list()).filter((p) => p.ruleSet.id === 'RACE-C').map((p) => p.ruleSet.version),
      ).toEqual([1, 2]);
    });

    it('lets another publisher take the id over once a cut publication has held it for 15 minutes', async () => {
      const table = makeRuleSetsTable(client, LOCAL_NAMES.registryTable);
      const at = (minutes: number) =>
        new Date(Date.parse('2021-10-01T10:00:00.000Z') + minutes * 60_000).toISOString();
      await table.publish(
        { ruleSet: other('RACE-D', 1), publishedAt: at(0), publishedBy: 'ops' },
        { after: 0 },
      );
      const cut = cutBefore('RACE-D#v000002', 'laptop lost');
      await expect(
        makeRuleSetsTable(cut, LOCAL_NAMES.registryTable).publish(
          { ruleSet: other('RACE-D', 2), publishedAt: at(1), publishedBy: 'alice' },
          { after: 1 },
        ),
      ).rejects.toThrow('laptop lost');
      const bobs = { ruleSet: { ...other('RACE-D', 2), legalBasis: 'bob' }, publishedBy: 'bob' };

      // Alice's claim holds for 15 minutes (she may publish the same file again); then Bob may go on.
      await expect(table.publish({ ...bobs, publishedAt: at(10) }, { after: 1 })).rejects.toThrow(
        /publish that same file again/,
      );
      await table.publish({ ...bobs, publishedAt: at(17) }, { after: 1 });
      // A head whose version was written is never taken over, however old it looks (a clock behind).
      await expect(
        table.publish(
          {
            ruleSet: { ...other('RACE-D', 3), legalBasis: 'carol' },
            publishedBy: 'carol',
            publishedAt: at(60),
          },
          { after: 1 },
        ),
      ).rejects.toThrow(RuleSetChangedMeanwhileError);
      expect((await table.list()).filter((p) => p.ruleSet.id === 'RACE-D').map((p) => p.publishedBy)).toEqual(
        ['ops', 'bob'],
      );
    });
  });
});
