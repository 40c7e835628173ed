import type { Role } from '../../contract/vocabulary.js';
import {
  type AuditEntry,
  type AuditLog,
  InUseError,
  type Principal,
  type PrincipalStatus,
  type Registry,
} from '../../functions/domain/registry.js';

/** An in-memory registry with the same semantics as the table adapter. */
export const inMemoryRegistry = (): Registry & { principals: Map<string, Principal> } => {
  const principals = new Map<string, Principal>();
  const credentials = new Map<string, string>();
  return {
    principals,
    async create(principal) {
      if (principals.has(principal.id) || credentials.has(principal.credentialHash))
        throw new Error('exists');
      credentials.set(principal.credentialHash, principal.id);
      principals.set(principal.id, principal);
    },
    async get(id) {
      return principals.get(id);
    },
    async principalByCredential(hash) {
      const id = credentials.get(hash);
      return id === undefined ? undefined : principals.get(id);
    },
    async list(role: Role) {
      return [...principals.values()].filter((p) => p.role === role);
    },
    async setStatus(id: string, status: PrincipalStatus) {
      const principal = principals.get(id);
      if (principal) principals.set(id, { ...principal, status });
    },
    async replaceCredential(principal, hash) {
      credentials.set(hash, principal.id);
      principals.set(principal.id, { ...principal, credentialHash: hash });
      credentials.delete(principal.credentialHash);
    },
    async update(principal, changes) {
      const current = principals.get(principal.id);
      if (current) principals.set(principal.id, { ...current, ...changes });
    },
    async remove(principal) {
      const current = principals.get(principal.id);
      if (current === undefined) return;
      if ((current.role === 'lab' ? current.integratedSince : current.lastUsedAt) !== undefined)
        throw new InUseError(`${current.id} was just used`);
      principals.delete(principal.id);
      credentials.delete(current.credentialHash);
    },
  };
};

/** An in-memory audit log, oldest first. */
export const inMemoryAuditLog = (): AuditLog & { entries: AuditEntry[] } => {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async appendAudit(entry) {
      entries.push(entry);
    },
    async listAudit(since) {
      return entries.filter((entry) => since === undefined || entry.at >= since);
    },
  };
};
