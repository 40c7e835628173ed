/**
 * The checkpoint page: pairing, scanning, manual entry, and the answer. One view at a time; each render
 * replaces the whole page, so an answer leaves no trace in the DOM once the officer moves on.
 */
import type { ApiClient, ApiOutcome, IdType, VerifyAnswer, VerifyRequest } from './api.js';
import { h } from './dom.js';
import { checkManualEntry, formatVietnamTime, normaliseIdNumber, timeLeft } from './format.js';
import { type Language, type MessageKey, translate } from './i18n.js';
import { type OfflineVerdict, passPrefix, type TestType, verifyPassOffline } from './jws.js';
import { Camera, type CameraStatus, type FrameDecoder, frameDecoder, scanUntilRead } from './scanner.js';
import { storage } from './storage.js';

export const pairingPrefix = 'RGDEV:';
/** A pass that cannot be valid: a good device credential gets 200 PASS_INVALID for it, a bad one 401. */
const pairingProbe = `${passPrefix}pairing-check`;
const keysMaxAgeMs = 6 * 60 * 60 * 1000;
const resultClearsAfterMs = 2 * 60 * 1000;
const noticeShownMs = 2500;

interface ManualDraft {
  idType: IdType;
  idNumber: string;
  day: string;
  month: string;
  year: string;
}

type Answer =
  | { readonly source: 'online'; readonly answer: VerifyAnswer }
  | { readonly source: 'offline'; readonly verdict: OfflineVerdict };

type View =
  | {
      readonly name: 'pair';
      readonly error?: MessageKey;
      readonly busy?: boolean;
      readonly scanning?: boolean;
    }
  | { readonly name: 'scan' }
  | { readonly name: 'manual'; readonly errors: readonly MessageKey[] }
  | { readonly name: 'checking' }
  | { readonly name: 'result'; readonly answer: Answer }
  | {
      readonly name: 'message';
      readonly key: MessageKey;
      readonly params?: Readonly<Record<string, string | number>>;
      readonly action: 'rePair' | 'back';
    };

const emptyDraft = (): ManualDraft => ({ idType: 'CCCD', idNumber: '', day: '', month: '', year: '' });

export class CheckpointApp {
  private language: Language = storage.language();
  private view: View;
  private credential: string | null = storage.credential();
  private readonly camera = new Camera();
  private cameraStatus: CameraStatus | 'starting' | 'noDecoder' = 'starting';
  private stopScanning: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private offline = !navigator.onLine;
  private pairingDraft = '';
  private manualDraft = emptyDraft();

  constructor(
    private readonly root: HTMLElement,
    private readonly api: ApiClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.view = this.credential ? { name: 'scan' } : { name: 'pair' };
  }

  start(): void {
    window.addEventListener('online', () => {
      this.setOffline(false);
      void this.refreshKeys(true);
    });
    window.addEventListener('offline', () => this.setOffline(true));
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        this.halt();
        this.camera.stop();
      } else {
        this.render();
      }
    });
    void this.refreshKeys(false);
    this.render();
  }

  private t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return translate(this.language, key, params);
  }

  private show(view: View): void {
    this.view = view;
    this.render();
  }

  private setOffline(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    const pill = this.root.querySelector<HTMLElement>('.offline-pill');
    if (pill) pill.hidden = !offline;
  }

  /** Stops whatever the previous view had running (decode loop, timers). */
  private halt(): void {
    this.stopScanning?.();
    this.stopScanning = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private render(): void {
    this.halt();
    document.documentElement.lang = this.language;
    document.title = `ResultGate · ${this.t('appTitle')}`;
    const view = this.view;
    const body = this.renderView(view);
    const verdictClass = view.name === 'result' ? ` verdict-${verdictTone(view.answer)}` : '';
    this.root.className = `app view-${view.name}${verdictClass}`;
    this.root.replaceChildren(this.header(), ...body);
    if (view.name !== 'scan' && !(view.name === 'pair' && view.scanning)) this.camera.video.remove();
    this.root.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }

  private renderView(view: View): HTMLElement[] {
    switch (view.name) {
      case 'pair':
        return this.pairView(view);
      case 'scan':
        return this.scanView();
      case 'manual':
        return this.manualView(view);
      case 'checking':
        return [
          h(
            'main',
            { class: 'screen centered' },
            h('p', { class: 'big-status', attrs: { role: 'status' } }, this.t('checking')),
          ),
        ];
      case 'result':
        return this.resultView(view.answer);
      case 'message':
        return this.messageView(view);
    }
  }

  private header(): HTMLElement {
    // Unpairing is offered only on the idle scan screen, never next to an answer.
    const canUnpair = this.credential !== null && this.view.name === 'scan';
    const pill = h('span', { class: 'offline-pill', attrs: { role: 'status' } }, this.t('offlineIndicator'));
    pill.hidden = !this.offline;
    return h(
      'header',
      { class: 'topbar' },
      h('h1', { class: 'title' }, this.t('appTitle')),
      pill,
      h(
        'div',
        { class: 'topbar-actions' },
        canUnpair &&
          h(
            'button',
            {
              class: 'button small',
              attrs: { type: 'button', 'data-action': 'unpair' },
              on: { click: () => this.unpair() },
            },
            this.t('unpair'),
          ),
        h(
          'button',
          {
            class: 'button small',
            attrs: {
              type: 'button',
              lang: this.language === 'vi' ? 'en' : 'vi',
              'aria-label': this.t('switchLanguageLabel'),
              'data-action': 'language',
            },
            on: { click: () => this.toggleLanguage() },
          },
          this.t('switchLanguage'),
        ),
      ),
    );
  }

  private toggleLanguage(): void {
    this.language = this.language === 'vi' ? 'en' : 'vi';
    storage.saveLanguage(this.language);
    this.render();
  }

  private unpair(): void {
    if (!window.confirm(this.t('unpairConfirm'))) return;
    this.forgetDevice();
  }

  private forgetDevice(): void {
    storage.forgetCredential();
    this.credential = null;
    this.pairingDraft = '';
    this.camera.stop();
    this.show({ name: 'pair' });
  }

  // ---------------------------------------------------------------- pairing

  private pairView(view: Extract<View, { name: 'pair' }>): HTMLElement[] {
    const input = h('input', {
      class: 'input',
      attrs: {
        id: 'credential',
        name: 'credential',
        type: 'text',
        autocomplete: 'off',
        autocapitalize: 'off',
        spellcheck: 'false',
        'aria-describedby': 'pair-error',
        'data-autofocus': !view.scanning,
      },
      on: {
        input: () => {
          this.pairingDraft = input.value;
        },
      },
    });
    input.value = this.pairingDraft;
    input.disabled = view.busy === true;
    const form = h(
      'form',
      {
        class: 'screen',
        attrs: { id: 'pair-form', novalidate: true },
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.pair(input.value);
          },
        },
      },
      h('h2', {}, this.t('pairTitle')),
      h('p', {}, this.t('pairIntro')),
      h('label', { class: 'label', attrs: { for: 'credential' } }, this.t('pairCredentialLabel')),
      input,
      h(
        'p',
        { class: 'error', attrs: { id: 'pair-error', role: 'alert' } },
        view.error ? this.t(view.error) : view.busy ? this.t('pairChecking') : '',
      ),
      view.scanning === true && this.viewfinder('pairScanHint'),
    );
    const actions = h(
      'footer',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'button secondary',
          attrs: { type: 'button', 'data-action': 'pair-scan', disabled: view.busy === true },
          on: { click: () => this.show({ name: 'pair', scanning: !view.scanning }) },
        },
        view.scanning ? this.t('back') : this.t('pairScan'),
      ),
      h(
        'button',
        {
          class: 'button primary',
          attrs: { type: 'submit', form: 'pair-form', 'data-action': 'pair', disabled: view.busy === true },
        },
        this.t('pairSubmit'),
      ),
    );
    if (view.scanning) {
      void this.startCamera((text) => {
        if (text.startsWith(pairingPrefix)) void this.pair(text.slice(pairingPrefix.length));
        else this.show({ name: 'pair', scanning: true, error: 'pairNotPairingQr' });
      });
    }
    return [form, actions];
  }

  private async pair(raw: string): Promise<void> {
    const credential = raw.trim();
    this.pairingDraft = credential;
    if (!credential) {
      this.show({ name: 'pair', error: 'pairEmpty' });
      return;
    }
    this.show({ name: 'pair', busy: true });
    const outcome = await this.api.verify(credential, { qr: pairingProbe });
    this.noteReachability(outcome);
    if (outcome.kind === 'ok') {
      storage.saveCredential(credential);
      this.credential = credential;
      this.pairingDraft = '';
      void this.refreshKeys(true);
      this.show({ name: 'scan' });
      return;
    }
    if (outcome.kind === 'rateLimited' || outcome.kind === 'rejected') {
      this.show({ name: 'message', ...this.problem(outcome), action: 'back' });
      return;
    }
    const errors: Record<typeof outcome.kind, MessageKey> = {
      unauthenticated: 'pairBadCredential',
      forbidden: 'pairWrongRole',
      unreachable: 'pairNetwork',
      serverError: 'errServer',
    };
    this.show({ name: 'pair', error: errors[outcome.kind] });
  }

  // ---------------------------------------------------------------- scanning

  private viewfinder(hint: MessageKey): HTMLElement {
    const problems: Partial<Record<typeof this.cameraStatus, MessageKey>> = {
      denied: 'cameraDenied',
      unavailable: 'cameraUnavailable',
      insecure: 'cameraInsecure',
      noDecoder: 'scannerUnavailable',
      starting: 'cameraStarting',
    };
    const problem = problems[this.cameraStatus];
    return h(
      'div',
      { class: 'viewfinder' },
      this.camera.video,
      h('div', { class: 'viewfinder-frame', attrs: { 'aria-hidden': 'true' } }),
      h(
        'p',
        { class: 'viewfinder-hint', attrs: { role: 'status', 'data-camera': this.cameraStatus } },
        this.t(problem ?? hint),
      ),
    );
  }

  private scanView(): HTMLElement[] {
    const main = h(
      'main',
      { class: 'screen scan' },
      this.viewfinder('scanHint'),
      h('p', { class: 'notice', attrs: { role: 'alert' } }),
    );
    const actions = h(
      'footer',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'button primary',
          attrs: { type: 'button', 'data-action': 'manual' },
          on: { click: () => this.show({ name: 'manual', errors: [] }) },
        },
        this.t('manualButton'),
      ),
    );
    void this.startCamera((text) => this.onScanned(text));
    return [main, actions];
  }

  /** Starts the camera and the decode loop for the view now on screen. */
  private async startCamera(onText: (text: string) => void): Promise<void> {
    const view = this.view;
    const status = await this.camera.start();
    let decode: FrameDecoder | undefined;
    if (status === 'ok') decode = await frameDecoder().catch(() => undefined);
    if (this.view !== view) return;
    const next = status !== 'ok' ? status : decode ? 'ok' : 'noDecoder';
    if (next !== this.cameraStatus) {
      this.cameraStatus = next;
      const hint = this.root.querySelector<HTMLElement>('.viewfinder-hint');
      const key: MessageKey = view.name === 'pair' ? 'pairScanHint' : 'scanHint';
      const problems: Record<typeof next, MessageKey> = {
        ok: key,
        denied: 'cameraDenied',
        unavailable: 'cameraUnavailable',
        insecure: 'cameraInsecure',
        noDecoder: 'scannerUnavailable',
      };
      if (hint) {
        hint.textContent = this.t(problems[next]);
        hint.dataset.camera = next;
      }
    }
    if (decode) this.stopScanning = scanUntilRead(this.camera.video, decode, onText);
  }

  private onScanned(text: string): void {
    const trimmed = text.trim();
    if (trimmed.startsWith(passPrefix)) {
      void this.check({ qr: trimmed });
      return;
    }
    // Not a pass (a poster, a payment QR…): say so without leaving the camera, then read on.
    const notice = this.root.querySelector<HTMLElement>('.notice');
    if (notice) notice.textContent = this.t(trimmed.startsWith(pairingPrefix) ? 'isPairingCode' : 'notAPass');
    this.timer = setTimeout(() => {
      if (notice) notice.textContent = '';
      void this.startCamera((next) => this.onScanned(next));
    }, noticeShownMs);
  }

  // ---------------------------------------------------------------- manual entry

  private manualView(view: Extract<View, { name: 'manual' }>): HTMLElement[] {
    const draft = this.manualDraft;
    const idTypes: readonly IdType[] = ['CCCD', 'CMND', 'PASSPORT'];
    const idTypeLabels: Record<IdType, MessageKey> = {
      CCCD: 'idTypeCCCD',
      CMND: 'idTypeCMND',
      PASSPORT: 'idTypePASSPORT',
    };
    const choices = idTypes.map((idType) => {
      const radio = h('input', {
        attrs: { type: 'radio', name: 'idType', value: idType, id: `idType-${idType}` },
        on: {
          change: () => {
            draft.idType = idType;
            number.inputMode = idType === 'PASSPORT' ? 'text' : 'numeric';
          },
        },
      });
      radio.checked = draft.idType === idType;
      return h(
        'label',
        { class: 'choice', attrs: { for: `idType-${idType}` } },
        radio,
        h('span', {}, this.t(idTypeLabels[idType])),
      );
    });
    const number = h('input', {
      class: 'input',
      attrs: {
        id: 'idNumber',
        name: 'idNumber',
        type: 'text',
        autocomplete: 'off',
        autocapitalize: 'characters',
        spellcheck: 'false',
        'data-autofocus': true,
      },
      on: {
        input: () => {
          draft.idNumber = number.value;
        },
      },
    });
    number.inputMode = draft.idType === 'PASSPORT' ? 'text' : 'numeric';
    number.value = draft.idNumber;
    // Day, month and year apart, as printed on the ID card: a date picker's order follows the phone's
    // language, and 05/06 read the wrong way round is a wrong answer.
    const datePart = (part: 'day' | 'month' | 'year', label: MessageKey, maxLength: number): HTMLElement => {
      const id = `dob-${part}`;
      const input = h('input', {
        class: 'input',
        attrs: {
          id,
          name: id,
          type: 'text',
          inputmode: 'numeric',
          autocomplete: 'off',
          maxlength: String(maxLength),
          placeholder: this.t(label),
        },
        on: {
          input: () => {
            draft[part] = input.value.replace(/\D/g, '');
          },
        },
      });
      input.value = draft[part];
      return h('label', { class: 'date-part', attrs: { for: id } }, h('span', {}, this.t(label)), input);
    };
    const form = h(
      'form',
      {
        class: 'screen',
        attrs: { id: 'manual-form', novalidate: true, autocomplete: 'off' },
        on: {
          submit: (event) => {
            event.preventDefault();
            this.submitManual();
          },
        },
      },
      h('h2', {}, this.t('manualTitle')),
      h('fieldset', { class: 'choices' }, h('legend', { class: 'label' }, this.t('idTypeLabel')), ...choices),
      h('label', { class: 'label', attrs: { for: 'idNumber' } }, this.t('idNumberLabel')),
      number,
      h(
        'fieldset',
        { class: 'date-parts' },
        h('legend', { class: 'label' }, this.t('dobLabel')),
        datePart('day', 'dobDay', 2),
        datePart('month', 'dobMonth', 2),
        datePart('year', 'dobYear', 4),
      ),
      h(
        'div',
        { class: 'error', attrs: { role: 'alert' } },
        ...view.errors.map((key) => h('p', {}, this.t(key))),
      ),
    );
    const actions = h(
      'footer',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'button secondary',
          attrs: { type: 'button', 'data-action': 'back' },
          on: {
            click: () => {
              this.manualDraft = emptyDraft();
              this.show({ name: 'scan' });
            },
          },
        },
        this.t('back'),
      ),
      h(
        'button',
        { class: 'button primary', attrs: { type: 'submit', form: 'manual-form', 'data-action': 'check' } },
        this.t('manualSubmit'),
      ),
    );
    return [form, actions];
  }

  private submitManual(): void {
    const { idType, idNumber, day, month, year } = this.manualDraft;
    const dateOfBirth = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    const errors = checkManualEntry(idType, idNumber, dateOfBirth, this.now());
    if (errors.length > 0) {
      this.show({ name: 'manual', errors });
      return;
    }
    // The form is emptied as soon as it is sent: the answer screen is all that remains.
    this.manualDraft = emptyDraft();
    void this.check({ idType, idNumber: normaliseIdNumber(idNumber), dateOfBirth });
  }

  // ---------------------------------------------------------------- checking

  private async check(request: VerifyRequest): Promise<void> {
    const credential = this.credential;
    if (!credential) {
      this.show({ name: 'pair' });
      return;
    }
    this.show({ name: 'checking' });
    const outcome = await this.api.verify(credential, request);
    this.noteReachability(outcome);
    if (outcome.kind === 'ok') {
      void this.refreshKeys(false);
      this.show({ name: 'result', answer: { source: 'online', answer: outcome.value } });
    } else if (outcome.kind === 'unreachable' || outcome.kind === 'serverError') {
      if ('qr' in request) {
        const verdict = await verifyPassOffline(request.qr, storage.keys(), this.now());
        this.show({ name: 'result', answer: { source: 'offline', verdict } });
      } else {
        this.show({
          name: 'message',
          key: outcome.kind === 'unreachable' ? 'manualNeedsNetwork' : 'errServer',
          action: 'back',
        });
      }
    } else {
      this.show({
        name: 'message',
        ...this.problem(outcome),
        action: outcome.kind === 'unauthenticated' || outcome.kind === 'forbidden' ? 'rePair' : 'back',
      });
    }
  }

  private problem(outcome: Exclude<ApiOutcome<unknown>, { kind: 'ok' | 'unreachable' | 'serverError' }>): {
    key: MessageKey;
    params?: Record<string, string | number>;
  } {
    switch (outcome.kind) {
      case 'unauthenticated':
        return { key: 'errUnauthorized' };
      case 'forbidden':
        return { key: 'errForbidden' };
      case 'rateLimited':
        return { key: 'errRateLimited', params: { seconds: outcome.retryAfterSeconds } };
      case 'rejected':
        return { key: 'errRejected', params: { message: outcome.message } };
    }
  }

  private noteReachability(outcome: ApiOutcome<unknown>): void {
    this.setOffline(outcome.kind === 'unreachable');
  }

  private async refreshKeys(force: boolean): Promise<void> {
    const fetchedAt = storage.keysFetchedAt();
    if (!force && fetchedAt && this.now().getTime() - fetchedAt.getTime() < keysMaxAgeMs) return;
    const outcome = await this.api.keys();
    if (outcome.kind === 'ok' && outcome.value.length > 0) storage.saveKeys(outcome.value, this.now());
  }

  // ---------------------------------------------------------------- answers

  private resultView(answer: Answer): HTMLElement[] {
    const tone = verdictTone(answer);
    const headline: MessageKey = tone === 'valid' ? 'valid' : tone === 'invalid' ? 'notValid' : 'cannotCheck';
    const main = h(
      'main',
      {
        class: 'screen verdict',
        attrs: { role: 'status', 'data-verdict': tone, 'data-source': answer.source },
      },
      answer.source === 'offline' && h('p', { class: 'badge' }, this.t('offlineBadge')),
      h('p', { class: 'verdict-word', attrs: { tabindex: '-1', 'data-autofocus': true } }, this.t(headline)),
      ...this.answerDetails(answer),
      answer.source === 'offline' && h('p', { class: 'note' }, this.t('offlineNote')),
    );
    const actions = h(
      'footer',
      { class: 'actions' },
      h(
        'button',
        {
          class: 'button primary',
          attrs: { type: 'button', 'data-action': 'next' },
          on: { click: () => this.show({ name: 'scan' }) },
        },
        this.t('nextScan'),
      ),
    );
    this.timer = setTimeout(() => this.show({ name: 'scan' }), resultClearsAfterMs);
    return [main, actions];
  }

  private answerDetails(answer: Answer): HTMLElement[] {
    if (answer.source === 'online') {
      const value = answer.answer;
      if (value.verdict === 'NOT_VALID')
        return [h('p', { class: 'reason' }, this.t(`reason${value.reason}`))];
      return this.validDetails(
        value.validUntil,
        value.testType,
        value.maskedName,
        value.birthYear,
        value.facilityName,
      );
    }
    const verdict = answer.verdict;
    switch (verdict.verdict) {
      case 'VALID': {
        const s = verdict.snapshot;
        return this.validDetails(s.validUntil, s.testType, s.maskedName, s.birthYear, undefined);
      }
      case 'UNKNOWN_KEY':
        return [h('p', { class: 'reason' }, this.t('offlineNoKeys'))];
      case 'NOT_VALID': {
        const reasons: Record<typeof verdict.reason, MessageKey> = {
          PASS_INVALID: 'reasonPASS_INVALID',
          NO_SNAPSHOT: 'offlineNoSnapshot',
          SNAPSHOT_EXPIRED: 'offlineSnapshotExpired',
        };
        return [h('p', { class: 'reason' }, this.t(reasons[verdict.reason]))];
      }
    }
  }

  private validDetails(
    validUntil: string,
    testType: TestType,
    maskedName: string,
    birthYear: number,
    facilityName: string | undefined,
  ): HTMLElement[] {
    const until = new Date(validUntil);
    const row = (label: MessageKey, ...value: (string | HTMLElement)[]): HTMLElement[] => [
      h('dt', {}, this.t(label)),
      h('dd', {}, ...value),
    ];
    return [
      h(
        'dl',
        { class: 'details' },
        ...row(
          'validUntil',
          h('span', { class: 'strong', attrs: { 'data-field': 'validUntil' } }, formatVietnamTime(until)),
          h(
            'span',
            { class: 'sub' },
            `${this.t('timeZoneNote')} · ${this.t('remaining', timeLeft(until, this.now()))}`,
          ),
        ),
        ...row('testType', h('span', { attrs: { 'data-field': 'testType' } }, this.t(`test${testType}`))),
        ...row(
          'holderName',
          h('span', { class: 'strong', attrs: { 'data-field': 'maskedName' } }, maskedName),
        ),
        ...row(
          'birthYear',
          h('span', { class: 'strong', attrs: { 'data-field': 'birthYear' } }, String(birthYear)),
        ),
        ...(facilityName
          ? row('facility', h('span', { attrs: { 'data-field': 'facility' } }, facilityName))
          : []),
      ),
      h('p', { class: 'note' }, this.t('compareId')),
    ];
  }

  private messageView(view: Extract<View, { name: 'message' }>): HTMLElement[] {
    const main = h(
      'main',
      { class: 'screen centered' },
      h(
        'p',
        {
          class: 'big-status',
          attrs: { role: 'alert', tabindex: '-1', 'data-autofocus': true, 'data-message': view.key },
        },
        this.t(view.key, view.params),
      ),
    );
    const button =
      view.action === 'rePair'
        ? h(
            'button',
            {
              class: 'button primary',
              attrs: { type: 'button', 'data-action': 're-pair' },
              on: { click: () => this.forgetDevice() },
            },
            this.t('rePair'),
          )
        : h(
            'button',
            {
              class: 'button primary',
              attrs: { type: 'button', 'data-action': 'close' },
              on: { click: () => this.show(this.credential ? { name: 'scan' } : { name: 'pair' }) },
            },
            this.t('close'),
          );
    return [main, h('footer', { class: 'actions' }, button)];
  }
}

function verdictTone(answer: Answer): 'valid' | 'invalid' | 'unknown' {
  const verdict = answer.source === 'online' ? answer.answer.verdict : answer.verdict.verdict;
  return verdict === 'VALID' ? 'valid' : verdict === 'UNKNOWN_KEY' ? 'unknown' : 'invalid';
}
