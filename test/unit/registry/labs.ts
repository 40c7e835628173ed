import type { Principal } from '../../../functions/domain/registry.js';

/** A registered lab as the registry table holds it; override what a test is about. */
export const aLab = (overrides: Partial<Principal> = {}): Principal => ({
  id: 'lab_0000000000000001',
  role: 'lab',
  name: 'CDC Quảng Ninh',
  status: 'ACTIVE',
  createdAt: '2021-09-01T00:00:00.000Z',
  credentialHash: 'a'.repeat(64),
  province: 'Quảng Ninh',
  testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
  ...overrides,
});

/** A registry port holding `principals`, for the domain functions that only list. */
export const registryOf = (principals: readonly Principal[]) => ({
  list: async (role: Principal['role']) => principals.filter((p) => p.role === role),
});
