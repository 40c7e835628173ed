/** What the lab, device and app commands print after a registry change, and the gateway follow-ups they run. */
import { systemClock } from '../../../contract/clock.js';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../../contract/limits.js';
import type { Role } from '../../../contract/vocabulary.js';
import { type Issued, makeRegistryCommands, type Principal } from '../../../functions/domain/registry.js';
import { classify, EXIT } from '../errors.js';
import { type Output, orDash, table } from '../output.js';
import type { Target } from '../target.js';

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** The registry commands on a target, each change recorded in its audit trail. */
export const registryOf = (target: Target) =>
  makeRegistryCommands(target.registry, systemClock, target.audit);

const principalView = (p: Principal) => ({
  id: p.id,
  name: p.name,
  status: p.status,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt ?? null,
});

const issued = (what: string, out: Issued, verb = 'registered'): Output => ({
  json: out,
  text:
    `${what} ${out.id} ${verb}\n` +
    `credential: ${out.credential}\n` +
    'Keep it safe: it is shown only this once and stored only as a hash.\n',
});

/** A follow-up on the gateway, after the registry change is made: what happened, for the operator. */
interface FollowUp {
  readonly note: string;
  readonly failed: boolean;
}

const RETRY_FLUSH = '`npm run admin -- cache flush` (same target) once the cause is fixed';

/** Flushes the gateway's cached credentials, so the change takes effect at the caller's next request. */
const flushCache = async (target: Target): Promise<FollowUp & { readonly flushed: boolean }> => {
  try {
    const outcome = await target.flushAuthorizerCache();
    return outcome === 'flushed'
      ? {
          note: "It takes effect now: the gateway's credential cache was flushed.",
          failed: false,
          flushed: true,
        }
      : {
          note: `This stack's gateway offers no cache flush: it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s.`,
          failed: false,
          flushed: false,
        };
  } catch (error) {
    return {
      note: `The gateway's credential cache could not be flushed (${classify(error).message}); it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s, or at once after ${RETRY_FLUSH}.`,
      failed: true,
      flushed: false,
    };
  }
};

const SYNC = '`npm run admin -- keys sync` (same target)';

/** Gives a new principal its API key on its role's usage plan (its own throttle). */
export const provisionKey = async (target: Target, id: string, role: Role): Promise<FollowUp> => {
  try {
    await target.gateway.ensureUsageKey(id, role);
    return { note: '', failed: false };
  } catch (error) {
    return {
      note: `Its API key could not be made (${classify(error).message}): the gateway refuses its calls (403) until ${SYNC} makes it.`,
      failed: true,
    };
  }
};

/** Deletes a revoked principal's API key, so it spends none of the account's 10,000 keys. */
export const removeKey = async (target: Target, id: string): Promise<FollowUp> => {
  try {
    await target.gateway.deleteUsageKey(id);
    return { note: '', failed: false };
  } catch (error) {
    return {
      note: `Its API key could not be deleted (${classify(error).message}); ${SYNC} deletes it later. The credential is refused all the same.`,
      failed: true,
    };
  }
};

/** Adds the follow-ups' notes to an output; a failed follow-up makes the exit code 3. */
const withFollowUps = (output: Output, ...followUps: readonly FollowUp[]): Output => {
  const notes = followUps.map((f) => f.note).filter((note) => note !== '');
  const warnings = followUps.filter((f) => f.failed).map((f) => f.note);
  const json =
    warnings.length === 0 || typeof output.json !== 'object' || output.json === null
      ? output.json
      : { ...output.json, warnings };
  return {
    json,
    text: `${output.text}${notes.map((note) => `${note}\n`).join('')}`,
    ...(warnings.length > 0 ? { exitCode: EXIT.FAILED } : {}),
  };
};

export const statusChanged = async (
  target: Target,
  what: string,
  id: string,
  status: Principal['status'],
  ...more: readonly FollowUp[]
): Promise<Output> => {
  const flush = await flushCache(target);
  return withFollowUps(
    { json: { id, status, cacheFlushed: flush.flushed }, text: `${what} ${id} is now ${status}.\n` },
    flush,
    ...more,
  );
};

export const registered = async (target: Target, what: string, role: Role, out: Issued): Promise<Output> =>
  withFollowUps(issued(what, out), await provisionKey(target, out.id, role));

/** The JSON stays `{id, credential}` (scripts parse it strictly); the text says whether the cache was flushed. */
export const rotated = async (target: Target, what: string, out: Issued): Promise<Output> => {
  const flush = await flushCache(target);
  return withFollowUps(issued(what, out, 'has a new credential'), {
    ...flush,
    note: flush.note.replace('It takes effect', 'The old credential stops working'),
  });
};

export const TAKES_EFFECT =
  "The gateway's credential cache is flushed at once, so this takes effect at the next request.";

export const listOf = (role: Role, key: string) => async (target: Target) => {
  const principals = (await registryOf(target).list(role))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map(principalView);
  return {
    json: { [key]: principals },
    text: table(
      principals.map((p) => ({
        id: p.id,
        name: p.name,
        status: p.status,
        createdAt: p.createdAt,
        'last used': orDash(p.lastUsedAt),
      })),
      ['id', 'name', 'status', 'createdAt', 'last used'],
    ),
  };
};

/**
 * After an update: what changed, old → new. The cache is flushed when something changed, because the
 * authorizer hands the principal's name on to the functions (a lab's name goes with each result it sends).
 */
export const updated = async (
  target: Target,
  what: string,
  id: string,
  changes: Readonly<Record<string, readonly [unknown, unknown]>>,
): Promise<Output> => {
  const fields = Object.entries(changes);
  const show = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  const json = {
    id,
    changes: Object.fromEntries(fields.map(([field, [from, to]]) => [field, { from, to }])),
  };
  if (fields.length === 0)
    return {
      json,
      text: `Không có gì thay đổi / nothing to change: ${what} ${id} already has these values.\n`,
    };
  const flush = await flushCache(target);
  return withFollowUps(
    {
      json: { ...json, cacheFlushed: flush.flushed },
      text:
        `${what} ${id}: ${fields.map(([field, [from, to]]) => `${field} "${show(from)}" → "${show(to)}"`).join('; ')}\n` +
        'Đã ghi nhật ký / recorded in the audit (`audit list`).\n',
    },
    flush,
  );
};

/** After a remove: the credential is gone; the gateway forgets it and its API key. */
export const removed = async (target: Target, what: string, id: string): Promise<Output> => {
  const key = await removeKey(target, id);
  const flush = await flushCache(target);
  return withFollowUps(
    {
      json: { id, removed: true, cacheFlushed: flush.flushed },
      text: `Đã xoá ${what} ${id} / ${what} ${id} removed: its credential no longer works.\n`,
    },
    flush,
    key,
  );
};
