/** Scanning: the camera reads passes; manual entry is one button away. */
import { h } from '../dom.js';
import { rulesAgeLine } from '../rules-age.js';
import type { ViewContext } from './view-context.js';
import { viewfinder } from './viewfinder.js';

export function scanView(ui: ViewContext, now: Date): HTMLElement[] {
  const { t, send, state } = ui;
  const age = rulesAgeLine(state.rules, now);
  const main = h(
    'main',
    { class: 'screen scan' },
    viewfinder(ui, 'scanHint'),
    h('p', { class: 'notice', attrs: { role: 'alert' } }, state.notice ? t(state.notice) : ''),
    h(
      'p',
      { class: age.warning ? 'rules-age warning' : 'rules-age', attrs: { 'data-field': 'rules-age' } },
      t(age.key, age.params),
    ),
  );
  const actions = h(
    'footer',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'button primary',
        attrs: { type: 'button', 'data-action': 'manual' },
        on: { click: () => send({ type: 'manualChosen' }) },
      },
      t('manualButton'),
    ),
  );
  return [main, actions];
}
