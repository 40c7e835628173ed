import { createHash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../contract/clock.js';
import { findProvince, formerCodeAdvice, mergedInto } from '../../contract/provinces.js';
import { DEFAULT_MODE, isMode, NATIONAL } from '../../contract/rules.js';
import { isJurisdictionInForce, jurisdictionNotInForce } from '../../contract/rules-publication.js';
import type { Role } from '../../contract/vocabulary.js';
import { NotFoundError, ValidationFailedError } from '../errors.js';
import {
  HIDDEN_CHARACTERS_MESSAGE,
  hasControlCharacters,
  hasHiddenCharacters,
  type TestType,
} from '../schemas/common.js';

export type PrincipalStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

/** A lab, a checkpoint device or a citizen-app backend: whoever holds a credential. */
export interface Principal {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly status: PrincipalStatus;
  readonly createdAt: string;
  /** The SHA-256 of the current credential; the credential itself is shown once and never stored. */
  readonly credentialHash: string;
  /** Labs only. */
  readonly province?: string;
  readonly testTypes?: readonly TestType[];
  readonly integratedSince?: string;
  readonly lastResultAt?: string;
  /**
   * Checkpoint devices only: the province (ISO 3166-2, e.g. `VN-13`) and the default mode (e.g. `ENTRY`)
   * whose rule set verify applies. Devices registered before rule sets have neither: `VN`/`ENTRY`.
   */
  readonly jurisdiction?: string;
  readonly mode?: string;
  /** When the authorizer last resolved its credential (at most once per authorizer-cache TTL). */
  readonly lastUsedAt?: string;
}

/** What an operator may correct on a principal: never its id, role, status or credential. */
export type PrincipalChanges = Partial<Pick<Principal, 'name' | 'province' | 'testTypes'>>;

/** One recorded change to the registry: who, when, what (old and new values, never a credential). */
export interface AuditEntry {
  readonly at: string;
  /** The operator: the OS user locally, the AWS identity against a deployed stack. */
  readonly actor: string;
  /** `<noun>.<verb>`, e.g. `lab.update`, `device.revoke`. */
  readonly action: string;
  readonly subject: string;
  /** Field → [old, new]; an added principal has old null, a removed one new null. */
  readonly changes: Readonly<Record<string, readonly [unknown, unknown]>>;
}

/** Where audit entries are kept (the registry table, `AUDIT` items). */
export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Entries at or after `since` (ISO time), oldest first. */
  listAudit(since?: string): Promise<AuditEntry[]>;
}

/** Who acts, resolved once per command; and the log. */
export interface Audit {
  readonly log: AuditLog;
  actor(): Promise<string>;
}

/** A lab name already used in the same province (NFC, case-insensitive); `--force` registers it anyway. */
export class DuplicateNameError extends Error {
  override readonly name = 'DuplicateNameError';
  constructor(
    readonly existing: readonly { readonly id: string; readonly name: string }[],
    province: string,
  ) {
    const ids = existing.map((p) => p.id).join(', ');
    super(
      `Đã có cơ sở cùng tên ở ${province} (${ids}); kiểm tra \`lab list\`, hoặc thêm --force nếu đúng là cơ sở khác. ` +
        `A lab of the same name already exists in ${province} (${ids}); check \`lab list\`, or add --force if it really is another lab.`,
    );
  }
}

/** A principal that was used (a lab that sent a result, a device or app whose credential was used). */
export class InUseError extends Error {
  override readonly name = 'InUseError';
}

/** The port to the registry table. */
export interface Registry {
  /** Adds the principal and its credential; fails if the id exists. */
  create(principal: Principal): Promise<void>;
  get(id: string): Promise<Principal | undefined>;
  /**
   * The principal a credential hash belongs to, with its current status; undefined if the credential is
   * unknown or rotated away. May leave out a lab's integratedSince and lastResultAt.
   */
  principalByCredential(credentialHash: string): Promise<Principal | undefined>;
  list(role: Role): Promise<Principal[]>;
  setStatus(id: string, status: PrincipalStatus): Promise<void>;
  /** Makes `credentialHash` the principal's only credential. */
  replaceCredential(principal: Principal, credentialHash: string): Promise<void>;
  /** Changes name, province or test types, on the principal and on its credential's copy. */
  update(principal: Principal, changes: PrincipalChanges): Promise<void>;
  /**
   * Deletes the principal and its credential, only while it has never been used (a lab: no
   * integratedSince; others: no lastUsedAt); throws InUseError otherwise.
   */
  remove(principal: Principal): Promise<void>;
}

const ID_PREFIX: Record<Role, string> = { lab: 'lab', checkpoint: 'dev', app: 'app' };

export const roleOfId = (id: string): Role | undefined =>
  (Object.keys(ID_PREFIX) as Role[]).find((role) => id.startsWith(`${ID_PREFIX[role]}_`));

const newId = (role: Role): string => `${ID_PREFIX[role]}_${randomBytes(8).toString('hex')}`;

/**
 * Credentials carry 256 random bits, so a plain SHA-256 is enough to store them: unlike an ID number or a
 * password, there is nothing to guess.
 */
export const newCredential = (role: Role): string =>
  `rg_${ID_PREFIX[role]}_${randomBytes(32).toString('base64url')}`;

export const hashCredential = (credential: string): string =>
  createHash('sha256').update(credential, 'utf8').digest('hex');

export interface Issued {
  readonly id: string;
  readonly credential: string;
}

/** Where a checkpoint device checks, and for what (contract/rules.ts). */
export interface DeviceScope {
  readonly jurisdiction: string;
  readonly mode: string;
}

export interface NewLab {
  readonly name: string;
  readonly province: string;
  readonly testTypes: readonly TestType[];
}

const inUse = (principal: Principal, since: string): InUseError => {
  const what = NOUN_TEXT[principal.role];
  const instead = principal.role === 'lab' ? 'lab suspend' : `${NOUN_TEXT[principal.role].en} revoke`;
  const fact =
    principal.role === 'lab'
      ? { vi: `đã gửi kết quả từ ${since}`, en: `has sent results since ${since}` }
      : { vi: `đã được dùng (lần cuối ${since})`, en: `has been used (last at ${since})` };
  return new InUseError(
    `Không xoá được ${what.vi} ${principal.id}: ${fact.vi}; dùng \`${instead} ${principal.id}\`. ` +
      `Cannot remove ${what.en} ${principal.id}: it ${fact.en}; use \`${instead} ${principal.id}\` instead.`,
  );
};

const NOUN_TEXT: Record<Role, { vi: string; en: string }> = {
  lab: { vi: 'cơ sở xét nghiệm', en: 'lab' },
  checkpoint: { vi: 'thiết bị', en: 'device' },
  app: { vi: 'ứng dụng', en: 'app' },
};

const requireName = (name: string, field: string): string => {
  const trimmed = name.normalize('NFC').trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new ValidationFailedError(`${field} phải dài 1-200 ký tự. / ${field} must be 1-200 characters.`, [
      { path: field, message: 'must be 1-200 characters' },
    ]);
  }
  // A facility's name is shown to officers beside the verdict: no reversed or invisible text.
  if (hasHiddenCharacters(trimmed)) {
    throw new ValidationFailedError(
      `${field} không được chứa ký tự định dạng vô hình (như U+202E hay U+200B) hoặc nửa cặp thay thế (surrogate) lẻ. / ${field} ${HIDDEN_CHARACTERS_MESSAGE}.`,
      [{ path: field, message: HIDDEN_CHARACTERS_MESSAGE }],
    );
  }
  // One line of plain text: a line break would split the officer's screen, an ESC sequence would reach
  // the operator's terminal when the CLI prints the name.
  if (hasControlCharacters(trimmed)) {
    throw new ValidationFailedError(
      `${field} không được chứa ký tự điều khiển hay xuống dòng. / ${field} must not contain control characters or line breaks.`,
      [{ path: field, message: 'must not contain control characters or line breaks' }],
    );
  }
  return trimmed;
};

/** Two lab names that read the same to people: NFC, trimmed, single spaces, case-insensitive. */
export const sameName = (a: string, b: string): boolean => {
  const key = (s: string) => s.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('vi');
  return key(a) === key(b);
};

/** The province's name as the official list writes it, or a VALIDATION_FAILED naming the closest ones. */
export const requireProvince = (input: string): string => {
  const lookup = findProvince(input);
  if (lookup.found) return lookup.province.name;
  const merged = mergedInto(input);
  const code = input.trim().toUpperCase();
  const advice = formerCodeAdvice(code);
  const hint = merged
    ? ` ${input.trim()} đã nhập vào ${merged.name} từ 01/07/2025 / was merged into ${merged.name} on 1 July 2025.`
    : advice
      ? ` ${code} ${advice.vi}. / ${code} ${advice.en}.`
      : '';
  const near = lookup.suggestions.length > 0 ? lookup.suggestions.join(', ') : undefined;
  throw new ValidationFailedError(
    `Không có tỉnh/thành "${input.trim()}" trong danh sách 34 đơn vị hành chính cấp tỉnh` +
      `${near ? `; có phải: ${near}?` : ''} ` +
      `No province "${input.trim()}" in the list of 34 provincial units` +
      `${near ? `; did you mean: ${near}?` : ''} ` +
      '(tên có dấu hoặc mã ISO / the name with diacritics or the ISO code, e.g. "Hải Phòng" or VN-HP).' +
      hint,
    [{ path: 'province', message: near ? `unknown province; did you mean: ${near}?` : 'unknown province' }],
  );
};

interface DuplicateOption {
  readonly refuseDuplicateName?: boolean;
}

const noAudit: Audit = {
  log: { appendAudit: async () => {}, listAudit: async () => [] },
  actor: async () => 'unknown',
};

const NOUN: Record<Role, string> = { lab: 'lab', checkpoint: 'device', app: 'app' };

/** The refusal of a jurisdiction not in force; a former unit's code (VN-61) is told the code to use. */
const jurisdictionRefused = (given: string): ValidationFailedError => {
  const code = given.trim();
  const advice = formerCodeAdvice(code);
  return new ValidationFailedError(
    advice
      ? `jurisdiction ${code} ${advice.vi}. / jurisdiction ${code} ${advice.en}.`
      : 'jurisdiction phải là mã ISO 3166-2 của một tỉnh, thành phố hiện hành như VN-13, hoặc VN. / jurisdiction must be the ISO 3166-2 code of a province in force, such as VN-13, or VN.',
    [{ path: 'jurisdiction', message: jurisdictionNotInForce(code) }],
  );
};

/**
 * A device's jurisdiction is a province in force (or VN) and its mode a mode's form, or a
 * ValidationFailedError naming the field: checked before anything is registered, one device or many.
 */
export const requireDeviceScope = (scope: DeviceScope): void => {
  if (!isJurisdictionInForce(scope.jurisdiction)) throw jurisdictionRefused(scope.jurisdiction);
  if (!isMode(scope.mode))
    throw new ValidationFailedError(
      'mode phải gồm 2-30 ký tự A-Z và _, ví dụ ENTRY. / mode must be 2-30 of A-Z and _, e.g. ENTRY.',
      [{ path: 'mode', message: 'must be 2-30 of A-Z and _, e.g. ENTRY' }],
    );
};

/** The operator's registry commands; each change is recorded in `audit` after it is made. */
export const makeRegistryCommands = (
  registry: Registry,
  clock: Clock = systemClock,
  audit: Audit = noAudit,
) => {
  const record = async (role: Role, verb: string, subject: string, changes: AuditEntry['changes'] = {}) =>
    audit.log.appendAudit({
      at: clock.now().toISOString(),
      actor: await audit.actor(),
      action: `${NOUN[role]}.${verb}`,
      subject,
      changes,
    });

  /** Labs of the same name in the same province, other than `exceptId`. */
  const namesakes = async (name: string, province: string, exceptId?: string) =>
    (await registry.list('lab')).filter(
      (lab) =>
        lab.id !== exceptId &&
        lab.status !== 'REVOKED' &&
        sameName(lab.name, name) &&
        sameName(lab.province ?? '', province),
    );

  const issue = async (role: Role, name: string, extra: Partial<Principal> = {}): Promise<Issued> => {
    const credential = newCredential(role);
    const principal: Principal = {
      id: newId(role),
      role,
      name: requireName(name, 'name'),
      status: 'ACTIVE',
      createdAt: clock.now().toISOString(),
      credentialHash: hashCredential(credential),
      ...extra,
    };
    await registry.create(principal);
    await record(role, 'add', principal.id, {
      name: [null, principal.name],
      ...(principal.province === undefined ? {} : { province: [null, principal.province] }),
      ...(principal.testTypes === undefined ? {} : { testTypes: [null, principal.testTypes] }),
    });
    return { id: principal.id, credential };
  };

  const existing = async (id: string, role: Role): Promise<Principal> => {
    const principal = roleOfId(id) === role ? await registry.get(id) : undefined;
    if (!principal)
      throw new NotFoundError(
        `Không có ${NOUN_TEXT[role].vi} với id ${id}. / No ${NOUN_TEXT[role].en} with id ${id}.`,
      );
    return principal;
  };

  return {
    /**
     * With `refuseDuplicateName` (the admin CLI, unless --force), a name already used in the province is
     * refused (DuplicateNameError). Off by default: tests and fixtures register the same name freely.
     */
    addLab: async (lab: NewLab, options: DuplicateOption = {}) => {
      const name = requireName(lab.name, 'name');
      const province = requireProvince(lab.province);
      if (options.refuseDuplicateName) {
        const same = await namesakes(name, province);
        if (same.length > 0) throw new DuplicateNameError(same, province);
      }
      return issue('lab', name, { province, testTypes: [...new Set(lab.testTypes)] });
    },
    addDevice: async (name: string, scope: DeviceScope = { jurisdiction: NATIONAL, mode: DEFAULT_MODE }) => {
      requireDeviceScope(scope);
      return issue('checkpoint', name, { jurisdiction: scope.jurisdiction, mode: scope.mode });
    },

    addApp: (name: string) => issue('app', name),
    /** Corrects a principal; returns the fields that changed as [old, new] (empty: nothing to do). */
    update: async (
      id: string,
      role: Role,
      wanted: PrincipalChanges,
      options: DuplicateOption = {},
    ): Promise<AuditEntry['changes']> => {
      const principal = await existing(id, role);
      if (principal.status === 'REVOKED') throw new NotFoundError(`${id} đã bị thu hồi. / ${id} is revoked.`);
      const next: { -readonly [K in keyof PrincipalChanges]: PrincipalChanges[K] } = {};
      if (wanted.name !== undefined) next.name = requireName(wanted.name, 'name');
      if (role === 'lab') {
        if (wanted.province !== undefined) next.province = requireProvince(wanted.province);
        if (wanted.testTypes !== undefined) next.testTypes = [...new Set(wanted.testTypes)];
      }
      const changes: Record<string, readonly [unknown, unknown]> = {};
      const changed: { -readonly [K in keyof PrincipalChanges]: PrincipalChanges[K] } = {};
      if (next.name !== undefined && next.name !== principal.name) {
        changes.name = [principal.name, next.name];
        changed.name = next.name;
      }
      if (next.province !== undefined && next.province !== principal.province) {
        changes.province = [principal.province ?? null, next.province];
        changed.province = next.province;
      }
      if (
        next.testTypes !== undefined &&
        next.testTypes.join(',') !== (principal.testTypes ?? []).join(',')
      ) {
        changes.testTypes = [principal.testTypes ?? null, next.testTypes];
        changed.testTypes = next.testTypes;
      }
      if (Object.keys(changes).length === 0) return changes;
      if (
        role === 'lab' &&
        options.refuseDuplicateName &&
        (changed.name !== undefined || changed.province !== undefined)
      ) {
        const province = changed.province ?? principal.province ?? '';
        const same = await namesakes(changed.name ?? principal.name, province, id);
        if (same.length > 0) throw new DuplicateNameError(same, province);
      }
      await registry.update(principal, changed);
      await record(role, 'update', id, changes);
      return changes;
    },
    /**
     * Deletes a principal that was never used: a lab that never had a result stored, a device or app
     * whose credential was never used. Otherwise InUseError: suspend or revoke it instead, so that its
     * past results and the audit keep naming something that exists.
     */
    remove: async (id: string, role: Role) => {
      const principal = await existing(id, role);
      const used = role === 'lab' ? principal.integratedSince : principal.lastUsedAt;
      if (used !== undefined) throw inUse(principal, used);
      await registry.remove(principal);
      await record(role, 'remove', id, {
        name: [principal.name, null],
        ...(principal.province === undefined ? {} : { province: [principal.province, null] }),
        ...(principal.testTypes === undefined ? {} : { testTypes: [principal.testTypes, null] }),
        status: [principal.status, null],
      });
    },
    auditLog: (since?: string) => audit.log.listAudit(since),
    listLabs: () => registry.list('lab'),
    list: (role: Role) => registry.list(role),
    suspendLab: async (id: string) => {
      const lab = await existing(id, 'lab');
      await registry.setStatus(id, 'SUSPENDED');
      await record('lab', 'suspend', id, { status: [lab.status, 'SUSPENDED'] });
    },
    resumeLab: async (id: string) => {
      const lab = await existing(id, 'lab');
      await registry.setStatus(id, 'ACTIVE');
      await record('lab', 'resume', id, { status: [lab.status, 'ACTIVE'] });
    },
    /** Issues a new credential; the old one stops working at once (within the authorizer cache TTL in the cloud). */
    rotate: async (id: string, role: Role): Promise<Issued> => {
      const principal = await existing(id, role);
      if (principal.status === 'REVOKED') throw new NotFoundError(`${id} đã bị thu hồi. / ${id} is revoked.`);
      const credential = newCredential(role);
      await registry.replaceCredential(principal, hashCredential(credential));
      // Only that it changed: neither credential nor hash goes into the audit.
      await record(role, 'rotate', id, { credential: ['(old)', '(new)'] });
      return { id, credential };
    },
    /** A lost device or a retired app backend: its credential is refused for good. */
    revoke: async (id: string, role: 'checkpoint' | 'app') => {
      const principal = await existing(id, role);
      await registry.setStatus(id, 'REVOKED');
      await record(role, 'revoke', id, { status: [principal.status, 'REVOKED'] });
    },
  };
};

export type RegistryCommands = ReturnType<typeof makeRegistryCommands>;
