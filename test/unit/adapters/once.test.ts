import { describe, expect, it } from 'vitest';
import { once } from '../../../functions/once.js';

describe('once (the pepper and signing-key loaders)', () => {
  it('loads once and gives every caller, concurrent or later, the same value', async () => {
    let loads = 0;
    const load = once(async () => {
      loads += 1;
      return { loaded: loads };
    });
    const [first, second] = await Promise.all([load(), load()]);
    const later = await load();
    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(later).toBe(first);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    let loads = 0;
    const load = once(async () => {
      loads += 1;
      if (loads === 1) throw new Error('timed out');
      return 'key';
    });
    await expect(load()).rejects.toThrow('timed out');
    await expect(load()).resolves.toBe('key');
    await expect(load()).resolves.toBe('key');
    expect(loads).toBe(2);
  });
});
