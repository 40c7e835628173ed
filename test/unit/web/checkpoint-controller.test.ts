import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiOutcome, VerifyAnswer, VerifyRequest } from '../../../web/src/api.js';
import {
  CheckpointController,
  type Event,
  initialState,
  type Ports,
  pairingProbe,
  resultClearsAfterMs,
  type State,
} from '../../../web/src/checkpoint-controller.js';
import type { PublicJwk } from '../../../web/src/jws.js';
import type { DeviceProfile } from '../../../web/src/offline-rules.js';
import type { ScannerStatus } from '../../../web/src/scanner.js';

/** The controller's state changes, driven through fake ports (API, storage, clock, camera, timers). */

const now = new Date('2021-09-12T05:00:00Z');
const valid: VerifyAnswer = {
  verdict: 'VALID',
  validUntil: '2021-09-14T05:00:00Z',
  testType: 'RT_PCR',
  facilityName: 'CDC',
  maskedName: 'N***** V** A*',
  birthYear: 1990,
};

export interface BenchOptions {
  credential?: string | null;
  verify?: (credential: string, request: VerifyRequest) => ApiOutcome<VerifyAnswer>;
  camera?: ScannerStatus;
  /** What GET /v1/keys answers (default: one dummy key). */
  keys?: PublicJwk[];
  /** What GET /v1/rules answers (default: unreachable). */
  rules?: ApiOutcome<string>;
  device?: DeviceProfile;
  /** The phone's clock (default: `now`); a function so a test can move it. */
  clock?: () => Date;
  maxAgeHours?: number;
  /** What the phone holds already. */
  held?: { keys?: PublicJwk[]; rulesJws?: string; device?: DeviceProfile };
}

export function bench(options: BenchOptions) {
  const calls: VerifyRequest[] = [];
  const stored: {
    credential: string | null;
    language: string | null;
    keys: number;
    jwks: PublicJwk[];
    rulesJws: string | undefined;
    rulesFetchedAt: Date | undefined;
    device: DeviceProfile | undefined;
  } = {
    credential: options.credential ?? null,
    language: null,
    keys: 0,
    jwks: options.held?.keys ?? [],
    rulesJws: options.held?.rulesJws,
    rulesFetchedAt: undefined,
    device: options.held?.device,
  };
  const timers: { ms: number; fire: () => void }[] = [];
  const camera = { starts: 0, releases: 0, onText: (_text: string): void => undefined };
  const api: ApiClient = {
    verify: async (credential, request) => {
      calls.push(request);
      return (options.verify ?? (() => ({ kind: 'ok', value: valid })))(credential, request);
    },
    keys: async (): Promise<ApiOutcome<PublicJwk[]>> => ({
      kind: 'ok',
      value: options.keys ?? [{ kid: 'k1', kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }],
    }),
    rules: async () => options.rules ?? { kind: 'unreachable' },
    device: async () =>
      options.device ? { kind: 'ok', value: options.device } : { kind: 'unreachable' },
  };
  const ports: Ports = {
    api,
    clock: { now: options.clock ?? (() => now) },
    settings: { offlineRulesMaxAgeHours: options.maxAgeHours ?? 24 },
    storage: {
      saveCredential: (credential) => {
        stored.credential = credential;
      },
      forgetCredential: () => {
        stored.credential = null;
      },
      saveLanguage: (language) => {
        stored.language = language;
      },
      keys: () => stored.jwks,
      keysFetchedAt: () => undefined,
      saveKeys: (keys) => {
        stored.keys = keys.length;
        stored.jwks = [...keys];
      },
      rulesJws: () => stored.rulesJws,
      rulesFetchedAt: () => stored.rulesFetchedAt,
      saveRules: (jws, fetchedAt) => {
        stored.rulesJws = jws;
        stored.rulesFetchedAt = fetchedAt;
      },
      device: () => stored.device,
      saveDevice: (device) => {
        stored.device = device;
      },
    },
    scanner: {
      start: async (onText) => {
        camera.starts += 1;
        camera.onText = onText;
        return options.camera ?? 'ok';
      },
      stop: () => undefined,
      release: () => {
        camera.releases += 1;
      },
    },
    timer: {
      schedule: (ms, fire) => {
        const timer = { ms, fire };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
    },
  };
  const controller = new CheckpointController(
    initialState({ language: 'vi', credential: options.credential ?? null, online: true }),
    ports,
  );
  const send = async (event: Event): Promise<State> => {
    controller.dispatch(event);
    await controller.idle();
    return controller.state;
  };
  /** The camera reads `text`; answers the state once everything that started has settled. */
  const scan = async (text: string): Promise<State> => {
    camera.onText(text);
    await controller.idle();
    return controller.state;
  };
  return { controller, send, scan, calls, stored, timers, camera };
}

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
