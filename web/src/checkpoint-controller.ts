/**
 * The checkpoint page's logic, apart from any DOM: a state machine (`update`: state + event → new state +
 * effects) and the controller that runs the effects through injected ports (API, storage, clock, camera
 * scanner, timers), so tests drive it with fakes. Views only render a state and send events.
 */
import type { Clock } from '../../contract/clock.js';
import { pairingPrefix } from '../../contract/pairing.js';
import type { ApiClient, ApiOutcome, VerifyAnswer, VerifyRequest } from './api.js';
import { type ApiProblem, type Message, problemMessage } from './error-messages.js';
import type { Language, MessageKey } from './i18n.js';
import { type PublicJwk, passPrefix, rulesKeys, verifyPassOffline } from './jws.js';
import { checkManualEntry, emptyManualDraft, type ManualDraft } from './manual-entry-check.js';
import {
  CLOCK_TOLERANCE_MS,
  clockTrusted,
  type DeviceProfile,
  judgeOffline,
  type OfflineVerdict,
  verifyRulesDocument,
} from './offline-rules.js';
import type { HeldRules } from './rules-age.js';
import type { ScannerStatus } from './scanner.js';

export { pairingPrefix };
/** A pass that cannot be valid: a good device credential gets 200 PASS_INVALID for it, a bad one 401. */
export const pairingProbe = `${passPrefix}pairing-check`;
export const keysMaxAgeMs = 6 * 60 * 60 * 1000;
/** The rules are asked again after an online check or a page start once they are this old (the API's max age). */
export const rulesRefreshMs = 60 * 1000;
/** While the page is open, the rules and keys are refreshed at least this often (checkpoint-page.ts). */
export const refreshEveryMs = 60 * 60 * 1000;
export const resultClearsAfterMs = 2 * 60 * 1000;
export const noticeShownMs = 2500;

export type Answer =
  | { readonly source: 'online'; readonly answer: VerifyAnswer }
  | { readonly source: 'offline'; readonly verdict: OfflineVerdict };

export type Screen =
  | {
      readonly name: 'pair';
      readonly problem?: MessageKey;
      readonly busy?: boolean;
      readonly scanning?: boolean;
    }
  | { readonly name: 'scan' }
  | { readonly name: 'manual'; readonly problems: readonly MessageKey[] }
  | { readonly name: 'checking' }
  | { readonly name: 'result'; readonly answer: Answer }
  | { readonly name: 'message'; readonly message: Message; readonly action: 'rePair' | 'back' };

export interface State {
  readonly language: Language;
  readonly credential: string | null;
  readonly offline: boolean;
  /** Kept across screens: once the camera works, later screens show their hint at once. */
  readonly camera: ScannerStatus | 'starting';
  /** A short note over the scan screen (a QR that is not a pass); the camera reads on after it. */
  readonly notice: MessageKey | undefined;
  readonly pairingDraft: string;
  readonly manualDraft: ManualDraft;
  /** A new object whenever the screen is (re)entered: that stops the previous screen's camera and timers. */
  readonly screen: Screen;
  /** The signed rules the phone holds for offline checks (rules-age.ts), once known. */
  readonly rules: HeldRules | undefined;
}

type VerifyPurpose = 'pair' | 'check';

export type Event =
  // What the officer does (from the views)
  | { readonly type: 'languageToggled' }
  | { readonly type: 'unpairConfirmed' }
  | { readonly type: 'rePairChosen' }
  | { readonly type: 'closeChosen' }
  | { readonly type: 'pairingDraftChanged'; readonly text: string }
  | { readonly type: 'pairSubmitted'; readonly text: string }
  | { readonly type: 'pairScanToggled' }
  | { readonly type: 'manualChosen' }
  | { readonly type: 'manualDraftChanged'; readonly draft: ManualDraft }
  | { readonly type: 'manualSubmitted' }
  | { readonly type: 'manualCancelled' }
  | { readonly type: 'nextScanChosen' }
  // What the page and its ports report
  | { readonly type: 'started' }
  | { readonly type: 'rulesHeld'; readonly rules: HeldRules | undefined }
  | { readonly type: 'hidden' }
  | { readonly type: 'shown' }
  | { readonly type: 'connectivityChanged'; readonly online: boolean }
  | { readonly type: 'scanned'; readonly text: string }
  | { readonly type: 'cameraStatusChanged'; readonly status: ScannerStatus }
  | {
      readonly type: 'verified';
      readonly purpose: VerifyPurpose;
      readonly credential: string;
      readonly request: VerifyRequest;
      readonly outcome: ApiOutcome<VerifyAnswer>;
    }
  | { readonly type: 'checkedOffline'; readonly verdict: OfflineVerdict }
  | { readonly type: 'noticeOver' }
  | { readonly type: 'resultExpired' }
  /** The hourly tick while the page is open: keys and rules are refreshed when due. */
  | { readonly type: 'refreshDue' };

export type Effect =
  | {
      readonly type: 'verify';
      readonly purpose: VerifyPurpose;
      readonly credential: string;
      readonly request: VerifyRequest;
    }
  | { readonly type: 'checkOffline'; readonly qr: string }
  | { readonly type: 'startScanner' }
  | { readonly type: 'releaseCamera' }
  | { readonly type: 'after'; readonly ms: number; readonly event: Event }
  | { readonly type: 'saveCredential'; readonly credential: string }
  | { readonly type: 'forgetCredential' }
  | { readonly type: 'saveLanguage'; readonly language: Language }
  /** Refreshes the public keys, then the device's profile and the signed rules (when online). */
  | { readonly type: 'refreshKeys'; readonly force: boolean };

export interface Transition {
  readonly state: State;
  readonly effects: readonly Effect[];
}

export function initialState(options: {
  language: Language;
  credential: string | null;
  online: boolean;
}): State {
  return {
    language: options.language,
    credential: options.credential,
    offline: !options.online,
    camera: 'starting',
    notice: undefined,
    pairingDraft: '',
    manualDraft: emptyManualDraft,
    screen: options.credential ? { name: 'scan' } : { name: 'pair' },
    rules: undefined,
  };
}

/** What entering a screen starts: the camera for scanning, the timer that clears an answer. */
function entered(screen: Screen): Effect[] {
  if (screen.name === 'scan' || (screen.name === 'pair' && screen.scanning))
    return [{ type: 'startScanner' }];
  if (screen.name === 'result')
    return [{ type: 'after', ms: resultClearsAfterMs, event: { type: 'resultExpired' } }];
  return [];
}

function go(state: State, screen: Screen, effects: readonly Effect[] = []): Transition {
  return { state: { ...state, screen, notice: undefined }, effects: [...effects, ...entered(screen)] };
}

const stay = (state: State, effects: readonly Effect[] = []): Transition => ({ state, effects });

const home = (state: State): Screen => (state.credential ? { name: 'scan' } : { name: 'pair' });

function forgetDevice(state: State): Transition {
  return go({ ...state, credential: null, pairingDraft: '' }, { name: 'pair' }, [
    { type: 'forgetCredential' },
    { type: 'releaseCamera' },
  ]);
}

function pair(state: State, text: string): Transition {
  const credential = text.trim();
  const next = { ...state, pairingDraft: credential };
  if (!credential) return go(next, { name: 'pair', problem: 'pairEmpty' });
  return go(next, { name: 'pair', busy: true }, [
    { type: 'verify', purpose: 'pair', credential, request: { qr: pairingProbe } },
  ]);
}

function check(state: State, request: VerifyRequest): Transition {
  if (!state.credential) return go(state, { name: 'pair' });
  return go(state, { name: 'checking' }, [
    { type: 'verify', purpose: 'check', credential: state.credential, request },
  ]);
}

const pairingProblems: Readonly<
  Record<
    Extract<ApiProblem['kind'], 'unauthenticated' | 'forbidden' | 'unreachable' | 'serverError'>,
    MessageKey
  >
> = {
  unauthenticated: 'pairBadCredential',
  forbidden: 'pairWrongRole',
  unreachable: 'pairNetwork',
  serverError: 'errServer',
};

function paired(state: State, credential: string, outcome: ApiOutcome<VerifyAnswer>): Transition {
  if (outcome.kind === 'ok') {
    return go({ ...state, credential, pairingDraft: '' }, { name: 'scan' }, [
      { type: 'saveCredential', credential },
      { type: 'refreshKeys', force: true },
    ]);
  }
  if (outcome.kind === 'rateLimited' || outcome.kind === 'rejected') {
    return go(state, { name: 'message', message: problemMessage(outcome), action: 'back' });
  }
  return go(state, { name: 'pair', problem: pairingProblems[outcome.kind] });
}

function checked(state: State, request: VerifyRequest, outcome: ApiOutcome<VerifyAnswer>): Transition {
  if (outcome.kind === 'ok') {
    return go(state, { name: 'result', answer: { source: 'online', answer: outcome.value } }, [
      { type: 'refreshKeys', force: false },
    ]);
  }
  if (outcome.kind === 'unreachable' || outcome.kind === 'serverError') {
    // A pass can still be checked on the phone; ID details cannot.
    if ('qr' in request) return stay(state, [{ type: 'checkOffline', qr: request.qr }]);
    const key: MessageKey = outcome.kind === 'unreachable' ? 'manualNeedsNetwork' : 'errServer';
    return go(state, { name: 'message', message: { key }, action: 'back' });
  }
  const rePair = outcome.kind === 'unauthenticated' || outcome.kind === 'forbidden';
  return go(state, { name: 'message', message: problemMessage(outcome), action: rePair ? 'rePair' : 'back' });
}

function scanned(state: State, raw: string): Transition {
  const screen = state.screen;
  const text = raw.trim();
  if (screen.name === 'pair' && screen.scanning) {
    if (raw.startsWith(pairingPrefix)) return pair(state, raw.slice(pairingPrefix.length));
    return go(state, { name: 'pair', scanning: true, problem: 'pairNotPairingQr' });
  }
  if (screen.name !== 'scan') return stay(state);
  if (text.startsWith(passPrefix)) return check(state, { qr: text });
  // Not a pass (a poster, a payment QR…): say so without leaving the camera, then read on.
  const notice: MessageKey = text.startsWith(pairingPrefix) ? 'isPairingCode' : 'notAPass';
  return stay({ ...state, notice }, [{ type: 'after', ms: noticeShownMs, event: { type: 'noticeOver' } }]);
}

/** The state machine. `now` is the page's clock, for the manual entry's birth-date rules. */
export function update(state: State, event: Event, now: Date): Transition {
  const screen = state.screen;
  switch (event.type) {
    case 'started':
      return { state, effects: [{ type: 'refreshKeys', force: false }, ...entered(screen)] };
    case 'hidden':
      return stay(state, [{ type: 'releaseCamera' }]);
    case 'rulesHeld':
      return stay({ ...state, rules: event.rules });
    case 'refreshDue':
      return stay(state, state.credential ? [{ type: 'refreshKeys', force: true }] : []);
    case 'shown':
      return go(state, { ...screen });
    case 'connectivityChanged':
      return stay(
        { ...state, offline: !event.online },
        event.online ? [{ type: 'refreshKeys', force: true }] : [],
      );
    case 'languageToggled': {
      const language: Language = state.language === 'vi' ? 'en' : 'vi';
      return stay({ ...state, language }, [{ type: 'saveLanguage', language }]);
    }
    case 'unpairConfirmed':
    case 'rePairChosen':
      return forgetDevice(state);
    case 'closeChosen':
      return go(state, home(state));
    case 'pairingDraftChanged':
      return stay({ ...state, pairingDraft: event.text });
    case 'pairSubmitted':
      return pair(state, event.text);
    case 'pairScanToggled':
      return go(state, { name: 'pair', scanning: !(screen.name === 'pair' && screen.scanning) });
    case 'manualChosen':
      return go(state, { name: 'manual', problems: [] });
    case 'manualDraftChanged':
      return stay({ ...state, manualDraft: event.draft });
    case 'manualCancelled':
      return go({ ...state, manualDraft: emptyManualDraft }, { name: 'scan' });
    case 'manualSubmitted': {
      const result = checkManualEntry(state.manualDraft, { now: () => now });
      if (!result.ok) return go(state, { name: 'manual', problems: result.problems });
      // The form is emptied as soon as it is sent: the answer screen is all that remains.
      return check({ ...state, manualDraft: emptyManualDraft }, result.identity);
    }
    case 'nextScanChosen':
      return go(state, { name: 'scan' });
    case 'resultExpired':
      return screen.name === 'result' ? go(state, { name: 'scan' }) : stay(state);
    case 'noticeOver':
      return screen.name === 'scan'
        ? stay({ ...state, notice: undefined }, [{ type: 'startScanner' }])
        : stay(state);
    case 'scanned':
      return scanned(state, event.text);
    case 'cameraStatusChanged':
      return stay({ ...state, camera: event.status });
    case 'verified': {
      const next = { ...state, offline: event.outcome.kind === 'unreachable' };
      if (event.purpose === 'pair') {
        return screen.name === 'pair' && screen.busy
          ? paired(next, event.credential, event.outcome)
          : stay(next);
      }
      return screen.name === 'checking' ? checked(next, event.request, event.outcome) : stay(next);
    }
    case 'checkedOffline':
      return screen.name === 'checking'
        ? go(state, { name: 'result', answer: { source: 'offline', verdict: event.verdict } })
        : stay(state);
  }
}

/** The camera as the controller needs it (scanner.ts CameraScanner in the browser). */
export interface ScannerPort {
  start(onText: (text: string) => void): Promise<ScannerStatus | undefined>;
  stop(): void;
  release(): void;
}

/** What the page keeps on the phone (storage.ts in the browser). */
export interface StoragePort {
  saveCredential(credential: string): void;
  forgetCredential(): void;
  saveLanguage(language: Language): void;
  keys(): PublicJwk[];
  keysFetchedAt(): Date | undefined;
  saveKeys(keys: readonly PublicJwk[], fetchedAt: Date): void;
  /** The signed rules document as fetched (checked again before every use). */
  rulesJws(): string | undefined;
  rulesFetchedAt(): Date | undefined;
  saveRules(jws: string, fetchedAt: Date): void;
  /** The latest instant judged at with a trusted clock (offline-rules.ts, CLOCK_WRONG). */
  clockMark(): Date | undefined;
  saveClockMark(at: Date): void;
  /** Whether the phone's clock was off the server's at the last fetch of the rules. */
  clockOff(): boolean;
  saveClockOff(off: boolean): void;
  device(): DeviceProfile | undefined;
  saveDevice(device: DeviceProfile): void;
}

/** The stage's settings from config.json (api.ts readPageConfig). */
export interface PageSettings {
  readonly offlineRulesMaxAgeHours: number;
}

export interface TimerPort {
  /** Calls `callback` after `ms`; answers a function that cancels it. */
  schedule(ms: number, callback: () => void): () => void;
}

export interface Ports {
  readonly api: ApiClient;
  readonly storage: StoragePort;
  readonly clock: Clock;
  readonly scanner: ScannerPort;
  readonly timer: TimerPort;
  readonly settings: PageSettings;
}

export type Listener = (previous: State, next: State) => void;

/** Holds the state, applies events, runs effects through the ports, and tells the page what changed. */
export class CheckpointController {
  private current: State;
  private readonly listeners: Listener[] = [];
  private readonly timers = new Set<() => void>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    initial: State,
    private readonly ports: Ports,
  ) {
    this.current = initial;
  }

  get state(): State {
    return this.current;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  dispatch(event: Event): void {
    const previous = this.current;
    const { state, effects } = update(previous, event, this.ports.clock.now());
    if (state.screen !== previous.screen) this.leaveScreen();
    this.current = state;
    for (const listener of this.listeners) listener(previous, state);
    for (const effect of effects) this.run(effect);
  }

  /** Resolves once every effect started so far (and those they started) has finished: for tests. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** A screen being left takes its decode loop and timers with it. */
  private leaveScreen(): void {
    this.ports.scanner.stop();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private run(effect: Effect): void {
    const { api, storage, scanner, timer } = this.ports;
    switch (effect.type) {
      case 'verify':
        this.track(
          api.verify(effect.credential, effect.request).then((outcome) =>
            this.dispatch({
              type: 'verified',
              purpose: effect.purpose,
              credential: effect.credential,
              request: effect.request,
              outcome,
            }),
          ),
        );
        return;
      case 'checkOffline':
        this.track(
          this.checkOffline(effect.qr).then((verdict) => this.dispatch({ type: 'checkedOffline', verdict })),
        );
        return;
      case 'startScanner':
        this.track(
          scanner
            .start((text) => this.dispatch({ type: 'scanned', text }))
            .then((status) => {
              if (status !== undefined && status !== this.current.camera) {
                this.dispatch({ type: 'cameraStatusChanged', status });
              }
            }),
        );
        return;
      case 'releaseCamera':
        for (const cancel of this.timers) cancel();
        this.timers.clear();
        scanner.release();
        return;
      case 'after': {
        const cancel = timer.schedule(effect.ms, () => {
          this.timers.delete(cancel);
          this.dispatch(effect.event);
        });
        this.timers.add(cancel);
        return;
      }
      case 'saveCredential':
        storage.saveCredential(effect.credential);
        return;
      case 'forgetCredential':
        storage.forgetCredential();
        return;
      case 'saveLanguage':
        storage.saveLanguage(effect.language);
        return;
      case 'refreshKeys':
        this.track(this.refreshKeys(effect.force));
        return;
    }
  }

  /** The pass with the instant of the scan, judged by the rule in force then (offline-rules.ts). */
  private async checkOffline(qr: string): Promise<OfflineVerdict> {
    const { storage, clock, settings } = this.ports;
    const now = clock.now();
    const keys = storage.keys();
    const [check, document] = await Promise.all([
      verifyPassOffline(qr, keys, now),
      verifyRulesDocument(storage.rulesJws(), keys),
    ]);
    const clockMark = storage.clockMark();
    const rules = {
      document,
      device: storage.device(),
      maxAgeHours: settings.offlineRulesMaxAgeHours,
      clockOff: storage.clockOff(),
      clockMark,
    };
    // A scan at a trusted instant within the document's use moves the mark: no later scan may happen at
    // an earlier one. (Past its use the clock may be far ahead unseen: that must not lock a phone out.)
    const usable =
      document !== undefined &&
      now.getTime() - document.iat * 1000 <= settings.offlineRulesMaxAgeHours * 3_600_000 &&
      clockTrusted(rules, document, now);
    if (usable && (clockMark === undefined || now > clockMark)) storage.saveClockMark(now);
    return judgeOffline(check, rules, now);
  }

  private async refreshKeys(force: boolean): Promise<void> {
    const { api, storage, clock } = this.ports;
    const fetchedAt = storage.keysFetchedAt();
    // Keys cached before rules were signed lack the rules key: fetch them again at once.
    const due =
      force ||
      !fetchedAt ||
      clock.now().getTime() - fetchedAt.getTime() >= keysMaxAgeMs ||
      rulesKeys(storage.keys()).length === 0;
    if (due) {
      const outcome = await api.keys();
      if (outcome.kind === 'ok' && outcome.value.length > 0) storage.saveKeys(outcome.value, clock.now());
    }
    await this.refreshRules(force);
    // Whatever the refresh did, the scan screen says which rules the phone now holds, and until when.
    const held = await verifyRulesDocument(storage.rulesJws(), storage.keys());
    const signedAt = held === undefined ? undefined : held.iat * 1000;
    this.dispatch({
      type: 'rulesHeld',
      rules:
        signedAt === undefined
          ? undefined
          : { signedAt, usableUntil: signedAt + this.ports.settings.offlineRulesMaxAgeHours * 3_600_000 },
    });
  }

  /**
   * The device's jurisdiction and mode, and the signed rules: kept only once the document verifies with
   * the rules key, and never replaced by an older one (a cache may answer one signed earlier).
   */
  private async refreshRules(force: boolean): Promise<void> {
    const { api, storage, clock } = this.ports;
    const credential = this.current.credential;
    if (!credential) return;
    const fetchedAt = storage.rulesFetchedAt();
    if (!force && fetchedAt && clock.now().getTime() - fetchedAt.getTime() < rulesRefreshMs) return;
    // The profile changes rarely and costs the device's own rate budget: asked at pairing, when the
    // network comes back and hourly (forced refreshes), or when the phone does not know it.
    const [device, rules] = await Promise.all([
      force || storage.device() === undefined ? api.device(credential) : undefined,
      api.rules(),
    ]);
    if (device?.kind === 'ok') storage.saveDevice(device.value);
    if (rules.kind !== 'ok') return;
    const { jws, servedAt } = rules.value;
    const now = clock.now();
    // The phone's clock against the server's when it answered (a cache hands that on at most a minute
    // later): off by more than the tolerance, the page does not judge offline until a fetch finds it
    // right; right, it trusts the clock again from now (after a clock set wrong and then put right).
    if (servedAt !== undefined) {
      const right = Math.abs(now.getTime() - servedAt) <= CLOCK_TOLERANCE_MS;
      storage.saveClockOff(!right);
      if (right) storage.saveClockMark(now);
    }
    const keys = storage.keys();
    const fresh = await verifyRulesDocument(jws, keys);
    if (!fresh) return;
    const kept = await verifyRulesDocument(storage.rulesJws(), keys);
    if (kept && kept.iat > fresh.iat) return;
    storage.saveRules(jws, now);
  }
}
