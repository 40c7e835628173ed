import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type Role, roles } from '../../contract/vocabulary.js';
import {
  type AuditEntry,
  type AuditLog,
  InUseError,
  type Principal,
  type Registry,
  roleOfId,
} from '../domain/registry.js';
import { testTypes } from '../schemas/common.js';

/**
 * The registry table (see docs/data-model.md):
 * - principals `ROLE#<role>` / `<id>`, so the labs of the public list are one Query;
 * - credentials `CREDENTIAL#<sha256>` / `CREDENTIAL` → the principal id, role, name, status, createdAt and
 *   (labs) province and test types, (devices) jurisdiction and mode: all the authorizer needs, so a request costs one GetItem. The
 *   credential itself is never stored. create, setStatus and replaceCredential keep this copy current.
 *   Items written before the copy existed hold only the principal id and role; for them the principal is
 *   read as a second GetItem (and must still name this hash), so old data stays readable.
 * - audit entries `AUDIT` / `<ISO time>#<random>`: every operator change, oldest first in one Query.
 *   No TTL: a few hundred changes a year, and they are the province's record of who changed the
 *   public list; delete old ones by hand if a retention rule asks for it.
 */
const principalKey = (role: Role, id: string) => ({ pk: `ROLE#${role}`, sk: id });
const credentialKey = (hash: string) => ({ pk: `CREDENTIAL#${hash}`, sk: 'CREDENTIAL' });

const principalSchema = z.object({
  id: z.string(),
  role: z.enum(roles),
  name: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'REVOKED']),
  createdAt: z.string(),
  credentialHash: z.string(),
  province: z.string().optional(),
  testTypes: z.array(z.enum(testTypes)).optional(),
  integratedSince: z.string().optional(),
  lastResultAt: z.string().optional(),
  jurisdiction: z.string().optional(),
  mode: z.string().optional(),
  lastUsedAt: z.string().optional(),
});

const AUDIT_PK = 'AUDIT';
const auditSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});

const credentialSchema = z.object({ principalId: z.string() });

/** The principal as copied onto its credential item (without the lab's store statistics). */
const credentialCopySchema = z.object({
  principalId: z.string(),
  role: z.enum(roles),
  name: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'REVOKED']),
  createdAt: z.string(),
  province: z.string().optional(),
  testTypes: z.array(z.enum(testTypes)).optional(),
  jurisdiction: z.string().optional(),
  mode: z.string().optional(),
});

const credentialItem = (hash: string, principal: Principal) => ({
  ...credentialKey(hash),
  principalId: principal.id,
  role: principal.role,
  name: principal.name,
  status: principal.status,
  createdAt: principal.createdAt,
  ...(principal.province === undefined ? {} : { province: principal.province }),
  ...(principal.testTypes === undefined ? {} : { testTypes: principal.testTypes }),
  ...(principal.jurisdiction === undefined ? {} : { jurisdiction: principal.jurisdiction }),
  ...(principal.mode === undefined ? {} : { mode: principal.mode }),
});

export type RegistryTable = Registry &
  AuditLog & {
    /** Keeps a lab's integratedSince (first stored result) and lastResultAt (latest) current; one write. */
    recordStored(labId: string, stored: { first: string; last: string }): Promise<void>;
    /** The authorizer resolved this principal's credential at `at`: sets lastUsedAt, one UpdateItem. */
    recordUse(id: string, role: Role, at: string): Promise<void>;
  };

export const makeRegistryTable = (client: DynamoDBDocumentClient, tableName: string): RegistryTable => {
  const putCredential = (hash: string, principal: Principal) =>
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: credentialItem(hash, principal),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

  const getPrincipal = async (id: string): Promise<Principal | undefined> => {
    const role = roleOfId(id);
    if (role === undefined) return undefined;
    const out = await client.send(new GetCommand({ TableName: tableName, Key: principalKey(role, id) }));
    return out.Item === undefined ? undefined : principalSchema.parse(out.Item);
  };

  return {
    async create(principal) {
      // The credential item first: if the second write fails, it points at nobody and is refused.
      await putCredential(principal.credentialHash, principal);
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...principalKey(principal.role, principal.id), ...principal },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    get: getPrincipal,

    async principalByCredential(hash) {
      // Strongly consistent: a call right after a revoke (and the CLI's cache flush) must see it, or its
      // stale Allow would be cached for the TTL. Authorizer answers are cached, so these reads are few.
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: credentialKey(hash), ConsistentRead: true }),
      );
      if (out.Item === undefined) return undefined;
      const copy = credentialCopySchema.safeParse(out.Item);
      if (copy.success) {
        const { principalId, ...rest } = copy.data;
        return { id: principalId, credentialHash: hash, ...rest };
      }
      // An item from before the copy: the principal decides, and must still name this credential.
      const principal = await getPrincipal(credentialSchema.parse(out.Item).principalId);
      return principal?.credentialHash === hash ? principal : undefined;
    },

    async list(role) {
      const principals: Principal[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ROLE#${role}` },
        },
      );
      for await (const page of pages)
        principals.push(...(page.Items ?? []).map((item) => principalSchema.parse(item)));
      return principals;
    },

    async setStatus(id, status) {
      const role = roleOfId(id);
      if (role === undefined) return;
      // The credential's copy first: it is what the authorizer reads, so a revoke holds even if the
      // second write fails (the command then fails and is run again).
      const current = await getPrincipal(id);
      if (current !== undefined) {
        await client
          .send(
            new UpdateCommand({
              TableName: tableName,
              Key: credentialKey(current.credentialHash),
              UpdateExpression: 'SET #status = :status',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': status },
            }),
          )
          .catch((error: unknown) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          });
      }
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: principalKey(role, id),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    },

    async replaceCredential(principal, hash) {
      // New credential, then the old one gone (refused from here), then the principal names the new one.
      // If a later step fails the command fails: the new credential was never shown, so nobody holds it.
      await putCredential(hash, principal);
      await client.send(
        new DeleteCommand({ TableName: tableName, Key: credentialKey(principal.credentialHash) }),
      );
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: principalKey(principal.role, principal.id),
          UpdateExpression: 'SET credentialHash = :hash',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':hash': hash },
        }),
      );
    },

    async update(principal, changes) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      if (sets.length === 0) return;
      const update = {
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      // The credential's copy first, as in setStatus: it is what the authorizer (and verify's facility
      // name) reads. An old credential item without a copy needs no change.
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: credentialKey(principal.credentialHash),
            ...update,
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: principalKey(principal.role, principal.id),
          ...update,
        }),
      );
    },

    async remove(principal) {
      // The principal first, on condition it is still unused: a result stored or a request authorized
      // since the check makes it fail, and nothing is deleted.
      const unused = principal.role === 'lab' ? 'integratedSince' : 'lastUsedAt';
      await client
        .send(
          new DeleteCommand({
            TableName: tableName,
            Key: principalKey(principal.role, principal.id),
            ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${unused})`,
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof ConditionalCheckFailedException)
            throw new InUseError(
              `${principal.id} vừa được dùng, không xoá / was just used and was not removed.`,
            );
          throw error;
        });
      await client.send(
        new DeleteCommand({ TableName: tableName, Key: credentialKey(principal.credentialHash) }),
      );
    },

    async recordUse(id, role, at) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: principalKey(role, id),
            UpdateExpression: 'SET lastUsedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
    },

    async appendAudit(entry) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: AUDIT_PK, sk: `${entry.at}#${randomBytes(6).toString('hex')}`, ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async listAudit(since) {
      const entries: AuditEntry[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: since === undefined ? 'pk = :pk' : 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': AUDIT_PK, ...(since === undefined ? {} : { ':since': since }) },
        },
      );
      for await (const page of pages)
        entries.push(...(page.Items ?? []).map((item) => auditSchema.parse(item)));
      return entries;
    },

    async recordStored(labId, { first, last }) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: principalKey('lab', labId),
            UpdateExpression:
              'SET lastResultAt = :last, integratedSince = if_not_exists(integratedSince, :first)',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(lastResultAt) OR lastResultAt < :last)',
            ExpressionAttributeValues: { ':first': first, ':last': last },
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
    },
  };
};
