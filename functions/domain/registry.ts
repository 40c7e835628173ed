import { createHash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../contract/clock.js';
import { DEFAULT_MODE, isJurisdiction, isMode, NATIONAL } from '../../contract/rules.js';
import type { Role } from '../../contract/vocabulary.js';
import { NotFoundError, ValidationFailedError } from '../errors.js';
import { HIDDEN_CHARACTERS_MESSAGE, hasHiddenCharacters, type TestType } from '../schemas/common.js';

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

const requireName = (name: string, field: string): string => {
  const trimmed = name.normalize('NFC').trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new ValidationFailedError(`${field} must be 1-200 characters.`, [
      { path: field, message: 'must be 1-200 characters' },
    ]);
  }
  // A facility's name is shown to officers beside the verdict: no reversed or invisible text.
  if (hasHiddenCharacters(trimmed)) {
    throw new ValidationFailedError(`${field} ${HIDDEN_CHARACTERS_MESSAGE}.`, [
      { path: field, message: HIDDEN_CHARACTERS_MESSAGE },
    ]);
  }
  return trimmed;
};

/** The operator's registry commands. */
export const makeRegistryCommands = (registry: Registry, clock: Clock = systemClock) => {
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
    return { id: principal.id, credential };
  };

  const existing = async (id: string, role: Role): Promise<Principal> => {
    const principal = roleOfId(id) === role ? await registry.get(id) : undefined;
    if (!principal) throw new NotFoundError(`No ${role === 'checkpoint' ? 'device' : role} with id ${id}.`);
    return principal;
  };

  return {
    addLab: (lab: NewLab) =>
      issue('lab', lab.name, {
        province: requireName(lab.province, 'province'),
        testTypes: [...new Set(lab.testTypes)],
      }),
    addDevice: async (name: string, scope: DeviceScope = { jurisdiction: NATIONAL, mode: DEFAULT_MODE }) => {
      if (!isJurisdiction(scope.jurisdiction))
        throw new ValidationFailedError('jurisdiction must be an ISO 3166-2 code such as VN-13, or VN.', [
          { path: 'jurisdiction', message: 'must be an ISO 3166-2 code such as VN-13, or VN' },
        ]);
      if (!isMode(scope.mode))
        throw new ValidationFailedError('mode must be 2-30 of A-Z and _, e.g. ENTRY.', [
          { path: 'mode', message: 'must be 2-30 of A-Z and _, e.g. ENTRY' },
        ]);
      return issue('checkpoint', name, { jurisdiction: scope.jurisdiction, mode: scope.mode });
    },
    addApp: (name: string) => issue('app', name),
    listLabs: () => registry.list('lab'),
    list: (role: Role) => registry.list(role),
    suspendLab: async (id: string) => {
      await existing(id, 'lab');
      await registry.setStatus(id, 'SUSPENDED');
    },
    resumeLab: async (id: string) => {
      await existing(id, 'lab');
      await registry.setStatus(id, 'ACTIVE');
    },
    /** Issues a new credential; the old one stops working at once (within the authorizer cache TTL in the cloud). */
    rotate: async (id: string, role: Role): Promise<Issued> => {
      const principal = await existing(id, role);
      if (principal.status === 'REVOKED') throw new NotFoundError(`${id} is revoked.`);
      const credential = newCredential(role);
      await registry.replaceCredential(principal, hashCredential(credential));
      return { id, credential };
    },
    /** A lost device or a retired app backend: its credential is refused for good. */
    revoke: async (id: string, role: 'checkpoint' | 'app') => {
      await existing(id, role);
      await registry.setStatus(id, 'REVOKED');
    },
  };
};

export type RegistryCommands = ReturnType<typeof makeRegistryCommands>;
