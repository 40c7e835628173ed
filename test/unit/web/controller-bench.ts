import type {
  ApiClient,
  ApiOutcome,
  FetchedRules,
  VerifyAnswer,
  VerifyRequest,
} from '../../../web/src/api.js';
import {
  CheckpointController,
  type Event,
  initialState,
  type Ports,
  type State,
} from '../../../web/src/checkpoint-controller.js';
import type { PublicJwk } from '../../../web/src/jws.js';
import type { DeviceProfile } from '../../../web/src/offline-rules.js';
import type { ScannerStatus } from '../../../web/src/scanner.js';

/** The controller driven through fake ports (API, storage, clock, camera, timers). */

export const now = new Date('2021-09-12T05:00:00Z');
export const valid: VerifyAnswer = {
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
  /** What GET /v1/rules answers (default: unreachable): the document; `servedAt` from `serverClock`. */
  rules?: ApiOutcome<string>;
  /** The server's clock for GET /v1/rules `servedAt` (default: the phone's, that is right). */
  serverClock?: () => Date;
  device?: DeviceProfile;
  /** The phone's clock (default: `now`); a function so a test can move it. */
  clock?: () => Date;
  maxAgeHours?: number;
  /** What the phone holds already. */
  held?: {
    keys?: PublicJwk[];
    rulesJws?: string;
    rulesFetchedAt?: Date;
    clockMark?: Date;
    device?: DeviceProfile;
  };
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
    clockMark: Date | undefined;
    clockOff: boolean;
    device: DeviceProfile | undefined;
  } = {
    credential: options.credential ?? null,
    language: null,
    keys: 0,
    jwks: options.held?.keys ?? [],
    rulesJws: options.held?.rulesJws,
    rulesFetchedAt: options.held?.rulesFetchedAt,
    clockMark: options.held?.clockMark,
    clockOff: false,
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
    rules: async (): Promise<ApiOutcome<FetchedRules>> => {
      const answer = options.rules ?? { kind: 'unreachable' };
      if (answer.kind !== 'ok') return answer;
      const served = (options.serverClock ?? options.clock ?? (() => now))();
      return { kind: 'ok', value: { jws: answer.value, servedAt: served.getTime() } };
    },
    device: async () => (options.device ? { kind: 'ok', value: options.device } : { kind: 'unreachable' }),
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
      clockMark: () => stored.clockMark,
      saveClockMark: (at) => {
        stored.clockMark = at;
      },
      clockOff: () => stored.clockOff,
      saveClockOff: (off) => {
        stored.clockOff = off;
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
