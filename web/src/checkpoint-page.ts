/**
 * The page around the controller: renders the state into the root element (one screen at a time; a new
 * screen replaces the whole page, so an answer leaves no trace in the DOM once the officer moves on), and
 * turns the browser's own events (online, offline, hidden) into controller events.
 */
import { systemClock } from '../../contract/clock.js';
import type { ApiClient } from './api.js';
import {
  CheckpointController,
  type Event,
  initialState,
  type PageSettings,
  refreshEveryMs,
  type Screen,
  type State,
} from './checkpoint-controller.js';
import { translate } from './i18n.js';
import { rulesAgeLine } from './rules-age.js';
import { CameraScanner } from './scanner.js';
import { storage } from './storage.js';
import { answerView, checkingView, verdictTone } from './views/answer-view.js';
import { manualEntryView } from './views/manual-entry-view.js';
import { messageView } from './views/message-view.js';
import { pairingView } from './views/pairing-view.js';
import { scanView } from './views/scan-view.js';
import { topBar } from './views/top-bar.js';
import type { ViewContext } from './views/view-context.js';
import { viewfinderHint } from './views/viewfinder.js';

function screenView(ui: ViewContext, screen: Screen, now: Date): HTMLElement[] {
  switch (screen.name) {
    case 'pair':
      return pairingView(ui, screen);
    case 'scan':
      return scanView(ui, now);
    case 'manual':
      return manualEntryView(ui, screen);
    case 'checking':
      return checkingView(ui);
    case 'result':
      return answerView(ui, screen.answer, now);
    case 'message':
      return messageView(ui, screen);
  }
}

export function startCheckpointPage(
  root: HTMLElement,
  api: ApiClient,
  settings: PageSettings,
): CheckpointController {
  const scanner = new CameraScanner();
  const controller = new CheckpointController(
    initialState({
      language: storage.language(),
      credential: storage.credential(),
      online: navigator.onLine,
    }),
    {
      api,
      storage,
      clock: systemClock,
      scanner,
      settings,
      timer: {
        schedule: (ms, callback) => {
          const id = setTimeout(callback, ms);
          return () => clearTimeout(id);
        },
      },
    },
  );
  const send = (event: Event): void => controller.dispatch(event);
  const context = (state: State): ViewContext => ({
    state,
    t: (key, params) => translate(state.language, key, params),
    send,
    video: scanner.video,
  });

  const render = (state: State): void => {
    const ui = context(state);
    const screen = state.screen;
    document.documentElement.lang = state.language;
    document.title = `ResultGate · ${ui.t('appTitle')}`;
    const tone = screen.name === 'result' ? ` verdict-${verdictTone(screen.answer)}` : '';
    root.className = `app view-${screen.name}${tone}`;
    root.replaceChildren(topBar(ui), ...screenView(ui, screen, systemClock.now()));
    if (!root.contains(scanner.video)) scanner.video.remove();
    root.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  };

  /** What changes without a new screen is patched in place, so typing and the camera are never disturbed. */
  const patch = (state: State): void => {
    const ui = context(state);
    const pill = root.querySelector<HTMLElement>('.offline-pill');
    if (pill) pill.hidden = !state.offline;
    const hint = root.querySelector<HTMLElement>('.viewfinder-hint');
    if (hint) {
      const own = hint.dataset.hint === 'pairScanHint' ? 'pairScanHint' : 'scanHint';
      hint.textContent = ui.t(viewfinderHint(state.camera, own));
      hint.dataset.camera = state.camera;
    }
    const notice = root.querySelector<HTMLElement>('.notice');
    if (notice) notice.textContent = state.notice ? ui.t(state.notice) : '';
    const rulesAge = root.querySelector<HTMLElement>('[data-field=rules-age]');
    if (rulesAge) {
      const age = rulesAgeLine(state.rules, systemClock.now());
      rulesAge.textContent = ui.t(age.key, age.params);
      rulesAge.classList.toggle('warning', age.warning);
    }
  };

  controller.subscribe((previous, next) => {
    if (previous.screen !== next.screen || previous.language !== next.language) render(next);
    else patch(next);
  });

  window.addEventListener('online', () => send({ type: 'connectivityChanged', online: true }));
  window.addEventListener('offline', () => send({ type: 'connectivityChanged', online: false }));
  document.addEventListener('visibilitychange', () => send({ type: document.hidden ? 'hidden' : 'shown' }));
  // At least hourly while open, the keys and the signed rules are refreshed (when the network allows).
  setInterval(() => send({ type: 'refreshDue' }), refreshEveryMs);
  render(controller.state);
  send({ type: 'started' });
  return controller;
}
