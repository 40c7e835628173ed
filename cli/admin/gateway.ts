import { readFile } from 'node:fs/promises';
import {
  type APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  FlushStageAuthorizersCacheCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { type Role, roles } from '../../contract/vocabulary.js';
import type { Principal } from '../../functions/domain/registry.js';
import { usageKeyOf } from '../../functions/http/policy.js';
import { functions } from '../../lib/routes.js';
import { dataPaths } from '../../local/data-dir.js';
import { viEn } from './bilingual.js';

/**
 * The gateway side of the registry: each principal's API key on its role's usage plan (its own
 * throttle, contract/limits.ts), and the authorizer cache that must forget a revoked credential.
 */
export interface Gateway {
  /** Makes sure the principal has its API key, enabled, on its role's usage plan. Idempotent. */
  ensureUsageKey(principalId: string, role: Role): Promise<KeyOutcome>;
  /** Deletes the principal's API key (a revoked principal spends none of the 10,000-key quota). */
  deleteUsageKey(principalId: string): Promise<KeyOutcome>;
  /** Every principal with a key and every revoked one without: for stacks upgraded from shared keys. */
  syncUsageKeys(principals: readonly Principal[]): Promise<SyncReport>;
  /** Forgets every cached authorizer answer, so a revocation takes effect at the next request. */
  flushAuthorizerCache(): Promise<FlushOutcome>;
}

/** `none`: the target keeps no API keys (the local gateway meters each principal by its id). */
export type KeyOutcome = 'created' | 'attached' | 'present' | 'deleted' | 'absent' | 'none';
/** `none`: there is no cache to flush (a local stack without a control endpoint). */
export type FlushOutcome = 'flushed' | 'none';

export interface SyncReport {
  readonly created: number;
  readonly attached: number;
  readonly present: number;
  readonly deleted: number;
}

/** The deployed stack's API, from its outputs (lib/resultgate-stack.ts). */
export interface AwsGatewayConfig {
  readonly stackName: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly usagePlanIds: Readonly<Record<Role, string>>;
  /** Waits that long (tests pass one that does not); a timer by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * How long after its first flush the CLI flushes the stage's authorizer cache again: the authorizer's
 * timeout and a second. An authorizer call that read the registry before the change, and answers after
 * the first flush, would put its stale Allow back in the cache for the whole TTL; by the second flush no
 * such call can still be running, and every later one reads the change (a strongly consistent read).
 */
export const SECOND_FLUSH_AFTER_MS = (functions.authorizeRequest.timeoutSeconds + 1) * 1000;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** API-key name of a principal: the stack's name first, so a stack's keys are found by prefix. */
export const usageKeyName = (stackName: string, principalId: string): string => `${stackName}-${principalId}`;

export const awsGateway = (client: APIGatewayClient, config: AwsGatewayConfig): Gateway => {
  const prefix = usageKeyName(config.stackName, '');

  /** The stack's API keys by name (GetApiKeys' nameQuery matches a prefix). */
  const listKeys = async (nameQuery: string): Promise<Map<string, string>> => {
    const keys = new Map<string, string>();
    let position: string | undefined;
    do {
      const page = await client.send(
        new GetApiKeysCommand({ nameQuery, includeValues: false, limit: 500, position }),
      );
      for (const key of page.items ?? []) {
        if (key.name?.startsWith(prefix) && key.id) keys.set(key.name, key.id);
      }
      position = page.position;
    } while (position);
    return keys;
  };

  const keyIdOf = async (principalId: string): Promise<string | undefined> => {
    const name = usageKeyName(config.stackName, principalId);
    return (await listKeys(name)).get(name);
  };

  const planKeyIds = async (usagePlanId: string): Promise<Set<string>> => {
    const ids = new Set<string>();
    let position: string | undefined;
    do {
      const page = await client.send(new GetUsagePlanKeysCommand({ usagePlanId, limit: 500, position }));
      for (const key of page.items ?? []) if (key.id) ids.add(key.id);
      position = page.position;
    } while (position);
    return ids;
  };

  const createKey = async (principalId: string): Promise<string> => {
    const name = usageKeyName(config.stackName, principalId);
    try {
      const created = await client.send(
        new CreateApiKeyCommand({
          name,
          value: usageKeyOf(config.stageName, principalId),
          enabled: true,
          description: 'Meters one ResultGate principal on its role usage plan (not a credential)',
        }),
      );
      if (created.id) return created.id;
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
    // A key with this value exists: made by a run that stopped half-way, or by another stack.
    const existing = await keyIdOf(principalId);
    if (existing === undefined)
      throw new Error(
        viEn(
          `Giá trị khoá API của ${principalId} đã thuộc về một khoá không mang tên ${name}: có ngăn xếp nào khác của stage ${config.stageName} đang chạy trong tài khoản và khu vực (Region) này không?`,
          `The API-key value of ${principalId} is taken by a key not named ${name}: does another stack of stage ${config.stageName} run in this account and Region?`,
        ),
      );
    return existing;
  };

  const attach = async (keyId: string, role: Role): Promise<boolean> => {
    try {
      await client.send(
        new CreateUsagePlanKeyCommand({ usagePlanId: config.usagePlanIds[role], keyId, keyType: 'API_KEY' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictException) return false; // already on the plan
      throw error;
    }
  };

  const deleteKey = async (keyId: string): Promise<void> => {
    try {
      await client.send(new DeleteApiKeyCommand({ apiKey: keyId }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
  };

  return {
    ensureUsageKey: async (principalId, role) => {
      const found = await keyIdOf(principalId);
      const keyId = found ?? (await createKey(principalId));
      const attached = await attach(keyId, role);
      return found === undefined ? 'created' : attached ? 'attached' : 'present';
    },
    deleteUsageKey: async (principalId) => {
      const keyId = await keyIdOf(principalId);
      if (keyId === undefined) return 'absent';
      await deleteKey(keyId);
      return 'deleted';
    },
    syncUsageKeys: async (principals) => {
      const keys = await listKeys(prefix);
      const onPlan = new Map<Role, Set<string>>();
      for (const role of roles) onPlan.set(role, await planKeyIds(config.usagePlanIds[role]));
      const report = { created: 0, attached: 0, present: 0, deleted: 0 };
      for (const principal of principals) {
        const keyId = keys.get(usageKeyName(config.stackName, principal.id));
        if (principal.status === 'REVOKED') {
          if (keyId !== undefined) {
            await deleteKey(keyId);
            report.deleted += 1;
          }
          continue;
        }
        if (keyId === undefined) {
          await attach(await createKey(principal.id), principal.role);
          report.created += 1;
        } else if (!onPlan.get(principal.role)?.has(keyId)) {
          await attach(keyId, principal.role);
          report.attached += 1;
        } else {
          report.present += 1;
        }
      }
      return report;
    },
    flushAuthorizerCache: async () => {
      const flush = () =>
        client.send(
          new FlushStageAuthorizersCacheCommand({ restApiId: config.restApiId, stageName: config.stageName }),
        );
      await flush();
      await (config.sleep ?? timer)(SECOND_FLUSH_AFTER_MS);
      await flush();
      return 'flushed';
    },
  };
};

/** Header the local gateway checks on its control endpoints. */
export const LOCAL_CONTROL_TOKEN_HEADER = 'X-Local-Control-Token';
export const LOCAL_FLUSH_PATH = '/_local/flush-authorizer-cache';

/**
 * `controlToken` of the running local stack's stack.json, read on its own: a local stack written by an
 * older version has none (and no authorizer cache to flush), which is not an error.
 */
export const readLocalControlToken = async (dataDir: string): Promise<string | undefined> => {
  const text = await readFile(dataPaths(dataDir).stack, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const token: unknown = Reflect.get(parsed, 'controlToken');
  return typeof token === 'string' && token !== '' ? token : undefined;
};

/** The local stack: no API keys; the cache is flushed through the local gateway's control endpoint. */
export const localGateway = (
  url: string,
  controlToken: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Gateway => ({
  ensureUsageKey: async () => 'none',
  deleteUsageKey: async () => 'none',
  syncUsageKeys: async () => ({ created: 0, attached: 0, present: 0, deleted: 0 }),
  flushAuthorizerCache: async () => {
    if (controlToken === undefined) return 'none';
    const response = await fetchImpl(`${url.replace(/\/$/, '')}${LOCAL_FLUSH_PATH}`, {
      method: 'POST',
      headers: { [LOCAL_CONTROL_TOKEN_HEADER]: controlToken },
    });
    if (response.status !== 204)
      throw new Error(
        viEn(
          `Cổng API cục bộ từ chối xoá bộ nhớ đệm của bộ xác thực (HTTP ${response.status}).`,
          `The local gateway refused to flush its authorizer cache (HTTP ${response.status}).`,
        ),
      );
    return 'flushed';
  },
});
