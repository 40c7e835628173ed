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
import { type Principal, type Registry, roleOfId } from '../domain/registry.js';
import { testTypes } from '../schemas/common.js';

/**
 * The registry table (see docs/data-model.md):
 * - principals `ROLE#<role>` / `<id>`, so the labs of the public list are one Query;
 * - credentials `CREDENTIAL#<sha256>` / `CREDENTIAL` → the principal id, role, name, status, createdAt and
 *   (labs) province and test types, (devices) jurisdiction and mode: all the authorizer needs, so a request costs one GetItem. The
 *   credential itself is never stored. create, setStatus and replaceCredential keep this copy current.
 *   Items written before the copy existed hold only the principal id and role; for them the principal is
 *   read as a second GetItem (and must still name this hash), so old data stays readable.
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

export type RegistryTable = Registry & {
  /** Keeps a lab's integratedSince (first stored result) and lastResultAt (latest) current; one write. */
  recordStored(labId: string, stored: { first: string; last: string }): Promise<void>;
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
      const out = await client.send(new GetCommand({ TableName: tableName, Key: credentialKey(hash) }));
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
