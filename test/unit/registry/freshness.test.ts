import { describe, expect, it } from 'vitest';
import { checkFreshness, findStaleLabs } from '../../../functions/domain/freshness.js';
import { aLab, registryOf } from './labs.js';

const NOW = new Date('2021-09-10T12:00:00.000Z');
const HOURS_24_AGO = '2021-09-09T12:00:00.000Z';
const JUST_OVER_24_HOURS_AGO = '2021-09-09T11:59:59.999Z';

describe('the freshness rule', () => {
  it('does not report a lab whose last result is exactly at the threshold', () => {
    const labs = [aLab({ lastResultAt: HOURS_24_AGO, integratedSince: HOURS_24_AGO })];

    expect(findStaleLabs(labs, NOW, 24)).toEqual([]);
  });

  it('reports a lab whose last result is one millisecond past the threshold', () => {
    const labs = [aLab({ id: 'lab_a', lastResultAt: JUST_OVER_24_HOURS_AGO })];

    expect(findStaleLabs(labs, NOW, 24)).toEqual([
      { id: 'lab_a', silentSince: JUST_OVER_24_HOURS_AGO, silentHours: 24 },
    ]);
  });

  it('measures a lab with no results yet from its registration', () => {
    const fresh = aLab({ id: 'lab_new', createdAt: '2021-09-10T00:00:00.000Z' });
    const silent = aLab({ id: 'lab_old', createdAt: '2021-09-01T12:00:00.000Z' });

    expect(findStaleLabs([fresh, silent], NOW, 24)).toEqual([
      { id: 'lab_old', silentSince: '2021-09-01T12:00:00.000Z', silentHours: 216 },
    ]);
  });

  it('uses the last result rather than the registration once a lab has sent results', () => {
    const labs = [aLab({ createdAt: '2021-08-01T00:00:00.000Z', lastResultAt: '2021-09-10T11:00:00.000Z' })];

    expect(findStaleLabs(labs, NOW, 24)).toEqual([]);
  });

  it('never reports a suspended lab, however long it has been silent', () => {
    const labs = [aLab({ status: 'SUSPENDED', createdAt: '2021-01-01T00:00:00.000Z' })];

    expect(findStaleLabs(labs, NOW, 24)).toEqual([]);
  });

  it('follows the configured number of hours', () => {
    const labs = [aLab({ lastResultAt: '2021-09-10T09:00:00.000Z' })];

    expect(findStaleLabs(labs, NOW, 2)).toHaveLength(1);
    expect(findStaleLabs(labs, NOW, 3)).toHaveLength(0);
  });

  it('ignores principals that are not labs', () => {
    const device = aLab({ id: 'dev_1', role: 'checkpoint', createdAt: '2021-01-01T00:00:00.000Z' });

    expect(findStaleLabs([device], NOW, 24)).toEqual([]);
  });
});

describe('checkFreshness', () => {
  it('reads the labs and reports the stale ones with the number of active labs checked', async () => {
    const registry = registryOf([
      aLab({ id: 'lab_fresh', lastResultAt: '2021-09-10T11:00:00.000Z' }),
      aLab({ id: 'lab_stale', lastResultAt: '2021-09-08T00:00:00.000Z' }),
      aLab({ id: 'lab_suspended', status: 'SUSPENDED' }),
    ]);

    const report = await checkFreshness({ registry, clock: { now: () => NOW }, staleAfterHours: 24 });

    expect(report).toEqual({
      checkedAt: NOW.toISOString(),
      activeLabs: 2,
      stale: [{ id: 'lab_stale', silentSince: '2021-09-08T00:00:00.000Z', silentHours: 60 }],
    });
  });
});
