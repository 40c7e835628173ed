import { describe, expect, it } from 'vitest';
import { pairingProbe, resultClearsAfterMs } from '../../../web/src/checkpoint-controller.js';
import { bench, valid } from './controller-bench.js';

/** The controller's state changes, driven through fake ports (API, storage, clock, camera, timers). */

describe('pairing', () => {
  it('pairs with a working credential: probes the API, keeps the credential, fetches keys, starts scanning', async () => {
    const { send, calls, stored, camera } = bench({});
    await send({ type: 'started' });

    const state = await send({ type: 'pairSubmitted', text: '  rg_dev_good ' });

    expect(calls).toEqual([{ qr: pairingProbe }]);
    expect(state.screen).toEqual({ name: 'scan' });
    expect(state.credential).toBe('rg_dev_good');
    expect(stored).toMatchObject({ credential: 'rg_dev_good', keys: 1 });
    expect(camera.starts).toBe(1);
  });

  it.each([
    [{ kind: 'unauthenticated' }, 'pairBadCredential'],
    [{ kind: 'forbidden' }, 'pairWrongRole'],
    [{ kind: 'unreachable' }, 'pairNetwork'],
  ] as const)('stays on pairing when the API answers %j, and keeps nothing', async (outcome, problem) => {
    const { send, stored } = bench({ verify: () => outcome });

    const state = await send({ type: 'pairSubmitted', text: 'rg_dev_bad' });

    expect(state.screen).toEqual({ name: 'pair', problem });
    expect(state.credential).toBeNull();
    expect(stored.credential).toBeNull();
  });

  it('asks for a credential without calling the API when the field is empty', async () => {
    const { send, calls } = bench({});

    expect((await send({ type: 'pairSubmitted', text: '   ' })).screen).toEqual({
      name: 'pair',
      problem: 'pairEmpty',
    });
    expect(calls).toEqual([]);
  });

  it('pairs from a scanned RGDEV: code, and refuses any other QR while scanning for one', async () => {
    const { send, scan, camera } = bench({});
    await send({ type: 'pairScanToggled' });

    expect((await scan('https://example.org')).screen).toEqual({
      name: 'pair',
      scanning: true,
      problem: 'pairNotPairingQr',
    });
    expect(camera.starts).toBe(2);
    const state = await scan('RGDEV:rg_dev_scanned');

    expect(state.credential).toBe('rg_dev_scanned');
    expect(state.screen.name).toBe('scan');
  });
});

describe('checking', () => {
  it('answers a scanned pass online, and clears the answer after two minutes', async () => {
    const { controller, send, scan, calls, timers } = bench({ credential: 'rg_dev_1' });
    await send({ type: 'started' });

    const state = await scan(' RG1:abc.def.ghi ');

    expect(calls).toEqual([{ qr: 'RG1:abc.def.ghi' }]);
    expect(state.screen).toEqual({ name: 'result', answer: { source: 'online', answer: valid } });
    expect(timers.map((timer) => timer.ms)).toEqual([resultClearsAfterMs]);
    timers[0]?.fire();
    await controller.idle();
    expect(controller.state.screen).toEqual({ name: 'scan' });
  });

  it('checks a scanned pass on the phone when the API cannot be reached, and shows it is offline', async () => {
    const { send, scan } = bench({ credential: 'rg_dev_1', verify: () => ({ kind: 'unreachable' }) });
    await send({ type: 'started' });

    const state = await scan('RG1:not-a-jws');

    expect(state.offline).toBe(true);
    expect(state.screen).toEqual({
      name: 'result',
      answer: { source: 'offline', verdict: { verdict: 'NOT_VALID', reason: 'PASS_INVALID' } },
    });
  });

  it('says a QR that is not a pass is not a pass, then reads on', async () => {
    const { controller, send, scan, camera, timers, calls } = bench({ credential: 'rg_dev_1' });
    await send({ type: 'started' });

    const noted = await scan('https://example.org/menu');
    expect(noted.notice).toBe('notAPass');
    expect(noted.screen.name).toBe('scan');
    timers[0]?.fire();
    await controller.idle();

    expect(controller.state.notice).toBeUndefined();

    expect(calls).toEqual([]);
    expect(camera.starts).toBe(2);
  });

  it('refuses a manual entry the server would refuse, without sending it', async () => {
    const { send, calls } = bench({ credential: 'rg_dev_1' });
    await send({ type: 'manualChosen' });
    await send({
      type: 'manualDraftChanged',
      draft: { idType: 'CCCD', idNumber: '001099009999', day: '15', month: '08', year: '1985' },
    });

    const state = await send({ type: 'manualSubmitted' });

    expect(state.screen).toEqual({ name: 'manual', problems: ['errCccdBirth'] });
    expect(calls).toEqual([]);
  });

  it('sends a good manual entry normalised, and empties the form', async () => {
    const { send, calls } = bench({ credential: 'rg_dev_1' });
    await send({ type: 'manualChosen' });
    await send({
      type: 'manualDraftChanged',
      draft: { idType: 'CCCD', idNumber: '001 090 012 345', day: '1', month: '5', year: '1990' },
    });

    const state = await send({ type: 'manualSubmitted' });

    expect(calls).toEqual([{ idType: 'CCCD', idNumber: '001090012345', dateOfBirth: '1990-05-01' }]);
    expect(state.manualDraft.idNumber).toBe('');
    expect(state.screen.name).toBe('result');
  });

  it('says manual entry needs the network when the API cannot be reached', async () => {
    const { send } = bench({ credential: 'rg_dev_1', verify: () => ({ kind: 'unreachable' }) });
    await send({
      type: 'manualDraftChanged',
      draft: { idType: 'PASSPORT', idNumber: 'C1234567', day: '01', month: '05', year: '1990' },
    });

    const state = await send({ type: 'manualSubmitted' });

    expect(state.screen).toEqual({ name: 'message', message: { key: 'manualNeedsNetwork' }, action: 'back' });
  });

  it.each([
    [{ kind: 'rejected', code: 'VALIDATION_FAILED', fields: ['dateOfBirth'] }, 'errInvalidDob', 'back'],
    [{ kind: 'rateLimited', retryAfterSeconds: 30 }, 'errRateLimited', 'back'],
    [{ kind: 'unauthenticated' }, 'errUnauthorized', 'rePair'],
    [{ kind: 'forbidden' }, 'errForbidden', 'rePair'],
  ] as const)('maps the API answer %j to the message %s', async (outcome, key, action) => {
    const { send } = bench({ credential: 'rg_dev_1', verify: () => outcome });
    await send({
      type: 'manualDraftChanged',
      draft: { idType: 'PASSPORT', idNumber: 'C1234567', day: '01', month: '05', year: '1990' },
    });

    const state = await send({ type: 'manualSubmitted' });

    expect(state.screen).toMatchObject({ name: 'message', message: { key }, action });
  });
});

describe('the officer’s settings', () => {
  it('switches the language and remembers it, without leaving the screen', async () => {
    const { send, stored, controller } = bench({ credential: 'rg_dev_1' });
    const screen = controller.state.screen;

    const state = await send({ type: 'languageToggled' });

    expect(state.language).toBe('en');
    expect(stored.language).toBe('en');
    expect(state.screen).toBe(screen);
  });

  it('unpairs: forgets the credential, lets go of the camera, and goes back to pairing', async () => {
    const { send, stored, camera } = bench({ credential: 'rg_dev_1' });

    const state = await send({ type: 'unpairConfirmed' });

    expect(state.credential).toBeNull();
    expect(stored.credential).toBeNull();
    expect(camera.releases).toBe(1);
    expect(state.screen).toEqual({ name: 'pair' });
  });

  it('keeps the camera status it learns, for the hint on screen', async () => {
    const { send } = bench({ credential: 'rg_dev_1', camera: 'denied' });

    expect((await send({ type: 'started' })).camera).toBe('denied');
  });
});
