/** What the lab, device and app commands print after a registry change, and the gateway follow-ups they run. */
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../../contract/limits.js';
import { DEFAULT_MODE, NATIONAL } from '../../../contract/rules.js';
import type { Role } from '../../../contract/vocabulary.js';
import { type Issued, makeRegistryCommands, type Principal } from '../../../functions/domain/registry.js';
import { type ViEnText, viEn, viNoun, viNounFirst, viStatus } from '../bilingual.js';
import { classify, EXIT } from '../errors.js';
import { type Output, orDash, table } from '../output.js';
import type { Target } from '../target.js';

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** The registry commands on a target, each change recorded in its audit trail. */
export const registryOf = (target: Target) =>
  makeRegistryCommands(target.registry, target.serviceClock, target.audit);

const principalView = (p: Principal) => ({
  id: p.id,
  name: p.name,
  status: p.status,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt ?? null,
});

const issued = (what: string, out: Issued, how: 'registered' | 'rotated' = 'registered'): Output => ({
  json: out,
  text:
    `${
      how === 'registered'
        ? viEn(`Đã đăng ký ${viNoun(what)} ${out.id}`, `${what} ${out.id} registered`)
        : viEn(
            `${viNounFirst(what)} ${out.id} đã có mã truy cập mới`,
            `${what} ${out.id} has a new credential`,
          )
    }\n` +
    `credential: ${out.credential}\n` +
    `${viEn(
      'Hãy giữ kỹ: mã truy cập chỉ hiện một lần này và chỉ được lưu dưới dạng băm.',
      'Keep it safe: it is shown only this once and stored only as a hash.',
    )}\n`,
});

/** A follow-up on the gateway, after the registry change is made: what happened, for the operator. */
interface FollowUp {
  readonly note: string;
  readonly failed: boolean;
}

const RETRY_FLUSH = '`npm run admin -- cache flush` (same target) once the cause is fixed';
const RETRY_FLUSH_VI = '`npm run admin -- cache flush` (cùng ngăn xếp) khi đã khắc phục nguyên nhân';

/** What takes effect once the cache is flushed: the change, or (after a rotation) the old credential's end. */
interface Effect {
  readonly vi: string;
  readonly en: string;
}
const CHANGE_TAKES_EFFECT: Effect = { vi: 'Thay đổi có hiệu lực', en: 'It takes effect' };
const OLD_CREDENTIAL_STOPS: Effect = {
  vi: 'Mã truy cập cũ hết hiệu lực',
  en: 'The old credential stops working',
};

/**
 * Flushes the gateway's cached credentials, so the change takes effect at the caller's next request.
 * A failure's cause is told once, in the English half, where it always was (it is mostly AWS's English).
 */
const flushCache = async (
  target: Target,
  effect: Effect = CHANGE_TAKES_EFFECT,
): Promise<FollowUp & { readonly flushed: boolean }> => {
  try {
    const outcome = await target.flushAuthorizerCache();
    return outcome === 'flushed'
      ? {
          note: viEn(
            `${effect.vi} ngay: đã xoá bộ nhớ đệm mã truy cập của cổng API.`,
            `${effect.en} now: the gateway's credential cache was flushed.`,
          ),
          failed: false,
          flushed: true,
        }
      : {
          note: viEn(
            `Cổng API của ngăn xếp này không có chức năng xoá bộ nhớ đệm: thay đổi có hiệu lực trong vòng ${AUTHORIZER_CACHE_TTL_SECONDS} giây.`,
            `This stack's gateway offers no cache flush: it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s.`,
          ),
          failed: false,
          flushed: false,
        };
  } catch (error) {
    return {
      note: viEn(
        `Không xoá được bộ nhớ đệm mã truy cập của cổng API; thay đổi có hiệu lực trong vòng ${AUTHORIZER_CACHE_TTL_SECONDS} giây, hoặc ngay sau khi chạy ${RETRY_FLUSH_VI}.`,
        `The gateway's credential cache could not be flushed (${classify(error).message}); it takes effect within ${AUTHORIZER_CACHE_TTL_SECONDS} s, or at once after ${RETRY_FLUSH}.`,
      ),
      failed: true,
      flushed: false,
    };
  }
};

const SYNC = '`npm run admin -- keys sync` (same target)';
const SYNC_VI = '`npm run admin -- keys sync` (cùng ngăn xếp)';

/** Gives a new principal its API key on its role's usage plan (its own throttle). */
export const provisionKey = async (target: Target, id: string, role: Role): Promise<FollowUp> => {
  try {
    await target.gateway.ensureUsageKey(id, role);
    return { note: '', failed: false };
  } catch (error) {
    return {
      note: viEn(
        `Không tạo được khoá API: cổng API từ chối mọi lệnh gọi của nó (403) cho đến khi ${SYNC_VI} tạo được khoá.`,
        `Its API key could not be made (${classify(error).message}): the gateway refuses its calls (403) until ${SYNC} makes it.`,
      ),
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
      note: viEn(
        `Không xoá được khoá API; ${SYNC_VI} sẽ xoá sau. Mã truy cập vẫn bị từ chối như thường.`,
        `Its API key could not be deleted (${classify(error).message}); ${SYNC} deletes it later. The credential is refused all the same.`,
      ),
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
    {
      json: { id, status, cacheFlushed: flush.flushed },
      text: `${viEn(
        `${viNounFirst(what)} ${id} hiện ở trạng thái ${status} (${viStatus(status)}).`,
        `${what} ${id} is now ${status}.`,
      )}\n`,
    },
    flush,
    ...more,
  );
};

export const registered = async (target: Target, what: string, role: Role, out: Issued): Promise<Output> =>
  withFollowUps(issued(what, out), await provisionKey(target, out.id, role));

/** The JSON stays `{id, credential}` (scripts parse it strictly); the text says whether the cache was flushed. */
export const rotated = async (target: Target, what: string, out: Issued): Promise<Output> => {
  return withFollowUps(issued(what, out, 'rotated'), await flushCache(target, OLD_CREDENTIAL_STOPS));
};

/** The last sentence of the help of the commands that flush the cache. */
export const TAKES_EFFECT: ViEnText = {
  vi: 'Bộ nhớ đệm mã truy cập của cổng API được xoá ngay, nên thay đổi có hiệu lực từ yêu cầu tiếp theo.',
  en: "The gateway's credential cache is flushed at once, so this takes effect at the next request.",
};

/**
 * A device's province and default mode as verify reads them: a device registered before rule sets has
 * neither and is `VN`/`ENTRY`. Listed, so an operator sees what a device was registered for.
 */
const scopeView = (p: Principal) => ({
  jurisdiction: p.jurisdiction ?? NATIONAL,
  mode: p.mode ?? DEFAULT_MODE,
});

export const listOf = (role: Role, key: string) => async (target: Target) => {
  const principals = (await registryOf(target).list(role))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map((p) => ({ ...principalView(p), ...(role === 'checkpoint' ? scopeView(p) : {}) }));
  const scoped = role === 'checkpoint';
  return {
    json: { [key]: principals },
    text: table(
      principals.map((p) => ({
        id: p.id,
        name: p.name,
        status: p.status,
        ...('jurisdiction' in p ? { scope: `${p.jurisdiction}/${p.mode}` } : {}),
        createdAt: p.createdAt,
        'last used': orDash(p.lastUsedAt),
      })),
      ['id', 'name', 'status', ...(scoped ? ['scope'] : []), 'createdAt', 'last used'],
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
      text: `${viEn(
        `Không có gì thay đổi: ${viNoun(what)} ${id} đã có sẵn các giá trị này.`,
        `nothing to change: ${what} ${id} already has these values.`,
      )}\n`,
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
      text: `${viEn(
        `Đã xoá ${viNoun(what)} ${id}: mã truy cập của nó không còn dùng được.`,
        `${what} ${id} removed: its credential no longer works.`,
      )}\n`,
    },
    flush,
    key,
  );
};
