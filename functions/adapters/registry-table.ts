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
import { type Role, roles } from '../../lib/routes.js';
import { type Principal, type Registry, roleOfId } from '../domain/registry.js';
import { testTypes } from '../schemas/common.js';

/**
 * The registry table (see docs/data-model.md):
 * - principals `ROLE#<role>` / `<id>`, so the labs of the public list are one Query;
 * - credentials `CREDENTIAL#<sha256>` / `CREDENTIAL` → the principal id (the credential is never stored).
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
});

const credentialSchema = z.object({ principalId: z.string() });

export type RegistryTable = Registry & {
  /** Keeps a lab's integratedSince (first stored result) and lastResultAt (latest) current; one write. */
  recordStored(labId: string, stored: { first: string; last: string }): Promise<void>;
};

export const makeRegistryTable = (client: DynamoDBDocumentClient, tableName: string): RegistryTable => {
  const putCredential = (hash: string, principal: Principal) =>
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...credentialKey(hash), principalId: principal.id, role: principal.role },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

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

    async get(id) {
      const role = roleOfId(id);
      if (role === undefined) return undefined;
      const out = await client.send(new GetCommand({ TableName: tableName, Key: principalKey(role, id) }));
      return out.Item === undefined ? undefined : principalSchema.parse(out.Item);
    },

    async findCredential(hash) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: credentialKey(hash) }));
      return out.Item === undefined ? undefined : credentialSchema.parse(out.Item).principalId;
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
      await putCredential(hash, principal);
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: principalKey(principal.role, principal.id),
          UpdateExpression: 'SET credentialHash = :hash',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':hash': hash },
        }),
      );
      // The principal no longer names the old hash, so it is refused even before this delete.
      await client.send(
        new DeleteCommand({ TableName: tableName, Key: credentialKey(principal.credentialHash) }),
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
