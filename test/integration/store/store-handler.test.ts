import {
  GetCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeRegistryTable } from '../../../functions/adapters/registry-table.js';
import { startTestEmulators, type TestEmulators } from '../../support/emulators.js';
import { lambdaContext } from '../../support/fixtures.js';
import { sqsEvent, sqsRecord } from './support/events.js';
import { aSubmission, holderOf, queued, type Submission } from './support/messages.js';
import { holderItems, sampleItems, scanAll } from './support/table.js';

/**
 * The store function's handler module, unchanged, against dynalite: batches with partial failures, lab
 * freshness, parallel batches and a crash in the middle of a batch. Faults are injected with middleware on
 * the function's own DynamoDB client.
 */
type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let emulators: TestEmulators;
let handler: Handler;
type Middleware = InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes>;
let addMiddleware: (middleware: Middleware, name: string) => void;
let removeMiddleware: (name: string) => void;
const NOW = new Date();
let labCounter = 0;

beforeAll(async () => {
  emulators = await startTestEmulators();
  emulators.applyEnv();
  handler = (await import('../../../functions/handlers/store-results.js')).handler;
  const { dynamo } = await import('../../../functions/clients/dynamodb.js');
  addMiddleware = (middleware, name) => dynamo.middlewareStack.add(middleware, { step: 'initialize', name });
  removeMiddleware = (name) => {
    dynamo.middlewareStack.remove(name);
  };
});
afterAll(async () => {
  await emulators.stop();
});

const registry = () => makeRegistryTable(emulators.dynamo, emulators.names.registryTable);

/** A registered lab with a fresh id, so that each test reads only its own items. */
const aLab = async (): Promise<string> => {
  labCounter += 1;
  const id = `lab_${String(labCounter).padStart(16, '0')}`;
  await registry().create({
    id,
    role: 'lab',
    name: 'CDC Quảng Ninh',
    status: 'ACTIVE',
    createdAt: NOW.toISOString(),
    credentialHash: `hash-${id}`,
    province: 'Quảng Ninh',
    testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
  });
  return id;
};

const recordOf = (s: Submission, messageId = `${s.labId}-${s.sampleId}`) =>
  sqsRecord(messageId, JSON.stringify(queued(s)));

const itemsOfLab = async (labId: string) => {
  const items = (await scanAll(emulators.dynamo, emulators.names.resultsTable)).filter(
    (i) => i.labId === labId,
  );
  return { samples: sampleItems(items), copies: holderItems(items) };
};

const labItem = async (labId: string) =>
  (
    await emulators.dynamo.send(
      new GetCommand({ TableName: emulators.names.registryTable, Key: { pk: 'ROLE#lab', sk: labId } }),
    )
  ).Item;

let registryUpdates = 0;
beforeEach(() => {
  registryUpdates = 0;
});

describe('the store function', () => {
  it('keeps lab freshness with exactly one registry write per lab for a batch of many results of two labs', async () => {
    // Given a batch of ten results, six of one lab and four of another
    const [labA, labB] = [await aLab(), await aLab()];
    const records = Array.from({ length: 10 }, (_, i) =>
      recordOf(
        aSubmission(
          { labId: i < 6 ? labA : labB, sampleId: `S-${i}`, idNumber: String(200_000_000 + i) },
          NOW,
        ),
      ),
    );
    addMiddleware(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateCommand' || context.commandName === 'UpdateItemCommand')
          registryUpdates += 1;
        return next(args);
      },
      'countUpdates',
    );

    // When the store function takes it
    const startedAt = new Date().toISOString();
    const response = await handler(sqsEvent(records), lambdaContext()).finally(() =>
      removeMiddleware('countUpdates'),
    );

    // Then every result is stored, and each lab's freshness is written once: integratedSince is its
    // earliest stored result of the batch, lastResultAt its latest
    expect(response.batchItemFailures).toEqual([]);
    expect(registryUpdates).toBe(2);
    for (const lab of [labA, labB]) {
      const item = await labItem(lab);
      const storedTimes = (await itemsOfLab(lab)).samples.map((sample) => String(sample.storedAt)).sort();
      expect(String(item?.lastResultAt) >= startedAt).toBe(true);
      expect(item?.integratedSince).toBe(storedTimes[0]);
      expect(item?.lastResultAt).toBe(storedTimes.at(-1));
    }
    expect((await itemsOfLab(labA)).samples).toHaveLength(6);
  });

  it('never moves lastResultAt back, and keeps integratedSince at the first stored result', async () => {
    // Given a lab whose first batch is stored
    const lab = await aLab();
    await handler(sqsEvent([recordOf(aSubmission({ labId: lab, sampleId: 'S-1' }, NOW))]), lambdaContext());
    const first = await labItem(lab);
    // and whose lastResultAt is, by another consumer, later than anything this batch will store
    const future = '2999-01-01T00:00:00.000Z';
    await emulators.dynamo.send(
      new UpdateCommand({
        TableName: emulators.names.registryTable,
        Key: { pk: 'ROLE#lab', sk: lab },
        UpdateExpression: 'SET lastResultAt = :future',
        ExpressionAttributeValues: { ':future': future },
      }),
    );

    // When a later batch is stored
    await handler(sqsEvent([recordOf(aSubmission({ labId: lab, sampleId: 'S-2' }, NOW))]), lambdaContext());

    // Then neither time goes back
    const after = await labItem(lab);
    expect(after?.lastResultAt).toBe(future);
    expect(after?.integratedSince).toBe(first?.integratedSince);
  });

  it('reports only the records that can never be stored, and stores their batch-mates', async () => {
    const lab = await aLab();
    const good = [0, 1, 2].map((i) => recordOf(aSubmission({ labId: lab, sampleId: `S-${i}` }, NOW)));
    const notJson = sqsRecord('not-json', '{"labId": ');
    const notAResult = sqsRecord(
      'not-a-result',
      JSON.stringify({ labId: lab, sampleId: 'S-9', result: 'NEGATIVE' }),
    );

    const response = await handler(
      sqsEvent([good[0], notJson, good[1], notAResult, good[2]].flatMap((r) => (r ? [r] : []))),
      lambdaContext(),
    );

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'not-a-result',
      'not-json',
    ]);
    expect((await itemsOfLab(lab)).samples).toHaveLength(3);
  });

  it('stores each result once when two batches with the same messages run at the same time', async () => {
    const lab = await aLab();
    const submissions = Array.from({ length: 8 }, (_, i) =>
      aSubmission({ labId: lab, sampleId: `S-${i}`, idNumber: String(300_000_000 + i) }, NOW),
    );
    const batch = () => sqsEvent(submissions.map((s) => recordOf(s)));

    const responses = await Promise.all([
      handler(batch(), lambdaContext()),
      handler(batch(), lambdaContext()),
    ]);

    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const { samples, copies } = await itemsOfLab(lab);
    expect(samples).toHaveLength(8);
    expect(copies.map((c) => c.pk).sort()).toEqual(submissions.map((s) => `HOLDER#${holderOf(s)}`).sort());
  });

  it('heals a crash in the middle of a batch, after a sample write and before its holder write, on redelivery', async () => {
    // Given a batch in which the holder write of one result fails once, after its sample item is written
    const lab = await aLab();
    const submissions = Array.from({ length: 5 }, (_, i) =>
      aSubmission({ labId: lab, sampleId: `S-${i}`, idNumber: String(400_000_000 + i) }, NOW),
    );
    const victim = `HOLDER#${holderOf(submissions[2] ?? aSubmission())}`;
    let crashes = 1;
    addMiddleware(
      (next, context) => async (args) => {
        const isPut = context.commandName === 'PutCommand' || context.commandName === 'PutItemCommand';
        if (isPut && crashes > 0 && JSON.stringify(args.input).includes(victim)) {
          crashes -= 1;
          throw new Error('crash before the holder write');
        }
        return next(args);
      },
      'crashOnce',
    );
    const records = submissions.map((s) => recordOf(s));

    // When the batch runs, and then the failed record comes back
    const first = await handler(sqsEvent(records), lambdaContext()).finally(() =>
      removeMiddleware('crashOnce'),
    );
    const failedIds = new Set(first.batchItemFailures.map((f) => f.itemIdentifier));
    const between = await itemsOfLab(lab);
    const second = await handler(
      sqsEvent(records.filter((r) => failedIds.has(r.messageId))),
      lambdaContext(),
    );

    // Then only that record failed, its sample item was written, and after redelivery the state is exact
    expect([...failedIds]).toEqual([`${lab}-S-2`]);
    expect(between.samples).toHaveLength(5);
    expect(between.copies).toHaveLength(4);
    expect(second.batchItemFailures).toEqual([]);
    const { samples, copies } = await itemsOfLab(lab);
    expect(samples).toHaveLength(5);
    expect(copies.map((c) => c.pk).sort()).toEqual(submissions.map((s) => `HOLDER#${holderOf(s)}`).sort());
    const versions = new Map(samples.map((s) => [s.sampleId, s.version]));
    expect(copies.every((c) => versions.get(c.sampleId) === c.version)).toBe(true);
  });
});
