import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { liveVersions, type RuleSet } from '../../contract/rules.js';
import {
  HEAD_PK,
  LIVE_COMPLETE_SK,
  LIVE_PK,
  ruleSetOfDocument,
  VERSIONS_PK,
  versionSortKey,
} from './rule-set-keys.js';

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

/** Another version of the id was published between the publisher's read and its write. */
export class RuleSetChangedMeanwhileError extends Error {
  override readonly name = 'RuleSetChangedMeanwhileError';
}

export interface PublishOptions {
  /**
   * The last version of the id the publisher read and checked against (0: none). The version is written
   * only if that is still the last, so two people publishing the same id at once cannot both pass their
   * checks against a list that misses the other's version. Without it (fixtures, the default rule set
   * when no DEFAULT exists), only the version's own condition applies.
   */
  readonly after?: number;
}

/**
 * Copies retire a day after their version stopped being live by the publisher's clock, not at once: a
 * publisher whose clock runs ahead (a laptop) must not take away a version still in force for readers.
 */
const RETIRE_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long a moved head holds the id for its publication before another publisher may take it over. */
const HEAD_CLAIM_MS = 15 * 60 * 1000;

export interface RuleSetsTable {
  /** Every published version of every rule set. */
  list(): Promise<PublishedRuleSet[]>;
  /**
   * The versions in force or scheduled (the live copies; every version, when an older install has no
   * complete copies yet). `ruleInForce` answers over these as over `list()`, from now on.
   */
  listLive(): Promise<RuleSet[]>;
  /**
   * Writes a new version, then brings the live copies up to date (syncLive at its publishedAt);
   * RuleSetVersionExistsError if that id and version exist (versions are immutable);
   * RuleSetChangedMeanwhileError if another version of the id was published since `options.after`.
   */
  publish(published: PublishedRuleSet, options?: PublishOptions): Promise<void>;
  /**
   * Makes the live copies match the versions: a copy for each version live at `now` (less a day, see
   * RETIRE_AFTER_MS), the marker, and no copy of a version retired before that. Idempotent; run after each
   * publication, at each local start and at a deploy that runs the default-rules writer (the one bringing
   * the copies, lib/constructs/default-rules.ts), so an install whose versions predate the copies, or
   * a publication cut off between its two writes, is whole again.
   */
  syncLive(now: Date): Promise<void>;
}

const readItem = (item: Record<string, unknown>): PublishedRuleSet | undefined => {
  const { document, publishedAt, publishedBy, urgentReason } = item;
  const ruleSet = ruleSetOfDocument(document);
  if (!ruleSet || typeof publishedAt !== 'string' || typeof publishedBy !== 'string') return undefined;
  return {
    ruleSet,
    publishedAt,
    publishedBy,
    ...(typeof urgentReason === 'string' ? { urgentReason } : {}),
  };
};

const copyItem = (rule: RuleSet) => ({
  pk: LIVE_PK,
  sk: versionSortKey(rule.id, rule.version),
  document: JSON.stringify(rule),
});

/**
 * Rule sets in the registry table (rule-set-keys.ts, docs/data-model.md): every version as published
 * (its JSON text, exactly), written once and never changed, so a version sorts after the one before and
 * the whole history is one Query; and a live copy of each version in force or scheduled, the bounded set
 * verify and `GET /v1/rules` read.
 */
export const makeRuleSetsTable = (client: DynamoDBDocumentClient, tableName: string): RuleSetsTable => {
  const query = async (pk: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client },
      { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  };

  const list = async (): Promise<PublishedRuleSet[]> =>
    (await query(VERSIONS_PK)).flatMap((item) => readItem(item) ?? []);

  const syncLive = async (now: Date): Promise<void> => {
    // Copies before versions: a copy is written after its version, so every version whose copy was read
    // is among the versions read, and a publication running meanwhile never loses its copy here.
    const copies = await query(LIVE_PK);
    const versions = (await list()).map((p) => p.ruleSet);
    const wanted = liveVersions(versions, new Date(now.getTime() - RETIRE_AFTER_MS));
    const keyOf = (rule: RuleSet) => versionSortKey(rule.id, rule.version);
    const known = new Set(versions.map(keyOf));
    const wantedKeys = new Set(wanted.map(keyOf));
    const held = new Set(copies.map((item) => item.sk));
    const missing = wanted.filter((rule) => !held.has(keyOf(rule)));
    // Only copies of versions read and found retired: never one this reader does not know.
    const retired = copies.flatMap((item) =>
      typeof item.sk === 'string' && known.has(item.sk) && !wantedKeys.has(item.sk) ? [item.sk] : [],
    );
    // Copies first, the marker after them (a reader trusts the copies only once it is there), retirements
    // last: at no moment does a reader holding the marker miss a live version.
    await inBatches(missing, (rule) =>
      client.send(new PutCommand({ TableName: tableName, Item: copyItem(rule) })),
    );
    if (!held.has(LIVE_COMPLETE_SK))
      await client.send(
        new PutCommand({ TableName: tableName, Item: { pk: LIVE_PK, sk: LIVE_COMPLETE_SK } }),
      );
    await inBatches(retired, (sk) =>
      client.send(new DeleteCommand({ TableName: tableName, Key: { pk: LIVE_PK, sk } })),
    );
  };

  /**
   * Moves the id's head to this version if the head is not above `after` (the last version the publisher
   * read), or already holds this text (the same publication again). A head whose version was never
   * written (a publication cut off, its publisher gone) is taken over, on condition it is still that
   * head, once it has held the id for HEAD_CLAIM_MS: never on time alone, so a publisher whose clock runs
   * behind cannot make a written version look abandoned.
   */
  const digestOf = (document: string) => createHash('sha256').update(document).digest('base64url');

  /**
   * Gives the id back after the table refused the version outright (a ValidationException: nothing was
   * written), so the next publisher is not told for 15 minutes that this one is under way. Only while the
   * head still holds this text, and only if the version is not there (someone publishing the same text at
   * once may have written it): a written version keeps its head.
   */
  const releaseHead = async (ruleSet: RuleSet, document: string, after: number): Promise<void> => {
    const written = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: VERSIONS_PK, sk: versionSortKey(ruleSet.id, ruleSet.version) },
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    if (written.Item !== undefined) return;
    const held = {
      ConditionExpression: '#version = :version AND #digest = :digest',
      ExpressionAttributeNames: { '#version': 'version', '#digest': 'digest' },
    };
    const values = { ':version': ruleSet.version, ':digest': digestOf(document) };
    await client
      .send(
        after === 0
          ? new DeleteCommand({
              TableName: tableName,
              Key: { pk: HEAD_PK, sk: ruleSet.id },
              ...held,
              ExpressionAttributeValues: values,
            })
          : new UpdateCommand({
              TableName: tableName,
              Key: { pk: HEAD_PK, sk: ruleSet.id },
              UpdateExpression: 'SET #version = :after, #digest = :released',
              ...held,
              ExpressionAttributeValues: { ...values, ':after': after, ':released': '' },
            }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  };

  const moveHead = async (ruleSet: RuleSet, document: string, after: number, now: Date): Promise<void> => {
    const digest = digestOf(document);
    const move = (condition: string, values: Record<string, unknown>) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: HEAD_PK, sk: ruleSet.id },
          UpdateExpression: 'SET #version = :version, #digest = :digest, #movedAt = :now',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#version': 'version', '#digest': 'digest', '#movedAt': 'movedAt' },
          ExpressionAttributeValues: {
            ':version': ruleSet.version,
            ':digest': digest,
            ':now': now.toISOString(),
            ...values,
          },
        }),
      );
    const changedMeanwhile = () =>
      new RuleSetChangedMeanwhileError(
        `Một phiên bản khác của ${ruleSet.id} vừa được công bố hoặc đang được công bố; hãy xem lại (rules list). Nếu phiên bản đó không có trong danh sách, lần công bố đó đã bị ngắt: công bố lại đúng tệp đó, hoặc chờ ${HEAD_CLAIM_MS / 60_000} phút rồi thử lại / Another version of ${ruleSet.id} was published, or is being published, meanwhile; look again (rules list). If that version is not listed, its publication was cut off: publish that same file again, or wait ${HEAD_CLAIM_MS / 60_000} minutes and try again.`,
      );
    try {
      await move(
        'attribute_not_exists(#version) OR #version <= :after OR (#version = :version AND #digest = :digest)',
        {
          ':after': after,
        },
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const head = (
      await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: HEAD_PK, sk: ruleSet.id }, ConsistentRead: true }),
      )
    ).Item;
    const heldVersion = head?.version;
    const heldDigest = head?.digest;
    if (typeof heldVersion !== 'number' || typeof heldDigest !== 'string') throw changedMeanwhile();
    const movedAt = typeof head?.movedAt === 'string' ? Date.parse(head.movedAt) : Number.NaN;
    const written = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: VERSIONS_PK, sk: versionSortKey(ruleSet.id, heldVersion) },
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    const abandoned = written.Item === undefined && now.getTime() - movedAt >= HEAD_CLAIM_MS;
    if (!abandoned) throw changedMeanwhile();
    try {
      await move('#version = :heldVersion AND #digest = :heldDigest', {
        ':heldVersion': heldVersion,
        ':heldDigest': heldDigest,
      });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw changedMeanwhile();
      throw error;
    }
  };

  return {
    list,
    syncLive,

    async listLive() {
      const copies = await query(LIVE_PK);
      if (copies.some((item) => item.sk === LIVE_COMPLETE_SK))
        return copies.flatMap((item) => ruleSetOfDocument(item.document) ?? []);
      return (await list()).map((p) => p.ruleSet);
    },

    async publish({ ruleSet, publishedAt, publishedBy, urgentReason }, options = {}) {
      const document = JSON.stringify(ruleSet);
      // First the id's head moves to this version, on condition (no transactions: see data-model.md): a
      // publisher who read another last version than the head now holds fails here and writes nothing.
      // The same publication run again after a cut (head moved, version not written) passes, as the head
      // already holds its text's digest.
      if (options.after !== undefined)
        await moveHead(ruleSet, document, options.after, new Date(publishedAt));
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: VERSIONS_PK,
              sk: versionSortKey(ruleSet.id, ruleSet.version),
              document,
              publishedAt,
              publishedBy,
              ...(urgentReason === undefined ? {} : { urgentReason }),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new RuleSetVersionExistsError(
            `${ruleSet.id} phiên bản ${ruleSet.version} đã được công bố / ${ruleSet.id} version ${ruleSet.version} is already published.`,
          );
        }
        // The table's refusal is what the publisher needs to read, whatever becomes of the release.
        if (options.after !== undefined && error instanceof Error && error.name === 'ValidationException')
          await releaseHead(ruleSet, document, options.after).catch(() => undefined);
        throw error;
      }
      await syncLive(new Date(publishedAt));
    },
  };
};

/** Runs `write` over `items`, ten at a time. */
const inBatches = async <T>(items: readonly T[], write: (item: T) => Promise<unknown>): Promise<void> => {
  for (let i = 0; i < items.length; i += 10) await Promise.all(items.slice(i, i + 10).map(write));
};
